// Consumer groups with kafkajs 2.2.4 (pre-flexible versions: JoinGroup v5 with
// MEMBER_ID_REQUIRED, SyncGroup v3, OffsetCommit/OffsetFetch) against an in-process broker
// over TCP: consumer.run reads everything, a second member triggers a rebalance and both keep
// consuming, and the admin group APIs.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel, type Consumer, type EachMessagePayload } from 'kafkajs';
import { startBroker, type Broker } from '../../broker/index.js';

function waitFor(check: () => boolean, what: string, ms = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      if (check()) return resolve();
      if (Date.now() - started > ms) return reject(new Error(`gave up waiting for ${what}`));
      setTimeout(tick, 20);
    };
    tick();
  });
}

describe('consumer groups: kafkajs', () => {
  let broker: Broker;
  let kafka: Kafka;
  const consumers: Consumer[] = [];
  const consumer = (groupId: string) => {
    const c = kafka.consumer({ groupId, heartbeatInterval: 500, sessionTimeout: 10_000 });
    consumers.push(c);
    return c;
  };
  const produce = async (topic: string, n: number, start = 0) => {
    const p = kafka.producer();
    await p.connect();
    await p.send({
      topic,
      messages: Array.from({ length: n }, (_, i) => ({ key: `k${start + i}`, value: `v${start + i}`, partition: (start + i) % 4 })),
    });
    await p.disconnect();
  };

  before(async () => {
    process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';
    broker = await startBroker({ topics: { 'js-all': 4, 'js-rebalance': 4, 'js-admin': 4 } });
    kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, clientId: 'kafkajs-groups' });
  });
  after(async () => {
    await Promise.all(consumers.map((c) => c.disconnect().catch(() => undefined)));
    await broker?.stop();
  });

  test('consumer.run({ eachMessage }) reads every message', async () => {
    await produce('js-all', 100);
    const c = consumer('js-all-group');
    await c.connect();
    await c.subscribe({ topic: 'js-all', fromBeginning: true });
    const seen = new Set<string>();
    await c.run({ eachMessage: async ({ message }: EachMessagePayload) => void seen.add(message.value!.toString()) });
    await waitFor(() => seen.size === 100, '100 messages');
    await c.disconnect();
    assert.deepEqual([...seen].sort(), Array.from({ length: 100 }, (_, i) => `v${i}`).sort());
  });

  test('a second member joining triggers a rebalance; both keep consuming and between them read everything', async () => {
    const got = { a: [] as string[], b: [] as string[] };
    const assigned = { a: [] as number[], b: [] as number[] };
    const a = consumer('js-rebalance-group');
    const b = consumer('js-rebalance-group');
    for (const [name, c] of [
      ['a', a],
      ['b', b],
    ] as const) {
      c.on(c.events.GROUP_JOIN, (e) => {
        assigned[name] = (e.payload.memberAssignment['js-rebalance'] ?? []).slice().sort();
      });
    }
    await a.connect();
    await a.subscribe({ topic: 'js-rebalance', fromBeginning: true });
    await a.run({ eachMessage: async ({ message }) => void got.a.push(message.value!.toString()) });
    await produce('js-rebalance', 40);
    await waitFor(() => got.a.length === 40, 'a reads the first batch');
    assert.deepEqual(assigned.a, [0, 1, 2, 3]);
    const generation = broker.core.groups.classicGroup('js-rebalance-group')!.generationId;

    await b.connect();
    await b.subscribe({ topic: 'js-rebalance', fromBeginning: true });
    await b.run({ eachMessage: async ({ message }) => void got.b.push(message.value!.toString()) });
    await waitFor(
      () => assigned.a.length + assigned.b.length === 4 && assigned.a.length > 0 && assigned.b.length > 0,
      'partitions split between a and b',
    );
    assert.ok(broker.core.groups.classicGroup('js-rebalance-group')!.generationId > generation, 'a new generation');
    assert.deepEqual([...assigned.a, ...assigned.b].sort(), [0, 1, 2, 3]);

    await produce('js-rebalance', 40, 40);
    const second = () => new Set([...got.a, ...got.b].filter((v) => Number(v.slice(1)) >= 40));
    await waitFor(() => second().size === 40, 'the second batch');
    assert.ok(
      got.a.some((v) => Number(v.slice(1)) >= 40),
      'a still consumes',
    );
    assert.ok(
      got.b.some((v) => Number(v.slice(1)) >= 40),
      'b consumes',
    );
    assert.equal(new Set(got.b).size, got.b.length);
    assert.ok(
      got.b.every((v) => Number(v.slice(1)) >= 40),
      'b starts from the committed offsets, not from the beginning',
    );
  });

  test('admin: fetchOffsets, describeGroups, listGroups, setOffsets, resetOffsets, deleteGroups', async () => {
    await produce('js-admin', 20);
    const c = consumer('js-admin-group');
    await c.connect();
    await c.subscribe({ topic: 'js-admin', fromBeginning: true });
    let n = 0;
    await c.run({ eachMessage: async () => void n++ });
    await waitFor(() => n === 20, '20 messages');
    const admin = kafka.admin();
    await admin.connect();
    try {
      const described = await admin.describeGroups(['js-admin-group']);
      const g = described.groups[0]!;
      assert.equal(g.state, 'Stable');
      assert.equal(g.protocolType, 'consumer');
      assert.equal(g.members.length, 1);
      assert.equal(g.members[0]!.clientId, 'kafkajs-groups');
      assert.ok(g.members[0]!.memberAssignment.length > 0);
      const listed = await admin.listGroups();
      assert.ok(listed.groups.some((x) => x.groupId === 'js-admin-group' && x.protocolType === 'consumer'));

      await c.disconnect();
      const offsets = await admin.fetchOffsets({ groupId: 'js-admin-group', topics: ['js-admin'] });
      assert.deepEqual(offsets[0]!.partitions.map((p) => [p.partition, p.offset]).sort(), [
        [0, '5'],
        [1, '5'],
        [2, '5'],
        [3, '5'],
      ]);
      await admin.setOffsets({ groupId: 'js-admin-group', topic: 'js-admin', partitions: [{ partition: 2, offset: '1' }] });
      const set = await admin.fetchOffsets({ groupId: 'js-admin-group', topics: ['js-admin'] });
      assert.equal(set[0]!.partitions.find((p) => p.partition === 2)!.offset, '1');

      // A consumer started now resumes from the offsets set: partition 2 from offset 1, the rest at the end.
      const again = consumer('js-admin-group');
      const read: string[] = [];
      await again.connect();
      await again.subscribe({ topic: 'js-admin' });
      await again.run({ eachMessage: async ({ partition, message }) => void read.push(`${partition}:${message.offset}`) });
      await waitFor(() => read.length >= 4, 'the 4 messages after offset 1 of partition 2');
      const refused = await admin.deleteGroups(['js-admin-group']).then(
        () => null,
        (err: { groups?: Array<{ errorCode: number }>; originalError?: { groups?: Array<{ errorCode: number }> } }) =>
          err.groups ?? err.originalError?.groups ?? [],
      );
      assert.deepEqual(
        refused?.map((g) => g.errorCode),
        [68],
        'NON_EMPTY_GROUP while a member is in it',
      );
      await again.disconnect();
      assert.deepEqual(read.sort(), ['2:1', '2:2', '2:3', '2:4']);

      await admin.resetOffsets({ groupId: 'js-admin-group', topic: 'js-admin', earliest: true });
      const reset = await admin.fetchOffsets({ groupId: 'js-admin-group', topics: ['js-admin'] });
      // kafkajs seeks to EARLIEST and commits that sentinel (-2); Kafka stores what it is given.
      assert.deepEqual(
        reset[0]!.partitions.map((p) => p.offset),
        ['-2', '-2', '-2', '-2'],
      );
      const deleted = await admin.deleteGroups(['js-admin-group']);
      assert.deepEqual(
        deleted.map((d) => [d.groupId, d.errorCode]),
        [['js-admin-group', 0]],
      );
      const gone = await admin.describeGroups(['js-admin-group']);
      assert.equal(gone.groups[0]!.state, 'Dead');
    } finally {
      await admin.disconnect();
    }
  });
});
