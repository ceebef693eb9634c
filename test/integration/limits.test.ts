// Connection and request bounds (broker/limits/, issue 14 item 4) over raw TCP against
// startBroker() on the virtual clock: socket.request.max.bytes before allocation, the request
// memory pool (queued.max.request.bytes) and queue (queued.max.requests), Kafka's ConnectionQuotas
// (max.connections, max.connections.per.ip and overrides, max.connection.creation.rate, dynamic;
// listener.name.<l>.max.connections and .max.connection.creation.rate with two listeners),
// connections.max.idle.ms and a slow sender. Waits are on events and metrics, never on time.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker, type Broker, type BrokerOptions, type VirtualClock } from '../../broker/index.js';
import type { ConnectionQuotas } from '../../broker/limits/index.js';
import { ApiVersions, IncrementalAlterConfigs } from '../../protocol/messages/index.js';
import { python } from './helpers.js';
import { openRaw, type Raw } from './raw-socket.js';
import { requestFrame } from './wire-client.js';

const T = { timeout: 30_000 };

/** A raw client socket: every byte it receives, and whether the broker closed it. */
/** A raw socket to the broker's first listener, or to `host:port`. */
const raw = (target: Broker | string): Promise<Raw> => openRaw(typeof target === 'string' ? target : target.bootstrap);

/** Resolves once `cond` holds, checked on every event-loop turn (no timeouts: the test's own bounds it). */
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setImmediate(r));
}

/** ApiVersions v0 as a frame of exactly `payload` bytes after its size prefix (padding in the client id). */
function apiVersionsOf(payload: number, correlationId = 1): Buffer {
  const f = requestFrame(ApiVersions, 0, {}, { correlationId, clientId: '' });
  return requestFrame(ApiVersions, 0, {}, { correlationId, clientId: 'x'.repeat(payload - (f.length - 4)) });
}

/**
 * With EXTERNAL (the second listener) allowing one connection: `a` served there, `b` held behind
 * it, then `plain` on PLAINTEXT served; each sent ApiVersions.
 */
async function externalFull(broker: Broker): Promise<{ q: ConnectionQuotas; a: Raw; b: Raw; plain: Raw }> {
  const q = broker.core.limits.connections(1);
  const external = broker.listeners[1]!.bootstrap;
  const a = await raw(external);
  a.socket.write(apiVersionsOf(100));
  await until(() => a.received() > 0);
  const b = await raw(external);
  b.socket.write(apiVersionsOf(100));
  await until(() => q.stats().waiting === 1);
  const plain = await raw(broker);
  plain.socket.write(apiVersionsOf(100));
  await until(() => plain.received() > 0);
  return { q, a, b, plain };
}

async function withBroker(config: BrokerOptions['config'], fn: (broker: Broker, clock: VirtualClock) => Promise<void>): Promise<void> {
  const broker = await startBroker({ clock: 'virtual', config });
  try {
    await fn(broker, broker.clock as VirtualClock);
  } finally {
    await broker.stop();
  }
}

test('socket.request.max.bytes: a negative or oversized size closes the connection before anything is allocated', T, async () => {
  await withBroker({ 'socket.request.max.bytes': 1000 }, async (broker) => {
    const pool = broker.core.limits.pool;
    const neg = await raw(broker);
    neg.socket.write(Buffer.from([0xff, 0xff, 0xff, 0xff]));
    await neg.closed;
    const big = await raw(broker);
    big.socket.write(Buffer.from([0x7f, 0xff, 0xff, 0xff, 1, 2, 3]));
    await big.closed;
    assert.equal(neg.received() + big.received(), 0);
    assert.equal(pool.used, 0, 'nothing reserved for a refused size');
    // A frame at the limit, sent a byte at a time, is one request.
    const ok = await raw(broker);
    const frame = apiVersionsOf(1000);
    for (const b of frame) ok.socket.write(Buffer.from([b]));
    await until(() => ok.received() > 0);
    assert.equal(pool.used, 0, 'released once handled');
    ok.socket.destroy();
  });
});

test('queued.max.request.bytes: a frame that does not fit waits, unread, until memory is released', T, async () => {
  await withBroker({ 'socket.request.max.bytes': 1000, 'queued.max.request.bytes': 2000 }, async (broker) => {
    const pool = broker.core.limits.pool;
    // Two connections each announce a 1000-byte frame and send 10 bytes of it: 2000 bytes reserved.
    const a = await raw(broker);
    const b = await raw(broker);
    const partial = apiVersionsOf(1000).subarray(0, 14);
    a.socket.write(partial);
    b.socket.write(partial);
    await until(() => pool.used === 2000);
    // A third's whole frame cannot be reserved: it is not read, not answered.
    const c = await raw(broker);
    c.socket.write(apiVersionsOf(1000, 7));
    await until(() => pool.refused >= 1);
    assert.equal(c.received(), 0);
    assert.equal(pool.used, 2000);
    // One of the two goes away: its memory comes back and the waiting frame is served.
    a.socket.destroy();
    await until(() => c.received() > 0);
    await until(() => pool.used === 1000);
    b.socket.destroy();
    await until(() => pool.used === 0);
    c.socket.destroy();
  });
});

test('queued.max.request.bytes must be at least socket.request.max.bytes (KafkaConfig)', T, async () => {
  await assert.rejects(
    startBroker({ config: { 'socket.request.max.bytes': 1000, 'queued.max.request.bytes': 999 } }),
    /queued.max.request.bytes must be larger or equal to socket.request.max.bytes/,
  );
});

test('max.connections.per.ip and its overrides: the excess connection is closed at once; dynamic', T, async () => {
  await withBroker({ 'max.connections.per.ip': 2 }, async (broker) => {
    const q = broker.core.limits.connections(1);
    const a = await raw(broker);
    const b = await raw(broker);
    const c = await raw(broker);
    await c.closed;
    assert.equal(q.stats().rejectedPerIp, 1);
    a.socket.write(apiVersionsOf(100));
    await until(() => a.received() > 0);
    // IncrementalAlterConfigs at the cluster default: overrides give 127.0.0.1 three.
    const admin = await raw(broker);
    const set = requestFrame(
      IncrementalAlterConfigs,
      1,
      {
        resources: [
          {
            resourceType: 4,
            resourceName: '',
            configs: [{ name: 'max.connections.per.ip.overrides', configOperation: 0, value: '127.0.0.1:3' }],
          },
        ],
        validateOnly: false,
      },
      { correlationId: 3 },
    );
    // The admin connection itself was the third (overrides not yet applied): it is closed too.
    await admin.closed;
    b.socket.write(set);
    await until(() => b.received() > 0);
    assert.equal(broker.core.config.str('max.connections.per.ip.overrides'), '127.0.0.1:3');
    const d = await raw(broker);
    d.socket.write(apiVersionsOf(100));
    await until(() => d.received() > 0 || d.isClosed());
    assert.equal(d.isClosed(), false);
    const e = await raw(broker);
    await e.closed;
    assert.equal(q.stats().rejectedPerIp, 3);
    for (const r of [a, b, d]) r.socket.destroy();
  });
});

test('max.connections: the excess connection waits unserved until one closes', T, async () => {
  await withBroker({ 'max.connections': 1 }, async (broker) => {
    const q = broker.core.limits.connections(1);
    const a = await raw(broker);
    a.socket.write(apiVersionsOf(100));
    await until(() => a.received() > 0);
    const b = await raw(broker);
    b.socket.write(apiVersionsOf(100));
    await until(() => q.stats().waiting === 1);
    assert.equal(b.received(), 0);
    assert.equal(q.stats().blockedByMax, 1);
    a.socket.destroy();
    await until(() => b.received() > 0);
    assert.equal(q.stats().waiting, 0);
    b.socket.destroy();
  });
});

test('max.connections exempts the inter-broker listener of a node with two listeners, whose connections still count', T, async () => {
  // Kafka's ConnectionQuotas.protectedListener: PLAINTEXT (security.inter.broker.protocol's default) next to EXTERNAL.
  const broker = await startBroker({
    listeners: [{ name: 'PLAINTEXT' }, { name: 'EXTERNAL', protocol: 'PLAINTEXT' }],
    config: { 'max.connections': 1 },
  });
  try {
    // The inter-broker listener (c) is served over the broker-wide limit.
    const { q, a, b, plain: c } = await externalFull(broker);
    assert.deepEqual([q.openOn('EXTERNAL'), q.openOn('PLAINTEXT'), q.stats().open], [1, 1, 2]);
    // Its connection counts towards max.connections: EXTERNAL's waiter stays held after a closes...
    a.socket.destroy();
    await until(() => q.openOn('EXTERNAL') === 0);
    assert.equal(b.received(), 0);
    assert.equal(q.stats().waiting, 1);
    // ...and is served once c closes too.
    c.socket.destroy();
    await until(() => b.received() > 0);
    b.socket.destroy();
  } finally {
    await broker.stop();
  }
});

test('max.connection.creation.rate: a connection over the rate is served after its throttle (virtual clock)', T, async () => {
  await withBroker({ 'max.connection.creation.rate': 2, 'quota.window.num': 2, 'quota.window.size.seconds': 1 }, async (broker, clock) => {
    const q = broker.core.limits.connections(1);
    const socks = [await raw(broker), await raw(broker)];
    for (const s of socks) s.socket.write(apiVersionsOf(100));
    await until(() => socks.every((s) => s.received() > 0));
    const third = await raw(broker);
    third.socket.write(apiVersionsOf(100));
    await until(() => q.stats().throttledByRate === 1);
    assert.equal(third.received(), 0);
    await clock.advance(2000);
    await until(() => third.received() > 0);
    for (const s of [...socks, third]) s.socket.destroy();
  });
});

test(
  'listener.name.<l>.max.connections and .max.connection.creation.rate: one listener held or throttled, the other served; dynamic; checked at start-up',
  T,
  async () => {
    const broker = await startBroker({
      clock: 'virtual',
      listeners: [{ name: 'PLAINTEXT' }, { name: 'EXTERNAL', protocol: 'PLAINTEXT' }],
      config: {
        'listener.name.external.max.connections': 1,
        'listener.name.external.max.connection.creation.rate': 2,
        'quota.window.num': 2,
        'quota.window.size.seconds': 1,
      },
    });
    const clock = broker.clock as VirtualClock;
    try {
      // EXTERNAL is at its limit: the next one there waits unserved; PLAINTEXT still serves.
      const { q, a, b, plain } = await externalFull(broker);
      const external = broker.listeners[1]!.bootstrap;
      assert.equal(b.received(), 0);
      assert.deepEqual([q.openOn('EXTERNAL'), q.openOn('PLAINTEXT')], [1, 1]);
      a.socket.destroy();
      await until(() => b.received() > 0);
      // Dynamic, from another client (kafkajs, over PLAINTEXT): EXTERNAL may hold two.
      const kafka = new Kafka({ clientId: 'limits', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
      const admin = kafka.admin();
      await admin.connect();
      await assert.rejects(
        admin.alterConfigs({
          validateOnly: false,
          resources: [{ type: 4, name: '1', configEntries: [{ name: 'listener.name.external.max.connections', value: 'many' }] }],
        }),
        (e: { type?: string }) => e.type === 'INVALID_REQUEST',
      );
      await admin.alterConfigs({
        validateOnly: false,
        resources: [{ type: 4, name: '1', configEntries: [{ name: 'listener.name.external.max.connections', value: '2' }] }],
      });
      await admin.disconnect();
      // The third EXTERNAL connection in a second is over its rate of two: throttled on the broker
      // clock while PLAINTEXT connections are served at once.
      const c = await raw(external);
      c.socket.write(apiVersionsOf(100));
      await until(() => q.stats().throttledByRate === 1);
      const plain2 = await raw(broker);
      plain2.socket.write(apiVersionsOf(100));
      await until(() => plain2.received() > 0);
      assert.equal(c.received(), 0);
      await clock.advance(2000);
      await until(() => c.received() > 0);
      assert.equal(q.openOn('EXTERNAL'), 2);
      for (const r of [b, c, plain, plain2]) r.socket.destroy();
    } finally {
      await broker.stop();
    }
    // Checked at start-up as the broker-wide keys are, for a listener the broker has; one it does
    // not have is not read, as by Kafka (config-errors-kafka.test.ts asks Kafka 4.4).
    const listeners = [{ name: 'PLAINTEXT' }, { name: 'EXTERNAL', protocol: 'PLAINTEXT' as const }];
    await assert.rejects(
      startBroker({ listeners, config: { 'listener.name.external.max.connections': 'x' } }),
      /Invalid value x for configuration max.connections: Not a number of type INT/,
    );
    await assert.rejects(
      startBroker({ listeners, config: { 'listener.name.external.max.connection.creation.rate': -1 } }),
      /Value must be at least 0/,
    );
    const without = await startBroker({ config: { 'listener.name.external.max.connections': 'x' } });
    await without.stop();
  },
);

test('connections.max.idle.ms on the broker clock, and a slow sender dropped', T, async () => {
  await withBroker({ 'connections.max.idle.ms': 1000 }, async (broker, clock) => {
    const idle = await raw(broker);
    idle.socket.write(apiVersionsOf(100));
    await until(() => idle.received() > 0);
    const slow = await raw(broker);
    const frame = apiVersionsOf(100);
    slow.socket.write(frame.subarray(0, 10));
    await until(() => broker.core.limits.pool.used === 100);
    await clock.advance(600);
    assert.equal(idle.isClosed(), false);
    slow.socket.write(frame.subarray(10, 20)); // active, but its frame has been arriving for 600 ms
    await until(() => broker.core.limits.pool.used === 100);
    await clock.advance(500);
    await idle.closed;
    await slow.closed;
    assert.deepEqual(broker.core.limits.closed, { idle: 1, slowSender: 1 });
  });
});

test(
  'real clients under the limits: kafkajs and confluent-kafka produce and consume; the excess per-ip connection is refused',
  T,
  async () => {
    const broker = await startBroker({
      topics: { lim: 1 },
      config: {
        'max.connections.per.ip': 12,
        'max.connections': 40,
        'queued.max.requests': 2,
        'queued.max.request.bytes': 104857600,
        'connections.max.idle.ms': 60000,
      },
    });
    try {
      const kafka = new Kafka({ clientId: 'limits', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic: 'lim', messages: Array.from({ length: 50 }, (_, i) => ({ value: `js-${i}` })) });
      await producer.disconnect();
      const got = await python<{ values: string[] }>(
        `
import json, sys
from confluent_kafka import Consumer, Producer
p = Producer({'bootstrap.servers': sys.argv[1]})
for i in range(50): p.produce('lim', value=f'py-{i}'.encode())
p.flush(20)
c = Consumer({'bootstrap.servers': sys.argv[1], 'group.id': 'lim-py', 'auto.offset.reset': 'earliest'})
c.subscribe(['lim'])
values = []
while len(values) < 100:
    m = c.poll(10)
    if m is None: break
    if m.error() is None: values.append(m.value().decode())
c.close()
print(json.dumps({'values': values}))
`,
        broker.bootstrap,
      );
      assert.equal(got.values.length, 100);
      assert.deepEqual(got.values.slice(0, 2), ['js-0', 'js-1']);
      // kafkajs reads everything back too, under the same limits.
      const consumer = kafka.consumer({ groupId: 'lim-js' });
      await consumer.connect();
      await consumer.subscribe({ topic: 'lim', fromBeginning: true });
      const seen: string[] = [];
      await new Promise<void>((resolve) => {
        void consumer.run({
          eachMessage: async ({ message }) => {
            seen.push(message.value!.toString());
            if (seen.length === 100) resolve();
          },
        });
      });
      await consumer.disconnect();
      assert.equal(seen.filter((v) => v.startsWith('py-')).length, 50);
      // Raw connections from 127.0.0.1 up to its quota of twelve: the next is closed at once.
      const q = broker.core.limits.connections(1);
      const raws: Raw[] = [];
      while (q.stats().rejectedPerIp === 0) {
        const r = await raw(broker);
        raws.push(r);
        await until(() => q.stats().open >= raws.length || r.isClosed());
      }
      assert.ok(raws.length <= 13, `${raws.length} connections before one was refused`);
      await raws.at(-1)!.closed;
      for (const r of raws) r.socket.destroy();
    } finally {
      await broker.stop();
    }
  },
);
