// Deleting a topic removes the committed offsets groups hold for it (tombstones in
// __consumer_offsets), as Kafka's group coordinator does: a topic recreated under the same name
// starts without them, and a restart does not bring them back. Offsets of other topics stay.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker } from '../../broker/index.js';
import { hasPythonModule, python, requireTool, tempDir } from './helpers.js';

test('DeleteTopics removes committed offsets of the deleted topic only (kafkajs, kafka-python, across a restart)', async () => {
  requireTool(() => hasPythonModule('kafka'), 'python3-kafka');
  const dir = tempDir();
  try {
    const broker = await startBroker({ dataDir: dir.path, topics: { gone: 1, kept: 1 } });
    const kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    try {
      await admin.connect();
      const producer = kafka.producer();
      await producer.connect();
      for (const topic of ['gone', 'kept']) await producer.send({ topic, messages: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] });
      await producer.disconnect();
      for (const topic of ['gone', 'kept']) await admin.setOffsets({ groupId: 'g1', topic, partitions: [{ partition: 0, offset: '2' }] });
      const before = await admin.fetchOffsets({ groupId: 'g1', topics: ['gone', 'kept'] });
      assert.deepEqual(before.map((t) => [t.topic, t.partitions[0]!.offset]).sort(), [
        ['gone', '2'],
        ['kept', '2'],
      ]);

      await admin.deleteTopics({ topics: ['gone'] });
      await admin.createTopics({ topics: [{ topic: 'gone', numPartitions: 1 }] });
      const after = await admin.fetchOffsets({ groupId: 'g1', topics: ['gone', 'kept'] });
      assert.deepEqual(after.map((t) => [t.topic, t.partitions[0]!.offset]).sort(), [
        ['gone', '-1'],
        ['kept', '2'],
      ]);

      const committed = await python<Record<string, number | null>>(
        `
import sys, json
from kafka import KafkaConsumer, TopicPartition
c = KafkaConsumer(bootstrap_servers=sys.argv[1], group_id='g1', enable_auto_commit=False)
print(json.dumps({t: c.committed(TopicPartition(t, 0)) for t in ['gone', 'kept']}))
c.close()
  `,
        broker.bootstrap,
      );
      assert.deepEqual(committed, { gone: null, kept: 2 });
    } finally {
      await admin.disconnect();
      await broker.stop();
    }

    const again = await startBroker({ dataDir: dir.path });
    try {
      assert.equal(again.core.groups.offsets.get('g1', 'gone', 0), undefined, 'the tombstone survives the restart');
      assert.equal(again.core.groups.offsets.get('g1', 'kept', 0)?.offset, 2);
    } finally {
      await again.stop();
    }
  } finally {
    dir.remove();
  }
});
