// startBroker() in a test process: memory and disk stores, bootstrap address, handle() without
// a socket, and stop() releasing every socket, timer and file handle.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { SystemClock, startBroker, type Clock } from '../../broker/index.js';
import { decode, encode } from '../../protocol/codec.js';
import { ApiVersions, Metadata } from '../../protocol/messages/index.js';
import { RequestHeader } from '../../protocol/header.js';
import { Member } from './group-client.js';
import { tempDir } from './helpers.js';

/** The system clock, counting armed timers (the resource check below leaves timers aside). */
class CountingClock extends SystemClock implements Clock {
  readonly armed = new Set<object>();
  override setTimeout(fn: () => void, ms: number) {
    const key = {};
    this.armed.add(key);
    const h = super.setTimeout(() => {
      this.armed.delete(key);
      fn();
    }, ms);
    return {
      cancel: () => {
        this.armed.delete(key);
        h.cancel();
      },
    };
  }
  override setInterval(fn: () => void, ms: number) {
    const key = {};
    this.armed.add(key);
    const h = super.setInterval(fn, ms);
    return {
      cancel: () => {
        this.armed.delete(key);
        h.cancel();
      },
    };
  }
}

/** Active handles by type (timers aside: the test runner keeps its own). */
function resources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of process.getActiveResourcesInfo()) {
    if (r === 'TTYWrap' || r === 'Timeout') continue;
    counts.set(r, (counts.get(r) ?? 0) + 1);
  }
  return counts;
}

test('100 start/stop cycles, with clients connected and groups rebalancing, leave no open handles or timers', async () => {
  const dir = tempDir();
  try {
    await new Promise((r) => setImmediate(r));
    const baseline = resources();
    for (let i = 0; i < 100; i++) {
      const clock = new CountingClock();
      const broker = await startBroker(i % 2 === 0 ? { clock } : { dataDir: dir.path, clock });
      if (i % 10 === 0) {
        const kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, clientId: `cycle-${i}` });
        const producer = kafka.producer();
        await producer.connect();
        await producer.send({ topic: 'cycles', messages: [{ value: `cycle ${i}` }] });
        await producer.disconnect();
      }
      if (i % 10 === 5) {
        // A Stable member with a session timer, and a second member parked in JoinGroup
        // (join-phase timer); on disk, earlier cycles' groups come back with session timers.
        const group = `cycle-group-${i}`;
        const a = await Member.connect(broker.bootstrap, group);
        const b = await Member.connect(broker.bootstrap, group);
        await a.join();
        await a.sync();
        await b.joinOnce(5);
        const parked = b.joinOnce(5).catch(() => undefined);
        while (broker.core.groups.classicGroup(group)!.numMembersAwaitingJoin === 0) await new Promise((r) => setImmediate(r));
        assert.ok(clock.armed.size >= 3, 'expiry, session and join timers armed');
        await broker.stop();
        await parked;
        await Promise.all([a.close(), b.close()]);
      }
      await broker.stop();
      assert.equal(clock.armed.size, 0, `cycle ${i}: every timer cancelled by stop()`);
    }
    await new Promise((r) => setImmediate(r));
    for (const [type, n] of resources()) {
      assert.ok(n <= (baseline.get(type) ?? 0), `${n} ${type} open after the cycles, ${baseline.get(type) ?? 0} before`);
    }
  } finally {
    dir.remove();
  }
});

test('the same port can be reused at once after stop()', async () => {
  const a = await startBroker();
  const port = a.port;
  await a.stop();
  const b = await startBroker({ port });
  assert.equal(b.port, port);
  await b.stop();
});

test('disk store keeps topics and records across restarts in one process', async () => {
  const dir = tempDir();
  try {
    const a = await startBroker({ dataDir: dir.path, topics: { kept: 2 } });
    const kafka = new Kafka({ brokers: [a.bootstrap], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: 'kept',
      messages: [
        { value: 'one', partition: 1 },
        { value: 'two', partition: 1 },
      ],
    });
    await producer.disconnect();
    const id = a.core.topics.get('kept')!.id;
    await a.stop();
    const b = await startBroker({ dataDir: dir.path });
    const t = b.core.topics.get('kept')!;
    assert.equal(t.id, id, 'topic ids are stable across restarts');
    assert.equal(t.partitions.length, 2);
    assert.equal(t.partitions[1]!.log.logEndOffset, 2);
    await b.stop();
  } finally {
    dir.remove();
  }
});

test('handle(bytes) answers requests without a socket', async () => {
  const broker = await startBroker({ topics: { direct: 1 } });
  try {
    const header = encode(RequestHeader, 1, { requestApiKey: 18, requestApiVersion: 2, correlationId: 42, clientId: 'direct' });
    const res = (await broker.handle(Buffer.concat([header, encode(ApiVersions.request, 2, {})])))!;
    assert.equal(res.readInt32BE(0), 42);
    const body = decode(ApiVersions.response, 2, res, 4);
    assert.equal(body.errorCode, 0);
    assert.ok(body.apiKeys.some((k) => k.apiKey === 0 && k.maxVersion === 13));

    const h2 = encode(RequestHeader, 2, { requestApiKey: 3, requestApiVersion: 12, correlationId: 7, clientId: null });
    const md = (await broker.handle(Buffer.concat([h2, encode(Metadata.request, 12, { topics: null })])))!;
    assert.equal(md.readInt32BE(0), 7);
    assert.equal(md[4], 0, 'response header v1 ends with an empty tagged section');
    const meta = decode(Metadata.response, 12, md, 5);
    assert.deepEqual(
      meta.topics.map((t) => t.name),
      ['direct'],
    );
    assert.equal(meta.clusterId, broker.clusterId);
  } finally {
    await broker.stop();
  }
});

test('advertised.listeners is what Metadata tells clients; bootstrap stays the bound address', async () => {
  const broker = await startBroker({ config: { 'advertised.listeners': 'PLAINTEXT://kafka.example.test:9999' } });
  try {
    assert.match(broker.bootstrap, /^127\.0\.0\.1:\d+$/);
    const h = encode(RequestHeader, 1, { requestApiKey: 3, requestApiVersion: 1, correlationId: 1, clientId: 'adv' });
    const md = (await broker.handle(Buffer.concat([h, encode(Metadata.request, 1, { topics: [] })])))!;
    const meta = decode(Metadata.response, 1, md, 4);
    assert.deepEqual(meta.brokers, [{ nodeId: 1, host: 'kafka.example.test', port: 9999, rack: null }]);
  } finally {
    await broker.stop();
  }
});

test('group.initial.rebalance.delay.ms: 0 in process unless set; the properties file (the CLI) gives Kafka 3000', async () => {
  const { defaultPropertiesPath } = await import('../../config/index.js');
  const plain = await startBroker();
  const set = await startBroker({ config: { 'group.initial.rebalance.delay.ms': 250 } });
  const file = await startBroker({
    configFile: defaultPropertiesPath(),
    config: { listeners: 'PLAINTEXT://127.0.0.1:0', 'log.dirs': tempDir().path },
  });
  try {
    assert.equal(plain.config.int('group.initial.rebalance.delay.ms'), 0);
    assert.equal(set.config.int('group.initial.rebalance.delay.ms'), 250);
    assert.equal(file.config.int('group.initial.rebalance.delay.ms'), 3000);
  } finally {
    await Promise.all([plain.stop(), set.stop(), file.stop()]);
  }
});
