// Transactions: InitProducerId, AddPartitionsToTxn, AddOffsetsToTxn, EndTxn, TxnOffsetCommit,
// DescribeTransactions, ListTransactions, and transactional produce/fetch (fenced epochs,
// partitions outside the transaction, read-committed offsets).

import {
  AddOffsetsToTxn,
  AddPartitionsToTxn,
  DescribeTransactions,
  EndTxn,
  Fetch,
  InitProducerId,
  ListOffsets,
  ListTransactions,
  OffsetFetch,
  Produce,
  TxnOffsetCommit,
} from '../../../protocol/messages/index.js';
import type { Ctx, Scenario, Step } from '../oracle.js';
import { coordinator, createTopic, fetchBody, groupCoordinator, idempotentProducer, produceBody, records, txnProducer } from '../steps.js';

const T = 'txn';

const init = (o: { txn?: string | null; timeoutMs?: number } = {}): Step => ({
  api: InitProducerId,
  body: (c) => ({
    transactionalId: o.txn === null ? null : c.name(o.txn ?? T),
    transactionTimeoutMs: o.timeoutMs ?? 60_000,
    producerId: -1,
    producerEpoch: -1,
  }),
  save: (r, c) => {
    if (r.errorCode === 0) {
      c.vars.producerId = r.producerId;
      c.vars.producerEpoch = r.producerEpoch;
    }
  },
});

type Who = { pid?: (c: Ctx) => number; epoch?: (c: Ctx) => number; txn?: string };
const pidOf = (c: Ctx, w: Who) => (w.pid ? w.pid(c) : c.vars.producerId);
const epochOf = (c: Ctx, w: Who) => (w.epoch ? w.epoch(c) : c.vars.producerEpoch);

const addPartitions = (parts: Array<[string, number[]]>, w: Who = {}): Step => ({
  api: AddPartitionsToTxn,
  body: (c) => {
    const topics = parts.map(([s, partitions]) => ({ name: c.name(s), partitions }));
    return {
      v3AndBelowTransactionalId: c.name(w.txn ?? T),
      v3AndBelowProducerId: pidOf(c, w),
      v3AndBelowProducerEpoch: epochOf(c, w),
      v3AndBelowTopics: topics,
      transactions: [
        { transactionalId: c.name(w.txn ?? T), producerId: pidOf(c, w), producerEpoch: epochOf(c, w), verifyOnly: false, topics },
      ],
    };
  },
});

const endTxn = (committed: boolean, w: Who = {}): Step => ({
  api: EndTxn,
  body: (c) => ({ transactionalId: c.name(w.txn ?? T), producerId: pidOf(c, w), producerEpoch: epochOf(c, w), committed }),
});

const txnProduce = (suffix: string, seq: number, w: Who = {}): Step => ({
  api: Produce,
  body: (c) =>
    produceBody(
      c.name(suffix),
      records(2, { producerId: pidOf(c, w), producerEpoch: epochOf(c, w), baseSequence: seq, transactional: true }),
      0,
      { transactionalId: c.name(w.txn ?? T) },
    ),
});

const addOffsets = (group: string, w: Who = {}): Step => ({
  api: AddOffsetsToTxn,
  body: (c) => ({ transactionalId: c.name(w.txn ?? T), producerId: pidOf(c, w), producerEpoch: epochOf(c, w), groupId: c.name(group) }),
});

const txnCommit = (group: string, suffix: string, offset: number, w: Who = {}): Step => ({
  api: TxnOffsetCommit,
  body: (c) => ({
    transactionalId: c.name(w.txn ?? T),
    groupId: c.name(group),
    producerId: pidOf(c, w),
    producerEpoch: epochOf(c, w),
    generationId: -1,
    memberId: '',
    groupInstanceId: null,
    topics: [
      {
        name: c.name(suffix),
        partitions: [{ partitionIndex: 0, committedOffset: offset, committedLeaderEpoch: -1, committedMetadata: '' }],
      },
    ],
  }),
});

const lastStable = (suffix: string): Step => ({
  api: ListOffsets,
  body: (c) => ({
    replicaId: -1,
    isolationLevel: 1,
    topics: [{ name: c.name(suffix), partitions: [{ partitionIndex: 0, timestamp: -1 }] }],
  }),
});

const describeTxn = (ids: string[]): Step => ({
  api: DescribeTransactions,
  body: (c) => ({ transactionalIds: ids.map((s) => c.name(s)) }),
});

/** Uncompared steps; AddPartitionsToTxn at v3, the newest version clients send (v4+ is broker to broker). */
const setup = (steps: Step[]): Step[] => steps.map((s) => ({ ...s, compare: false, ...(s.api === AddPartitionsToTxn ? { v: 3 } : {}) }));

/** Setup: ListOffsets READ_COMMITTED until the last stable offset is `offset` (Kafka writes markers asynchronously). */
const stableAt = (suffix: string, offset: number): Step => ({
  ...lastStable(suffix),
  compare: false,
  until: (r) => r.topics[0].partitions[0].offset === offset,
});

/** Setup: DescribeTransactions until the transaction has completed (Kafka completes asynchronously). */
const completed = (txn = T): Step => ({
  api: DescribeTransactions,
  compare: false,
  body: (c) => ({ transactionalIds: [c.name(txn)] }),
  until: (r) => ['Empty', 'CompleteCommit', 'CompleteAbort'].includes(r.transactionStates[0].transactionState),
});

export const TXN_SCENARIOS: Scenario[] = [
  // InitProducerId
  { id: 'txn/init-producer-id-idempotent', api: InitProducerId, steps: [idempotentProducer(), init({ txn: null })] },
  {
    id: 'txn/init-producer-id-transactional',
    api: InitProducerId,
    about: 'a second init bumps the epoch',
    steps: [coordinator(T, 1), { ...init(), until: (r) => r.errorCode === 0 }, init()],
  },
  {
    id: 'txn/init-producer-id-errors',
    api: InitProducerId,
    steps: [coordinator(T, 1), init({ timeoutMs: 1_000_000 }), init({ timeoutMs: 0 }), init({ txn: 'x', timeoutMs: -5 })],
  },
  {
    id: 'txn/init-producer-id-empty-id',
    api: InitProducerId,
    steps: [{ api: InitProducerId, body: { transactionalId: '', transactionTimeoutMs: 60_000, producerId: -1, producerEpoch: -1 } }],
  },

  // AddPartitionsToTxn / Produce / EndTxn
  {
    id: 'txn/commit',
    api: AddPartitionsToTxn,
    steps: [
      ...createTopic('t', 2),
      ...txnProducer(T),
      addPartitions([['t', [0, 1]]]),
      txnProduce('t', 0),
      lastStable('t'),
      describeTxn([T]),
      endTxn(true),
      stableAt('t', 3),
      lastStable('t'),
      completed(),
      describeTxn([T]),
    ],
  },
  {
    id: 'txn/add-partitions-errors',
    api: AddPartitionsToTxn,
    steps: [
      ...createTopic('t'),
      ...txnProducer(T),
      addPartitions([['t', [0]]], { epoch: (c) => c.vars.producerEpoch + 3 }),
      addPartitions([['t', [0]]], { pid: (c) => c.vars.producerId + 1000 }),
      addPartitions([
        ['t', [0, 9]],
        ['missing', [0]],
      ]),
      addPartitions([['t', [0]]], { txn: 'unknown' }),
    ],
  },
  {
    id: 'txn/end-txn',
    api: EndTxn,
    steps: [
      ...createTopic('t'),
      ...txnProducer(T),
      ...setup([addPartitions([['t', [0]]]), txnProduce('t', 0)]),
      endTxn(false),
      completed(),
      endTxn(false),
      endTxn(true),
      stableAt('t', 3),
      lastStable('t'),
    ],
  },
  {
    id: 'txn/end-txn-errors',
    api: EndTxn,
    steps: [
      ...createTopic('t'),
      ...txnProducer(T),
      endTxn(true),
      endTxn(true, { epoch: (c) => c.vars.producerEpoch + 2 }),
      endTxn(true, { pid: (c) => c.vars.producerId + 1000 }),
      endTxn(true, { txn: 'unknown' }),
    ],
  },
  {
    id: 'txn/fenced-producer',
    api: Produce,
    versions: 'newest',
    about: 'a second InitProducerId fences the first epoch',
    steps: [
      ...createTopic('t'),
      ...txnProducer(T),
      ...setup([addPartitions([['t', [0]]]), txnProduce('t', 0)]),
      { ...init(), compare: false, save: undefined },
      completed(),
      txnProduce('t', 2),
      addPartitions([['t', [0]]]),
      endTxn(true),
    ],
  },
  {
    id: 'txn/produce-outside-transaction',
    api: Produce,
    versions: [3, 10, 11],
    steps: [...createTopic('t'), ...txnProducer(T), txnProduce('t', 0)],
  },

  {
    id: 'txn/read-committed-after-abort',
    api: Fetch,
    versions: [4, 11, 17],
    about: 'aborted transactions are listed for READ_COMMITTED fetches',
    normalise: [
      { path: '**records[*].baseTimestamp', action: 'time', reason: 'control batches carry the broker clock' },
      { path: '**records[*].maxTimestamp', action: 'time', reason: 'control batches carry the broker clock' },
      { path: '**records[*].records[*].timestamp', action: 'time', reason: 'control records carry the broker clock' },
    ],
    steps: [
      ...createTopic('t'),
      ...txnProducer(T),
      ...setup([addPartitions([['t', [0]]]), txnProduce('t', 0), endTxn(false)]),
      completed(),
      stableAt('t', 3),
      { api: Fetch, body: (c) => fetchBody(c, 't', [{ offset: 0 }], { isolationLevel: 1 }) },
      { api: Fetch, body: (c) => fetchBody(c, 't', [{ offset: 0 }], { isolationLevel: 0 }) },
    ],
  },
  {
    id: 'txn/unstable-offsets',
    api: OffsetFetch,
    versions: [7, 8, 9],
    about: 'requireStable with offsets pending in an open transaction',
    steps: [
      ...createTopic('t'),
      ...groupCoordinator('g'),
      ...txnProducer(T),
      ...setup([addOffsets('g'), txnCommit('g', 't', 5)]),
      {
        api: OffsetFetch,
        body: (c) => ({
          groupId: c.name('g'),
          topics: [{ name: c.name('t'), partitionIndexes: [0] }],
          groups: [{ groupId: c.name('g'), topics: [{ name: c.name('t'), partitionIndexes: [0] }] }],
          requireStable: true,
        }),
      },
    ],
  },

  // AddOffsetsToTxn / TxnOffsetCommit
  {
    id: 'txn/offsets',
    api: AddOffsetsToTxn,
    steps: [
      ...createTopic('t'),
      ...groupCoordinator('g'),
      ...txnProducer(T),
      addOffsets('g'),
      { ...txnCommit('g', 't', 5), v: (c) => c.newest(TxnOffsetCommit) },
      endTxn(true),
      {
        api: OffsetFetch,
        compare: false,
        body: (c) => ({ groups: [{ groupId: c.name('g'), topics: [{ name: c.name('t'), partitionIndexes: [0] }] }], requireStable: true }),
        until: (r) => r.groups[0].topics[0].partitions[0].errorCode === 0,
      },
      {
        api: OffsetFetch,
        compare: true,
        body: (c) => ({ groups: [{ groupId: c.name('g'), topics: [{ name: c.name('t'), partitionIndexes: [0] }] }], requireStable: true }),
      },
    ],
  },
  {
    id: 'txn/txn-offset-commit',
    api: TxnOffsetCommit,
    steps: [
      ...createTopic('t'),
      ...groupCoordinator('g'),
      ...txnProducer(T),
      txnCommit('g', 't', 3),
      ...setup([addOffsets('g')]),
      txnCommit('g', 't', 3),
      txnCommit('g', 't', 3, { epoch: (c) => c.vars.producerEpoch + 5 }),
      txnCommit('g', 'missing', 3),
    ],
  },
  {
    id: 'txn/add-offsets-errors',
    api: AddOffsetsToTxn,
    steps: [
      ...groupCoordinator('g'),
      ...txnProducer(T),
      addOffsets('g', { epoch: (c) => c.vars.producerEpoch + 2 }),
      addOffsets('g', { txn: 'unknown' }),
      addOffsets(''),
    ],
  },

  // DescribeTransactions / ListTransactions
  {
    id: 'txn/describe-transactions',
    api: DescribeTransactions,
    normalise: [{ path: 'transactionStates', action: 'sort', key: 'transactionalId', reason: 'Kafka answers from a hash map' }],
    steps: [...createTopic('t'), ...txnProducer(T), describeTxn([T, 'unknown']), ...setup([addPartitions([['t', [0]]])]), describeTxn([T])],
  },
  {
    id: 'txn/list-transactions',
    api: ListTransactions,
    normalise: [{ path: 'transactionStates', action: 'sort', key: 'transactionalId', reason: 'Kafka lists transactions from a hash map' }],
    steps: [
      ...createTopic('t'),
      ...txnProducer(T),
      ...setup([addPartitions([['t', [0]]])]),
      { api: ListTransactions, body: { stateFilters: ['Ongoing'], producerIdFilters: [], durationFilter: -1 } },
      { api: ListTransactions, body: { stateFilters: ['NoSuchState'], producerIdFilters: [], durationFilter: -1 } },
      { api: ListTransactions, body: (c) => ({ stateFilters: [], producerIdFilters: [c.vars.producerId], durationFilter: -1 }) },
    ],
  },
];
