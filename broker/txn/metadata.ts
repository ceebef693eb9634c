// The state of one transactional id (Kafka's TransactionMetadata and TransactionState). Owned by
// TransactionCoordinator (broker/txn/coordinator.ts); plain data here.

import type { TxnLogValue } from './state-log.js';
export const TxnState = Object.freeze({
  Empty: 0,
  Ongoing: 1,
  PrepareCommit: 2,
  PrepareAbort: 3,
  CompleteCommit: 4,
  CompleteAbort: 5,
  Dead: 6,
  PrepareEpochFence: 7,
} as const);

export const TXN_STATE_NAMES = [
  'Empty',
  'Ongoing',
  'PrepareCommit',
  'PrepareAbort',
  'CompleteCommit',
  'CompleteAbort',
  'Dead',
  'PrepareEpochFence',
] as const;

export interface PendingOffset {
  topic: string;
  partition: number;
  offset: number;
  leaderEpoch: number;
  metadata: string;
}

export interface TxnMetadata {
  transactionalId: string;
  producerId: number;
  /** The producer id before the last rotation (epoch exhausted), else producerId: Kafka's PreviousProducerId. */
  previousProducerId: number;
  producerEpoch: number;
  /** Epoch before the last bump, -1 if none (InitProducerId v3+ recovery). */
  lastProducerEpoch: number;
  /** The id and epoch of the last EndTxn v5 (transactions v2), so its retry gets the same answer. */
  v2Retry?: { producerId: number; producerEpoch: number };
  timeoutMs: number;
  state: number;
  /** Partitions in the open transaction, by "topic\0partition". */
  partitions: Map<string, { topic: string; partition: number }>;
  /** TxnOffsetCommit offsets per group, applied at COMMIT (logged as transactional records in `__consumer_offsets`). */
  pendingOffsets: Map<string, PendingOffset[]>;
  startTs: number;
  lastUpdateTs: number;
}

/** The key of a partition in TxnMetadata.partitions. */
export function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

/** A transactional id's state from its __transaction_state record (prev: the state replayed before it). */
export function txnFromLog(id: string, v: TxnLogValue, prev: TxnMetadata | undefined): TxnMetadata {
  const partitions = new Map<string, { topic: string; partition: number }>();
  for (const tp of v.transactionPartitions ?? [])
    for (const p of tp.partitionIds) partitions.set(partitionKey(tp.topic, p), { topic: tp.topic, partition: p });
  return {
    transactionalId: id,
    producerId: v.producerId,
    previousProducerId: v.previousProducerId === -1 ? v.producerId : v.previousProducerId,
    producerEpoch: v.producerEpoch,
    lastProducerEpoch: prev && prev.producerEpoch !== v.producerEpoch ? prev.producerEpoch : (prev?.lastProducerEpoch ?? -1),
    timeoutMs: v.transactionTimeoutMs,
    state: v.transactionStatus,
    partitions,
    pendingOffsets: new Map(),
    startTs: v.transactionStartTimestampMs,
    lastUpdateTs: v.transactionLastUpdateTimestampMs,
  };
}

/**
 * Fields written with Kafka's defaults: kafkalite does not track NextProducerId/NextProducerEpoch
 * or the client's transaction version (Kafka's TransactionMetadata uses them to recognise an
 * EndTxn v5 retry after a coordinator restart), and txnToLog sets PreviousProducerId itself.
 */
const LOG_DEFAULTS = { previousProducerId: -1, nextProducerId: -1, nextProducerEpoch: -1, clientTransactionVersion: 0 } as const;

/** The __transaction_state value of a transactional id's state: txnFromLog read back. */
export function txnToLog(t: TxnMetadata): TxnLogValue {
  const byTopic = new Map<string, number[]>();
  for (const p of t.partitions.values()) {
    const list = byTopic.get(p.topic) ?? [];
    list.push(p.partition);
    byTopic.set(p.topic, list);
  }
  return {
    ...LOG_DEFAULTS,
    producerId: t.producerId,
    previousProducerId: t.previousProducerId,
    producerEpoch: t.producerEpoch,
    transactionTimeoutMs: t.timeoutMs,
    transactionStatus: t.state,
    transactionPartitions: t.state === TxnState.Empty ? null : [...byTopic].map(([topic, partitionIds]) => ({ topic, partitionIds })),
    transactionLastUpdateTimestampMs: t.lastUpdateTs,
    transactionStartTimestampMs: t.startTs,
  };
}
