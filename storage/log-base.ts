// What the memory and the disk partition logs share: the offsets a log owns (log start, log end,
// HW = LEO on a single replica, cleaner checkpoint and delete horizon), the resolved config, the
// closed flag, and the steps of append, read, DeleteRecords and cleaning that do not depend on
// where the batches live. The subclasses own their segments, bytes and flush state.

import type { BatchHeader } from '../protocol/records/index.js';
import { LogClosedError, OffsetOutOfRangeError } from '../protocol/errors.js';
import { stampBatches, type StampResult } from './batch.js';
import type { Clock } from './clock.js';
import type { EpochEntry } from './leader-epoch-checkpoint.js';
import { cleanableRange, type CleanableRange, type CleanerView } from './compaction.js';
import { cleaningSteps, type CleanableLog, type CleanOutcome } from './log-cleaner.js';
import type { LogHooks, ManagedLog } from './log-manager.js';
import type { DecodeTimestamps } from './record-timestamps.js';
import type { RetentionView } from './retention.js';
import {
  resolveLogConfig,
  type AppendResult,
  type LogConfig,
  type PartitionLog,
  type ReadOptions,
  type ReadResult,
  type ResolvedLogConfig,
  type TimestampLookup,
} from './types.js';

/** The per-segment part of the retention and cleaner views. */
export type SegmentView = Pick<CleanerView, 'segmentCount' | 'baseOffset' | 'sizeOf' | 'largestTimestamp' | 'firstBatchTimestamp'>;

export interface LogBaseOptions {
  topic: string;
  partition: number;
  config: LogConfig;
  clock: Clock;
  decodeTimestamps: DecodeTimestamps;
  hooks: LogHooks;
  logStartOffset: number;
  logEndOffset: number;
  /** The cleaner checkpoint (null: never cleaned). */
  firstDirtyOffset: number | null;
}

export abstract class PartitionLogBase implements PartitionLog, ManagedLog {
  readonly topic: string;
  readonly partition: number;
  protected config: ResolvedLogConfig;
  protected readonly clock: Clock;
  protected readonly decode: DecodeTimestamps;
  protected readonly hooks: LogHooks;
  protected startOffset: number;
  protected nextOffset: number;
  protected dirtyFrom: number | null;
  protected deleteHorizon = -1;
  protected closed = false;

  constructor(opts: LogBaseOptions) {
    this.topic = opts.topic;
    this.partition = opts.partition;
    this.config = resolveLogConfig(opts.config);
    this.clock = opts.clock;
    this.decode = opts.decodeTimestamps;
    this.hooks = opts.hooks;
    this.startOffset = opts.logStartOffset;
    this.nextOffset = opts.logEndOffset;
    this.dirtyFrom = opts.firstDirtyOffset;
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
  get firstDirtyOffset(): number | null {
    return this.dirtyFrom;
  }
  get latestDeleteHorizon(): number {
    return this.deleteHorizon;
  }
  get logConfig(): ResolvedLogConfig {
    return this.config;
  }

  abstract readonly size: number;
  abstract readonly recoveryPoint: number;
  abstract readonly unflushedMessages: number;
  /** Segment base offsets, oldest first (for tests and admin tools). */
  abstract readonly segmentBaseOffsets: number[];

  protected get name(): string {
    return `${this.topic}-${this.partition}`;
  }

  protected ensureOpen(): void {
    if (this.closed) throw new LogClosedError(`log ${this.name}`);
  }

  /** segment.jitter.ms for a new segment: random, below both the jitter and segment.ms. */
  protected rollJitterMs(): number {
    return this.config.segmentJitterMs > 0 ? Math.floor(Math.random() * Math.min(this.config.segmentJitterMs, this.config.segmentMs)) : 0;
  }

  append(batches: Buffer, leaderEpoch: number): AppendResult {
    this.ensureOpen();
    const baseOffset = this.nextOffset;
    const stamped = stampBatches(batches, baseOffset, leaderEpoch);
    const lastOffset = stamped.nextOffset - 1;
    this.store(batches, stamped, baseOffset, lastOffset);
    this.nextOffset = stamped.nextOffset;
    this.hooks.appended(this);
    return { baseOffset, lastOffset, maxTimestamp: stamped.maxTimestamp };
  }

  /** Keep the stamped `batches` (offsets baseOffset..lastOffset), rolling a segment first if due. */
  protected abstract store(batches: Buffer, stamped: StampResult, baseOffset: number, lastOffset: number): void;

  read(fetchOffset: number, opts: ReadOptions): ReadResult {
    this.ensureOpen();
    if (fetchOffset < this.startOffset || fetchOffset > this.nextOffset) {
      throw new OffsetOutOfRangeError(fetchOffset, this.startOffset, this.nextOffset, this.name);
    }
    return this.readFrom(fetchOffset, opts);
  }

  /** read() once `fetchOffset` is known to be in [log start, log end]. */
  protected abstract readFrom(fetchOffset: number, opts: ReadOptions): ReadResult;

  abstract offsetForTimestamp(ts: number, maxOffset: number): TimestampLookup | null;
  abstract batchHeaders(fromOffset: number): Iterable<BatchHeader>;
  abstract maxTimestamp(maxOffset: number): TimestampLookup | null;

  deleteRecordsBefore(offset: number): number {
    this.ensureOpen();
    if (offset > this.highWatermark || offset < 0) {
      throw new OffsetOutOfRangeError(offset, this.startOffset, this.highWatermark, this.name);
    }
    if (offset > this.startOffset) this.startOffset = offset;
    return this.startOffset;
  }

  truncateTo(offset: number): boolean {
    this.ensureOpen();
    if (offset >= this.nextOffset) return false;
    this.hooks.truncating(this);
    if (this.segmentView().baseOffset(0) > offset) {
      this.truncateFullyAndStartAt(offset);
      this.startOffset = offset;
    } else {
      this.truncateTail(offset);
      this.startOffset = Math.min(this.startOffset, offset);
    }
    this.nextOffset = offset;
    // The cleaner checkpoint may not point past the end (LogCleanerManager.maybeTruncateCheckpoint).
    if (this.dirtyFrom !== null && this.dirtyFrom > offset) this.dirtyFrom = offset;
    return true;
  }

  /** truncateTo() for first segment base <= offset < log end: drop the batches at and past `offset`. */
  protected abstract truncateTail(offset: number): void;

  /** truncateTo() below the first segment: drop everything, one empty segment at `offset` (UnifiedLog.truncateFullyAndStartAt). */
  protected abstract truncateFullyAndStartAt(offset: number): void;

  /** In memory: no file (DiskPartitionLog overrides). */
  loadLeaderEpochs(): { entries: EpochEntry[]; rebuilt: boolean } | null {
    return null;
  }

  saveLeaderEpochs(_entries: readonly EpochEntry[], _durable = true): void {}

  updateConfig(config: LogConfig): void {
    this.config = resolveLogConfig(config);
    this.hooks.configChanged(this);
  }

  abstract flush(): void;
  abstract flushInactive(): void;
  abstract close(): void;
  abstract deleteOldSegments(nowMs: number): number;

  // ---- retention and compaction views ------------------------------------------------------

  protected abstract segmentView(): SegmentView;

  protected view(): RetentionView & CleanerView {
    return {
      ...this.segmentView(),
      totalSize: this.size,
      highWatermark: this.highWatermark,
      logStartOffset: this.startOffset,
      logEndOffset: this.nextOffset,
    };
  }

  cleanableRange(nowMs: number): CleanableRange {
    return cleanableRange(this.view(), this.config, nowMs, this.dirtyFrom);
  }

  clean(nowMs: number, mapCapacity: number): boolean {
    const steps = this.cleaning(nowMs, mapCapacity);
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
    }
  }

  /** clean() in steps (storage/log-cleaner.ts cleaningSteps), for a cleaner that gives the event loop back between them. */
  *cleaning(nowMs: number, mapCapacity: number): Generator<number, boolean> {
    if (this.closed || !this.config.cleanupPolicy.includes('compact')) return false;
    const outcome = yield* cleaningSteps(this.cleanableLog(nowMs), {
      config: this.config,
      nowMs,
      checkpoint: this.dirtyFrom,
      mapCapacity,
      latestDeleteHorizon: this.deleteHorizon,
    });
    if (outcome === null || this.closed) return false;
    this.applyCleaning(outcome);
    return true;
  }

  /** A pass is over: move the cleaner checkpoint and the delete horizon. */
  protected applyCleaning(outcome: CleanOutcome): void {
    this.dirtyFrom = outcome.endOffset;
    this.deleteHorizon = outcome.latestDeleteHorizon;
    this.cleaned(outcome);
  }

  /** The log as the cleaner sees it: the view plus batch access and group replacement. */
  protected abstract cleanableLog(nowMs: number): CleanableLog;

  /** After a cleaning pass moved the checkpoint (logging). */
  protected cleaned(_outcome: CleanOutcome): void {}
}
