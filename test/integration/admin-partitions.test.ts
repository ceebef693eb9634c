// Partition admin over TCP with real clients: CreatePartitions (kafkajs, confluent-kafka, wire),
// DeleteRecords (kafkajs deleteTopicRecords, then fetchTopicOffsets, kafka-python reading from
// the new start, and wire error cases), DescribeLogDirs (wire: no client here sends it),
// ElectLeaders (wire) and ListPartitionReassignments (kafkajs).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { startBroker, type Broker } from '../../broker/index.js';
import { ErrorCode } from '../../protocol/errors.js';
import {
  CreatePartitions,
  DeleteRecords,
  DescribeLogDirs,
  ElectLeaders,
  Fetch,
  ListOffsets,
  Metadata,
} from '../../protocol/messages/index.js';
import { hasPythonModule, python, requireTool } from './helpers.js';
import { WireClient } from './wire-client.js';

const ELECTION_NOT_NEEDED = 84;

async function produce(kafka: Kafka, topic: string, partition: number, count: number, size = 10): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({
      topic,
      messages: Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: `${i}`.padEnd(size, '.'), partition })),
    });
  } finally {
    await producer.disconnect();
  }
}

describe('admin partitions', () => {
  let broker: Broker;
  let kafka: Kafka;
  let admin: Admin;
  let wire: WireClient;

  before(async () => {
    broker = await startBroker();
    kafka = new Kafka({ clientId: 'admin-partitions', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    admin = kafka.admin();
    await admin.connect();
    wire = await WireClient.connect(broker.bootstrap);
  });
  after(async () => {
    await admin?.disconnect();
    await wire?.close();
    await broker?.stop();
  });

  test('kafkajs createPartitions grows a topic; the new partitions take records and show in metadata', async () => {
    await admin.createTopics({
      topics: [{ topic: 'grow', numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '5000' }] }],
    });
    await admin.createPartitions({ topicPartitions: [{ topic: 'grow', count: 3 }] });
    const md = await admin.fetchTopicMetadata({ topics: ['grow'] });
    assert.deepEqual(md.topics[0]!.partitions.map((p) => [p.partitionId, p.leader]).sort(), [
      [0, 1],
      [1, 1],
      [2, 1],
    ]);
    await produce(kafka, 'grow', 2, 5);
    const offsets = await admin.fetchTopicOffsets('grow');
    assert.deepEqual(offsets.map((o) => [o.partition, o.high]).sort(), [
      [0, '0'],
      [1, '0'],
      [2, '5'],
    ]);
    // New partitions carry the topic's settings: max.message.bytes=5000 refuses a bigger batch.
    await assert.rejects(produce(kafka, 'grow', 1, 1, 8000), (err: Error & { type?: string }) => {
      assert.match(`${err.message} ${err.type ?? ''}`, /MESSAGE_TOO_LARGE|larger than/i);
      return true;
    });
  });

  test('kafkajs createPartitions errors: decrease and same count INVALID_PARTITIONS, unknown topic; validateOnly', async () => {
    await admin.createTopics({ topics: [{ topic: 'grow-bad', numPartitions: 2 }] });
    const attempt = async (topic: string, count: number) => {
      try {
        await admin.createPartitions({ topicPartitions: [{ topic, count }] });
      } catch (err) {
        return err as Error & { type?: string };
      }
      assert.fail(`createPartitions ${topic} to ${count} succeeded`);
    };
    assert.equal((await attempt('grow-bad', 1)).type, 'INVALID_PARTITIONS');
    assert.equal((await attempt('grow-bad', 2)).type, 'INVALID_PARTITIONS');
    assert.equal((await attempt('grow-none', 4)).type, 'UNKNOWN_TOPIC_OR_PARTITION');
    await admin.createPartitions({ validateOnly: true, topicPartitions: [{ topic: 'grow-bad', count: 5 }] });
    const md = await wire.send(Metadata, 12, { topics: [{ name: 'grow-bad' }], allowAutoTopicCreation: false });
    assert.equal(md.topics[0]!.partitions.length, 2, 'validateOnly created nothing');
    const res = await wire.send(CreatePartitions, 3, {
      topics: [{ name: 'grow-bad', count: 1, assignments: null }],
      timeoutMs: 1000,
      validateOnly: false,
    });
    assert.equal(res.results[0]!.errorCode, ErrorCode.INVALID_PARTITIONS);
    assert.match(res.results[0]!.errorMessage ?? '', /currently has 2 partition\(s\); 1 would not be an increase/);
  });

  test('CreatePartitions assignments are checked: one existing node per new partition', async () => {
    await admin.createTopics({ topics: [{ topic: 'assign', numPartitions: 1 }] });
    const send = (assignments: number[][] | null, name = 'assign', count = 3) =>
      wire.send(CreatePartitions, 0, {
        topics: [{ name, count, assignments: assignments === null ? null : assignments.map((brokerIds) => ({ brokerIds })) }],
        timeoutMs: 1000,
        validateOnly: false,
      });
    const codes = async (a: number[][] | null) => (await send(a)).results.map((r) => r.errorCode);
    assert.deepEqual(await codes([[1]]), [ErrorCode.INVALID_REPLICA_ASSIGNMENT], 'two new partitions need two assignments');
    assert.deepEqual(await codes([[1], [9]]), [ErrorCode.INVALID_REPLICA_ASSIGNMENT], 'node 9 does not exist');
    assert.deepEqual(await codes([[1], [1, 1]]), [ErrorCode.INVALID_REPLICA_ASSIGNMENT], 'one replica per partition');
    assert.deepEqual(await codes([[1], []]), [ErrorCode.INVALID_REPLICA_ASSIGNMENT]);
    const twice = await wire.send(CreatePartitions, 1, {
      topics: [
        { name: 'assign', count: 2, assignments: null },
        { name: 'assign', count: 3, assignments: null },
      ],
      timeoutMs: 1000,
      validateOnly: false,
    });
    assert.deepEqual(
      twice.results.map((r) => r.errorCode),
      [ErrorCode.INVALID_REQUEST, ErrorCode.INVALID_REQUEST],
    );
    assert.equal(broker.core.topics.get('assign')!.partitions.length, 1, 'nothing was created by failed requests');
    assert.deepEqual(await codes([[1], [1]]), [0]);
    assert.equal(broker.core.topics.get('assign')!.partitions.length, 3);
  });

  test('CreatePartitions on simulated nodes: assignments pick leaders, otherwise the placement policy', async () => {
    const multi = await startBroker({ nodes: 3, topics: { spread: 1, pinned: 1 } });
    const c = await WireClient.connect(multi.bootstrap);
    try {
      const res = await c.send(CreatePartitions, 2, {
        topics: [
          { name: 'pinned', count: 3, assignments: [{ brokerIds: [3] }, { brokerIds: [2] }] },
          { name: 'spread', count: 6, assignments: null },
        ],
        timeoutMs: 1000,
        validateOnly: false,
      });
      assert.deepEqual(
        res.results.map((r) => [r.name, r.errorCode]),
        [
          ['pinned', 0],
          ['spread', 0],
        ],
      );
      const md = await c.send(Metadata, 12, { topics: [{ name: 'pinned' }, { name: 'spread' }], allowAutoTopicCreation: false });
      const leaders = (name: string) =>
        md.topics
          .find((t) => t.name === name)!
          .partitions.sort((a, b) => a.partitionIndex - b.partitionIndex)
          .map((p) => p.leaderId);
      assert.deepEqual(leaders('pinned').slice(1), [3, 2]);
      const spread = leaders('spread');
      assert.equal(new Set(spread).size, 3, `new partitions spread over the three nodes: ${spread}`);
      assert.deepEqual(
        spread,
        spread.map((_, i) => multi.core.cluster.leaderFor('spread', i)),
      );
    } finally {
      await c.close();
      await multi.stop();
    }
  });

  test('confluent-kafka create_partitions, with validate_only and an error', async () => {
    requireTool(() => hasPythonModule('confluent_kafka'), 'python3-confluent-kafka');
    await admin.createTopics({ topics: [{ topic: 'grow-ck', numPartitions: 1 }] });
    const out = await python<{ dry: string; grown: string; md: number; shrink: string }>(
      `
import sys, json
from confluent_kafka.admin import AdminClient, NewPartitions
a = AdminClient({'bootstrap.servers': sys.argv[1]})
def run(np, **kw):
    (t, f), = a.create_partitions([np], **kw).items()
    try:
        f.result(timeout=20)
        return 'ok'
    except Exception as e:
        return e.args[0].name()
dry = run(NewPartitions('grow-ck', 4), validate_only=True)
md1 = len(a.list_topics('grow-ck', timeout=10).topics['grow-ck'].partitions)
grown = run(NewPartitions('grow-ck', 4))
md = len(a.list_topics('grow-ck', timeout=10).topics['grow-ck'].partitions)
shrink = run(NewPartitions('grow-ck', 2))
print(json.dumps({'dry': dry + ':' + str(md1), 'grown': grown, 'md': md, 'shrink': shrink}))
`,
      broker.bootstrap,
    );
    assert.deepEqual(out, { dry: 'ok:1', grown: 'ok', md: 4, shrink: 'INVALID_PARTITIONS' });
  });

  test('kafkajs deleteTopicRecords moves the low watermark; readers start there', async () => {
    requireTool(() => hasPythonModule('kafka'), 'python3-kafka');
    await admin.createTopics({ topics: [{ topic: 'trim', numPartitions: 2 }] });
    await produce(kafka, 'trim', 0, 10);
    await produce(kafka, 'trim', 1, 3);
    await admin.fetchTopicMetadata({ topics: ['trim'] }); // kafkajs' deleteTopicRecords needs the leaders cached
    await admin.deleteTopicRecords({
      topic: 'trim',
      partitions: [
        { partition: 0, offset: '4' },
        { partition: 1, offset: '-1' },
      ],
    });
    const offsets = await admin.fetchTopicOffsets('trim');
    assert.deepEqual(offsets.map((o) => [o.partition, o.low, o.high]).sort(), [
      [0, '4', '10'],
      [1, '3', '3'],
    ]);
    const read = await python<number[]>(
      `
import sys, json
from kafka import KafkaConsumer, TopicPartition
c = KafkaConsumer(bootstrap_servers=sys.argv[1], consumer_timeout_ms=1000, auto_offset_reset='earliest')
c.assign([TopicPartition('trim', 0)])
print(json.dumps([m.offset for m in c]))
`,
      broker.bootstrap,
    );
    assert.deepEqual(read, [4, 5, 6, 7, 8, 9]);
    // A fetch below the new start is out of range, as is ListOffsets EARLIEST the new start.
    const fetch = await wire.send(Fetch, 11, {
      replicaId: -1,
      maxWaitMs: 0,
      minBytes: 1,
      maxBytes: 1 << 20,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [
        {
          topic: 'trim',
          partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 2, logStartOffset: -1, partitionMaxBytes: 1 << 20 }],
        },
      ],
      forgottenTopicsData: [],
      rackId: '',
    });
    assert.equal(fetch.responses[0]!.partitions[0]!.errorCode, ErrorCode.OFFSET_OUT_OF_RANGE);
    const earliest = await wire.send(ListOffsets, 5, {
      replicaId: -1,
      isolationLevel: 0,
      topics: [{ name: 'trim', partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -2 }] }],
    });
    assert.equal(earliest.topics[0]!.partitions[0]!.offset, 4);
    // Deleting below the current start changes nothing and answers the current start.
    const lower = await wire.send(DeleteRecords, 2, {
      topics: [{ name: 'trim', partitions: [{ partitionIndex: 0, offset: 1 }] }],
      timeoutMs: 1000,
    });
    assert.deepEqual(lower.topics[0]!.partitions[0], { partitionIndex: 0, lowWatermark: 4, errorCode: 0 });
  });

  test('DeleteRecords errors: beyond the high watermark, unknown partition, compacted topic', async () => {
    await admin.createTopics({
      topics: [{ topic: 'trim-bad' }, { topic: 'trim-compact', configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }],
    });
    await produce(kafka, 'trim-bad', 0, 3);
    await admin.fetchTopicMetadata({ topics: ['trim-bad'] });
    await assert.rejects(
      admin.deleteTopicRecords({ topic: 'trim-bad', partitions: [{ partition: 0, offset: '7' }] }),
      (err: Error & { cause?: { partitions?: Array<{ error: { type?: string } }> } }) => {
        // kafkajs wraps its KafkaJSDeleteTopicRecordsError (the per-partition errors) as the cause.
        assert.equal(err.cause?.partitions?.[0]?.error.type, 'OFFSET_OUT_OF_RANGE');
        return true;
      },
    );
    const res = await wire.send(DeleteRecords, 0, {
      topics: [
        {
          name: 'trim-bad',
          partitions: [
            { partitionIndex: 0, offset: 4 },
            { partitionIndex: 0, offset: -7 },
            { partitionIndex: 5, offset: 0 },
          ],
        },
        { name: 'trim-none', partitions: [{ partitionIndex: 0, offset: 0 }] },
        { name: 'trim-compact', partitions: [{ partitionIndex: 0, offset: -1 }] },
      ],
      timeoutMs: 1000,
    });
    assert.deepEqual(
      res.topics.map((t) => t.partitions.map((p) => [p.errorCode, p.lowWatermark])),
      [
        [
          [ErrorCode.OFFSET_OUT_OF_RANGE, -1],
          [ErrorCode.OFFSET_OUT_OF_RANGE, -1],
          [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, -1],
        ],
        [[ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, -1]],
        [[ErrorCode.POLICY_VIOLATION, -1]],
      ],
    );
    assert.equal(broker.core.topics.partition('trim-bad', 0)!.log.logStartOffset, 0);
    const exact = await wire.send(DeleteRecords, 1, {
      topics: [{ name: 'trim-bad', partitions: [{ partitionIndex: 0, offset: 3 }] }],
      timeoutMs: 1000,
    });
    assert.deepEqual(
      exact.topics[0]!.partitions[0],
      { partitionIndex: 0, lowWatermark: 3, errorCode: 0 },
      'up to the high watermark itself is allowed',
    );
  });

  test('DescribeLogDirs (memory store): one "memory" dir, partition sizes, -1 bytes in v4', async () => {
    await admin.createTopics({ topics: [{ topic: 'dirs', numPartitions: 2 }] });
    await produce(kafka, 'dirs', 1, 4);
    const size1 = broker.core.topics.partition('dirs', 1)!.log.size;
    assert.ok(size1 > 0);
    for (const v of [0, 1, 2, 3, 4]) {
      const res = await wire.send(DescribeLogDirs, v, {
        topics: [
          { topic: 'dirs', partitions: [0, 1, 7] },
          { topic: 'dirs-none', partitions: [0] },
        ],
      });
      assert.equal(res.results.length, 1);
      const dir = res.results[0]!;
      assert.equal(dir.errorCode, 0);
      assert.equal(dir.logDir, 'memory');
      assert.deepEqual(dir.topics, [
        {
          name: 'dirs',
          partitions: [
            { partitionIndex: 0, partitionSize: 0, offsetLag: 0, isFutureKey: false },
            { partitionIndex: 1, partitionSize: size1, offsetLag: 0, isFutureKey: false },
          ],
        },
      ]);
      if (v >= 4) assert.deepEqual([dir.totalBytes, dir.usableBytes], [-1, -1]);
    }
    const all = await wire.send(DescribeLogDirs, 2, { topics: null });
    assert.ok(
      all.results[0]!.topics.some((t) => t.name === 'dirs' && t.partitions.length === 2),
      'null topics lists every topic',
    );
  });

  test('ElectLeaders: ELECTION_NOT_NEEDED for listed partitions, unknown ones UNKNOWN_TOPIC_OR_PARTITION, none for all', async () => {
    await admin.createTopics({ topics: [{ topic: 'elect', numPartitions: 2 }] });
    for (const v of [0, 1, 2]) {
      const res = await wire.send(ElectLeaders, v, {
        electionType: 0,
        topicPartitions: [
          { topic: 'elect', partitions: [0, 1, 5] },
          { topic: 'elect-none', partitions: [0] },
        ],
        timeoutMs: 1000,
      });
      assert.deepEqual(
        res.replicaElectionResults.map((t) => [t.topic, t.partitionResult.map((p) => [p.partitionId, p.errorCode])]),
        [
          [
            'elect',
            [
              [0, ELECTION_NOT_NEEDED],
              [1, ELECTION_NOT_NEEDED],
              [5, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
            ],
          ],
          ['elect-none', [[0, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]]],
        ],
      );
    }
    const unclean = await wire.send(ElectLeaders, 1, {
      electionType: 1,
      topicPartitions: [{ topic: 'elect', partitions: [0] }],
      timeoutMs: 1000,
    });
    assert.equal(unclean.replicaElectionResults[0]!.partitionResult[0]!.errorCode, ELECTION_NOT_NEEDED);
    const all = await wire.send(ElectLeaders, 2, { electionType: 0, topicPartitions: null, timeoutMs: 1000 });
    // Kafka 4.4 lists every topic, each with no partition (all have their preferred leader).
    assert.equal(all.errorCode, 0);
    assert.ok(all.replicaElectionResults.some((t) => t.topic === 'elect'));
    assert.ok(all.replicaElectionResults.every((t) => t.partitionResult.length === 0));
    const badType = await wire.send(ElectLeaders, 1, { electionType: 5, topicPartitions: null, timeoutMs: 1000 });
    assert.equal(badType.errorCode, ErrorCode.INVALID_REQUEST);
  });

  test('kafkajs listPartitionReassignments: nothing in progress', async () => {
    await admin.createTopics({ topics: [{ topic: 'reassign', numPartitions: 2 }] });
    assert.deepEqual(await admin.listPartitionReassignments({ topics: [{ topic: 'reassign', partitions: [0, 1] }] }), { topics: [] });
    assert.deepEqual(await admin.listPartitionReassignments({}), { topics: [] });
  });
});
