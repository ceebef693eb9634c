// The mechanism shared by kafkalite's internal compacted topics (`__consumer_offsets`, through
// groups/persistence.ts; `__transaction_state`, through txn/state-log.ts): the topic is created on
// first need with its configs (TopicManager owns it and marks it internal), a key (group id,
// transactional id) lives in partition abs(javaStringHashCode(key)) % partitions, appends go
// through Partition.append like any produce (the partition log owns the bytes and offsets) as one
// batch with CreateTime = now, and replay reads every partition from log start to the high
// watermark, batch by batch.
//
// This class owns no state of its own: what the records mean, and anything derived from them
// while replaying, belongs to the class that uses it.

import type { Logger } from 'pino';
import type { BrokerConfig } from '../config/index.js';
import { buildBatch, decodeBatchRecords, iterateEntries, type DecodedBatch } from '../protocol/records/index.js';
import type { Clock } from '../storage/clock.js';
import type { Partition } from './partition.js';
import type { Topic, TopicManager } from './topics.js';

/** Kafka's String.hashCode: s[0]*31^(n-1) + ... over UTF-16 code units, in int32 arithmetic. */
export function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** The partition of a key in an internal topic: abs(hashCode) % partitions, abs(MIN_VALUE) = 0. */
export function partitionFor(key: string, partitions: number): number {
  const h = javaStringHashCode(key);
  const abs = h === -2147483648 ? 0 : Math.abs(h);
  return abs % partitions;
}

export interface InternalTopicSpec {
  /** The topic name. */
  name: string;
  /** Config key of the partition count used when the topic is created, or a fixed count (the Schema Registry's `_schemas` has one partition). */
  partitionsConfig: string | number;
  /** Config key of the replication factor at creation (simulated nodes, broker/replication/). */
  replicationConfig?: string;
  /** Topic configs at creation (read when the topic is created). */
  configs: (config: BrokerConfig) => Record<string, string>;
  /** What the creation log line calls the topic. */
  description: string;
}

/** One encoded record of an internal topic. */
export interface InternalRecord {
  key: Buffer | null;
  value: Buffer | null;
}

export class InternalTopic {
  constructor(
    private readonly topics: TopicManager,
    private readonly config: BrokerConfig,
    private readonly clock: Clock,
    private readonly log: Logger,
    readonly spec: InternalTopicSpec,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  /** The topic if it exists. */
  get(): Topic | undefined {
    return this.topics.get(this.spec.name);
  }

  /** The topic, created now if needed. */
  ensure(): Topic {
    const existing = this.get();
    if (existing) return existing;
    // The configured replication factor, capped at the live nodes (a divergence: Kafka's controller
    // refuses the topic then and coordinators stay unavailable).
    const rf = this.spec.replicationConfig ? this.config.int(this.spec.replicationConfig) : 1;
    const res = this.topics.create(this.spec.name, {
      partitions: this.configuredPartitions(),
      replicationFactor: Math.max(1, Math.min(rf, this.topics.liveNodeCount())),
      configs: this.spec.configs(this.config),
    });
    if (!res.topic) throw new Error(`cannot create ${this.spec.name}: ${res.errorMessage ?? res.errorCode}`);
    this.log.info({ topic: this.spec.name, partitions: res.topic.partitions.length }, `created the ${this.spec.description} topic`);
    return res.topic;
  }

  /** Partition index of a key, with the topic's real partition count once it exists. */
  partitionIndexOf(key: string): number {
    const n = this.get()?.partitions.length ?? this.configuredPartitions();
    return partitionFor(key, n);
  }

  private configuredPartitions(): number {
    const p = this.spec.partitionsConfig;
    return typeof p === 'number' ? p : this.config.int(p);
  }

  /** The partition holding a key's records (creating the topic if needed). */
  partitionFor(key: string): Partition {
    const topic = this.ensure();
    return topic.partitions[partitionFor(key, topic.partitions.length)]!;
  }

  /** Append records to a key's partition as one batch, CreateTime = now. Throws if the log refuses. */
  appendRecords(key: string, records: readonly InternalRecord[], compression: number): void {
    const partition = this.partitionFor(key);
    const now = this.clock.now();
    const batch = buildBatch({ records: records.map((r) => ({ ...r, timestamp: now })), compression });
    partition.append(batch);
  }

  /**
   * Visit every v2 batch stored, partition by partition in offset order, from log start to the
   * high watermark, reading at most `maxBytes` at a time (at least one batch). `from` is the
   * offset the read started at: records of `batch` below it were visited already (or precede
   * the log start) and are to be skipped.
   */
  replayBatches(maxBytes: number, visit: (partition: Partition, batch: DecodedBatch, from: number) => void): void {
    const topic = this.get();
    if (!topic) return;
    for (const p of topic.partitions) {
      let offset = p.log.logStartOffset;
      const end = p.highWatermark;
      while (offset < end) {
        const read = p.log.read(offset, { maxBytes, maxOffset: end, minOneBatch: true });
        if (read.bytes === 0) break;
        const buf = read.chunks.length === 1 ? read.chunks[0]! : Buffer.concat(read.chunks);
        const before = offset;
        for (const entry of iterateEntries(buf)) {
          if (entry.magic !== 2) continue;
          const batch = decodeBatchRecords(buf, entry.position);
          if (batch.header.lastOffset < offset) continue;
          visit(p, batch, offset);
          offset = batch.header.lastOffset + 1;
        }
        if (offset === before) break;
      }
    }
  }
}
