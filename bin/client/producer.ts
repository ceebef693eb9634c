// A batching producer for one topic: records are grouped per partition into magic-2 batches
// (protocol/records buildBatch) and sent to each partition's leader with up to `maxInFlight`
// Produce requests outstanding. Keyed records go where Kafka's Java client puts them (murmur2);
// unkeyed ones stick to one partition per batch, then move on (Kafka's sticky partitioner).
// Order per partition holds: requests to a node share one connection, and brokers answer a
// connection's requests in order.

import { ErrorCode } from '../../protocol/errors.js';
import { Produce } from '../../protocol/messages/index.js';
import { buildBatch, type RecordInput } from '../../protocol/records/index.js';
import { partitionForKey } from '../../broker/http/partitioner.js';
import { check, KafkaError, type KafkaClient, type TopicMetadata } from './client.js';

export interface ProducerRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers?: Array<{ key: string; value: Buffer | null }>;
  partition?: number;
  timestamp?: number;
}

export interface ProducerOptions {
  /** 1 (leader) or -1 (all). */
  acks?: 1 | -1;
  /** Compression codec id (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd). */
  compression?: number;
  batchRecords?: number;
  batchBytes?: number;
  maxInFlight?: number;
}

interface Pending {
  records: RecordInput[];
  bytes: number;
}

export class Producer {
  /** Records acknowledged by the broker so far. */
  acked = 0;
  /** Bytes of the batches acknowledged so far. */
  ackedBytes = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly inFlight = new Set<Promise<void>>();
  private failure: Error | null = null;
  private sticky: number;
  private readonly opts: Required<ProducerOptions>;

  constructor(
    private readonly client: KafkaClient,
    private readonly topic: TopicMetadata,
    opts: ProducerOptions = {},
  ) {
    this.opts = {
      acks: opts.acks ?? 1,
      compression: opts.compression ?? 0,
      batchRecords: opts.batchRecords ?? 2000,
      batchBytes: opts.batchBytes ?? 512 * 1024,
      maxInFlight: opts.maxInFlight ?? 5,
    };
    this.sticky = Math.floor(Math.random() * topic.partitions.length);
  }

  private partitionOf(r: ProducerRecord): number {
    const count = this.topic.partitions.length;
    if (r.partition !== undefined) {
      if (r.partition < 0 || r.partition >= count)
        throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `${this.topic.name} has no partition ${r.partition}`);
      return r.partition;
    }
    return r.key ? partitionForKey(r.key, count) : this.sticky;
  }

  /** Queue a record; resolves once it is buffered (waiting while too many requests are out). */
  async send(r: ProducerRecord): Promise<void> {
    if (this.failure) throw this.failure;
    const partition = this.partitionOf(r);
    let batch = this.pending.get(partition);
    if (!batch) {
      batch = { records: [], bytes: 0 };
      this.pending.set(partition, batch);
    }
    batch.records.push({ key: r.key, value: r.value, headers: r.headers, timestamp: r.timestamp ?? Date.now() });
    batch.bytes += (r.key?.length ?? 0) + (r.value?.length ?? 0) + 16;
    if (batch.records.length >= this.opts.batchRecords || batch.bytes >= this.opts.batchBytes) await this.dispatch(partition);
  }

  /** Send everything buffered and wait for every acknowledgement. */
  async flush(): Promise<void> {
    for (const partition of [...this.pending.keys()]) await this.dispatch(partition);
    while (this.inFlight.size > 0) await Promise.race(this.inFlight);
    if (this.failure) throw this.failure;
  }

  private async dispatch(partition: number): Promise<void> {
    const batch = this.pending.get(partition);
    if (!batch || batch.records.length === 0) return;
    this.pending.delete(partition);
    if (partition === this.sticky && this.topic.partitions.length > 1) this.sticky = (this.sticky + 1) % this.topic.partitions.length;
    while (this.inFlight.size >= this.opts.maxInFlight) await Promise.race(this.inFlight);
    if (this.failure) throw this.failure;
    const bytes = buildBatch({ records: batch.records, compression: this.opts.compression });
    const leader = this.topic.partitions.find((p) => p.partition === partition)!.leader;
    const count = batch.records.length;
    const request = this.client
      .send(
        Produce,
        () => ({
          transactionalId: null,
          acks: this.opts.acks,
          timeoutMs: 30_000,
          topicData: [{ name: this.topic.name, partitionData: [{ index: partition, records: bytes }] }],
        }),
        { node: leader },
      )
      .then(({ response }) => {
        for (const t of response.responses)
          for (const p of t.partitionResponses) check(p.errorCode, p.errorMessage ?? `${t.name}-${p.index}`);
        this.acked += count;
        this.ackedBytes += bytes.length;
      })
      .catch((err: Error) => {
        this.failure ??= err;
      })
      .finally(() => this.inFlight.delete(request));
    this.inFlight.add(request);
  }
}
