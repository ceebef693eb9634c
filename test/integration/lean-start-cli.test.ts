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
import { Metadata, OffsetFetch, ShareGroupDescribe } from '../../protocol/messages/index.js';
import { REPO_ROOT, startCli, tempDir } from './helpers.js';
import { SgMember } from './share-group-client.js';
import { WireClient } from './wire-client.js';

interface Metafile {
  outputs: Record<string, { imports: Array<{ path: string; kind: string }>; inputs: Record<string, unknown> }>;
}

/** The bundle's input files in what dist/bin/kafkalite.js imports statically (what loads at start). */
function startInputs(): Set<string> {
  const meta = JSON.parse(readFileSync(join(REPO_ROOT, 'dist', 'cli', 'metafile.json'), 'utf8')) as Metafile;
  const entry = Object.keys(meta.outputs).find((k) => k.endsWith('bin/kafkalite.js'))!;
  const seen = new Set<string>();
  const todo = [entry];
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

  test('the start bundle leaves out the group, transaction and share coordinators', () => {
    const inputs = startInputs();
    assert.ok(inputs.has('dist/broker/core.js'), 'the walk reaches the broker core');
    for (const f of [
      'dist/broker/coordinators.js',
      'dist/broker/groups/coordinator.js',
      'dist/broker/txn/coordinator.js',
      'dist/broker/share/manager.js',
    ])
      assert.ok(!inputs.has(f), `${f} is not loaded at start`);
  });

  test('after a cold start, transactions, consumer groups and share groups work; offsets survive a restart', async () => {
    const data = join(dir.path, 'cold');
    const overrides = ['--override', 'group.initial.rebalance.delay.ms=0', '--override', 'auto.create.topics.enable=false'];
    let cli = await startCli(['--data-dir', data, ...overrides]);
    let stopped = false;
    try {
      // Metadata first, as a client does: it needs nothing of the group side.
      const wire = await WireClient.connect(cli.bootstrap);
      const md = await wire.send(Metadata, 12, { topics: null, allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false });
      assert.deepEqual(md.topics, []);

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
});
