// kafka-python (Debian python3-kafka) against an in-process broker over TCP: the documented
// producer, consumer and admin usage from the foundation issue.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { hasPythonModule, python, requireTool } from './helpers.js';

const PRELUDE = `
import sys, json, time
from kafka import KafkaProducer, KafkaConsumer, TopicPartition
from kafka.admin import KafkaAdminClient, NewTopic
bs = sys.argv[1]
def rec(m):
    return {'offset': m.offset, 'partition': m.partition, 'key': m.key.decode() if m.key is not None else None,
            'value': m.value.decode() if m.value is not None else None, 'timestamp': m.timestamp,
            'headers': [[k, v.decode() if v is not None else None] for k, v in (m.headers or [])]}
`;

describe('kafka-python', () => {
  let broker: Broker;
  before(async () => {
    requireTool(() => hasPythonModule('kafka'), 'python3-kafka');
    broker = await startBroker();
  });
  after(() => broker?.stop());

  test('producer send/get, async send + flush, headers; consumer reads all back in order', async () => {
    const out = await python<{ first: [string, number, number]; records: Array<Record<string, unknown>>; t0: number }>(
      `${PRELUDE}
t0 = int(time.time() * 1000)
producer = KafkaProducer(bootstrap_servers=[bs])
md = producer.send('my_topic', key=b'my_key', value=b'my_value', partition=0).get(timeout=10)
futures = [producer.send('my_topic', value=('msg %d' % i).encode(), partition=0) for i in range(100)]
producer.flush()
assert all(f.is_done and f.succeeded() for f in futures)
producer.send('my_topic', key=b'hk', value=b'with-headers', headers=[('h1', b'v1'), ('h2', b'')], partition=0).get(timeout=10)
producer.close()
consumer = KafkaConsumer('my_topic', bootstrap_servers=bs, auto_offset_reset='earliest', consumer_timeout_ms=1000, group_id=None)
records = [rec(m) for m in consumer]
consumer.close()
print(json.dumps({'first': [md.topic, md.partition, md.offset], 'records': records, 't0': t0}))
`,
      broker.bootstrap,
    );
    assert.deepEqual(out.first, ['my_topic', 0, 0]);
    assert.equal(out.records.length, 102);
    assert.deepEqual(
      out.records.map((r) => r.offset),
      Array.from({ length: 102 }, (_, i) => i),
    );
    assert.deepEqual(out.records[0], { ...out.records[0], key: 'my_key', value: 'my_value', headers: [] });
    for (let i = 0; i < 100; i++) assert.equal(out.records[i + 1]!.value, `msg ${i}`);
    assert.deepEqual(out.records[101]!.headers, [
      ['h1', 'v1'],
      ['h2', ''],
    ]);
    assert.equal(out.records[101]!.key, 'hk');
    for (const r of out.records) assert.ok((r.timestamp as number) >= out.t0 - 1000, 'record timestamps are the producer times');
  });

  for (const codec of ['gzip', 'snappy', 'lz4'] as const) {
    test(`compression_type='${codec}' round-trips`, async () => {
      const mod = { gzip: 'gzip', snappy: 'snappy', lz4: 'lz4' }[codec];
      requireTool(() => hasPythonModule(mod), `python3-${codec}`);
      const topic = `compressed-${codec}`;
      const out = await python<{ values: string[]; offsets: number[] }>(
        `${PRELUDE}
producer = KafkaProducer(bootstrap_servers=bs, compression_type='${codec}', linger_ms=50)
for i in range(200):
    producer.send('${topic}', key=str(i % 7).encode(), value=(('value %d ' % i) * 10).encode())
producer.flush(); producer.close()
consumer = KafkaConsumer('${topic}', bootstrap_servers=bs, auto_offset_reset='earliest', consumer_timeout_ms=1000)
ms = list(consumer)
print(json.dumps({'values': [m.value.decode() for m in ms], 'offsets': [m.offset for m in ms]}))
`,
        broker.bootstrap,
      );
      assert.equal(out.values.length, 200);
      assert.equal(out.values[137], 'value 137 '.repeat(10));
      assert.deepEqual(
        out.offsets,
        Array.from({ length: 200 }, (_, i) => i),
      );
    });
  }

  test('assign, seek, seek_to_beginning, beginning/end offsets, offsets_for_times', async () => {
    const out = await python<Record<string, unknown>>(
      `${PRELUDE}
producer = KafkaProducer(bootstrap_servers=bs)
base = 1600000000000
for i in range(10):
    producer.send('seekable', value=b'v%d' % i, partition=0, timestamp_ms=base + i * 1000)
producer.flush(); producer.close()
tp = TopicPartition('seekable', 0)
c = KafkaConsumer(bootstrap_servers=bs, consumer_timeout_ms=1000)
c.assign([tp])
res = {}
res['beginning'] = c.beginning_offsets([tp])[tp]
res['end'] = c.end_offsets([tp])[tp]
oft = c.offsets_for_times({tp: base + 4500})[tp]
res['for_time'] = [oft.offset, oft.timestamp]
res['for_future'] = c.offsets_for_times({tp: base + 999999})[tp]
c.seek(tp, 7)
res['after_seek'] = [m.value.decode() for m in c]
c.seek_to_beginning(tp)
res['from_start'] = [m.offset for m in c]
res['position'] = c.position(tp)
c.close()
print(json.dumps(res))
`,
      broker.bootstrap,
    );
    assert.equal(out.beginning, 0);
    assert.equal(out.end, 10);
    assert.deepEqual(out.for_time, [5, 1600000005000]);
    assert.equal(out.for_future, null);
    assert.deepEqual(out.after_seek, ['v7', 'v8', 'v9']);
    assert.deepEqual(out.from_start, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(out.position, 10);
  });

  test('KafkaAdminClient create_topics with partitions and configs, list_topics, delete_topics', async () => {
    const out = await python<Record<string, unknown>>(
      `${PRELUDE}
from kafka.errors import TopicAlreadyExistsError, InvalidTopicError, InvalidReplicationFactorError, InvalidConfigurationError
admin = KafkaAdminClient(bootstrap_servers=bs)
res = {}
admin.create_topics([NewTopic('admin-a', num_partitions=3, replication_factor=1, topic_configs={'retention.ms': '3600000', 'cleanup.policy': 'compact'}),
                     NewTopic('admin-b', num_partitions=1, replication_factor=1)])
res['listed'] = sorted(t for t in admin.list_topics() if t.startswith('admin-'))
def err(new_topic):
    try:
        r = admin.create_topics([new_topic])
        codes = [t[1] for t in r.topic_errors]
        return codes[0]
    except Exception as e:
        return type(e).__name__
res['exists'] = err(NewTopic('admin-a', 1, 1))
res['bad_name'] = err(NewTopic('bad name!', 1, 1))
res['rf'] = err(NewTopic('admin-c', 1, 3))
res['bad_config'] = err(NewTopic('admin-d', 1, 1, topic_configs={'retention.ms': 'soon'}))
p = KafkaProducer(bootstrap_servers=bs)
parts = sorted(p.partitions_for('admin-a'))
p.close()
res['partitions'] = parts
admin.delete_topics(['admin-b'])
res['after_delete'] = sorted(t for t in admin.list_topics() if t.startswith('admin-'))
admin.close()
print(json.dumps(res))
`,
      broker.bootstrap,
    );
    assert.deepEqual(out.listed, ['admin-a', 'admin-b']);
    assert.deepEqual(out.partitions, [0, 1, 2]);
    assert.deepEqual(out.after_delete, ['admin-a']);
    // kafka-python raises or returns Kafka's error codes: 36, 17, 38, 40.
    assert.ok(out.exists === 36 || out.exists === 'TopicAlreadyExistsError', `exists: ${out.exists}`);
    assert.ok(out.bad_name === 17 || out.bad_name === 'InvalidTopicError', `bad_name: ${out.bad_name}`);
    assert.ok(out.rf === 38 || out.rf === 'InvalidReplicationFactorError', `rf: ${out.rf}`);
    assert.ok(out.bad_config === 40 || out.bad_config === 'InvalidConfigurationError', `bad_config: ${out.bad_config}`);
    const topic = broker.core.topics.get('admin-a')!;
    assert.equal(topic.configs['retention.ms'], '3600000');
    assert.equal(topic.effective.get('cleanup.policy'), 'compact');
  });
});
