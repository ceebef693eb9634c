// The classic group protocol (FindCoordinator, JoinGroup, SyncGroup, Heartbeat, LeaveGroup),
// group administration (DescribeGroups, ListGroups, DeleteGroups), offsets (OffsetCommit,
// OffsetFetch, OffsetDelete) and KIP-848 groups (ConsumerGroupHeartbeat, ConsumerGroupDescribe).

import {
  ConsumerGroupDescribe,
  ConsumerGroupHeartbeat,
  DeleteGroups,
  DescribeGroups,
  FindCoordinator,
  Heartbeat,
  JoinGroup,
  LeaveGroup,
  ListGroups,
  OffsetCommit,
  OffsetDelete,
  OffsetFetch,
  SyncGroup,
} from '../../../protocol/messages/index.js';
import type { Ctx, Scenario, Step } from '../oracle.js';
import { CONSUMER_PROTOCOL, coordinator, createTopic, groupCoordinator, joinedGroup } from '../steps.js';

const G = 'g';
const PROTOCOL = { groupInstanceId: null, protocolType: 'consumer', protocolName: 'range' };

const joinBody =
  (o: { memberId?: (c: Ctx) => string; sessionTimeoutMs?: number; protocolType?: string; group?: string } = {}) =>
  (c: Ctx) => ({
    groupId: o.group ?? c.name(G),
    sessionTimeoutMs: o.sessionTimeoutMs ?? 30_000,
    rebalanceTimeoutMs: 30_000,
    memberId: o.memberId ? o.memberId(c) : '',
    groupInstanceId: null,
    protocolType: o.protocolType ?? 'consumer',
    protocols: [{ name: 'range', metadata: CONSUMER_PROTOCOL }],
    reason: null,
  });

const heartbeat = (o: { generation?: (c: Ctx) => number; member?: (c: Ctx) => string; group?: string } = {}): Step => ({
  api: Heartbeat,
  body: (c) => ({
    groupId: o.group ?? c.name(G),
    generationId: o.generation ? o.generation(c) : c.vars.generationId,
    memberId: o.member ? o.member(c) : c.vars.memberId,
    groupInstanceId: null,
  }),
});

const commit = (
  suffix: string,
  parts: Array<[number, number]>,
  o: { generation?: (c: Ctx) => number; member?: (c: Ctx) => string; metadata?: string } = {},
): Step => ({
  api: OffsetCommit,
  body: (c) => ({
    groupId: c.name(G),
    generationIdOrMemberEpoch: o.generation ? o.generation(c) : -1,
    memberId: o.member ? o.member(c) : '',
    groupInstanceId: null,
    retentionTimeMs: -1,
    topics: [
      {
        name: c.name(suffix),
        partitions: parts.map(([partitionIndex, committedOffset]) => ({
          partitionIndex,
          committedOffset,
          committedLeaderEpoch: -1,
          commitTimestamp: -1,
          committedMetadata: o.metadata ?? 'm',
        })),
      },
    ],
  }),
});

const fetchOffsets = (topics: Array<[string, number[]]> | null, requireStable = false): Step => ({
  api: OffsetFetch,
  body: (c) => {
    const ts = topics === null ? null : topics.map(([s, partitionIndexes]) => ({ name: c.name(s), partitionIndexes }));
    return {
      groupId: c.name(G),
      topics: ts,
      groups: [{ groupId: c.name(G), memberId: null, memberEpoch: -1, topics: ts }],
      requireStable,
    };
  },
});

const cgHeartbeat = (
  o: { member?: (c: Ctx) => string; epoch?: (c: Ctx) => number; topics?: string[] | null; group?: string; in?: string } = {},
): Step => ({
  api: ConsumerGroupHeartbeat,
  body: (c) => ({
    groupId: o.group ?? c.name(o.in ?? 'cg'),
    memberId: o.member ? o.member(c) : '',
    memberEpoch: o.epoch ? o.epoch(c) : 0,
    instanceId: null,
    rackId: null,
    rebalanceTimeoutMs: 30_000,
    subscribedTopicNames: o.topics === undefined ? [c.name('t')] : o.topics === null ? null : o.topics.map((s) => c.name(s)),
    serverAssignor: null,
    topicPartitions: o.member ? null : [],
  }),
  save: (r, c) => {
    if (r.errorCode === 0) {
      c.vars.cgMember = r.memberId;
      c.vars.cgEpoch = r.memberEpoch;
    }
  },
});

const cgCommit = (epoch: (c: Ctx) => number, member: (c: Ctx) => string): Step => ({
  api: OffsetCommit,
  body: (c) => ({
    groupId: c.name('cg'),
    generationIdOrMemberEpoch: epoch(c),
    memberId: member(c),
    groupInstanceId: null,
    topics: [
      { name: c.name('t'), partitions: [{ partitionIndex: 0, committedOffset: 1, committedLeaderEpoch: -1, committedMetadata: '' }] },
    ],
  }),
});

export const GROUP_SCENARIOS: Scenario[] = [
  // FindCoordinator
  {
    id: 'groups/find-coordinator',
    api: FindCoordinator,
    steps: [
      ...groupCoordinator(G),
      { api: FindCoordinator, body: (c) => ({ key: c.name(G), keyType: 0, coordinatorKeys: [c.name(G), c.name('other')] }) },
    ],
  },
  {
    id: 'groups/find-coordinator-invalid-key-type',
    api: FindCoordinator,
    versions: [1, 3, 6],
    steps: [{ api: FindCoordinator, body: (c) => ({ key: c.name(G), keyType: 7, coordinatorKeys: [c.name(G)] }) }],
  },
  {
    id: 'groups/find-coordinator-empty-key',
    api: FindCoordinator,
    steps: [coordinator(G), { api: FindCoordinator, body: { key: '', keyType: 0, coordinatorKeys: [''] } }],
  },

  // JoinGroup / SyncGroup / Heartbeat / LeaveGroup
  {
    id: 'groups/join',
    api: JoinGroup,
    about: 'from v4 the first join gets MEMBER_ID_REQUIRED and a member id',
    steps: [
      ...groupCoordinator(G),
      { api: JoinGroup, body: joinBody(), save: (r, c) => (c.vars.memberId = r.memberId) },
      {
        api: JoinGroup,
        body: joinBody({ memberId: (c) => c.vars.memberId }),
        save: (r, c) => (c.vars.memberId = r.memberId || c.vars.memberId),
      },
    ],
  },
  {
    id: 'groups/join-errors',
    api: JoinGroup,
    steps: [
      ...groupCoordinator(G),
      { api: JoinGroup, body: joinBody({ sessionTimeoutMs: 1 }) },
      { api: JoinGroup, body: joinBody({ sessionTimeoutMs: 10_000_000 }) },
      { api: JoinGroup, body: joinBody({ memberId: () => 'not-a-member' }) },
      { api: JoinGroup, body: joinBody({ group: '' }) },
    ],
  },
  {
    id: 'groups/join-inconsistent-protocol',
    api: JoinGroup,
    versions: 'newest',
    steps: [...joinedGroup(G), { api: JoinGroup, body: joinBody({ protocolType: 'connect' }) }],
  },
  {
    id: 'groups/join-static-member',
    api: JoinGroup,
    versions: [5, 7, 9],
    about: 'a second member with the same group.instance.id replaces the first, which is fenced',
    steps: [
      ...groupCoordinator(G),
      { api: JoinGroup, body: (c) => ({ ...joinBody()(c), groupInstanceId: 'static-1' }), save: (r, c) => (c.vars.first = r.memberId) },
      { api: JoinGroup, conn: 'other', body: (c) => ({ ...joinBody()(c), groupInstanceId: 'static-1' }) },
      {
        api: Heartbeat,
        v: (c) => c.newest(Heartbeat),
        body: (c) => ({ groupId: c.name(G), generationId: 1, memberId: c.vars.first, groupInstanceId: 'static-1' }),
      },
    ],
  },
  {
    id: 'groups/sync',
    api: SyncGroup,
    steps: [
      ...joinedGroup(G),
      {
        api: SyncGroup,
        body: (c) => ({
          groupId: c.name(G),
          generationId: c.vars.generationId,
          memberId: c.vars.memberId,
          groupInstanceId: null,
          protocolType: 'consumer',
          protocolName: 'range',
          assignments: [{ memberId: c.vars.memberId, assignment: Buffer.from('a1') }],
        }),
      },
      {
        api: SyncGroup,
        body: (c) => ({
          groupId: c.name(G),
          generationId: c.vars.generationId + 1,
          memberId: c.vars.memberId,
          ...PROTOCOL,
          assignments: [],
        }),
      },
      {
        api: SyncGroup,
        body: (c) => ({ groupId: c.name(G), generationId: c.vars.generationId, memberId: 'nobody', ...PROTOCOL, assignments: [] }),
      },
      { api: SyncGroup, body: (c) => ({ groupId: c.name('missing'), generationId: 1, memberId: 'nobody', ...PROTOCOL, assignments: [] }) },
      {
        api: SyncGroup,
        body: (c) => ({
          groupId: c.name(G),
          generationId: c.vars.generationId,
          memberId: c.vars.memberId,
          protocolType: null,
          protocolName: null,
        }),
      },
    ],
  },
  {
    id: 'groups/sync-inconsistent-protocol',
    api: SyncGroup,
    versions: [5],
    steps: [
      ...joinedGroup(G),
      {
        api: SyncGroup,
        body: (c) => ({
          groupId: c.name(G),
          generationId: c.vars.generationId,
          memberId: c.vars.memberId,
          protocolType: 'consumer',
          protocolName: 'roundrobin',
          assignments: [],
        }),
      },
    ],
  },
  {
    id: 'groups/heartbeat',
    api: Heartbeat,
    steps: [
      ...joinedGroup(G),
      heartbeat(),
      heartbeat({ generation: (c) => c.vars.generationId + 1 }),
      heartbeat({ member: () => 'nobody' }),
      heartbeat({ group: 'no-such-group', member: () => 'nobody', generation: () => 1 }),
    ],
  },
  {
    id: 'groups/leave',
    api: LeaveGroup,
    steps: [
      ...joinedGroup(G),
      {
        api: LeaveGroup,
        body: (c) => ({ groupId: c.name(G), memberId: 'nobody', members: [{ memberId: 'nobody', groupInstanceId: null, reason: null }] }),
      },
      {
        api: LeaveGroup,
        body: (c) => ({
          groupId: c.name(G),
          memberId: c.vars.memberId,
          members: [{ memberId: c.vars.memberId, groupInstanceId: null, reason: 'done' }],
        }),
      },
      heartbeat(),
    ],
  },

  // DescribeGroups / ListGroups / DeleteGroups
  {
    id: 'groups/describe',
    api: DescribeGroups,
    steps: [
      ...joinedGroup(G),
      { api: DescribeGroups, body: (c) => ({ groups: [c.name(G), c.name('missing')], includeAuthorizedOperations: true }) },
    ],
  },
  {
    id: 'groups/list',
    api: ListGroups,
    normalise: [{ path: 'groups', action: 'sort', key: 'groupId', reason: 'Kafka lists groups from a hash map' }],
    steps: [...joinedGroup(G), { api: ListGroups, body: { statesFilter: [], typesFilter: [] } }],
  },
  {
    id: 'groups/list-filters',
    api: ListGroups,
    versions: [4, 5],
    normalise: [{ path: 'groups', action: 'sort', key: 'groupId', reason: 'Kafka lists groups from a hash map' }],
    steps: [
      ...joinedGroup(G),
      { api: ListGroups, body: { statesFilter: ['Stable'], typesFilter: [] } },
      { api: ListGroups, body: { statesFilter: ['stable', 'Empty'], typesFilter: ['classic'] } },
      { api: ListGroups, body: { statesFilter: ['Dead'], typesFilter: [] } },
    ],
  },
  {
    id: 'groups/delete',
    api: DeleteGroups,
    normalise: [{ path: 'results', action: 'sort', key: 'groupId', reason: 'Kafka answers from a hash map of groups' }],
    steps: [
      ...createTopic('t'),
      ...groupCoordinator(G),
      { ...commit('t', [[0, 1]]), compare: false },
      ...joinedGroup('busy'),
      {
        api: DeleteGroups,
        body: (c) => ({ groupsNames: [c.name(G), c.name('busy'), c.name('missing'), ''] }),
      },
      fetchOffsets([['t', [0]]]),
    ],
  },

  // OffsetCommit / OffsetFetch / OffsetDelete
  {
    id: 'groups/offset-commit',
    api: OffsetCommit,
    steps: [
      ...createTopic('t', 2),
      ...groupCoordinator(G),
      commit('t', [
        [0, 5],
        [1, 7],
      ]),
      commit('missing', [[0, 1]]),
      commit('t', [[4, 1]]),
      commit('t', [[0, 1]], { metadata: 'x'.repeat(5000) }),
      fetchOffsets([['t', [0, 1, 3]]]),
    ],
  },
  {
    id: 'groups/offset-commit-member',
    api: OffsetCommit,
    steps: [
      ...createTopic('t'),
      ...joinedGroup(G),
      commit('t', [[0, 3]], { generation: (c) => c.vars.generationId, member: (c) => c.vars.memberId }),
      commit('t', [[0, 3]], { generation: (c) => c.vars.generationId + 1, member: (c) => c.vars.memberId }),
      commit('t', [[0, 3]], { generation: (c) => c.vars.generationId, member: () => 'nobody' }),
    ],
  },
  {
    id: 'groups/offset-fetch',
    api: OffsetFetch,
    steps: [
      ...createTopic('t', 2),
      ...groupCoordinator(G),
      { ...commit('t', [[0, 5]]), compare: false },
      fetchOffsets([
        ['t', [0, 1]],
        ['missing', [0]],
      ]),
    ],
  },
  {
    id: 'groups/offset-fetch-all',
    api: OffsetFetch,
    versions: [2, 5, 9],
    steps: [...createTopic('t'), ...groupCoordinator(G), { ...commit('t', [[0, 5]]), compare: false }, fetchOffsets(null)],
  },
  { id: 'groups/offset-fetch-unknown-group', api: OffsetFetch, steps: [...groupCoordinator(G), fetchOffsets([['t', [0]]])] },
  {
    id: 'groups/offset-delete',
    api: OffsetDelete,
    normalise: [
      { path: 'topics[*].partitions', action: 'sort', key: 'partitionIndex', reason: 'Kafka answers from a hash map of partitions' },
    ],
    steps: [
      ...createTopic('t'),
      ...groupCoordinator(G),
      { ...commit('t', [[0, 5]]), compare: false },
      {
        api: OffsetDelete,
        body: (c) => ({ groupId: c.name(G), topics: [{ name: c.name('t'), partitions: [{ partitionIndex: 0 }, { partitionIndex: 3 }] }] }),
      },
      {
        api: OffsetDelete,
        body: (c) => ({ groupId: c.name('missing'), topics: [{ name: c.name('t'), partitions: [{ partitionIndex: 0 }] }] }),
      },
      fetchOffsets([['t', [0]]]),
    ],
  },

  // KIP-848
  {
    id: 'groups/consumer-heartbeat',
    api: ConsumerGroupHeartbeat,
    steps: [
      ...createTopic('t', 2),
      ...groupCoordinator('cg'),
      cgHeartbeat(),
      cgHeartbeat({ member: (c) => c.vars.cgMember, epoch: (c) => c.vars.cgEpoch, topics: null }),
      cgHeartbeat({ member: (c) => c.vars.cgMember, epoch: () => -1, topics: null }),
    ],
  },
  {
    id: 'groups/consumer-heartbeat-errors',
    api: ConsumerGroupHeartbeat,
    steps: [
      ...createTopic('t'),
      ...groupCoordinator('cg'),
      cgHeartbeat({ member: () => 'AAAAAAAAAAAAAAAAAAAAAQ', epoch: () => 5, topics: null }),
      cgHeartbeat({ topics: null }),
      cgHeartbeat({ group: '' }),
      cgHeartbeat({ epoch: () => 3 }),
    ],
  },
  {
    id: 'groups/offset-commit-consumer-member',
    api: OffsetCommit,
    versions: [9],
    about: 'KIP-848 members commit with their member epoch',
    steps: [
      ...createTopic('t'),
      ...groupCoordinator('cg'),
      { ...cgHeartbeat(), compare: false },
      cgCommit(
        (c) => c.vars.cgEpoch,
        (c) => c.vars.cgMember,
      ),
      cgCommit(
        (c) => c.vars.cgEpoch + 7,
        (c) => c.vars.cgMember,
      ),
      cgCommit(
        () => 1,
        () => 'AAAAAAAAAAAAAAAAAAAAAQ',
      ),
    ],
  },
  {
    id: 'groups/consumer-describe',
    api: ConsumerGroupDescribe,
    steps: [
      ...createTopic('t', 2),
      ...groupCoordinator('cg'),
      { ...cgHeartbeat(), compare: false },
      { api: ConsumerGroupDescribe, body: (c) => ({ groupIds: [c.name('cg'), c.name('missing')], includeAuthorizedOperations: false }) },
    ],
  },
  {
    id: 'groups/consumer-epochs',
    api: ConsumerGroupDescribe,
    about: 'a new group starts at epoch 1 (KAFKA-20268); the last member leaving brings the assignment epoch along (KAFKA-20442)',
    steps: [
      ...createTopic('t', 2),
      ...groupCoordinator('cg'),
      ...groupCoordinator('empty'),
      cgHeartbeat({ in: 'empty', topics: [] }),
      { api: ConsumerGroupDescribe, body: (c) => ({ groupIds: [c.name('empty')], includeAuthorizedOperations: false }) },
      cgHeartbeat(),
      cgHeartbeat({ member: (c) => c.vars.cgMember, epoch: () => -1, topics: null }),
      { api: ConsumerGroupDescribe, body: (c) => ({ groupIds: [c.name('cg')], includeAuthorizedOperations: false }) },
    ],
  },
];
