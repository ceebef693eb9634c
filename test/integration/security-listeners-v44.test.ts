// Metadata per listener against Kafka 4.4: kafkalite and a real Kafka 4.4 broker, each with a
// PLAINTEXT and an SSL listener (the same inline PEM key store: Kafka's ssl.keystore.key and
// ssl.keystore.certificate.chain), asked by kcat (librdkafka) and kafkajs through each listener.
// Both answer with the addresses of the listener asked, and nothing else.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker, type Broker } from '../../broker/index.js';
import { hasCommand, requireTool, run } from './helpers.js';
import { freePort, startKafka, type RealKafka } from '../jvm/kafka.js';

interface Target {
  plain: string;
  ssl: string;
}

/** A properties value: newlines as \n escapes (java.util.Properties reads them back). */
const prop = (pem: string) => pem.trim().replace(/\n/g, '\\n');

describe('Metadata per listener: kafkalite and Kafka 4.4 with PLAINTEXT and SSL listeners', () => {
  let broker: Broker;
  let kafka: RealKafka;
  let ours: Target;
  let theirs: Target;

  before(async () => {
    broker = await startBroker({
      security: 'ssl',
      config: {
        listeners: 'PLAINTEXT://127.0.0.1:0,SSL://127.0.0.1:0',
        'inter.broker.listener.name': 'PLAINTEXT',
      },
    });
    const l = (name: string) => broker.listeners.find((x) => x.name === name)!.bootstrap;
    ours = { plain: l('PLAINTEXT'), ssl: l('SSL') };
    const sslPort = await freePort();
    const b = broker.security!.broker;
    kafka = await startKafka({
      config: ({ port, controllerPort }) => ({
        listeners: `PLAINTEXT://127.0.0.1:${port},SSL://127.0.0.1:${sslPort},CONTROLLER://127.0.0.1:${controllerPort}`,
        'advertised.listeners': `PLAINTEXT://127.0.0.1:${port},SSL://127.0.0.1:${sslPort}`,
        'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SSL:SSL',
        'ssl.keystore.type': 'PEM',
        'ssl.keystore.key': prop(b.keyPem),
        'ssl.keystore.certificate.chain': prop(b.certPem),
      }),
    });
    theirs = { plain: kafka.bootstrap, ssl: `127.0.0.1:${sslPort}` };
  });
  after(async () => {
    await broker?.stop();
    await kafka?.stop();
  });

  /** Each listener's answer, its addresses named by listener. */
  const named = (t: Target, addrs: string[]) => addrs.map((a) => (a === t.plain ? 'PLAINTEXT' : a === t.ssl ? 'SSL' : a)).sort();

  test('kcat -L through each listener lists that listener only', async () => {
    requireTool(() => hasCommand('kcat'), 'kcat');
    const ask = async (t: Target) => {
      const out: Record<string, string[]> = {};
      for (const [name, boot] of Object.entries(t)) {
        const x = name === 'ssl' ? ['-X', 'security.protocol=ssl', '-X', `ssl.ca.location=${broker.security!.caFile}`] : [];
        const r = await run('kcat', ['-b', boot, ...x, '-L', '-J'], { timeoutMs: 30_000 });
        assert.equal(r.code, 0, r.stderr);
        const md = JSON.parse(r.stdout) as { brokers: Array<{ name: string }> };
        out[name] = named(
          t,
          md.brokers.map((b) => b.name.replace(/\/\d+$/, '')),
        );
      }
      return out;
    };
    const [a, b] = [await ask(ours), await ask(theirs)];
    assert.deepEqual(a, { plain: ['PLAINTEXT'], ssl: ['SSL'] });
    assert.deepEqual(a, b);
  });

  test('kafkajs describeCluster through each listener', async () => {
    const ask = async (t: Target) => {
      const out: Record<string, string[]> = {};
      for (const [name, boot] of Object.entries(t)) {
        const k = new Kafka({
          brokers: [boot],
          clientId: 'listeners-v44',
          logLevel: logLevel.NOTHING,
          ...(name === 'ssl' ? { ssl: { ca: [broker.security!.caPem] } } : {}),
        });
        const admin = k.admin();
        await admin.connect();
        const { brokers } = await admin.describeCluster();
        await admin.disconnect();
        out[name] = named(
          t,
          brokers.map((x) => `${x.host}:${x.port}`),
        );
      }
      return out;
    };
    const [a, b] = [await ask(ours), await ask(theirs)];
    assert.deepEqual(a, { plain: ['PLAINTEXT'], ssl: ['SSL'] });
    assert.deepEqual(a, b);
  });
});
