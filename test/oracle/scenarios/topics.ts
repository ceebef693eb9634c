// CreateTopics, DeleteTopics, CreatePartitions, DescribeLogDirs, ElectLeaders,
// ListPartitionReassignments: topic administration and its errors.

import {
  CreatePartitions,
  CreateTopics,
  DeleteTopics,
  DescribeLogDirs,
  ElectLeaders,
  ListPartitionReassignments,
} from '../../../protocol/messages/index.js';
import type { Ctx, Scenario, Step } from '../oracle.js';
import { createTopic, produceSetup, waitTopic } from '../steps.js';

type NewTopic = {
  name: string | ((c: Ctx) => string);
  partitions?: number;
  rf?: number;
  configs?: Record<string, string | null>;
  assignments?: number[][];
};

const create = (topics: NewTopic[], validateOnly = false): Step => ({
  api: CreateTopics,
  body: (c) => ({
    topics: topics.map((t) => ({
      name: typeof t.name === 'string' ? c.name(t.name) : t.name(c),
      numPartitions: t.partitions ?? (t.assignments ? -1 : 1),
      replicationFactor: t.rf ?? (t.assignments ? -1 : 1),
      assignments: (t.assignments ?? []).map((brokerIds, partitionIndex) => ({ partitionIndex, brokerIds })),
      configs: Object.entries(t.configs ?? {}).map(([name, value]) => ({ name, value })),
    })),
    timeoutMs: 30_000,
    validateOnly,
  }),
});

const raw = (name: string) => () => name;

const deleteTopics = (suffixes: Array<string | ((c: Ctx) => string)>): Step => ({
  api: DeleteTopics,
  body: (c) => {
    const names = suffixes.map((s) => (typeof s === 'string' ? c.name(s) : s(c)));
    return { topicNames: names, topics: names.map((name) => ({ name, topicId: 'AAAAAAAAAAAAAAAAAAAAAA' })), timeoutMs: 30_000 };
  },
});

const createPartitions = (suffix: string, count: number, validateOnly = false): Step => ({
  api: CreatePartitions,
  body: (c) => ({ topics: [{ name: c.name(suffix), count, assignments: null }], timeoutMs: 30_000, validateOnly }),
});

export const TOPIC_SCENARIOS: Scenario[] = [
  // CreateTopics
  {
    id: 'topics/create',
    api: CreateTopics,
    steps: [create([{ name: 't', partitions: 3, configs: { 'retention.ms': '3600000', 'cleanup.policy': 'compact' } }]), waitTopic('t', 3)],
  },
  {
    id: 'topics/create-defaults',
    api: CreateTopics,
    versions: [4, 5, 7],
    about: 'numPartitions and replicationFactor -1 take the broker defaults (v4+)',
    steps: [create([{ name: 't', partitions: -1, rf: -1 }]), waitTopic('t', 1)],
  },
  { id: 'topics/create-assignments', api: CreateTopics, steps: [create([{ name: 't', assignments: [[1], [1]] }]), waitTopic('t', 2)] },
  {
    id: 'topics/create-validate-only',
    api: CreateTopics,
    steps: [create([{ name: 't', partitions: 2 }], true), create([{ name: 't', partitions: 2 }], true)],
  },
  { id: 'topics/create-exists', api: CreateTopics, steps: [...createTopic('t'), create([{ name: 't' }])] },
  {
    id: 'topics/create-invalid-names',
    api: CreateTopics,
    steps: [
      create([{ name: raw('bad name!') }]),
      create([{ name: raw('') }]),
      create([{ name: raw('..') }]),
      create([{ name: raw('x'.repeat(250)) }]),
      create([{ name: raw('__consumer_offsets') }]),
    ],
  },
  {
    id: 'topics/create-invalid-partitions',
    api: CreateTopics,
    steps: [create([{ name: 'zero', partitions: 0 }]), create([{ name: 'neg', partitions: -5 }])],
  },
  {
    id: 'topics/create-invalid-replication',
    api: CreateTopics,
    steps: [create([{ name: 'three', rf: 3 }]), create([{ name: 'zero', rf: 0 }])],
  },
  {
    id: 'topics/create-invalid-configs',
    api: CreateTopics,
    steps: [
      create([{ name: 'a', configs: { 'retention.ms': 'soon' } }]),
      create([{ name: 'b', configs: { 'no.such.config': '1' } }]),
      create([{ name: 'c', configs: { 'cleanup.policy': 'sometimes' } }]),
      create([{ name: 'd', configs: { 'retention.ms': null } }]),
    ],
  },
  {
    id: 'topics/create-invalid-assignments',
    api: CreateTopics,
    steps: [
      create([{ name: 'a', assignments: [[1], [7]] }]),
      create([{ name: 'b', assignments: [[1, 1]] }]),
      create([{ name: 'c', partitions: 2, assignments: [[1]] }]),
    ],
  },
  {
    id: 'topics/create-duplicate-in-request',
    api: CreateTopics,
    steps: [create([{ name: 'dup' }, { name: 'dup' }])],
  },

  // DeleteTopics
  { id: 'topics/delete', api: DeleteTopics, steps: [...createTopic('t'), produceSetup('t', 2), deleteTopics(['t'])] },
  { id: 'topics/delete-unknown', api: DeleteTopics, steps: [deleteTopics(['missing'])] },
  { id: 'topics/delete-invalid-name', api: DeleteTopics, steps: [deleteTopics([raw('bad name!')])] },
  {
    id: 'topics/delete-unknown-id',
    api: DeleteTopics,
    versions: [6],
    steps: [{ api: DeleteTopics, body: { topics: [{ name: null, topicId: 'AAAAAAAAAAAAAAAAAAAAAQ' }], timeoutMs: 30_000 } }],
  },
  {
    id: 'topics/delete-by-id',
    api: DeleteTopics,
    versions: [6],
    steps: [
      ...createTopic('t'),
      { api: DeleteTopics, body: (c) => ({ topics: [{ name: null, topicId: c.vars['id:t'] }], timeoutMs: 30_000 }) },
    ],
  },

  // CreatePartitions
  { id: 'topics/create-partitions', api: CreatePartitions, steps: [...createTopic('t'), createPartitions('t', 3), waitTopic('t', 3)] },
  { id: 'topics/create-partitions-validate-only', api: CreatePartitions, steps: [...createTopic('t'), createPartitions('t', 3, true)] },
  {
    id: 'topics/create-partitions-errors',
    api: CreatePartitions,
    steps: [...createTopic('t', 2), createPartitions('t', 1), createPartitions('t', 2), createPartitions('missing', 3)],
  },
  {
    id: 'topics/create-partitions-bad-assignment',
    api: CreatePartitions,
    steps: [
      ...createTopic('t'),
      {
        api: CreatePartitions,
        body: (c) => ({ topics: [{ name: c.name('t'), count: 2, assignments: [{ brokerIds: [9] }] }], timeoutMs: 30_000 }),
      },
      {
        api: CreatePartitions,
        body: (c) => ({ topics: [{ name: c.name('t'), count: 3, assignments: [{ brokerIds: [1] }] }], timeoutMs: 30_000 }),
      },
    ],
  },

  // DescribeLogDirs
  {
    id: 'topics/describe-log-dirs',
    api: DescribeLogDirs,
    normalise: [
      { path: 'results[*].logDir', action: 'id', kind: 'dir', reason: 'each broker has its own data directory' },
      { path: 'results[*].totalBytes', action: 'zero', reason: 'the size of the disk' },
      { path: 'results[*].usableBytes', action: 'zero', reason: 'free space on the disk' },
    ],
    steps: [
      ...createTopic('t', 2),
      produceSetup('t', 3),
      {
        api: DescribeLogDirs,
        body: (c) => ({
          topics: [
            { topic: c.name('t'), partitions: [0, 1, 5] },
            { topic: c.name('missing'), partitions: [0] },
          ],
        }),
      },
    ],
  },

  // ElectLeaders
  {
    id: 'topics/elect-leaders',
    api: ElectLeaders,
    steps: [
      ...createTopic('t', 2),
      {
        api: ElectLeaders,
        body: (c) => ({
          electionType: 0,
          topicPartitions: [
            { topic: c.name('t'), partitions: [0, 1, 4] },
            { topic: c.name('missing'), partitions: [0] },
          ],
          timeoutMs: 30_000,
        }),
      },
    ],
  },
  {
    id: 'topics/elect-leaders-unclean',
    api: ElectLeaders,
    versions: [1, 2],
    steps: [
      ...createTopic('t'),
      {
        api: ElectLeaders,
        body: (c) => ({ electionType: 1, topicPartitions: [{ topic: c.name('t'), partitions: [0] }], timeoutMs: 30_000 }),
      },
    ],
  },

  // ListPartitionReassignments
  {
    id: 'topics/list-partition-reassignments',
    api: ListPartitionReassignments,
    steps: [
      ...createTopic('t'),
      { api: ListPartitionReassignments, body: { timeoutMs: 30_000, topics: null } },
      { api: ListPartitionReassignments, body: (c) => ({ timeoutMs: 30_000, topics: [{ name: c.name('t'), partitionIndexes: [0, 3] }] }) },
    ],
  },
];
