// The authorization checks of the offset and transaction APIs against Kafka 4.4 (ACLS_CONFIG of acls.ts; see
// acls-more.ts for the whole list): OffsetCommit, TxnOffsetCommit, AddPartitionsToTxn, DescribeProducers,
// DescribeTransactions and ListTransactions, OffsetDelete, OffsetFetch.

import {
  AddPartitionsToTxn,
  DescribeProducers,
  DescribeTransactions,
  ListTransactions,
  OffsetCommit,
  OffsetDelete,
  OffsetFetch,
  TxnOffsetCommit,
} from '../../../protocol/messages/index.js';
import type { Scenario, Step } from '../oracle.js';
import { groupCoordinator, txnProducer } from '../steps.js';
import { commit, offsets, DELETE, DESCRIBE, GROUP, READ, TOPIC, TRANSACTIONAL_ID as TXN_ID, WRITE } from './acl-steps.js';
import { cleanup, denied, n, okAndNo } from './acls-more-steps.js';

const txnCommit = (topics: string[]): Step => ({
  api: TxnOffsetCommit,
  v: 5,
  body: (c) => ({
    transactionalId: c.name('x'),
    groupId: c.name('g'),
    producerId: c.vars.producerId,
    producerEpoch: c.vars.producerEpoch,
    generationIdOrMemberEpoch: -1,
    memberId: '',
    groupInstanceId: null,
    topics: offsets(c, topics),
  }),
});

/** AddPartitionsToTxn of partition 0 of each topic (names as given when `raw`, else suffixes). */
const addPartitions = (v: number, topics: string[], raw = false): Step => ({
  api: AddPartitionsToTxn,
  v,
  body: (c) => {
    const ts = topics.map((t) => ({ name: raw ? t : c.name(t), partitions: [0] }));
    const [transactionalId, producerId, producerEpoch] = [c.name('x'), c.vars.producerId, c.vars.producerEpoch];
    return {
      v3AndBelowTransactionalId: transactionalId,
      v3AndBelowProducerId: producerId,
      v3AndBelowProducerEpoch: producerEpoch,
      v3AndBelowTopics: ts,
      transactions: [{ transactionalId, producerId, producerEpoch, verifyOnly: true, topics: ts }],
    };
  },
});

/** Setup: 'ok' and 'no' with an offset committed by the group 'g' on each. */
const committed = (): Step[] => [...okAndNo(), ...groupCoordinator('g'), { ...commit(['ok', 'no']), compare: false }];

const offsetFetch = (v: number, topics: string[] | null): Step => ({
  api: OffsetFetch,
  v,
  body: (c) => {
    // v10 names topics by id (KIP-848): each topic's id from its createTopic step.
    const ts =
      topics?.map((t) => (v >= 10 ? { topicId: c.vars[`id:${t}`], partitionIndexes: [0] } : { name: c.name(t), partitionIndexes: [0] })) ??
      null;
    return v >= 8
      ? { groups: [{ groupId: c.name('g'), topics: ts }], requireStable: false }
      : { groupId: c.name('g'), topics: ts, requireStable: false };
  },
});

const listMine: Step = {
  api: ListTransactions,
  body: (c) => ({ stateFilters: [], producerIdFilters: [c.vars.producerId], durationFilter: -1 }),
};

/** In acls-more.ts's ACL_MORE_SCENARIOS, between the cluster-level reads and writes. */
export const ACL_OFFSET_TXN_SCENARIOS: Scenario[] = [
  {
    id: 'acls-more/offset-commit-topic-read',
    api: OffsetCommit,
    about:
      'OffsetCommit with Read on the group but not on one topic: that topic TOPIC_AUTHORIZATION_FAILED (listed first), the other committed',
    steps: [
      ...okAndNo(),
      ...denied(TOPIC, n('no'), READ),
      ...groupCoordinator('g'),
      commit(['ok', 'no']),
      commit(['no']),
      ...cleanup(TOPIC, n('no')),
    ],
  },
  {
    id: 'acls-more/txn-offset-commit',
    api: TxnOffsetCommit,
    versions: 'newest',
    about:
      'TxnOffsetCommit: a topic without Read TOPIC_AUTHORIZATION_FAILED (listed first); no group Read: GROUP_AUTHORIZATION_FAILED everywhere; no Write on the transactional id: TRANSACTIONAL_ID_AUTHORIZATION_FAILED, answered before the group',
    steps: [
      ...okAndNo(),
      ...txnProducer('x'),
      ...groupCoordinator('g'),
      ...denied(TOPIC, n('no'), READ),
      txnCommit(['ok', 'no']),
      ...denied(GROUP, n('g'), READ),
      txnCommit(['ok', 'no']),
      ...denied(TXN_ID, n('x'), WRITE),
      txnCommit(['ok']),
      ...cleanup(TOPIC, n('no')),
      ...cleanup(GROUP, n('g')),
      ...cleanup(TXN_ID, n('x')),
    ],
  },
  {
    id: 'acls-more/add-partitions-to-txn',
    api: AddPartitionsToTxn,
    versions: 'newest',
    about:
      'AddPartitionsToTxn v3: a topic without Write TOPIC_AUTHORIZATION_FAILED and the others OPERATION_NOT_ATTEMPTED, an internal topic refused; no Write on the transactional id: TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
    steps: [
      ...okAndNo(),
      ...txnProducer('x'),
      ...denied(TOPIC, n('no'), WRITE),
      addPartitions(3, ['ok', 'no']),
      addPartitions(3, ['__transaction_state'], true),
      ...denied(TXN_ID, n('x'), WRITE),
      addPartitions(3, ['ok']),
      ...cleanup(TOPIC, n('no')),
      ...cleanup(TXN_ID, n('x')),
      // v4 (ClusterAction) is not checked here: denying ClusterAction to User:ANONYMOUS also stops
      // the Kafka broker's own requests to its controller (the same principal on PLAINTEXT).
    ],
  },
  {
    id: 'acls-more/describe-producers',
    api: DescribeProducers,
    versions: 'newest',
    about: 'DescribeProducers: a topic without Read TOPIC_AUTHORIZATION_FAILED with its message, existing or not',
    steps: [
      ...okAndNo(),
      ...denied(TOPIC, n('no'), READ),
      ...denied(TOPIC, n('none'), READ),
      {
        api: DescribeProducers,
        body: (c) => ({ topics: ['ok', 'no', 'none'].map((t) => ({ name: c.name(t), partitionIndexes: [0, 1] })) }),
      },
      ...cleanup(TOPIC, n('no')),
      ...cleanup(TOPIC, n('none')),
    ],
  },
  {
    id: 'acls-more/describe-list-transactions',
    api: DescribeTransactions,
    versions: 'newest',
    about:
      'DescribeTransactions: an id without Describe TRANSACTIONAL_ID_AUTHORIZATION_FAILED, topics the caller may not Describe left out; ListTransactions lists only Describe-able ids',
    steps: [
      ...okAndNo(),
      ...txnProducer('x'),
      { ...addPartitions(3, ['ok', 'no']), compare: false },
      { ...listMine, compare: false, until: (r) => r.transactionStates.length === 1 },
      ...denied(TOPIC, n('no'), DESCRIBE),
      { api: DescribeTransactions, body: (c) => ({ transactionalIds: [c.name('x')] }) },
      ...denied(TXN_ID, n('x'), DESCRIBE),
      { api: DescribeTransactions, body: (c) => ({ transactionalIds: [c.name('x'), c.name('y')] }) },
      listMine,
      ...cleanup(TOPIC, n('no')),
      ...cleanup(TXN_ID, n('x')),
    ],
  },
  {
    id: 'acls-more/offset-delete',
    api: OffsetDelete,
    versions: 'newest',
    about:
      'OffsetDelete: a topic without Read TOPIC_AUTHORIZATION_FAILED (listed first), the other deleted; no Delete on the group: GROUP_AUTHORIZATION_FAILED',
    steps: [
      ...committed(),
      ...denied(TOPIC, n('no'), READ),
      {
        api: OffsetDelete,
        body: (c) => ({
          groupId: c.name('g'),
          topics: ['ok', 'no'].map((t) => ({ name: c.name(t), partitions: [{ partitionIndex: 0 }] })),
        }),
      },
      ...denied(GROUP, n('g'), DELETE),
      { api: OffsetDelete, body: (c) => ({ groupId: c.name('g'), topics: [{ name: c.name('ok'), partitions: [{ partitionIndex: 0 }] }] }) },
      ...cleanup(TOPIC, n('no')),
      ...cleanup(GROUP, n('g')),
    ],
  },
  {
    id: 'acls-more/offset-fetch',
    api: OffsetFetch,
    versions: 'newest',
    about:
      'OffsetFetch v1, v7, v8, v10 (topics by id): a topic without Describe TOPIC_AUTHORIZATION_FAILED (listed last), left out of a fetch of all; no Describe on the group: GROUP_AUTHORIZATION_FAILED',
    steps: [
      ...committed(),
      ...denied(TOPIC, n('no'), DESCRIBE),
      offsetFetch(1, ['no', 'ok']),
      offsetFetch(7, ['no', 'ok']),
      offsetFetch(7, null),
      offsetFetch(8, ['no', 'ok']),
      offsetFetch(8, null),
      offsetFetch(10, ['no', 'ok']),
      offsetFetch(10, null),
      ...denied(GROUP, n('g'), DESCRIBE),
      offsetFetch(1, ['ok']),
      offsetFetch(7, ['ok']),
      offsetFetch(8, ['ok']),
      offsetFetch(10, ['ok']),
      ...cleanup(TOPIC, n('no')),
      ...cleanup(GROUP, n('g')),
    ],
  },
];
