// More of the handlers' authorization checks against Kafka 4.4, both with StandardAuthorizer
// (ACLS_CONFIG of test/oracle/scenarios/acls.ts: no super users, allow.everyone.if.no.acl.found=true,
// so User:ANONYMOUS may do what no ACL guards). Each scenario denies ANONYMOUS one operation (with
// an ALLOW of the rest), checks the answer, and removes its ACLs so the next starts clean:
//   - DescribeLogDirs: Describe on the cluster (KafkaApis.handleDescribeLogDirsRequest);
//   - DescribeClientQuotas: DescribeConfigs on the cluster (KafkaApis.handleDescribeClientQuotasRequest);
//   - OffsetCommit: Read on each topic (KafkaApis.handleOffsetCommitRequest), refused topics first.

import {
  CreateAcls,
  DeleteAcls,
  DescribeAcls,
  DescribeClientQuotas,
  DescribeLogDirs,
  OffsetCommit,
} from '../../../protocol/messages/index.js';
import type { Ctx, Res, Scenario, Step } from '../oracle.js';
import { createTopic, groupCoordinator } from '../steps.js';

const TOPIC = 2;
const CLUSTER = 4;
const LITERAL = 3;
const READ = 3;
const DESCRIBE = 8;
const DESCRIBE_CONFIGS = 10;
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

export const ACL_MORE_SCENARIOS: Scenario[] = [
  {
    id: 'acls-more/describe-log-dirs-denied',
    api: DescribeLogDirs,
    versions: 'newest',
    about: 'DescribeLogDirs without Describe on the cluster: CLUSTER_AUTHORIZATION_FAILED, no results',
    steps: [
      deny(CLUSTER, cluster, DESCRIBE),
      // DescribeAcls itself needs Describe on the cluster: wait on the refused answer instead.
      { api: DescribeLogDirs, body: { topics: null }, until: (r) => r.errorCode === 31 },
      { api: DescribeLogDirs, body: (c: Ctx) => ({ topics: [{ topic: c.name('t'), partitions: [0] }] }) },
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
];
