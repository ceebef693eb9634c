// Disk faults through the test kit (broker/testkit/disk-faults.ts): broker.faults.disk() and
// broker.faults.powerCut() in process with kafkajs, and POST /control/v1/faults/disk against
// `kafkalite test-server --memory-disk` with confluent-kafka (librdkafka) from Python. Both clients
// see KAFKA_STORAGE_ERROR, as from a Kafka whose log directory failed; then Metadata shows the
// partition without a leader (LEADER_NOT_AVAILABLE, its replica offline) to kafkajs and librdkafka.
// POST /control/v1/faults/power-cut (connectControl().faults.powerCut()) against test-server
// --memory-disk: confluent-kafka and kafkajs find a flush.messages=1 topic's acknowledged records
// after the restart, and none of a topic nothing fsynced.

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { connectControl } from '../../broker/control/index.js';
import { startBroker, type Broker } from '../../broker/index.js';
import { MemoryFileSystem } from '../../storage/fs/memory-fs.js';
import { ErrorCode } from '../../protocol/errors.js';
import { produceErrorCodes, readFromStart, rejectsWithType } from './disk-faults-helpers.js';
import { hasPythonModule, python, PYTHON, requireTool, run, startTestServer, PY_CONTROL_CALL } from './helpers.js';

describe('disk faults through the test kit', () => {
  const brokers: Broker[] = [];
  after(async () => {
    for (const b of brokers) await b.stop().catch(() => {});
  });

  test('broker.faults.disk fails an fsync: kafkajs gets KAFKA_STORAGE_ERROR; powerCut() and a restart keep every acknowledged record', async () => {
    // Without the memory file system there is no disk to fail.
    const plain = await startBroker();
    brokers.push(plain);
    assert.throws(() => plain.faults.disk({ op: 'fsync', error: 'EIO' }), /must be on the memory file system/);

    const fs = new MemoryFileSystem();
    const options = { dataDir: '/data', fs, topics: { dk: { partitions: 1, configs: { 'flush.messages': '1' } } } };
    const broker = await startBroker(options);
    brokers.push(broker);
    assert.throws(() => broker.faults.disk({ op: 'fsync' }), /give error or shortWrite/);
    assert.throws(() => broker.faults.disk({ op: 'sync' as 'fsync', error: 'EIO' }), /unknown op "sync"/);

    const kafka = new Kafka({ clientId: 'disk-kit', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const acked: string[] = [];
    for (let i = 0; i < 5; i++) {
      await producer.send({ topic: 'dk', acks: -1, messages: [{ value: `v${i}` }] });
      acked.push(`v${i}`);
    }
    // A rule on another partition's files does not fire.
    const elsewhere = broker.faults.disk({ op: 'fsync', error: 'EIO', path: 'other-0/' });
    await producer.send({ topic: 'dk', acks: -1, messages: [{ value: 'v5' }] });
    acked.push('v5');
    assert.equal(elsewhere.hits, 0);
    elsewhere.remove();

    const fault = broker.faults.disk({ op: 'fsync', error: 'EIO', path: 'dk-0/' });
    const produces = broker.requests.record({ api: 'Produce' });
    // kafkajs gets KAFKA_STORAGE_ERROR for its Produce, refreshes its metadata and finds the
    // partition without a leader (Metadata below): the send fails with LEADER_NOT_AVAILABLE.
    await rejectsWithType(producer.send({ topic: 'dk', acks: -1, messages: [{ value: 'lost' }] }), 'LEADER_NOT_AVAILABLE');
    const answered = produceErrorCodes(produces.stop());
    assert.deepEqual(answered, [ErrorCode.KAFKA_STORAGE_ERROR]);
    await fault.fired();
    assert.deepEqual(fault.status(), { id: fault.id, api: 'disk', hits: 1, times: 1, done: true });
    assert.ok(broker.faults.list().some((f) => f.id === fault.id && f.api === 'disk' && f.hits === 1));
    const failure = await broker.failed;
    assert.equal(failure.dir, '/data');
    // kafkajs refreshed its metadata after the error: the partition has no leader now, and the
    // failed fsync is never retried.
    await rejectsWithType(producer.send({ topic: 'dk', acks: -1, messages: [{ value: 'lost-2' }] }), 'LEADER_NOT_AVAILABLE');
    assert.equal(fault.hits, 1);
    await producer.disconnect();

    // Metadata: the partition has no leader (LEADER_NOT_AVAILABLE, leader -1) and its replica is offline,
    // as a Kafka controller records a replica on an offline directory; kafkajs and librdkafka both read it.
    const metadata = broker.requests.record({ api: 'Metadata' });
    const admin = kafka.admin();
    await admin.connect();
    await rejectsWithType(admin.fetchTopicMetadata({ topics: ['dk'] }), 'LEADER_NOT_AVAILABLE');
    await admin.disconnect();
    type MetadataBody = { topics: Array<{ name: string; partitions: Array<Record<string, unknown>> }> };
    const seenByKafkajs = metadata
      .stop()
      .flatMap((r) => (r.response as MetadataBody).topics.filter((t) => t.name === 'dk'))
      .map((t) => t.partitions[0]!);
    assert.ok(seenByKafkajs.length > 0);
    for (const p0 of seenByKafkajs) {
      assert.deepEqual([p0.errorCode, p0.leaderId, p0.isrNodes, p0.offlineReplicas], [ErrorCode.LEADER_NOT_AVAILABLE, -1, [1], [1]]);
    }
    const py = await python<{ leader: number; error: string | null; isrs: number[]; replicas: number[] }>(
      `
import json, sys
from confluent_kafka.admin import AdminClient
md = AdminClient({'bootstrap.servers': sys.argv[1]}).list_topics('dk', timeout=20)
p = md.topics['dk'].partitions[0]
print(json.dumps({'leader': p.leader, 'error': p.error.name() if p.error else None, 'isrs': p.isrs, 'replicas': p.replicas}))
`,
      broker.bootstrap,
    );
    assert.deepEqual(py, { leader: -1, error: 'LEADER_NOT_AVAILABLE', isrs: [1], replicas: [1] });

    await broker.faults.powerCut();
    const restarted = await startBroker(options);
    brokers.push(restarted);
    const seen = await readFromStart(restarted.bootstrap, 'dk', 'dk-check', acked.length);
    assert.deepEqual(seen.slice(0, acked.length), acked, 'every acknowledged record survived the power cut, in order');
    assert.ok(!seen.some((v) => v.startsWith('lost')), 'nothing unacknowledged is visible');
  });

  test('test-server --memory-disk: confluent-kafka sees KAFKA_STORAGE_ERROR after POST /control/v1/faults/disk', async () => {
    requireTool(() => hasPythonModule('confluent_kafka'), 'python3-confluent-kafka');
    const server = await startTestServer(['--memory-disk', '--topic', 'py-dk:1']);
    try {
      const env = server.env;
      const script = `
import json, sys, urllib.request
from confluent_kafka import Producer

bootstrap, control = sys.argv[1], sys.argv[2]

${PY_CONTROL_CALL}
reports = []
def report(err, msg):
    reports.append([err.name() if err else None, msg.offset() if not err else None])

p = Producer({'bootstrap.servers': bootstrap, 'client.id': 'py-disk', 'linger.ms': 0, 'retries': 0, 'acks': 'all'})
p.produce('py-dk', value=b'before', on_delivery=report)
p.flush(30)
info = call('GET', '/info')
fault = call('POST', '/faults/disk', {'op': 'write', 'error': 'ENOSPC', 'path': 'py-dk-0/'})
p.produce('py-dk', value=b'no space', on_delivery=report)
p.flush(30)
status = call('GET', '/faults/' + fault['id'])
print(json.dumps({'kit': info['kit']['faults.disk'], 'reports': reports, 'status': status}))
`;
      const r = await run(PYTHON, ['-c', script, env.KAFKA_BOOTSTRAP!, env.KAFKALITE_CONTROL!], { timeoutMs: 60_000 });
      assert.equal(r.code, 0, r.stderr);
      const res = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
        kit: boolean;
        reports: Array<[string | null, number | null]>;
        status: { api: string; hits: number; fired: boolean; active: boolean };
      };
      assert.equal(res.kit, true);
      assert.deepEqual(res.reports, [
        [null, 0],
        ['KAFKA_STORAGE_ERROR', null],
      ]);
      assert.deepEqual([res.status.api, res.status.hits, res.status.fired, res.status.active], ['disk', 1, true, false]);
    } finally {
      await server.stop();
    }
  });

  test('POST /control/v1/faults/power-cut: what was fsynced survives the restart, for confluent-kafka and kafkajs', async () => {
    requireTool(() => hasPythonModule('confluent_kafka'), 'python3-confluent-kafka');
    const topics = { synced: { partitions: 1, configs: { 'flush.messages': '1' } }, lazy: 1 };
    const server = await startTestServer(['--memory-disk', '--options', JSON.stringify({ topics })]);
    try {
      const { KAFKA_BOOTSTRAP: bootstrap, KAFKALITE_CONTROL: control } = server.env;
      const script = `
import json, sys, urllib.request
from confluent_kafka import Consumer, Producer, TopicPartition

bootstrap, control = sys.argv[1], sys.argv[2]
p = Producer({'bootstrap.servers': bootstrap, 'client.id': 'py-power', 'linger.ms': 0, 'acks': 'all'})
acked = []
for t in ['synced', 'lazy']:
    for i in range(5):
        p.produce(t, value=f'{t}-{i}'.encode(), on_delivery=lambda err, msg: acked.append(msg.topic()) if err is None else None)
p.flush(30)
req = urllib.request.Request(control + '/control/v1/faults/power-cut', data=b'', method='POST', headers={'content-type': 'application/json'})
with urllib.request.urlopen(req) as res:
    cut = json.loads(res.read())
c = Consumer({'bootstrap.servers': cut['bootstrap'], 'group.id': 'py-power-check'})
marks = {t: c.get_watermark_offsets(TopicPartition(t, 0), timeout=20) for t in ['synced', 'lazy']}
c.close()
print(json.dumps({'acked': acked, 'cut': cut, 'marks': marks}))
`;
      const r = await run(PYTHON, ['-c', script, bootstrap!, control!], { timeoutMs: 60_000 });
      assert.equal(r.code, 0, r.stderr);
      const py = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
        acked: string[];
        cut: { ok: boolean; bootstrap: string };
        marks: Record<string, number[]>;
      };
      assert.equal(py.acked.length, 10, 'every record acknowledged before the cut');
      assert.deepEqual(py.cut, { ok: true, bootstrap }, 'restarted on the same port');
      assert.deepEqual(
        py.marks,
        { synced: [0, 5], lazy: [0, 0] },
        'flush.messages=1 kept all five; the other topic lost what was not fsynced',
      );

      // Again through connectControl(), with kafkajs: records acknowledged since are lost or kept alike.
      const kafka = new Kafka({ clientId: 'power-js', brokers: [bootstrap!], logLevel: logLevel.NOTHING });
      const producer = kafka.producer({ allowAutoTopicCreation: false });
      await producer.connect();
      await producer.send({ topic: 'synced', acks: -1, messages: [{ value: 'js-synced' }] });
      await producer.send({ topic: 'lazy', acks: -1, messages: [{ value: 'js-lazy' }] });
      await producer.disconnect();
      assert.deepEqual(await connectControl(control!).faults.powerCut(), { bootstrap });
      const admin = kafka.admin();
      await admin.connect();
      const offsets = async (t: string) => (await admin.fetchTopicOffsets(t)).map((o) => o.high);
      assert.deepEqual([await offsets('synced'), await offsets('lazy')], [['6'], ['0']]);
      await admin.disconnect();
    } finally {
      await server.stop();
    }
  });

  test('POST /control/v1/faults/power-cut with --nodes 3: every node back on its own port, leading and serving', async () => {
    const topics = { spread: { partitions: 3, configs: { 'flush.messages': '1' } } };
    const server = await startTestServer(['--memory-disk', '--nodes', '3', '--options', JSON.stringify({ topics })]);
    try {
      const { KAFKA_BOOTSTRAP: bootstrap, KAFKALITE_CONTROL: control } = server.env;
      const ctl = connectControl(control!);
      const nodes = async () => (await ctl.info()).nodes.map((n) => `${n.nodeId}@${n.host}:${n.port}`);
      const before = await nodes();
      assert.equal(before.length, 3);
      const kafka = new Kafka({ clientId: 'power-nodes', brokers: [bootstrap!], logLevel: logLevel.NOTHING, retry: { retries: 3 } });
      const producer = kafka.producer({ allowAutoTopicCreation: false });
      await producer.connect();
      // One record per partition: the leaders are spread over the three nodes.
      const send = (v: string) =>
        producer.send({ topic: 'spread', acks: -1, messages: [0, 1, 2].map((partition) => ({ partition, value: `${v}-${partition}` })) });
      await send('before');
      assert.deepEqual(await ctl.faults.powerCut(), { bootstrap });
      assert.deepEqual(await nodes(), before, 'each node on the port it had');
      // The same producer, its metadata from before the cut: each node it knew answers again.
      await send('after');
      await producer.disconnect();
      const admin = kafka.admin();
      await admin.connect();
      const meta = await admin.fetchTopicMetadata({ topics: ['spread'] });
      const highs = (await admin.fetchTopicOffsets('spread')).map((o) => [o.partition, o.high]).sort();
      await admin.disconnect();
      assert.deepEqual(new Set(meta.topics[0]!.partitions.map((p) => p.leader)).size, 3, 'leaders on the three nodes');
      assert.deepEqual(highs, [
        [0, '2'],
        [1, '2'],
        [2, '2'],
      ]);
    } finally {
      await server.stop();
    }
  });
});
