// A partition log in memory, with the disk log's semantics: the same offsets, read slicing and
// timestamp answers, and segments that roll at the same points (segment.bytes, segment.ms, index
// entry counts) so that retention deletes the same whole segments and the cleaner sees the same
// segment groups. Batches live in flat arrays (base/last offsets, running maximum of batch
// maxTimestamps for binary searches); a segment is a range of those arrays.

import { INT32_MAX } from '../protocol/limits.js';
import { readBatchHeader } from '../protocol/records/index.js';
import type { StampResult } from './batch.js';
import type { Clock } from './clock.js';
import type { FilteredBatch } from './compaction.js';
import type { CleanableLog, GroupWriter } from './log-cleaner.js';
import { PartitionLogBase, type SegmentView } from './log-base.js';
import type { LogHooks } from './log-manager.js';
import { firstRecordAtOrAfter, maxRecordOf, type DecodeTimestamps } from './record-timestamps.js';
import { segmentsToDelete } from './retention.js';
import type { LogConfig, ReadOptions, ReadResult, TimestampLookup } from './types.js';

/** One segment: batches [first, next segment's first) of the flat arrays. */
interface MemorySegment {
  baseOffset: number;
  first: number;
  bytes: number;
  createdMs: number;
  /** maxTimestamp of the first append (-1: none or no timestamps), for segment.ms. */
  rollingTs: number;
  maxTs: number;
  lastModifiedMs: number;
  rollJitterMs: number;
  /** Entries the disk indexes would hold (they make a segment roll when full). */
  offsetEntries: number;
  timeEntries: number;
  lastTimeEntryTs: number;
  bytesSinceIndexEntry: number;
}

/** A memory log's state as plain data (snapshotState/restoreState). */
export interface MemoryLogState {
  readonly batches: readonly Buffer[];
  readonly bases: readonly number[];
  readonly lasts: readonly number[];
  readonly batchMaxTs: readonly number[];
  readonly prefixMaxTs: readonly number[];
  readonly segments: readonly MemorySegment[];
  readonly startOffset: number;
  readonly nextOffset: number;
  readonly bytes: number;
  readonly dirtyFrom: number | null;
  readonly deleteHorizon: number;
}

export class MemoryPartitionLog extends PartitionLogBase {
  private batches: Buffer[] = [];
  private bases: number[] = [];
  private lasts: number[] = [];
  private batchMaxTs: number[] = [];
  private prefixMaxTs: number[] = [];
  private segments: MemorySegment[];
  private bytes = 0;

  constructor(topic: string, partition: number, config: LogConfig, decode: DecodeTimestamps, clock: Clock, hooks: LogHooks) {
    super({ topic, partition, config, clock, decodeTimestamps: decode, hooks, logStartOffset: 0, logEndOffset: 0, firstDirtyOffset: null });
    this.segments = [this.newSegment(0, 0)];
  }

  get size(): number {
    return this.bytes;
  }
  /** Nothing to flush in memory: everything is "flushed". */
  get recoveryPoint(): number {
    return this.nextOffset;
  }
  get unflushedMessages(): number {
    return 0;
  }
  /** Segment base offsets, oldest first (as the disk log's). */
  get segmentBaseOffsets(): number[] {
    return this.segments.map((s) => s.baseOffset);
  }

  private newSegment(baseOffset: number, first: number): MemorySegment {
    const now = this.clock.now();
    return {
      baseOffset,
      first,
      bytes: 0,
      createdMs: now,
      rollingTs: -1,
      maxTs: -1,
      lastModifiedMs: now,
      rollJitterMs: this.rollJitterMs(),
      offsetEntries: 0,
      timeEntries: 0,
      lastTimeEntryTs: -Infinity,
      bytesSinceIndexEntry: 0,
    };
  }

  protected store(batches: Buffer, stamped: StampResult, baseOffset: number, lastOffset: number): void {
    let active = this.segments[this.segments.length - 1]!;
    if (this.shouldRoll(active, batches.length, stamped.maxTimestamp, lastOffset)) {
      active = this.newSegment(baseOffset, this.batches.length);
      this.segments.push(active);
    }
    for (const b of stamped.batches) {
      // Copy: the caller's buffer is usually a slice of a whole request frame.
      this.pushBatch(Buffer.from(batches.subarray(b.position, b.position + b.sizeInBytes)), b.baseOffset, b.lastOffset, b.maxTimestamp);
    }
    this.accountAppend(active, batches.length, stamped.maxTimestamp);
  }

  private pushBatch(batch: Buffer, base: number, last: number, maxTs: number): void {
    this.batches.push(batch);
    this.bases.push(base);
    this.lasts.push(last);
    this.batchMaxTs.push(maxTs);
    const prev = this.prefixMaxTs.length > 0 ? this.prefixMaxTs[this.prefixMaxTs.length - 1]! : -Infinity;
    this.prefixMaxTs.push(Math.max(prev, maxTs));
    this.bytes += batch.length;
  }

  /** Segment bookkeeping of one append, as LogSegment.append does it (index entries included). */
  private accountAppend(seg: MemorySegment, size: number, maxTimestamp: number): void {
    if (seg.bytes === 0) seg.rollingTs = maxTimestamp;
    seg.bytes += size;
    seg.lastModifiedMs = this.clock.now();
    if (maxTimestamp > seg.maxTs) seg.maxTs = maxTimestamp;
    if (seg.bytesSinceIndexEntry > this.config.indexIntervalBytes) {
      seg.offsetEntries++;
      if (seg.maxTs > seg.lastTimeEntryTs) {
        seg.timeEntries++;
        seg.lastTimeEntryTs = seg.maxTs;
      }
      seg.bytesSinceIndexEntry = 0;
    }
    seg.bytesSinceIndexEntry += size;
  }

  /** LogSegment.shouldRoll over the segment's bookkeeping. */
  private shouldRoll(seg: MemorySegment, appendSize: number, appendMaxTs: number, appendLastOffset: number): boolean {
    if (seg.bytes === 0) return false;
    const c = this.config;
    if (seg.bytes > c.segmentBytes - appendSize) return true;
    const waited = seg.rollingTs >= 0 ? appendMaxTs - seg.rollingTs : this.clock.now() - seg.createdMs;
    if (waited > c.segmentMs - seg.rollJitterMs) return true;
    if (seg.offsetEntries >= Math.floor(c.segmentIndexBytes / 8) || seg.timeEntries >= Math.floor(c.segmentIndexBytes / 12) - 1)
      return true;
    return appendLastOffset - seg.baseOffset > INT32_MAX;
  }

  protected readFrom(fetchOffset: number, opts: ReadOptions): ReadResult {
    const chunks: Buffer[] = [];
    let i = lowerBound(this.lasts, fetchOffset);
    if (i >= this.batches.length || this.lasts[i]! >= opts.maxOffset) return { chunks, bytes: 0 };
    const first = this.batches[i]!;
    let budget = Math.max(0, opts.maxBytes);
    if (opts.minOneBatch && first.length > budget) budget = first.length;
    let total = 0;
    const end = opts.oneSegment ? (this.segments.find((s) => s.first > i)?.first ?? this.batches.length) : this.batches.length;
    while (budget > 0 && i < end && this.lasts[i]! < opts.maxOffset) {
      const batch = this.batches[i]!;
      const take = Math.min(batch.length, budget);
      chunks.push(take === batch.length ? batch : batch.subarray(0, take));
      total += take;
      budget -= take;
      i++;
    }
    if (i === end && end < this.batches.length && this.lasts[end]! < opts.maxOffset && budget > 0) {
      return { chunks, bytes: total, moreInLaterSegments: true };
    }
    return { chunks, bytes: total };
  }

  offsetForTimestamp(ts: number, maxOffset: number): TimestampLookup | null {
    // The first batch whose own maxTimestamp reaches ts is where the running maximum first does.
    for (let i = lowerBound(this.prefixMaxTs, ts); i < this.batches.length; i++) {
      if (this.bases[i]! >= maxOffset) return null;
      if (this.batchMaxTs[i]! < ts || this.lasts[i]! < this.startOffset) continue;
      const found = firstRecordAtOrAfter(this.batches[i]!, this.bases[i]!, ts, this.startOffset, this.decode);
      if (found) return found.offset < maxOffset ? found : null;
    }
    return null;
  }

  maxTimestamp(maxOffset: number): TimestampLookup | null {
    const k = lowerBound(this.lasts, maxOffset) - 1;
    if (k < 0 || this.prefixMaxTs[k]! < 0) return null;
    const i = lowerBound(this.prefixMaxTs, this.prefixMaxTs[k]!);
    return maxRecordOf(this.batches[i]!, this.bases[i]!, this.decode);
  }

  flush(): void {
    // Nothing to make durable.
  }

  flushInactive(): void {
    // Nothing to make durable.
  }

  close(): void {
    this.closed = true;
  }

  /**
   * A copy of this log's state (test kit snapshot). Stored batches are shared, not copied: a
   * batch is never written again once appended (compaction and retention replace or drop them).
   */
  snapshotState(): MemoryLogState {
    return {
      batches: this.batches.slice(),
      bases: this.bases.slice(),
      lasts: this.lasts.slice(),
      batchMaxTs: this.batchMaxTs.slice(),
      prefixMaxTs: this.prefixMaxTs.slice(),
      segments: this.segments.map((s) => ({ ...s })),
      startOffset: this.startOffset,
      nextOffset: this.nextOffset,
      bytes: this.bytes,
      dirtyFrom: this.dirtyFrom,
      deleteHorizon: this.deleteHorizon,
    };
  }

  /** Replace this log's contents with a snapshot taken by snapshotState() (test kit restore). */
  restoreState(s: MemoryLogState): void {
    this.ensureOpen();
    this.batches = s.batches.slice();
    this.bases = s.bases.slice();
    this.lasts = s.lasts.slice();
    this.batchMaxTs = s.batchMaxTs.slice();
    this.prefixMaxTs = s.prefixMaxTs.slice();
    this.segments = s.segments.map((seg) => ({ ...seg }));
    this.startOffset = s.startOffset;
    this.nextOffset = s.nextOffset;
    this.bytes = s.bytes;
    this.dirtyFrom = s.dirtyFrom;
    this.deleteHorizon = s.deleteHorizon;
  }

  // ---- truncation --------------------------------------------------------------------------

  protected truncateTail(offset: number): void {
    while (this.segments.length > 1 && this.segments[this.segments.length - 1]!.baseOffset > offset) this.segments.pop();
    const cut = lowerBound(this.lasts, offset);
    for (let i = cut; i < this.batches.length; i++) this.bytes -= this.batches[i]!.length;
    for (const a of [this.batches, this.bases, this.lasts, this.batchMaxTs, this.prefixMaxTs]) a.length = cut;
    // The segment holding `offset` is accounted again over the batches it keeps (LogSegment.truncateTo).
    const seg = this.segments[this.segments.length - 1]!;
    const kept = this.batches.slice(seg.first);
    const fresh = this.newSegment(seg.baseOffset, seg.first);
    Object.assign(seg, { ...fresh, createdMs: kept.length > 0 ? seg.createdMs : fresh.createdMs, rollJitterMs: seg.rollJitterMs });
    for (let i = seg.first; i < cut; i++) this.accountAppend(seg, this.batches[i]!.length, this.batchMaxTs[i]!);
  }

  protected truncateFullyAndStartAt(offset: number): void {
    for (const a of [this.batches, this.bases, this.lasts, this.batchMaxTs, this.prefixMaxTs]) a.length = 0;
    this.bytes = 0;
    this.segments = [this.newSegment(offset, 0)];
  }

  // ---- retention and compaction ------------------------------------------------------------

  protected segmentView(): SegmentView {
    const segs = this.segments;
    return {
      segmentCount: segs.length,
      baseOffset: (i) => segs[i]!.baseOffset,
      sizeOf: (i) => segs[i]!.bytes,
      largestTimestamp: (i) => (segs[i]!.maxTs >= 0 ? segs[i]!.maxTs : segs[i]!.lastModifiedMs),
      firstBatchTimestamp: (i) => (segs[i]!.bytes > 0 ? this.batchMaxTs[segs[i]!.first]! : -1),
    };
  }

  deleteOldSegments(nowMs: number): number {
    if (this.closed) return 0;
    const { count } = segmentsToDelete(this.view(), this.config, nowMs);
    if (count === 0) return 0;
    const cut = this.segments[count]!.first;
    for (let i = 0; i < count; i++) this.bytes -= this.segments[i]!.bytes;
    this.segments = this.segments.slice(count);
    this.replaceBatches(0, cut, []);
    this.startOffset = Math.max(this.startOffset, this.segments[0]!.baseOffset);
    return count;
  }

  protected cleanableLog(): CleanableLog {
    const end = (i: number) => (i + 1 < this.segments.length ? this.segments[i + 1]!.first : this.batches.length);
    return {
      ...this.view(),
      batchesOf: (i) => this.batches.slice(this.segments[i]!.first, end(i)),
      groupItem: (i) => {
        const s = this.segments[i]!;
        const upperOffset = i + 1 < this.segments.length ? this.segments[i + 1]!.baseOffset : this.nextOffset;
        return {
          baseOffset: s.baseOffset,
          upperOffset,
          size: s.bytes,
          offsetIndexBytes: s.offsetEntries * 8,
          timeIndexBytes: s.timeEntries * 12,
        };
      },
      beginGroup: (first, count) => this.groupWriter(first, count, end(first + count - 1)),
    };
  }

  /** Replaces segments [first, first + count) (batches up to `endBatch`) with one cleaned segment. */
  private groupWriter(first: number, count: number, endBatch: number): GroupWriter {
    const kept: FilteredBatch[] = [];
    return {
      add: (batch) => kept.push(batch),
      finish: () => {
        const old = this.segments.slice(first, first + count);
        const seg: MemorySegment = {
          ...old[0]!,
          bytes: 0,
          maxTs: -1,
          offsetEntries: 0,
          timeEntries: 0,
          lastTimeEntryTs: -Infinity,
          bytesSinceIndexEntry: 0,
        };
        seg.lastModifiedMs = Math.max(...old.map((s) => s.lastModifiedMs));
        this.replaceBatches(
          seg.first,
          endBatch,
          kept.map((k) => k.bytes!),
        );
        this.bytes += kept.reduce((n, k) => n + k.bytes!.length, 0) - old.reduce((n, s) => n + s.bytes, 0);
        const modified = seg.lastModifiedMs;
        for (const k of kept) this.accountAppend(seg, k.bytes!.length, k.header!.maxTimestamp);
        seg.lastModifiedMs = modified;
        seg.rollingTs = kept.length > 0 ? kept[0]!.header!.maxTimestamp : -1;
        this.segments.splice(first, count, seg);
      },
    };
  }

  /**
   * Replace batches [from, to) of the flat arrays by `replacement` (already stamped), shift the
   * later segments' positions and rebuild the running timestamp maximum. Byte totals are the
   * caller's.
   */
  private replaceBatches(from: number, to: number, replacement: Buffer[]): void {
    const headers = replacement.map((b) => readBatchHeader(b));
    this.batches.splice(from, to - from, ...replacement);
    this.bases.splice(from, to - from, ...headers.map((h) => h.baseOffset));
    this.lasts.splice(from, to - from, ...headers.map((h) => h.lastOffset));
    this.batchMaxTs.splice(from, to - from, ...headers.map((h) => h.maxTimestamp));
    const delta = replacement.length - (to - from);
    if (delta !== 0) for (const s of this.segments) if (s.first >= to) s.first += delta;
    let running = -Infinity;
    this.prefixMaxTs = this.batchMaxTs.map((t) => (running = Math.max(running, t)));
  }
}

/** First index whose value is >= target in a non-decreasing array (length if none). */
export function lowerBound(values: ArrayLike<number>, target: number, end = values.length): number {
  let lo = 0;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
