// The CLI's lean start (issue 15, broker/coordinators.ts): `kafkalite start` on a fresh data
// directory does not load the group side (group, transaction and share coordinators) before its
// port opens; the first request that may reach it makes it. Real clients after a cold start see a
// working broker: a kafkajs transaction and consumer group, a share group member, and the
// committed offsets again after a restart (the group side then replays `__consumer_offsets` at start).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { ErrorCode } from '../../protocol/errors.js';
import { GetTelemetrySubscriptions, Metadata, OffsetFetch, ShareGroupDescribe } from '../../protocol/messages/index.js';
import { REPO_ROOT, startCli, tempDir } from './helpers.js';
import { SgMember } from './share-group-client.js';
import { WireClient } from './wire-client.js';

interface Metafile {
  outputs: Record<string, { imports: Array<{ path: string; kind: string }>; inputs: Record<string, unknown> }>;
}

/**
 * The bundle's input files in what `kafkalite start` on a data directory loads: what
 * dist/cli/kafkalite.js (which dist/bin/kafkalite.js runs) imports statically, and the disk store
 * (broker/start.ts imports it when the store opens) with what it imports statically.
 */
function startInputs(): Set<string> {
  const meta = JSON.parse(readFileSync(join(REPO_ROOT, 'dist', 'cli', 'metafile.json'), 'utf8')) as Metafile;
  const chunkOf = (suffix: string) => Object.keys(meta.outputs).find((k) => Object.keys(meta.outputs[k]!.inputs).includes(suffix))!;
  const entry = Object.keys(meta.outputs).find((k) => k.endsWith('cli/kafkalite.js'))!;
  const seen = new Set<string>();
  const todo = [entry, chunkOf('dist/storage/disk-store.js')];
  while (todo.length > 0) {
    const out = todo.pop()!;
    if (seen.has(out)) continue;
    seen.add(out);
    for (const i of meta.outputs[out]!.imports) if (i.kind === 'import-statement' && meta.outputs[i.path]) todo.push(i.path);
  }
  return new Set([...seen].flatMap((o) => Object.keys(meta.outputs[o]!.inputs)));
}

const kafkaOf = (bootstrap: string) =>
  new Kafka({ clientId: 'lean-start', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 8 } });

describe('the CLI lean start', () => {
  const dir = tempDir();
  after(() => dir.remove());

  test('the start bundle leaves out the group, transaction and share coordinators and the memory store', () => {
    const inputs = startInputs();
    assert.ok(inputs.has('dist/broker/core.js'), 'the walk reaches the broker core');
    assert.ok(inputs.has('dist/storage/log-manager.js'), 'the walk reaches the disk store');
    for (const f of [
      // In-process only: broker/index.ts re-exports it, the CLI imports broker/start.ts.
      'dist/storage/memory-store.js',
      'dist/storage/fs/memory-fs.js',
      // Loaded at start only with a SASL listener (broker/security/sasl/exchange.ts).
      'dist/broker/security/sasl/exchange.js',
      'dist/broker/security/sasl/session.js',
      'dist/broker/security/sasl/settings.js',
      'dist/broker/security/sasl/scram.js',
      'dist/broker/security/sasl/plain.js',
      'dist/broker/security/sasl/oauthbearer.js',
      'dist/broker/security/sasl/refusal-bodies.js',
      // Made at the first GetTelemetrySubscriptions or PushTelemetry (BrokerCore.clientTelemetry()).
      'dist/broker/telemetry/manager.js',
      'dist/broker/telemetry/otlp.js',
      'dist/broker/groups/coordinator.js',
      'dist/broker/txn/coordinator.js',
      'dist/broker/share/manager.js',
    ])
      assert.ok(!inputs.has(f), `${f} is not loaded at start`);
  });

  test('after a cold start, telemetry, transactions, consumer groups and share groups work; offsets survive a restart', async () => {
    const data = join(dir.path, 'cold');
    const overrides = ['--override', 'group.initial.rebalance.delay.ms=0', '--override', 'auto.create.topics.enable=false'];
    let cli = await startCli(['--data-dir', data, ...overrides]);
    let stopped = false;
    try {
      // Metadata first, as a client does: it needs nothing of the group side.
      const wire = await WireClient.connect(cli.bootstrap);
      const md = await wire.send(Metadata, 12, { topics: null, allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false });
      assert.deepEqual(md.topics, []);

      // KIP-714: the first GetTelemetrySubscriptions makes the telemetry manager; a second Get within
      // the push interval is refused as Kafka's ClientMetricsManager refuses it.
      const sub = await wire.send(GetTelemetrySubscriptions, 0, { clientInstanceId: 'AAAAAAAAAAAAAAAAAAAAAA' });
      assert.equal(sub.errorCode, 0);
      assert.notEqual(sub.clientInstanceId, 'AAAAAAAAAAAAAAAAAAAAAA');
      assert.deepEqual(sub.requestedMetrics, ['*']);
      const early = await wire.send(GetTelemetrySubscriptions, 0, { clientInstanceId: sub.clientInstanceId });
      assert.equal(early.errorCode, ErrorCode.THROTTLING_QUOTA_EXCEEDED);

      const kafka = kafkaOf(cli.bootstrap);
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 2 }] });
      await admin.disconnect();

      // InitProducerId, AddPartitionsToTxn, EndTxn: the transaction coordinator made at its first request.
      const producer = kafka.producer({ transactionalId: 'lean-tx', idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      const tx = await producer.transaction();
      await tx.send({ topic: 'orders', messages: [0, 1, 2, 3].map((i) => ({ partition: i % 2, value: `v${i}` })) });
      await tx.commit();
      await producer.disconnect();

      // FindCoordinator, JoinGroup, SyncGroup, OffsetCommit.
      const consumer = kafka.consumer({ groupId: 'lean-group' });
      await consumer.connect();
      await consumer.subscribe({ topic: 'orders', fromBeginning: true });
      const values: string[] = [];
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            eachMessage: async ({ message }) => {
              values.push(message.value!.toString());
              if (values.length === 4) resolve();
            },
          })
          .catch(reject);
      });
      await consumer.commitOffsets([
        { topic: 'orders', partition: 0, offset: '2' },
        { topic: 'orders', partition: 1, offset: '2' },
      ]);
      await consumer.disconnect();
      assert.deepEqual(values.sort(), ['v0', 'v1', 'v2', 'v3']);

      // ShareGroupHeartbeat, ShareGroupDescribe: a share member joins (its partitions come at a
      // later heartbeat, after share.assignment.interval.ms: share-groups-heartbeat.test.ts).
      const member = new SgMember(wire, 'lean-share', ['orders']);
      const joined = await member.join();
      assert.equal(joined.errorCode, 0, joined.errorMessage ?? '');
      assert.equal(joined.memberEpoch, 2, 'a new group is at epoch 1, the join bumps it');
      const described = await wire.send(ShareGroupDescribe, 1, { groupIds: ['lean-share'], includeAuthorizedOperations: false });
      assert.deepEqual(
        described.groups[0]!.members.map((m) => m.memberId),
        [member.memberId],
      );
      await wire.close();

      assert.equal(await cli.stop(), 0);
      stopped = true;
      // The data directory now holds `__consumer_offsets`: the group side replays it at start.
      cli = await startCli(['--data-dir', data, ...overrides]);
      stopped = false;
      const again = await WireClient.connect(cli.bootstrap);
      const res = await again.send(OffsetFetch, 6, {
        groupId: 'lean-group',
        topics: [{ name: 'orders', partitionIndexes: [0, 1] }],
        requireStable: false,
      });
      await again.close();
      assert.deepEqual(
        res.topics[0]!.partitions.map((p) => p.committedOffset),
        [2, 2],
      );
    } finally {
      if (!stopped) await cli.stop();
    }
  });

  test("a cold CLI start with a SASL_PLAINTEXT listener: kafkajs logs in with PLAIN; a wrong password gets Kafka's refusal", async () => {
    const jaas =
      'org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin-secret" user_admin="admin-secret";';
    const cli = await startCli([
      '--data-dir',
      join(dir.path, 'sasl'),
      '--override',
      'listeners=SASL_PLAINTEXT://127.0.0.1:0',
      '--override',
      'inter.broker.listener.name=SASL_PLAINTEXT',
      '--override',
      'sasl.enabled.mechanisms=PLAIN',
      '--override',
      `listener.name.sasl_plaintext.plain.sasl.jaas.config=${jaas}`,
    ]);
    try {
      const login = (password: string) =>
        new Kafka({
          clientId: 'lean-sasl',
          brokers: [cli.bootstrap],
          logLevel: logLevel.NOTHING,
          retry: { retries: 0 },
          sasl: { mechanism: 'plain', username: 'admin', password },
        }).admin();
      const admin = login('admin-secret');
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: 'sasl-orders', numPartitions: 1 }] });
      assert.deepEqual(await admin.listTopics(), ['sasl-orders']);
      await admin.disconnect();
      const refused = login('wrong');
      await assert.rejects(refused.connect(), /Authentication failed: Invalid username or password/);
    } finally {
      assert.equal(await cli.stop(), 0);
    }
  });
});
