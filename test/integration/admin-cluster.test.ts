// The cluster administration APIs with simulated nodes (startBroker({ nodes: 3 })), where the
// Kafka 4.4 oracle (test/oracle/scenarios/admin.ts, a single node) cannot follow: the quorum
// seen from several nodes and after a failover, reassignments between nodes, the registration
// APIs, and feature levels through UpdateFeatures, ApiVersions and the test kit's reset().

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import {
  AlterPartitionReassignments,
  AlterReplicaLogDirs,
  ApiVersions,
  DescribeQuorum,
  ListPartitionReassignments,
  Metadata,
  UnregisterBroker,
  UnregisterController,
  UpdateFeatures,
} from '../../protocol/messages/index.js';
import { WireClient } from './wire-client.js';

let broker: Broker;
let client: WireClient;
before(async () => {
  broker = await startBroker({ nodes: 3, topics: { spread: 3 } });
  client = await WireClient.connect(broker.bootstrap);
});
after(async () => {
  await client?.close();
  await broker?.stop();
});

const QUORUM = { topics: [{ topicName: '__cluster_metadata', partitions: [{ partitionIndex: 0 }] }] };

test('DescribeQuorum: the controller is the only voter and leads; the other nodes observe; after a failover the next node leads', async () => {
  const res = await client.send(DescribeQuorum, 2, QUORUM);
  const p = res.topics[0]!.partitions[0]!;
  assert.equal(p.errorCode, 0);
  assert.equal(p.leaderId, 1);
  assert.equal(p.leaderEpoch, 1);
  assert.deepEqual(
    p.currentVoters.map((r) => r.replicaId),
    [1],
  );
  assert.deepEqual(
    p.observers.map((r) => r.replicaId),
    [2, 3],
  );
  assert.ok(p.currentVoters.every((r) => r.logEndOffset === p.highWatermark && r.lastCaughtUpTimestamp > 0));
  const first = broker.core.cluster.node(1)!;
  assert.deepEqual(res.nodes, [{ nodeId: 1, listeners: [{ name: 'CONTROLLER', host: first.host, port: first.port }] }]);

  await broker.nodes.down(1);
  try {
    const second = await WireClient.connect(broker.brokers[1]!);
    try {
      const after = (await second.send(DescribeQuorum, 2, QUORUM)).topics[0]!.partitions[0]!;
      assert.equal(after.leaderId, 2);
      assert.deepEqual(
        after.observers.map((r) => r.replicaId),
        [3],
      );
      const un = await second.send(UnregisterController, 0, { controllerId: 2 });
      assert.deepEqual([un.errorCode, un.errorMessage], [42, 'Controller cannot unregister itself while it is active.']);
    } finally {
      await second.close();
    }
  } finally {
    await broker.nodes.up(1);
    // Node 1 going down closed our connection to it.
    await client.close();
    client = await WireClient.connect(broker.bootstrap);
  }
});

test('UnregisterController and UnregisterBroker: brokers are not controllers; a node unregistered serves on', async () => {
  const controller = await client.send(UnregisterController, 0, { controllerId: 3 });
  assert.deepEqual([controller.errorCode, controller.errorMessage], [136, 'Controller ID 3 is not currently registered.']);
  const unknown = await client.send(UnregisterBroker, 0, { brokerId: 9 });
  assert.deepEqual([unknown.errorCode, unknown.errorMessage], [102, 'Broker ID 9 is not currently registered']);
  const node = await client.send(UnregisterBroker, 0, { brokerId: 3 });
  assert.deepEqual([node.errorCode, node.errorMessage], [0, '']);
  const md = await client.send(Metadata, 12, { topics: null, allowAutoTopicCreation: false });
  assert.deepEqual(
    md.brokers.map((b) => b.nodeId),
    [1, 2, 3],
  );
});

test('AlterPartitionReassignments between simulated nodes: the partition moves at once; replicas can be added', async () => {
  const partition = broker.core.topics.get('spread')!.partitions[0]!;
  const from = partition.leaderId;
  const to = from === 2 ? 3 : 2;
  const epoch = partition.leaderEpoch;
  const send = (replicas: number[] | null, allowReplicationFactorChange = true) =>
    client.send(AlterPartitionReassignments, 1, {
      timeoutMs: 30_000,
      allowReplicationFactorChange,
      topics: [{ name: 'spread', partitions: [{ partitionIndex: 0, replicas }] }],
    });
  const moved = await send([to]);
  assert.deepEqual(moved.responses[0]!.partitions[0], { partitionIndex: 0, errorCode: 0, errorMessage: null });
  const md = await client.send(Metadata, 12, { topics: [{ name: 'spread', topicId: undefined }], allowAutoTopicCreation: false });
  const p = md.topics[0]!.partitions.find((x) => x.partitionIndex === 0)!;
  assert.deepEqual([p.leaderId, p.replicaNodes, p.isrNodes, p.leaderEpoch], [to, [to], [to], epoch + 1]);
  const listed = await client.send(ListPartitionReassignments, 0, { timeoutMs: 30_000, topics: null });
  assert.deepEqual(listed.topics, []);

  const again = await send([to]);
  assert.equal(again.responses[0]!.partitions[0]!.errorCode, 0);
  assert.equal(partition.leaderEpoch, epoch + 1, 'a reassignment to the current leader changes nothing');

  const fixed = await send([to, from], false);
  assert.deepEqual(fixed.responses[0]!.partitions[0], {
    partitionIndex: 0,
    errorCode: 38,
    errorMessage: 'The replication factor is changed from 1 to 2',
  });
  // More replicas (simulated replication): the leader stays, the new follower joins the ISR.
  const two = await send([to, from]);
  assert.deepEqual(two.responses[0]!.partitions[0], { partitionIndex: 0, errorCode: 0, errorMessage: null });
  assert.deepEqual([partition.replicaSet.replicas, partition.replicaSet.isr, partition.leaderEpoch], [[to, from], [to, from], epoch + 1]);
  assert.equal((await send([to])).responses[0]!.partitions[0]!.errorCode, 0);
  assert.equal(partition.leaderId, to);
});

test("AlterReplicaLogDirs: the memory store's one directory is 'memory'", async () => {
  const res = await client.send(AlterReplicaLogDirs, 2, {
    dirs: [
      { path: 'memory', topics: [{ name: 'spread', partitions: [1, 2] }] },
      { path: '/tmp', topics: [{ name: 'spread', partitions: [0] }] },
    ],
  });
  assert.deepEqual(res.results, [
    {
      topicName: 'spread',
      partitions: [
        { partitionIndex: 1, errorCode: 0 },
        { partitionIndex: 2, errorCode: 0 },
        { partitionIndex: 0, errorCode: 57 },
      ],
    },
  ]);
});

test('UpdateFeatures: ApiVersions shows the new level and a new epoch; the test kit reset() puts the levels back', async () => {
  const features = async () => {
    const r = await client.send(ApiVersions, 4, { clientSoftwareName: 'test', clientSoftwareVersion: '1' });
    return { epoch: r.finalizedFeaturesEpoch, levels: Object.fromEntries(r.finalizedFeatures.map((f) => [f.name, f.maxVersionLevel])) };
  };
  const before = await features();
  assert.deepEqual(before.levels, {
    'group.version': 1,
    'metadata.version': 33,
    'share.version': 2,
    'streams.version': 1,
    'transaction.version': 2,
  });
  const res = await client.send(UpdateFeatures, 2, {
    timeoutMs: 30_000,
    featureUpdates: [
      { feature: 'group.version', maxVersionLevel: 0, upgradeType: 2 },
      { feature: 'transaction.version', maxVersionLevel: 1, upgradeType: 3 },
    ],
    validateOnly: false,
  });
  assert.deepEqual([res.errorCode, res.errorMessage, res.results], [0, null, []]);
  const changed = await features();
  assert.deepEqual(changed.levels, { 'metadata.version': 33, 'share.version': 2, 'streams.version': 1, 'transaction.version': 1 });
  assert.ok(changed.epoch > before.epoch);
  await broker.reset();
  assert.deepEqual((await features()).levels, before.levels);
});
