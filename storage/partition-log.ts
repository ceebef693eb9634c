// A partition's log on disk: an ordered list of segments, the last one active. Owns the offsets
// (log start = first segment's base, log end = next offset, HW = LEO on a single replica).

import fs from 'node:fs';
import { LogClosedError, OffsetOutOfRangeError } from '../protocol/errors.js';
import { stampBatches } from './batch.js';
import type { Clock } from './clock.js';
import { maxRecordOf, type DecodeTimestamps } from './record-timestamps.js';
import { LogSegment } from './segment.js';
import type { AppendResult, LogConfig, PartitionLog, ReadOptions, ReadResult, TimestampLookup } from './types.js';

export interface DiskPartitionLogOptions {
  dir: string;
  topic: string;
  partition: number;
  config: LogConfig;
  clock: Clock;
  decodeTimestamps: DecodeTimestamps;
  /** From the LogLoader: in offset order, never empty, the last one active. */
  segments: LogSegment[];
}

export class DiskPartitionLog implements PartitionLog {
  readonly topic: string;
  readonly partition: number;
  readonly dir: string;
  private readonly segments: LogSegment[];
  private config: LogConfig;
  private readonly clock: Clock;
  private readonly decode: DecodeTimestamps;
  private nextOffset: number;
  private totalBytes: number;
  private closed = false;

  constructor(opts: DiskPartitionLogOptions) {
    this.topic = opts.topic;
    this.partition = opts.partition;
    this.dir = opts.dir;
    this.segments = opts.segments;
    this.config = opts.config;
    this.clock = opts.clock;
    this.decode = opts.decodeTimestamps;
    this.nextOffset = this.active.nextOffset;
    this.totalBytes = this.segments.reduce((n, s) => n + s.size, 0);
  }

  get logStartOffset(): number {
    return this.segments[0]!.baseOffset;
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
  /** Segment base offsets, oldest first (for tests and admin tools). */
  get segmentBaseOffsets(): number[] {
    return this.segments.map((s) => s.baseOffset);
  }
  get logConfig(): LogConfig {
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
    return { baseOffset, lastOffset, maxTimestamp: stamped.maxTimestamp };
  }

  /** Start a new active segment at `baseOffset` (UnifiedLog.roll). */
  private roll(baseOffset: number): void {
    this.active.onBecomeInactive();
    this.segments.push(LogSegment.create(this.dir, baseOffset, this.clock.now()));
  }

  read(fetchOffset: number, opts: ReadOptions): ReadResult {
    this.ensureOpen();
    if (fetchOffset < this.logStartOffset || fetchOffset > this.nextOffset) {
      throw new OffsetOutOfRangeError(fetchOffset, this.logStartOffset, this.nextOffset, this.name);
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
    const startingOffset = this.logStartOffset;
    for (const seg of this.segments) {
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
    const baseOffset = h.baseOffset;
    return maxRecordOf(best.seg.read(h.position, h.sizeInBytes), baseOffset, this.decode);
  }

  updateConfig(config: LogConfig): void {
    this.config = config;
  }

  flush(): void {
    this.ensureOpen();
    for (let i = 0; i < this.segments.length - 1; i++) this.segments[i]!.makeReadOnly();
    this.active.flush();
  }

  /** Flush, write the final time index entry, close every descriptor. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.active.writeFinalTimeIndexEntry();
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

  /** Close and remove the partition directory. */
  deleteFiles(): void {
    this.abandon();
    fs.rmSync(this.dir, { recursive: true, force: true });
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
