// kafkajs (npm) against an in-process broker over TCP: admin topic operations and offsets,
// producer.send / sendBatch with and without gzip. kafkajs consumers need groups (a later
// issue), so what kafkajs produced is read back with kafka-python, a second implementation.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { startBroker, type Broker } from '../../broker/index.js';
import { hasPythonModule, python, requireTool } from './helpers.js';

describe('kafkajs', () => {
  let broker: Broker;
  let kafka: Kafka;
  before(async () => {
    broker = await startBroker();
    kafka = new Kafka({ clientId: 'kafkajs-test', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 3 } });
  });
  after(() => broker?.stop());

  test('admin createTopics, listTopics, fetchTopicMetadata, fetchTopicOffsets, deleteTopics', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const created = await admin.createTopics({
        topics: [
          { topic: 'js-a', numPartitions: 3, configEntries: [{ name: 'retention.ms', value: '60000' }] },
          { topic: 'js-b', numPartitions: 1 },
        ],
      });
      assert.equal(created, true);
      assert.equal(await admin.createTopics({ topics: [{ topic: 'js-a' }] }), false, 'creating an existing topic reports false');
      const listed = await admin.listTopics();
      assert.ok(listed.includes('js-a') && listed.includes('js-b'));
      const md = await admin.fetchTopicMetadata({ topics: ['js-a'] });
      assert.equal(md.topics[0]!.name, 'js-a');
      assert.deepEqual(md.topics[0]!.partitions.map((p) => [p.partitionId, p.leader]).sort(), [
        [0, 1],
        [1, 1],
        [2, 1],
      ]);
      const offsets = await admin.fetchTopicOffsets('js-a');
      assert.deepEqual(offsets.map((o) => [o.partition, o.offset, o.low, o.high]).sort(), [
        [0, '0', '0', '0'],
        [1, '0', '0', '0'],
        [2, '0', '0', '0'],
      ]);
      await admin.deleteTopics({ topics: ['js-b'] });
      assert.ok(!(await admin.listTopics()).includes('js-b'));
      await assert.rejects(admin.createTopics({ topics: [{ topic: 'bad/name' }] }), (err: { errors?: Array<{ type: string }> }) => {
        assert.equal(err.errors?.[0]?.type, 'INVALID_TOPIC_EXCEPTION');
        return true;
      });
    } finally {
      await admin.disconnect();
    }
  });

  for (const compression of [CompressionTypes.None, CompressionTypes.GZIP]) {
    const label = compression === CompressionTypes.GZIP ? 'gzip' : 'uncompressed';
    test(`producer.send and sendBatch (${label}); offsets and contents as produced`, async () => {
      requireTool(() => hasPythonModule('kafka'), 'python3-kafka');
      const topic = `js-produce-${label}`;
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
      const producer = kafka.producer({ allowAutoTopicCreation: false });
      await producer.connect();
      try {
        const first = await producer.send({
          topic,
          compression,
          messages: [
            { key: 'k1', value: 'v1', partition: 0, headers: { h: 'x' } },
            { key: 'k2', value: 'v2', partition: 0 },
          ],
        });
        assert.deepEqual(
          first.map((r) => [r.topicName, r.partition, r.errorCode, r.baseOffset]),
          [[topic, 0, 0, '0']],
        );
        const batch = await producer.sendBatch({
          compression,
          topicMessages: [
            { topic, messages: Array.from({ length: 50 }, (_, i) => ({ key: `b${i}`, value: `batch ${i}`, partition: i % 2 })) },
          ],
        });
        const byPartition = Object.fromEntries(batch.map((r) => [r.partition, r.baseOffset]));
        assert.deepEqual(byPartition, { 0: '2', 1: '0' });
      } finally {
        await producer.disconnect();
      }
      const offsets = await admin.fetchTopicOffsets(topic);
      await admin.disconnect();
      assert.deepEqual(offsets.map((o) => [o.partition, o.high]).sort(), [
        [0, '27'],
        [1, '25'],
      ]);
      const read = await python<Array<[number, number, string, string, Array<[string, string]>]>>(
        `
import sys, json
from kafka import KafkaConsumer, TopicPartition
c = KafkaConsumer(bootstrap_servers=sys.argv[1], consumer_timeout_ms=1000, auto_offset_reset='earliest')
c.assign([TopicPartition('${topic}', 0)])
print(json.dumps([[m.partition, m.offset, m.key.decode(), m.value.decode(), [[k, v.decode()] for k, v in m.headers]] for m in c]))
`,
        broker.bootstrap,
      );
      assert.equal(read.length, 27);
      assert.deepEqual(read[0], [0, 0, 'k1', 'v1', [['h', 'x']]]);
      assert.deepEqual(read[2], [0, 2, 'b0', 'batch 0', []]);
      assert.deepEqual(read[26], [0, 26, 'b48', 'batch 48', []]);
    });
  }

  test('producing to a missing topic without auto-create reports UNKNOWN_TOPIC_OR_PARTITION', async () => {
    const b2 = await startBroker({ autoCreateTopics: false });
    const k2 = new Kafka({ clientId: 'no-auto', brokers: [b2.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    const producer = k2.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      await assert.rejects(producer.send({ topic: 'nope', messages: [{ value: 'x' }] }), (err: Error & { type?: string }) => {
        assert.match(`${err.message} ${err.type ?? ''}`, /UNKNOWN_TOPIC_OR_PARTITION|does not host this topic-partition/);
        return true;
      });
    } finally {
      await producer.disconnect();
      await b2.stop();
    }
  });
});
