// Simulated replication (issue 18, broker/replication/) with real clients over TCP: a raw wire
// client for CreateTopics/Metadata/ElectLeaders, the test kit for follower faults, the Java
// clients 4.4.0 (test/jvm/programs/Replication.java: acks=all against min.insync.replicas, a
// consumer with client.rack), kafkajs (acks=all through a leader failover) and librdkafka
// through python3-confluent-kafka (idempotent and transactional producing to RF 3, a consumer
// with client.rack), and KIP-320 truncation detection after an unclean election by the Java
// consumer (the rest of truncation: replication-truncation.test.ts). One 3-node broker, racks
// a/b/c, for the whole file.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import type { Broker } from '../../broker/index.js';
import { connectControl, type ControlServer } from '../../broker/control/index.js';
import { CreateTopics, DescribeLogDirs, ElectLeaders, Metadata, Produce } from '../../protocol/messages/index.js';
import { buildBatch } from '../../protocol/records/index.js';
import { hasPythonModule, python, requireTool } from './helpers.js';
import { javaProgram, line } from './java-helpers.js';
import { fetchPartition0, startReplicated, stopReplicated } from './replication-helpers.js';
import { WireClient } from './wire-client.js';

const RACKS = ['rack-a', 'rack-b', 'rack-c'];

describe('simulated replication (RF 3 over 3 nodes)', () => {
  let broker: Broker;
  let control: ControlServer;
  let client: WireClient;

  before(async () => {
    ({ broker, control, client } = await startReplicated({
      racks: RACKS,
      config: {
        'replica.selector.class': 'org.apache.kafka.common.replica.RackAwareReplicaSelector',
        'replica.lag.time.max.ms': '1000',
        'offsets.topic.replication.factor': '3',
      },
      topics: {
        acked: { partitions: 1, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } },
        racked: { partitions: 1, replicationFactor: 3 },
        moving: { partitions: 1, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } },
        frozen: { partitions: 1, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } },
        truncated: { partitions: 1, replicationFactor: 3, configs: { 'unclean.leader.election.enable': 'true' } },
      },
    }));
  });
  after(() => stopReplicated({ client, control, broker }));

  const partition = (topic: string) => broker.core.topics.partition(topic, 0)!;
  const metadata = async (topic: string) =>
    (await client.send(Metadata, 12, { topics: [{ name: topic, topicId: undefined }], allowAutoTopicCreation: false })).topics[0]!;

  test('CreateTopics: RF 3 striped over the nodes, shown in Metadata; RF 4 refused with Kafka’s message', async () => {
    const res = await client.send(CreateTopics, 7, {
      topics: [
        { name: 'three', numPartitions: 3, replicationFactor: 3, assignments: [], configs: [] },
        { name: 'four', numPartitions: 1, replicationFactor: 4, assignments: [], configs: [] },
        { name: 'manual', numPartitions: -1, replicationFactor: -1, assignments: [{ partitionIndex: 0, brokerIds: [3, 1] }], configs: [] },
      ],
      timeoutMs: 30_000,
      validateOnly: false,
    });
    const byName = new Map(res.topics.map((t) => [t.name, t]));
    assert.deepEqual([byName.get('three')!.errorCode, byName.get('three')!.replicationFactor], [0, 3]);
    assert.deepEqual(
      [byName.get('four')!.errorCode, byName.get('four')!.errorMessage],
      [
        38,
        'Unable to replicate the partition 4 time(s): The target replication factor of 4 cannot be reached because only 3 broker(s) are registered or some brokers have all their log directories cordoned.',
      ],
    );
    assert.deepEqual([byName.get('manual')!.errorCode, byName.get('manual')!.replicationFactor], [0, 2]);

    const three = await metadata('three');
    const leaders = new Set<number>();
    for (const p of three.partitions) {
      assert.equal(p.replicaNodes.length, 3);
      assert.deepEqual([...p.replicaNodes].sort(), [1, 2, 3]);
      assert.deepEqual(p.isrNodes, p.replicaNodes);
      assert.equal(p.leaderId, p.replicaNodes[0]);
      leaders.add(p.leaderId);
    }
    assert.equal(leaders.size, 3, 'leaders striped over the nodes');
    const manual = (await metadata('manual')).partitions[0]!;
    assert.deepEqual([manual.leaderId, manual.replicaNodes, manual.isrNodes], [3, [3, 1], [3, 1]]);
    // Each node's log dir lists the partitions it has a replica of, led or followed.
    const node2 = await WireClient.connect(broker.brokers[1]!);
    try {
      const dirs = await node2.send(DescribeLogDirs, 4, { topics: null });
      const listed = (name: string) => dirs.results[0]!.topics.find((t) => t.name === name)?.partitions.map((p) => p.partitionIndex);
      assert.deepEqual(listed('three'), [0, 1, 2]);
      assert.equal(listed('manual'), undefined);
    } finally {
      await node2.close();
    }
  });

  test('a paused follower holds the high watermark back, leaves the ISR after replica.lag.time.max.ms, rejoins when resumed', async () => {
    const p = partition('racked');
    const follower = p.replicaSet.replicas[1]!;
    broker.nodes.pause(follower);
    try {
      const start = p.log.logEndOffset;
      broker.produce('racked', ['one', 'two']);
      assert.equal(p.log.logEndOffset, start + 2);
      assert.equal(p.highWatermark, start, 'uncommitted: the paused follower lacks them');
      // Consumers see only committed records: ListOffsets latest and Fetch stop at the high watermark.
      const fp = await fetchPartition0(client, 'racked', start);
      assert.deepEqual([fp.errorCode, fp.highWatermark], [0, start]);
      assert.equal((fp.records as Buffer | null)?.length ?? 0, 0);
      assert.deepEqual(
        await broker.waitFor.isr('racked', 0, 2),
        p.replicaSet.replicas.filter((id) => id !== follower),
      );
      assert.equal(p.highWatermark, start + 2, 'the ISR without the follower has them');
      assert.deepEqual((await metadata('racked')).partitions[0]!.isrNodes, p.replicaSet.isr);
    } finally {
      broker.nodes.resume(follower);
    }
    assert.deepEqual(await broker.waitFor.isr('racked', 0, 3), p.replicaSet.replicas);
  });

  test('below min.insync.replicas the high watermark stays put (Kafka 4): records appended meanwhile stay unseen, acks=all is refused', async () => {
    const p = partition('frozen');
    const [, f1, f2] = p.replicaSet.replicas as [number, number, number];
    const start = p.highWatermark;
    broker.nodes.pause(f1);
    broker.nodes.pause(f2);
    try {
      broker.produce('frozen', ['x']);
      await broker.waitFor.isr('frozen', 0, 1);
      assert.deepEqual([p.highWatermark, p.log.logEndOffset], [start, start + 1], 'the leader alone does not commit');
      const leader = await WireClient.connect(broker.brokers[p.leaderId - 1]!);
      try {
        const res = await leader.send(Produce, 9, {
          transactionalId: null,
          acks: -1,
          timeoutMs: 300,
          topicData: [{ name: 'frozen', partitionData: [{ index: 0, records: buildBatch({ records: [{ value: Buffer.from('y') }] }) }] }],
        });
        // The ISR is below min.insync.replicas before appending: NOT_ENOUGH_REPLICAS, nothing appended.
        assert.equal(res.responses[0]!.partitionResponses[0]!.errorCode, 19);
      } finally {
        await leader.close();
      }
      assert.equal(p.log.logEndOffset, start + 1);
    } finally {
      broker.nodes.resume(f1);
      broker.nodes.resume(f2);
    }
    await broker.waitFor.isr('frozen', 0, 3);
    assert.equal(p.highWatermark, start + 1);
  });

  test('over HTTP: a lagging follower (POST /nodes/{id}/lag) leaves the ISR shown by GET /partitions/{topic}, and rejoins', async () => {
    const http = connectControl(control.url);
    const p = partition('racked');
    const follower = p.replicaSet.replicas[2]!;
    await http.nodes.lag(follower, 1500);
    try {
      assert.equal((await http.nodes.list()).find((n) => n.nodeId === follower)?.lagMs, 1500);
      await http.produce('racked', [{ value: 'late', partition: 0 }]);
      assert.deepEqual(await http.waitFor.isr('racked', 0, 2), p.replicaSet.replicas.slice(0, 2));
      const [described] = await http.partitions.describe('racked');
      assert.deepEqual(
        [described!.isr, described!.replicas, described!.highWatermark],
        [p.replicaSet.replicas.slice(0, 2), p.replicaSet.replicas, p.log.logEndOffset],
      );
    } finally {
      await http.nodes.lag(follower, 0);
    }
    await http.waitFor.isr('racked', 0, 3);
    assert.deepEqual((await http.partitions.describe('racked'))[0]!.isr, p.replicaSet.replicas);
  });

  test('Java clients 4.4.0: acks=all with min.insync.replicas=2 gets NOT_ENOUGH_REPLICAS with two nodes down; consumers with client.rack read from their rack’s follower; consumers detect an unclean election’s truncation (KIP-320)', async () => {
    const p = partition('acked');
    const [, f1, f2] = p.replicaSet.replicas;
    broker.produce('racked', ['r0', 'r1', 'r2']);
    const racked = partition('racked');
    const follower = racked.replicaSet.replicas[2]!;
    const leader = racked.leaderId;
    const rack = RACKS[follower - 1]!;
    const count = racked.highWatermark;
    const recording = broker.requests.record({ api: 'Fetch' });
    const offsetsForEpoch = broker.requests.record({ api: 'OffsetForLeaderEpoch' });
    const lines = await javaProgram('Replication', broker.bootstrap, [
      `rack,racked,${rack},${count}`,
      `minisr,acked,${control.url},${f1},${f2}`,
      `truncation,truncated,${control.url}`,
    ]);
    recording.stop();
    offsetsForEpoch.stop();
    // The truncation scenario took nodes down (the bootstrap one among them): a fresh connection.
    await client.close();
    client = await WireClient.connect(broker.bootstrap);
    // The unclean election: the lagging replica leads with a, b only; the epoch went up twice
    // (the other in-sync replica first, then the lagging one), and c, d (offsets 2-3) are gone.
    const t = line(lines, 'scenario', 'truncation');
    const { lagging } = t;
    const epoch = t.start.leaderEpoch;
    assert.deepEqual(t.before, [
      ['0:a', '1:b', '2:c', '3:d'],
      ['0:a', '1:b', '2:c', '3:d'],
    ]);
    assert.deepEqual([t.partition.leader, t.partition.leaderEpoch, t.partition.logEndOffset], [lagging, epoch + 2, 2]);
    assert.equal(t.produced, 2, 'e written at the truncation point');
    assert.deepEqual(t.none, ['LogTruncationException:2'], 'auto.offset.reset=none: LogTruncationException at the divergent offset');
    assert.deepEqual(t.earliest, ['2:e'], 'a reset policy: the consumer resumes at the truncation point');
    // The consumers validated their position with OffsetForLeaderEpoch against the new leader (epoch of c, d → ends at 2).
    const validations = offsetsForEpoch.filter({}).filter((r) => JSON.stringify(r.request).includes('"topic":"truncated"'));
    assert.ok(
      validations.some((r) => r.node === lagging && JSON.stringify(r.response).includes(`"leaderEpoch":${epoch},"endOffset":2`)),
      JSON.stringify(validations.map((r) => r.response)),
    );
    assert.deepEqual(line(lines, 'scenario', 'minisr').results, [0, 'NotEnoughReplicasException', 1]);
    assert.equal(line(lines, 'scenario', 'rack').values.length, count);
    const fetches = recording.filter({ clientId: `java-rack-${rack}` });
    // The leader sends the consumer to the follower of its rack, which then serves the records.
    assert.ok(
      fetches.some((f) => f.node === leader && JSON.stringify(f.response).includes(`"preferredReadReplica":${follower}`)),
      'the leader answered preferred_read_replica',
    );
    assert.ok(
      fetches.some((f) => f.node === follower),
      `fetches went to node ${follower}: ${fetches.map((f) => f.node).join(',')}`,
    );
    assert.deepEqual(p.replicaSet.isr, p.replicaSet.replicas, 'the nodes came back into the ISR');
  });

  test('librdkafka (confluent-kafka): idempotent and transactional producing to RF 3; a consumer with client.rack reads from its follower', async () => {
    requireTool(() => hasPythonModule('confluent_kafka'), 'python3-confluent-kafka');
    const racked = partition('racked');
    const follower = racked.replicaSet.replicas[1]!;
    const rack = RACKS[follower - 1]!;
    const before = racked.highWatermark;
    const recording = broker.requests.record({ api: 'Fetch', clientId: 'rdkafka-rack' });
    const out = await python<{ delivered: number; committed: number; read: number; rdkafka: string }>(
      `
import json, sys
from confluent_kafka import Producer, Consumer, TopicPartition, OFFSET_BEGINNING, libversion
bs = sys.argv[1]
p = Producer({'bootstrap.servers': bs, 'enable.idempotence': True, 'acks': 'all'})
delivered = []
for i in range(5):
    p.produce('racked', value=b'idem-%d' % i, partition=0, on_delivery=lambda e, m: delivered.append(e is None))
p.flush(30)
t = Producer({'bootstrap.servers': bs, 'transactional.id': 'repl-tx', 'acks': 'all'})
t.init_transactions(30)
t.begin_transaction()
for i in range(3):
    t.produce('racked', value=b'tx-%d' % i, partition=0)
t.commit_transaction(30)
c = Consumer({'bootstrap.servers': bs, 'group.id': 'rdkafka-rack', 'client.id': 'rdkafka-rack', 'client.rack': '${rack}',
              'enable.auto.commit': False, 'isolation.level': 'read_committed'})
c.assign([TopicPartition('racked', 0, OFFSET_BEGINNING)])
read = 0
for _ in range(60):
    m = c.poll(0.5)
    if m is not None and not m.error():
        read += 1
    if read >= ${before} + 8:
        break
c.close()
print(json.dumps({'delivered': sum(delivered), 'committed': 3, 'read': read, 'rdkafka': libversion()[0]}))
`,
      broker.bootstrap,
      90_000,
    );
    recording.stop();
    assert.equal(out.delivered, 5);
    assert.equal(out.read, before + 8);
    assert.ok(racked.highWatermark >= before + 9, 'records, then a commit marker, all replicated');
    const nodes = new Set(recording.filter().map((f) => f.node));
    assert.ok(nodes.has(follower), `librdkafka ${out.rdkafka} fetched from node ${follower} (fetched from ${[...nodes].join(',')})`);
  });

  test('kafkajs: a leader going down fails over to the ISR with the epoch bumped; ElectLeaders brings the preferred leader back', async () => {
    const kafka = new Kafka({
      clientId: 'repl-kafkajs',
      brokers: [broker.bootstrap],
      logLevel: logLevel.NOTHING,
      retry: { retries: 10, initialRetryTime: 50, maxRetryTime: 300 },
    });
    const producer = kafka.producer();
    await producer.connect();
    const p = partition('moving');
    const preferred = p.replicaSet.replicas[0]!;
    // Earlier tests took nodes down: every partition gets its preferred leader back first.
    const all = await client.send(ElectLeaders, 2, { electionType: 0, topicPartitions: null, timeoutMs: 30_000 });
    assert.ok(all.replicaElectionResults.every((t) => t.partitionResult.every((r) => r.errorCode === 0)));
    assert.equal(p.leaderId, preferred);
    const epoch = p.leaderEpoch;
    // Talk to a node that stays up.
    await client.close();
    client = await WireClient.connect(broker.brokers[p.replicaSet.replicas[1]! - 1]!);
    try {
      await producer.send({ topic: 'moving', acks: -1, messages: [{ partition: 0, value: 'before' }] });
      const { moved } = await broker.nodes.down(preferred);
      assert.ok(moved >= 1);
      const md = (await metadata('moving')).partitions[0]!;
      assert.deepEqual([md.leaderId, md.leaderEpoch], [p.replicaSet.replicas[1], epoch + 1]);
      assert.deepEqual(md.offlineReplicas, [preferred]);
      assert.ok(!md.isrNodes.includes(preferred));
      await producer.send({ topic: 'moving', acks: -1, messages: [{ partition: 0, value: 'during' }] });

      const unavailable = await client.send(ElectLeaders, 2, {
        electionType: 0,
        topicPartitions: [{ topic: 'moving', partitions: [0] }],
        timeoutMs: 30_000,
      });
      assert.deepEqual(unavailable.replicaElectionResults[0]!.partitionResult[0], {
        partitionId: 0,
        errorCode: 80,
        errorMessage: 'The preferred leader was not available.',
      });
      await broker.nodes.up(preferred);
      assert.equal(p.leaderId, p.replicaSet.replicas[1], 'coming back does not move leadership by itself');
      assert.deepEqual(p.replicaSet.isr.length, 3);
      const elected = await client.send(ElectLeaders, 2, {
        electionType: 0,
        topicPartitions: [{ topic: 'moving', partitions: [0] }],
        timeoutMs: 30_000,
      });
      assert.deepEqual(elected.replicaElectionResults[0]!.partitionResult[0], { partitionId: 0, errorCode: 0, errorMessage: null });
      assert.deepEqual([p.leaderId, p.leaderEpoch], [preferred, epoch + 2]);
      // The other partitions the node led moved too: a null list elects them back, then nothing is left to elect.
      const rest = await client.send(ElectLeaders, 2, { electionType: 0, topicPartitions: null, timeoutMs: 30_000 });
      const listed = (r: typeof rest) => r.replicaElectionResults.filter((t) => t.partitionResult.length > 0).map((t) => t.topic);
      assert.ok(listed(rest).length > 0 && !listed(rest).includes('moving'));
      const again = await client.send(ElectLeaders, 2, { electionType: 0, topicPartitions: null, timeoutMs: 30_000 });
      assert.deepEqual(listed(again), [], 'every partition has its preferred leader (topics listed empty, as Kafka does)');
      assert.ok(again.replicaElectionResults.some((t) => t.topic === 'moving'));
      await producer.send({ topic: 'moving', acks: -1, messages: [{ partition: 0, value: 'after' }] });
      assert.equal(p.highWatermark, p.log.logEndOffset);
    } finally {
      await producer.disconnect();
      await broker.nodes.up(preferred);
    }
    // A client reconnects after the node went down under it.
    await client.close();
    client = await WireClient.connect(broker.bootstrap);
  });
});
