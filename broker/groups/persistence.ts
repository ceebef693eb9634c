// The internal topic `__consumer_offsets`: where the coordinator's records live (Kafka's
// GroupCoordinatorService.partitionFor and CoordinatorRuntime). Created on first need with
// offsets.topic.num.partitions partitions, cleanup.policy=compact and
// segment.bytes=offsets.topic.segment.bytes; TopicManager marks it internal. Group g lives in
// partition abs(javaStringHashCode(g)) % partitions, and that partition's leader is g's
// coordinator.
//
// The topic mechanics (creation, key -> partition, one-batch appends through Partition.append,
// reading every partition back) are InternalTopic's (broker/internal-topic.ts); the bytes and
// offsets are the partition logs'. This class owns the record encoding: all records of one
// operation in one batch, CreateTime = now. replay() reads every partition from log start to
// the high watermark at start-up. Transactional offset commits
// (written by the transaction coordinator, broker/txn/) count once their COMMIT marker is met;
// those still open at the end are left in openTransactionalOffsets.

import type { Logger } from 'pino';
import type { BrokerConfig } from '../../config/index.js';
import type { Clock } from '../../storage/clock.js';
import { InternalTopic } from '../internal-topic.js';
import type { Partition } from '../partition.js';
import { GROUP_METADATA_TOPIC, type Topic, type TopicManager } from '../topics.js';
import { decodeRecord, encodeRecord, type CoordinatorRecord, type OffsetCommitRecord, type OtherRecord } from './records.js';

export { GROUP_METADATA_TOPIC } from '../topics.js';

export class OffsetsTopic {
  /**
   * After replay(): offset commits of transactions with no marker yet, by producer id (owner:
   * this class until the transaction coordinator takes them over at its load()).
   */
  readonly openTransactionalOffsets = new Map<number, OffsetCommitRecord[]>();
  private readonly topic: InternalTopic;

  constructor(
    topics: TopicManager,
    private readonly config: BrokerConfig,
    clock: Clock,
    private readonly log: Logger,
  ) {
    this.topic = new InternalTopic(topics, config, clock, log, {
      name: GROUP_METADATA_TOPIC,
      partitionsConfig: 'offsets.topic.num.partitions',
      replicationConfig: 'offsets.topic.replication.factor',
      configs: (c) => ({
        'cleanup.policy': 'compact',
        'compression.type': 'producer',
        'segment.bytes': String(c.int('offsets.topic.segment.bytes')),
      }),
      description: 'group coordinator',
    });
  }

  /** The topic if it exists. */
  get(): Topic | undefined {
    return this.topic.get();
  }

  /** The topic, created now if needed (FindCoordinator, the first group request). */
  ensure(): Topic {
    return this.topic.ensure();
  }

  /** Partition index of a group, with the topic's real partition count once it exists. */
  partitionOf(groupId: string): number {
    return this.topic.partitionIndexOf(groupId);
  }

  /** The partition holding a group's records (creating the topic if needed). */
  partitionFor(groupId: string): Partition {
    return this.topic.partitionFor(groupId);
  }

  /** Append the records of one operation on a group, as one batch. Throws if the log refuses. */
  append(groupId: string, records: readonly CoordinatorRecord[]): void {
    if (records.length === 0) return;
    this.topic.appendRecords(
      groupId,
      records.map((r) => encodeRecord(r)),
      this.config.int('offsets.topic.compression.codec'),
    );
  }

  /** Visit every record stored, partition by partition in offset order. Returns the count. */
  replay(visit: (rec: CoordinatorRecord | OtherRecord) => void): number {
    let count = 0;
    this.topic.replayBatches(this.config.int('offsets.load.buffer.size'), (p, batch, offset) => {
      const h = batch.header;
      if (h.isControl) {
        // Transactional offset commits (TxnOffsetCommit) count from their COMMIT marker on.
        const type = batch.records[0]?.key?.length === 4 ? batch.records[0].key.readInt16BE(2) : -1;
        const pending = this.openTransactionalOffsets.get(h.producerId) ?? [];
        this.openTransactionalOffsets.delete(h.producerId);
        if (type === 1) {
          for (const rec of pending) visit(rec);
          count += pending.length;
        }
        return;
      }
      for (const r of batch.records) {
        if (r.offset < offset || r.key === null) continue;
        try {
          const rec = decodeRecord(r.key, r.value);
          if (h.isTransactional) {
            if (rec.kind === 'offset')
              this.openTransactionalOffsets.set(h.producerId, [...(this.openTransactionalOffsets.get(h.producerId) ?? []), rec]);
            continue;
          }
          visit(rec);
          count++;
        } catch (err) {
          this.log.warn({ err, partition: p.index, offset: r.offset }, `skipping an unreadable ${GROUP_METADATA_TOPIC} record`);
        }
      }
    });
    return count;
  }
}
