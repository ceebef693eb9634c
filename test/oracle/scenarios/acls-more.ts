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
  AlterClientQuotas,
  AlterPartitionReassignments,
  AlterReplicaLogDirs,
  ElectLeaders,
  ListPartitionReassignments,
  DescribeAcls,
  DescribeClientQuotas,
  DescribeLogDirs,
  DescribeTopicPartitions,
  ShareAcknowledge,
  ShareFetch,
} from '../../../protocol/messages/index.js';
import type { Ctx, Res, Scenario } from '../oracle.js';
import { createTopic } from '../steps.js';
import { ALTER, ALTER_CONFIGS, CLUSTER, DESCRIBE, DESCRIBE_CONFIGS, READ, TOPIC, WRITE } from './acl-steps.js';
import { cleanup, cluster, deny, denied, filter, n, okAndNo } from './acls-more-steps.js';
import { ACL_OFFSET_TXN_SCENARIOS } from './acls-more-offsets.js';

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
      ...cleanup(CLUSTER, cluster),
    ],
  },
  {
    id: 'acls-more/describe-client-quotas-denied',
    api: DescribeClientQuotas,
    versions: 'newest',
    about: 'DescribeClientQuotas without DescribeConfigs on the cluster: CLUSTER_AUTHORIZATION_FAILED with its message, null entries',
    steps: [
      ...denied(CLUSTER, cluster, DESCRIBE_CONFIGS),
      { api: DescribeClientQuotas, body: { components: [], strict: false } },
      ...cleanup(CLUSTER, cluster),
    ],
  },
  ...ACL_OFFSET_TXN_SCENARIOS,
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
      ...cleanup(CLUSTER, cluster),
    ],
  },
  {
    id: 'acls-more/alter-client-quotas',
    api: AlterClientQuotas,
    versions: 'newest',
    about: "AlterClientQuotas without AlterConfigs on the cluster: every entry CLUSTER_AUTHORIZATION_FAILED with the error's message",
    steps: [
      ...denied(CLUSTER, cluster, ALTER_CONFIGS),
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
      ...okAndNo(),
      ...denied(TOPIC, n('no'), DESCRIBE),
      ...denied(TOPIC, n('ok'), WRITE),
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
      ...denied(TOPIC, n('no'), READ),
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
      ...denied(CLUSTER, cluster, ALTER),
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
