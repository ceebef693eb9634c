// Test kit fault injection, intercept() and recording, against real clients over TCP: kafkajs
// and librdkafka (python3-confluent-kafka) see each injected error, delay and disconnect and
// recover as against Kafka. The compact scenarios run 20 times in one run.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { startBroker, type Broker } from '../../broker/index.js';
import { ErrorCode } from '../../protocol/errors.js';
import { hasPythonModule, python, requireTool } from './helpers.js';

const ROUNDS = 20;

describe('test kit: faults with kafkajs', () => {
  let broker: Broker;
  let producer: Producer;
  before(async () => {
    broker = await startBroker({ topics: { orders: 3 } });
    const kafka = new Kafka({
      clientId: 'billing-svc',
      brokers: [broker.bootstrap],
      logLevel: logLevel.NOTHING,
      retry: { retries: 5, initialRetryTime: 10, maxRetryTime: 50 },
    });
    producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
  });
  after(async () => {
    await producer?.disconnect();
    await broker?.stop();
  });

  test(`a per-partition NOT_LEADER_OR_FOLLOWER is retried and the record lands once (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const before = broker.partitions.describe('orders')[0]!.logEndOffset;
      const rec = broker.requests.record({ api: 'Produce' });
      const f = broker.faults.inject({
        api: 'Produce',
        match: { topic: 'orders', partition: 0, clientId: /billing/ },
        error: 'NOT_LEADER_OR_FOLLOWER',
        times: 2,
      });
      const [res] = await producer.send({ topic: 'orders', messages: [{ partition: 0, value: `r${round}` }] });
      await f.fired();
      rec.stop();
      assert.equal(f.hits, 2);
      assert.equal(res!.errorCode, 0);
      assert.equal(broker.partitions.describe('orders')[0]!.logEndOffset, before + 1, 'appended once: the failed attempts wrote nothing');
      const codes = rec.entries.map(
        (e) =>
          (e.response as { responses: Array<{ partitionResponses: Array<{ errorCode: number }> }> }).responses[0]!.partitionResponses[0]!
            .errorCode,
      );
      assert.deepEqual(
        codes,
        [ErrorCode.NOT_LEADER_OR_FOLLOWER, ErrorCode.NOT_LEADER_OR_FOLLOWER, 0],
        'the client saw both errors, then success',
      );
    }
  });

  test('only the matched partition fails: a request for partitions 0-2 gets the error on partition 1 alone', async () => {
    const rec = broker.requests.record({ api: 'Produce', topic: 'orders' });
    const f = broker.faults.inject({
      api: 'Produce',
      match: { topic: 'orders', partition: 1 },
      error: ErrorCode.NOT_ENOUGH_REPLICAS,
      times: 1,
    });
    await producer.send({ topic: 'orders', messages: [0, 1, 2].map((p) => ({ partition: p, value: `all-${p}` })) });
    rec.stop();
    assert.equal(f.hits, 1);
    const first = rec.entries[0]!.response as {
      responses: Array<{ partitionResponses: Array<{ index: number; errorCode: number; baseOffset: number }> }>;
    };
    const byIndex = Object.fromEntries(first.responses[0]!.partitionResponses.map((p) => [p.index, p.errorCode]));
    assert.deepEqual(byIndex, { 0: 0, 1: ErrorCode.NOT_ENOUGH_REPLICAS, 2: 0 });
    assert.equal(rec.entries.length, 2, 'kafkajs retried the failed partition');
  });

  test(`delayMs, disconnect and a custom response: kafkajs recovers (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const delay = broker.faults.inject({ api: 'Produce', match: { topic: 'orders' }, delayMs: 20 });
      await producer.send({ topic: 'orders', messages: [{ partition: 1, value: 'slow' }] });
      assert.equal(delay.hits, 1);

      const cut = broker.faults.inject({ api: 'Produce', match: { topic: 'orders' }, disconnect: true });
      const [res] = await producer.send({ topic: 'orders', messages: [{ partition: 2, value: `after-disconnect-${round}` }] });
      await cut.fired();
      assert.equal(res!.errorCode, 0);
      assert.ok((await broker.waitFor.records('orders', { where: (r) => r.value === `after-disconnect-${round}` })).length === 1);

      const custom = broker.faults.inject({
        api: 'Produce',
        response: (req) => ({
          responses: (req as { topicData: Array<{ name: string; partitionData: Array<{ index: number }> }> }).topicData.map((t) => ({
            name: t.name,
            partitionResponses: t.partitionData.map((p) => ({ index: p.index, errorCode: ErrorCode.REQUEST_TIMED_OUT, baseOffset: -1 })),
          })),
        }),
      });
      await producer.send({ topic: 'orders', messages: [{ partition: 0, value: 'custom' }] });
      assert.equal(custom.hits, 1);
    }
  });

  test('noResponse: kafkajs times the request out (it keeps the connection, which stays muted as in Kafka)', async () => {
    const kafka = new Kafka({
      clientId: 'noresp',
      brokers: [broker.bootstrap],
      logLevel: logLevel.NOTHING,
      requestTimeout: 300,
      retry: { retries: 0 },
    });
    const p = kafka.producer();
    await p.connect();
    const f = broker.faults.inject({ api: 'Produce', match: { clientId: 'noresp' }, noResponse: true });
    await assert.rejects(p.send({ topic: 'orders', messages: [{ partition: 0, value: 'never' }], timeout: 200 }), /timed out/);
    assert.equal(f.hits, 1);
    await p.disconnect();
  });

  test('Fetch and ListOffsets faults: a kafkajs consumer sees them and still reads everything', async () => {
    broker.produce('orders', [{ partition: 0, value: 'fetch-me' }]);
    const kafka = new Kafka({
      clientId: 'fetcher',
      brokers: [broker.bootstrap],
      logLevel: logLevel.NOTHING,
      retry: { retries: 8, initialRetryTime: 10 },
    });
    const consumer = kafka.consumer({ groupId: 'faults-fetch', maxWaitTimeInMs: 50 });
    const rec = broker.requests.record({ api: ['Fetch', 'ListOffsets'] });
    const fetchFault = broker.faults.inject({
      api: 'Fetch',
      match: { topic: 'orders', partition: 0 },
      error: 'NOT_LEADER_OR_FOLLOWER',
      times: 2,
    });
    const listFault = broker.faults.inject({ api: 'ListOffsets', error: 'LEADER_NOT_AVAILABLE', times: 1 });
    await consumer.connect();
    try {
      const seen = new Set<string>();
      await consumer.subscribe({ topic: 'orders', fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void seen.add(message.value!.toString()) });
      await Promise.all([fetchFault.fired(), listFault.fired()]);
      await new Promise<void>((resolve) => {
        const check = () => (seen.has('fetch-me') ? resolve() : setTimeout(check, 20));
        check();
      });
      const fetchErrors = rec
        .filter({ api: 'Fetch' })
        .filter((e) => e.response !== null)
        .flatMap((e) =>
          (e.response as { responses: Array<{ partitions: Array<{ partitionIndex: number; errorCode: number }> }> }).responses.flatMap(
            (t) => t.partitions,
          ),
        )
        .filter((p) => p.errorCode !== 0);
      assert.equal(fetchErrors.length, 2);
      assert.ok(fetchErrors.every((p) => p.partitionIndex === 0 && p.errorCode === ErrorCode.NOT_LEADER_OR_FOLLOWER));
    } finally {
      rec.stop();
      await consumer.disconnect();
    }
  });

  test('intercept(): kfake-style handler changes a response; recording filters by api, node, client id, topic', async () => {
    const handle = broker.intercept('Metadata', async (req, _ctx, next) => {
      const res = (await next(req)) as { topics: Array<{ name: string }> };
      return { ...res, topics: res.topics.filter((t) => t.name !== 'hidden') };
    });
    broker.produce('hidden', ['x']);
    const rec = broker.requests.record();
    const kafka = new Kafka({ clientId: 'admin-x', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const topics = await admin.listTopics();
      assert.ok(topics.includes('orders'));
      assert.ok(!topics.includes('hidden'), 'the intercept removed it');
      handle.remove();
      assert.ok((await admin.listTopics()).includes('hidden'), 'removed intercept no longer applies');
    } finally {
      await admin.disconnect();
    }
    rec.stop();
    const md = rec.filter({ api: 'Metadata', clientId: 'admin-x', node: 1 });
    assert.ok(md.length >= 2);
    assert.ok(
      md.every((e) => e.api === 'Metadata' && e.version >= 0 && e.node === 1 && typeof e.time === 'number' && e.answeredAt! >= e.time),
    );
    assert.equal(rec.filter({ clientId: /^nobody$/ }).length, 0);
    assert.ok(rec.filter({ api: 18 }).length >= 1, 'ApiVersions by key');
    assert.deepEqual(JSON.parse(JSON.stringify(md[0]!.request)).constructor, Object, 'entries serialise');
  });

  test('strict mode: stop() fails naming a fault that never fired; verify() passes once all fired', async () => {
    const strict = await startBroker({ strictFaults: true, topics: { s: 1 } });
    strict.faults.inject({ api: 'Produce', error: 'NOT_LEADER_OR_FOLLOWER' });
    await assert.rejects(strict.stop(), (err: Error) => err.name === 'FaultError' && /never fired: #1 Produce/.test(err.message));
    const ok = await startBroker({ strictFaults: true, topics: { s: 1 } });
    const f = ok.faults.inject({ api: 'ApiVersions', delayMs: 1 });
    const kafka = new Kafka({ clientId: 'strict', brokers: [ok.bootstrap], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.disconnect();
    await f.fired();
    ok.faults.verify();
    await ok.stop();
  });
});

describe('test kit: faults with librdkafka (confluent-kafka)', () => {
  let broker: Broker;
  before(async () => {
    requireTool(() => hasPythonModule('confluent_kafka'), 'python3-confluent-kafka');
    broker = await startBroker({ topics: { rk: 2 } });
  });
  after(() => broker?.stop());

  test(`Produce errors, delays and disconnects: librdkafka retries and delivers each record once (${ROUNDS} rounds)`, async () => {
    const rec = broker.requests.record({ api: 'Produce' });
    const faults = [
      broker.faults.inject({ api: 'Produce', match: { topic: 'rk', partition: 0 }, error: 'NOT_LEADER_OR_FOLLOWER', times: ROUNDS }),
      broker.faults.inject({ api: 'Produce', match: { topic: 'rk', partition: 1 }, error: 'REQUEST_TIMED_OUT', times: ROUNDS }),
    ];
    const out = await python<{ delivered: number; errors: string[] }>(
      `
import sys, json
from confluent_kafka import Producer
p = Producer({'bootstrap.servers': sys.argv[1], 'client.id': 'rk-faults', 'linger.ms': 0, 'retry.backoff.ms': 10,
              'message.send.max.retries': 100, 'enable.idempotence': False})
res = {'delivered': 0, 'errors': []}
def cb(err, msg):
    if err: res['errors'].append(str(err))
    else: res['delivered'] += 1
for i in range(${ROUNDS}):
    p.produce('rk', value=b'v%d' % i, partition=i % 2, on_delivery=cb)
    p.flush(30)
print(json.dumps(res))
`,
      broker.bootstrap,
    );
    rec.stop();
    assert.deepEqual(out, { delivered: ROUNDS, errors: [] });
    for (const f of faults) assert.equal(f.hits, ROUNDS);
    const errors = rec.entries
      .flatMap((e) =>
        (e.response as { responses: Array<{ partitionResponses: Array<{ errorCode: number }> }> }).responses.flatMap((t) =>
          t.partitionResponses.map((p) => p.errorCode),
        ),
      )
      .filter((c) => c !== 0);
    assert.equal(errors.length, 2 * ROUNDS, 'librdkafka saw every injected error');
    const stored = await broker.waitFor.records('rk', { count: ROUNDS });
    assert.equal(stored.length, ROUNDS);
    assert.equal(new Set(stored.map((r) => r.value)).size, ROUNDS, 'no duplicates');
  });

  test('a delayed, a disconnected and an unanswered Produce: librdkafka times out, reconnects and delivers', async () => {
    const delay = broker.faults.inject({ api: 'Produce', delayMs: 100 });
    const cut = broker.faults.inject({ api: 'Produce', disconnect: true, match: { topic: 'rk' } });
    const silent = broker.faults.inject({ api: 'Produce', noResponse: true, match: { topic: 'rk' } });
    const out = await python<{ delivered: number; errors: string[] }>(
      `
import sys, json
from confluent_kafka import Producer
p = Producer({'bootstrap.servers': sys.argv[1], 'linger.ms': 0, 'retry.backoff.ms': 10, 'enable.idempotence': False, 'socket.timeout.ms': 1000})
res = {'delivered': 0, 'errors': []}
def cb(err, msg):
    if err: res['errors'].append(str(err))
    else: res['delivered'] += 1
for i in range(3):
    p.produce('rk', value=b'd%d' % i, partition=0, on_delivery=cb)
    p.flush(30)
print(json.dumps(res))
`,
      broker.bootstrap,
    );
    assert.deepEqual(out, { delivered: 3, errors: [] });
    assert.equal(delay.hits, 1);
    assert.equal(cut.hits, 1);
    assert.equal(silent.hits, 1);
    const stored = (await broker.waitFor.records('rk', { count: ROUNDS + 3 })).filter((r) => r.value!.startsWith('d'));
    assert.ok(stored.length >= 3, 'every record stored (a timed-out request may have been written before it was answered, as in Kafka)');
  });
});
