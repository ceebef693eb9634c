// Connection and request bounds next to a running Kafka 4.4 (issue 14 item 4): the same hostile
// inputs over raw sockets to Kafka (test/jvm/kafka.ts) and to an in-process kafkalite with the
// same configs, and what a client sees compared: a frame above socket.request.max.bytes (closed,
// nothing answered; both logs name the size), a connection beyond max.connections.per.ip
// (closed at once, nothing answered), beyond max.connections (held unserved until another
// closes), over max.connection.creation.rate (set at run time: throttled, served, not closed), and
// the answer to a bad listener.name.<l>.max.connections set at run time.
// Kafka's log is its output (kafka.network at INFO: KAFKA_NETWORK_LOG_LEVEL, test/jvm/log4j2.properties);
// the limits without Kafka, on the virtual clock: limits.test.ts.

import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { startBroker, type Broker } from '../../broker/index.js';
import { IncrementalAlterConfigs } from '../../protocol/messages/index.js';
import { startKafka, type RealKafka } from '../jvm/kafka.js';
import { apiVersions, ask, nextCorrelationId, openRaw, until } from './raw-socket.js';
import { WireClient, requestFrame } from './wire-client.js';

const CONFIG = {
  'socket.request.max.bytes': 102_400,
  'max.connections': 4,
  'max.connections.per.ip.overrides': '127.0.0.2:2',
  // A one-second rate window, so a burst of a few connections is over the rate.
  'quota.window.num': 2,
  'quota.window.size.seconds': 1,
};

let kafka: RealKafka;
let lite: Broker;
const liteLog: string[] = [];

before(async () => {
  // Kafka's kafka.network loggers at INFO (test/jvm/log4j2.properties), for its per-IP rejections.
  process.env.KAFKA_NETWORK_LOG_LEVEL = 'INFO';
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      liteLog.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  [kafka, lite] = await Promise.all([
    startKafka({ config: CONFIG }),
    startBroker({ config: CONFIG, logger: pino({ level: 'info' }, sink) }),
  ]);
});

after(async () => {
  // What each said about the refused connections and frames (a diagnostic).
  const said = (lines: string[]) => lines.filter((l) => /Rejected connection|Invalid receive/.test(l)).slice(0, 4);
  for (const l of said(kafka?.output().split('\n') ?? [])) console.log(`# kafka: ${l}`);
  for (const l of said(liteLog)) console.log(`# kafkalite: ${l.slice(0, 300)}`);
  await Promise.all([kafka?.stop(), lite?.stop()]);
});

const open = openRaw;

const sides = () =>
  [
    ['kafka', kafka.bootstrap],
    ['kafkalite', lite.bootstrap],
  ] as const;

test('max.connections: the connection over the limit is held unserved, then served once one closes', { timeout: 60_000 }, async () => {
  const seen: Record<string, unknown> = {};
  for (const [side, bootstrap] of sides()) {
    const four = [];
    for (let i = 0; i < 4; i++) four.push(await open(bootstrap));
    const answers = [];
    for (const r of four) answers.push(await ask(r));
    const fifth = await open(bootstrap);
    fifth.socket.write(apiVersions());
    // Round trips on a served connection; meanwhile the fifth gets nothing.
    for (let i = 0; i < 5; i++) await ask(four[0]!);
    const held = { received: fifth.received(), closed: fifth.isClosed() };
    four[0]!.socket.destroy();
    await until(() => fifth.received() > 0 || fifth.isClosed());
    seen[side] = { answers, held, afterRelease: fifth.isClosed() ? 'closed' : 'answered' };
    for (const r of [...four, fifth]) r.socket.destroy();
    await Promise.all([...four, fifth].map((r) => r.closed));
  }
  assert.deepEqual(seen.kafka, {
    answers: ['answered', 'answered', 'answered', 'answered'],
    held: { received: 0, closed: false },
    afterRelease: 'answered',
  });
  assert.deepEqual(seen.kafkalite, seen.kafka);
});

test('max.connections.per.ip.overrides: the third connection from 127.0.0.2 is closed at once, unanswered', {
  timeout: 60_000,
}, async () => {
  const seen: Record<string, unknown> = {};
  for (const [side, bootstrap] of sides()) {
    const two = [await open(bootstrap, '127.0.0.2'), await open(bootstrap, '127.0.0.2')];
    const answers = [await ask(two[0]!), await ask(two[1]!)];
    const third = await open(bootstrap, '127.0.0.2');
    await third.closed;
    seen[side] = { answers, third: { received: third.received(), closed: third.isClosed() } };
    for (const r of two) r.socket.destroy();
    await Promise.all(two.map((r) => r.closed));
  }
  assert.deepEqual(seen.kafka, { answers: ['answered', 'answered'], third: { received: 0, closed: true } });
  assert.deepEqual(seen.kafkalite, seen.kafka);
  // Both say why, in the same words (the address as InetAddress prints it: "/127.0.0.2").
  const rejected = /Rejected connection from \/127\.0\.0\.2, address already has the configured maximum of 2 connections\./;
  await until(() => rejected.test(kafka.output()));
  assert.ok(liteLog.some((l) => rejected.test(l)));
});

test('socket.request.max.bytes: a larger or negative size closes the connection unanswered; both log the size', {
  timeout: 60_000,
}, async () => {
  const seen: Record<string, unknown> = {};
  for (const [side, bootstrap] of sides()) {
    const out = [];
    for (const size of [102_401, -1, 0x7fffffff]) {
      const r = await open(bootstrap);
      const head = Buffer.alloc(8);
      head.writeInt32BE(size, 0);
      r.socket.write(head);
      await r.closed;
      out.push({ size, received: r.received() });
    }
    // A frame within the bound on a fresh connection is still served.
    const ok = await open(bootstrap);
    out.push({ size: 'ApiVersions', answer: await ask(ok) });
    ok.socket.destroy();
    await ok.closed;
    seen[side] = out;
  }
  assert.deepEqual(seen.kafka, [
    { size: 102_401, received: 0 },
    { size: -1, received: 0 },
    { size: 0x7fffffff, received: 0 },
    { size: 'ApiVersions', answer: 'answered' },
  ]);
  assert.deepEqual(seen.kafkalite, seen.kafka);
  const words = /Invalid receive \(size = 102401 larger than 102400\)/;
  await until(() => words.test(kafka.output()));
  assert.ok(liteLog.some((l) => words.test(l)));
});

// Before any other dynamic broker config is set: Kafka words a bad value differently once the
// cluster default holds others (the whole set is revalidated, the message wrapped in another).
test('listener.name.<l>.max.connections set at run time: the same answer to bad and good values', { timeout: 60_000 }, async () => {
  const seen: Record<string, unknown> = {};
  for (const [side, bootstrap] of sides()) {
    const admin = await WireClient.connect(bootstrap);
    const answers = [];
    for (const [name, value] of [
      ['listener.name.plaintext.max.connections', 'many'],
      ['listener.name.plaintext.max.connection.creation.rate', '-1'],
      ['listener.name.plaintext.max.connections', '50'],
    ] as const) {
      const r = await admin.send(IncrementalAlterConfigs, 1, {
        resources: [{ resourceType: 4, resourceName: '', configs: [{ name, configOperation: 0, value }] }],
        validateOnly: false,
      });
      answers.push(r.responses.map((x) => [x.errorCode, x.errorMessage]));
    }
    seen[side] = answers;
    admin.close();
  }
  assert.deepEqual(seen.kafka, [
    [[42, 'Invalid value many for configuration max.connections: Not a number of type INT']],
    [[42, 'Invalid value -1 for configuration max.connection.creation.rate: Value must be at least 0']],
    [[0, null]],
  ]);
  assert.deepEqual(seen.kafkalite, seen.kafka);
});

test('max.connection.creation.rate, set at run time: a burst over the rate is throttled, every connection served', {
  timeout: 90_000,
}, async () => {
  const seen: Record<string, unknown> = {};
  // Both at once: each broker's rate is its own.
  const burstOn = async (side: string, bootstrap: string) => {
    const admin = await open(bootstrap);
    const alter = requestFrame(
      IncrementalAlterConfigs,
      1,
      {
        resources: [
          {
            resourceType: 4,
            resourceName: '',
            configs: [
              { name: 'max.connections', configOperation: 0, value: '100' },
              { name: 'max.connection.creation.rate', configOperation: 0, value: '2' },
            ],
          },
        ],
        validateOnly: false,
      },
      { correlationId: nextCorrelationId(), clientId: 'limits' },
    );
    admin.socket.write(alter);
    await until(() => admin.received() > 0 || admin.isClosed());
    assert.equal(admin.isClosed(), false);
    const started = performance.now();
    const burst = await Promise.all(Array.from({ length: 6 }, () => open(bootstrap)));
    const answers = await Promise.all(burst.map((r) => ask(r)));
    const ms = Math.round(performance.now() - started);
    seen[side] = answers;
    // Wall time on a shared machine is a diagnostic, not an assertion.
    console.log(`# ${side}: 6 connections at max.connection.creation.rate=2 answered after ${ms} ms`);
    for (const r of [admin, ...burst]) r.socket.destroy();
  };
  await Promise.all(sides().map(([side, bootstrap]) => burstOn(side, bootstrap)));
  assert.deepEqual(seen.kafka, Array(6).fill('answered'));
  assert.deepEqual(seen.kafkalite, seen.kafka);
});
