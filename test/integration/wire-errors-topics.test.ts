// ListOffsets, Metadata, CreateTopics and DeleteTopics over real TCP against startBroker(), with the codes of
// Kafka's Errors. Shared set-up: wire-errors-helpers.ts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode } from '../../protocol/errors.js';
import { CreateTopics, DeleteTopics, ListOffsets, Metadata } from '../../protocol/messages/index.js';
import { ZERO_UUID } from '../../protocol/primitives.js';
import { T, withBroker, batch, produceOne } from './wire-errors-helpers.js';

// ---------------------------------------------------------------------------------------------
// ListOffsets

test('ListOffsets: latest, earliest, by timestamp, max timestamp, version checks, duplicates, v0', T, async () => {
  const T0 = 1_700_000_000_000;
  await withBroker({ topics: { lo: 1 } }, async (_broker, connect) => {
    const c = await connect();
    await produceOne(
      c,
      'lo',
      0,
      batch([
        { value: 'a', timestamp: T0 + 1000 },
        { value: 'b', timestamp: T0 + 3000 },
        { value: 'c', timestamp: T0 + 2000 },
      ]),
    );
    await produceOne(c, 'lo', 0, batch([{ value: 'd', timestamp: T0 + 1500 }]));
    const ask = async (version: number, timestamp: number) => {
      const res = await c.send(ListOffsets, version, {
        replicaId: -1,
        isolationLevel: 0,
        topics: [{ name: 'lo', partitions: [{ partitionIndex: 0, timestamp }] }],
      });
      return res.topics[0]!.partitions[0]!;
    };
    for (const v of [1, 5, 7, 10]) {
      const l = await ask(v, -1);
      assert.deepEqual([l.errorCode, l.offset, l.timestamp], [0, 4, -1], `v${v} latest`);
      const e = await ask(v, -2);
      assert.deepEqual([e.errorCode, e.offset, e.timestamp], [0, 0, -1], `v${v} earliest`);
      const t = await ask(v, T0 + 2500);
      assert.deepEqual([t.errorCode, t.offset, t.timestamp], [0, 1, T0 + 3000], `v${v} by timestamp`);
      const first = await ask(v, T0);
      assert.deepEqual([first.offset, first.timestamp], [0, T0 + 1000], `v${v} before everything`);
      const none = await ask(v, T0 + 3001);
      assert.deepEqual([none.errorCode, none.offset, none.timestamp], [0, -1, -1], `v${v} after everything`);
    }
    const max = await ask(7, -3);
    assert.deepEqual([max.errorCode, max.offset, max.timestamp], [0, 1, T0 + 3000]);
    assert.equal((await ask(6, -3)).errorCode, ErrorCode.UNSUPPORTED_VERSION);
    assert.equal((await ask(7, -4)).errorCode, ErrorCode.UNSUPPORTED_VERSION);
    assert.equal((await ask(8, -4)).offset, 0);

    // The same partition twice: one INVALID_REQUEST entry (Kafka's duplicatePartitions, keyed by partition).
    const dup = await c.send(ListOffsets, 7, {
      replicaId: -1,
      topics: [
        {
          name: 'lo',
          partitions: [
            { partitionIndex: 0, timestamp: -1 },
            { partitionIndex: 0, timestamp: -2 },
          ],
        },
      ],
    });
    assert.deepEqual(
      dup.topics[0]!.partitions.map((p) => p.errorCode),
      [ErrorCode.INVALID_REQUEST],
    );
    const dupAcrossTopics = await c.send(ListOffsets, 1, {
      replicaId: -1,
      topics: [
        { name: 'lo', partitions: [{ partitionIndex: 0, timestamp: -1 }] },
        { name: 'lo', partitions: [{ partitionIndex: 0, timestamp: -1 }] },
      ],
    });
    assert.deepEqual(
      dupAcrossTopics.topics.map((t) => t.partitions[0]!.errorCode),
      [ErrorCode.INVALID_REQUEST, ErrorCode.INVALID_REQUEST],
    );

    // v0: old_style_offsets.
    const v0 = async (timestamp: number) => {
      const res = await c.send(ListOffsets, 0, {
        replicaId: -1,
        topics: [{ name: 'lo', partitions: [{ partitionIndex: 0, timestamp, maxNumOffsets: 1 }] }],
      });
      return res.topics[0]!.partitions[0]!;
    };
    assert.deepEqual((await v0(-1)).oldStyleOffsets, [4]);
    assert.deepEqual((await v0(-2)).oldStyleOffsets, [0]);
    assert.equal((await v0(-1)).errorCode, 0);
    const unknown = await c.send(ListOffsets, 0, {
      replicaId: -1,
      topics: [{ name: 'nope', partitions: [{ partitionIndex: 0, timestamp: -1, maxNumOffsets: 1 }] }],
    });
    assert.equal(unknown.topics[0]!.partitions[0]!.errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });
});

// ---------------------------------------------------------------------------------------------
// Metadata

test('Metadata: all/none semantics per version, invalid names, auto-creation', T, async () => {
  await withBroker({ topics: { m1: 1, m2: 2 }, config: { 'num.partitions': 3 } }, async (broker, connect) => {
    const c = await connect();
    const names = (topics: Array<{ name: string | null }>) => topics.map((t) => t.name).sort();

    assert.deepEqual(names((await c.send(Metadata, 0, { topics: [] })).topics), ['m1', 'm2']);
    assert.deepEqual((await c.send(Metadata, 1, { topics: [] })).topics, []);
    assert.deepEqual(names((await c.send(Metadata, 1, { topics: null })).topics), ['m1', 'm2']);
    assert.deepEqual((await c.send(Metadata, 12, { topics: [], allowAutoTopicCreation: true })).topics, []);
    assert.deepEqual(names((await c.send(Metadata, 12, { topics: null, allowAutoTopicCreation: true })).topics), ['m1', 'm2']);

    for (const v of [1, 4, 12]) {
      const bad = await c.send(Metadata, v, { topics: [{ name: 'a b', topicId: ZERO_UUID }], allowAutoTopicCreation: true });
      assert.equal(bad.topics[0]!.errorCode, ErrorCode.INVALID_TOPIC_EXCEPTION, `v${v}`);
    }
    assert.equal(broker.core.topics.get('a b'), undefined);
    assert.deepEqual(names((await c.send(Metadata, 1, { topics: null })).topics), ['m1', 'm2']);

    const auto = await c.send(Metadata, 4, { topics: [{ name: 'auto1' }], allowAutoTopicCreation: true });
    const t = auto.topics[0]!;
    assert.ok(t.errorCode === 0 || t.errorCode === ErrorCode.LEADER_NOT_AVAILABLE);
    assert.equal(broker.core.topics.get('auto1')?.partitions.length, 3);
    const again = await c.send(Metadata, 9, { topics: [{ name: 'auto1' }], allowAutoTopicCreation: false });
    assert.equal(again.topics[0]!.errorCode, 0);
    assert.deepEqual(again.topics[0]!.partitions.map((p) => p.partitionIndex).sort(), [0, 1, 2]);
    const v0auto = await c.send(Metadata, 0, { topics: [{ name: 'auto0' }] });
    assert.equal(v0auto.topics[0]!.errorCode, 0);
    assert.equal(broker.core.topics.get('auto0')?.partitions.length, 3);

    const no = await c.send(Metadata, 4, { topics: [{ name: 'auto2' }], allowAutoTopicCreation: false });
    assert.equal(no.topics[0]!.errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    assert.equal(broker.core.topics.get('auto2'), undefined);
  });
});

test('Metadata: auto-creation off at the broker gives UNKNOWN_TOPIC_OR_PARTITION even when the request allows it', T, async () => {
  await withBroker({ autoCreateTopics: false }, async (broker, connect) => {
    const c = await connect();
    const res = await c.send(Metadata, 12, { topics: [{ name: 'nothere', topicId: ZERO_UUID }], allowAutoTopicCreation: true });
    assert.equal(res.topics[0]!.errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    assert.equal(broker.core.topics.get('nothere'), undefined);
  });
});

// ---------------------------------------------------------------------------------------------
// CreateTopics / DeleteTopics

function newTopic(name: string, o: { partitions?: number; rf?: number; configs?: Record<string, string> } = {}) {
  return {
    name,
    numPartitions: o.partitions ?? 1,
    replicationFactor: o.rf ?? 1,
    assignments: [],
    configs: Object.entries(o.configs ?? {}).map(([k, v]) => ({ name: k, value: v })),
  };
}

test('CreateTopics: name checks, collisions, validate_only, replication factor, configs', T, async () => {
  await withBroker({}, async (broker, connect) => {
    const c = await connect();
    const create = async (version: number, topics: Array<ReturnType<typeof newTopic>>, validateOnly = false) =>
      (await c.send(CreateTopics, version, { topics, timeoutMs: 5000, validateOnly })).topics;

    const [long] = await create(5, [newTopic('x'.repeat(250))]);
    assert.equal(long!.errorCode, ErrorCode.INVALID_TOPIC_EXCEPTION);
    const [longest] = await create(5, [newTopic('y'.repeat(249))]);
    assert.equal(longest!.errorCode, 0);
    for (const name of ['a b', '', '.', '..', 'ü']) {
      assert.equal((await create(4, [newTopic(name)]))[0]!.errorCode, ErrorCode.INVALID_TOPIC_EXCEPTION, JSON.stringify(name));
    }

    assert.equal((await create(5, [newTopic('a_b')]))[0]!.errorCode, 0);
    const [collide] = await create(5, [newTopic('a.b')]);
    assert.equal(collide!.errorCode, ErrorCode.INVALID_TOPIC_EXCEPTION);
    assert.equal(broker.core.topics.get('a.b'), undefined);
    assert.equal((await create(5, [newTopic('a_b')]))[0]!.errorCode, ErrorCode.TOPIC_ALREADY_EXISTS);

    const [dry] = await create(5, [newTopic('dry', { partitions: 4 })], true);
    assert.equal(dry!.errorCode, 0);
    assert.equal(dry!.numPartitions, 4);
    assert.equal(broker.core.topics.get('dry'), undefined);
    const md = await c.send(Metadata, 12, { topics: [{ name: 'dry', topicId: ZERO_UUID }], allowAutoTopicCreation: false });
    assert.equal(md.topics[0]!.errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);

    const [withConfigs] = await create(7, [
      newTopic('cfg', { partitions: 2, configs: { 'retention.ms': '12345', 'cleanup.policy': 'compact' } }),
    ]);
    assert.equal(withConfigs!.errorCode, 0);
    assert.equal(withConfigs!.numPartitions, 2);
    assert.equal(withConfigs!.replicationFactor, 1);
    assert.notEqual(withConfigs!.topicId, ZERO_UUID);
    assert.equal(withConfigs!.topicId, broker.core.topics.get('cfg')!.id);
    const configs = new Map((withConfigs!.configs ?? []).map((e) => [e.name, e]));
    assert.equal(configs.get('retention.ms')?.value, '12345');
    assert.equal(configs.get('retention.ms')?.configSource, 1);
    assert.equal(configs.get('cleanup.policy')?.value, 'compact');
    assert.ok(configs.has('max.message.bytes') && configs.get('max.message.bytes')!.configSource === 5);

    assert.equal((await create(5, [newTopic('rf2', { rf: 2 })]))[0]!.errorCode, ErrorCode.INVALID_REPLICATION_FACTOR);
    assert.equal((await create(5, [newTopic('badcfg', { configs: { 'no.such.config': '1' } })]))[0]!.errorCode, ErrorCode.INVALID_CONFIG);
    assert.equal(
      (await create(5, [newTopic('badval', { configs: { 'cleanup.policy': 'sometimes' } })]))[0]!.errorCode,
      ErrorCode.INVALID_CONFIG,
    );
    assert.equal((await create(5, [newTopic('zero', { partitions: 0 })]))[0]!.errorCode, ErrorCode.INVALID_PARTITIONS);
    for (const name of ['rf2', 'badcfg', 'badval', 'zero']) assert.equal(broker.core.topics.get(name), undefined, name);

    // Broker defaults with -1 (v4+).
    const [defaults] = await create(5, [newTopic('defaults', { partitions: -1, rf: -1 })]);
    assert.equal(defaults!.errorCode, 0);
    assert.equal(defaults!.numPartitions, 1);
  });
});

test('DeleteTopics: by name and (v6) by id; unknown name / id', T, async () => {
  await withBroker({ topics: { gone: 1, byname: 1 } }, async (broker, connect) => {
    const c = await connect();
    const id = broker.core.topics.get('gone')!.id;
    const res = await c.send(DeleteTopics, 6, { topics: [{ name: null, topicId: id }], timeoutMs: 5000 });
    assert.equal(res.responses[0]!.errorCode, 0);
    assert.equal(res.responses[0]!.name, 'gone');
    assert.equal(res.responses[0]!.topicId, id);
    assert.equal(broker.core.topics.get('gone'), undefined);

    const again = await c.send(DeleteTopics, 6, { topics: [{ name: null, topicId: id }], timeoutMs: 5000 });
    assert.equal(again.responses[0]!.errorCode, ErrorCode.UNKNOWN_TOPIC_ID);
    const unknownName = await c.send(DeleteTopics, 6, { topics: [{ name: 'never', topicId: ZERO_UUID }], timeoutMs: 5000 });
    assert.equal(unknownName.responses[0]!.errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    const old = await c.send(DeleteTopics, 1, { topicNames: ['never', 'byname'], timeoutMs: 5000 });
    assert.deepEqual(
      old.responses.map((r) => [r.name, r.errorCode]),
      [
        ['never', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
        ['byname', 0],
      ],
    );
    assert.equal(broker.core.topics.get('byname'), undefined);

    const md = await c.send(Metadata, 1, { topics: null });
    assert.deepEqual(md.topics, []);
  });
});
