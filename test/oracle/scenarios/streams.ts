// KIP-1071 streams groups: StreamsGroupHeartbeat (join with a topology, internal topic
// statuses, the initial rebalance delay, leave, request checks and their messages) and
// StreamsGroupDescribe, and how the other group APIs (ConsumerGroupDescribe, DescribeGroups,
// DeleteGroups, OffsetCommit/OffsetFetch with member epochs) answer for a streams group.
// Member ids are the client's, so they are fixed strings here.

import {
  ConsumerGroupDescribe,
  ConsumerGroupHeartbeat,
  DeleteGroups,
  DescribeGroups,
  ListGroups,
  OffsetCommit,
  OffsetFetch,
  StreamsGroupDescribe,
  StreamsGroupHeartbeat,
  StreamsGroupTopologyDescriptionUpdate,
} from '../../../protocol/messages/index.js';
import type { Ctx, Res, Scenario, Step } from '../oracle.js';
import { createTopic, groupCoordinator } from '../steps.js';

const MEMBER = 'member-a';
const OTHER = 'member-b';

type Sub = {
  subtopologyId: string;
  sourceTopics: string[];
  sourceTopicRegex: string[];
  stateChangelogTopics: Array<{
    name: string;
    partitions: number;
    replicationFactor: number;
    topicConfigs: Array<{ key: string; value: string }>;
  }>;
  repartitionSinkTopics: string[];
  repartitionSourceTopics: Array<{
    name: string;
    partitions: number;
    replicationFactor: number;
    topicConfigs: Array<{ key: string; value: string }>;
  }>;
  copartitionGroups: never[];
};

const sub = (id: string, o: Partial<Sub> = {}): Sub => ({
  subtopologyId: id,
  sourceTopics: [],
  sourceTopicRegex: [],
  stateChangelogTopics: [],
  repartitionSinkTopics: [],
  repartitionSourceTopics: [],
  copartitionGroups: [],
  ...o,
});

/** A word count: `in` regrouped through a repartition topic, counted with a changelog. */
const wordCount = (c: Ctx) => ({
  epoch: 0,
  subtopologies: [
    sub('0', { sourceTopics: [c.name('in')], repartitionSinkTopics: [c.name('app-words-repartition')] }),
    sub('1', {
      stateChangelogTopics: [
        {
          name: c.name('app-counts-changelog'),
          partitions: 0,
          replicationFactor: 0,
          topicConfigs: [{ key: 'cleanup.policy', value: 'compact' }],
        },
      ],
      repartitionSourceTopics: [
        {
          name: c.name('app-words-repartition'),
          partitions: 0,
          replicationFactor: 0,
          topicConfigs: [{ key: 'cleanup.policy', value: 'delete' }],
        },
      ],
    }),
  ],
});

/** One subtopology reading `in`: no internal topics, ready at once. */
const plain = (c: Ctx) => ({ epoch: 0, subtopologies: [sub('0', { sourceTopics: [c.name('in')] })] });

type Topo = ReturnType<typeof wordCount> | ReturnType<typeof plain> | null;

interface HbOpts {
  group?: string;
  member?: string;
  epoch?: (c: Ctx) => number;
  topology?: (c: Ctx) => Topo;
  tasks?: 'empty' | 'null' | 'saved';
  rebalanceTimeoutMs?: number;
  instanceId?: string | null;
  endpoint?: boolean;
  delayMs?: number;
  compare?: boolean;
}

const tasksOf = (c: Ctx, kind: string, mode: HbOpts['tasks']) =>
  mode === 'null' ? null : mode === 'saved' ? (c.vars[`sg:${kind}`] ?? []) : [];

const hb = (o: HbOpts = {}): Step => ({
  api: StreamsGroupHeartbeat,
  ...(o.delayMs ? { delayMs: o.delayMs } : {}),
  ...(o.compare === false ? { compare: false } : {}),
  body: (c) => {
    const epoch = o.epoch ? o.epoch(c) : 0;
    const joining = epoch === 0;
    return {
      groupId: o.group ?? c.name('app'),
      memberId: o.member ?? MEMBER,
      memberEpoch: epoch,
      endpointInformationEpoch: c.vars['sg:endpointEpoch'] ?? 0,
      instanceId: o.instanceId ?? null,
      rackId: null,
      rebalanceTimeoutMs: o.rebalanceTimeoutMs ?? (joining ? 30_000 : -1),
      topology: o.topology ? o.topology(c) : joining ? wordCount(c) : null,
      activeTasks: tasksOf(c, 'active', o.tasks ?? (joining ? 'empty' : 'null')),
      standbyTasks: tasksOf(c, 'standby', o.tasks ?? (joining ? 'empty' : 'null')),
      warmupTasks: tasksOf(c, 'warmup', o.tasks ?? (joining ? 'empty' : 'null')),
      processId: joining ? `process-${o.member ?? MEMBER}` : null,
      userEndpoint: joining && o.endpoint !== false ? { host: 'localhost', port: 7070 } : null,
      clientTags: joining ? [] : null,
      taskOffsets: null,
      taskEndOffsets: null,
      shutdownApplication: false,
    };
  },
  save: (r: Res, c: Ctx) => {
    if (r.errorCode !== 0) return;
    c.vars['sg:epoch'] = r.memberEpoch;
    c.vars['sg:endpointEpoch'] = r.endpointInformationEpoch;
    if (r.activeTasks !== null) {
      c.vars['sg:active'] = r.activeTasks;
      c.vars['sg:standby'] = r.standbyTasks;
      c.vars['sg:warmup'] = r.warmupTasks;
    }
  },
});

const savedEpoch = (c: Ctx) => c.vars['sg:epoch'] as number;
const saveOther = (r: Res, c: Ctx) => {
  c.vars.otherEpoch = r.memberEpoch;
};

const describe = (groups: string[], o: { ops?: boolean; v?: number } = {}): Step => ({
  api: StreamsGroupDescribe,
  ...(o.v !== undefined ? { v: o.v } : {}),
  body: (c) => ({ groupIds: groups.map((g) => c.name(g)), includeAuthorizedOperations: o.ops ?? false, includeTopologyDescription: false }),
});

const commit = (epoch: (c: Ctx) => number, member: string, v?: number): Step => ({
  api: OffsetCommit,
  ...(v !== undefined ? { v } : {}),
  body: (c) => ({
    groupId: c.name('app'),
    generationIdOrMemberEpoch: epoch(c),
    memberId: member,
    groupInstanceId: null,
    retentionTimeMs: -1,
    topics: [
      {
        name: c.name('in'),
        partitions: [{ partitionIndex: 0, committedOffset: 3, committedLeaderEpoch: -1, commitTimestamp: -1, committedMetadata: '' }],
      },
    ],
  }),
});

/** The first assignment waits group.streams.initial.rebalance.delay.ms (3 s, Kafka's default). */
const AFTER_DELAY = 3_500;
/** A new assignment waits group.streams.assignment.interval.ms (1 s) after the last one. */
const AFTER_INTERVAL = 1_300;

export const STREAMS_SCENARIOS: Scenario[] = [
  {
    id: 'streams/heartbeat-join-missing-internal-topics',
    api: StreamsGroupHeartbeat,
    about: 'a join: epoch 1, no tasks yet, ASSIGNMENT_DELAYED and MISSING_INTERNAL_TOPICS (the broker then creates them); leave',
    steps: [...createTopic('in', 2), ...groupCoordinator('app'), hb(), hb({ epoch: () => -1 })],
  },
  {
    id: 'streams/heartbeat-assignment',
    api: StreamsGroupHeartbeat,
    about: 'a topology without internal topics: after the initial delay every task goes to the one member, with its endpoint partitions',
    steps: [
      ...createTopic('in', 2),
      ...groupCoordinator('app'),
      hb({ topology: plain }),
      hb({ epoch: savedEpoch, tasks: 'saved', delayMs: AFTER_DELAY }),
      hb({ epoch: savedEpoch, tasks: 'saved' }),
      describe(['app']),
      hb({ epoch: () => -1 }),
      describe(['app'], { ops: true }),
    ],
  },
  {
    id: 'streams/heartbeat-second-member',
    api: StreamsGroupHeartbeat,
    about:
      'a second member joins a running group: the assignment waits the assignment interval, then the first member revokes a task (UNREVOKED_TASKS) before the second gets it',
    normalise: [{ path: 'groups[*].members', action: 'sort', key: 'memberId', reason: 'Kafka answers from a hash map of members' }],
    steps: [
      ...createTopic('in', 2),
      ...groupCoordinator('app'),
      hb({ topology: plain, compare: false }),
      hb({ epoch: savedEpoch, tasks: 'saved', delayMs: AFTER_DELAY, compare: false }),
      { ...hb({ member: OTHER, topology: plain, endpoint: false }), save: saveOther },
      hb({ epoch: savedEpoch, tasks: 'saved', delayMs: AFTER_INTERVAL }),
      hb({ epoch: savedEpoch, tasks: 'saved' }),
      {
        ...hb({ member: OTHER, epoch: (c) => c.vars.otherEpoch, tasks: 'empty' }),
        save: saveOther,
      },
      describe(['app']),
    ],
  },
  {
    id: 'streams/heartbeat-missing-source-topics',
    api: StreamsGroupHeartbeat,
    steps: [
      ...groupCoordinator('app'),
      hb({ topology: (c) => ({ epoch: 0, subtopologies: [sub('0', { sourceTopics: [c.name('nosuch'), c.name('nosuch2')] })] }) }),
      describe(['app']),
    ],
  },
  {
    id: 'streams/heartbeat-errors',
    api: StreamsGroupHeartbeat,
    about: 'request checks (INVALID_REQUEST with Kafka messages), unknown groups and members, fenced epochs, invalid topologies',
    steps: [
      ...createTopic('in', 2),
      ...groupCoordinator('app'),
      hb({ member: '' }),
      hb({ group: '' }),
      hb({ rebalanceTimeoutMs: -1 }),
      hb({ topology: () => null }),
      hb({ epoch: () => -3 }),
      hb({ epoch: () => -2 }),
      hb({ instanceId: '' }),
      {
        ...hb(),
        body: (c: Ctx) => ({
          ...(hb().body as (c: Ctx) => Record<string, unknown>)(c),
          activeTasks: [{ subtopologyId: '0', partitions: [0] }],
        }),
      },
      {
        ...hb({ epoch: () => 1 }),
        body: (c: Ctx) => ({ ...(hb({ epoch: () => 1 }).body as (c: Ctx) => Record<string, unknown>)(c), activeTasks: [] }),
      },
      hb({ epoch: () => 1, topology: wordCount }),
      hb({ topology: (c) => ({ epoch: 0, subtopologies: [sub('0', { sourceTopics: [c.name('in')], sourceTopicRegex: ['x.*'] })] }) }),
      hb({
        topology: (c) => ({
          epoch: 0,
          subtopologies: [
            sub('0', {
              sourceTopics: [c.name('in')],
              stateChangelogTopics: [{ name: c.name('cl'), partitions: 3, replicationFactor: 0, topicConfigs: [] }],
            }),
          ],
        }),
      }),
      hb({ topology: (c) => ({ epoch: 0, subtopologies: [wordCount(c).subtopologies[1]!] }) }),
      hb({ epoch: () => 4 }),
      hb({ epoch: () => -1 }),
      hb({ topology: plain, compare: false }),
      hb({ epoch: () => 5 }),
      hb({ member: OTHER, epoch: () => 1 }),
      hb({ member: OTHER, topology: (c) => ({ ...plain(c), epoch: 1 }) }),
    ],
  },
  {
    id: 'streams/describe',
    api: StreamsGroupDescribe,
    about: 'a streams group, an unknown group and a consumer group',
    steps: [
      ...createTopic('in', 2),
      ...groupCoordinator('app'),
      ...groupCoordinator('cg'),
      { ...hb({ topology: plain }), compare: false },
      {
        api: ConsumerGroupHeartbeat,
        compare: false,
        body: (c: Ctx) => ({
          groupId: c.name('cg'),
          memberId: '',
          memberEpoch: 0,
          instanceId: null,
          rackId: null,
          rebalanceTimeoutMs: 30_000,
          subscribedTopicNames: [c.name('in')],
          serverAssignor: null,
          topicPartitions: [],
        }),
      },
      describe(['app', 'missing', 'cg'], { ops: true }),
      {
        ...hb({ topology: plain }),
        body: (c: Ctx) => ({ ...(hb({ topology: plain }).body as (c: Ctx) => Record<string, unknown>)(c), groupId: c.name('cg') }),
      },
    ],
  },
  {
    id: 'streams/other-group-apis',
    api: ConsumerGroupDescribe,
    about: 'ConsumerGroupDescribe, DescribeGroups and DeleteGroups on a streams group',
    steps: [
      ...createTopic('in', 2),
      ...groupCoordinator('app'),
      { ...hb({ topology: plain }), compare: false },
      { api: ConsumerGroupDescribe, body: (c: Ctx) => ({ groupIds: [c.name('app')], includeAuthorizedOperations: false }) },
      { api: DescribeGroups, body: (c: Ctx) => ({ groups: [c.name('app')], includeAuthorizedOperations: false }) },
      { api: DeleteGroups, body: (c: Ctx) => ({ groupsNames: [c.name('app')] }) },
      hb({ epoch: () => -1 }),
      { api: DeleteGroups, body: (c: Ctx) => ({ groupsNames: [c.name('app')] }) },
      describe(['app']),
    ],
  },
  {
    id: 'streams/offset-commit',
    api: OffsetCommit,
    versions: [9],
    about: 'streams members commit with their member epoch; OffsetFetch v9 checks it too',
    steps: [
      ...createTopic('in', 2),
      ...groupCoordinator('app'),
      { ...hb({ topology: plain }), compare: false },
      commit(savedEpoch, MEMBER),
      commit((c) => savedEpoch(c) + 7, MEMBER),
      commit(() => 1, 'nobody'),
      commit(savedEpoch, MEMBER, 8),
      {
        api: OffsetFetch,
        v: 9,
        body: (c: Ctx) => ({
          groups: [
            {
              groupId: c.name('app'),
              memberId: MEMBER,
              memberEpoch: savedEpoch(c),
              topics: [{ name: c.name('in'), partitionIndexes: [0] }],
            },
          ],
          requireStable: false,
        }),
      },
      {
        api: OffsetFetch,
        v: 9,
        body: (c: Ctx) => ({
          groups: [
            {
              groupId: c.name('app'),
              memberId: MEMBER,
              memberEpoch: savedEpoch(c) + 3,
              topics: [{ name: c.name('in'), partitionIndexes: [0] }],
            },
          ],
          requireStable: false,
        }),
      },
    ],
  },
  {
    id: 'streams/topology-description-update',
    api: StreamsGroupTopologyDescriptionUpdate,
    about: 'without a topology description plugin (the default) descriptions are refused; request checks first',
    steps: [
      ...createTopic('in', 2),
      ...groupCoordinator('app'),
      { ...hb({ topology: plain }), compare: false },
      ...[
        (c: Ctx) => ({ groupId: c.name('app'), memberId: MEMBER }),
        (c: Ctx) => ({ groupId: c.name('app'), memberId: 'nobody' }),
        (c: Ctx) => ({ groupId: c.name('missing'), memberId: MEMBER }),
        () => ({ groupId: '', memberId: MEMBER }),
        (c: Ctx) => ({ groupId: c.name('app'), memberId: '' }),
      ].map(
        (ids): Step => ({
          api: StreamsGroupTopologyDescriptionUpdate,
          body: (c: Ctx) => ({
            ...ids(c),
            topologyEpoch: 0,
            topologyDescription: {
              subtopologies: [
                {
                  subtopologyId: '0',
                  nodes: [
                    {
                      name: 'KSTREAM-SOURCE-0000000000',
                      nodeType: 0,
                      sourceTopics: [c.name('in')],
                      sinkTopic: null,
                      stores: [],
                      successors: [],
                    },
                  ],
                },
              ],
              globalStores: [],
            },
          }),
        }),
      ),
    ],
  },
  {
    id: 'streams/list-groups',
    api: ListGroups,
    versions: [5],
    about: 'a streams group is listed with type and protocol type `streams`, and filtered by them and by its state',
    adjust: (k, l) => {
      // Only this scenario's groups: the other scenarios' groups share the brokers.
      for (const r of [k, l])
        if (Array.isArray(r.groups)) r.groups = r.groups.filter((g: Res) => String(g.groupId).startsWith('streams-list-groups-'));
    },
    steps: [
      ...createTopic('in', 2),
      ...groupCoordinator('app'),
      { ...hb({ topology: plain }), compare: false },
      ...[
        { typesFilter: ['streams'], statesFilter: [] },
        { typesFilter: ['Streams'], statesFilter: ['assigning'] },
        { typesFilter: ['consumer'], statesFilter: [] },
        { typesFilter: [], statesFilter: ['Stable'] },
      ].map((body): Step => ({ api: ListGroups, body })),
    ],
  },
  {
    id: 'streams/heartbeat-shutdown-application',
    api: StreamsGroupHeartbeat,
    about: 'a member asks for the shutdown of the whole application: it and the other members get SHUTDOWN_APPLICATION',
    steps: [
      ...createTopic('in', 2),
      ...groupCoordinator('app'),
      hb({ topology: plain, compare: false }),
      {
        ...hb({ epoch: savedEpoch, tasks: 'saved' }),
        body: (c: Ctx) => ({
          ...(hb({ epoch: savedEpoch, tasks: 'saved' }).body as (c: Ctx) => Record<string, unknown>)(c),
          shutdownApplication: true,
        }),
      },
      hb({ member: OTHER, topology: plain, endpoint: false }),
      hb({ epoch: savedEpoch, tasks: 'saved' }),
    ],
  },
  {
    id: 'streams/describe-task-offsets',
    api: StreamsGroupDescribe,
    about: 'the task offsets and end offsets a member reports are described',
    steps: [
      ...createTopic('in', 2),
      ...groupCoordinator('app'),
      hb({ topology: plain, compare: false }),
      {
        ...hb({ epoch: savedEpoch }),
        compare: false,
        body: (c: Ctx) => ({
          ...(hb({ epoch: savedEpoch }).body as (c: Ctx) => Record<string, unknown>)(c),
          taskOffsets: [{ subtopologyId: '0', partition: 1, offset: 42 }],
          taskEndOffsets: [{ subtopologyId: '0', partition: 1, offset: 50 }],
        }),
      },
      describe(['app']),
    ],
  },
  {
    id: 'streams/heartbeat-static-member',
    api: StreamsGroupHeartbeat,
    about:
      'a static member (instance id) leaves for now with epoch -2, keeps its instance id (UNRELEASED_INSTANCE_ID for another member meanwhile), and comes back under a new member id',
    normalise: [{ path: 'groups[*].members', action: 'sort', key: 'memberId', reason: 'Kafka answers from a hash map of members' }],
    steps: [
      ...createTopic('in', 2),
      ...groupCoordinator('app'),
      hb({ topology: plain, instanceId: 'instance-1' }),
      hb({ epoch: savedEpoch, tasks: 'saved', instanceId: 'instance-1', delayMs: AFTER_DELAY }),
      hb({ epoch: () => -2, instanceId: 'instance-1' }),
      describe(['app']),
      hb({ member: OTHER, topology: plain, instanceId: 'instance-1' }),
      hb({ member: 'member-c', topology: plain, instanceId: 'instance-1' }),
      describe(['app']),
      hb({ member: 'member-c', epoch: () => -1, instanceId: 'instance-1' }),
      hb({ member: 'member-c', epoch: () => -1, instanceId: 'instance-2' }),
    ],
  },
];
