// The internal topic `__consumer_offsets`: where the coordinator's records live (README §9.1-9.2).
// Created on first need with offsets.topic.num.partitions partitions, cleanup.policy=compact and
// segment.bytes=offsets.topic.segment.bytes; TopicManager marks it internal. Group g lives in
// partition abs(javaStringHashCode(g)) % partitions, and that partition's leader is g's
// coordinator.
//
// Appends go through Partition.append like any produce (the partition log owns the bytes and
// offsets): all records of one operation in one batch, CreateTime = now. replay() reads every
// partition from log start to the high watermark at start-up. Transactional offset commits
// (written by the transaction coordinator, broker/txn/) count once their COMMIT marker is met;
// those still open at the end are left in openTransactionalOffsets.

import type { Logger } from 'pino';
import type { BrokerConfig } from '../../config/index.js';
import { buildBatch, decodeBatchRecords, iterateEntries } from '../../protocol/records/index.js';
import type { Clock } from '../../storage/clock.js';
import type { Partition } from '../partition.js';
import type { Topic, TopicManager } from '../topics.js';
import { decodeRecord, encodeRecord, partitionFor, type CoordinatorRecord, type OffsetCommitRecord, type OtherRecord } from './records.js';

export const GROUP_METADATA_TOPIC = '__consumer_offsets';

export class OffsetsTopic {
  /**
   * After replay(): offset commits of transactions with no marker yet, by producer id (owner:
   * this class until the transaction coordinator takes them over at its load()).
   */
  readonly openTransactionalOffsets = new Map<number, OffsetCommitRecord[]>();

  constructor(
    private readonly topics: TopicManager,
    private readonly config: BrokerConfig,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** The topic if it exists. */
  get(): Topic | undefined {
    return this.topics.get(GROUP_METADATA_TOPIC);
  }

  /** The topic, created now if needed (FindCoordinator, the first group request). */
  ensure(): Topic {
    const existing = this.get();
    if (existing) return existing;
    const res = this.topics.create(GROUP_METADATA_TOPIC, {
      partitions: this.config.int('offsets.topic.num.partitions'),
      configs: {
        'cleanup.policy': 'compact',
        'compression.type': 'producer',
        'segment.bytes': String(this.config.int('offsets.topic.segment.bytes')),
      },
    });
    if (!res.topic) throw new Error(`cannot create ${GROUP_METADATA_TOPIC}: ${res.errorMessage ?? res.errorCode}`);
    this.log.info({ topic: GROUP_METADATA_TOPIC, partitions: res.topic.partitions.length }, 'created the group coordinator topic');
    return res.topic;
  }

  /** Partition index of a group, with the topic's real partition count once it exists. */
  partitionOf(groupId: string): number {
    const n = this.get()?.partitions.length ?? this.config.int('offsets.topic.num.partitions');
    return partitionFor(groupId, n);
  }

  /** The partition holding a group's records (creating the topic if needed). */
  partitionFor(groupId: string): Partition {
    const topic = this.ensure();
    return topic.partitions[partitionFor(groupId, topic.partitions.length)]!;
  }

  /** Append the records of one operation on a group, as one batch. Throws if the log refuses. */
  append(groupId: string, records: readonly CoordinatorRecord[]): void {
    if (records.length === 0) return;
    const now = this.clock.now();
    const batch = buildBatch({
      records: records.map((r) => ({ ...encodeRecord(r), timestamp: now })),
      compression: this.config.int('offsets.topic.compression.codec'),
    });
    this.partitionFor(groupId).append(batch);
  }

  /** Visit every record stored, partition by partition in offset order. Returns the count. */
  replay(visit: (rec: CoordinatorRecord | OtherRecord) => void): number {
    const topic = this.get();
    if (!topic) return 0;
    const maxBytes = this.config.int('offsets.load.buffer.size');
    let count = 0;
    for (const p of topic.partitions) {
      let offset = p.log.logStartOffset;
      const end = p.log.highWatermark;
      while (offset < end) {
        const read = p.log.read(offset, { maxBytes, maxOffset: end, minOneBatch: true });
        if (read.bytes === 0) break;
        const buf = read.chunks.length === 1 ? read.chunks[0]! : Buffer.concat(read.chunks);
        const before = offset;
        for (const entry of iterateEntries(buf)) {
          if (entry.magic !== 2) continue;
          const batch = decodeBatchRecords(buf, entry.position);
          const h = batch.header;
          if (h.lastOffset < offset) continue;
          if (h.isControl) {
            // Transactional offset commits (TxnOffsetCommit) count from their COMMIT marker on.
            const type = batch.records[0]?.key?.length === 4 ? batch.records[0].key.readInt16BE(2) : -1;
            const pending = this.openTransactionalOffsets.get(h.producerId) ?? [];
            this.openTransactionalOffsets.delete(h.producerId);
            if (type === 1) {
              for (const rec of pending) visit(rec);
              count += pending.length;
            }
          }
          for (const r of h.isControl ? [] : batch.records) {
            if (r.offset < offset || r.key === null) continue;
            try {
              const rec = decodeRecord(r.key, r.value);
              if (h.isTransactional) {
                if (rec.kind === 'offset') this.openTransactionalOffsets.set(h.producerId, [...(this.openTransactionalOffsets.get(h.producerId) ?? []), rec]);
                continue;
              }
              visit(rec);
              count++;
            } catch (err) {
              this.log.warn({ err, partition: p.index, offset: r.offset }, `skipping an unreadable ${GROUP_METADATA_TOPIC} record`);
            }
          }
          offset = h.lastOffset + 1;
        }
        if (offset === before) break;
      }
    }
    return count;
  }
}
