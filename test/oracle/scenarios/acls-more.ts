// More of the handlers' authorization checks against Kafka 4.4, both with StandardAuthorizer
// (ACLS_CONFIG of test/oracle/scenarios/acls.ts: no super users, allow.everyone.if.no.acl.found=true,
// so User:ANONYMOUS may do what no ACL guards). Each scenario denies ANONYMOUS one operation (with
// an ALLOW of the rest), checks the answer, and removes its ACLs so the next starts clean:
//   - DescribeLogDirs: Describe on the cluster (KafkaApis.handleDescribeLogDirsRequest);
//   - DescribeClientQuotas: DescribeConfigs on the cluster (KafkaApis.handleDescribeClientQuotasRequest);
//   - OffsetCommit: Read on each topic (KafkaApis.handleOffsetCommitRequest), refused topics first;
//   - TxnOffsetCommit: Write on the transactional id, then Read on the group, then Read per topic;
//   - AddPartitionsToTxn: v3 Write on the transactional id then on each topic, v4 ClusterAction;
//   - OffsetDelete (group Delete, topic Read), OffsetFetch (group Describe, topic Describe; v1, v7, v8);
//   - ListPartitionReassignments (cluster Describe), AlterClientQuotas (cluster AlterConfigs),
//     ElectLeaders, AlterPartitionReassignments, AlterReplicaLogDirs (cluster Alter: last, see there);
//   - DescribeTopicPartitions (topic Describe, KIP-430 authorized operations);
//   - ShareFetch, ShareAcknowledge (topic Read per partition);
//   - DescribeProducers (topic Read), DescribeTransactions and ListTransactions (transactional id Describe).

import {
  AddPartitionsToTxn,
  AlterClientQuotas,
  AlterPartitionReassignments,
  AlterReplicaLogDirs,
  ElectLeaders,
  ListPartitionReassignments,
  CreateAcls,
  DeleteAcls,
  DescribeAcls,
  DescribeClientQuotas,
  DescribeLogDirs,
  DescribeProducers,
  DescribeTopicPartitions,
  DescribeTransactions,
  ListTransactions,
  OffsetCommit,
  OffsetDelete,
  OffsetFetch,
  ShareAcknowledge,
  ShareFetch,
  TxnOffsetCommit,
} from '../../../protocol/messages/index.js';
import type { Ctx, Res, Scenario, Step } from '../oracle.js';
import { createTopic, groupCoordinator, txnProducer } from '../steps.js';

const TOPIC = 2;
const GROUP = 3;
const CLUSTER = 4;
const TXN_ID = 5;
const LITERAL = 3;
const READ = 3;
const WRITE = 4;
const DELETE = 6;
const ALTER = 7;
const DESCRIBE = 8;
const DESCRIBE_CONFIGS = 10;
const ALTER_CONFIGS = 11;
const DENY = 2;
const ALLOW = 3;
const ALL = 2;
const ANY = 1;
const anon = 'User:ANONYMOUS';

type Name = (c: Ctx) => string;
const cluster: Name = () => 'kafka-cluster';
const n =
  (suffix: string): Name =>
  (c) =>
    c.name(suffix);

const acl = (type: number, name: string, op: number, permissionType: number) => ({
  resourceType: type,
  resourceName: name,
  resourcePatternType: LITERAL,
  principal: anon,
  host: '*',
  operation: op,
  permissionType,
});
/**
 * Deny ANONYMOUS `op` on the resource. Once a resource has an ACL, allow.everyone.if.no.acl.found no
 * longer applies to it: an ALLOW of everything keeps the other operations (DENY beats ALLOW).
 */
const deny = (type: number, name: Name, op: number): Step => ({
  api: CreateAcls,
  compare: false,
  body: (c) => ({ creations: [acl(type, name(c), ALL, ALLOW), acl(type, name(c), op, DENY)] }),
});
const filter = (type: number, name: Name) => (c: Ctx) => ({
  resourceTypeFilter: type,
  resourceNameFilter: name(c),
  patternTypeFilter: LITERAL,
  principalFilter: anon,
  hostFilter: null,
  operation: ANY,
  permissionType: ANY,
});
const aclCount = (r: Res) => (r.resources ?? []).reduce((sum: number, x: Res) => sum + x.acls.length, 0);
/** Setup: DescribeAcls until the authorizer holds `count` of the resource's ACLs. */
const settled = (type: number, name: Name, count: number): Step => ({
  api: DescribeAcls,
  compare: false,
  body: filter(type, name),
  until: (r) => r.errorCode === 0 && aclCount(r) === count,
});
/** Cleanup: delete the resource's ACLs, then wait until they are gone. */
const cleanup = (type: number, name: Name): Step[] => [
  { api: DeleteAcls, compare: false, body: (c) => ({ filters: [filter(type, name)(c)] }) },
  settled(type, name, 0),
];

const commit = (topics: string[]): Step => ({
  api: OffsetCommit,
  v: 9,
  body: (c) => ({
    groupId: c.name('g'),
    generationIdOrMemberEpoch: -1,
    memberId: '',
    groupInstanceId: null,
    topics: topics.map((t) => ({
      name: c.name(t),
      partitions: [{ partitionIndex: 0, committedOffset: 1, committedLeaderEpoch: -1, committedMetadata: null }],
    })),
  }),
});

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
    topics: topics.map((t) => ({
      name: c.name(t),
      partitions: [{ partitionIndex: 0, committedOffset: 1, committedLeaderEpoch: -1, committedMetadata: null }],
    })),
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

const offsetFetch = (v: number, topics: string[] | null): Step => ({
  api: OffsetFetch,
  v,
  body: (c) => {
    const ts = topics?.map((t) => ({ name: c.name(t), partitionIndexes: [0] })) ?? null;
    return v >= 8
      ? { groups: [{ groupId: c.name('g'), topics: ts }], requireStable: false }
      : { groupId: c.name('g'), topics: ts, requireStable: false };
  },
});

/** Kafka prints its whole request object in "Request ... needs <OP> permission." (kafkalite the client id). */
const requestInMessage = (kafka: Res, lite: Res) => {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(/^Request .* needs (\w+) permission\.$/s, 'Request <request> needs $1 permission.');
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) o[k] = walk(o[k]);
    }
    return v;
  };
  walk(kafka);
  walk(lite);
};

/** A ShareFetch or ShareAcknowledge of the group 'g' on partitions of topic 'no' (acknowledging offset 0 when `ack`). */
const shareBody = (c: Ctx, epoch: number, api: typeof ShareFetch | typeof ShareAcknowledge, partitions: number[], ack = false) => {
  const acknowledgementBatches = ack ? [{ firstOffset: 0, lastOffset: 0, acknowledgeTypes: [1] }] : [];
  const topics = partitions.length
    ? [{ topicId: c.vars['id:no'], partitions: partitions.map((partitionIndex) => ({ partitionIndex, acknowledgementBatches })) }]
    : [];
  const common = { groupId: c.name('g'), memberId: 'AAAAAAAAAAAAAAAAAAAAAQ', shareSessionEpoch: epoch, topics };
  if (api === ShareAcknowledge) return common;
  return { ...common, maxWaitMs: 0, minBytes: 1, maxBytes: 1_048_576, maxRecords: 500, batchSize: 500, forgottenTopicsData: [] };
};

const listMine: Step = {
  api: ListTransactions,
  body: (c) => ({ stateFilters: [], producerIdFilters: [c.vars.producerId], durationFilter: -1 }),
};

export const ACL_MORE_SCENARIOS: Scenario[] = [
  {
    id: 'acls-more/describe-log-dirs-denied',
    api: DescribeLogDirs,
    versions: 'newest',
    about: 'DescribeLogDirs without Describe on the cluster: CLUSTER_AUTHORIZATION_FAILED, no results; DescribeAcls refused too',
    adjust: (kafka, lite) => requestInMessage(kafka, lite),
    steps: [
      deny(CLUSTER, cluster, DESCRIBE),
      // DescribeAcls itself needs Describe on the cluster: wait on the refused answer instead.
      { api: DescribeLogDirs, body: { topics: null }, until: (r) => r.errorCode === 31 },
      { api: DescribeLogDirs, body: (c: Ctx) => ({ topics: [{ topic: c.name('t'), partitions: [0] }] }) },
      // DescribeAcls (AclApis) refused the same way, with "Request ... needs DESCRIBE permission.".
      { api: DescribeAcls, body: filter(CLUSTER, cluster) },
      { api: DeleteAcls, compare: false, body: (c) => ({ filters: [filter(CLUSTER, cluster)(c)] }) },
      settled(CLUSTER, cluster, 0),
    ],
  },
  {
    id: 'acls-more/describe-client-quotas-denied',
    api: DescribeClientQuotas,
    versions: 'newest',
    about: 'DescribeClientQuotas without DescribeConfigs on the cluster: CLUSTER_AUTHORIZATION_FAILED with its message, null entries',
    steps: [
      deny(CLUSTER, cluster, DESCRIBE_CONFIGS),
      settled(CLUSTER, cluster, 2),
      { api: DescribeClientQuotas, body: { components: [], strict: false } },
      ...cleanup(CLUSTER, cluster),
    ],
  },
  {
    id: 'acls-more/offset-commit-topic-read',
    api: OffsetCommit,
    about:
      'OffsetCommit with Read on the group but not on one topic: that topic TOPIC_AUTHORIZATION_FAILED (listed first), the other committed',
    steps: [
      ...createTopic('ok'),
      ...createTopic('no'),
      deny(TOPIC, n('no'), READ),
      settled(TOPIC, n('no'), 2),
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
      ...createTopic('ok'),
      ...createTopic('no'),
      ...txnProducer('x'),
      ...groupCoordinator('g'),
      deny(TOPIC, n('no'), READ),
      settled(TOPIC, n('no'), 2),
      txnCommit(['ok', 'no']),
      deny(GROUP, n('g'), READ),
      settled(GROUP, n('g'), 2),
      txnCommit(['ok', 'no']),
      deny(TXN_ID, n('x'), WRITE),
      settled(TXN_ID, n('x'), 2),
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
      ...createTopic('ok'),
      ...createTopic('no'),
      ...txnProducer('x'),
      deny(TOPIC, n('no'), WRITE),
      settled(TOPIC, n('no'), 2),
      addPartitions(3, ['ok', 'no']),
      addPartitions(3, ['__transaction_state'], true),
      deny(TXN_ID, n('x'), WRITE),
      settled(TXN_ID, n('x'), 2),
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
      ...createTopic('ok'),
      ...createTopic('no'),
      deny(TOPIC, n('no'), READ),
      settled(TOPIC, n('no'), 2),
      deny(TOPIC, n('none'), READ),
      settled(TOPIC, n('none'), 2),
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
      ...createTopic('ok'),
      ...createTopic('no'),
      ...txnProducer('x'),
      { ...addPartitions(3, ['ok', 'no']), compare: false },
      { ...listMine, compare: false, until: (r) => r.transactionStates.length === 1 },
      deny(TOPIC, n('no'), DESCRIBE),
      settled(TOPIC, n('no'), 2),
      { api: DescribeTransactions, body: (c) => ({ transactionalIds: [c.name('x')] }) },
      deny(TXN_ID, n('x'), DESCRIBE),
      settled(TXN_ID, n('x'), 2),
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
      ...createTopic('ok'),
      ...createTopic('no'),
      ...groupCoordinator('g'),
      { ...commit(['ok', 'no']), compare: false },
      deny(TOPIC, n('no'), READ),
      settled(TOPIC, n('no'), 2),
      {
        api: OffsetDelete,
        body: (c) => ({
          groupId: c.name('g'),
          topics: ['ok', 'no'].map((t) => ({ name: c.name(t), partitions: [{ partitionIndex: 0 }] })),
        }),
      },
      deny(GROUP, n('g'), DELETE),
      settled(GROUP, n('g'), 2),
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
      'OffsetFetch v1, v7, v8: a topic without Describe TOPIC_AUTHORIZATION_FAILED (listed last), left out of a fetch of all; no Describe on the group: GROUP_AUTHORIZATION_FAILED',
    steps: [
      ...createTopic('ok'),
      ...createTopic('no'),
      ...groupCoordinator('g'),
      { ...commit(['ok', 'no']), compare: false },
      deny(TOPIC, n('no'), DESCRIBE),
      settled(TOPIC, n('no'), 2),
      offsetFetch(1, ['no', 'ok']),
      offsetFetch(7, ['no', 'ok']),
      offsetFetch(7, null),
      offsetFetch(8, ['no', 'ok']),
      offsetFetch(8, null),
      deny(GROUP, n('g'), DESCRIBE),
      settled(GROUP, n('g'), 2),
      offsetFetch(1, ['ok']),
      offsetFetch(7, ['ok']),
      offsetFetch(8, ['ok']),
      ...cleanup(TOPIC, n('no')),
      ...cleanup(GROUP, n('g')),
    ],
  },
  {
    id: 'acls-more/list-partition-reassignments',
    api: ListPartitionReassignments,
    versions: 'newest',
    about: 'ListPartitionReassignments without Describe on the cluster: CLUSTER_AUTHORIZATION_FAILED with its message, topics echoed',
    adjust: requestInMessage,
    steps: [
      deny(CLUSTER, cluster, DESCRIBE),
      // DescribeAcls itself needs Describe on the cluster: wait on the refused answer instead.
      { api: ListPartitionReassignments, body: { topics: null }, until: (r) => r.errorCode === 31 },
      { api: ListPartitionReassignments, body: (c: Ctx) => ({ topics: [{ name: c.name('t'), partitionIndexes: [0, 1] }] }) },
      { api: DeleteAcls, compare: false, body: (c) => ({ filters: [filter(CLUSTER, cluster)(c)] }) },
      settled(CLUSTER, cluster, 0),
    ],
  },
  {
    id: 'acls-more/alter-client-quotas',
    api: AlterClientQuotas,
    versions: 'newest',
    about: "AlterClientQuotas without AlterConfigs on the cluster: every entry CLUSTER_AUTHORIZATION_FAILED with the error's message",
    steps: [
      deny(CLUSTER, cluster, ALTER_CONFIGS),
      settled(CLUSTER, cluster, 2),
      {
        api: AlterClientQuotas,
        body: (c: Ctx) => ({
          entries: [
            {
              entity: [{ entityType: 'client-id', entityName: c.name('c') }],
              ops: [{ key: 'producer_byte_rate', value: 1024, remove: false }],
            },
          ],
          validateOnly: true,
        }),
      },
      ...cleanup(CLUSTER, cluster),
    ],
  },
  {
    id: 'acls-more/describe-topic-partitions',
    api: DescribeTopicPartitions,
    versions: 'newest',
    about:
      'DescribeTopicPartitions: a named topic without Describe TOPIC_AUTHORIZATION_FAILED (last, zero id), left out of a listing; authorized operations without the denied Write',
    steps: [
      ...createTopic('ok'),
      ...createTopic('no'),
      deny(TOPIC, n('no'), DESCRIBE),
      settled(TOPIC, n('no'), 2),
      deny(TOPIC, n('ok'), WRITE),
      settled(TOPIC, n('ok'), 2),
      {
        api: DescribeTopicPartitions,
        body: (c: Ctx) => ({
          topics: ['no', 'ok', 'missing'].map((t) => ({ name: c.name(t) })),
          responsePartitionLimit: 100,
          cursor: null,
        }),
      },
      // Every topic from the unauthorized one on: it is skipped, 'ok' is listed.
      {
        api: DescribeTopicPartitions,
        body: (c: Ctx) => ({ topics: [], responsePartitionLimit: 1, cursor: { topicName: c.name('no'), partitionIndex: 0 } }),
      },
      ...cleanup(TOPIC, n('no')),
      ...cleanup(TOPIC, n('ok')),
    ],
  },
  {
    id: 'acls-more/share-fetch-topic-read',
    api: ShareFetch,
    versions: 'newest',
    about:
      'ShareFetch and ShareAcknowledge with Read on the group but not on the topic: its partitions TOPIC_AUTHORIZATION_FAILED (an acknowledgement too)',
    normalise: [
      {
        path: 'responses[*].partitions',
        api: 'ShareFetch',
        action: 'sort',
        key: 'partitionIndex',
        reason: "Kafka answers a share session's partitions from a hash map: their order varies from run to run",
      },
    ],
    steps: [
      ...createTopic('no'),
      deny(TOPIC, n('no'), READ),
      settled(TOPIC, n('no'), 2),
      { api: ShareFetch, body: (c) => shareBody(c, 0, ShareFetch, [0]) },
      { api: ShareFetch, body: (c) => shareBody(c, 1, ShareFetch, [9]) },
      { api: ShareAcknowledge, body: (c) => shareBody(c, 2, ShareAcknowledge, [0], true) },
      { api: ShareFetch, body: (c) => shareBody(c, -1, ShareFetch, []) },
      ...cleanup(TOPIC, n('no')),
    ],
  },
  // Keep last: once Alter on the cluster is denied, DeleteAcls (which needs it) cannot remove the ACLs.
  {
    id: 'acls-more/cluster-alter',
    api: ElectLeaders,
    versions: 'newest',
    about:
      'Without Alter on the cluster: ElectLeaders and AlterPartitionReassignments CLUSTER_AUTHORIZATION_FAILED with "Request ... needs ALTER permission." on each partition, AlterReplicaLogDirs on each partition',
    adjust: requestInMessage,
    steps: [
      ...createTopic('t'),
      deny(CLUSTER, cluster, ALTER),
      settled(CLUSTER, cluster, 2),
      {
        api: ElectLeaders,
        body: (c: Ctx) => ({ electionType: 0, topicPartitions: [{ topic: c.name('t'), partitions: [0] }], timeoutMs: 5000 }),
      },
      { api: ElectLeaders, body: { electionType: 0, topicPartitions: null, timeoutMs: 5000 } },
      {
        api: AlterPartitionReassignments,
        body: (c: Ctx) => ({ timeoutMs: 5000, topics: [{ name: c.name('t'), partitions: [{ partitionIndex: 0, replicas: [1] }] }] }),
      },
      {
        api: AlterReplicaLogDirs,
        body: (c: Ctx) => ({ dirs: [{ path: '/nowhere', topics: [{ name: c.name('t'), partitions: [0, 1] }] }] }),
      },
    ],
  },
];
