// max.connections and the inter-broker listener, next to a running Kafka 4.4: a broker with two
// listeners, PLAINTEXT (the inter-broker one, security.inter.broker.protocol's default) and
// EXTERNAL, and max.connections=MAX (not 1: Kafka's combined-mode controller has its own
// SocketServer under the same max.connections, and the broker's own connections to it must fit).
// Kafka's ConnectionQuotas.protectedListener serves the inter-broker listener over the broker-wide
// limit (only its own listener.name.<l>.max.connections applies), but counts its connections
// towards the limit for the other listeners. The same raw
// sockets to both brokers, what a client sees compared; the rest of the limits: limits-kafka.test.ts,
// and without Kafka limits.test.ts.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { freePort, startKafka, type RealKafka } from '../jvm/kafka.js';
import { apiVersions, ask, openRaw, type Raw, until } from './raw-socket.js';

const MAX = 6;
let kafka: RealKafka;
let kafkaExternal: string;
let lite: Broker;

before(async () => {
  const external = await freePort();
  kafkaExternal = `127.0.0.1:${external}`;
  [kafka, lite] = await Promise.all([
    startKafka({
      config: ({ port, controllerPort }) => ({
        listeners: `PLAINTEXT://127.0.0.1:${port},EXTERNAL://${kafkaExternal},CONTROLLER://127.0.0.1:${controllerPort}`,
        'advertised.listeners': `PLAINTEXT://127.0.0.1:${port},EXTERNAL://${kafkaExternal}`,
        'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,EXTERNAL:PLAINTEXT',
        'max.connections': MAX,
      }),
    }),
    startBroker({ listeners: [{ name: 'PLAINTEXT' }, { name: 'EXTERNAL', protocol: 'PLAINTEXT' }], config: { 'max.connections': MAX } }),
  ]);
});

after(async () => {
  await Promise.all([kafka?.stop(), lite?.stop()]);
});

/** openRaw, its failure naming the broker and the listener (which side refused). */
const opener = (side: string, listener: string) => (bootstrap: string) =>
  openRaw(bootstrap).catch((e: Error) => {
    throw new Error(`${side}'s ${listener} listener, ${bootstrap}: ${e.message}`, { cause: e });
  });

test('max.connections with two listeners: the inter-broker one served over it, its connection counted for the other', {
  timeout: 60_000,
}, async () => {
  const seen: Record<string, unknown> = {};
  for (const [side, plaintext, external] of [
    ['kafka', kafka.bootstrap, kafkaExternal],
    ['kafkalite', lite.bootstrap, lite.listeners[1]!.bootstrap],
  ] as const) {
    // EXTERNAL fills the broker: MAX connections served, the next held.
    const [openExternal, openPlaintext] = [opener(side, 'EXTERNAL'), opener(side, 'PLAINTEXT')];
    const full: Raw[] = [];
    for (let i = 0; i < MAX; i++) full.push(await openExternal(external));
    for (const r of full) await ask(r);
    const a = full[0]!;
    const b = await openExternal(external);
    b.socket.write(apiVersions());
    // The inter-broker listener answers although the broker is at max.connections.
    const c = await openPlaintext(plaintext);
    await ask(c);
    const heldWhileBoth = b.received();
    // a closes, but c still counts: b stays held (round trips on c meanwhile).
    a.socket.destroy();
    await a.closed;
    for (let i = 0; i < 5; i++) await ask(c);
    const heldAfterA = b.received();
    c.socket.destroy();
    await until(() => b.received() > 0);
    seen[side] = { heldWhileBoth, heldAfterA, servedAfterC: b.received() > 0 };
    for (const r of [...full, b]) r.socket.destroy();
    await Promise.all([...full, b].map((r) => r.closed));
  }
  assert.deepEqual(seen.kafka, { heldWhileBoth: 0, heldAfterA: 0, servedAfterC: true });
  assert.deepEqual(seen.kafkalite, seen.kafka);
});
