// The handlers' authorization checks against Kafka 4.4 with StandardAuthorizer on both sides (ACLS_CONFIG of
// acls.ts): Produce, Fetch, Metadata, the group APIs (classic, consumer, share, streams), configs,
// CreateTopics/DeleteTopics/CreatePartitions and transactions, each denied on the scenario's own resources.

import {
  AlterConfigs,
  ConsumerGroupDescribe,
  CreatePartitions,
  CreateTopics,
  DeleteGroups,
  DeleteTopics,
  DescribeConfigs,
  DescribeGroups,
  EndTxn,
  Heartbeat,
  IncrementalAlterConfigs,
  InitProducerId,
  JoinGroup,
  Fetch,
  FindCoordinator,
  ListOffsets,
  Metadata,
  OffsetFetch,
  Produce,
  ShareAcknowledge,
  ShareFetch,
  ShareGroupHeartbeat,
  StreamsGroupHeartbeat,
} from '../../../protocol/messages/index.js';
import type { Scenario } from '../oracle.js';
import { createTopic, records } from '../steps.js';
import {
  TOPIC,
  GROUP,
  TRANSACTIONAL_ID,
  CREATE,
  DELETE,
  DESCRIBE_CONFIGS,
  ALTER_CONFIGS,
  ALTER,
  LITERAL,
  READ,
  WRITE,
  ALL,
  DENY,
  ALLOW,
  n,
  create,
  settled,
  anon,
  commit,
} from './acl-steps.js';

/** Run after the ACL API scenarios of acls.ts (ACL_SCENARIOS). */
export const ACL_HANDLER_SCENARIOS: Scenario[] = [
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
      commit(['t']),
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
