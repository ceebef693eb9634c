// DescribeConfigs, AlterConfigs, IncrementalAlterConfigs: topic and broker configs, their
// defaults, sources, synonyms and documentation, and the errors for bad names and values.

import { AlterConfigs, DescribeConfigs, IncrementalAlterConfigs } from '../../../protocol/messages/index.js';
import type { Ctx, Scenario, Step } from '../oracle.js';
import { createTopic } from '../steps.js';

const TOPIC = 2;
const BROKER = 4;
const BROKER_LOGGER = 8;

type Resource = { type: number; name: (c: Ctx) => string; keys?: string[] | null };

const describe = (resources: Resource[], o: { synonyms?: boolean; docs?: boolean } = {}): Step => ({
  api: DescribeConfigs,
  body: (c) => ({
    resources: resources.map((r) => ({ resourceType: r.type, resourceName: r.name(c), configurationKeys: r.keys ?? null })),
    includeSynonyms: o.synonyms ?? false,
    includeDocumentation: o.docs ?? false,
  }),
});

/**
 * Setup: DescribeConfigs until the topic's `key` reads `value`. Kafka's controller commits an
 * alteration before the broker's config cache applies it, so a describe right after may lag.
 */
const settled = (suffix: string, key: string, value: string | null): Step => ({
  api: DescribeConfigs,
  compare: false,
  body: (c) => ({ resources: [{ resourceType: TOPIC, resourceName: c.name(suffix), configurationKeys: [key] }] }),
  until: (r) => r.results[0].configs[0]?.value === value,
});

const topic = (suffix: string, keys?: string[] | null): Resource => ({ type: TOPIC, name: (c) => c.name(suffix), keys });

/** Broker configs whose Kafka 4.4 defaults kafkalite mirrors (log.dirs and listeners differ by nature). */
const BROKER_KEYS = [
  'auto.create.topics.enable',
  'num.partitions',
  'default.replication.factor',
  'min.insync.replicas',
  'message.max.bytes',
  'log.retention.hours',
  'log.retention.ms',
  'log.retention.bytes',
  'log.segment.bytes',
  'log.roll.hours',
  'log.cleanup.policy',
  'log.message.timestamp.type',
  'log.message.timestamp.before.max.ms',
  'log.message.timestamp.after.max.ms',
  'compression.type',
  'delete.topic.enable',
  'offsets.topic.num.partitions',
  'offsets.retention.minutes',
  'group.initial.rebalance.delay.ms',
  'group.min.session.timeout.ms',
  'group.max.session.timeout.ms',
  'group.max.size',
  'transaction.max.timeout.ms',
  'transactional.id.expiration.ms',
  'producer.id.expiration.ms',
  'fetch.max.bytes',
  'node.id',
  'broker.id',
];

/** Topic configs compared one by one (their defaults, sources and types). */
const TOPIC_KEYS = [
  'cleanup.policy',
  'compression.type',
  'delete.retention.ms',
  'file.delete.delay.ms',
  'flush.messages',
  'flush.ms',
  'index.interval.bytes',
  'max.compaction.lag.ms',
  'max.message.bytes',
  'message.timestamp.after.max.ms',
  'message.timestamp.before.max.ms',
  'message.timestamp.type',
  'min.cleanable.dirty.ratio',
  'min.compaction.lag.ms',
  'min.insync.replicas',
  'preallocate',
  'retention.bytes',
  'retention.ms',
  'segment.bytes',
  'segment.index.bytes',
  'segment.jitter.ms',
  'segment.ms',
  'unclean.leader.election.enable',
];

const alter = (suffix: string, configs: Record<string, string | null>, validateOnly = false): Step => ({
  api: AlterConfigs,
  body: (c) => ({
    resources: [
      { resourceType: TOPIC, resourceName: c.name(suffix), configs: Object.entries(configs).map(([name, value]) => ({ name, value })) },
    ],
    validateOnly,
  }),
});

/** op: 0 SET, 1 DELETE, 2 APPEND, 3 SUBTRACT. */
const incremental = (suffix: string, ops: Array<[string, number, string | null]>, validateOnly = false): Step => ({
  api: IncrementalAlterConfigs,
  body: (c) => ({
    resources: [
      {
        resourceType: TOPIC,
        resourceName: c.name(suffix),
        configs: ops.map(([name, configOperation, value]) => ({ name, configOperation, value })),
      },
    ],
    validateOnly,
  }),
});

export const CONFIG_SCENARIOS: Scenario[] = [
  { id: 'configs/describe-topic-defaults', api: DescribeConfigs, steps: [...createTopic('t'), describe([topic('t', TOPIC_KEYS)])] },
  {
    id: 'configs/describe-topic-all-names',
    api: DescribeConfigs,
    versions: 'newest',
    about: 'the set of topic config names',
    steps: [...createTopic('t'), describe([topic('t', null)])],
  },
  {
    id: 'configs/describe-topic-override-synonyms',
    api: DescribeConfigs,
    steps: [
      ...createTopic('t', 1, { 'retention.ms': '3600000', 'cleanup.policy': 'compact' }),
      describe([topic('t', ['retention.ms', 'cleanup.policy', 'segment.bytes', 'max.message.bytes'])], { synonyms: true }),
    ],
  },
  {
    id: 'configs/describe-topic-documentation',
    api: DescribeConfigs,
    versions: [3, 4],
    steps: [...createTopic('t'), describe([topic('t', ['retention.ms', 'cleanup.policy'])], { docs: true })],
  },
  {
    id: 'configs/describe-errors',
    api: DescribeConfigs,
    steps: [
      ...createTopic('t'),
      describe([topic('missing', null)]),
      describe([{ type: TOPIC, name: () => 'bad name!', keys: null }]),
      describe([topic('t', ['no.such.config'])]),
      describe([{ type: BROKER, name: () => '7', keys: ['num.partitions'] }]),
      describe([{ type: BROKER, name: () => 'one', keys: ['num.partitions'] }]),
      describe([{ type: 99, name: () => 'x', keys: null }]),
    ],
  },
  { id: 'configs/describe-broker', api: DescribeConfigs, steps: [describe([{ type: BROKER, name: () => '1', keys: BROKER_KEYS }])] },
  {
    id: 'configs/describe-broker-synonyms',
    api: DescribeConfigs,
    versions: [1, 4],
    steps: [
      describe([{ type: BROKER, name: () => '1', keys: ['log.retention.ms', 'log.retention.hours', 'log.segment.bytes'] }], {
        synonyms: true,
      }),
    ],
  },
  {
    id: 'configs/describe-broker-default-resource',
    api: DescribeConfigs,
    steps: [describe([{ type: BROKER, name: () => '', keys: null }])],
  },
  {
    id: 'configs/describe-broker-logger',
    api: DescribeConfigs,
    versions: 'newest',
    steps: [describe([{ type: BROKER_LOGGER, name: () => '1', keys: ['root'] }])],
  },

  // AlterConfigs (replaces the topic's whole override set)
  {
    id: 'configs/alter-topic',
    api: AlterConfigs,
    steps: [
      ...createTopic('t', 1, { 'retention.ms': '3600000' }),
      alter('t', { 'segment.ms': '100000', 'max.message.bytes': '2000' }),
      settled('t', 'retention.ms', '604800000'),
      describe([topic('t', ['retention.ms', 'segment.ms', 'max.message.bytes'])]),
    ],
  },
  {
    id: 'configs/alter-topic-validate-only',
    api: AlterConfigs,
    steps: [...createTopic('t'), alter('t', { 'retention.ms': '1000' }, true), describe([topic('t', ['retention.ms'])])],
  },
  {
    id: 'configs/alter-errors',
    api: AlterConfigs,
    about: 'invalid configs, unknown config names, unknown topics',
    steps: [
      ...createTopic('t'),
      alter('t', { 'retention.ms': 'soon' }),
      alter('t', { 'no.such.config': '1' }),
      alter('t', { 'cleanup.policy': 'sometimes' }),
      alter('t', { 'min.insync.replicas': '0' }),
      alter('missing', { 'retention.ms': '1000' }),
      alter('t', { 'retention.ms': null }),
    ],
  },
  {
    id: 'configs/alter-broker',
    api: AlterConfigs,
    steps: [
      {
        api: AlterConfigs,
        body: {
          resources: [{ resourceType: BROKER, resourceName: '1', configs: [{ name: 'log.cleaner.threads', value: '2' }] }],
          validateOnly: true,
        },
      },
      {
        api: AlterConfigs,
        body: {
          resources: [{ resourceType: BROKER, resourceName: '1', configs: [{ name: 'num.partitions', value: '2' }] }],
          validateOnly: true,
        },
      },
      {
        api: AlterConfigs,
        body: {
          resources: [{ resourceType: BROKER, resourceName: '1', configs: [{ name: 'no.such.config', value: '2' }] }],
          validateOnly: true,
        },
      },
    ],
  },

  // IncrementalAlterConfigs
  {
    id: 'configs/incremental-set-delete',
    api: IncrementalAlterConfigs,
    steps: [
      ...createTopic('t', 1, { 'retention.ms': '3600000' }),
      incremental('t', [
        ['segment.ms', 0, '100000'],
        ['retention.ms', 1, null],
      ]),
      settled('t', 'retention.ms', '604800000'),
      describe([topic('t', ['retention.ms', 'segment.ms'])]),
    ],
  },
  {
    id: 'configs/incremental-append-subtract',
    api: IncrementalAlterConfigs,
    steps: [
      ...createTopic('t'),
      incremental('t', [['cleanup.policy', 2, 'compact']]),
      settled('t', 'cleanup.policy', 'delete,compact'),
      describe([topic('t', ['cleanup.policy'])]),
      incremental('t', [['cleanup.policy', 3, 'delete']]),
      settled('t', 'cleanup.policy', 'compact'),
      describe([topic('t', ['cleanup.policy'])]),
      incremental('t', [['cleanup.policy', 3, 'compact']]),
      settled('t', 'cleanup.policy', ''),
      describe([topic('t', ['cleanup.policy'])]),
    ],
  },
  {
    id: 'configs/incremental-errors',
    api: IncrementalAlterConfigs,
    steps: [
      ...createTopic('t'),
      incremental('t', [['retention.ms', 0, 'soon']]),
      incremental('t', [['no.such.config', 0, '1']]),
      incremental('t', [['retention.ms', 2, '5']]),
      incremental('t', [['retention.ms', 7, '5']]),
      incremental('t', [
        ['retention.ms', 0, '5'],
        ['retention.ms', 1, null],
      ]),
      incremental('missing', [['retention.ms', 0, '1000']]),
      incremental('t', [['retention.ms', 0, null]]),
    ],
  },
];
