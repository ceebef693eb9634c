// KIP-932 share groups, the membership side: ShareGroupHeartbeat (join with the client's member
// id, heartbeat, leave, request checks and their messages, fencing) and ShareGroupDescribe, and
// how the other group APIs (FindCoordinator, ListGroups, DescribeGroups, ConsumerGroupDescribe,
// ConsumerGroupHeartbeat, DeleteGroups, OffsetCommit/OffsetFetch) answer for a share group.
// Member ids are the client's, so they are fixed strings here.

import {
  ConsumerGroupDescribe,
  ConsumerGroupHeartbeat,
  DeleteGroups,
  DescribeGroups,
  FindCoordinator,
  ListGroups,
  OffsetCommit,
  OffsetFetch,
  ShareGroupDescribe,
  ShareGroupHeartbeat,
} from '../../../protocol/messages/index.js';
import type { Ctx, Res, Scenario, Step } from '../oracle.js';
import { createTopic, groupCoordinator } from '../steps.js';

const MEMBER = 'shareMemberAAAAAAAAAAA';
const OTHER = 'shareMemberBBBBBBBBBBB';
/** Kafka 4.4 initializes a share-partition's state asynchronously before assigning it. */
const SETTLE = 1_500;

interface HbOpts {
  group?: string;
  member?: string;
  epoch?: (c: Ctx) => number;
  topics?: (c: Ctx) => string[] | null;
  rackId?: string | null;
  compare?: boolean;
  delayMs?: number;
}

const hb = (o: HbOpts = {}): Step => ({
  api: ShareGroupHeartbeat,
  ...(o.compare === false ? { compare: false } : {}),
  ...(o.delayMs ? { delayMs: o.delayMs } : {}),
  body: (c) => {
    const epoch = o.epoch ? o.epoch(c) : 0;
    return {
      groupId: o.group ?? c.name('sg'),
      memberId: o.member ?? MEMBER,
      memberEpoch: epoch,
      rackId: o.rackId ?? null,
      subscribedTopicNames: o.topics ? o.topics(c) : epoch === 0 ? [c.name('in')] : null,
    };
  },
  save: (r: Res, c: Ctx) => {
    if (r.errorCode === 0) c.vars[`epoch:${o.member ?? MEMBER}`] = r.memberEpoch;
  },
});

/** Setup: heartbeats until the member holds partitions (Kafka initializes the share-partitions' state first). */
const settle = (member = MEMBER): Step => ({
  ...hb({ member, epoch: (c) => epochOf(member)(c), compare: false }),
  until: (r: Res) => r.errorCode === 0 && r.assignment !== null && r.assignment.topicPartitions.length > 0,
});

const epochOf =
  (member = MEMBER) =>
  (c: Ctx) =>
    (c.vars[`epoch:${member}`] as number | undefined) ?? 0;

const describe = (groups: string[], ops = false): Step => ({
  api: ShareGroupDescribe,
  body: (c) => ({ groupIds: groups.map((g) => (g === '' ? '' : c.name(g))), includeAuthorizedOperations: ops }),
});

const sortMembers = [
  { path: 'groups[*].members', action: 'sort' as const, key: 'memberId', reason: 'Kafka answers from a hash map of members' },
];

const consumerJoin = (group: string): Step => ({
  api: ConsumerGroupHeartbeat,
  compare: false,
  body: (c: Ctx) => ({
    groupId: c.name(group),
    memberId: '',
    memberEpoch: 0,
    instanceId: null,
    rackId: null,
    rebalanceTimeoutMs: 30_000,
    subscribedTopicNames: [c.name('in')],
    serverAssignor: null,
    topicPartitions: [],
  }),
});

export const SHARE_GROUP_SCENARIOS: Scenario[] = [
  {
    id: 'share/heartbeat-join-leave',
    api: ShareGroupHeartbeat,
    about: 'a join with the member id the client made, heartbeats until the assignment is there, describe, leave',
    normalise: sortMembers,
    steps: [
      ...createTopic('in', 2),
      ...groupCoordinator('sg'),
      hb({ compare: false }),
      settle(),
      hb({ epoch: epochOf() }),
      describe(['sg']),
      hb({ epoch: () => -1 }),
      describe(['sg'], true),
    ],
  },
  {
    id: 'share/heartbeat-two-members',
    api: ShareGroupHeartbeat,
    about: 'a second member: the `simple` assignor splits the partitions, no revocation step',
    normalise: sortMembers,
    adjust: (k, l) => {
      // How many partitions each member holds is compared; which ones is not: Kafka's `simple`
      // assignor picks among balanced splits by walking hash sets, differently from run to run
      // (kafkalite picks a reproducible one, broker/groups/share/assignor.ts).
      const count = (a: Res) => {
        for (const t of a?.topicPartitions ?? []) t.partitions = [`${t.partitions.length} partition(s)`];
      };
      for (const r of [k, l]) {
        count(r.assignment);
        for (const g of r.groups ?? []) for (const m of g.members ?? []) count(m.assignment);
      }
    },
    steps: [
      ...createTopic('in', 4),
      ...groupCoordinator('sg'),
      hb({ compare: false }),
      hb({ epoch: epochOf(), delayMs: SETTLE, compare: false }),
      hb({ member: OTHER, compare: false }),
      hb({ member: OTHER, epoch: epochOf(OTHER), delayMs: SETTLE, compare: false }),
      hb({ epoch: epochOf(), compare: false }),
      hb({ epoch: epochOf() }),
      hb({ member: OTHER, epoch: epochOf(OTHER) }),
      describe(['sg']),
      hb({ member: OTHER, epoch: () => -1 }),
      hb({ epoch: epochOf() }),
    ],
  },
  {
    id: 'share/heartbeat-errors',
    api: ShareGroupHeartbeat,
    about: 'request checks (INVALID_REQUEST with Kafka messages), unknown groups and members, fenced epochs, a consumer group id',
    steps: [
      ...createTopic('in', 1),
      ...groupCoordinator('sg'),
      hb({ member: '' }),
      hb({ group: '' }),
      hb({ rackId: '' }),
      hb({ topics: () => [] }),
      hb({ topics: () => null }),
      hb({ epoch: () => -2 }),
      hb({ epoch: () => 3 }),
      hb({ epoch: () => -1 }),
      hb({ compare: false }),
      hb({ epoch: () => 40 }),
      hb({ member: OTHER, epoch: () => 1 }),
      hb({ member: OTHER, epoch: () => -1 }),
      consumerJoin('cg'),
      { ...hb(), body: (c: Ctx) => ({ ...(hb().body as (c: Ctx) => Record<string, unknown>)(c), groupId: c.name('cg') }) },
    ],
  },
  {
    id: 'share/describe',
    api: ShareGroupDescribe,
    about: 'a share group, an unknown group, a consumer group and an empty id',
    steps: [
      ...createTopic('in', 1),
      ...groupCoordinator('sg'),
      hb({ compare: false }),
      settle(),
      consumerJoin('cg'),
      describe(['sg', 'missing', 'cg', ''], true),
    ],
  },
  {
    id: 'share/other-group-apis',
    api: ConsumerGroupDescribe,
    about: 'ConsumerGroupDescribe, DescribeGroups, ListGroups, DeleteGroups and a ConsumerGroupHeartbeat on a share group',
    steps: [
      ...createTopic('in', 1),
      ...groupCoordinator('sg'),
      hb({ compare: false }),
      { api: ConsumerGroupDescribe, body: (c: Ctx) => ({ groupIds: [c.name('sg')], includeAuthorizedOperations: false }) },
      { api: DescribeGroups, body: (c: Ctx) => ({ groups: [c.name('sg')], includeAuthorizedOperations: false }) },
      { ...consumerJoin('sg'), compare: true },
      { api: DeleteGroups, body: (c: Ctx) => ({ groupsNames: [c.name('sg')] }) },
      hb({ epoch: () => -1, compare: false }),
      { api: DeleteGroups, body: (c: Ctx) => ({ groupsNames: [c.name('sg')] }) },
      describe(['sg']),
    ],
  },
  {
    id: 'share/list-groups',
    api: ListGroups,
    versions: [5],
    about: 'a share group listed with type share and its state, and the type and state filters',
    normalise: [{ path: 'groups', action: 'sort', key: 'groupId', reason: 'Kafka lists groups from a hash map' }],
    adjust: (k, l) => {
      // Only this scenario's groups: the broker is shared with the file's other scenarios.
      for (const r of [k, l]) r.groups = r.groups.filter((g: Res) => String(g.groupId).startsWith('share-list-groups-'));
    },
    steps: [
      ...createTopic('in', 1),
      ...groupCoordinator('sg'),
      hb({ compare: false }),
      ...groupCoordinator('empty'),
      hb({ group: 'empty', member: OTHER, compare: false }),
      hb({ group: 'empty', member: OTHER, epoch: () => -1, compare: false }),
      { api: ListGroups, body: { statesFilter: [], typesFilter: ['share'] } },
      { api: ListGroups, body: { statesFilter: ['Empty'], typesFilter: ['share'] } },
      { api: ListGroups, body: { statesFilter: ['stable'], typesFilter: [] } },
      { api: ListGroups, body: { statesFilter: [], typesFilter: ['consumer'] } },
    ],
  },
  {
    id: 'share/offsets',
    api: OffsetCommit,
    versions: [9],
    about: 'OffsetCommit and OffsetFetch against a share group id',
    steps: [
      ...createTopic('in', 1),
      ...groupCoordinator('sg'),
      hb({ compare: false }),
      {
        api: OffsetCommit,
        body: (c: Ctx) => ({
          groupId: c.name('sg'),
          generationIdOrMemberEpoch: -1,
          memberId: '',
          groupInstanceId: null,
          retentionTimeMs: -1,
          topics: [
            {
              name: c.name('in'),
              partitions: [{ partitionIndex: 0, committedOffset: 3, committedLeaderEpoch: -1, committedMetadata: '' }],
            },
          ],
        }),
      },
      {
        api: OffsetCommit,
        body: (c: Ctx) => ({
          groupId: c.name('sg'),
          generationIdOrMemberEpoch: epochOf()(c),
          memberId: MEMBER,
          groupInstanceId: null,
          retentionTimeMs: -1,
          topics: [
            {
              name: c.name('in'),
              partitions: [{ partitionIndex: 0, committedOffset: 3, committedLeaderEpoch: -1, committedMetadata: '' }],
            },
          ],
        }),
      },
      {
        api: OffsetFetch,
        v: 9,
        body: (c: Ctx) => ({
          groups: [{ groupId: c.name('sg'), memberId: null, memberEpoch: -1, topics: [{ name: c.name('in'), partitionIndexes: [0] }] }],
          requireStable: false,
        }),
      },
      {
        api: OffsetFetch,
        v: 9,
        body: (c: Ctx) => ({
          groups: [{ groupId: c.name('sg'), memberId: MEMBER, memberEpoch: epochOf()(c), topics: null }],
          requireStable: false,
        }),
      },
    ],
  },
  {
    id: 'share/find-coordinator',
    api: FindCoordinator,
    versions: [6],
    about: 'key type 0 for a share group, key type 2 (the share coordinator, key group:topicId:partition)',
    steps: [
      ...createTopic('in', 1),
      { api: FindCoordinator, body: (c: Ctx) => ({ keyType: 0, coordinatorKeys: [c.name('sg')] }) },
      // A fixed topic id: Kafka checks the key's shape, not that the topic exists.
      { api: FindCoordinator, body: (c: Ctx) => ({ keyType: 2, coordinatorKeys: [`${c.name('sg')}:Pm2h9Uy2SQ2z39UeeX0B5A:0`] }) },
      {
        api: FindCoordinator,
        body: (c: Ctx) => ({ keyType: 2, coordinatorKeys: [`${c.name('sg')}:notauuid:0`, `${c.name('sg')}:Pm2h9Uy2SQ2z39UeeX0B5A:x`] }),
      },
      { api: FindCoordinator, body: { keyType: 2, coordinatorKeys: ['not-a-share-key'] } },
      { api: FindCoordinator, body: { keyType: 3, coordinatorKeys: ['x'] } },
    ],
  },
];
