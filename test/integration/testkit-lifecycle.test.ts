// Test kit lifecycle: start/stop cheaply and cleanly (1,000 cycles back to the baseline of
// active handles; the same port reused at once), seeded topics and autoCreateTopics, version
// caps (kafkajs and librdkafka against kafkaVersion '0.11'), and the virtual clock firing
// session timeouts and the initial rebalance delay at once.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker } from '../../broker/index.js';
import { ApiVersions, Produce } from '../../protocol/messages/index.js';
import { Member } from './group-client.js';
import { hasPythonModule, python, requireTool } from './helpers.js';
import { WireClient } from './wire-client.js';

function resources(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) out[r] = (out[r] ?? 0) + 1;
  return out;
}

/** Wait on I/O (not on time) until `cond` holds. */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 100_000 && !cond(); i++) await new Promise((r) => setImmediate(r));
  assert.ok(cond(), 'condition never reached');
}

describe('test kit: start and stop', () => {
  test('await using frees the broker; the same port is reusable at once; seeded topics with configs', async () => {
    let port: number;
    {
      await using broker = await startBroker({ topics: { orders: 3, audit: { partitions: 1, configs: { 'cleanup.policy': 'compact' } } } });
      port = broker.port;
      assert.equal(broker.partitions.describe('orders').length, 3);
      assert.equal(broker.core.topics.get('audit')!.configs['cleanup.policy'], 'compact');
    }
    const again = await startBroker({ port });
    assert.equal(again.port, port);
    await again.stop();
    const third = await startBroker({ port });
    await third.stop();
  });

  test('1,000 start/stop cycles leave the active resources at their baseline', async () => {
    await (await startBroker({ topics: { t: 1 } })).stop(); // load modules once
    await new Promise((r) => setImmediate(r));
    const baseline = resources();
    for (let i = 0; i < 1000; i++) {
      const b = await startBroker({ topics: { t: 1 } });
      if (i % 100 === 0) b.produce('t', ['x']); // touch the kit on some
      await b.stop();
    }
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(resources(), baseline);
  });

  test('autoCreateTopics: false refuses unknown topics to kafkajs and to broker.produce', async () => {
    await using broker = await startBroker({ autoCreateTopics: false, topics: { known: 1 } });
    const kafka = new Kafka({
      clientId: 'ac',
      brokers: [broker.bootstrap],
      logLevel: logLevel.NOTHING,
      retry: { retries: 1, initialRetryTime: 10 },
    });
    const producer = kafka.producer();
    await producer.connect();
    try {
      await assert.rejects(producer.send({ topic: 'unknown', messages: [{ value: 'x' }] }), /does not host this topic-partition|not exist/);
      await producer.send({ topic: 'known', messages: [{ value: 'y' }] });
    } finally {
      await producer.disconnect();
    }
    assert.throws(() => broker.produce('unknown', ['x']), /no topic unknown/);
    assert.equal((await broker.waitFor.records('known')).length, 1);
  });
});

describe("test kit: kafkaVersion '0.11' caps ApiVersions", () => {
  test('ApiVersions advertises 0.11 ranges; kafkajs produces at v3 and fetches at v5 or lower; Produce v7 closes the connection', async () => {
    await using broker = await startBroker({ kafkaVersion: '0.11', topics: { old: 1 } });
    const wire = await WireClient.connect(broker.bootstrap);
    try {
      const av = await wire.send(ApiVersions, 0, {});
      const byKey = new Map(av.apiKeys.map((k) => [k.apiKey, k.maxVersion]));
      assert.equal(byKey.get(0), 3, 'Produce v3');
      assert.equal(byKey.get(1), 5, 'Fetch v5');
      assert.equal(byKey.get(3), 4, 'Metadata v4');
      assert.equal(byKey.get(18), 1, 'ApiVersions v1');
      assert.ok(!byKey.has(60), 'no DescribeCluster');
      assert.ok(!byKey.has(42), 'no DeleteGroups');
      await assert.rejects(wire.send(Produce, 7, { acks: 1, timeoutMs: 1000, topicData: [] }), /connection closed/);
    } finally {
      await wire.close();
    }
    const rec = broker.requests.record({ api: ['Produce', 'Fetch', 'ApiVersions'] });
    const kafka = new Kafka({ clientId: 'old', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    const consumer = kafka.consumer({ groupId: 'old-group', maxWaitTimeInMs: 50 });
    await producer.connect();
    await consumer.connect();
    try {
      await producer.send({ topic: 'old', messages: [{ value: 'from-kafkajs' }] });
      await consumer.subscribe({ topic: 'old', fromBeginning: true });
      const got = new Promise<string>(
        (resolve) => void consumer.run({ eachMessage: async ({ message }) => resolve(message.value!.toString()) }),
      );
      assert.equal(await got, 'from-kafkajs');
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
    }
    rec.stop();
    assert.deepEqual([...new Set(rec.filter({ api: 'Produce' }).map((e) => e.version))], [3]);
    const fetchVersions = rec.filter({ api: 'Fetch' }).map((e) => e.version);
    assert.ok(fetchVersions.length > 0 && fetchVersions.every((v) => v <= 5), `Fetch versions ${fetchVersions}`);
  });

  test('librdkafka negotiates down to the capped versions and produces', async () => {
    requireTool(() => hasPythonModule('confluent_kafka'), 'python3-confluent-kafka');
    await using broker = await startBroker({ kafkaVersion: '0.11.0.3', apiVersions: { Produce: [2, 3] }, topics: { old: 1 } });
    const rec = broker.requests.record({ api: ['Produce', 'ApiVersions'] });
    const out = await python<{ delivered: number }>(
      `
import sys, json
from confluent_kafka import Producer
p = Producer({'bootstrap.servers': sys.argv[1], 'enable.idempotence': False})
n = {'delivered': 0}
def cb(err, msg):
    if not err: n['delivered'] += 1
p.produce('old', value=b'rk', on_delivery=cb)
p.flush(30)
print(json.dumps(n))
`,
      broker.bootstrap,
    );
    rec.stop();
    assert.deepEqual(out, { delivered: 1 });
    assert.deepEqual([...new Set(rec.filter({ api: 'Produce' }).map((e) => e.version))], [3]);
    const versions = rec.filter({ api: 'ApiVersions' }).map((e) => e.version);
    assert.ok(
      versions.some((v) => v <= 1),
      `librdkafka fell back to ApiVersions v${versions}`,
    );
  });

  test('unknown versions and APIs in the options are refused at start', async () => {
    await assert.rejects(startBroker({ kafkaVersion: '0.9' }), /older than the oldest/);
    await assert.rejects(startBroker({ apiVersions: { Nope: 1 } }), /unknown API/);
  });
});

describe('test kit: virtual clock', () => {
  test("clock.advance('45s') expires a silent member's 45 s session at once; the initial rebalance delay too", async () => {
    await using broker = await startBroker({ clock: 'virtual', topics: { t: 2 }, config: { 'group.initial.rebalance.delay.ms': 3000 } });
    const m = await Member.connect(broker.bootstrap, 'g', { sessionTimeoutMs: 45_000, topics: ['t'] });
    try {
      const joined = m.join(3);
      await until(() => broker.core.groups.group('g') !== undefined);
      assert.equal(broker.core.groups.group('g')?.stateName(), 'PreparingRebalance', 'parked in the initial rebalance delay');
      await broker.clock.advance('3s');
      await joined;
      await m.sync([{ memberId: m.memberId, assignment: Buffer.alloc(0) }]);
      assert.equal((await broker.waitFor.groupStable('g', { members: 1 })).members, 1);
      await broker.clock.advance('44s');
      assert.equal(broker.core.groups.group('g')?.stateName(), 'Stable');
      await broker.clock.advance('1s');
      assert.equal(broker.core.groups.group('g')?.stateName(), 'Empty', 'the member expired after 45 s');
    } finally {
      await m.close();
    }
  });
});
