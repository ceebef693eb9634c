// A partition's log on disk: an ordered list of segments, the last one active. Owns the offsets
// (log start, log end, HW = LEO on a single replica and cleaner checkpoint, kept by
// PartitionLogBase; the recovery point here) and the segment list; retention and the cleaner
// change the list only through this class. When things happen (flush, retention, cleaning) is
// the LogManager's business (hooks).

import type { BatchHeader } from '../protocol/records/index.js';
import { fsyncDir } from './atomic-file.js';
import type { StampResult } from './batch.js';
import type { Clock } from './clock.js';
import type { GroupItem } from './compaction.js';
import type { FileSystem } from './fs/file-system.js';
import { nodeFs } from './fs/node-fs.js';
import { PartitionLogBase, type SegmentView } from './log-base.js';
import { LogDirFailureChannel, isIoError } from './log-dir-failure.js';
import {
  DiskGroupWriter,
  cleanRequest,
  completeCleaning,
  discardCleaned,
  segmentBatches,
  type CleanableLog,
  type CleanOutcome,
  type DiskCleanTarget,
  type GroupWriter,
} from './log-cleaner.js';
import type { LogHooks, OffloadedPass } from './log-manager.js';
import {
  LEADER_EPOCH_CHECKPOINT,
  readLeaderEpochCheckpoint,
  rebuildLeaderEpochs,
  writeLeaderEpochCheckpoint,
  type EpochEntry,
} from './leader-epoch-checkpoint.js';
import type { DecodeTimestamps } from './record-timestamps.js';
import { truncateProducerStateFiles } from './producer-state-files.js';
import { segmentsToDelete } from './retention.js';
import { LogSegment, type SegmentEnd } from './segment.js';
import { maxTimestampRecord, offsetForTimestamp } from './timestamp-search.js';
import type { AppendResult, LogConfig, ReadOptions, ReadResult, TimestampLookup } from './types.js';
import type { StorageLogger } from './logger.js';

/** A cleaning pass over at least this many bytes runs in the cleaner's worker thread (on the real disk). */
const OFFLOAD_MIN_BYTES = 16 * 1024 * 1024;

export interface DiskPartitionLogOptions {
  dir: string;
  topic: string;
  partition: number;
  config: LogConfig;
  clock: Clock;
  decodeTimestamps: DecodeTimestamps;
  /** From the LogLoader: in offset order, never empty, the last one active. */
  segments: LogSegment[];
  logStartOffset: number;
  recoveryPoint: number;
  /** From cleaner-offset-checkpoint (null: never cleaned). */
  firstDirtyOffset: number | null;
  hooks: LogHooks;
  logger: StorageLogger;
  /** Where the partition directory lives (default: the real disk). */
  fs?: FileSystem;
  /** The directory was made for this log just now: no leader-epoch-checkpoint to read yet. */
  fresh?: boolean;
  /** The data directory's failure channel (an I/O error takes the directory offline); default: this log's own. */
  dirFailure?: LogDirFailureChannel;
}

export class DiskPartitionLog extends PartitionLogBase {
  readonly dir: string;
  readonly fs: FileSystem;
  private readonly dirFailure: LogDirFailureChannel;
  private readonly segments: LogSegment[];
  private readonly logger: StorageLogger;
  private flushedTo: number;
  private unflushed = 0;
  private totalBytes: number;
  private fresh: boolean;

  constructor(opts: DiskPartitionLogOptions) {
    super({ ...opts, logEndOffset: opts.segments[opts.segments.length - 1]!.nextOffset });
    this.dir = opts.dir;
    this.fs = opts.fs ?? nodeFs;
    this.dirFailure = opts.dirFailure ?? new LogDirFailureChannel(opts.dir, opts.logger);
    this.segments = opts.segments;
    this.logger = opts.logger;
    this.flushedTo = opts.recoveryPoint;
    this.totalBytes = this.segments.reduce((n, s) => n + s.size, 0);
    this.fresh = opts.fresh ?? false;
  }

  get size(): number {
    return this.totalBytes;
  }
  get recoveryPoint(): number {
    return this.flushedTo;
  }
  get unflushedMessages(): number {
    return this.unflushed;
  }
  /** Segment base offsets, oldest first (for tests and admin tools). */
  get segmentBaseOffsets(): number[] {
    return this.segments.map((s) => s.baseOffset);
  }
  /** The segments themselves (read-only use: tests and tools). */
  get segmentList(): readonly LogSegment[] {
    return this.segments;
  }

  private get active(): LogSegment {
    return this.segments[this.segments.length - 1]!;
  }

  /** Whether an I/O error took this log's data directory offline (every operation then fails). */
  get offline(): boolean {
    return this.dirFailure.offline !== null;
  }

  /** Appends, reads and flushes fail with KafkaStorageError on an I/O error, and from then on (log-dir-failure.ts). */
  override append(batches: Buffer, leaderEpoch: number): AppendResult {
    return this.dirFailure.guard(
      this.name,
      () => `Error while appending records to ${this.name} in dir ${this.dirFailure.dir}`,
      () => super.append(batches, leaderEpoch),
    );
  }

  override read(fetchOffset: number, opts: ReadOptions): ReadResult {
    return this.dirFailure.guard(
      this.name,
      () => `Exception while reading from ${this.name} in dir ${this.dirFailure.dir}`,
      () => super.read(fetchOffset, opts),
    );
  }

  /** The partition's leader-epoch-checkpoint, or the cache rebuilt from the batch headers when it is missing (one header read per batch). */
  override loadLeaderEpochs(): { entries: EpochEntry[]; rebuilt: boolean } {
    if (this.fresh && this.logEndOffset === this.logStartOffset) {
      this.fresh = false;
      return { entries: [], rebuilt: true };
    }
    const stored = readLeaderEpochCheckpoint(this.dir, this.fs);
    // An empty file with batches stored: one emptied by a crash before it reached the disk.
    if (stored && (stored.length > 0 || this.logEndOffset === this.logStartOffset)) return { entries: stored, rebuilt: false };
    return { entries: rebuildLeaderEpochs(this.batchHeaders(0)), rebuilt: true };
  }

  override saveLeaderEpochs(entries: readonly EpochEntry[], durable = true): void {
    this.dirFailure.guard(
      this.name,
      () => `Error while writing to checkpoint file ${this.dir}/${LEADER_EPOCH_CHECKPOINT}`,
      () => writeLeaderEpochCheckpoint(this.dir, entries, this.fs, durable),
    );
  }

  /**
   * Stored batches' headers from the one holding `fromOffset` (the segment's first if none does) to
   * the end. An I/O error takes the directory offline, as in read().
   */
  *batchHeaders(fromOffset: number): Generator<BatchHeader> {
    this.ensureOpen();
    // Offline already: fail as read() does.
    this.dirFailure.guard(
      this.name,
      () => `Exception while reading from ${this.name} in dir ${this.dirFailure.dir}`,
      () => null,
    );
    try {
      for (let i = this.segmentIndexFor(fromOffset); i < this.segments.length; i++) {
        const seg = this.segments[i]!;
        let pos = 0;
        if (seg.baseOffset < fromOffset) pos = seg.translateOffset(fromOffset)?.position ?? seg.size;
        for (let h = seg.headerAt(pos); h; pos += h.sizeInBytes, h = seg.headerAt(pos)) yield h;
      }
    } catch (err) {
      if (!isIoError(err)) throw err;
      throw this.dirFailure.fail(`Exception while reading from ${this.name} in dir ${this.dirFailure.dir}`, err);
    }
  }

  protected store(batches: Buffer, stamped: StampResult, baseOffset: number, lastOffset: number): void {
    const shouldRoll = this.active.shouldRoll({
      segmentBytes: this.config.segmentBytes,
      segmentMs: this.config.segmentMs,
      segmentIndexBytes: this.config.segmentIndexBytes,
      appendSize: batches.length,
      appendMaxTimestamp: stamped.maxTimestamp,
      appendLastOffset: lastOffset,
      nowMs: this.clock.now(),
    });
    if (shouldRoll) this.roll(baseOffset);
    this.active.append(batches, lastOffset, stamped.maxTimestamp, stamped.offsetOfMaxTimestamp, this.config.indexIntervalBytes);
    this.totalBytes += batches.length;
    this.unflushed += stamped.nextOffset - baseOffset;
  }

  /** Start a new active segment at `baseOffset` (UnifiedLog.roll); the old one is flushed in the background. */
  private roll(baseOffset: number): void {
    this.active.onBecomeInactive();
    this.segments.push(LogSegment.create(this.dir, baseOffset, this.clock.now(), { rollJitterMs: this.rollJitterMs(), fs: this.fs }));
    this.hooks.rolled(this);
  }

  protected readFrom(fetchOffset: number, opts: ReadOptions): ReadResult {
    const chunks: Buffer[] = [];
    let total = 0;
    let budget = Math.max(0, opts.maxBytes);
    let foundFirst = false;
    for (let i = this.segmentIndexFor(fetchOffset); i < this.segments.length; i++) {
      const seg = this.segments[i]!;
      if (seg.baseOffset >= opts.maxOffset) break;
      let start = 0;
      if (!foundFirst) {
        const first = seg.translateOffset(fetchOffset);
        if (!first) continue; // nothing at or after fetchOffset here (gap at the end): next segment
        if (first.lastOffset >= opts.maxOffset) break;
        if (opts.minOneBatch && first.sizeInBytes > budget) budget = first.sizeInBytes;
        start = first.position;
        foundFirst = true;
      }
      // Bytes up to the first batch reaching maxOffset (Kafka's maxPosition), or the whole segment.
      const upper = i + 1 < this.segments.length ? this.segments[i + 1]!.baseOffset : this.nextOffset;
      const end = opts.maxOffset >= upper ? seg.size : (seg.translateOffset(opts.maxOffset, start)?.position ?? seg.size);
      const length = Math.min(end - start, budget);
      if (length > 0) {
        chunks.push(seg.read(start, length, opts.alloc));
        total += length;
        budget -= length;
      }
      if (budget <= 0 || end < seg.size) break;
      if (opts.oneSegment) {
        const next = this.segments[i + 1];
        if (total > 0 && next !== undefined && next.baseOffset < opts.maxOffset) return { chunks, bytes: total, moreInLaterSegments: true };
        if (total > 0) break;
      }
    }
    return { chunks, bytes: total };
  }

  offsetForTimestamp(ts: number, maxOffset: number): TimestampLookup | null {
    this.ensureOpen();
    const from = this.startOffset;
    return offsetForTimestamp(this.segments, this.segmentIndexFor(from), ts, from, maxOffset, this.decode);
  }

  maxTimestamp(maxOffset: number): TimestampLookup | null {
    this.ensureOpen();
    return maxTimestampRecord(this.segments, this.nextOffset, maxOffset, this.decode);
  }

  // ---- flushing --------------------------------------------------------------------------

  flush(): void {
    this.dirFailure.guard(
      this.name,
      () => `Error while flushing log for ${this.name} in dir ${this.dirFailure.dir} with offset ${this.nextOffset}`,
      () => this.flushAll(),
    );
  }

  private flushAll(): void {
    this.ensureOpen();
    for (let i = 0; i < this.segments.length - 1; i++) {
      this.segments[i]!.flush();
      this.segments[i]!.makeReadOnly();
    }
    this.active.flush();
    this.flushedTo = this.nextOffset;
    this.unflushed = 0;
  }

  flushInactive(): void {
    if (this.closed || this.dirFailure.offline) return;
    this.dirFailure.guard(
      this.name,
      () => `Error while flushing log for ${this.name} in dir ${this.dirFailure.dir} with offset ${this.active.baseOffset}`,
      () => {
        for (let i = 0; i < this.segments.length - 1; i++) this.segments[i]!.flush();
      },
    );
    this.flushedTo = Math.max(this.flushedTo, this.active.baseOffset);
  }

  /**
   * Write the active segment's index entries still held in memory to their files (they go in
   * batches, index-file.ts), so a copy of the files taken now has every entry (DiskStore.logImages).
   */
  writePendingIndexEntries(): void {
    if (this.closed) return;
    this.active.offsetIndex.writePending();
    this.active.timeIndex.writePending();
  }

  /** The active segment's end as it is in memory (null once closed). */
  activeEnd(): SegmentEnd | null {
    return this.closed ? null : this.active.endState();
  }

  // ---- truncation ------------------------------------------------------------------------

  protected truncateTail(offset: number): void {
    // Segments starting past `offset` go whole; the one holding it is cut and becomes the active one.
    while (this.segments.length > 1 && this.active.baseOffset > offset) {
      const seg = this.segments.pop()!;
      this.totalBytes -= seg.size;
      this.retire(seg);
    }
    this.totalBytes -= this.active.truncateTo(offset);
    this.truncated(offset);
  }

  protected truncateFullyAndStartAt(offset: number): void {
    for (const seg of this.segments.splice(0)) this.retire(seg);
    this.segments.push(LogSegment.create(this.dir, offset, this.clock.now(), { rollJitterMs: this.rollJitterMs(), fs: this.fs }));
    this.totalBytes = 0;
    this.truncated(offset);
  }

  private truncated(offset: number): void {
    fsyncDir(this.dir, this.fs);
    truncateProducerStateFiles(this.dir, offset, this.fs);
    this.flushedTo = Math.min(this.flushedTo, offset);
    this.logger.info({ partition: this.name, offset }, `truncated ${this.name} to offset ${offset}`);
  }

  // ---- retention -------------------------------------------------------------------------

  deleteOldSegments(nowMs: number): number {
    if (this.closed) return 0;
    const decision = segmentsToDelete(this.view(), this.config, nowMs);
    if (decision.count === 0) return 0;
    const gone = this.segments.splice(0, decision.count);
    for (const seg of gone) this.totalBytes -= seg.size;
    // The files are renamed `.deleted` a few segments per turn of the event loop (LogManager.retireLater).
    this.hooks.retireLater(
      this,
      gone.map((seg) => () => this.retire(seg)),
      () => fsyncDir(this.dir, this.fs),
    );
    const from = this.startOffset;
    this.startOffset = Math.max(this.startOffset, this.segments[0]!.baseOffset);
    this.flushedTo = Math.max(this.flushedTo, this.startOffset);
    this.logger.info(
      { partition: this.name, segments: gone.map((s) => s.baseOffset), reasons: decision.reasons, logStartOffset: this.startOffset },
      `deleted ${gone.length} old segment(s) of ${this.name} (${decision.reasons.join(', ')}); log start offset ${from} -> ${this.startOffset}`,
    );
    return gone.length;
  }

  /** Rename a segment's files `.deleted` and have them removed after file.delete.delay.ms. */
  private retire(seg: LogSegment): void {
    seg.changeSuffix('.deleted');
    this.hooks.deleteLater(seg.files, this.config.fileDeleteDelayMs);
  }

  protected segmentView(): SegmentView {
    const segs = this.segments;
    return {
      segmentCount: segs.length,
      baseOffset: (i) => segs[i]!.baseOffset,
      sizeOf: (i) => segs[i]!.size,
      largestTimestamp: (i) => segs[i]!.largestTimestamp(),
      firstBatchTimestamp: (i) => segs[i]!.headerAt(0)?.maxTimestamp ?? -1,
    };
  }

  // ---- compaction ------------------------------------------------------------------------

  /**
   * A cleaning pass for the cleaner's worker thread (storage/cleaner-worker.ts): on the real disk,
   * for a log of at least OFFLOAD_MIN_BYTES in its cleanable range. Null: clean in steps on this thread.
   */
  offloadCleaning(nowMs: number, mapCapacity: number): OffloadedPass | null {
    if (this.closed || !this.fs.realDisk || !this.config.cleanupPolicy.includes('compact')) return null;
    const range = this.cleanableRange(nowMs);
    if (range.cleanBytes + range.dirtyBytes < OFFLOAD_MIN_BYTES) return null;
    const pass = { config: this.config, nowMs, checkpoint: this.dirtyFrom, mapCapacity, latestDeleteHorizon: this.deleteHorizon };
    const request = cleanRequest(this.cleanableLog(nowMs), this.segments, this.dir, pass);
    return {
      request,
      complete: (result) => {
        if (this.closed) {
          discardCleaned(this.dir, this.fs, result);
          return false;
        }
        try {
          completeCleaning(this.cleanTarget(nowMs), request, result);
        } catch (err) {
          discardCleaned(this.dir, this.fs, result);
          throw err;
        }
        if (result.outcome === null) return false;
        this.applyCleaning(result.outcome);
        return true;
      },
      discard: (result) => discardCleaned(this.dir, this.fs, result),
    };
  }

  private cleanTarget(nowMs: number): DiskCleanTarget {
    return {
      dir: this.dir,
      fs: this.fs,
      segmentList: this.segments,
      indexIntervalBytes: this.config.indexIntervalBytes,
      nowMs,
      retire: (seg) => this.retire(seg),
      replace: (first, count, replacement) => {
        const old = this.segments.splice(first, count, replacement);
        for (const seg of old) this.totalBytes -= seg.size;
        this.totalBytes += replacement.size;
      },
    };
  }

  protected cleanableLog(nowMs: number): CleanableLog {
    const target = this.cleanTarget(nowMs);
    return {
      ...this.view(),
      batchesOf: (i) => segmentBatches(this.segments[i]!),
      groupItem: (i): GroupItem => {
        const seg = this.segments[i]!;
        return {
          baseOffset: seg.baseOffset,
          upperOffset: i + 1 < this.segments.length ? this.segments[i + 1]!.baseOffset : this.nextOffset,
          size: seg.size,
          offsetIndexBytes: seg.offsetIndex.sizeInBytes,
          timeIndexBytes: seg.timeIndex.sizeInBytes,
        };
      },
      beginGroup: (first, count): GroupWriter => new DiskGroupWriter(target, first, count),
    };
  }

  protected override cleaned(outcome: CleanOutcome): void {
    this.logger.info(
      {
        partition: this.name,
        firstDirtyOffset: outcome.endOffset,
        segments: outcome.segmentsCleaned,
        batchesRemoved: outcome.batchesRemoved,
      },
      `cleaned ${this.name} up to offset ${outcome.endOffset}`,
    );
  }

  // ---- lifecycle -------------------------------------------------------------------------

  /** Flush, write the final time index entry, close every descriptor. */
  close(): void {
    if (this.closed) return;
    this.active.writeFinalTimeIndexEntry();
    this.flushedTo = this.nextOffset;
    this.unflushed = 0;
    this.closed = true;
    let failure: unknown;
    for (const seg of this.segments) {
      try {
        seg.close(true);
      } catch (err) {
        failure ??= err;
      }
    }
    if (failure !== undefined) throw failure;
  }

  /** Close descriptors without flushing or final index entries (what a crash leaves). */
  abandon(): void {
    if (this.closed) return;
    this.closed = true;
    for (const seg of this.segments) seg.close(false);
  }

  /** Index of the segment holding `offset`: the last one whose base is <= offset. */
  private segmentIndexFor(offset: number): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.segments[mid]!.baseOffset <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
