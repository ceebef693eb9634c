// ACLs against Apache Kafka 4.4.0 and kafkalite, both with StandardAuthorizer and
// allow.everyone.if.no.acl.found=true (so User:ANONYMOUS, the PLAINTEXT principal, may manage
// ACLs while there are none on the cluster):
//   - Kafka's kafka-acls tool (AclCommand) --add, --list and --remove print the same on both, and
//     kafkalite's ACLs outlive a restart (kafkalite-acls.json in the data directory);
//   - with ACLs for User:ANONYMOUS (Read but not Write on a topic, every operation denied on a
//     group and on another topic), two independent clients (confluent-kafka/librdkafka from
//     Python, kafkajs) get the same authorization failures and the same topic listing (the denied
//     topic hidden) from both brokers.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker, type Broker } from '../../broker/index.js';
import { python } from '../integration/helpers.js';
import { startKafka, type RealKafka } from '../jvm/kafka.js';
import { kafkaTool, kafkaToolOk } from '../jvm/tools.js';
import { ACLS_CONFIG } from './scenarios/acls.js';

const T = { timeout: 240_000 };
let kafka: RealKafka;
let lite: Broker;
let dataDir: string;
const liteOptions = () => ({ dataDir, config: { 'node.id': 1, ...ACLS_CONFIG } });

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kafkalite-acls-'));
  [kafka, lite] = await Promise.all([startKafka({ config: ACLS_CONFIG }), startBroker(liteOptions())]);
});
after(async () => {
  await Promise.all([kafka?.stop(), lite?.stop()]);
  rmSync(dataDir, { recursive: true, force: true });
});

const sides = (): Array<['kafka' | 'kafkalite', string]> => [
  ['kafka', kafka.bootstrap],
  ['kafkalite', lite.bootstrap],
];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** AclCommand prints ACLs from sets: compare the lines sorted, blank lines dropped. */
const lines = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .sort();

/** `kafka-acls --list` once the broker shows `count` ACL lines (Kafka applies new ACLs asynchronously). */
async function listed(bootstrap: string, args: string[], count: number): Promise<string> {
  for (let i = 0; ; i++) {
    const r = await kafkaToolOk('kafka-acls', ['--bootstrap-server', bootstrap, '--list', ...args]);
    const n = lines(r.stdout).filter((l) => l.startsWith('(principal=')).length;
    if (n === count || i >= 10) return r.stdout;
    await sleep(500);
  }
}

test('kafka-acls --add, --list, --remove print the same for Kafka 4.4 and kafkalite; the ACLs survive a restart', T, async () => {
  // One JVM per command, so few commands: one resource pattern per kind of ACL.
  const add = [
    ['--add', '--allow-principal', 'User:alice', '--operation', 'Read', '--topic', 'cli-t', '--group', 'cli-g'],
    [
      '--add',
      '--deny-principal',
      'User:mallory',
      '--deny-host',
      '10.0.0.7',
      '--operation',
      'Write',
      '--topic',
      'cli-',
      '--resource-pattern-type',
      'prefixed',
    ],
  ];
  const out: Record<string, string[]> = { kafka: [], kafkalite: [] };
  for (const [name, b] of sides()) {
    for (const args of add) {
      const r = await kafkaToolOk('kafka-acls', ['--bootstrap-server', b, ...args]);
      // "Adding ACLs for resource ..." and its entries; the "Current ACLs" that follow may lag on Kafka.
      out[name]!.push(r.stdout.split('Current ACLs')[0]!);
    }
    out[name]!.push(await listed(b, [], 3));
  }
  assert.deepEqual(out.kafkalite!.map(lines), out.kafka!.map(lines));
  assert.match(out.kafkalite![2]!, /ResourcePattern\(resourceType=TOPIC, name=cli-, patternType=PREFIXED\)/);
  assert.match(out.kafkalite![2]!, /\(principal=User:mallory, host=10\.0\.0\.7, operation=WRITE, permissionType=DENY\)/);

  // A restart keeps them.
  await lite.stop();
  lite = await startBroker(liteOptions());
  assert.deepEqual(lines(await listed(lite.bootstrap, [], 3)), lines(out.kafkalite![2]!));

  const removed: Record<string, string[]> = {};
  for (const [name, b] of sides()) {
    const r = await kafkaTool('kafka-acls', ['--bootstrap-server', b, '--remove', '--force', '--topic', 'cli-t', '--group', 'cli-g']);
    assert.equal(r.code, 0, r.stderr);
    removed[name] = lines(await listed(b, [], 1));
  }
  assert.deepEqual(removed.kafkalite, removed.kafka);
  assert.equal(removed.kafkalite!.filter((l) => l.startsWith('(principal=')).length, 1);
});

const CONFLUENT = `
import sys, json
from confluent_kafka import Producer, Consumer, TopicPartition
from confluent_kafka.admin import AdminClient
b = sys.argv[1]
out = {}
errors = []
p = Producer({'bootstrap.servers': b, 'message.send.max.retries': 0})
p.produce('cl-ro', b'x', on_delivery=lambda err, msg: errors.append(err.name() if err else 'ok'))
p.flush(20)
out['produce'] = errors
c = Consumer({'bootstrap.servers': b, 'group.id': 'cl-g-ok', 'enable.auto.commit': False})
c.assign([TopicPartition('cl-ro', 0, 0)])
values = []
for _ in range(40):
    m = c.poll(0.5)
    if m is not None and not m.error():
        values.append(m.value().decode())
    if len(values) == 2:
        break
c.close()
out['read'] = values
g = Consumer({'bootstrap.servers': b, 'group.id': 'cl-g-denied', 'auto.offset.reset': 'earliest'})
g.subscribe(['cl-ro'])
gerr = None
for _ in range(40):
    m = g.poll(0.5)
    if m is not None and m.error():
        gerr = m.error().name()
        break
g.close()
out['group'] = gerr
md = AdminClient({'bootstrap.servers': b}).list_topics(timeout=10)
out['topics'] = sorted(t for t in md.topics if t.startswith('cl-'))
print(json.dumps(out))
`;

test(
  'User:ANONYMOUS ACLs: confluent-kafka and kafkajs get the same authorization failures and hidden topics from Kafka 4.4 and kafkalite',
  T,
  async () => {
    const results: Record<string, unknown> = {};
    for (const [name, b] of sides()) {
      const client = new Kafka({ clientId: 'acl-test', brokers: [b], logLevel: logLevel.NOTHING, retry: { retries: 2 } });
      const admin = client.admin();
      await admin.connect();
      await admin.createTopics({ topics: ['cl-ro', 'cl-hidden', 'cl-open'].map((topic) => ({ topic, numPartitions: 1 })) });
      const producer = client.producer();
      await producer.connect();
      await producer.send({ topic: 'cl-ro', messages: [{ value: 'a' }, { value: 'b' }] });
      // Read (which implies Describe) but not Write on cl-ro; nothing on cl-hidden or cl-g-denied.
      await kafkaToolOk('kafka-acls', [
        '--bootstrap-server',
        b,
        '--add',
        '--allow-principal',
        'User:ANONYMOUS',
        '--operation',
        'Read',
        '--topic',
        'cl-ro',
      ]);
      await kafkaToolOk('kafka-acls', [
        '--bootstrap-server',
        b,
        '--add',
        '--deny-principal',
        'User:ANONYMOUS',
        '--operation',
        'All',
        '--topic',
        'cl-hidden',
        '--group',
        'cl-g-denied',
      ]);
      await listed(b, ['--principal', 'User:ANONYMOUS'], 3);

      const kafkajs: Record<string, unknown> = {};
      kafkajs.produce = await producer.send({ topic: 'cl-ro', messages: [{ value: 'c' }] }).then(
        () => 'ok',
        (e: { type?: string; name?: string }) => e.type ?? e.name,
      );
      kafkajs.topics = (await admin.listTopics()).filter((t) => t.startsWith('cl-')).sort();
      kafkajs.groupOffsets = await admin.fetchOffsets({ groupId: 'cl-g-denied', topics: ['cl-ro'] }).then(
        () => 'ok',
        (e: { type?: string; name?: string }) => e.type ?? e.name,
      );
      await producer.disconnect();
      await admin.disconnect();
      results[name] = { kafkajs, confluent: await python(CONFLUENT, b, 120_000) };
    }
    assert.deepEqual(results.kafkalite, results.kafka);
    const lite = results.kafkalite as { kafkajs: Record<string, unknown>; confluent: Record<string, unknown> };
    assert.equal(lite.kafkajs.produce, 'TOPIC_AUTHORIZATION_FAILED');
    assert.deepEqual(lite.kafkajs.topics, ['cl-open', 'cl-ro']);
    assert.deepEqual(lite.confluent.produce, ['TOPIC_AUTHORIZATION_FAILED']);
    assert.deepEqual(lite.confluent.read, ['a', 'b']);
    assert.equal(lite.confluent.group, 'GROUP_AUTHORIZATION_FAILED');
    assert.deepEqual(lite.confluent.topics, ['cl-open', 'cl-ro']);
  },
);
