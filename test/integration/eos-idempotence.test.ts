// Idempotent producers (issue 5, part 1): duplicate detection by replaying the same batch
// bytes (also on a new connection, as after a dropped one), OUT_OF_ORDER_SEQUENCE_NUMBER,
// the fencing error for a stale epoch, DescribeProducers; and real idempotent clients:
// kafkajs (idempotent: true) and librdkafka via confluent-kafka (enable.idempotence=true),
// each record stored once and in order. Their producer ids come from the counter, not from
// `__transaction_state`, which they never create (as Kafka's ProducerIdManager); the counter's
// mark (kafkalite-producer-ids.json, broker/txn/producer-id-block.ts) is fsynced before an id of
// a new block is used, so after a power cut no id is handed out twice.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker, type Broker } from '../../broker/index.js';
import { ErrorCode } from '../../protocol/errors.js';
import { DescribeProducers, Metadata } from '../../protocol/messages/index.js';
import { DiskFaults } from '../../storage/fs/memory-fs-faults.js';
import { MemoryFileSystem } from '../../storage/fs/memory-fs.js';
import { fetchPartition, initProducerId, produce, producerBatch } from './eos-helpers.js';
import { hasPythonModule, python, requireTool } from './helpers.js';
import { WireClient } from './wire-client.js';

describe('idempotent producer', () => {
  let broker: Broker;
  let c: WireClient;
  before(async () => {
    broker = await startBroker({ topics: { idem: 1, js: 3, rdk: 2 } });
    c = await WireClient.connect(broker.bootstrap);
  });
  after(async () => {
    c?.close();
    await broker?.stop();
  });

  test('InitProducerId without a transactional id hands out distinct ids with epoch 0', async () => {
    const a = await initProducerId(c, null);
    const b = await initProducerId(c, null);
    assert.equal(a.errorCode, 0);
    assert.equal(a.producerEpoch, 0);
    assert.notEqual(a.producerId, b.producerId);
  });

  test('a replayed batch is answered with its original offset and not stored again; gaps and stale epochs are refused', async () => {
    const { producerId } = await initProducerId(c, null);
    const first = producerBatch({ producerId, epoch: 0, seq: 0, values: ['a', 'b'] });
    const second = producerBatch({ producerId, epoch: 0, seq: 2, values: ['c'] });
    const r1 = await produce(c, 'idem', 0, Buffer.from(first));
    const r2 = await produce(c, 'idem', 0, Buffer.from(second));
    assert.deepEqual([r1.errorCode, r1.baseOffset, r2.errorCode, r2.baseOffset], [0, 0, 0, 2]);

    // The same bytes again, on a new connection as a client does after a dropped one.
    const c2 = await WireClient.connect(broker.bootstrap);
    const again = await produce(c2, 'idem', 0, Buffer.from(first));
    c2.close();
    assert.deepEqual([again.errorCode, again.baseOffset], [0, 0]);
    const againSecond = await produce(c, 'idem', 0, Buffer.from(second));
    assert.deepEqual([againSecond.errorCode, againSecond.baseOffset], [0, 2]);

    const gap = await produce(c, 'idem', 0, producerBatch({ producerId, epoch: 0, seq: 5, values: ['x'] }));
    assert.equal(gap.errorCode, ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    const next = await produce(c, 'idem', 0, producerBatch({ producerId, epoch: 0, seq: 3, values: ['d'] }));
    assert.deepEqual([next.errorCode, next.baseOffset], [0, 3]);

    const fetched = await fetchPartition(c, 'idem', 0, 0, 0);
    assert.deepEqual(fetched.records, [
      [0, 'a'],
      [1, 'b'],
      [2, 'c'],
      [3, 'd'],
    ]);
  });

  test('a stale epoch gets INVALID_PRODUCER_EPOCH once a newer one has written', async () => {
    const init1 = await initProducerId(c, 'idem-fence');
    const init2 = await initProducerId(c, 'idem-fence');
    assert.equal(init2.producerId, init1.producerId);
    assert.equal(init2.producerEpoch, init1.producerEpoch + 1);
    // Non-transactional batches with the transactional producer's id exercise the epoch rule alone.
    const pid = init1.producerId;
    const newer = await produce(c, 'idem', 0, producerBatch({ producerId: pid, epoch: init2.producerEpoch, seq: 0, values: ['new'] }));
    assert.equal(newer.errorCode, 0);
    const stale = await produce(c, 'idem', 0, producerBatch({ producerId: pid, epoch: init1.producerEpoch, seq: 1, values: ['old'] }));
    assert.equal(stale.errorCode, ErrorCode.INVALID_PRODUCER_EPOCH);
  });

  test('DescribeProducers shows the producers of a partition with their last sequence', async () => {
    const res = await c.send(DescribeProducers, 0, { topics: [{ name: 'idem', partitionIndexes: [0, 7] }] });
    const [p0, p7] = res.topics[0]!.partitions;
    assert.equal(p0!.errorCode, 0);
    assert.ok(p0!.activeProducers.length >= 2);
    assert.ok(p0!.activeProducers.some((p) => p.lastSequence === 3 && p.producerEpoch === 0 && p.currentTxnStartOffset === -1));
    assert.equal(p7!.errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });

  test('kafkajs idempotent producer: every record once, in order per partition', async () => {
    const kafka = new Kafka({ clientId: 'eos-js', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 5 });
    await producer.connect();
    try {
      const sends = [];
      for (let i = 0; i < 30; i++) sends.push(producer.send({ topic: 'js', acks: -1, messages: [{ partition: i % 3, value: `m${i}` }] }));
      await Promise.all(sends);
    } finally {
      await producer.disconnect();
    }
    for (let p = 0; p < 3; p++) {
      const got = (await fetchPartition(c, 'js', p, 0, 0)).records.map(([, v]) => Number(v.slice(1)));
      assert.equal(got.length, 10);
      assert.deepEqual(
        got,
        [...got].sort((a, b) => a - b),
        `partition ${p} in order`,
      );
      assert.ok(got.every((v) => v % 3 === p));
    }
    const described = await c.send(DescribeProducers, 0, { topics: [{ name: 'js', partitionIndexes: [0] }] });
    assert.equal(described.topics[0]!.partitions[0]!.activeProducers[0]!.lastSequence, 9);
  });

  test('librdkafka (confluent-kafka) with enable.idempotence=true produces each record once', async () => {
    requireTool(() => hasPythonModule('confluent_kafka'), 'python3-confluent-kafka');
    const out = await python<{ errors: string[]; delivered: number }>(
      `
import sys, json
from confluent_kafka import Producer
p = Producer({'bootstrap.servers': sys.argv[1], 'enable.idempotence': True, 'acks': 'all', 'linger.ms': 5, 'max.in.flight.requests.per.connection': 5})
errors = []; delivered = [0]
def cb(err, msg):
    if err: errors.append(str(err))
    else: delivered[0] += 1
for i in range(200):
    p.produce('rdk', value=('r%d' % i).encode(), partition=i % 2, on_delivery=cb)
    if i % 20 == 0: p.poll(0)
p.flush(30)
print(json.dumps({'errors': errors, 'delivered': delivered[0]}))
`,
      broker.bootstrap,
    );
    assert.deepEqual(out, { errors: [], delivered: 200 });
    for (let p = 0; p < 2; p++) {
      const got = (await fetchPartition(c, 'rdk', p, 0, 0)).records.map(([, v]) => Number(v.slice(1)));
      assert.deepEqual(
        got,
        Array.from({ length: 100 }, (_, i) => i * 2 + p),
      );
    }
    const described = await c.send(DescribeProducers, 0, { topics: [{ name: 'rdk', partitionIndexes: [1] }] });
    assert.equal(described.topics[0]!.partitions[0]!.activeProducers[0]!.lastSequence, 99);
  });
});

describe('producer ids across a power cut (memory file system)', () => {
  test('ids handed out before the cut are never handed out again, and no __transaction_state is made', async () => {
    const fs = new MemoryFileSystem();
    let broker = await startBroker({ dataDir: '/data', fs, topics: { ids: 1 } });
    const kafka = new Kafka({ clientId: 'eos-ids', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    await producer.send({ topic: 'ids', acks: -1, messages: [{ value: 'one' }] });
    await producer.disconnect();
    let c = await WireClient.connect(broker.bootstrap);
    const before: number[] = [];
    try {
      for (let i = 0; i < 3; i++) before.push((await initProducerId(c, null)).producerId);
      const md = await c.send(Metadata, 12, { topics: null, allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false });
      assert.deepEqual(
        md.topics.map((t) => t.name),
        ['ids'],
        'no __transaction_state after an idempotent producer (Kafka makes it for transactional ids only)',
      );
    } finally {
      c.close();
    }
    // The machine dies (every later disk operation fails, so the stop writes nothing), then the
    // power goes: only what was fsynced remains.
    const faults = new DiskFaults(fs);
    faults.crashAfterOps(0);
    await broker.stop().catch(() => {});
    faults.powerCut();
    broker = await startBroker({ dataDir: '/data', fs });
    c = await WireClient.connect(broker.bootstrap);
    try {
      const next = await initProducerId(c, null);
      assert.equal(next.errorCode, 0);
      assert.ok(next.producerId > Math.max(...before), `${next.producerId} is above every id handed out before (${before.join(', ')})`);
      assert.ok(fs.exists('/data/kafkalite-producer-ids.json'));
      assert.ok(!fs.exists('/data/__transaction_state-0'), 'no __transaction_state partition directory');
    } finally {
      c.close();
      await broker.stop();
    }
  });
});
