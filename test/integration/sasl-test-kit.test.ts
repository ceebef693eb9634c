// The test kit's SASL preset: startBroker({ security: 'sasl_plaintext' }) generates users and
// broker.clientConfig(client) gives settings that real clients connect with as they are (kafkajs,
// confluent-kafka/librdkafka, kafka-python); without them the listener refuses requests. And
// `kafkalite test-server --security sasl_plaintext --print-env` prints the same users.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { startBroker, type Broker } from '../../broker/index.js';
import { Metadata } from '../../protocol/messages/index.js';
import { franz } from '../go/franz.js';
import { venvPython } from '../python/venv.js';
import { python, REPO_ROOT } from './helpers.js';
import { requestFrame, WireClient } from './wire-client.js';

describe("startBroker({ security: 'sasl_plaintext' })", () => {
  let broker: Broker;
  before(async () => {
    broker = await startBroker({ security: 'sasl_plaintext', topics: { kit: 1 } });
  });
  after(() => broker?.stop());

  test('a SASL_PLAINTEXT listener with generated users; unauthenticated requests are refused', async () => {
    assert.equal(broker.listeners[0]!.protocol, 'SASL_PLAINTEXT');
    const { admin, client } = broker.saslUsers!;
    assert.equal(admin.username, 'admin');
    assert.equal(client.username, 'client');
    assert.notEqual(admin.password, client.password);
    assert.deepEqual(broker.clientConfig('librdkafka'), {
      'bootstrap.servers': broker.bootstrap,
      'security.protocol': 'SASL_PLAINTEXT',
      'sasl.mechanism': 'SCRAM-SHA-256',
      'sasl.username': 'client',
      'sasl.password': client.password,
    });
    assert.equal(
      broker.clientConfig('java', { mechanism: 'PLAIN', user: 'admin' })['sasl.jaas.config'],
      `org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="${admin.password}";`,
    );
    const c = await WireClient.connect(broker.bootstrap);
    await assert.rejects(c.send(Metadata, 12, { topics: null, allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false }));
    // broker.handle() has no socket and is not asked to authenticate.
    const answer = await broker.handle(
      requestFrame(Metadata, 12, { topics: null, allowAutoTopicCreation: false }, { correlationId: 5 }).subarray(4),
    );
    assert.ok(answer && answer.length > 8);
  });

  test('kafkajs produces with clientConfig(kafkajs); confluent-kafka (PLAIN, admin) and kafka-python (SCRAM-SHA-512) read back', async () => {
    const kafka = new Kafka({ ...(broker.clientConfig('kafkajs') as unknown as KafkaConfig), logLevel: logLevel.NOTHING });
    const p = kafka.producer();
    await p.connect();
    await p.send({ topic: 'kit', messages: [{ value: 'a' }, { value: 'b' }] });
    await p.disconnect();

    const rd = await python<string[]>(
      `
import json, sys
from confluent_kafka import Consumer, TopicPartition
conf = json.loads(sys.argv[1])
c = Consumer({**conf, 'group.id': 'kit-rd'})
c.assign([TopicPartition('kit', 0, 0)])
vals = []
while len(vals) < 2:
    m = c.poll(10)
    assert m is not None, 'timed out'
    if m.error(): raise Exception(m.error())
    vals.append(m.value().decode())
c.close()
print(json.dumps(vals))
`,
      JSON.stringify(broker.clientConfig('librdkafka', { mechanism: 'PLAIN', user: 'admin' })),
    );
    assert.deepEqual(rd, ['a', 'b']);

    const kp = await venvPython<string[]>(
      `
import json, sys, time
from kafka import KafkaConsumer, TopicPartition
c = KafkaConsumer(**json.loads(sys.argv[1]))
c.assign([TopicPartition('kit', 0)]); c.seek_to_beginning()
got, deadline = [], time.time() + 20
while len(got) < 2 and time.time() < deadline:
    for recs in c.poll(timeout_ms=500).values(): got += [m.value.decode() for m in recs]
print(json.dumps(got))
c.close()
`,
      JSON.stringify(broker.clientConfig('kafka-python', { mechanism: 'SCRAM-SHA-512' })),
    );
    assert.deepEqual(kp, ['a', 'b']);
  });
});

test('kafkalite test-server --security sasl_plaintext --print-env: the users, and a client connecting with them', async () => {
  const child = spawn(
    process.execPath,
    [join(REPO_ROOT, 'dist', 'bin', 'kafkalite.js'), 'test-server', '--security', 'sasl_plaintext', '--print-env'],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  try {
    const env = await new Promise<Record<string, string>>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no env in 20 s: ${out}`)), 20_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d;
        if (out.includes('KAFKA_SASL_ADMIN_PASSWORD=') && out.endsWith('\n')) {
          clearTimeout(timer);
          resolve(
            Object.fromEntries(
              out
                .trim()
                .split('\n')
                .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
            ),
          );
        }
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    assert.deepEqual(Object.keys(env), [
      'KAFKA_BOOTSTRAP',
      'KAFKALITE_CONTROL',
      'KAFKA_SECURITY_PROTOCOL',
      'KAFKA_SASL_MECHANISM',
      'KAFKA_SASL_USERNAME',
      'KAFKA_SASL_PASSWORD',
      'KAFKA_SASL_ADMIN_USERNAME',
      'KAFKA_SASL_ADMIN_PASSWORD',
    ]);
    assert.equal(env.KAFKA_SECURITY_PROTOCOL, 'SASL_PLAINTEXT');
    const kafka = new Kafka({
      brokers: [env.KAFKA_BOOTSTRAP!],
      sasl: { mechanism: 'scram-sha-256', username: env.KAFKA_SASL_USERNAME!, password: env.KAFKA_SASL_PASSWORD! },
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    assert.ok((await admin.describeCluster()).brokers.length === 1);
    await admin.disconnect();
    const bad = new Kafka({
      brokers: [env.KAFKA_BOOTSTRAP!],
      sasl: { mechanism: 'plain', username: env.KAFKA_SASL_USERNAME!, password: 'wrong' },
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    }).admin();
    await assert.rejects(bad.connect(), /Authentication failed: Invalid username or password/);
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.stdin.end();
    await exited;
  }
});

test("startBroker({ security: 'sasl_ssl' }): SASL over TLS with the preset's CA; kafkajs, confluent-kafka and franz-go", async () => {
  const broker = await startBroker({ security: 'sasl_ssl', topics: { tls: 1 } });
  try {
    assert.equal(broker.listeners[0]!.protocol, 'SASL_SSL');
    const rd = broker.clientConfig('librdkafka', { mechanism: 'SCRAM-SHA-512' });
    assert.equal(rd['security.protocol'], 'SASL_SSL');
    assert.equal(rd['ssl.ca.location'], broker.security!.caFile);
    const kafka = new Kafka({ ...(broker.clientConfig('kafkajs') as unknown as KafkaConfig), logLevel: logLevel.NOTHING });
    const p = kafka.producer();
    await p.connect();
    await p.send({ topic: 'tls', messages: [{ value: 'over-tls' }] });
    await p.disconnect();
    const got = await python<string[]>(
      `
import json, sys
from confluent_kafka import Consumer, TopicPartition
c = Consumer({**json.loads(sys.argv[1]), 'group.id': 'kit-tls'})
c.assign([TopicPartition('tls', 0, 0)])
m = c.poll(15)
assert m is not None and not m.error(), m and m.error()
c.close()
print(json.dumps([m.value().decode()]))
`,
      JSON.stringify(rd),
    );
    assert.deepEqual(got, ['over-tls']);
    // franz-go from clientConfig('franz-go'): seeds, the CA file for kgo.DialTLSConfig, scram.Auth's User and Pass.
    const fg = broker.clientConfig('franz-go', { mechanism: 'SCRAM-SHA-512' });
    assert.deepEqual(fg, {
      seeds: [broker.bootstrap],
      tls: { caFile: broker.security!.caFile },
      sasl: { mechanism: 'SCRAM-SHA-512', user: 'client', pass: broker.saslUsers!.client.password },
    });
    const franzOut = await franz<{ values?: string[]; message?: string }>('sasl-matrix', fg.seeds.join(','), [
      '-mechanism',
      fg.sasl!.mechanism.toLowerCase(),
      '-user',
      fg.sasl!.user,
      '-password',
      fg.sasl!.pass,
      '-ca',
      fg.tls!.caFile,
      '-topic',
      'tls',
      '-tag',
      'franz',
      '-n',
      '2',
    ]);
    assert.deepEqual(franzOut.values, ['franz-0', 'franz-1'], franzOut.message);
  } finally {
    await broker.stop();
  }
});
