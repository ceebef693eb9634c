// SASL over SASL_PLAINTEXT with real clients: PLAIN (JAAS users), SCRAM-SHA-256 and SCRAM-SHA-512
// (credentials created with Kafka's kafka-configs through AlterUserScramCredentials) and OAUTHBEARER
// (unsecured JWTs) with kafkajs, kcat and confluent-kafka (librdkafka), kafka-python, franz-go and
// the Java client; wrong passwords (SASL_AUTHENTICATION_FAILED, Kafka's message, a closed
// connection); what a connection may do before authenticating (raw tokens after a v0 handshake,
// nothing but ApiVersions and SASL, no frame over 512 KiB); /metrics. Re-authentication: sasl-reauth.test.ts.

import assert from 'node:assert/strict';
import { pbkdf2Sync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker, type Broker } from '../../broker/index.js';
import { AlterUserScramCredentials, ApiVersions, Metadata, SaslAuthenticate, SaslHandshake } from '../../protocol/messages/index.js';
import { franz } from '../go/franz.js';
import { JAVA_PROGRAMS, javaOk } from '../jvm/kafka.js';
import { kafkaToolOk } from '../jvm/tools.js';
import { venvPython } from '../python/venv.js';
import { hasCommand, python, requireTool, run, tempDir } from './helpers.js';
import { requestFrame, WireClient } from './wire-client.js';

const JAAS =
  'org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin-secret" ' +
  'user_admin="admin-secret" user_alice="alice-secret";';

const saslConfig = (extra: Record<string, string> = {}) => ({
  listeners: 'SASL_PLAINTEXT://127.0.0.1:0',
  'inter.broker.listener.name': 'SASL_PLAINTEXT',
  'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512,OAUTHBEARER',
  'listener.name.sasl_plaintext.plain.sasl.jaas.config': JAAS,
  ...extra,
});

const BAD_PLAIN = 'Authentication failed: Invalid username or password';
const badScram = (m: string) => `Authentication failed during authentication due to invalid credentials with SASL mechanism ${m}`;

/** Reads one size-prefixed frame from a raw socket. */
function readFrame(socket: Socket): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 4 && buf.length >= 4 + buf.readInt32BE(0)) {
        socket.off('data', onData);
        resolve(buf.subarray(4, 4 + buf.readInt32BE(0)));
      }
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error('closed')));
  });
}

const sizePrefixed = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, 0].map((_, i) => (b.length >> (24 - 8 * i)) & 255)), b]);

describe('SASL over SASL_PLAINTEXT with real clients', () => {
  let broker: Broker;
  const dir = tempDir('kafkalite-sasl-');
  const adminProps = join(dir.path, 'admin.properties');

  before(async () => {
    broker = await startBroker({
      config: saslConfig(),
      topics: { t: 1, kjs: 1, kcat: 1, py: 1, kp: 1, franz: 1, franz2: 1, 'java-p': 1, 'java-s256': 1, 'java-s512': 1, 'java-o': 1 },
    });
    writeFileSync(
      adminProps,
      `security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\nsasl.jaas.config=${JAAS.replace(/ user_.*;$/, ';')}\n`,
    );
  });
  after(async () => {
    await broker?.stop();
    dir.remove();
  });

  test('kafka-configs adds SCRAM users through AlterUserScramCredentials and describes them', async () => {
    const base = ['--bootstrap-server', broker.bootstrap, '--command-config', adminProps];
    await kafkaToolOk('kafka-configs', [
      ...base,
      '--alter',
      '--add-config',
      'SCRAM-SHA-256=[iterations=8192,password=alice-secret]',
      '--entity-type',
      'users',
      '--entity-name',
      'alice',
    ]);
    // Two mechanisms of one user in one request are DUPLICATE_RESOURCE in Kafka too (ScramControlManager): the other
    // credentials in one AlterUserScramCredentials of our own (one user each), sparing JVM starts.
    const wire = await WireClient.connect(broker.bootstrap);
    await wire.send(SaslHandshake, 1, { mechanism: 'PLAIN' });
    await wire.send(SaslAuthenticate, 2, { authBytes: Buffer.from('\u0000admin\u0000admin-secret') });
    const salt = Buffer.from('kafkalite-salt');
    const altered = await wire.send(AlterUserScramCredentials, 0, {
      deletions: [],
      upsertions: [
        { name: 'alice', mechanism: 2, iterations: 4096, salt, saltedPassword: pbkdf2Sync('alice-secret', salt, 4096, 64, 'sha512') },
        { name: 'bob', mechanism: 2, iterations: 4096, salt, saltedPassword: pbkdf2Sync('bob-secret', salt, 4096, 64, 'sha512') },
      ],
    });
    await wire.close();
    assert.deepEqual(
      altered.results.map((r) => r.errorCode),
      [0, 0],
    );
    const described = await kafkaToolOk('kafka-configs', [...base, '--describe', '--entity-type', 'users']);
    assert.match(
      described.stdout,
      /SCRAM credential configs for user-principal 'alice' are SCRAM-SHA-256=iterations=8192, SCRAM-SHA-512=iterations=4096/,
    );
    assert.match(described.stdout, /SCRAM credential configs for user-principal 'bob' are SCRAM-SHA-512=iterations=4096/);
    assert.deepEqual(
      broker.core.sasl.credentials.describe([{ name: 'alice' }]).map((r) => r.credentialInfos),
      [
        [
          { mechanism: 1, iterations: 8192 },
          { mechanism: 2, iterations: 4096 },
        ],
      ],
    );
  });

  test('before authentication: ApiVersions and SASL only, raw tokens after a v0 handshake, 512 KiB cap', async () => {
    // A Metadata request first: closed without an answer.
    const c1 = await WireClient.connect(broker.bootstrap);
    await assert.rejects(c1.send(Metadata, 12, { topics: null, allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false }));
    // ApiVersions, then a handshake for a mechanism not enabled: the enabled list, then closed.
    const c2 = await WireClient.connect(broker.bootstrap);
    await c2.send(ApiVersions, 3, { clientSoftwareName: 'wire', clientSoftwareVersion: '1' });
    const hs = await c2.send(SaslHandshake, 1, { mechanism: 'GSSAPI' });
    // Kafka lists them in its HashSet order (broker/security/sasl/settings.ts kafkaMechanismOrder).
    assert.deepEqual(hs, { errorCode: 33, mechanisms: ['PLAIN', 'SCRAM-SHA-512', 'SCRAM-SHA-256', 'OAUTHBEARER'] });
    await c2.expectClose();
    // v1 handshake then a wrong PLAIN password: 58 with Kafka's message, then closed.
    const c3 = await WireClient.connect(broker.bootstrap);
    assert.equal((await c3.send(SaslHandshake, 1, { mechanism: 'PLAIN' })).errorCode, 0);
    const auth = await c3.send(SaslAuthenticate, 2, { authBytes: Buffer.from('\u0000alice\u0000nope') });
    assert.equal(auth.errorCode, 58);
    assert.equal(auth.errorMessage, BAD_PLAIN);
    await c3.expectClose();
    // v0 handshake: the PLAIN token travels bare; the answer is a bare empty token; then Kafka requests work.
    const s = connect({ host: broker.host, port: broker.port });
    await new Promise((r) => s.once('connect', r));
    s.write(requestFrame(SaslHandshake, 0, { mechanism: 'PLAIN' }, { correlationId: 1 }));
    const hs0 = await readFrame(s);
    assert.equal(hs0.readInt32BE(0), 1); // correlation id
    assert.equal(hs0.readInt16BE(4), 0); // NONE
    s.write(sizePrefixed(Buffer.from('\u0000alice\u0000alice-secret')));
    assert.equal((await readFrame(s)).length, 0);
    s.write(requestFrame(Metadata, 1, { topics: [{ name: 't' }] }, { correlationId: 2 }));
    const md = await readFrame(s);
    assert.equal(md.readInt32BE(0), 2);
    s.destroy();
    // A frame over sasl.server.max.receive.size before authentication closes the connection.
    const big = connect({ host: broker.host, port: broker.port });
    await new Promise((r) => big.once('connect', r));
    const closed = new Promise<void>((r) => big.once('close', () => r()));
    big.on('error', () => {});
    big.write(requestFrame(SaslHandshake, 1, { mechanism: 'PLAIN' }, { correlationId: 1 }));
    await readFrame(big);
    big.write(requestFrame(SaslAuthenticate, 1, { authBytes: Buffer.alloc(600 * 1024) }, { correlationId: 2 }));
    await closed;
    // Every failure counted by mechanism.
    const metrics = await broker.core.sasl.authFigures();
    const failures = metrics.filter((f) => f.result === 'failure').reduce((n, f) => n + f.count, 0);
    assert.ok(failures >= 2, `failures counted: ${JSON.stringify(metrics)}`);
  });

  test("kafkajs: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 produce and consume; a wrong password fails with Kafka's message", async () => {
    const mechanisms = [
      { mechanism: 'plain', username: 'alice', password: 'alice-secret' },
      { mechanism: 'scram-sha-256', username: 'alice', password: 'alice-secret' },
      { mechanism: 'scram-sha-512', username: 'bob', password: 'bob-secret' },
    ] as const;
    for (const sasl of mechanisms) {
      const kafka = new Kafka({ brokers: [broker.bootstrap], sasl, logLevel: logLevel.NOTHING, retry: { retries: 1 } });
      const p = kafka.producer();
      await p.connect();
      await p.send({ topic: 'kjs', messages: [{ value: sasl.mechanism }] });
      await p.disconnect();
    }
    const kafka = new Kafka({ brokers: [broker.bootstrap], sasl: mechanisms[1], logLevel: logLevel.NOTHING });
    const c = kafka.consumer({ groupId: 'kjs-g' });
    await c.connect();
    await c.subscribe({ topic: 'kjs', fromBeginning: true });
    const seen: string[] = [];
    await new Promise<void>((resolve) => {
      void c.run({
        eachMessage: async ({ message }) => {
          seen.push(message.value!.toString());
          if (seen.length === 3) resolve();
        },
      });
    });
    await c.disconnect();
    assert.deepEqual(seen, ['plain', 'scram-sha-256', 'scram-sha-512']);
    for (const [sasl, message] of [
      [{ mechanism: 'plain', username: 'alice', password: 'wrong' }, BAD_PLAIN],
      [{ mechanism: 'scram-sha-256', username: 'alice', password: 'wrong' }, badScram('SCRAM-SHA-256')],
      [{ mechanism: 'scram-sha-512', username: 'nobody', password: 'x' }, badScram('SCRAM-SHA-512')],
    ] as const) {
      const k = new Kafka({ brokers: [broker.bootstrap], sasl, logLevel: logLevel.NOTHING, retry: { retries: 0 } });
      const admin = k.admin();
      await assert.rejects(admin.connect(), (err: Error) => err.message.includes(message));
    }
  });

  test('kcat (librdkafka): PLAIN and SCRAM-SHA-512 produce and consume, a wrong password fails', async () => {
    requireTool(() => hasCommand('kcat'), 'kcat');
    const auth = (m: string, u: string, p: string) => [
      '-X',
      'security.protocol=SASL_PLAINTEXT',
      '-X',
      `sasl.mechanism=${m}`,
      '-X',
      `sasl.username=${u}`,
      '-X',
      `sasl.password=${p}`,
    ];
    const produce = await run('kcat', ['-b', broker.bootstrap, ...auth('PLAIN', 'alice', 'alice-secret'), '-P', '-t', 'kcat', '-p', '0'], {
      input: 'one\ntwo\n',
    });
    assert.equal(produce.code, 0, produce.stderr);
    const consume = await run('kcat', [
      '-b',
      broker.bootstrap,
      ...auth('SCRAM-SHA-512', 'alice', 'alice-secret'),
      '-C',
      '-t',
      'kcat',
      '-o',
      'beginning',
      '-c',
      '2',
      '-e',
    ]);
    assert.equal(consume.code, 0, consume.stderr);
    assert.deepEqual(consume.stdout.trim().split('\n'), ['one', 'two']);
    const bad = await run('kcat', ['-b', broker.bootstrap, ...auth('SCRAM-SHA-256', 'alice', 'wrong'), '-L', '-m', '2']);
    assert.notEqual(bad.code, 0);
    assert.match(
      bad.stderr,
      /SASL authentication error: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256/,
    );
  });

  test('confluent-kafka (Debian librdkafka): SCRAM-SHA-256 and OAUTHBEARER unsecured JWT', async () => {
    const out = await python<{ values: string[]; oauth: string[] }>(
      `
import json, sys
from confluent_kafka import Producer, Consumer, TopicPartition
b = sys.argv[1]
def roundtrip(conf, tag):
    p = Producer({'bootstrap.servers': b, **conf})
    for i in range(3): p.produce('py', value=f'{tag}{i}'.encode(), partition=0)
    assert p.flush(20) == 0
    c = Consumer({'bootstrap.servers': b, 'group.id': 'g-' + tag, **conf})
    c.assign([TopicPartition('py', 0, 0)])
    vals = []
    while len(vals) < 3:
        m = c.poll(10)
        assert m is not None, 'timed out'
        if m.error(): raise Exception(m.error())
        if m.value().decode().startswith(tag): vals.append(m.value().decode())
    c.close()
    return vals
scram = {'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'SCRAM-SHA-256', 'sasl.username': 'alice', 'sasl.password': 'alice-secret'}
oauth = {'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'OAUTHBEARER', 'sasl.oauthbearer.config': 'principal=alice scope=read', 'enable.sasl.oauthbearer.unsecure.jwt': True}
print(json.dumps({'values': roundtrip(scram, 's'), 'oauth': roundtrip(oauth, 'o')}))
`,
      broker.bootstrap,
    );
    assert.deepEqual(out, { values: ['s0', 's1', 's2'], oauth: ['o0', 'o1', 'o2'] });
  });

  test('kafka-python (PyPI): PLAIN and SCRAM-SHA-512', async () => {
    const out = await venvPython<{ version: string; values: string[] }>(
      `
import json, sys, time, kafka
from kafka import KafkaProducer, KafkaConsumer, TopicPartition
b = sys.argv[1]
vals = []
for mech, user, pw in [('PLAIN', 'alice', 'alice-secret'), ('SCRAM-SHA-512', 'bob', 'bob-secret')]:
    conf = dict(bootstrap_servers=b, security_protocol='SASL_PLAINTEXT', sasl_mechanism=mech, sasl_plain_username=user, sasl_plain_password=pw)
    p = KafkaProducer(**conf)
    p.send('kp', value=mech.encode(), partition=0).get(timeout=20)
    p.close()
    c = KafkaConsumer(**conf)
    c.assign([TopicPartition('kp', 0)]); c.seek_to_beginning()
    got, deadline = [], time.time() + 20
    while mech not in got and time.time() < deadline:
        for recs in c.poll(timeout_ms=500).values(): got += [m.value.decode() for m in recs]
    vals.append(got[-1])
    c.close()
print(json.dumps({'version': kafka.__version__, 'values': vals}))
`,
      broker.bootstrap,
    );
    console.log(`kafka-python ${out.version}`);
    assert.deepEqual(out.values, ['PLAIN', 'SCRAM-SHA-512']);
  });

  test('franz-go: sasl/plain and sasl/scram produce and consume, a wrong password fails', async () => {
    const ok = await franz<{ values: string[] }>('sasl', broker.bootstrap, [
      '-mechanism',
      'plain',
      '-user',
      'alice',
      '-password',
      'alice-secret',
      '-topic',
      'franz',
      '-n',
      '2',
    ]);
    assert.deepEqual(ok.values, ['plain-0', 'plain-1']);
    const scram = await franz<{ values: string[] }>('sasl', broker.bootstrap, [
      '-mechanism',
      'scram-sha-512',
      '-user',
      'bob',
      '-password',
      'bob-secret',
      '-topic',
      'franz2',
      '-n',
      '2',
    ]);
    assert.deepEqual(scram.values, ['scram-sha-512-0', 'scram-sha-512-1']);
    const bad = await franz<{ error: string; message: string }>('sasl', broker.bootstrap, [
      '-mechanism',
      'scram-sha-256',
      '-user',
      'alice',
      '-password',
      'bad',
      '-topic',
      'franz',
    ]);
    assert.equal(bad.error, 'SASL_AUTHENTICATION_FAILED');
    assert.match(bad.message, /invalid credentials with SASL mechanism SCRAM-SHA-256/);
  });

  test('the Java client: PLAIN, SCRAM-SHA-256/512, OAUTHBEARER round trips; wrong passwords', async () => {
    const r = await javaOk([
      join(JAVA_PROGRAMS, 'SaslClients.java'),
      broker.bootstrap,
      'roundtrip,PLAIN,alice,alice-secret,java-p',
      'roundtrip,SCRAM-SHA-256,alice,alice-secret,java-s256',
      'roundtrip,SCRAM-SHA-512,bob,bob-secret,java-s512',
      'roundtrip,OAUTHBEARER,carol,-,java-o',
      'bad-password,PLAIN,alice,wrong',
      'bad-password,SCRAM-SHA-512,bob,wrong',
    ]);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, 6);
    for (const [i, m] of ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'OAUTHBEARER'].entries()) {
      assert.deepEqual(
        lines[i]!.values,
        [0, 1, 2, 3, 4].map((n) => `${m}-${n}`),
      );
    }
    assert.deepEqual(lines[4], { scenario: 'bad-password', mechanism: 'PLAIN', error: 'SaslAuthenticationException', message: BAD_PLAIN });
    assert.deepEqual(lines[5], {
      scenario: 'bad-password',
      mechanism: 'SCRAM-SHA-512',
      error: 'SaslAuthenticationException',
      message: badScram('SCRAM-SHA-512'),
    });
    const principals = broker.core.sasl
      .authFigures()
      .filter((f) => f.result === 'success')
      .map((f) => f.mechanism);
    assert.ok(principals.includes('OAUTHBEARER'));
  });
});
