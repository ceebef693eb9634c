// The internal topic `__transaction_state` (Kafka's TransactionLog): TransactionLogKey v0 and
// TransactionLogValue v1 (both prefixed with their int16 version, Kafka's record formats; v1 is
// what Kafka 4.4 writes at its default transaction.version, with PreviousProducerId, and
// NextProducerId and ClientTransactionVersion left at their defaults; v0 is read too),
// one record per state change of a transactional id, keyed by the id, in partition
// abs(javaStringHashCode(id)) % transaction.state.log.num.partitions. Created on first need
// (compacted). replay() reads every record back at start-up, last one per id wins. The topic
// mechanics (creation, key -> partition, appends through Partition.append, reading every
// partition back) are InternalTopic's (broker/internal-topic.ts); the bytes and offsets are the
// partition logs'; this class owns the record formats (and skips keys of other versions).
//
// Data directories written before `kafkalite-producer-ids.json` (producer-id-block.ts) kept the
// producer-id counter here, under the reserved key `__kafkalite.producer-id-block` (value:
// producer_id = end of the last block handed out); it is still replayed, never written, and
// never shown as a transaction.

import type { Logger } from 'pino';
import type { BrokerConfig } from '../../config/index.js';
import { codecFor } from '../../protocol/codec.js';
import { Reader } from '../../protocol/primitives.js';
import { decodeVersioned, encodeVersioned } from '../../protocol/messages/group-records.js';
import { f, message, type Infer } from '../../protocol/schema.js';
import type { Clock } from '../../storage/clock.js';
import { InternalTopic } from '../internal-topic.js';
import { TRANSACTION_STATE_TOPIC, type Topic, type TopicManager } from '../topics.js';

export { TRANSACTION_STATE_TOPIC } from '../topics.js';
export const PRODUCER_ID_BLOCK_KEY = '__kafkalite.producer-id-block';

export const TransactionLogKey = message({
  name: 'TransactionLogKey',
  validVersions: '0',
  flexibleVersions: 'none',
  fields: { transactionalId: f.string('0') },
});

export const TransactionLogValue = message({
  name: 'TransactionLogValue',
  validVersions: '0-1',
  flexibleVersions: '1+',
  fields: {
    producerId: f.int64('0+'),
    previousProducerId: f.int64('1+', { tag: 0, tagged: '1+', default: -1 }),
    nextProducerId: f.int64('1+', { tag: 1, tagged: '1+', default: -1 }),
    producerEpoch: f.int16('0+'),
    nextProducerEpoch: f.int16('1+', { tag: 3, tagged: '1+', default: -1 }),
    transactionTimeoutMs: f.int32('0+'),
    transactionStatus: f.int8('0+'),
    transactionPartitions: f.array('0+', { topic: f.string('0+'), partitionIds: f.array('0+', 'int32') }, { nullable: '0+' }),
    transactionLastUpdateTimestampMs: f.int64('0+'),
    transactionStartTimestampMs: f.int64('0+'),
    clientTransactionVersion: f.int16('1+', { tag: 2, tagged: '1+', default: 0 }),
  },
});

/** The value version written (Kafka 4.4's TransactionVersion 2 writes v1). */
const VALUE_VERSION = 1;

export type TxnLogValue = Infer<(typeof TransactionLogValue)['fields']>;

export class TransactionStateLog {
  private readonly topic: InternalTopic;

  constructor(
    topics: TopicManager,
    config: BrokerConfig,
    clock: Clock,
    private readonly log: Logger,
  ) {
    this.topic = new InternalTopic(topics, config, clock, log, {
      name: TRANSACTION_STATE_TOPIC,
      partitionsConfig: 'transaction.state.log.num.partitions',
      replicationConfig: 'transaction.state.log.replication.factor',
      configs: (c) => ({
        'cleanup.policy': 'compact',
        'compression.type': 'uncompressed',
        'segment.bytes': String(c.int('transaction.state.log.segment.bytes')),
      }),
      description: 'transaction state',
    });
  }

  get(): Topic | undefined {
    return this.topic.get();
  }

  ensure(): Topic {
    return this.topic.ensure();
  }

  /** Partition index of a transactional id, with the topic's real partition count once it exists. */
  partitionIndexOf(transactionalId: string): number {
    return this.topic.partitionIndexOf(transactionalId);
  }

  /** Append one record (value null: tombstone). Throws if the log refuses. */
  append(transactionalId: string, value: TxnLogValue | null): void {
    const key = encodeVersioned(TransactionLogKey, 0, { transactionalId });
    const bytes = value === null ? null : encodeVersioned(TransactionLogValue, VALUE_VERSION, value);
    this.topic.appendRecords(transactionalId, [{ key, value: bytes }], 0);
  }

  /** Every stored record in offset order per partition. */
  replay(visit: (transactionalId: string, value: TxnLogValue | null) => void): void {
    this.topic.replayBatches(1 << 20, (p, batch, offset) => {
      for (const r of batch.records) {
        if (r.offset < offset || !r.key || r.key.readInt16BE(0) !== 0) continue;
        try {
          const id = codecFor(TransactionLogKey, 0).read(new Reader(r.key, 2)).transactionalId;
          const value = r.value === null ? null : decodeVersioned(TransactionLogValue, r.value, { newerAsLatest: true }).value;
          visit(id, value);
        } catch (err) {
          this.log.warn({ err, partition: p.index, offset: r.offset }, `skipping an unreadable ${TRANSACTION_STATE_TOPIC} record`);
        }
      }
    });
  }
}
