// In-memory LogStore: same offsets, read slicing and timestamp answers as the disk store, no
// files. Construction is a few object allocations, so test suites can make thousands of them.

import { LogClosedError, OffsetOutOfRangeError } from '../protocol/errors.js';
import { stampBatches } from './batch.js';
import { decodeRecordTimestamps, firstRecordAtOrAfter, maxRecordOf, type DecodeTimestamps } from './record-timestamps.js';
import type {
  AppendResult,
  LogConfig,
  LogStore,
  PartitionLog,
  ReadOptions,
  ReadResult,
  TimestampLookup,
  TopicRecord,
} from './types.js';
import { randomKafkaUuid } from './uuid.js';

export interface MemoryStoreOptions {
  nodeId?: number;
  clusterId?: string;
  /** Record timestamp decoder for ListOffsets by time; defaults to decodeRecordTimestamps (decompresses). */
  decodeTimestamps?: DecodeTimestamps;
}

export class MemoryStore implements LogStore {
  readonly kind = 'memory' as const;
  readonly clusterId: string;
  readonly nodeId: number;
  private readonly decode: DecodeTimestamps;
  private topics: TopicRecord[] = [];
  private readonly logs = new Map<string, MemoryPartitionLog>();
  private closed = false;

  constructor(opts: MemoryStoreOptions = {}) {
    this.nodeId = opts.nodeId ?? 1;
    this.clusterId = opts.clusterId ?? randomKafkaUuid();
    this.decode = opts.decodeTimestamps ?? decodeRecordTimestamps;
  }

  loadTopics(): TopicRecord[] {
    return this.topics.map(copyTopic);
  }

  saveTopics(topics: TopicRecord[]): void {
    this.topics = topics.map(copyTopic);
  }

  openLog(topic: string, partition: number, _topicId: string, config: LogConfig): PartitionLog {
    if (this.closed) throw new LogClosedError('memory store');
    const key = `${topic}-${partition}`;
    let log = this.logs.get(key);
    if (log) {
      log.updateConfig(config);
      return log;
    }
    log = new MemoryPartitionLog(topic, partition, config, this.decode);
    this.logs.set(key, log);
    return log;
  }

  deleteLog(topic: string, partition: number): void {
    const key = `${topic}-${partition}`;
    this.logs.get(key)?.close();
    this.logs.delete(key);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const log of this.logs.values()) log.close();
    this.logs.clear();
  }
}

function copyTopic(t: TopicRecord): TopicRecord {
  return { name: t.name, id: t.id, partitions: t.partitions, configs: { ...t.configs } };
}

/**
 * Batches kept as separate Buffers with parallel arrays of base/last offsets and a running maximum
 * of batch maxTimestamps (non-decreasing, so timestamp lookups are binary searches too).
 */
export class MemoryPartitionLog implements PartitionLog {
  private readonly batches: Buffer[] = [];
  private readonly bases: number[] = [];
  private readonly lasts: number[] = [];
  private readonly batchMaxTs: number[] = [];
  private readonly prefixMaxTs: number[] = [];
  private startOffset = 0;
  private nextOffset = 0;
  private bytes = 0;
  private closed = false;
  private config: LogConfig;

  constructor(
    readonly topic: string,
    readonly partition: number,
    config: LogConfig,
    private readonly decode: DecodeTimestamps,
  ) {
    this.config = config;
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
    return this.bytes;
  }
  /** Settings in force (unused in memory apart from being kept for retention later). */
  get logConfig(): LogConfig {
    return this.config;
  }

  append(batches: Buffer, leaderEpoch: number): AppendResult {
    if (this.closed) throw new LogClosedError(`log ${this.topic}-${this.partition}`);
    const baseOffset = this.nextOffset;
    const stamped = stampBatches(batches, baseOffset, leaderEpoch);
    for (const b of stamped.batches) {
      // Copy: the caller's buffer is usually a slice of a whole request frame.
      this.batches.push(Buffer.from(batches.subarray(b.position, b.position + b.sizeInBytes)));
      this.bases.push(b.baseOffset);
      this.lasts.push(b.lastOffset);
      this.batchMaxTs.push(b.maxTimestamp);
      const prev = this.prefixMaxTs.length > 0 ? this.prefixMaxTs[this.prefixMaxTs.length - 1]! : -Infinity;
      this.prefixMaxTs.push(Math.max(prev, b.maxTimestamp));
      this.bytes += b.sizeInBytes;
    }
    this.nextOffset = stamped.nextOffset;
    return { baseOffset, lastOffset: stamped.nextOffset - 1, maxTimestamp: stamped.maxTimestamp };
  }

  read(fetchOffset: number, opts: ReadOptions): ReadResult {
    if (this.closed) throw new LogClosedError(`log ${this.topic}-${this.partition}`);
    if (fetchOffset < this.startOffset || fetchOffset > this.nextOffset) {
      throw new OffsetOutOfRangeError(fetchOffset, this.startOffset, this.nextOffset, `${this.topic}-${this.partition}`);
    }
    const chunks: Buffer[] = [];
    let i = lowerBound(this.lasts, fetchOffset);
    if (i >= this.batches.length || this.lasts[i]! >= opts.maxOffset) return { chunks, bytes: 0 };
    const first = this.batches[i]!;
    let budget = Math.max(0, opts.maxBytes);
    if (opts.minOneBatch && first.length > budget) budget = first.length;
    let total = 0;
    while (budget > 0 && i < this.batches.length && this.lasts[i]! < opts.maxOffset) {
      const batch = this.batches[i]!;
      const take = Math.min(batch.length, budget);
      chunks.push(take === batch.length ? batch : batch.subarray(0, take));
      total += take;
      budget -= take;
      i++;
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

  updateConfig(config: LogConfig): void {
    this.config = config;
  }

  flush(): void {
    // Nothing to make durable.
  }

  close(): void {
    this.closed = true;
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
