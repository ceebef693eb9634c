// One share partition (KIP-932): the delivery state of a (share group, topic-partition), as
// Kafka's SharePartition (core/src/main/java/kafka/server/share/SharePartition.java) keeps it.
//
// The share-partition start offset (SPSO) is the first offset not yet acknowledged or archived;
// `nextOffset` is the first offset never fetched from the log (Kafka's end offset + 1). Every
// offset of [SPSO, nextOffset) has a state here: AVAILABLE, ACQUIRED (by one member, under a
// lock timed on the broker clock), ACKNOWLEDGED or ARCHIVED, and a delivery count. The prefix
// of acknowledged/archived offsets is dropped as the SPSO moves. Offsets that hold no deliverable
// record (control batches, aborted transactions at read_committed, compacted gaps) are archived
// on sight with delivery count 0.
//
// Owner: ShareManager (broker/share/manager.ts); the handlers call its methods, never these
// directly. Persistence hooks (`onChange`) let the share-state store write ShareUpdate records.

import { readBatchHeader, RECORD_BATCH_OVERHEAD } from '../../protocol/records/batch.js';
import type { Clock, TimerHandle } from '../../storage/clock.js';
import { lastStableOffset } from '../fetch-reader.js';
import type { Partition } from '../partition.js';

/** Kafka's RecordState ids (org.apache.kafka.coordinator.share / SharePartition.RecordState). */
export const RecordState = { AVAILABLE: 0, ACQUIRED: 1, ACKNOWLEDGED: 2, ARCHIVED: 4 } as const;
export type RecordStateId = (typeof RecordState)[keyof typeof RecordState];

/** Acknowledge types of ShareFetch/ShareAcknowledge (AcknowledgeType in the clients). */
export const AckType = { GAP: 0, ACCEPT: 1, RELEASE: 2, REJECT: 3, RENEW: 4 } as const;

interface InFlight {
  state: RecordStateId;
  deliveryCount: number;
  member: string | null;
  lock: Lock | null;
}

interface Lock {
  offsets: Set<number>;
  timer: TimerHandle | null;
}

export interface AcquiredRange {
  firstOffset: number;
  lastOffset: number;
  deliveryCount: number;
}

export interface Acquisition {
  ranges: AcquiredRange[];
  /** The stored batches holding the acquired records, in offset order. */
  chunks: Buffer[];
  bytes: number;
  count: number;
}

export interface AckBatch {
  firstOffset: number;
  lastOffset: number;
  acknowledgeTypes: number[];
}

/** A run of offsets of one state and delivery count (ShareSnapshot/ShareUpdate StateBatch). */
export interface StateBatch {
  firstOffset: number;
  lastOffset: number;
  deliveryState: number;
  deliveryCount: number;
}

export interface SharePartitionSettings {
  lockDurationMs: number;
  deliveryCountLimit: number;
  maxRecordLocks: number;
  /** 1: read_committed. */
  isolationLevel: number;
}

/** Counters for the operator surface (kafkalite groups, HTTP, /metrics). */
export interface ShareCounters {
  acknowledged: number;
  released: number;
  archived: number;
}

export class SharePartition {
  startOffset = -1;
  nextOffset = -1;
  /** Kafka's state epoch (bumped by AlterShareGroupOffsets / re-initialisation). */
  stateEpoch = 0;
  /** The leader epoch last written or read through the share coordinator APIs (84, 85, 87). */
  leaderEpoch = 0;
  /** Set by WriteShareGroupState v1 (KIP-1226); -1: derived from the in-flight states. */
  writtenDeliveryCompleteCount = -1;
  /** Offset → state for [startOffset, nextOffset); absent offsets below nextOffset are archived. */
  private readonly states = new Map<number, InFlight>();
  readonly counters: ShareCounters = { acknowledged: 0, released: 0, archived: 0 };

  constructor(
    readonly groupId: string,
    readonly topicId: string,
    readonly partition: number,
    private readonly clock: Clock,
    /** Called when records become available again (release, lock expiry): wakes parked fetches. */
    private readonly onAvailable: () => void,
    /** Called after every change of state, for persistence. */
    private readonly onChange: (sp: SharePartition) => void,
  ) {}

  get initialised(): boolean {
    return this.startOffset >= 0;
  }

  /** Start at `offset` (first fetch after auto.offset.reset, a replayed snapshot, or an offsets reset). */
  initialise(offset: number, stateEpoch = this.stateEpoch): void {
    this.clearLocks();
    this.states.clear();
    this.startOffset = offset;
    this.nextOffset = offset;
    this.stateEpoch = stateEpoch;
  }

  /** Restore in-flight batches from a snapshot (acquired ones come back available, as Kafka does). */
  restore(batches: readonly StateBatch[]): void {
    for (const b of batches) {
      for (let o = b.firstOffset; o <= b.lastOffset; o++) {
        if (o < this.startOffset) continue;
        const state = b.deliveryState === RecordState.ACQUIRED ? RecordState.AVAILABLE : (b.deliveryState as RecordStateId);
        this.states.set(o, { state, deliveryCount: b.deliveryCount, member: null, lock: null });
        if (o + 1 > this.nextOffset) this.nextOffset = o + 1;
      }
    }
    this.advanceStart();
  }

  /**
   * WriteShareGroupState (85): a new start offset (-1 keeps it) and batches overlaid on the
   * in-flight states, as the share coordinator stores what a partition leader writes. Locks of
   * the offsets written end (an acquired record written becomes what the write says).
   */
  overwrite(startOffset: number, batches: readonly StateBatch[]): void {
    if (startOffset >= 0 && startOffset > this.startOffset) this.skipTo(startOffset);
    else if (startOffset >= 0 && startOffset < this.startOffset) {
      this.startOffset = startOffset;
      for (let o = startOffset; o < this.nextOffset; o++) if (!this.states.has(o)) this.states.set(o, archivedGap());
    }
    for (const b of batches) {
      for (let o = Math.max(b.firstOffset, this.startOffset); o <= b.lastOffset; o++) {
        const prev = this.states.get(o);
        if (prev) this.unlock(o, prev);
        const state = b.deliveryState === RecordState.ACQUIRED ? RecordState.AVAILABLE : (b.deliveryState as RecordStateId);
        this.states.set(o, { state, deliveryCount: b.deliveryCount, member: null, lock: null });
      }
      if (b.lastOffset + 1 > this.nextOffset) {
        for (let o = this.nextOffset; o < b.firstOffset; o++) if (!this.states.has(o)) this.states.set(o, archivedGap());
        this.nextOffset = b.lastOffset + 1;
      }
    }
    this.onChange(this);
  }

  /** Records of the in-flight window already delivered for good (acknowledged or archived), KIP-1226. */
  deliveryCompleteCount(): number {
    if (this.writtenDeliveryCompleteCount >= 0) return this.writtenDeliveryCompleteCount;
    let n = 0;
    for (const s of this.states.values()) if (s.state === RecordState.ACKNOWLEDGED || s.state === RecordState.ARCHIVED) n++;
    return n;
  }

  /** Records currently acquired (held under a lock). */
  inFlightCount(): number {
    let n = 0;
    for (const s of this.states.values()) if (s.state === RecordState.ACQUIRED) n++;
    return n;
  }

  /** The in-flight batches as ShareSnapshot/ShareUpdate StateBatches: runs of equal state and count. */
  stateBatches(): StateBatch[] {
    const out: StateBatch[] = [];
    for (let o = this.startOffset; o < this.nextOffset; o++) {
      const s = this.states.get(o) ?? { state: RecordState.ARCHIVED, deliveryCount: 0 };
      const last = out[out.length - 1];
      if (last && last.lastOffset === o - 1 && last.deliveryState === s.state && last.deliveryCount === s.deliveryCount)
        last.lastOffset = o;
      else out.push({ firstOffset: o, lastOffset: o, deliveryState: s.state, deliveryCount: s.deliveryCount });
    }
    return out;
  }

  /** Whether a fetch now could acquire something. */
  hasAvailable(partition: Partition, settings: SharePartitionSettings): boolean {
    for (const s of this.states.values()) if (s.state === RecordState.AVAILABLE) return true;
    return this.nextOffset < this.readBound(partition, settings) && this.nextOffset - this.startOffset < settings.maxRecordLocks;
  }

  private readBound(partition: Partition, settings: SharePartitionSettings): number {
    return settings.isolationLevel === 1 ? lastStableOffset(partition) : partition.log.highWatermark;
  }

  /**
   * Acquire up to `maxRecords` records for `member`: released or expired ones first, then new
   * ones from the log. batchOptimized (acquire mode 0) takes whole batches and may pass maxRecords
   * by the rest of the last batch; record_limit (1) stops at maxRecords exactly.
   */
  acquire(
    partition: Partition,
    member: string,
    opts: { maxRecords: number; maxBytes: number; batchOptimized: boolean },
    settings: SharePartitionSettings,
  ): Acquisition {
    const log = partition.log;
    // Retention or DeleteRecords moved the log start past us: those offsets are gone.
    if (this.startOffset < log.logStartOffset) this.skipTo(log.logStartOffset);
    const acquired: number[] = [];
    const lock: Lock = { offsets: new Set(), timer: null };
    const take = (o: number, s: InFlight) => {
      s.state = RecordState.ACQUIRED;
      s.deliveryCount++;
      s.member = member;
      s.lock = lock;
      lock.offsets.add(o);
      acquired.push(o);
    };
    // 1. Offsets in flight that are available again (released, lock expired), oldest first.
    for (let o = this.startOffset; o < this.nextOffset && acquired.length < opts.maxRecords; o++) {
      const s = this.states.get(o);
      if (s?.state === RecordState.AVAILABLE) take(o, s);
    }
    // 2. New records from the log, within the in-flight window.
    const bound = this.readBound(partition, settings);
    const windowEnd = this.startOffset + settings.maxRecordLocks;
    if (acquired.length < opts.maxRecords && this.nextOffset < bound && this.nextOffset < windowEnd) {
      const read = log.read(this.nextOffset, { maxBytes: Math.max(1, opts.maxBytes), maxOffset: bound, minOneBatch: true });
      const aborted = settings.isolationLevel === 1 ? partition.producers.abortedIndex() : [];
      done: for (const chunk of read.chunks) {
        let pos = 0;
        while (pos + RECORD_BATCH_OVERHEAD <= chunk.length) {
          const h = readBatchHeader(chunk, pos);
          if (pos + h.sizeInBytes > chunk.length) break done;
          pos += h.sizeInBytes;
          if (h.lastOffset < this.nextOffset) continue;
          if (h.baseOffset >= bound || this.nextOffset >= windowEnd || acquired.length >= opts.maxRecords) break done;
          // Offsets skipped by compaction: nothing to deliver.
          for (let o = this.nextOffset; o < h.baseOffset; o++) this.states.set(o, archivedGap());
          const skip =
            h.isControl ||
            (h.isTransactional &&
              aborted.some((a) => a.producerId === h.producerId && a.firstOffset <= h.baseOffset && h.baseOffset <= a.lastOffset));
          const from = Math.max(this.nextOffset, h.baseOffset);
          let last = Math.min(h.lastOffset, bound - 1);
          if (!skip && !opts.batchOptimized) last = Math.min(last, from + (opts.maxRecords - acquired.length) - 1);
          for (let o = from; o <= last; o++) {
            const s: InFlight = { state: RecordState.AVAILABLE, deliveryCount: 0, member: null, lock: null };
            if (skip) s.state = RecordState.ARCHIVED;
            this.states.set(o, s);
            if (!skip) take(o, s);
          }
          this.nextOffset = last + 1;
          if (last < h.lastOffset) break done;
        }
      }
    }
    if (acquired.length > 0) {
      lock.timer = this.clock.setTimeout(() => this.expire(lock, settings.deliveryCountLimit), settings.lockDurationMs);
    }
    this.advanceStart();
    const ranges = toRanges(acquired, (o) => this.states.get(o)!.deliveryCount);
    const { chunks, bytes } = batchesFor(partition, ranges);
    if (acquired.length > 0 || this.states.size > 0) this.onChange(this);
    return { ranges, chunks, bytes, count: acquired.length };
  }

  /**
   * Check acknowledgements of `member` without applying them: null when every offset is held by
   * the member under lock (Kafka's INVALID_RECORD_STATE otherwise, INVALID_REQUEST for a bad batch).
   */
  checkAcks(member: string, batches: readonly AckBatch[]): { errorCode: number; message: string } | null {
    for (const b of batches) {
      for (let o = b.firstOffset; o <= b.lastOffset; o++) {
        const s = this.states.get(o);
        if (!s || o >= this.nextOffset || o < this.startOffset) {
          return {
            errorCode: INVALID_RECORD_STATE,
            message: `Batch record not found. The request batch offsets are not found in the cache`,
          };
        }
        if (s.state !== RecordState.ACQUIRED) return { errorCode: INVALID_RECORD_STATE, message: 'The record state is invalid.' };
        if (s.member !== member) return { errorCode: INVALID_RECORD_STATE, message: 'Member is not the owner of batch record' };
      }
    }
    return null;
  }

  /** Apply checked acknowledgements: accept, release, reject, renew (or gap: archived). */
  acknowledge(batches: readonly AckBatch[], settings: SharePartitionSettings): void {
    let renewLock: Lock | null = null;
    let released = false;
    for (const b of batches) {
      for (let o = b.firstOffset; o <= b.lastOffset; o++) {
        const s = this.states.get(o)!;
        const type = b.acknowledgeTypes.length === 1 ? b.acknowledgeTypes[0]! : b.acknowledgeTypes[o - b.firstOffset]!;
        if (type === AckType.RENEW) {
          renewLock ??= { offsets: new Set(), timer: null };
          this.unlock(o, s);
          s.lock = renewLock;
          renewLock.offsets.add(o);
          continue;
        }
        this.unlock(o, s);
        s.member = null;
        if (type === AckType.ACCEPT) {
          s.state = RecordState.ACKNOWLEDGED;
          this.counters.acknowledged++;
        } else if (type === AckType.RELEASE) {
          released = this.release(s, settings.deliveryCountLimit) || released;
        } else {
          s.state = RecordState.ARCHIVED;
          this.counters.archived++;
        }
      }
    }
    if (renewLock) {
      const lock = renewLock;
      lock.timer = this.clock.setTimeout(() => this.expire(lock, settings.deliveryCountLimit), settings.lockDurationMs);
    }
    this.advanceStart();
    this.onChange(this);
    if (released) this.onAvailable();
  }

  /** Release every record `member` holds (it left, timed out, or closed its share session). */
  releaseMember(member: string, deliveryCountLimit: number): number {
    let n = 0;
    for (const [o, s] of this.states) {
      if (s.state !== RecordState.ACQUIRED || s.member !== member) continue;
      this.unlock(o, s);
      s.member = null;
      this.release(s, deliveryCountLimit);
      n++;
    }
    if (n > 0) {
      this.advanceStart();
      this.onChange(this);
      this.onAvailable();
    }
    return n;
  }

  /** Drop all state (DeleteShareGroupState, offsets deleted, group deleted). */
  clear(): void {
    this.clearLocks();
    this.states.clear();
    this.startOffset = -1;
    this.nextOffset = -1;
  }

  /** Move the start past offsets the log no longer holds. */
  private skipTo(offset: number): void {
    for (let o = this.startOffset; o < offset; o++) {
      const s = this.states.get(o);
      if (s) this.unlock(o, s);
      this.states.delete(o);
    }
    this.startOffset = offset;
    if (this.nextOffset < offset) this.nextOffset = offset;
  }

  /** Back to AVAILABLE, or ARCHIVED once the delivery count reached the limit. True if available. */
  private release(s: InFlight, deliveryCountLimit: number): boolean {
    if (s.deliveryCount >= deliveryCountLimit) {
      s.state = RecordState.ARCHIVED;
      this.counters.archived++;
      return false;
    }
    s.state = RecordState.AVAILABLE;
    this.counters.released++;
    return true;
  }

  private expire(lock: Lock, deliveryCountLimit: number): void {
    lock.timer = null;
    let available = false;
    for (const o of lock.offsets) {
      const s = this.states.get(o);
      if (!s || s.lock !== lock || s.state !== RecordState.ACQUIRED) continue;
      s.lock = null;
      s.member = null;
      available = this.release(s, deliveryCountLimit) || available;
    }
    lock.offsets.clear();
    this.advanceStart();
    this.onChange(this);
    if (available) this.onAvailable();
  }

  private unlock(o: number, s: InFlight): void {
    const lock = s.lock;
    s.lock = null;
    if (!lock) return;
    lock.offsets.delete(o);
    if (lock.offsets.size === 0) {
      lock.timer?.cancel();
      lock.timer = null;
    }
  }

  private clearLocks(): void {
    for (const [o, s] of this.states) this.unlock(o, s);
  }

  private advanceStart(): void {
    while (this.startOffset < this.nextOffset) {
      const s = this.states.get(this.startOffset);
      if (s && s.state !== RecordState.ACKNOWLEDGED && s.state !== RecordState.ARCHIVED) break;
      this.states.delete(this.startOffset);
      this.startOffset++;
    }
  }
}

const INVALID_RECORD_STATE = 121;

/** A batch list's shape: ordered, non-overlapping, one type or one per offset, known types. A problem, or null. */
export function checkBatches(batches: readonly AckBatch[], renewAllowed: boolean, isRenewAck = false): string | null {
  let prevLast = -1;
  for (const b of batches) {
    if (b.lastOffset < b.firstOffset || b.firstOffset <= prevLast) return 'Invalid acknowledgement batch';
    prevLast = b.lastOffset;
    const span = b.lastOffset - b.firstOffset + 1;
    if (b.acknowledgeTypes.length !== 1 && b.acknowledgeTypes.length !== span) return 'Invalid acknowledge types';
    for (const t of b.acknowledgeTypes) {
      // Kafka 4.4 takes renew (KIP-1222) only in a request flagged is_renew_ack.
      if (t < 0 || t > 4 || (t === AckType.RENEW && (!renewAllowed || !isRenewAck))) return `Invalid acknowledge type: ${t}`;
    }
  }
  return null;
}

function archivedGap(): InFlight {
  return { state: RecordState.ARCHIVED, deliveryCount: 0, member: null, lock: null };
}

function toRanges(offsets: number[], count: (o: number) => number): AcquiredRange[] {
  const sorted = [...offsets].sort((a, b) => a - b);
  const out: AcquiredRange[] = [];
  for (const o of sorted) {
    const c = count(o);
    const last = out[out.length - 1];
    if (last && last.lastOffset === o - 1 && last.deliveryCount === c) last.lastOffset = o;
    else out.push({ firstOffset: o, lastOffset: o, deliveryCount: c });
  }
  return out;
}

/** The whole stored batches covering `ranges`, each once, in offset order. */
function batchesFor(partition: Partition, ranges: readonly AcquiredRange[]): { chunks: Buffer[]; bytes: number } {
  const chunks: Buffer[] = [];
  let bytes = 0;
  let covered = -1;
  const end = partition.log.highWatermark;
  for (const r of ranges) {
    // Bounded by the high watermark, not the range's end: the log leaves out a batch that crosses
    // maxOffset. Reads of about the range's size, batch by batch, until the range is covered.
    let guard = 0;
    while (covered < r.lastOffset && guard++ < 100_000) {
      const from = Math.max(r.firstOffset, covered + 1);
      const read = partition.log.read(from, { maxBytes: 64 * 1024, maxOffset: end, minOneBatch: true });
      if (read.bytes === 0) return { chunks, bytes };
      const before = covered;
      for (const chunk of read.chunks) {
        let pos = 0;
        while (pos + RECORD_BATCH_OVERHEAD <= chunk.length) {
          const h = readBatchHeader(chunk, pos);
          if (pos + h.sizeInBytes > chunk.length) break;
          if (h.lastOffset >= from && h.baseOffset <= r.lastOffset && h.lastOffset > covered) {
            chunks.push(chunk.subarray(pos, pos + h.sizeInBytes));
            bytes += h.sizeInBytes;
            covered = h.lastOffset;
          }
          pos += h.sizeInBytes;
        }
      }
      if (covered === before) break;
    }
  }
  return { chunks, bytes };
}
