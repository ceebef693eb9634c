// A partition's log on disk: an ordered list of segments, the last one active. Owns the offsets
// (log start, log end, HW = LEO on a single replica, recovery point, cleaner checkpoint) and the
// segment list; retention and the cleaner change the list only through this class. When things
// happen (flush, retention, cleaning) is the LogManager's business (hooks).

import { fsyncDir } from './atomic-file.js';
import { LogClosedError, OffsetOutOfRangeError } from '../protocol/errors.js';
import { stampBatches } from './batch.js';
import type { Clock } from './clock.js';
import { cleanableRange, type CleanableRange, type CleanerView, type GroupItem } from './compaction.js';
import { DiskGroupWriter, runCleaning, type CleanableLog, type DiskCleanTarget, type GroupWriter } from './log-cleaner.js';
import type { LogHooks, ManagedLog } from './log-manager.js';
import { maxRecordOf, type DecodeTimestamps } from './record-timestamps.js';
import { segmentsToDelete, type RetentionView } from './retention.js';
import { LogSegment } from './segment.js';
import { resolveLogConfig, type AppendResult, type LogConfig, type PartitionLog, type ReadOptions, type ReadResult, type ResolvedLogConfig, type TimestampLookup } from './types.js';
import type { StorageLogger } from './logger.js';

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
}

export class DiskPartitionLog implements PartitionLog, ManagedLog {
  readonly topic: string;
  readonly partition: number;
  readonly dir: string;
  private readonly segments: LogSegment[];
  private config: ResolvedLogConfig;
  private readonly clock: Clock;
  private readonly decode: DecodeTimestamps;
  private readonly hooks: LogHooks;
  private readonly logger: StorageLogger;
  private nextOffset: number;
  private startOffset: number;
  private flushedTo: number;
  private unflushed = 0;
  private dirtyFrom: number | null;
  private deleteHorizon = -1;
  private totalBytes: number;
  private closed = false;

  constructor(opts: DiskPartitionLogOptions) {
    this.topic = opts.topic;
    this.partition = opts.partition;
    this.dir = opts.dir;
    this.segments = opts.segments;
    this.config = resolveLogConfig(opts.config);
    this.clock = opts.clock;
    this.decode = opts.decodeTimestamps;
    this.hooks = opts.hooks;
    this.logger = opts.logger;
    this.nextOffset = this.active.nextOffset;
    this.startOffset = opts.logStartOffset;
    this.flushedTo = opts.recoveryPoint;
    this.dirtyFrom = opts.firstDirtyOffset;
    this.totalBytes = this.segments.reduce((n, s) => n + s.size, 0);
  }

  get logStartOffset(): number {
    return this.startOffset;
  }
  get logEndOffset(): number {
    return this.nextOffset;
  }
  get highWatermark(): number {
    return this.nextOffset;
  }
  get size(): number {
    return this.totalBytes;
  }
  get recoveryPoint(): number {
    return this.flushedTo;
  }
  get firstDirtyOffset(): number | null {
    return this.dirtyFrom;
  }
  get latestDeleteHorizon(): number {
    return this.deleteHorizon;
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
  get logConfig(): ResolvedLogConfig {
    return this.config;
  }

  private get active(): LogSegment {
    return this.segments[this.segments.length - 1]!;
  }

  private get name(): string {
    return `${this.topic}-${this.partition}`;
  }

  append(batches: Buffer, leaderEpoch: number): AppendResult {
    this.ensureOpen();
    const baseOffset = this.nextOffset;
    const stamped = stampBatches(batches, baseOffset, leaderEpoch);
    const lastOffset = stamped.nextOffset - 1;
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
    this.nextOffset = stamped.nextOffset;
    this.totalBytes += batches.length;
    this.unflushed += stamped.nextOffset - baseOffset;
    this.hooks.appended(this);
    return { baseOffset, lastOffset, maxTimestamp: stamped.maxTimestamp };
  }

  /** Start a new active segment at `baseOffset` (UnifiedLog.roll); the old one is flushed in the background. */
  private roll(baseOffset: number): void {
    this.active.onBecomeInactive();
    const jitter = this.config.segmentJitterMs > 0 ? Math.floor(Math.random() * Math.min(this.config.segmentJitterMs, this.config.segmentMs)) : 0;
    this.segments.push(LogSegment.create(this.dir, baseOffset, this.clock.now(), { rollJitterMs: jitter }));
    this.hooks.rolled(this);
  }

  read(fetchOffset: number, opts: ReadOptions): ReadResult {
    this.ensureOpen();
    if (fetchOffset < this.startOffset || fetchOffset > this.nextOffset) {
      throw new OffsetOutOfRangeError(fetchOffset, this.startOffset, this.nextOffset, this.name);
    }
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
        chunks.push(seg.read(start, length));
        total += length;
        budget -= length;
      }
      if (budget <= 0 || end < seg.size) break;
    }
    return { chunks, bytes: total };
  }

  offsetForTimestamp(ts: number, maxOffset: number): TimestampLookup | null {
    this.ensureOpen();
    const startingOffset = this.startOffset;
    for (let i = this.segmentIndexFor(startingOffset); i < this.segments.length; i++) {
      const seg = this.segments[i]!;
      if (seg.baseOffset >= maxOffset) return null;
      if (seg.maxTimestampSoFar().timestamp < ts) continue;
      const found = seg.findOffsetByTimestamp(ts, startingOffset, maxOffset, this.decode);
      if (found === 'bound') return null;
      if (found) return found.offset < maxOffset ? found : null;
    }
    return null;
  }

  maxTimestamp(maxOffset: number): TimestampLookup | null {
    this.ensureOpen();
    let best: { timestamp: number; offset: number; seg: LogSegment } | null = null;
    for (let i = 0; i < this.segments.length; i++) {
      const seg = this.segments[i]!;
      if (seg.baseOffset >= maxOffset) break;
      const upper = i + 1 < this.segments.length ? this.segments[i + 1]!.baseOffset : this.nextOffset;
      const m = maxOffset >= upper ? seg.maxTimestampSoFar() : seg.maxTimestampBelow(maxOffset);
      if (m.offset >= 0 && (best === null || m.timestamp > best.timestamp)) best = { ...m, seg };
    }
    if (best === null || best.timestamp < 0) return null;
    const h = best.seg.translateOffset(best.offset);
    if (!h) return null;
    return maxRecordOf(best.seg.read(h.position, h.sizeInBytes), h.baseOffset, this.decode);
  }

  deleteRecordsBefore(offset: number): number {
    this.ensureOpen();
    if (offset > this.highWatermark || offset < 0) {
      throw new OffsetOutOfRangeError(offset, this.startOffset, this.highWatermark, this.name);
    }
    if (offset > this.startOffset) this.startOffset = offset;
    return this.startOffset;
  }

  updateConfig(config: LogConfig): void {
    this.config = resolveLogConfig(config);
    this.hooks.configChanged(this);
  }

  // ---- flushing --------------------------------------------------------------------------

  flush(): void {
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
    if (this.closed) return;
    for (let i = 0; i < this.segments.length - 1; i++) this.segments[i]!.flush();
    this.flushedTo = Math.max(this.flushedTo, this.active.baseOffset);
  }

  // ---- retention -------------------------------------------------------------------------

  deleteOldSegments(nowMs: number): number {
    if (this.closed) return 0;
    const decision = segmentsToDelete(this.view(), this.config, nowMs);
    if (decision.count === 0) return 0;
    const gone = this.segments.splice(0, decision.count);
    for (const seg of gone) {
      this.totalBytes -= seg.size;
      this.retire(seg);
    }
    fsyncDir(this.dir);
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

  private view(): RetentionView & CleanerView {
    const segs = this.segments;
    return {
      segmentCount: segs.length,
      baseOffset: (i) => segs[i]!.baseOffset,
      sizeOf: (i) => segs[i]!.size,
      largestTimestamp: (i) => segs[i]!.largestTimestamp(),
      firstBatchTimestamp: (i) => segs[i]!.headerAt(0)?.maxTimestamp ?? -1,
      totalSize: this.totalBytes,
      highWatermark: this.highWatermark,
      logStartOffset: this.startOffset,
      logEndOffset: this.nextOffset,
    };
  }

  // ---- compaction ------------------------------------------------------------------------

  cleanableRange(nowMs: number): CleanableRange {
    return cleanableRange(this.view(), this.config, nowMs, this.dirtyFrom);
  }

  clean(nowMs: number, mapCapacity: number): boolean {
    if (this.closed || !this.config.cleanupPolicy.includes('compact')) return false;
    const target: DiskCleanTarget = {
      dir: this.dir,
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
    const view = this.view();
    const log: CleanableLog = {
      ...view,
      batchesOf: (i) => batchesOf(this.segments[i]!),
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
    const outcome = runCleaning(log, this.config, nowMs, this.dirtyFrom, mapCapacity, this.deleteHorizon);
    if (outcome === null) return false;
    this.dirtyFrom = outcome.endOffset;
    this.deleteHorizon = outcome.latestDeleteHorizon;
    this.logger.info(
      { partition: this.name, firstDirtyOffset: outcome.endOffset, segments: outcome.segmentsCleaned, batchesRemoved: outcome.batchesRemoved },
      `cleaned ${this.name} up to offset ${outcome.endOffset}`,
    );
    return true;
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

  private ensureOpen(): void {
    if (this.closed) throw new LogClosedError(`log ${this.name}`);
  }
}

/** Every whole batch of a segment, read one at a time. */
function* batchesOf(seg: LogSegment): Generator<Buffer> {
  let pos = 0;
  for (let h = seg.headerAt(0); h; h = seg.headerAt(pos)) {
    yield seg.read(h.position, h.sizeInBytes);
    pos += h.sizeInBytes;
  }
}
