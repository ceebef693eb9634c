// The SASL mechanisms x clients matrix (issue 13): ONE in-process broker with a SASL_SSL listener
// (the test kit's throwaway CA) and a SASL_PLAINTEXT listener; every client produces three records
// and reads them back with PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 and OAUTHBEARER (Kafka's unsecured
// JWTs) over each listener. Clients: the Java client (one JVM for all its cells), librdkafka through
// confluent-kafka twice (Debian's build and PyPI's), kafka-python, kafkajs, @platformatic/kafka and
// franz-go (test/go/franz/sasl-matrix.go). Each client's row runs in one process where it can, and
// the rows run side by side. The matrix is printed with each client's version, then every cell is
// asserted: no client lacks a mechanism here, so there is no cell to leave out.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Consumer, Producer, stringDeserializers, stringSerializers } from '@platformatic/kafka';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import { startBroker, type Broker } from '../../broker/index.js';
import { SCRAM_MECHANISMS } from '../../broker/security/scram-credentials.js';
import { franz } from '../go/franz.js';
import { JAVA_PROGRAMS, javaOk } from '../jvm/kafka.js';
import { venvInterpreter } from '../python/venv.js';
import { REPO_ROOT, run } from './helpers.js';

const PROTOCOLS = ['SASL_SSL', 'SASL_PLAINTEXT'] as const;
const MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'OAUTHBEARER'] as const;
type Protocol = (typeof PROTOCOLS)[number];
type Mechanism = (typeof MECHANISMS)[number];
const USER = 'alice';
const PASSWORD = 'alice-secret';
const JAAS = `org.apache.kafka.common.security.plain.PlainLoginModule required username="${USER}" password="${PASSWORD}" user_${USER}="${PASSWORD}";`;

interface Cell {
  protocol: Protocol;
  mechanism: Mechanism;
  bootstrap: string;
  topic: string;
  tag: string;
}
/** A row's outcome per tag: the values read back, or the error. */
type Outcome = Record<string, string[] | string>;

/** An unsecured JWT as Kafka's OAuthBearerUnsecuredJws reads it: alg none, sub, iat, exp, no signature. */
function unsecuredJwt(sub: string): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${b64({ alg: 'none' })}.${b64({ sub, iat: now, exp: now + 3600 })}.`;
}

const expected = (tag: string) => [0, 1, 2].map((i) => `${tag}-${i}`);

const CONFLUENT = `
import json, sys, confluent_kafka
from confluent_kafka import Producer, Consumer, TopicPartition
a = json.loads(sys.argv[1])
out = {}
for cell in a['cells']:
    conf = {'bootstrap.servers': cell['bootstrap'], 'security.protocol': cell['protocol'], 'sasl.mechanism': cell['mechanism']}
    if cell['protocol'] == 'SASL_SSL': conf['ssl.ca.location'] = a['ca']
    if cell['mechanism'] == 'OAUTHBEARER':
        conf.update({'sasl.oauthbearer.config': 'principal=' + a['user'], 'enable.sasl.oauthbearer.unsecure.jwt': True})
    else:
        conf.update({'sasl.username': a['user'], 'sasl.password': a['password']})
    try:
        p = Producer(conf)
        for i in range(3): p.produce(cell['topic'], value=f"{cell['tag']}-{i}".encode(), partition=0)
        if p.flush(20) != 0: raise Exception('not delivered')
        c = Consumer({**conf, 'group.id': 'mx', 'enable.auto.commit': False})
        c.assign([TopicPartition(cell['topic'], 0, 0)])
        vals = []
        while len(vals) < 3:
            m = c.poll(10)
            if m is None: raise Exception('timed out')
            if m.error(): raise Exception(str(m.error()))
            if m.value().decode().startswith(cell['tag'] + '-'): vals.append(m.value().decode())
        c.close()
        out[cell['tag']] = vals
    except Exception as e:
        out[cell['tag']] = repr(e)
v = confluent_kafka.version()
v = v[0] if isinstance(v, tuple) else v
print(json.dumps({'version': 'confluent-kafka %s, librdkafka %s' % (v, confluent_kafka.libversion()[0]), 'outcome': out}))
`;

const KAFKA_PYTHON = `
import json, sys, time, kafka
from kafka import KafkaProducer, KafkaConsumer, TopicPartition
from kafka.net.sasl.oauth import AbstractTokenProvider
a = json.loads(sys.argv[1])
class Token(AbstractTokenProvider):
    def token(self): return a['jwt']
out = {}
for cell in a['cells']:
    conf = dict(bootstrap_servers=cell['bootstrap'], security_protocol=cell['protocol'], sasl_mechanism=cell['mechanism'])
    if cell['protocol'] == 'SASL_SSL': conf['ssl_cafile'] = a['ca']
    if cell['mechanism'] == 'OAUTHBEARER': conf['sasl_oauth_token_provider'] = Token()
    else: conf.update(sasl_plain_username=a['user'], sasl_plain_password=a['password'])
    try:
        p = KafkaProducer(**conf)
        for i in range(3): p.send(cell['topic'], value=f"{cell['tag']}-{i}".encode(), partition=0).get(timeout=20)
        p.close()
        c = KafkaConsumer(**conf)
        c.assign([TopicPartition(cell['topic'], 0)]); c.seek_to_beginning()
        vals, deadline = [], time.time() + 20
        while len(vals) < 3 and time.time() < deadline:
            for recs in c.poll(timeout_ms=300).values():
                vals += [m.value.decode() for m in recs if m.value.decode().startswith(cell['tag'] + '-')]
        c.close()
        out[cell['tag']] = vals
    except Exception as e:
        out[cell['tag']] = repr(e)
print(json.dumps({'version': 'kafka-python ' + kafka.__version__, 'outcome': out}))
`;

describe('SASL mechanisms x clients over SASL_SSL and SASL_PLAINTEXT, one broker', () => {
  let broker: Broker;
  const bootstrapOf = (p: Protocol) => broker.listeners.find((l) => l.protocol === p)!.bootstrap;
  const cells = (client: string): Cell[] =>
    PROTOCOLS.flatMap((protocol) =>
      MECHANISMS.map((mechanism) => ({
        protocol,
        mechanism,
        bootstrap: bootstrapOf(protocol),
        topic: `mx-${client}`,
        tag: `${protocol}-${mechanism}`,
      })),
    );

  before(async () => {
    broker = await startBroker({
      security: 'sasl_ssl',
      topics: Object.fromEntries(
        ['java', 'rdkafka-debian', 'rdkafka-pypi', 'kafka-python', 'kafkajs', 'platformatic', 'franz'].map((c) => [`mx-${c}`, 1]),
      ),
      config: {
        listeners: 'SASL_SSL://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0',
        'inter.broker.listener.name': 'SASL_SSL',
        'listener.name.sasl_ssl.plain.sasl.jaas.config': JAAS,
        'listener.name.sasl_plaintext.plain.sasl.jaas.config': JAAS,
      },
    });
    for (const m of SCRAM_MECHANISMS) broker.core.sasl.credentials.seed(m, USER, PASSWORD);
  });
  after(() => broker?.stop());

  async function java(): Promise<[string, Outcome]> {
    const args = cells('java').map((c) => [c.protocol, c.bootstrap, c.mechanism, USER, PASSWORD, c.topic, c.tag].join(','));
    const r = await javaOk([join(JAVA_PROGRAMS, 'SaslMatrix.java'), broker.security!.caFile, ...args], { timeoutMs: 120_000 });
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { tag?: string; values?: string[]; message?: string; version?: string });
    const outcome: Outcome = {};
    for (const l of lines) if (l.tag) outcome[l.tag] = l.values ?? `${l.message}`;
    return [`Java client ${lines.at(-1)!.version}`, outcome];
  }

  async function librdkafka(interpreter: string, client: string): Promise<[string, Outcome]> {
    const arg = JSON.stringify({ cells: cells(client), ca: broker.security!.caFile, user: USER, password: PASSWORD });
    const r = await run(interpreter, ['-c', CONFLUENT, arg], { timeoutMs: 120_000 });
    if (r.code !== 0) throw new Error(`${client}: python exited ${r.code}\n${r.stderr}`);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { version: string; outcome: Outcome };
    return [`${out.version} (${client.replace('rdkafka-', '')})`, out.outcome];
  }

  async function kafkaPython(): Promise<[string, Outcome]> {
    const arg = JSON.stringify({
      cells: cells('kafka-python'),
      ca: broker.security!.caFile,
      user: USER,
      password: PASSWORD,
      jwt: unsecuredJwt(USER),
    });
    const r = await run(await venvInterpreter(), ['-c', KAFKA_PYTHON, arg], { timeoutMs: 120_000 });
    if (r.code !== 0) throw new Error(`kafka-python exited ${r.code}\n${r.stderr}`);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { version: string; outcome: Outcome };
    return [out.version, out.outcome];
  }

  async function kafkajs(): Promise<[string, Outcome]> {
    const outcome: Outcome = {};
    for (const c of cells('kafkajs')) {
      const sasl: SASLOptions =
        c.mechanism === 'OAUTHBEARER'
          ? { mechanism: 'oauthbearer', oauthBearerProvider: async () => ({ value: unsecuredJwt(USER) }) }
          : ({ mechanism: c.mechanism.toLowerCase(), username: USER, password: PASSWORD } as SASLOptions);
      const kafka = new Kafka({
        brokers: [c.bootstrap],
        sasl,
        ...(c.protocol === 'SASL_SSL' ? { ssl: { ca: [broker.security!.caPem] } } : {}),
        logLevel: logLevel.NOTHING,
        retry: { retries: 2 },
      });
      try {
        const p = kafka.producer();
        await p.connect();
        await p.send({ topic: c.topic, messages: expected(c.tag).map((value) => ({ value, partition: 0 })) });
        await p.disconnect();
        const consumer = kafka.consumer({ groupId: `mx-${c.tag}` });
        await consumer.connect();
        await consumer.subscribe({ topic: c.topic, fromBeginning: true });
        const seen: string[] = [];
        await new Promise<void>((resolve) => {
          void consumer.run({
            eachMessage: async ({ message }) => {
              const v = message.value!.toString();
              if (v.startsWith(`${c.tag}-`)) seen.push(v);
              if (seen.length === 3) resolve();
            },
          });
        });
        await consumer.disconnect();
        outcome[c.tag] = seen;
      } catch (err) {
        outcome[c.tag] = String(err);
      }
    }
    const version = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', 'kafkajs', 'package.json'), 'utf8')).version as string;
    return [`kafkajs ${version}`, outcome];
  }

  async function platformatic(): Promise<[string, Outcome]> {
    const outcome: Outcome = {};
    for (const c of cells('platformatic')) {
      const common = {
        bootstrapBrokers: [c.bootstrap],
        sasl:
          c.mechanism === 'OAUTHBEARER'
            ? { mechanism: c.mechanism, token: unsecuredJwt(USER) }
            : { mechanism: c.mechanism, username: USER, password: PASSWORD },
        ...(c.protocol === 'SASL_SSL' ? { tls: { ca: broker.security!.caPem } } : {}),
        retries: 2,
      };
      try {
        const p = new Producer({ ...common, clientId: 'mx-platformatic', serializers: stringSerializers });
        await p.send({ messages: expected(c.tag).map((value) => ({ topic: c.topic, value, partition: 0 })) });
        await p.close();
        const consumer = new Consumer({
          ...common,
          clientId: 'mx-platformatic',
          groupId: `mx-p-${c.tag}`,
          deserializers: stringDeserializers,
        });
        const stream = await consumer.consume({ topics: [c.topic], mode: 'earliest', autocommit: false });
        const seen: string[] = [];
        await new Promise<void>((resolve, reject) => {
          stream.on('error', reject);
          stream.on('data', (m) => {
            if (String(m.value).startsWith(`${c.tag}-`)) seen.push(String(m.value));
            if (seen.length === 3) resolve();
          });
        });
        await stream.close();
        await consumer.close(true);
        outcome[c.tag] = seen;
      } catch (err) {
        outcome[c.tag] = String(err);
      }
    }
    const version = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', '@platformatic', 'kafka', 'package.json'), 'utf8'))
      .version as string;
    return [`@platformatic/kafka ${version}`, outcome];
  }

  async function franzGo(): Promise<[string, Outcome]> {
    const outcome: Outcome = {};
    let version = '';
    for (const c of cells('franz')) {
      const auth = c.mechanism === 'OAUTHBEARER' ? ['-token', unsecuredJwt(USER)] : ['-user', USER, '-password', PASSWORD];
      const tls = c.protocol === 'SASL_SSL' ? ['-ca', broker.security!.caFile] : [];
      const r = await franz<{ version: string; values?: string[]; message?: string }>('sasl-matrix', c.bootstrap, [
        '-mechanism',
        c.mechanism.toLowerCase(),
        ...auth,
        ...tls,
        '-topic',
        c.topic,
        '-tag',
        c.tag,
      ]);
      version = r.version;
      outcome[c.tag] = r.values ?? `${r.message}`;
    }
    return [`franz-go ${version}`, outcome];
  }

  test('every mechanism with every client over both listeners: produce and consume round trips', async () => {
    // Each row's wall time is printed with it (the rows run side by side).
    const timed = async (row: Promise<[string, Outcome]>): Promise<[string, Outcome]> => {
      const t0 = performance.now();
      const [name, outcome] = await row;
      return [`${name} (${((performance.now() - t0) / 1000).toFixed(1)} s)`, outcome];
    };
    const rows = await Promise.all(
      [
        java(),
        librdkafka('/usr/bin/python3', 'rdkafka-debian'),
        librdkafka(await venvInterpreter(), 'rdkafka-pypi'),
        kafkaPython(),
        kafkajs(),
        platformatic(),
        franzGo(),
      ].map(timed),
    );
    const tags = cells('x').map((c) => c.tag);
    const table = [
      ['client', ...tags].join(' | '),
      ...rows.map(([name, outcome]) =>
        [name, ...tags.map((t) => (Array.isArray(outcome[t]) && outcome[t].length === 3 ? 'ok' : 'FAIL'))].join(' | '),
      ),
    ];
    console.log(`SASL mechanisms x clients:\n${table.join('\n')}`);
    for (const [name, outcome] of rows) {
      assert.deepEqual(outcome, Object.fromEntries(tags.map((t) => [t, expected(t)])), name);
    }
    // Both listeners authenticated every mechanism (the broker's own count, by mechanism).
    const succeeded = new Set(
      broker.core.sasl
        .authFigures()
        .filter((f) => f.result === 'success')
        .map((f) => f.mechanism),
    );
    for (const m of MECHANISMS) assert.ok(succeeded.has(m), m);
  });
});
