// KIP-368 re-authentication with a short connections.max.reauth.ms on the test kit's SASL preset:
// SaslAuthenticate v1+ tells the session lifetime, the Java client (4.4) re-authenticates on its
// connection while producing (counted apart in /metrics), so does librdkafka 2.16 (PyPI's
// confluent-kafka; Debian's librdkafka 2.0 predates its KIP-368 support), and a request after the
// session ended closes the connection as Kafka's Processor does.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { Metadata, SaslAuthenticate, SaslHandshake } from '../../protocol/messages/index.js';
import { JAVA_PROGRAMS, javaOk } from '../jvm/kafka.js';
import { venvPython } from '../python/venv.js';
import { WireClient } from './wire-client.js';

describe('re-authentication (KIP-368) with a short connections.max.reauth.ms', () => {
  let broker: Broker;
  before(async () => {
    // The test kit's preset: users `admin` and `client` with generated passwords for PLAIN and SCRAM.
    broker = await startBroker({
      security: 'sasl_plaintext',
      config: { 'connections.max.reauth.ms': '2000' },
      topics: { r: 1 },
      http: { port: 0 },
    });
  });
  after(() => broker?.stop());

  test('SaslAuthenticate v1+ tells the session lifetime; the Java client re-authenticates on its connection', async () => {
    const c = await WireClient.connect(broker.bootstrap);
    await c.send(SaslHandshake, 1, { mechanism: 'PLAIN' });
    const auth = await c.send(SaslAuthenticate, 1, { authBytes: Buffer.from(`\u0000client\u0000${broker.saslUsers!.client.password}`) });
    assert.deepEqual({ errorCode: auth.errorCode, sessionLifetimeMs: auth.sessionLifetimeMs }, { errorCode: 0, sessionLifetimeMs: 2000 });
    await c.close();
    const { client } = broker.saslUsers!;
    const r = await javaOk([
      join(JAVA_PROGRAMS, 'SaslClients.java'),
      broker.bootstrap,
      `reauth,SCRAM-SHA-256,client,${client.password},r,6000`,
    ]);
    const line = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { acked: number };
    assert.ok(line.acked >= 10, `acked ${line.acked}`);
    // The producing connection re-authenticated at least twice in 6 s of 2 s sessions (the client starts at 85-95% of the lifetime).
    const reauths =
      broker.core.sasl.authFigures().find((f) => f.mechanism === 'SCRAM-SHA-256' && f.result === 'reauthentication')?.count ?? 0;
    assert.ok(reauths >= 2, `SCRAM re-authentications: ${reauths}`);
    const metrics = await (await fetch(`${broker.http!.url}/metrics`)).text();
    assert.match(
      metrics,
      /kafkalite_sasl_authentications_total\{listener="SASL_PLAINTEXT",mechanism="SCRAM-SHA-256",result="reauthentication"\} [2-9]/,
    );
  });

  test('librdkafka (confluent-kafka from PyPI) re-authenticates on its connection while producing', async () => {
    const { client } = broker.saslUsers!;
    const out = await venvPython<{ librdkafka: string; delivered: number; errors: string[] }>(
      `
import json, sys, time, confluent_kafka
from confluent_kafka import Producer
conf = json.loads(sys.argv[1])
errors = []
p = Producer({**conf, 'error_cb': lambda e: errors.append(str(e))})
delivered = 0
until = time.time() + 6
while time.time() < until:
    p.produce('r', value=b'rd', partition=0)
    assert p.flush(10) == 0, 'not delivered'
    delivered += 1
    time.sleep(0.2)
print(json.dumps({'librdkafka': confluent_kafka.libversion()[0], 'delivered': delivered, 'errors': errors}))
`,
      JSON.stringify({ ...broker.clientConfig('librdkafka', { mechanism: 'SCRAM-SHA-512', user: client }), 'connections.max.idle.ms': 0 }),
    );
    console.log(`librdkafka ${out.librdkafka}: ${out.delivered} records delivered`);
    assert.ok(out.delivered >= 10, `delivered ${out.delivered}`);
    // No error: no connection closed under it for an ended session.
    assert.deepEqual(out.errors, []);
    const reauths =
      broker.core.sasl.authFigures().find((f) => f.mechanism === 'SCRAM-SHA-512' && f.result === 'reauthentication')?.count ?? 0;
    assert.ok(reauths >= 2, `SCRAM-SHA-512 re-authentications: ${reauths}`);
  });

  test('a request after the session ended closes the connection', async () => {
    const c = await WireClient.connect(broker.bootstrap);
    await c.send(SaslHandshake, 1, { mechanism: 'PLAIN' });
    await c.send(SaslAuthenticate, 1, { authBytes: Buffer.from(`\u0000client\u0000${broker.saslUsers!.client.password}`) });
    await c.send(Metadata, 12, { topics: null, allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false });
    await new Promise((r) => setTimeout(r, 2200));
    await assert.rejects(c.send(Metadata, 12, { topics: null, allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false }));
  });
});
