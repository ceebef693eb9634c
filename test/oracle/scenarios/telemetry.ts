// Client telemetry (KIP-714): CLIENT_METRICS config resources through DescribeConfigs,
// AlterConfigs and IncrementalAlterConfigs, ListConfigResources, and GetTelemetrySubscriptions /
// PushTelemetry. Kafka 4.4 without a metrics receiver plugin leaves keys 71/72 out of
// ApiVersions but answers them (its ClientMetricsManager always runs), so they are compared at
// v0. Every subscription here matches only its own instance's client id, so instances sharing a
// broker never see each other's subscriptions.

import {
  AlterConfigs,
  DescribeConfigs,
  GetTelemetrySubscriptions,
  IncrementalAlterConfigs,
  ListConfigResources,
  PushTelemetry,
} from '../../../protocol/messages/index.js';
import { ZERO_UUID } from '../../../protocol/primitives.js';
import { Codec, compress } from '../../../protocol/records/compression.js';
import { encodeMetrics } from '../../../broker/telemetry/otlp.js';
import type { Rule } from '../normalise.js';
import type { Ctx, Res, Scenario, Step } from '../oracle.js';
import { createTopic } from '../steps.js';

const CLIENT_METRICS = 16;
const SET = 0;
const DELETE = 1;
const APPEND = 2;
const SUBTRACT = 3;

type Op = [name: string, op: number, value: string | null];

const alter = (suffix: string, ops: Op[], o: { validateOnly?: boolean; compare?: boolean; name?: (c: Ctx) => string } = {}): Step => ({
  api: IncrementalAlterConfigs,
  compare: o.compare ?? true,
  body: (c) => ({
    resources: [
      {
        resourceType: CLIENT_METRICS,
        resourceName: o.name ? o.name(c) : c.name(suffix),
        configs: ops.map(([name, configOperation, value]) => ({ name, configOperation, value })),
      },
    ],
    validateOnly: o.validateOnly ?? false,
  }),
});

const describe = (suffix: string, o: { keys?: string[] | null; docs?: boolean; synonyms?: boolean; name?: string } = {}): Step => ({
  api: DescribeConfigs,
  body: (c) => ({
    resources: [{ resourceType: CLIENT_METRICS, resourceName: o.name ?? c.name(suffix), configurationKeys: o.keys ?? null }],
    includeSynonyms: o.synonyms ?? false,
    includeDocumentation: o.docs ?? false,
  }),
});

/** Setup: describe until `key` reads `value` (Kafka's broker applies the controller's record a moment later). */
const settled = (suffix: string, key: string, value: string): Step => ({
  ...describe(suffix, { keys: [key] }),
  compare: false,
  until: (r: Res) => r.results[0].configs[0]?.value === value,
});

/** Setup: ListConfigResources v1 until the broker lists this instance's `listed` subscription. */
function listed(): Step {
  let name = '';
  return {
    api: ListConfigResources,
    v: 1,
    compare: false,
    body: (c: Ctx) => {
      name = c.name('listed');
      return { resourceTypes: [CLIENT_METRICS] };
    },
    until: (r: Res) => r.configResources.some((x: Res) => x.resourceName === name),
  };
}

const SORT_RESOURCES: Rule[] = [
  { path: 'configResources', action: 'sort', key: 'resourceName', reason: 'Kafka lists resources from hash sets' },
];
/** What a client instance's identity in these scenarios is: its own client id. */
const clientIdOf = (c: Ctx) => c.name('client');
const IDS: Rule[] = [
  { path: 'clientInstanceId', action: 'id', kind: 'client-instance', reason: 'client instance ids are random UUIDs' },
  { path: 'subscriptionId', action: 'id', kind: 'subscription', reason: 'a hash that includes the random client instance id' },
];

/** A subscription for this instance's client id only, then wait until the broker applies it. */
function subscribed(metrics: string, intervalMs: number): Step[] {
  return [
    {
      api: IncrementalAlterConfigs,
      compare: false,
      body: (c: Ctx) => ({
        resources: [
          {
            resourceType: CLIENT_METRICS,
            resourceName: c.name('sub'),
            configs: [
              { name: 'metrics', configOperation: SET, value: metrics },
              { name: 'interval.ms', configOperation: SET, value: String(intervalMs) },
              { name: 'match', configOperation: SET, value: `client_id=${clientIdOf(c)}` },
            ],
          },
        ],
        validateOnly: false,
      }),
    },
    settled('sub', 'interval.ms', String(intervalMs)),
  ];
}

const get = (o: { compare?: boolean; zero?: boolean } = {}): Step => ({
  api: GetTelemetrySubscriptions,
  v: 0,
  compare: o.compare ?? true,
  body: (c) => ({ clientInstanceId: o.zero === false ? c.vars.id : ZERO_UUID }),
  save: (r: Res, c: Ctx) => {
    if (r.errorCode === 0) {
      c.vars.id = r.clientInstanceId;
      c.vars.sub = r.subscriptionId;
    }
  },
});

/** A small OTLP MetricsData payload, as a client would push it. */
const PAYLOAD = encodeMetrics({
  resourceMetrics: [
    {
      resource: { attributes: [{ key: 'client_id', value: { stringValue: 'oracle' } }] },
      scopeMetrics: [
        {
          metrics: [
            {
              name: 'org.apache.kafka.producer.record.queue.time.avg',
              gauge: { dataPoints: [{ asDouble: 1.5, timeUnixNano: '1700000000000000000' }] },
            },
          ],
        },
      ],
    },
  ],
});

const push = (
  o: { sub?: (c: Ctx) => number; id?: (c: Ctx) => string; terminating?: boolean; compression?: number; metrics?: Buffer } = {},
): Step => ({
  api: PushTelemetry,
  body: (c) => ({
    clientInstanceId: o.id ? o.id(c) : c.vars.id,
    subscriptionId: o.sub ? o.sub(c) : c.vars.sub,
    terminating: o.terminating ?? false,
    compressionType: o.compression ?? 0,
    metrics: o.metrics ?? PAYLOAD,
  }),
});

/** Steps with this instance's client id on every request (subscriptions match on it). */
const asClient =
  (steps: Step[]): ((c: Ctx) => Step[]) =>
  (c) =>
    steps.map((s) => ({ ...s, opts: { ...s.opts, clientId: clientIdOf(c) } }));

export const TELEMETRY_SCENARIOS: Scenario[] = [
  // CLIENT_METRICS config resources
  {
    id: 'telemetry/describe-unknown-subscription',
    api: DescribeConfigs,
    versions: [1, 4],
    about: 'a subscription that does not exist describes as its defaults',
    steps: [describe('none', { synonyms: true })],
  },
  {
    id: 'telemetry/describe-v0',
    api: DescribeConfigs,
    versions: [0],
    about: 'v0 cannot carry a CLIENT_METRICS config source: Kafka fails to write the answer and closes the connection',
    steps: [describe('none')],
  },
  {
    id: 'telemetry/describe-empty-name',
    api: DescribeConfigs,
    versions: [4],
    steps: [describe('', { name: '' })],
  },
  {
    id: 'telemetry/incremental-set-describe',
    api: IncrementalAlterConfigs,
    versions: [0, 1],
    steps: [
      alter('s', [
        ['metrics', SET, 'org.apache.kafka.producer.,org.apache.kafka.consumer.'],
        ['interval.ms', SET, '1000'],
        ['match', SET, 'client_id=nobody,client_software_name=apache-kafka-java'],
      ]),
      settled('s', 'interval.ms', '1000'),
      { ...describe('s', { synonyms: true, docs: true }), v: 4 },
      { ...describe('s', { keys: ['metrics', 'match'] }), v: 1 },
    ],
  },
  {
    id: 'telemetry/incremental-append-subtract-delete',
    api: IncrementalAlterConfigs,
    versions: [1],
    about: 'APPEND and SUBTRACT (Kafka 4.4 refuses them on every client-metrics key), then DELETE of every key removes the resource',
    steps: [
      alter('s', [['metrics', SET, 'a.']]),
      alter('s', [['metrics', APPEND, 'b.,a.']]),
      alter('s', [['match', SUBTRACT, 'client_id=x']]),
      alter('s', [['interval.ms', APPEND, '5']]),
      alter('s', [['interval.ms', SET, '2000']]),
      settled('s', 'interval.ms', '2000'),
      describe('s', { keys: ['metrics', 'interval.ms'] }),
      alter('s', [
        ['interval.ms', DELETE, null],
        ['metrics', DELETE, null],
      ]),
      settled('s', 'interval.ms', '300000'),
      describe('s'),
      {
        api: ListConfigResources,
        v: 1,
        body: { resourceTypes: [CLIENT_METRICS] },
        // A resource whose configs are all deleted is gone. Other scenarios' resources are left out.
        save: (r: Res, c: Ctx) => {
          r.configResources = r.configResources.filter((x: Res) => x.resourceName.startsWith(c.name('')));
        },
      },
    ],
  },
  {
    id: 'telemetry/incremental-invalid',
    api: IncrementalAlterConfigs,
    versions: [1],
    about: "ClientMetricsConfigs.validate's refusals, with Kafka's messages",
    steps: [
      alter('s', [['unknown.key', SET, '1']]),
      alter('s', [['interval.ms', SET, '99']]),
      alter('s', [['interval.ms', SET, '3600001']]),
      alter('s', [['interval.ms', SET, 'soon']]),
      alter('s', [['match', SET, 'client_id']]),
      alter('s', [['match', SET, 'colour=blue']]),
      alter('s', [['match', SET, 'client_id=[']]),
      alter('s', [['match', SET, 'client_id=a=b']]),
      alter('s', [['metrics', SET, 'a.,a.,b.']]),
      alter('s', [['foo', APPEND, 'a.']]),
      alter('s', [['metrics', SET, 'a.,,b.']]),
      alter('s', [['metrics', SET, 'a.']], { name: () => '' }),
      alter('s', [['interval.ms', SET, '50']], { validateOnly: true }),
      alter('s', [['interval.ms', SET, '500']], { validateOnly: true }),
      describe('s'),
    ],
  },
  {
    id: 'telemetry/alter-configs',
    api: AlterConfigs,
    versions: [0, 2],
    about: 'the legacy AlterConfigs on a CLIENT_METRICS resource',
    steps: [
      {
        api: AlterConfigs,
        body: (c) => ({
          resources: [
            {
              resourceType: CLIENT_METRICS,
              resourceName: c.name('s'),
              configs: [
                { name: 'metrics', value: '*' },
                { name: 'interval.ms', value: '60000' },
              ],
            },
          ],
          validateOnly: false,
        }),
      },
      {
        api: AlterConfigs,
        body: (c) => ({
          resources: [{ resourceType: CLIENT_METRICS, resourceName: c.name('s'), configs: [{ name: 'interval.ms', value: '10' }] }],
          validateOnly: false,
        }),
      },
    ],
  },

  // ListConfigResources
  {
    id: 'telemetry/list-client-metrics',
    api: ListConfigResources,
    versions: [0, 1],
    normalise: SORT_RESOURCES,
    steps: [
      alter('listed', [['metrics', SET, '*']], { compare: false }),
      listed(),
      {
        api: ListConfigResources,
        body: { resourceTypes: [] },
        // Other scenarios' subscriptions are left out: the corpus runs them in any order.
        save: (r: Res, c: Ctx) => {
          r.configResources = r.configResources.filter(
            (x: Res) => x.resourceType !== CLIENT_METRICS || x.resourceName.startsWith(c.name('')),
          );
        },
      },
    ],
  },
  {
    id: 'telemetry/list-types',
    api: ListConfigResources,
    versions: [1],
    about: 'v1 ResourceTypes: brokers, broker loggers, topics, and a type Kafka does not list (UNSUPPORTED_VERSION)',
    normalise: SORT_RESOURCES,
    steps: [
      ...createTopic('t'),
      { api: ListConfigResources, body: { resourceTypes: [4, 8] } },
      {
        api: ListConfigResources,
        body: { resourceTypes: [2] },
        save: (r: Res, c: Ctx) => {
          // Other scenarios' topics come and go on a shared broker: keep only this one.
          r.configResources = r.configResources.filter((x: Res) => x.resourceName === c.name('t'));
        },
      },
      { api: ListConfigResources, body: { resourceTypes: [1] } },
      { api: ListConfigResources, body: { resourceTypes: [16, 3] } },
    ],
  },

  {
    id: 'telemetry/list-groups',
    api: ListConfigResources,
    versions: [1],
    about: 'v1 lists GROUP resources: the groups with dynamic configs, and no longer once they are deleted',
    steps: [
      {
        api: IncrementalAlterConfigs,
        body: (c: Ctx) => ({
          resources: [
            {
              resourceType: 32,
              resourceName: c.name('g'),
              configs: [{ name: 'consumer.session.timeout.ms', configOperation: SET, value: '50000' }],
            },
          ],
          validateOnly: false,
        }),
      },
      {
        api: ListConfigResources,
        body: { resourceTypes: [32] },
        until: (r: Res) => r.configResources.length > 0,
        // Other scenarios' groups come and go on a shared broker: keep only this one.
        save: (r: Res, c: Ctx) => {
          r.configResources = r.configResources.filter((x: Res) => x.resourceName === c.name('g'));
        },
      },
      {
        api: IncrementalAlterConfigs,
        body: (c: Ctx) => ({
          resources: [
            {
              resourceType: 32,
              resourceName: c.name('g'),
              configs: [{ name: 'consumer.session.timeout.ms', configOperation: DELETE, value: null }],
            },
          ],
          validateOnly: false,
        }),
      },
      {
        api: ListConfigResources,
        body: { resourceTypes: [32] },
        save: (r: Res, c: Ctx) => {
          r.configResources = r.configResources.filter((x: Res) => x.resourceName === c.name('g'));
        },
      },
    ],
  },

  // GetTelemetrySubscriptions and PushTelemetry
  {
    id: 'telemetry/get-subscription',
    api: GetTelemetrySubscriptions,
    versions: [0],
    about: 'a new instance id, its subscription (matched on client id), then a second request within the interval',
    normalise: IDS,
    steps: asClient([...subscribed('org.apache.kafka.producer.,org.apache.kafka.consumer.', 60_000), get(), get({ zero: false })]),
  },
  {
    id: 'telemetry/push',
    api: PushTelemetry,
    versions: [0],
    about: 'a push right after the subscription, one within the interval, a stale subscription id, a terminating push, then one after it',
    normalise: IDS,
    steps: asClient([
      ...subscribed('*', 60_000),
      { ...get(), compare: false },
      push(),
      push(),
      push({ sub: (c) => c.vars.sub + 1 }),
      push({ terminating: true }),
      push(),
    ]),
  },
  {
    id: 'telemetry/push-errors',
    api: PushTelemetry,
    versions: [0],
    about: 'zero and reserved instance ids, an unknown compression type, a compressed payload, a payload over telemetry.max.bytes',
    normalise: IDS,
    steps: asClient([
      ...subscribed('*', 100),
      push({ id: () => ZERO_UUID, sub: () => 0 }),
      push({ id: () => 'AAAAAAAAAAAAAAAAAAAAAQ', sub: () => 0 }),
      { ...get(), compare: false },
      push({ compression: 9 }),
      { ...get({ zero: false }), compare: false, delayMs: 150 },
      push({ compression: Codec.GZIP, metrics: compress(Codec.GZIP, PAYLOAD) }),
      { ...get({ zero: false }), compare: false, delayMs: 150 },
      push({ metrics: Buffer.alloc(1024 * 1024 + 1, 1) }),
    ]),
  },
  {
    id: 'telemetry/push-undecodable',
    api: PushTelemetry,
    versions: [0],
    about: 'a payload that is not OTLP MetricsData: Kafka without a receiver plugin accepts it, kafkalite decodes pushes',
    normalise: IDS,
    steps: asClient([...subscribed('*', 60_000), { ...get(), compare: false }, push({ metrics: Buffer.from('not a protobuf message') })]),
  },
];
