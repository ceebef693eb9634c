// TxnOffsetCommit v3+'s member fields (generation_id_or_member_epoch, member_id,
// group_instance_id) checked against the group, as Kafka 4.4's
// OffsetMetadataManager.validateTransactionalOffsetCommit does: classic groups (members,
// generations, static instance ids), KIP-848 consumer groups (member epochs: STALE_MEMBER_EPOCH
// from v6, ILLEGAL_GENERATION before) and groups that do not exist.

import {
  AddOffsetsToTxn,
  ConsumerGroupDescribe,
  ConsumerGroupHeartbeat,
  JoinGroup,
  Metadata,
  SyncGroup,
  TxnOffsetCommit,
} from '../../../protocol/messages/index.js';
import type { Ctx, Scenario, Step } from '../oracle.js';
import { CONSUMER_PROTOCOL, createTopic, groupCoordinator, joinedGroup, txnProducer } from '../steps.js';

const TXN = 'txn';

/** Setup: the group's offsets partition joins the transaction (TxnOffsetCommit before v5 needs it). */
const addGroup = (group: string): Step => ({
  api: AddOffsetsToTxn,
  compare: false,
  body: (c) => ({
    transactionalId: c.name(TXN),
    producerId: c.vars.producerId,
    producerEpoch: c.vars.producerEpoch,
    groupId: c.name(group),
  }),
  until: (r) => r.errorCode === 0,
});

type Member = { generation: (c: Ctx) => number; member: (c: Ctx) => string; instance?: string | null };

/** TxnOffsetCommit of offset 5 for t-0; v6 names the topic by id (vars.topicId). */
const commit = (group: string, m: Member, v?: number): Step => ({
  api: TxnOffsetCommit,
  v,
  body: (c) => ({
    transactionalId: c.name(TXN),
    groupId: c.name(group),
    producerId: c.vars.producerId,
    producerEpoch: c.vars.producerEpoch,
    generationIdOrMemberEpoch: m.generation(c),
    memberId: m.member(c),
    groupInstanceId: m.instance === undefined || m.instance === null ? null : c.name(m.instance),
    topics: [
      {
        name: c.name('t'),
        topicId: c.vars.topicId,
        partitions: [{ partitionIndex: 0, committedOffset: 5, committedLeaderEpoch: -1, committedMetadata: '' }],
      },
    ],
  }),
});

const topicIdOf: Step = {
  api: Metadata,
  compare: false,
  v: 12,
  body: (c) => ({ topics: [{ name: c.name('t') }], allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false }),
  save: (r, c) => {
    c.vars.topicId = r.topics[0].topicId;
  },
};

/** A static classic member (instance id 'i1'): vars.staticMember, vars.staticGeneration. */
const staticMember = (group: string): Step[] => {
  const join = (c: Ctx) => ({
    groupId: c.name(group),
    sessionTimeoutMs: 30_000,
    rebalanceTimeoutMs: 30_000,
    memberId: c.vars.staticMember ?? '',
    groupInstanceId: c.name('i1'),
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: CONSUMER_PROTOCOL }],
    reason: null,
  });
  return [
    ...groupCoordinator(group),
    {
      api: JoinGroup,
      compare: false,
      body: join,
      until: (r) => r.errorCode === 0,
      save: (r, c) => {
        c.vars.staticMember = r.memberId;
        c.vars.staticGeneration = r.generationId;
      },
    },
    {
      api: SyncGroup,
      compare: false,
      body: (c: Ctx) => ({
        groupId: c.name(group),
        generationId: c.vars.staticGeneration,
        memberId: c.vars.staticMember,
        groupInstanceId: c.name('i1'),
        protocolType: 'consumer',
        protocolName: 'range',
        assignments: [{ memberId: c.vars.staticMember, assignment: Buffer.alloc(0) }],
      }),
      until: (r) => r.errorCode === 0,
    },
  ];
};

/** A KIP-848 member of 'cg' that owns t-0: vars.cgMember, vars.cgEpoch. */
const consumerMember = (): Step[] => {
  const beat = (first: boolean) => (c: Ctx) => ({
    groupId: c.name('cg'),
    memberId: first ? '' : c.vars.cgMember,
    memberEpoch: first ? 0 : c.vars.cgEpoch,
    instanceId: null,
    rackId: null,
    rebalanceTimeoutMs: 30_000,
    subscribedTopicNames: first ? [c.name('t')] : null,
    serverAssignor: null,
    topicPartitions: first ? [] : null,
  });
  const save = (r: { errorCode: number; memberId: string; memberEpoch: number }, c: Ctx) => {
    if (r.errorCode === 0) {
      c.vars.cgMember = r.memberId;
      c.vars.cgEpoch = r.memberEpoch;
    }
  };
  return [
    ...groupCoordinator('cg'),
    { api: ConsumerGroupHeartbeat, v: 0, compare: false, body: beat(true), save },
    // Kafka 4.4 may assign a moment later (consumer.assignment.interval.ms): describe until it has,
    // and take the member's epoch from there (the epoch commits are checked against).
    {
      api: ConsumerGroupDescribe,
      v: 0,
      compare: false,
      body: (c) => ({ groupIds: [c.name('cg')], includeAuthorizedOperations: false }),
      until: (r) => r.groups[0].members[0]?.assignment.topicPartitions.length > 0,
      save: (r, c) => {
        c.vars.cgEpoch = r.groups[0].members[0].memberEpoch;
      },
    },
  ];
};

const gen = (n: number) => () => n;
const member = (name: string) => (c: Ctx) => c.vars[name];
const none = () => '';

export const TXN_MEMBER_SCENARIOS: Scenario[] = [
  {
    id: 'txn-members/classic',
    api: TxnOffsetCommit,
    versions: [3, 4, 5],
    about: 'a classic group: the member and generation it knows, wrong ones, none at all',
    steps: [
      ...createTopic('t'),
      ...txnProducer(TXN),
      ...joinedGroup('g'),
      addGroup('g'),
      commit('g', { generation: (c) => c.vars.generationId, member: member('memberId') }),
      commit('g', { generation: (c) => c.vars.generationId + 1, member: member('memberId') }),
      commit('g', { generation: (c) => c.vars.generationId, member: () => 'nobody' }),
      commit('g', { generation: gen(-1), member: none }),
      commit('g', { generation: gen(-1), member: member('memberId') }),
      commit('g', { generation: (c) => c.vars.generationId, member: member('memberId'), instance: 'nope' }),
    ],
  },
  {
    id: 'txn-members/static',
    api: TxnOffsetCommit,
    versions: [3, 5],
    about: 'a static member: its own instance id, another member claiming it (FENCED_INSTANCE_ID)',
    steps: [
      ...createTopic('t'),
      ...txnProducer(TXN),
      ...staticMember('s'),
      addGroup('s'),
      commit('s', { generation: (c) => c.vars.staticGeneration, member: member('staticMember'), instance: 'i1' }),
      commit('s', { generation: (c) => c.vars.staticGeneration, member: () => 'impostor', instance: 'i1' }),
    ],
  },
  {
    id: 'txn-members/no-group',
    api: TxnOffsetCommit,
    versions: [3, 5, 6],
    about: 'a group that does not exist: generation -1 commits as a simple group; any other generation is refused',
    steps: (c) => [
      ...createTopic('t'),
      topicIdOf,
      ...txnProducer(TXN),
      ...groupCoordinator('missing'),
      ...groupCoordinator('simple'),
      addGroup('missing'),
      addGroup('simple'),
      commit('missing', { generation: gen(3), member: () => 'm' }, c.v),
      commit('simple', { generation: gen(-1), member: none }, c.v),
    ],
  },
  {
    id: 'txn-members/consumer-group',
    api: TxnOffsetCommit,
    versions: [3, 5, 6],
    about: 'a KIP-848 group: its member epoch, a newer one, an older one, an unknown member, no member fields',
    steps: (c) => [
      ...createTopic('t'),
      topicIdOf,
      ...txnProducer(TXN),
      ...consumerMember(),
      addGroup('cg'),
      commit('cg', { generation: (x) => x.vars.cgEpoch, member: member('cgMember') }, c.v),
      commit('cg', { generation: (x) => x.vars.cgEpoch + 1, member: member('cgMember') }, c.v),
      commit('cg', { generation: (x) => x.vars.cgEpoch - 1, member: member('cgMember') }, c.v),
      commit('cg', { generation: (x) => x.vars.cgEpoch, member: () => 'nobody' }, c.v),
      commit('cg', { generation: gen(-1), member: none }, c.v),
    ],
  },
];
