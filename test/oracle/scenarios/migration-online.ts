// KIP-848 online migration at the default policy (bidirectional; broker/groups/migration.ts,
// consumer-group-classic.ts): a KIP-848 member joining a classic group with a member converts it,
// and a classic member joins a consumer group through the consumer group's state machine. What
// each request answers and what ConsumerGroupDescribe, DescribeGroups and ListGroups show.

import {
  ConsumerGroupDescribe,
  ConsumerGroupHeartbeat,
  DescribeGroups,
  Heartbeat,
  JoinGroup,
  LeaveGroup,
  ListGroups,
  OffsetCommit,
  SyncGroup,
} from '../../../protocol/messages/index.js';
import { ConsumerProtocolAssignment, ConsumerProtocolSubscription } from '../../../protocol/messages/consumer-protocol.js';
import { encodeVersioned } from '../../../protocol/messages/group-records.js';
import type { Rule } from '../normalise.js';
import type { Ctx, Scenario, Step } from '../oracle.js';
import { createTopic, groupCoordinator } from '../steps.js';

/** A classic consumer subscription (v1: topics, no owned partitions) to this instance's topic t. */
const subscription = (c: Ctx) =>
  encodeVersioned(ConsumerProtocolSubscription, 1, { topics: [c.name('t')], userData: null, ownedPartitions: [] });

const classicJoinBody = (group: string, memberVar: string) => (c: Ctx) => ({
  groupId: c.name(group),
  sessionTimeoutMs: 30_000,
  rebalanceTimeoutMs: 30_000,
  memberId: c.vars[memberVar] ?? '',
  groupInstanceId: null,
  protocolType: 'consumer',
  protocols: [{ name: 'range', metadata: subscription(c) }],
  reason: null,
});

/** A classic group with one member owning t-0 and t-1, joined and synced: vars.classicMember, vars.generation. */
const classicGroup = (group: string): Step[] => [
  ...groupCoordinator(group),
  {
    api: JoinGroup,
    compare: false,
    body: classicJoinBody(group, 'classicMember'),
    save: (r, c) => (c.vars.classicMember = r.memberId),
  },
  {
    api: JoinGroup,
    compare: false,
    body: classicJoinBody(group, 'classicMember'),
    until: (r) => r.errorCode === 0,
    save: (r, c) => {
      c.vars.classicMember = r.memberId;
      c.vars.generation = r.generationId;
    },
  },
  {
    api: SyncGroup,
    compare: false,
    body: (c: Ctx) => ({
      groupId: c.name(group),
      generationId: c.vars.generation,
      memberId: c.vars.classicMember,
      groupInstanceId: null,
      protocolType: 'consumer',
      protocolName: 'range',
      assignments: [
        {
          memberId: c.vars.classicMember,
          assignment: encodeVersioned(ConsumerProtocolAssignment, 1, {
            assignedPartitions: [{ topic: c.name('t'), partitions: [0, 1] }],
            userData: null,
          }),
        },
      ],
    }),
    until: (r) => r.errorCode === 0,
  },
];

/** A KIP-848 member joining `group` (epoch 0), subscribed to t; its id in vars.cgMember. */
const cgJoin = (group: string, compare: boolean): Step => ({
  api: ConsumerGroupHeartbeat,
  compare,
  // A setup join uses v1 with its own member id (a v0 member is described with an empty regex by Kafka 4.4).
  v: compare ? undefined : 1,
  body: (c) => ({
    groupId: c.name(group),
    memberId: !compare || c.v >= 1 ? 'kafkalite-oracle-member' : '',
    memberEpoch: 0,
    instanceId: null,
    rackId: null,
    rebalanceTimeoutMs: 30_000,
    subscribedTopicNames: [c.name('t')],
    serverAssignor: null,
    topicPartitions: [],
  }),
  until: compare ? undefined : (r) => r.errorCode === 0,
  save: (r, c) => {
    c.vars.cgMember = r.memberId;
    c.vars.cgEpoch = r.memberEpoch;
  },
});

const describe = (group: string): Step => ({
  api: ConsumerGroupDescribe,
  body: (c) => ({ groupIds: [c.name(group)], includeAuthorizedOperations: false }),
});
const describeClassic = (group: string): Step => ({
  api: DescribeGroups,
  body: (c) => ({ groups: [c.name(group)], includeAuthorizedOperations: false }),
});
const listGroups: Step = { api: ListGroups, body: { statesFilter: [], typesFilter: [] } };

const heartbeat = (group: string, generation: (c: Ctx) => number): Step => ({
  api: Heartbeat,
  body: (c) => ({ groupId: c.name(group), generationId: generation(c), memberId: c.vars.classicMember, groupInstanceId: null }),
});

/** Kafka keeps a consumer group's members in a hash map: ConsumerGroupDescribe lists them in its order. */
const MEMBERS_BY_TYPE: Rule[] = [
  {
    path: 'groups[*].members',
    api: 'ConsumerGroupDescribe',
    action: 'sort',
    key: 'memberType',
    reason: 'Kafka lists members from a hash map (ConsumerGroup.members); one classic and one consumer member here',
  },
  { path: 'groups', api: 'ListGroups', action: 'sort', key: 'groupId', reason: 'Kafka lists groups from a hash map' },
];

const classicCommit = (generation: (c: Ctx) => number): Step => ({
  api: OffsetCommit,
  body: (c) => ({
    groupId: c.name('cg'),
    generationIdOrMemberEpoch: generation(c),
    memberId: c.vars.classicMember,
    groupInstanceId: null,
    retentionTimeMs: -1,
    topics: [
      { name: c.name('t'), partitions: [{ partitionIndex: 0, committedOffset: 1, committedLeaderEpoch: -1, committedMetadata: '' }] },
    ],
  }),
});

export const MIGRATION_ONLINE_SCENARIOS: Scenario[] = [
  {
    id: 'migration-online/heartbeat-upgrades-classic-group',
    api: ConsumerGroupHeartbeat,
    about: 'a KIP-848 member joining a classic group with one member converts it; the classic member keeps its partitions and epoch',
    normalise: MEMBERS_BY_TYPE,
    steps: [
      ...createTopic('t', 2),
      ...classicGroup('g'),
      cgJoin('g', true),
      describe('g'),
      describeClassic('g'),
      heartbeat('g', (c) => c.vars.generation),
      heartbeat('g', (c) => c.vars.generation + 5),
    ],
  },
  {
    id: 'migration-online/upgraded-group-described',
    api: ConsumerGroupDescribe,
    about: 'ConsumerGroupDescribe v0/v1 (MemberType) and ListGroups of a converted group',
    normalise: [{ ...MEMBERS_BY_TYPE[0]!, key: 'memberEpoch' }, MEMBERS_BY_TYPE[1]!],
    steps: [...createTopic('t', 2), ...classicGroup('g'), cgJoin('g', false), describe('g'), listGroups],
  },
  {
    id: 'migration-online/classic-join-to-consumer-group',
    api: JoinGroup,
    versions: [3, 4, 9],
    about: 'a classic member joining a consumer group with one KIP-848 member: JoinGroup, SyncGroup, Heartbeat, LeaveGroup',
    normalise: MEMBERS_BY_TYPE,
    steps: [
      ...createTopic('t', 2),
      ...groupCoordinator('cg'),
      cgJoin('cg', false),
      describe('cg'),
      // Kafka 4.4 computes a group's assignment at most every group.consumer.assignment.interval.ms
      // (1 s), which kafkalite does not: the classic member joins after it.
      {
        api: JoinGroup,
        delayMs: 1_100,
        body: classicJoinBody('cg', 'classicMember'),
        save: (r, c) => (c.vars.classicMember = r.memberId),
      },
      {
        api: JoinGroup,
        body: classicJoinBody('cg', 'classicMember'),
        save: (r, c) => {
          c.vars.classicMember = r.memberId;
          c.vars.generation = r.generationId;
        },
      },
      describe('cg'),
      {
        api: SyncGroup,
        body: (c: Ctx) => ({
          groupId: c.name('cg'),
          generationId: c.vars.generation,
          memberId: c.vars.classicMember,
          groupInstanceId: null,
          protocolType: 'consumer',
          protocolName: 'range',
          assignments: [],
        }),
      },
      heartbeat('cg', (c) => c.vars.generation),
      describeClassic('cg'),
      {
        api: LeaveGroup,
        body: (c: Ctx) => ({
          groupId: c.name('cg'),
          memberId: c.vars.classicMember,
          members: [{ memberId: c.vars.classicMember, groupInstanceId: null, reason: null }],
        }),
      },
      describe('cg'),
    ],
  },
  {
    id: 'migration-online/last-consumer-member-leaves',
    api: ConsumerGroupHeartbeat,
    about: 'the last KIP-848 member leaving a group whose other member is classic turns it back into a classic group, which rebalances',
    normalise: MEMBERS_BY_TYPE,
    steps: [
      ...createTopic('t', 2),
      ...groupCoordinator('cg'),
      cgJoin('cg', false),
      {
        api: JoinGroup,
        delayMs: 1_100,
        compare: false,
        body: classicJoinBody('cg', 'classicMember'),
        save: (r, c) => (c.vars.classicMember = r.memberId),
      },
      {
        api: JoinGroup,
        compare: false,
        body: classicJoinBody('cg', 'classicMember'),
        until: (r) => r.errorCode === 0,
        save: (r, c) => (c.vars.generation = r.generationId),
      },
      {
        api: SyncGroup,
        compare: false,
        body: (c: Ctx) => ({
          groupId: c.name('cg'),
          generationId: c.vars.generation,
          memberId: c.vars.classicMember,
          groupInstanceId: null,
          protocolType: 'consumer',
          protocolName: 'range',
          assignments: [],
        }),
      },
      {
        api: ConsumerGroupHeartbeat,
        body: (c) => ({
          groupId: c.name('cg'),
          memberId: c.vars.cgMember,
          memberEpoch: -1,
          instanceId: null,
          rackId: null,
          rebalanceTimeoutMs: -1,
          subscribedTopicNames: null,
          serverAssignor: null,
          topicPartitions: null,
        }),
      },
      describeClassic('cg'),
      describe('cg'),
      heartbeat('cg', (c) => c.vars.generation),
      {
        api: JoinGroup,
        // Under policy `upgrade` the group stays a consumer group: past Kafka's assignment interval.
        delayMs: 1_100,
        v: 9,
        body: classicJoinBody('cg', 'classicMember'),
        save: (r, c) => (c.vars.generation = r.generationId),
      },
      {
        api: SyncGroup,
        body: (c: Ctx) => ({
          groupId: c.name('cg'),
          generationId: c.vars.generation,
          memberId: c.vars.classicMember,
          groupInstanceId: null,
          protocolType: 'consumer',
          protocolName: 'range',
          assignments: [
            {
              memberId: c.vars.classicMember,
              assignment: encodeVersioned(ConsumerProtocolAssignment, 1, {
                assignedPartitions: [{ topic: c.name('t'), partitions: [0, 1] }],
                userData: null,
              }),
            },
          ],
        }),
      },
      describeClassic('cg'),
    ],
  },
  {
    id: 'migration-online/classic-member-commits',
    api: OffsetCommit,
    versions: [2, 8, 9],
    about: 'a classic member of a consumer group commits at any version with its generation (ILLEGAL_GENERATION otherwise)',
    steps: [
      ...createTopic('t', 2),
      ...groupCoordinator('cg'),
      cgJoin('cg', false),
      { api: JoinGroup, compare: false, body: classicJoinBody('cg', 'classicMember'), save: (r, c) => (c.vars.classicMember = r.memberId) },
      {
        api: JoinGroup,
        compare: false,
        body: classicJoinBody('cg', 'classicMember'),
        until: (r) => r.errorCode === 0,
        save: (r, c) => (c.vars.generation = r.generationId),
      },
      classicCommit((c) => c.vars.generation),
      classicCommit((c) => c.vars.generation + 1),
    ],
  },
  {
    id: 'migration-online/static-classic-member-replaces-last-consumer-member',
    api: JoinGroup,
    versions: [5, 9],
    about: 'a classic static member taking over the instance id of the last KIP-848 member turns the group classic, without a rebalance',
    normalise: [
      ...MEMBERS_BY_TYPE,
      {
        path: 'groups[*].members',
        api: 'DescribeGroups',
        action: 'sort',
        key: 'groupInstanceId',
        reason: 'the classic group made from a consumer group lists its members in the order of its hash map',
      },
    ],
    steps: [
      ...createTopic('t', 2),
      ...groupCoordinator('cg'),
      {
        ...cgJoin('cg', false),
        body: (c: Ctx) => ({ ...(cgJoin('cg', false).body as (c: Ctx) => Record<string, unknown>)(c), instanceId: 'i1' }),
      },
      {
        api: JoinGroup,
        delayMs: 1_100,
        compare: false,
        body: classicJoinBody('cg', 'classicMember'),
        save: (r, c) => (c.vars.classicMember = r.memberId),
      },
      {
        api: JoinGroup,
        compare: false,
        body: classicJoinBody('cg', 'classicMember'),
        until: (r) => r.errorCode === 0,
      },
      {
        api: ConsumerGroupHeartbeat,
        compare: false,
        body: (c) => ({
          groupId: c.name('cg'),
          memberId: c.vars.cgMember,
          memberEpoch: -2,
          instanceId: 'i1',
          rackId: null,
          rebalanceTimeoutMs: -1,
          subscribedTopicNames: null,
          serverAssignor: null,
          topicPartitions: null,
        }),
      },
      {
        api: JoinGroup,
        body: (c: Ctx) => ({ ...classicJoinBody('cg', 'staticMember')(c), groupInstanceId: 'i1' }),
        save: (r, c) => {
          c.vars.staticMember = r.memberId;
          c.vars.staticGeneration = r.generationId;
        },
      },
      describeClassic('cg'),
      {
        api: SyncGroup,
        body: (c: Ctx) => ({
          groupId: c.name('cg'),
          generationId: c.vars.staticGeneration,
          memberId: c.vars.staticMember,
          groupInstanceId: 'i1',
          protocolType: 'consumer',
          protocolName: 'range',
          assignments: [],
        }),
      },
      describe('cg'),
    ],
  },
];
