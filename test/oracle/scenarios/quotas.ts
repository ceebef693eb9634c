// DescribeClientQuotas and AlterClientQuotas: setting, removing and validating quotas per
// entity (user, client-id, ip, their defaults), the describe filters (exact, default, specified,
// strict) and their errors. Entity names come from ctx.name, so instances never see each
// other's quotas; the default entities are shared, so scenarios that set them remove them again.

import { AlterClientQuotas, CreatePartitions, CreateTopics, DeleteTopics, DescribeClientQuotas } from '../../../protocol/messages/index.js';
import { createTopic } from '../steps.js';
import type { Rule } from '../normalise.js';
import type { Ctx, Res, Scenario, Step } from '../oracle.js';

type Part = [type: string, name: string | null | ((c: Ctx) => string)];
type Op = [key: string, value: number | null];

const USER = 'user';
const CLIENT = 'client-id';
const IP = 'ip';
const EXACT = 0;
const DEFAULT = 1;
const SPECIFIED = 2;

const n = (suffix: string) => (c: Ctx) => c.name(suffix);
const parts = (entity: Part[], c: Ctx) =>
  entity.map(([entityType, name]) => ({ entityType, entityName: typeof name === 'function' ? name(c) : name }));

/** One AlterClientQuotas request; each entry an entity and its ops (null value: remove). */
const alter = (entries: Array<[Part[], Op[]]>, o: { validateOnly?: boolean; compare?: boolean } = {}): Step => ({
  api: AlterClientQuotas,
  compare: o.compare,
  body: (c) => ({
    entries: entries.map(([entity, ops]) => ({
      entity: parts(entity, c),
      ops: ops.map(([key, value]) => ({ key, value: value ?? 0, remove: value === null })),
    })),
    validateOnly: o.validateOnly ?? false,
  }),
});

type Component = [type: string, matchType: number, match: string | null | ((c: Ctx) => string)];

const describe = (components: Component[], strict = false): Step => ({
  api: DescribeClientQuotas,
  body: (c) => ({
    components: components.map(([entityType, matchType, match]) => ({
      entityType,
      matchType,
      match: typeof match === 'function' ? match(c) : match,
    })),
    strict,
  }),
});

/**
 * Setup: describe until `count` entities match. Kafka's controller commits an alteration before
 * the broker's metadata image (which DescribeClientQuotas reads) has it.
 */
const settled = (components: Component[], count: number, strict = false): Step => ({
  ...describe(components, strict),
  compare: false,
  until: (r: Res) => (r.entries?.length ?? 0) === count,
});

const SORTED: Rule[] = [
  { path: 'entries', api: 'DescribeClientQuotas', action: 'sort', key: 'entity', reason: 'Kafka lists entities from a hash map' },
  {
    path: 'entries[*].values',
    api: 'DescribeClientQuotas',
    action: 'sort',
    key: 'key',
    reason: 'Kafka lists quota values from a hash map',
  },
];

/**
 * A controller_mutation_rate of 1 partition a second for `clientId` (a fixed id: step options
 * are static, so each such scenario runs at one version), then two CreateTopics from that client:
 * 20 partitions, which the full bucket (11 tokens) lets through, then one more.
 */
const mutationSteps = (clientId: string, first = 20): Step[] => {
  const create = (suffix: string, partitions: number): Step => ({
    api: CreateTopics,
    body: (c) => ({
      topics: [{ name: c.name(suffix), numPartitions: partitions, replicationFactor: 1, assignments: [], configs: [] }],
      timeoutMs: 30_000,
      validateOnly: false,
    }),
    conn: clientId,
    opts: { clientId },
  });
  return [
    alter([[[[CLIENT, clientId]], [['controller_mutation_rate', 1]]]], { compare: false }),
    settled([[CLIENT, EXACT, clientId]], 1),
    create('a', first),
    create('b', 1),
  ];
};

/** The quota of mutationSteps, then CreatePartitions from that client: 20 new partitions, then one more. */
const partitionSteps = (clientId: string): Step[] => {
  const grow = (count: number): Step => ({
    api: CreatePartitions,
    body: (c) => ({ topics: [{ name: c.name('t'), count, assignments: null }], timeoutMs: 30_000, validateOnly: false }),
    conn: clientId,
    opts: { clientId },
  });
  return [
    ...createTopic('t'),
    alter([[[[CLIENT, clientId]], [['controller_mutation_rate', 1]]]], { compare: false }),
    settled([[CLIENT, EXACT, clientId]], 1),
    grow(21),
    grow(22),
  ];
};

/** The quota of mutationSteps, then DeleteTopics from that client: a 20-partition topic, then a 1-partition one. */
const deleteSteps = (clientId: string): Step[] => {
  const remove = (suffix: string): Step => ({
    api: DeleteTopics,
    body: (c) => ({
      topicNames: [c.name(suffix)],
      topics: [{ name: c.name(suffix), topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }],
      timeoutMs: 30_000,
    }),
    conn: clientId,
    opts: { clientId },
  });
  return [
    ...createTopic('a', 20),
    ...createTopic('b', 1),
    alter([[[[CLIENT, clientId]], [['controller_mutation_rate', 1]]]], { compare: false }),
    settled([[CLIENT, EXACT, clientId]], 1),
    remove('a'),
    remove('b'),
  ];
};

export const QUOTA_SCENARIOS: Scenario[] = [
  {
    id: 'quotas/mutation-create-partitions-strict',
    api: CreatePartitions,
    versions: [3],
    about: 'CreatePartitions v3 over controller_mutation_rate: THROTTLING_QUOTA_EXCEEDED',
    steps: partitionSteps('quota-partitions-v3'),
  },
  {
    id: 'quotas/mutation-delete-topics-strict',
    api: DeleteTopics,
    versions: [6],
    about: 'DeleteTopics v5+ over controller_mutation_rate: THROTTLING_QUOTA_EXCEEDED once the bucket is empty',
    steps: deleteSteps('quota-delete-v6'),
  },
  {
    id: 'quotas/mutation-strict',
    api: CreateTopics,
    versions: [7],
    about: 'CreateTopics v6+ over controller_mutation_rate: THROTTLING_QUOTA_EXCEEDED (KIP-599, strict)',
    steps: mutationSteps('quota-strict-v7'),
  },
  {
    id: 'quotas/mutation-permissive',
    api: CreateTopics,
    versions: [5],
    about: 'CreateTopics below v6 over controller_mutation_rate: created, only throttled (permissive)',
    // 12 partitions leave the bucket at -1: a 1-second throttle (and mute) rather than 9.
    steps: mutationSteps('quota-permissive-v5', 12),
  },
  {
    id: 'quotas/alter-user-client',
    api: AlterClientQuotas,
    about: 'set quotas on a user, a client-id and both, then describe them',
    normalise: SORTED,
    steps: [
      alter([
        [
          [
            [USER, n('u')],
            [CLIENT, n('c')],
          ],
          [
            ['producer_byte_rate', 1024],
            ['consumer_byte_rate', 2048],
            ['request_percentage', 50.5],
          ],
        ],
      ]),
      alter([[[[USER, n('u')]], [['controller_mutation_rate', 10]]]]),
      alter([[[[CLIENT, n('c')]], [['consumer_byte_rate', 4096]]]]),
      settled([[CLIENT, EXACT, n('c')]], 2),
      describe(
        [
          [USER, EXACT, n('u')],
          [CLIENT, EXACT, n('c')],
        ],
        true,
      ),
      describe([[USER, EXACT, n('u')]]),
      describe([[CLIENT, EXACT, n('c')]], true),
    ],
  },
  {
    id: 'quotas/alter-several-entities',
    api: AlterClientQuotas,
    about: 'one request for three entities: one result each, in Kafka order',
    steps: [
      alter([
        [[[USER, n('u')]], [['producer_byte_rate', 100]]],
        [[[CLIENT, n('c')]], [['producer_byte_rate', 200]]],
        [
          [
            [USER, n('u')],
            [CLIENT, n('c')],
          ],
          [['producer_byte_rate', 300]],
        ],
        [[[IP, '192.0.2.7']], [['producer_byte_rate', 1]]],
      ]),
    ],
  },
  {
    id: 'quotas/alter-defaults',
    api: AlterClientQuotas,
    about: 'default user, default client-id, default user and client-id, default ip (null names); removed at the end',
    normalise: SORTED,
    steps: [
      alter([[[[USER, null]], [['producer_byte_rate', 5000]]]]),
      alter([
        [
          [
            [USER, n('u')],
            [CLIENT, null],
          ],
          [['request_percentage', 200]],
        ],
      ]),
      alter([[[[IP, null]], [['connection_creation_rate', 30]]]]),
      settled([[USER, DEFAULT, null]], 1, true),
      settled([[IP, DEFAULT, null]], 1),
      describe([[USER, DEFAULT, null]], true),
      describe([
        [USER, EXACT, n('u')],
        [CLIENT, DEFAULT, null],
      ]),
      describe([[IP, DEFAULT, null]]),
      alter([[[[USER, null]], [['producer_byte_rate', null]]]]),
      alter([[[[IP, null]], [['connection_creation_rate', null]]]]),
      settled([[USER, DEFAULT, null]], 0, true),
      settled([[IP, DEFAULT, null]], 0),
      describe([[USER, DEFAULT, null]], true),
    ],
  },
  {
    id: 'quotas/alter-ip',
    api: AlterClientQuotas,
    about: 'connection_creation_rate on an ip entity, and the keys it refuses',
    steps: [
      alter([[[[IP, '192.0.2.1']], [['connection_creation_rate', 10]]]]),
      alter([[[[IP, '192.0.2.2']], [['connection_creation_rate', 1.5]]]]),
      alter([[[[IP, '192.0.2.3']], [['connection_creation_rate', 3e9]]]]),
      alter([[[[IP, '192.0.2.4']], [['consumer_byte_rate', 10]]]]),
      alter([[[[IP, '::1']], [['connection_creation_rate', 5]]]]),
      alter([[[[IP, '192.0.2.1']], [['connection_creation_rate', null]]]]),
    ],
  },
  {
    id: 'quotas/alter-errors',
    api: AlterClientQuotas,
    about: "the controller's checks: entity types, combinations, names, keys, values, duplicates",
    steps: [
      alter([[[], [['producer_byte_rate', 10]]]]),
      alter([[[['group', n('g')]], [['producer_byte_rate', 10]]]]),
      alter([[[[USER, '']], [['producer_byte_rate', 10]]]]),
      alter([
        [
          [
            [IP, '192.0.2.9'],
            [USER, n('u')],
          ],
          [['producer_byte_rate', 10]],
        ],
      ]),
      alter([[[[USER, n('u')]], [['connection_creation_rate', 10]]]]),
      alter([[[[USER, n('u')]], [['no.such.quota', 10]]]]),
      alter([[[[USER, n('u')]], [['producer_byte_rate', 0]]]]),
      alter([[[[USER, n('u')]], [['request_percentage', -1]]]]),
      alter([[[[USER, n('u')]], [['producer_byte_rate', 1.5]]]]),
      alter([[[[USER, n('u')]], [['producer_byte_rate', 1e19]]]]),
      alter([
        [
          [[USER, n('u')]],
          [
            ['producer_byte_rate', 10],
            ['producer_byte_rate', 20],
          ],
        ],
      ]),
      alter([
        [[[CLIENT, n('c')]], [['producer_byte_rate', 10]]],
        [[[CLIENT, n('c')]], [['consumer_byte_rate', 10]]],
      ]),
      // The first of two equal entities applied (Kafka keeps its records); the answer is one refusal.
      settled([[CLIENT, EXACT, n('c')]], 1),
      describe([[CLIENT, EXACT, n('c')]]),
    ],
  },
  {
    id: 'quotas/alter-validate-only-and-remove',
    api: AlterClientQuotas,
    about: 'validate_only changes nothing; removing keys, an absent key, the last key',
    normalise: SORTED,
    steps: [
      alter([[[[USER, n('u')]], [['producer_byte_rate', 10]]]], { validateOnly: true }),
      alter([[[[USER, n('u')]], [['no.such.quota', 10]]]], { validateOnly: true }),
      alter([
        [
          [[CLIENT, n('c')]],
          [
            ['producer_byte_rate', 10],
            ['consumer_byte_rate', 20],
          ],
        ],
      ]),
      settled([[CLIENT, EXACT, n('c')]], 1),
      describe([[USER, EXACT, n('u')]]),
      alter([
        [
          [[CLIENT, n('c')]],
          [
            ['producer_byte_rate', null],
            ['request_percentage', null],
          ],
        ],
      ]),
      alter([[[[USER, n('nobody')]], [['producer_byte_rate', null]]]]),
      { ...describe([[CLIENT, EXACT, n('c')]]), until: (r: Res) => r.entries?.[0]?.values.length === 1 },
      alter([[[[CLIENT, n('c')]], [['consumer_byte_rate', null]]]]),
      settled([[CLIENT, EXACT, n('c')]], 0),
      describe([[CLIENT, EXACT, n('c')]]),
    ],
  },
  {
    id: 'quotas/describe-filters',
    api: DescribeClientQuotas,
    about: 'exact, default and specified components, strict and not',
    normalise: SORTED,
    steps: [
      alter(
        [
          [[[USER, n('u')]], [['producer_byte_rate', 1]]],
          [
            [
              [USER, n('u')],
              [CLIENT, n('c')],
            ],
            [['producer_byte_rate', 2]],
          ],
          [
            [
              [USER, n('u')],
              [CLIENT, null],
            ],
            [['producer_byte_rate', 3]],
          ],
          [[[CLIENT, n('c')]], [['producer_byte_rate', 4]]],
        ],
        { compare: false },
      ),
      settled([[USER, EXACT, n('u')]], 3),
      describe([[USER, EXACT, n('u')]]),
      describe([[USER, EXACT, n('u')]], true),
      describe([
        [USER, EXACT, n('u')],
        [CLIENT, SPECIFIED, null],
      ]),
      describe(
        [
          [USER, EXACT, n('u')],
          [CLIENT, DEFAULT, null],
        ],
        true,
      ),
      describe([[CLIENT, EXACT, n('c')]]),
      describe(
        [
          [CLIENT, EXACT, n('c')],
          [USER, SPECIFIED, null],
        ],
        true,
      ),
      describe([[USER, EXACT, n('nobody')]]),
    ],
  },
  {
    id: 'quotas/describe-errors',
    api: DescribeClientQuotas,
    about: 'filter components Kafka refuses, with a top-level error and null entries',
    steps: [
      describe([['', EXACT, 'x']]),
      describe([
        [USER, EXACT, n('u')],
        [USER, SPECIFIED, null],
      ]),
      describe([['group', EXACT, 'g']]),
      describe([[USER, EXACT, null]]),
      describe([[USER, DEFAULT, 'x']]),
      describe([[CLIENT, SPECIFIED, 'x']]),
      describe([[USER, 7, null]]),
      describe([
        [IP, SPECIFIED, null],
        [USER, EXACT, n('u')],
      ]),
    ],
  },
];
