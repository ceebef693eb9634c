// KIP-848 online migration (broker/groups/migration.ts): what a KIP-848 member joining a
// classic group with members, and a classic member joining a consumer group with members, are
// answered, as group.consumer.migration.policy decides. MIGRATION_SCENARIOS run at the default
// policy (bidirectional) in the corpus; MIGRATION_POLICY_SCENARIOS run in
// test/oracle/v44-migration-policy.test.ts against brokers started with other policies.

import { ConsumerGroupHeartbeat, JoinGroup, SyncGroup } from '../../../protocol/messages/index.js';
import type { Ctx, Scenario, Step } from '../oracle.js';
import { CONSUMER_PROTOCOL, createTopic, groupCoordinator, joinedGroup } from '../steps.js';

/** A KIP-848 member joining group `group` (epoch 0), subscribed to t. */
const cgJoin = (group: string, compare = true): Step => ({
  api: ConsumerGroupHeartbeat,
  compare,
  // v1+ members bring their own id (KIP-1082); a setup join uses v0, where the coordinator gives one.
  v: compare ? undefined : 0,
  body: (c) => ({
    groupId: c.name(group),
    memberId: compare && c.v >= 1 ? 'kafkalite-oracle-member' : '',
    memberEpoch: 0,
    instanceId: null,
    rackId: null,
    rebalanceTimeoutMs: 30_000,
    subscribedTopicNames: [c.name('t')],
    serverAssignor: null,
    topicPartitions: [],
  }),
  until: compare ? undefined : (r) => r.errorCode === 0,
});

/** A classic group with one member of protocol type `connect` (not the consumer embedded protocol). */
const connectGroup = (group: string): Step[] => {
  const join = (c: Ctx) => ({
    groupId: c.name(group),
    sessionTimeoutMs: 30_000,
    rebalanceTimeoutMs: 30_000,
    memberId: c.vars.connectMember ?? '',
    groupInstanceId: null,
    protocolType: 'connect',
    protocols: [{ name: 'sessioned', metadata: Buffer.from('worker') }],
    reason: null,
  });
  return [
    ...groupCoordinator(group),
    { api: JoinGroup, compare: false, body: join, save: (r, c) => (c.vars.connectMember = r.memberId) },
    {
      api: JoinGroup,
      compare: false,
      body: join,
      until: (r) => r.errorCode === 0,
      save: (r, c) => (c.vars.connectGeneration = r.generationId),
    },
    {
      api: SyncGroup,
      compare: false,
      body: (c: Ctx) => ({
        groupId: c.name(group),
        generationId: c.vars.connectGeneration,
        memberId: c.vars.connectMember,
        groupInstanceId: null,
        protocolType: 'connect',
        protocolName: 'sessioned',
        assignments: [{ memberId: c.vars.connectMember, assignment: Buffer.alloc(0) }],
      }),
      until: (r) => r.errorCode === 0,
    },
  ];
};

const classicJoin: Step = {
  api: JoinGroup,
  body: (c) => ({
    groupId: c.name('cg'),
    sessionTimeoutMs: 30_000,
    rebalanceTimeoutMs: 30_000,
    memberId: '',
    groupInstanceId: null,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: CONSUMER_PROTOCOL }],
    reason: null,
  }),
};

export const MIGRATION_SCENARIOS: Scenario[] = [
  {
    id: 'migration/heartbeat-to-non-consumer-classic-group',
    api: ConsumerGroupHeartbeat,
    about: 'a KIP-848 member cannot take over a classic group of another protocol type (Connect workers)',
    steps: [...createTopic('t'), ...connectGroup('w'), cgJoin('w')],
  },
];

/** At policy `disabled` (both) and `downgrade` (the upgrade one only). */
export const MIGRATION_POLICY_SCENARIOS: Record<'upgrade' | 'classicJoin', Scenario> = {
  upgrade: {
    id: 'migration-policy/heartbeat-to-classic-group',
    api: ConsumerGroupHeartbeat,
    about: 'a KIP-848 member joining a classic consumer group with a member, online upgrade disabled',
    steps: [...createTopic('t'), ...joinedGroup('g'), cgJoin('g')],
  },
  classicJoin: {
    id: 'migration-policy/classic-join-to-consumer-group',
    api: JoinGroup,
    versions: [4, 9],
    about: 'a classic member joining a consumer group with a member, migration disabled',
    steps: [...createTopic('t'), ...groupCoordinator('cg'), cgJoin('cg', false), classicJoin],
  },
};
