// The state of one transactional id (Kafka's TransactionMetadata and TransactionState). Owned by
// TransactionCoordinator (broker/txn/coordinator.ts); plain data here.

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
