// Kafka 4.4's cluster administration tools against Apache Kafka 4.4.0 and kafkalite:
// kafka-metadata-quorum (describe, add-controller, remove-controller), kafka-features
// (describe, upgrade, downgrade, disable; transaction.version switching the Java producer
// between transactions v1 and v2; levels kept across a restart), kafka-reassign-partitions
// (--execute, --verify, log directories) with one node and with simulated nodes, kafka-log-dirs
// and kafka-cluster unregister. Where both can be asked, both get the same command and print
// the same thing (cluster ids, ports, offsets and times set aside).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { ConsumerGroupHeartbeat, Metadata } from '../../protocol/messages/index.js';
import { WireClient } from '../integration/wire-client.js';
import { JAVA_PROGRAMS, javaOk, startKafka, type RealKafka } from '../jvm/kafka.js';
import { kafkaTool, kafkaToolOk } from '../jvm/tools.js';
import { createTopic, type Side } from './v44-pair.js';

const T = { timeout: 240_000 };

let kafka: RealKafka;
let lite: Broker;
let dataDir: string;
const sides = (): Array<[string, string]> => [
  ['kafka', kafka.bootstrap],
  ['kafkalite', lite.bootstrap],
];
const clients: WireClient[] = [];
const side = (name: 'kafka' | 'kafkalite', bootstrap: string): Side => ({
  name,
  bootstrap,
  ids: new Map(),
  async client() {
    const c = await WireClient.connect(bootstrap);
    clients.push(c);
    return c;
  },
});

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kafkalite-admin-'));
  [kafka, lite] = await Promise.all([startKafka(), startBroker({ dataDir, config: { 'node.id': 1 } })]);
  for (const [name, b] of sides()) await createTopic(side(name as 'kafka' | 'kafkalite', b), 'moved', 2);
  await Promise.all(clients.map((c) => c.close()));
});
after(async () => {
  await Promise.all([kafka?.stop(), lite?.stop()]);
  rmSync(dataDir, { recursive: true, force: true });
});

/** What differs between two clusters by nature: cluster ids, ports, offsets and times (and so the column widths). */
function comparable(text: string, clusterId: string): string {
  return (clusterId ? text.replaceAll(clusterId, '<cluster>') : text)
    .replace(/:\d{2,5}\b/g, ':<port>')
    .replace(/(HighWatermark:\s+)\d+/, '$1<offset>')
    .replace(/\b1\d{12}\b/g, '<time>')
    .replace(/^(1\s+\S+\s+)\d+(\s+)/m, '$1<offset>$2')
    .replace(/[ \t]+/g, ' ');
}

/** Runs a tool against both brokers (one JVM at a time: the machine is shared). */
async function both(tool: Parameters<typeof kafkaTool>[0], args: (bootstrap: string) => string[]) {
  const out: Record<string, { code: number | null; stdout: string; stderr: string }> = {};
  for (const [name, b] of sides()) out[name] = await kafkaTool(tool, args(b));
  return { kafka: out.kafka!, kafkalite: out.kafkalite! };
}

/** The first line, without the time stamp a log line starts with. */
const firstLine = (s: string) => (s.trim().split('\n')[0] ?? '').replace(/^\[[^\]]*\] /, '');
/** Each broker's log directory named as `<dir>`. */
const dirsAsked = (s: string) => s.replaceAll(kafka.dataDir, '<dir>').replaceAll(dataDir, '<dir>');

test(
  'kafka-metadata-quorum describe --status and --replication: the node leads a one-voter quorum, as Kafka 4.4 prints it',
  T,
  async () => {
    const status = await both('kafka-metadata-quorum', (b) => ['--bootstrap-server', b, 'describe', '--status']);
    assert.equal(status.kafkalite.code, 0, status.kafkalite.stderr);
    assert.match(status.kafkalite.stdout, /LeaderId:\s+1\n/);
    assert.match(status.kafkalite.stdout, /CurrentVoters:\s+\[\{"id": 1, "endpoints": \["CONTROLLER:\/\/127\.0\.0\.1:\d+"\]\}\]/);
    assert.match(status.kafkalite.stdout, /CurrentObservers:\s+\[\]/);
    assert.equal(comparable(status.kafkalite.stdout, lite.clusterId), comparable(status.kafka.stdout, 'kafkaliteOracleClust'));

    const replication = await both('kafka-metadata-quorum', (b) => ['--bootstrap-server', b, 'describe', '--replication']);
    assert.equal(replication.kafkalite.code, 0, replication.kafkalite.stderr);
    assert.match(replication.kafkalite.stdout, /^1\s+AAAAAAAAAAAAAAAAAAAAAA\s+\d+\s+0\s+\d+\s+\d+\s+Leader/m);
    assert.equal(comparable(replication.kafkalite.stdout, lite.clusterId), comparable(replication.kafka.stdout, ''));
  },
);

test('kafka-metadata-quorum with three simulated nodes: the first leads, the other two are observers', T, async () => {
  const three = await startBroker({ nodes: 3 });
  try {
    const status = await kafkaToolOk('kafka-metadata-quorum', ['--bootstrap-server', three.bootstrap, 'describe', '--status']);
    assert.match(status.stdout, /LeaderId:\s+1\n/);
    assert.match(status.stdout, /CurrentObservers:\s+\[\{"id": 2\}, \{"id": 3\}\]/);
  } finally {
    await three.stop();
  }
});

test('kafka-metadata-quorum add-controller and remove-controller: a static quorum refuses both, with the same error', T, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kafkalite-controller-'));
  try {
    // The controller to add: its properties and a formatted metadata log directory (its directory id).
    const logDir = join(dir, 'metadata');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(logDir);
    writeFileSync(
      join(logDir, 'meta.properties'),
      'version=1\ncluster.id=kafkaliteOracleClust\nnode.id=2\ndirectory.id=bm9kZTItZGlyZWN0b3J5MQ\n',
    );
    const props = join(dir, 'controller.properties');
    writeFileSync(
      props,
      `process.roles=controller\nnode.id=2\ncontroller.listener.names=CONTROLLER\nlisteners=CONTROLLER://127.0.0.1:19093\nmetadata.log.dir=${logDir}\n`,
    );
    const add = await both('kafka-metadata-quorum', (b) => ['--bootstrap-server', b, '--command-config', props, 'add-controller']);
    assert.equal(add.kafkalite.code, add.kafka.code);
    assert.notEqual(add.kafkalite.code, 0);
    assert.match(add.kafkalite.stderr, /Cluster doesn't support adding voter because the kraft.version feature is 0/);
    assert.equal(firstLine(add.kafkalite.stderr), firstLine(add.kafka.stderr));

    const remove = await both('kafka-metadata-quorum', (b) => [
      '--bootstrap-server',
      b,
      'remove-controller',
      '--controller-id',
      '1',
      '--controller-directory-id',
      'bm9kZTEtZGlyZWN0b3J5MQ',
    ]);
    assert.equal(remove.kafkalite.code, remove.kafka.code);
    assert.match(remove.kafkalite.stderr, /Cluster doesn't support removing voter because the kraft.version feature is 0/);
    assert.equal(firstLine(remove.kafkalite.stderr), firstLine(remove.kafka.stderr));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('kafka-cluster unregister: an unknown broker id fails as in Kafka 4.4', T, async () => {
  const r = await both('kafka-cluster', (b) => ['unregister', '--bootstrap-server', b, '--id', '7']);
  assert.notEqual(r.kafkalite.code, 0);
  assert.equal(r.kafkalite.code, r.kafka.code);
  assert.match(r.kafkalite.stdout + r.kafkalite.stderr, /Broker ID 7 is not currently registered/);
  assert.equal(firstLine(r.kafkalite.stdout + r.kafkalite.stderr), firstLine(r.kafka.stdout + r.kafka.stderr));
});

async function runTxV2(bootstrap: string, topic: string): Promise<unknown> {
  const out = await javaOk([join(JAVA_PROGRAMS, 'TxV2.java'), bootstrap, topic, `${topic}-group`], { timeoutMs: 120_000 });
  return JSON.parse(out.stdout.trim().split('\n').pop()!) as unknown;
}

test('kafka-features downgrade transaction.version=1: the Java producer 4.4 takes transactions v1; upgrade to 2: v2 again', T, async () => {
  const down = await both('kafka-features', (b) => ['--bootstrap-server', b, 'downgrade', '--feature', 'transaction.version=1']);
  assert.equal(down.kafkalite.stdout, down.kafka.stdout);
  assert.match(down.kafkalite.stdout, /transaction.version was downgraded to 1\./);
  const described = await kafkaToolOk('kafka-features', ['--bootstrap-server', lite.bootstrap, 'describe']);
  assert.match(
    described.stdout,
    /Feature: transaction.version\s+SupportedMinVersion: 0\s+SupportedMaxVersion: 2\s+FinalizedVersionLevel: 1\s/,
  );

  lite.core.topics.create('tv1', { partitions: 2 });
  let recording = lite.requests.record();
  assert.deepEqual(await runTxV2(lite.bootstrap, 'tv1'), { values: ['one-0', 'one-1', 'one-2', 'three-0'], groupOffset: 7 });
  let seen = recording.stop();
  const versions = (api: string) => [...new Set(seen.filter((e) => e.api === api).map((e) => e.version))];
  assert.ok(versions('EndTxn').every((v) => v <= 4) && versions('EndTxn').length > 0, `EndTxn ${versions('EndTxn')}`);
  assert.ok(versions('AddPartitionsToTxn').length > 0, 'transactions v1 add partitions with AddPartitionsToTxn');

  const up = await both('kafka-features', (b) => ['--bootstrap-server', b, 'upgrade', '--feature', 'transaction.version=2']);
  assert.equal(up.kafkalite.stdout, up.kafka.stdout);
  assert.match(up.kafkalite.stdout, /transaction.version was upgraded to 2\./);
  lite.core.topics.create('tv2', { partitions: 2 });
  recording = lite.requests.record();
  assert.deepEqual(await runTxV2(lite.bootstrap, 'tv2'), { values: ['one-0', 'one-1', 'one-2', 'three-0'], groupOffset: 7 });
  seen = recording.stop();
  assert.deepEqual(versions('EndTxn'), [5]);
  assert.deepEqual(versions('AddPartitionsToTxn'), []);
});

test('kafka-features: refused changes print what Kafka 4.4 prints; group.version disabled stays disabled across a restart', T, async () => {
  for (const args of [
    ['downgrade', '--metadata', '4.3-IV0'],
    ['upgrade', '--feature', 'foo.version=1'],
    ['upgrade', '--feature', 'transaction.version=3'],
    ['downgrade', '--feature', 'transaction.version=1', '--dry-run'],
  ]) {
    const r = await both('kafka-features', (b) => ['--bootstrap-server', b, ...args]);
    assert.equal(r.kafkalite.stdout, r.kafka.stdout, args.join(' '));
    assert.equal(r.kafkalite.code, r.kafka.code, args.join(' '));
  }

  await kafkaToolOk('kafka-features', ['--bootstrap-server', lite.bootstrap, 'disable', '--feature', 'group.version']);
  await lite.stop();
  lite = await startBroker({ dataDir, config: { 'node.id': 1 } });
  assert.equal(lite.core.features.level('group.version'), 0);
  const c = await WireClient.connect(lite.bootstrap);
  try {
    const res = await c.send(ConsumerGroupHeartbeat, 1, {
      groupId: 'g',
      memberId: 'AAAAAAAAAAAAAAAAAAAAAQ',
      memberEpoch: 0,
      instanceId: null,
      rackId: null,
      rebalanceTimeoutMs: 30_000,
      subscribedTopicNames: ['moved'],
      subscribedTopicRegex: null,
      serverAssignor: null,
      topicPartitions: [],
    });
    assert.equal(res.errorCode, 35);
  } finally {
    await c.close();
  }
  await kafkaToolOk('kafka-features', ['--bootstrap-server', lite.bootstrap, 'upgrade', '--feature', 'group.version=1']);
  assert.equal(lite.core.features.level('group.version'), 1);
});

function plan(dir: string, moves: Array<{ partition: number; replicas: number[]; log_dirs?: string[] }>, topic = 'moved'): string {
  const file = join(dir, `plan-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({ version: 1, partitions: moves.map((m) => ({ topic, ...m })) }));
  return file;
}

test(
  'kafka-reassign-partitions --execute/--verify on one node: to itself completes, to a missing broker fails, as in Kafka 4.4',
  T,
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafkalite-reassign-'));
    try {
      const toSelf = plan(dir, [
        { partition: 0, replicas: [1] },
        { partition: 1, replicas: [1] },
      ]);
      const exec = await both('kafka-reassign-partitions', (b) => [
        '--bootstrap-server',
        b,
        '--reassignment-json-file',
        toSelf,
        '--execute',
      ]);
      assert.equal(exec.kafkalite.code, 0, exec.kafkalite.stderr);
      assert.equal(dirsAsked(exec.kafkalite.stdout), dirsAsked(exec.kafka.stdout));
      assert.match(exec.kafkalite.stdout, /Successfully started partition reassignments for moved-0,moved-1/);
      const verify = await both('kafka-reassign-partitions', (b) => [
        '--bootstrap-server',
        b,
        '--reassignment-json-file',
        toSelf,
        '--verify',
      ]);
      assert.equal(verify.kafkalite.stdout, verify.kafka.stdout);
      assert.match(verify.kafkalite.stdout, /Reassignment of partition moved-0 is completed\./);

      const missing = plan(dir, [{ partition: 0, replicas: [2] }]);
      const bad = await both('kafka-reassign-partitions', (b) => [
        '--bootstrap-server',
        b,
        '--reassignment-json-file',
        missing,
        '--execute',
      ]);
      assert.notEqual(bad.kafkalite.code, 0);
      assert.equal(bad.kafkalite.code, bad.kafka.code);
      assert.equal(firstLine(bad.kafkalite.stderr), firstLine(bad.kafka.stderr));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test('kafka-reassign-partitions with log_dirs: AlterReplicaLogDirs to our one directory succeeds; kafka-log-dirs agrees', T, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kafkalite-reassign-'));
  try {
    const described = await kafkaToolOk('kafka-log-dirs', ['--bootstrap-server', lite.bootstrap, '--describe', '--topic-list', 'moved']);
    const json = JSON.parse(described.stdout.trim().split('\n').pop()!) as {
      brokers: Array<{ broker: number; logDirs: Array<{ logDir: string; partitions: Array<{ partition: string }> }> }>;
    };
    const logDir = json.brokers[0]!.logDirs[0]!.logDir;
    assert.equal(logDir, lite.core.store.kind === 'disk' ? dataDir : 'memory');
    assert.deepEqual(json.brokers[0]!.logDirs[0]!.partitions.map((p) => p.partition).sort(), ['moved-0', 'moved-1']);
    const withDir = plan(dir, [{ partition: 0, replicas: [1], log_dirs: [logDir] }]);
    const exec = await kafkaTool('kafka-reassign-partitions', [
      '--bootstrap-server',
      lite.bootstrap,
      '--reassignment-json-file',
      withDir,
      '--execute',
    ]);
    assert.equal(exec.code, 0, exec.stdout + exec.stderr);
    assert.ok(
      exec.stdout.includes(`Successfully started moving log directory to ${logDir} for replica moved-0 with broker 1`),
      exec.stdout,
    );
    const elsewhere = plan(dir, [{ partition: 0, replicas: [1], log_dirs: [join(dir, 'elsewhere')] }]);
    const refused = await kafkaTool('kafka-reassign-partitions', [
      '--bootstrap-server',
      lite.bootstrap,
      '--reassignment-json-file',
      elsewhere,
      '--execute',
    ]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stdout + refused.stderr, /LogDirNotFoundException|log directory/i);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('kafka-reassign-partitions with three simulated nodes: the partition moves to the node named, and Metadata says so', T, async () => {
  const three = await startBroker({ nodes: 3, topics: { spread: 1 } });
  const dir = mkdtempSync(join(tmpdir(), 'kafkalite-reassign-'));
  try {
    const from = three.core.topics.get('spread')!.partitions[0]!.leaderId;
    const to = from === 1 ? 3 : 1;
    const moves = plan(dir, [{ partition: 0, replicas: [to] }], 'spread');
    const exec = await kafkaToolOk('kafka-reassign-partitions', [
      '--bootstrap-server',
      three.bootstrap,
      '--reassignment-json-file',
      moves,
      '--execute',
    ]);
    assert.match(exec.stdout, new RegExp(`"replicas":\\[${from}\\]`));
    const verify = await kafkaToolOk('kafka-reassign-partitions', [
      '--bootstrap-server',
      three.bootstrap,
      '--reassignment-json-file',
      moves,
      '--verify',
    ]);
    assert.match(verify.stdout, /Reassignment of partition spread-0 is completed\./);
    const c = await WireClient.connect(three.bootstrap);
    try {
      const md = await c.send(Metadata, 12, { topics: [{ name: 'spread', topicId: undefined }], allowAutoTopicCreation: false });
      const p = md.topics[0]!.partitions[0]!;
      assert.equal(p.leaderId, to);
      assert.deepEqual(p.replicaNodes, [to]);
      assert.equal(p.leaderEpoch, 1);
    } finally {
      await c.close();
    }
    // Replicas are simulated nodes now (broker/replication/): a second replica is added and joins the ISR.
    const twoReplicas = plan(dir, [{ partition: 0, replicas: [to, from] }], 'spread');
    const added = await kafkaToolOk('kafka-reassign-partitions', [
      '--bootstrap-server',
      three.bootstrap,
      '--reassignment-json-file',
      twoReplicas,
      '--execute',
    ]);
    assert.match(added.stdout, /Successfully started partition reassignment for spread-0/);
    await three.waitFor.isr('spread', 0, 2);
    const c2 = await WireClient.connect(three.bootstrap);
    try {
      const md = await c2.send(Metadata, 12, { topics: [{ name: 'spread', topicId: undefined }], allowAutoTopicCreation: false });
      const p = md.topics[0]!.partitions[0]!;
      assert.deepEqual([p.leaderId, p.replicaNodes, [...p.isrNodes].sort()], [to, [to, from], [to, from].sort()]);
    } finally {
      await c2.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await three.stop();
  }
});
