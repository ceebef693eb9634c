// Streams groups without a broker: the record schemas (protocol/messages/streams-group-records.ts)
// against Kafka 4.4's StreamsGroup*.json in the kafka-group-coordinator-4.4.0 jar, every record
// kind round-tripping through broker/groups/records.ts, the topology configuration
// (broker/groups/streams/topology.ts) and the sticky task assignor (streams/assignor.ts).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeRecord, encodeRecord, type CoordinatorRecord } from '../../broker/groups/records.js';
import { assignTasks } from '../../broker/groups/streams/assignor.js';
import { StreamsMemberState, type Tasks, type Topology } from '../../broker/groups/streams/records.js';
import { configureTopology, TopologyError, validateTopology } from '../../broker/groups/streams/topology.js';
import type { TopicManager } from '../../broker/topics.js';
import * as R from '../../protocol/messages/streams-group-records.js';
import type { MessageSpec, Fields } from '../../protocol/schema.js';
import { commonStructs, compareFieldsAt, REPO_ROOT, type JsonMessage } from './kafka-message-specs.js';

const JAR = join(REPO_ROOT, 'test/jvm/.cache/lib/kafka-group-coordinator-4.4.0.jar');
const spec = (name: string) =>
  JSON.parse(
    execFileSync('unzip', ['-p', JAR, `common/message/${name}.json`], { encoding: 'utf8' })
      .replace(/^\s*\/\/.*$/gm, '')
      .replace(/\/\/[^"\n]*$/gm, '')
      // LastAssignmentConfigs writes its null default as JSON null; the comparison reads "null".
      .replace(/"default": null/g, '"default": "null"'),
  ) as JsonMessage & { apiKey: number };

const RECORDS: Array<[string, MessageSpec<Fields>, MessageSpec<Fields>]> = [
  ['StreamsGroupMetadata', R.StreamsGroupMetadataKey, R.StreamsGroupMetadataValue],
  ['StreamsGroupMemberMetadata', R.StreamsGroupMemberMetadataKey, R.StreamsGroupMemberMetadataValue],
  ['StreamsGroupTargetAssignmentMetadata', R.StreamsGroupTargetAssignmentMetadataKey, R.StreamsGroupTargetAssignmentMetadataValue],
  ['StreamsGroupTargetAssignmentMember', R.StreamsGroupTargetAssignmentMemberKey, R.StreamsGroupTargetAssignmentMemberValue],
  ['StreamsGroupCurrentMemberAssignment', R.StreamsGroupCurrentMemberAssignmentKey, R.StreamsGroupCurrentMemberAssignmentValue],
  ['StreamsGroupTopology', R.StreamsGroupTopologyKey, R.StreamsGroupTopologyValue],
];

test("streams record schemas match Kafka 4.4's JSON: key fields and version (the apiKey), value v0 field by field", () => {
  for (const [name, key, value] of RECORDS) {
    const k = spec(`${name}Key`);
    assert.equal(key.validVersions.min, k.apiKey, `${name}Key version`);
    assert.deepEqual(
      Object.keys(key.fields),
      k.fields.map((f) => f.name.charAt(0).toLowerCase() + f.name.slice(1)),
      `${name}Key fields`,
    );
    const v = spec(`${name}Value`);
    compareFieldsAt(`${name}Value`, 0, v.fields, value.fields, commonStructs(v), '', new Set());
  }
});

const tasks = (o: Record<string, number[]>): Tasks => new Map(Object.entries(o).map(([k, ps]) => [k, new Set(ps)]));

test('every streams record kind (and its tombstone) round-trips through __consumer_offsets bytes', () => {
  const topology: Topology = {
    epoch: 2,
    subtopologies: [
      {
        subtopologyId: '0',
        sourceTopics: ['in'],
        sourceTopicRegex: [],
        stateChangelogTopics: [
          { name: 'app-store-changelog', partitions: 0, replicationFactor: 0, topicConfigs: [{ key: 'cleanup.policy', value: 'compact' }] },
        ],
        repartitionSinkTopics: [],
        repartitionSourceTopics: [],
        copartitionGroups: [{ sourceTopics: [0], sourceTopicRegex: [], repartitionSourceTopics: [] }],
      },
    ],
  };
  const tuple = { active: tasks({ '0': [0, 1] }), standby: tasks({ '1': [2] }), warmup: tasks({}) };
  const records: CoordinatorRecord[] = [
    { kind: 'sg-epoch', group: 'g', value: { epoch: 7, metadataHash: 123456789, validatedTopologyEpoch: 2 } },
    { kind: 'sg-topology', group: 'g', value: topology },
    {
      kind: 'sg-member',
      group: 'g',
      memberId: 'm',
      value: {
        instanceId: null,
        rackId: 'r1',
        clientId: 'c',
        clientHost: '/127.0.0.1',
        rebalanceTimeoutMs: 30000,
        topologyEpoch: 2,
        processId: 'p',
        userEndpoint: { host: 'h', port: 8080 },
        clientTags: [{ key: 'zone', value: 'a' }],
      },
    },
    { kind: 'sg-target-epoch', group: 'g', value: 7 },
    { kind: 'sg-target', group: 'g', memberId: 'm', value: tuple },
    {
      kind: 'sg-current',
      group: 'g',
      memberId: 'm',
      value: {
        memberEpoch: 7,
        previousMemberEpoch: 6,
        state: StreamsMemberState.UNREVOKED_TASKS,
        assigned: tuple,
        pendingRevocation: { active: tasks({ '0': [3] }), standby: tasks({}), warmup: tasks({}) },
      },
    },
  ];
  for (const rec of records) {
    const { key, value } = encodeRecord(rec);
    assert.deepEqual(decodeRecord(key, value), rec, rec.kind);
    const tombstone = { ...rec, value: null } as CoordinatorRecord;
    assert.deepEqual(decodeRecord(encodeRecord(tombstone).key, null), tombstone, `${rec.kind} tombstone`);
  }
  // Key versions as Kafka writes them: StreamsGroupMetadataKey is 17, the topology 23.
  assert.equal(encodeRecord(records[0]!).key.readInt16BE(0), 17);
  assert.equal(encodeRecord(records[1]!).key.readInt16BE(0), 23);
});

function topicsOf(partitions: Record<string, number>): TopicManager {
  return {
    get: (name: string) => (name in partitions ? { partitions: new Array(partitions[name]), id: name } : undefined),
  } as unknown as TopicManager;
}

const sub = (id: string, o: Partial<Topology['subtopologies'][number]> = {}): Topology['subtopologies'][number] => ({
  subtopologyId: id,
  sourceTopics: [],
  sourceTopicRegex: [],
  stateChangelogTopics: [],
  repartitionSinkTopics: [],
  repartitionSourceTopics: [],
  copartitionGroups: [],
  ...o,
});
const info = (name: string, partitions = 0) => ({ name, partitions, replicationFactor: 0, topicConfigs: [] });

test('topology: repartition topics take the partitions of the topics feeding them, changelogs one per task; statuses', () => {
  const topology: Topology = {
    epoch: 0,
    subtopologies: [
      sub('0', { sourceTopics: ['in'], repartitionSinkTopics: ['rep'] }),
      sub('1', { repartitionSourceTopics: [info('rep')], stateChangelogTopics: [info('cl')] }),
    ],
  };
  const missing = configureTopology(topicsOf({ in: 3 }), topology);
  assert.equal(missing.ready, false);
  if (!missing.ready) {
    // In the order of Kafka's HashMap of names: `cl` hashes to bucket 9, `rep` to 12.
    assert.deepEqual(missing.status, { statusCode: 3, statusDetail: 'Internal topics are missing: cl, rep' });
    assert.deepEqual(
      missing.create.map((c) => [c.name, c.partitions]),
      [
        ['rep', 3],
        ['cl', 3],
      ],
    );
  }
  const ready = configureTopology(topicsOf({ in: 3, rep: 3, cl: 3 }), topology);
  assert.ok(ready.ready);
  if (ready.ready)
    assert.deepEqual(
      [...ready.tasks],
      [
        ['0', 3],
        ['1', 3],
      ],
    );
  const wrong = configureTopology(topicsOf({ in: 3, rep: 2, cl: 3 }), topology);
  assert.ok(
    !wrong.ready &&
      wrong.status.statusCode === 2 &&
      /Existing topic rep has different number of partitions: expected 3, found 2/.test(wrong.status.statusDetail),
  );
  const noSource = configureTopology(topicsOf({}), topology);
  assert.ok(!noSource.ready && noSource.status.statusCode === 1 && noSource.status.statusDetail === 'Source topics in are missing.');
  assert.throws(
    () => configureTopology(topicsOf({ in: 1 }), { epoch: 0, subtopologies: [sub('1', { repartitionSourceTopics: [info('rep')] })] }),
    (e: unknown) => e instanceof TopologyError && e.errorCode === 130,
  );
  assert.throws(
    () => validateTopology({ epoch: 0, subtopologies: [sub('0', { sourceTopics: ['in'], stateChangelogTopics: [info('cl', 4)] })] }),
    /Changelog topic cl must have an undefined partition count, but it is set to 4\./,
  );
});

test('sticky assignor: balanced active tasks, kept by their owners; standbys only on other processes', () => {
  const all = new Map([
    ['0', 2],
    ['1', 2],
  ]);
  const none = { active: new Map(), standby: new Map(), warmup: new Map() };
  const first = assignTasks(all, [{ memberId: 'a', processId: 'p1', previous: none }], 0);
  assert.deepEqual(
    [...first.get('a')!.active].map(([s, ps]) => [s, [...ps]]),
    [
      ['0', [0, 1]],
      ['1', [0, 1]],
    ],
  );
  const two = assignTasks(
    all,
    [
      { memberId: 'a', processId: 'p1', previous: first.get('a')! },
      { memberId: 'b', processId: 'p2', previous: none },
    ],
    1,
  );
  const count = (t: Tasks) => [...t.values()].reduce((n, s) => n + s.size, 0);
  assert.equal(count(two.get('a')!.active), 2);
  assert.equal(count(two.get('b')!.active), 2);
  for (const [s, ps] of two.get('b')!.active) for (const p of ps) assert.ok(!two.get('a')!.active.get(s)?.has(p), 'each task once');
  // One standby per task, on the other member (the other process).
  for (const [m, other] of [
    ['a', 'b'],
    ['b', 'a'],
  ] as const) {
    assert.deepEqual(
      [...two.get(m)!.standby].map(([s, ps]) => [s, [...ps].sort()]).sort(),
      [...two.get(other)!.active].map(([s, ps]) => [s, [...ps].sort()]).sort(),
    );
  }
  // Two members of one process: no standby anywhere.
  const sameProcess = assignTasks(
    all,
    [
      { memberId: 'a', processId: 'p', previous: none },
      { memberId: 'b', processId: 'p', previous: none },
    ],
    1,
  );
  assert.equal(count(sameProcess.get('a')!.standby) + count(sameProcess.get('b')!.standby), 0);
});
