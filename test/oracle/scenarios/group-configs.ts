// The GROUP config resource (type 32) of DescribeConfigs, IncrementalAlterConfigs and
// AlterConfigs (Kafka 4.4's GroupConfig; broker/groups/group-configs.ts): defaults inherited
// from the broker's group.* keys, set values, the bounds and their messages, names Kafka
// refuses, and configs that outlive their group (Kafka 4.4 keeps them after DeleteGroups).

import { AlterConfigs, DeleteGroups, DescribeConfigs, IncrementalAlterConfigs, LeaveGroup } from '../../../protocol/messages/index.js';
import type { Ctx, Scenario, Step } from '../oracle.js';
import { joinedGroup } from '../steps.js';

const GROUP = 32;
const SET = 0;
const DELETE = 1;
const APPEND = 2;

/** The group every scenario configures ('' and fixed names are passed through as given). */
const groupName = (c: Ctx, name?: string) => (name === undefined ? c.name('g') : name);

const describe = (keys: string[] | null, o: { synonyms?: boolean; docs?: boolean; name?: string } = {}): Step => ({
  api: DescribeConfigs,
  body: (c) => ({
    resources: [{ resourceType: GROUP, resourceName: groupName(c, o.name), configurationKeys: keys }],
    includeSynonyms: o.synonyms ?? true,
    includeDocumentation: o.docs ?? false,
  }),
});

/**
 * Setup: DescribeConfigs until `key` reads `value`: Kafka's controller commits a config change
 * before the broker's config cache applies it, so a describe right after may lag.
 */
const settled = (key: string, value: string): Step => ({
  api: DescribeConfigs,
  compare: false,
  body: (c) => ({ resources: [{ resourceType: GROUP, resourceName: c.name('g'), configurationKeys: [key] }] }),
  until: (r) => r.results[0].configs[0]?.value === value,
});

const incremental = (ops: Array<[string, number, string | null]>, o: { validateOnly?: boolean; name?: string } = {}): Step => ({
  api: IncrementalAlterConfigs,
  body: (c) => ({
    resources: [
      {
        resourceType: GROUP,
        resourceName: groupName(c, o.name),
        configs: ops.map(([name, configOperation, value]) => ({ name, configOperation, value })),
      },
    ],
    validateOnly: o.validateOnly ?? false,
  }),
});

const set = (name: string, value: string, validateOnly = true) => incremental([[name, SET, value]], { validateOnly });

/** Values Kafka 4.4 refuses, one request each, and a few it accepts (validate_only: nothing changes). */
const BOUNDS: Array<[string, string]> = [
  ['consumer.session.timeout.ms', '44999'],
  ['consumer.session.timeout.ms', '60001'],
  ['consumer.session.timeout.ms', '60000'],
  ['consumer.heartbeat.interval.ms', '4999'],
  ['consumer.heartbeat.interval.ms', '15001'],
  ['consumer.heartbeat.interval.ms', '15000'],
  ['consumer.session.timeout.ms', 'abc'],
  ['consumer.session.timeout.ms', '0'],
  ['consumer.assignment.interval.ms', '-1'],
  ['consumer.assignment.interval.ms', '20000'],
  ['share.session.timeout.ms', '1000'],
  ['share.heartbeat.interval.ms', '20000'],
  ['share.record.lock.duration.ms', '999'],
  ['share.record.lock.duration.ms', '14000'],
  ['share.record.lock.duration.ms', '45000'],
  ['share.delivery.count.limit', '1'],
  ['share.delivery.count.limit', '11'],
  ['share.partition.max.record.locks', '5000'],
  ['share.auto.offset.reset', 'earliest'],
  ['share.auto.offset.reset', 'nope'],
  ['share.auto.offset.reset', 'by_duration:PT1H'],
  ['share.auto.offset.reset', 'by_duration:xx'],
  ['share.isolation.level', 'read_committed'],
  ['share.isolation.level', 'x'],
  ['share.renew.acknowledge.enable', 'maybe'],
  ['streams.session.timeout.ms', '70000'],
  ['streams.num.standby.replicas', '3'],
  ['streams.num.standby.replicas', '2'],
  ['streams.initial.rebalance.delay.ms', '-5'],
  ['streams.assignor.name', 'zz'],
  ['streams.assignor.name', 'sticky'],
  ['streams.rack.aware.assignment.tags', 'zone,zone'],
  ['streams.rack.aware.assignment.tags', 'zone,rack'],
  ['streams.task.offset.interval.ms', '100'],
  ['streams.num.warmup.replicas', '21'],
  ['errors.deadletterqueue.topic.name', '__dlq'],
  ['errors.deadletterqueue.topic.name', 'dlq'],
  ['consumer.assignor.offload.enable', 'false'],
  ['no.such.config', '1'],
];

export const GROUP_CONFIG_SCENARIOS: Scenario[] = [
  {
    id: 'group-configs/describe-defaults',
    api: DescribeConfigs,
    about: 'every group config of a group that does not exist: broker defaults, sources, synonyms, types',
    steps: [describe(null)],
  },
  {
    id: 'group-configs/describe-documentation',
    api: DescribeConfigs,
    versions: [3, 4],
    steps: [describe(['consumer.session.timeout.ms', 'share.isolation.level', 'streams.num.standby.replicas'], { docs: true })],
  },
  {
    id: 'group-configs/describe-errors',
    api: DescribeConfigs,
    about: 'the empty name is refused; any other name, even one no topic could have, describes',
    steps: [describe(null, { name: '' }), describe(['consumer.session.timeout.ms'], { name: 'a/b c' }), describe(['no.such.config'])],
  },
  {
    id: 'group-configs/incremental-set-delete',
    api: IncrementalAlterConfigs,
    steps: [
      incremental([
        ['consumer.session.timeout.ms', SET, '50000'],
        ['consumer.heartbeat.interval.ms', SET, '6000'],
        ['share.auto.offset.reset', SET, 'earliest'],
      ]),
      settled('consumer.session.timeout.ms', '50000'),
      describe(['consumer.session.timeout.ms', 'consumer.heartbeat.interval.ms', 'share.auto.offset.reset', 'share.session.timeout.ms']),
      incremental([['consumer.heartbeat.interval.ms', DELETE, null]]),
      settled('consumer.heartbeat.interval.ms', '5000'),
      describe(['consumer.session.timeout.ms', 'consumer.heartbeat.interval.ms']),
    ],
  },
  {
    id: 'group-configs/incremental-bounds',
    api: IncrementalAlterConfigs,
    versions: 'newest',
    about: "each value alone (validate_only): Kafka's static ranges, then the broker's group.*.min/max bounds",
    steps: BOUNDS.map(([name, value]) => set(name, value)),
  },
  {
    id: 'group-configs/incremental-errors',
    api: IncrementalAlterConfigs,
    steps: [
      incremental([['consumer.session.timeout.ms', SET, '50000']], { name: '' }),
      incremental([['consumer.session.timeout.ms', APPEND, '1']]),
      incremental([['streams.rack.aware.assignment.tags', APPEND, 'zone']]),
      incremental([
        ['consumer.session.timeout.ms', SET, '50000'],
        ['bogus', SET, '1'],
      ]),
      incremental([['consumer.session.timeout.ms', SET, '50000']], { name: 'a/b c' }),
      describe(['consumer.session.timeout.ms']),
    ],
  },
  {
    id: 'group-configs/request-errors',
    api: IncrementalAlterConfigs,
    about: 'a key named twice, a null value to SET, the same group twice in one request, a group next to a broker resource',
    steps: [
      incremental([
        ['consumer.session.timeout.ms', SET, '50000'],
        ['consumer.session.timeout.ms', SET, '55000'],
      ]),
      incremental([['consumer.session.timeout.ms', SET, null]]),
      {
        api: IncrementalAlterConfigs,
        body: (c) => ({
          resources: [
            {
              resourceType: GROUP,
              resourceName: c.name('g'),
              configs: [{ name: 'share.isolation.level', configOperation: SET, value: 'x' }],
            },
            { resourceType: GROUP, resourceName: c.name('g'), configs: [] },
            {
              resourceType: GROUP,
              resourceName: c.name('h'),
              configs: [{ name: 'share.isolation.level', configOperation: SET, value: 'read_committed' }],
            },
            { resourceType: 4, resourceName: '1', configs: [{ name: 'log.cleaner.threads', configOperation: DELETE, value: null }] },
          ],
          validateOnly: true,
        }),
      },
    ],
  },
  {
    id: 'group-configs/validate-only',
    api: IncrementalAlterConfigs,
    steps: [set('consumer.session.timeout.ms', '55000'), describe(['consumer.session.timeout.ms'])],
  },
  {
    id: 'group-configs/alter-configs',
    api: AlterConfigs,
    about: 'AlterConfigs replaces the whole set of a group',
    steps: [
      incremental([['consumer.session.timeout.ms', SET, '50000']], {}),
      settled('consumer.session.timeout.ms', '50000'),
      {
        api: AlterConfigs,
        body: (c) => ({
          resources: [
            { resourceType: GROUP, resourceName: c.name('g'), configs: [{ name: 'consumer.heartbeat.interval.ms', value: '7000' }] },
          ],
          validateOnly: false,
        }),
      },
      settled('consumer.heartbeat.interval.ms', '7000'),
      describe(['consumer.session.timeout.ms', 'consumer.heartbeat.interval.ms']),
      {
        api: AlterConfigs,
        body: (c) => ({
          resources: [{ resourceType: GROUP, resourceName: c.name('g'), configs: [{ name: 'consumer.session.timeout.ms', value: '1' }] }],
          validateOnly: false,
        }),
      },
    ],
  },
  {
    id: 'group-configs/outlive-deleted-group',
    api: DeleteGroups,
    versions: 'newest',
    about: "DeleteGroups leaves the group's configs in place (Kafka 4.4 does not delete its ConfigRecords)",
    steps: [
      ...joinedGroup('g'),
      incremental([['consumer.session.timeout.ms', SET, '50000']], {}),
      settled('consumer.session.timeout.ms', '50000'),
      {
        api: LeaveGroup,
        compare: false,
        body: (c) => ({ groupId: c.name('g'), members: [{ memberId: c.vars.memberId, groupInstanceId: null, reason: null }] }),
      },
      { api: DeleteGroups, body: (c) => ({ groupsNames: [c.name('g')] }) },
      // Long enough for a deletion to reach Kafka's config cache, had there been one.
      { ...describe(['consumer.session.timeout.ms']), delayMs: 2000 },
    ],
  },
];
