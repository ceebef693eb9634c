// DescribeAcls, CreateAcls, DeleteAcls, and the authorization checks of the handlers, with
// Kafka's StandardAuthorizer on both sides (ACLS_CONFIG): no super users and
// allow.everyone.if.no.acl.found=true, so User:ANONYMOUS (the PLAINTEXT principal) may manage
// ACLs (there are no cluster ACLs) and a scenario denies itself things on its own topics and
// groups (names from ctx.name, so instances never see each other's ACLs). Kafka applies new ACLs
// to its broker asynchronously: setup steps describe until they are there. Kafka lists ACLs in
// HashMap order; `sortAcls` sorts both sides.

import {
  AlterConfigs,
  ConsumerGroupDescribe,
  CreateAcls,
  CreatePartitions,
  CreateTopics,
  DeleteAcls,
  DeleteGroups,
  DeleteTopics,
  DescribeConfigs,
  DescribeGroups,
  EndTxn,
  Heartbeat,
  IncrementalAlterConfigs,
  InitProducerId,
  JoinGroup,
  DescribeAcls,
  Fetch,
  FindCoordinator,
  ListOffsets,
  Metadata,
  OffsetCommit,
  OffsetFetch,
  Produce,
  ShareAcknowledge,
  ShareFetch,
  ShareGroupHeartbeat,
  StreamsGroupHeartbeat,
} from '../../../protocol/messages/index.js';
import type { Ctx, Res, Scenario, Step } from '../oracle.js';
import type { Rule } from '../normalise.js';
import { createTopic, records } from '../steps.js';

export const ACLS_CONFIG: Record<string, string> = {
  'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
  'allow.everyone.if.no.acl.found': 'true',
};

const TOPIC = 2;
const GROUP = 3;
const CLUSTER = 4;
const TRANSACTIONAL_ID = 5;
const CREATE = 5;
const DELETE = 6;
const DESCRIBE_CONFIGS = 10;
const ALTER_CONFIGS = 11;
const ALTER = 7;
const ANY = 1;
const MATCH = 2;
const LITERAL = 3;
const PREFIXED = 4;
const READ = 3;
const WRITE = 4;
const DESCRIBE = 8;
const ALL = 2;
const DENY = 2;
const ALLOW = 3;

type Acl = [type: number, name: (c: Ctx) => string, pattern: number, principal: string, host: string, op: number, perm: number];
const n = (suffix: string) => (c: Ctx) => c.name(suffix);
const fixed = (name: string) => () => name;

const create = (acls: Acl[], o: { compare?: boolean } = {}): Step => ({
  api: CreateAcls,
  compare: o.compare,
  body: (c) => ({
    creations: acls.map(([resourceType, name, resourcePatternType, principal, host, operation, permissionType]) => ({
      resourceType,
      resourceName: name(c),
      resourcePatternType,
      principal,
      host,
      operation,
      permissionType,
    })),
  }),
});

type Filter = [
  type: number,
  name: ((c: Ctx) => string) | null,
  pattern: number,
  principal: string | null,
  host: string | null,
  op: number,
  perm: number,
];
const filterBody = (
  [resourceTypeFilter, name, patternTypeFilter, principalFilter, hostFilter, operation, permissionType]: Filter,
  c: Ctx,
) => ({
  resourceTypeFilter,
  resourceNameFilter: name ? name(c) : null,
  patternTypeFilter,
  principalFilter,
  hostFilter,
  operation,
  permissionType,
});

const describe = (f: Filter, o: Partial<Step> = {}): Step => ({ api: DescribeAcls, body: (c) => filterBody(f, c), ...o });
const aclCount = (r: Res) => (r.resources ?? []).reduce((sum: number, x: Res) => sum + x.acls.length, 0);
/** Setup: describe until the broker's authorizer holds `count` ACLs matching `f`. */
const settled = (f: Filter, count: number): Step => describe(f, { compare: false, until: (r) => aclCount(r) === count });
const remove = (filters: Filter[], o: Partial<Step> = {}): Step => ({
  api: DeleteAcls,
  body: (c) => ({ filters: filters.map((f) => filterBody(f, c)) }),
  ...o,
});

const key = (x: Res) => JSON.stringify(x);
/** Kafka groups ACLs through HashMaps: compare them sorted. */
function sortAcls(kafka: Res, lite: Res): void {
  for (const side of [kafka, lite]) {
    if (Array.isArray(side?.resources)) {
      for (const r of side.resources) if (Array.isArray(r.acls)) r.acls.sort((a: Res, b: Res) => key(a).localeCompare(key(b)));
      side.resources.sort((a: Res, b: Res) => key(a).localeCompare(key(b)));
    }
    for (const f of side?.filterResults ?? [])
      if (Array.isArray(f.matchingAcls)) f.matchingAcls.sort((a: Res, b: Res) => key(a).localeCompare(key(b)));
  }
}

const anon = 'User:ANONYMOUS';

/** ACL hosts are ACL data, not listener addresses: compared as they are. */
const KEEP_HOSTS: Rule[] = [
  { path: 'resources[*].acls[*].host', action: 'keep', reason: 'an ACL host, not a listener address' },
  { path: 'filterResults[*].matchingAcls[*].host', action: 'keep', reason: 'an ACL host, not a listener address' },
];

export const ACL_SCENARIOS: Scenario[] = [
  {
    id: 'acls/create-describe-delete',
    api: CreateAcls,
    about: 'literal and prefixed ACLs created, described with exact, ANY and MATCH filters, deleted',
    adjust: sortAcls,
    normalise: KEEP_HOSTS,
    steps: [
      create([
        [TOPIC, n('t'), LITERAL, 'User:alice', '*', READ, ALLOW],
        [TOPIC, n('t'), LITERAL, 'User:bob', '10.0.0.1', WRITE, DENY],
        [TOPIC, n('t'), PREFIXED, 'User:alice', '*', ALL, ALLOW],
        [GROUP, n('g'), LITERAL, 'User:*', '*', READ, ALLOW],
        [TOPIC, n('t'), LITERAL, 'User:alice', '*', READ, ALLOW],
      ]),
      settled([TOPIC, n('t'), ANY, null, null, 1, 1], 3),
      settled([GROUP, n('g'), ANY, null, null, 1, 1], 1),
    ],
  },
  {
    id: 'acls/describe-filters',
    api: DescribeAcls,
    adjust: sortAcls,
    normalise: KEEP_HOSTS,
    steps: [
      create(
        [
          [TOPIC, n('t'), LITERAL, 'User:alice', '*', READ, ALLOW],
          [TOPIC, n('t'), LITERAL, 'User:bob', '10.0.0.1', WRITE, DENY],
          [TOPIC, n('t'), PREFIXED, 'User:alice', '*', DESCRIBE, ALLOW],
          [GROUP, n('t'), LITERAL, 'User:carol', '*', READ, ALLOW],
        ],
        { compare: false },
      ),
      settled([ANY, n('t'), ANY, null, null, 1, 1], 4),
      describe([TOPIC, n('t'), LITERAL, null, null, 1, 1]),
      describe([TOPIC, n('t'), PREFIXED, null, null, 1, 1]),
      describe([TOPIC, n('t-sub'), MATCH, null, null, 1, 1]),
      describe([ANY, n('t'), ANY, 'User:alice', null, 1, 1]),
      describe([ANY, n('t'), ANY, null, '10.0.0.1', 1, DENY]),
      describe([ANY, n('t'), ANY, null, null, READ, 1]),
      describe([TOPIC, n('nothing'), LITERAL, null, null, 1, 1]),
      // Unknown codes read as UNKNOWN by Java's fromCode: the filter matches nothing.
      describe([99, n('t'), ANY, null, null, 1, 1]),
    ],
  },
  {
    id: 'acls/create-invalid',
    api: CreateAcls,
    about: 'the per-binding checks and their messages, one request each, then a mixed request',
    steps: [
      create([[CLUSTER, fixed('my-cluster'), LITERAL, anon, '*', READ, ALLOW]]),
      create([[TOPIC, fixed(''), LITERAL, anon, '*', READ, ALLOW]]),
      create([[99, n('t'), LITERAL, anon, '*', READ, ALLOW]]),
      create([[TOPIC, n('t'), 99, anon, '*', READ, ALLOW]]),
      create([[TOPIC, n('t'), LITERAL, anon, '*', 77, ALLOW]]),
      create([[TOPIC, n('t'), LITERAL, anon, '*', READ, 99]]),
      create([[TOPIC, n('t'), LITERAL, 'alice', '*', READ, ALLOW]]),
      create([[TOPIC, n('t'), LITERAL, anon, '', READ, ALLOW]]),
      create([
        [CLUSTER, fixed('my-cluster'), LITERAL, anon, '*', READ, ALLOW],
        [TOPIC, fixed(''), LITERAL, anon, '*', READ, ALLOW],
        [TOPIC, n('ok'), LITERAL, anon, '*', READ, ALLOW],
      ]),
      // ANY and MATCH cannot make an AclBinding: the whole request fails.
      create([
        [ANY, n('t'), LITERAL, anon, '*', READ, ALLOW],
        [TOPIC, n('ok2'), LITERAL, anon, '*', READ, ALLOW],
      ]),
      create([[TOPIC, n('t'), MATCH, anon, '*', READ, ALLOW]]),
      create([[TOPIC, n('t'), ANY, anon, '*', READ, ALLOW]]),
      create([[TOPIC, n('t'), LITERAL, anon, '*', 1, ALLOW]]),
      create([[TOPIC, n('t'), LITERAL, anon, '*', READ, ANY]]),
    ],
  },
  {
    id: 'acls/create-unknown-code-closes',
    api: CreateAcls,
    versions: 'newest',
    steps: [create([[TOPIC, n('t'), 0, anon, '*', READ, ALLOW]])],
  },
  {
    id: 'acls/describe-unknown-code-closes',
    api: DescribeAcls,
    versions: 'newest',
    steps: [describe([0, null, ANY, null, null, 1, 1])],
  },
  {
    id: 'acls/delete',
    api: DeleteAcls,
    adjust: sortAcls,
    normalise: KEEP_HOSTS,
    steps: [
      create(
        [
          [TOPIC, n('t'), LITERAL, 'User:alice', '*', READ, ALLOW],
          [TOPIC, n('t'), LITERAL, 'User:bob', '*', WRITE, DENY],
          [TOPIC, n('t'), PREFIXED, 'User:alice', '*', DESCRIBE, ALLOW],
          [GROUP, n('t'), LITERAL, 'User:carol', '*', READ, ALLOW],
        ],
        { compare: false },
      ),
      settled([ANY, n('t'), ANY, null, null, 1, 1], 4),
      remove([
        [TOPIC, n('t'), LITERAL, 'User:alice', null, 1, 1],
        [TOPIC, n('t'), LITERAL, null, null, 1, 1],
        [TOPIC, n('t'), 0 + 99, null, null, 1, 1],
        [TOPIC, n('t'), ANY, null, null, 99, 1],
        [TOPIC, n('none'), ANY, null, null, 1, 1],
      ]),
      settled([ANY, n('t'), ANY, null, null, 1, 1], 2),
      remove([[ANY, n('t'), ANY, null, null, 1, 1]]),
      settled([ANY, n('t'), ANY, null, null, 1, 1], 0),
      describe([ANY, n('t'), ANY, null, null, 1, 1]),
    ],
  },
  {
    id: 'acls/topic-denied',
    api: Produce,
    versions: 'newest',
    about: 'ANONYMOUS may read a topic but not write it: Produce, Fetch, ListOffsets, Metadata',
    steps: [
      ...createTopic('t'),
      create(
        [
          [TOPIC, n('t'), LITERAL, anon, '*', READ, ALLOW],
          [TOPIC, n('t'), LITERAL, anon, '*', WRITE, DENY],
        ],
        { compare: false },
      ),
      settled([TOPIC, n('t'), LITERAL, null, null, 1, 1], 2),
      {
        api: Produce,
        body: (c) => ({
          transactionalId: null,
          acks: 1,
          timeoutMs: 5000,
          topicData: [{ name: c.name('t'), partitionData: [{ index: 0, records: records(2) }] }],
        }),
      },
      {
        api: ListOffsets,
        body: (c) => ({
          replicaId: -1,
          isolationLevel: 0,
          topics: [{ name: c.name('t'), partitions: [{ partitionIndex: 0, timestamp: -1 }] }],
        }),
      },
      {
        api: Metadata,
        body: (c) => ({ topics: [{ name: c.name('t') }], allowAutoTopicCreation: false, includeTopicAuthorizedOperations: true }),
      },
    ],
  },
  {
    id: 'acls/topic-hidden',
    api: Metadata,
    versions: 'newest',
    about: 'every operation denied: TOPIC_AUTHORIZATION_FAILED when named, left out of the all-topics list, Fetch refused',
    steps: [
      ...createTopic('t'),
      create([[TOPIC, n('t'), LITERAL, anon, '*', ALL, DENY]], { compare: false }),
      settled([TOPIC, n('t'), LITERAL, null, null, 1, 1], 1),
      { api: Metadata, body: (c) => ({ topics: [{ name: c.name('t') }], allowAutoTopicCreation: false }) },
      {
        api: Fetch,
        body: (c) => ({
          replicaId: -1,
          maxWaitMs: 0,
          minBytes: 0,
          maxBytes: 1000,
          isolationLevel: 0,
          sessionId: 0,
          sessionEpoch: -1,
          topics: [{ topic: c.name('t'), partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1000 }] }],
          forgottenTopicsData: [],
          rackId: '',
        }),
        v: 12,
      },
    ],
  },
  {
    id: 'acls/group-denied',
    api: FindCoordinator,
    versions: 'newest',
    steps: [
      create([[GROUP, n('g'), LITERAL, anon, '*', ALL, DENY]], { compare: false }),
      settled([GROUP, n('g'), LITERAL, null, null, 1, 1], 1),
      { api: FindCoordinator, body: (c) => ({ keyType: 0, coordinatorKeys: [c.name('g')] }) },
      { api: OffsetFetch, v: 8, body: (c) => ({ groups: [{ groupId: c.name('g'), topics: null }], requireStable: false }) },
      {
        api: JoinGroup,
        v: 9,
        body: (c) => ({
          groupId: c.name('g'),
          sessionTimeoutMs: 10000,
          rebalanceTimeoutMs: 10000,
          memberId: '',
          groupInstanceId: null,
          protocolType: 'consumer',
          protocols: [{ name: 'range', metadata: Buffer.alloc(0) }],
          reason: null,
        }),
      },
      { api: Heartbeat, v: 4, body: (c) => ({ groupId: c.name('g'), generationId: 1, memberId: 'm', groupInstanceId: null }) },
      {
        api: OffsetCommit,
        v: 9,
        body: (c) => ({
          groupId: c.name('g'),
          generationIdOrMemberEpoch: -1,
          memberId: '',
          groupInstanceId: null,
          topics: [
            {
              name: c.name('t'),
              partitions: [{ partitionIndex: 0, committedOffset: 1, committedLeaderEpoch: -1, committedMetadata: null }],
            },
          ],
        }),
      },
    ],
  },
  {
    id: 'acls/share-streams-group-denied',
    api: ShareGroupHeartbeat,
    versions: 'newest',
    about: 'Read denied on a group: the share and streams heartbeats, ShareFetch and ShareAcknowledge refused whole',
    steps: [
      create([[GROUP, n('g'), LITERAL, anon, '*', ALL, DENY]], { compare: false }),
      settled([GROUP, n('g'), LITERAL, null, null, 1, 1], 1),
      {
        api: ShareGroupHeartbeat,
        body: (c) => ({
          groupId: c.name('g'),
          memberId: 'AAAAAAAAAAAAAAAAAAAAAQ',
          memberEpoch: 0,
          rackId: null,
          subscribedTopicNames: ['t'],
        }),
      },
      {
        api: ShareFetch,
        v: 1,
        body: (c) => ({
          groupId: c.name('g'),
          memberId: 'AAAAAAAAAAAAAAAAAAAAAQ',
          shareSessionEpoch: 0,
          maxWaitMs: 0,
          minBytes: 1,
          maxBytes: 1000,
          maxRecords: 10,
          batchSize: 10,
          topics: [],
          forgottenTopicsData: [],
        }),
      },
      {
        api: ShareAcknowledge,
        v: 1,
        body: (c) => ({ groupId: c.name('g'), memberId: 'AAAAAAAAAAAAAAAAAAAAAQ', shareSessionEpoch: 1, topics: [] }),
      },
      {
        api: StreamsGroupHeartbeat,
        v: 0,
        body: (c) => ({
          groupId: c.name('g'),
          memberId: 'AAAAAAAAAAAAAAAAAAAAAQ',
          memberEpoch: 0,
          endpointInformationEpoch: 0,
          instanceId: null,
          rackId: null,
          rebalanceTimeoutMs: 10000,
          topology: null,
          activeTasks: null,
          standbyTasks: null,
          warmupTasks: null,
          processId: null,
          userEndpoint: null,
          clientTags: null,
          taskOffsets: null,
          taskEndOffsets: null,
          shutdownApplication: false,
        }),
      },
    ],
  },
  {
    id: 'acls/groups-denied',
    api: DescribeGroups,
    versions: 'newest',
    about: 'Describe and Delete denied on a group: DescribeGroups, ListGroups, DeleteGroups',
    steps: [
      create([[GROUP, n('g'), LITERAL, anon, '*', ALL, DENY]], { compare: false }),
      settled([GROUP, n('g'), LITERAL, null, null, 1, 1], 1),
      { api: DescribeGroups, body: (c) => ({ groups: [c.name('g')], includeAuthorizedOperations: true }) },
      { api: DeleteGroups, body: (c) => ({ groupsNames: [c.name('g')] }) },
      { api: ConsumerGroupDescribe, body: (c) => ({ groupIds: [c.name('g')], includeAuthorizedOperations: true }) },
    ],
  },
  {
    id: 'acls/configs-denied',
    api: DescribeConfigs,
    versions: 'newest',
    about: 'DescribeConfigs without DescribeConfigs on a topic: TOPIC_AUTHORIZATION_FAILED, after the others',
    steps: [
      ...createTopic('t'),
      ...createTopic('open'),
      create(
        [
          [TOPIC, n('t'), LITERAL, anon, '*', DESCRIBE_CONFIGS, DENY],
          [TOPIC, n('t'), LITERAL, anon, '*', ALTER_CONFIGS, DENY],
          [TOPIC, n('t'), LITERAL, anon, '*', ALTER, DENY],
        ],
        { compare: false },
      ),
      settled([TOPIC, n('t'), LITERAL, null, null, 1, 1], 3),
      {
        api: IncrementalAlterConfigs,
        body: (c) => ({
          resources: [
            { resourceType: 2, resourceName: c.name('t'), configs: [{ name: 'retention.ms', configOperation: 0, value: '1000' }] },
          ],
          validateOnly: false,
        }),
      },
      {
        api: AlterConfigs,
        body: (c) => ({
          resources: [{ resourceType: 2, resourceName: c.name('t'), configs: [{ name: 'retention.ms', value: '1000' }] }],
          validateOnly: false,
        }),
      },
      {
        api: CreatePartitions,
        body: (c) => ({ topics: [{ name: c.name('t'), count: 2, assignments: null }], timeoutMs: 5000, validateOnly: false }),
      },
      {
        api: DescribeConfigs,
        body: (c) => ({
          resources: [
            { resourceType: 2, resourceName: c.name('t'), configurationKeys: ['retention.ms'] },
            { resourceType: 2, resourceName: c.name('open'), configurationKeys: ['retention.ms'] },
          ],
          includeSynonyms: false,
          includeDocumentation: false,
        }),
      },
    ],
  },
  {
    id: 'acls/topics-create-delete-denied',
    api: CreateTopics,
    versions: 'newest',
    // No cluster ACLs and allow.everyone.if.no.acl.found: Create and Delete on the cluster allow
    // every topic; a topic's own DENY still withholds its configs (no DescribeConfigs).
    normalise: [{ path: 'responses', api: 'DeleteTopics', action: 'sort', key: 'name', reason: 'Kafka answers from hash maps' }],
    about: 'topic ACLs under cluster-wide Create/Delete: configs withheld from CreateTopics, deletes allowed',
    steps: [
      ...createTopic('d'),
      ...createTopic('h'),
      create(
        [
          [TOPIC, n('c'), LITERAL, anon, '*', CREATE, DENY],
          [TOPIC, n('d'), LITERAL, anon, '*', DELETE, DENY],
          [TOPIC, n('h'), LITERAL, anon, '*', ALL, DENY],
          [TOPIC, n('x'), LITERAL, anon, '*', ALL, DENY],
        ],
        { compare: false },
      ),
      settled([TOPIC, n('c'), LITERAL, null, null, 1, 1], 1),
      settled([TOPIC, n('d'), LITERAL, null, null, 1, 1], 1),
      settled([TOPIC, n('h'), LITERAL, null, null, 1, 1], 1),
      settled([TOPIC, n('x'), LITERAL, null, null, 1, 1], 1),
      {
        api: CreateTopics,
        body: (c) => ({
          topics: [{ name: c.name('c'), numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
          timeoutMs: 5000,
          validateOnly: false,
        }),
      },
      { api: DeleteTopics, v: 5, body: (c) => ({ topicNames: [c.name('d'), c.name('h'), c.name('x')], timeoutMs: 5000 }) },
    ],
  },
  {
    id: 'acls/txn-denied',
    api: InitProducerId,
    versions: 'newest',
    steps: [
      create([[TRANSACTIONAL_ID, n('tx'), LITERAL, anon, '*', WRITE, DENY]], { compare: false }),
      settled([TRANSACTIONAL_ID, n('tx'), LITERAL, null, null, 1, 1], 1),
      { api: FindCoordinator, body: (c) => ({ keyType: 1, coordinatorKeys: [c.name('tx')] }) },
      {
        api: InitProducerId,
        body: (c) => ({
          transactionalId: c.name('tx'),
          transactionTimeoutMs: 10000,
          producerId: -1,
          producerEpoch: -1,
          enable2Pc: false,
          keepPreparedTxn: false,
        }),
      },
      { api: EndTxn, v: 4, body: (c) => ({ transactionalId: c.name('tx'), producerId: 1, producerEpoch: 0, committed: true }) },
      ...createTopic('t'),
      {
        api: Produce,
        v: 11,
        body: (c) => ({
          transactionalId: c.name('tx'),
          acks: -1,
          timeoutMs: 5000,
          topicData: [
            {
              name: c.name('t'),
              partitionData: [{ index: 0, records: records(1, { producerId: 7, producerEpoch: 0, transactional: true }) }],
            },
          ],
        }),
      },
    ],
  },
];

/** Without an authorizer (kafkalite's and Kafka's default): SECURITY_DISABLED (test/oracle/acls-disabled.test.ts). */
export const ACL_DISABLED_SCENARIOS: Scenario[] = [
  {
    id: 'acls-disabled/describe',
    api: DescribeAcls,
    steps: [describe([ANY, null, ANY, null, null, 1, 1])],
  },
  {
    id: 'acls-disabled/create',
    api: CreateAcls,
    steps: [create([[TOPIC, n('t'), LITERAL, anon, '*', READ, ALLOW]])],
  },
  {
    id: 'acls-disabled/delete',
    api: DeleteAcls,
    steps: [remove([[ANY, null, ANY, null, null, 1, 1]])],
  },
];
