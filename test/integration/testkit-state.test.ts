// Test kit isolation and helpers with kafkajs over TCP: reset() empties topics, groups and
// offsets but keeps the listeners and the seeded topics (same ids); snapshot()/restore() bring
// back records, leaders, groups and committed offsets, and a kafkajs group resumes where the
// snapshot left it; broker.produce and the waitFor helpers.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { lastStableOffset } from '../../broker/fetch-reader.js';
import { startBroker, type Broker } from '../../broker/index.js';

describe('test kit: reset, snapshot, restore', () => {
  let broker: Broker;
  let kafka: Kafka;
  before(async () => {
    broker = await startBroker({ nodes: 2, topics: { orders: 3, audit: { partitions: 1, configs: { 'retention.ms': '60000' } } } });
    kafka = new Kafka({
      clientId: 'state',
      brokers: [broker.bootstrap],
      logLevel: logLevel.NOTHING,
      retry: { retries: 8, initialRetryTime: 10, maxRetryTime: 100 },
    });
  });
  after(() => broker?.stop());

  async function consumeAndCommit(group: string, topic: string, count: number): Promise<string[]> {
    const consumer: Consumer = kafka.consumer({ groupId: group, maxWaitTimeInMs: 50 });
    const seen: string[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ autoCommitInterval: 10, eachMessage: async ({ message }) => void seen.push(message.value!.toString()) });
      while (seen.length < count) await new Promise((r) => setTimeout(r, 10));
    } finally {
      await consumer.disconnect(); // commits what it consumed
    }
    return seen;
  }

  test('reset() empties topics, groups and offsets; seeded topics stay (same ids, configs); clients keep working', async () => {
    const producer = kafka.producer();
    await producer.connect();
    try {
      const ordersId = broker.core.topics.get('orders')!.id;
      await producer.send({
        topic: 'orders',
        messages: [
          { partition: 0, value: 'a' },
          { partition: 1, value: 'b' },
        ],
      });
      await producer.send({ topic: 'extra', messages: [{ value: 'c' }] }); // auto-created
      assert.deepEqual(await consumeAndCommit('g-reset', 'orders', 2).then((s) => s.sort()), ['a', 'b']);
      assert.ok(broker.core.groups.group('g-reset'));
      broker.faults.inject({ api: 'Produce', error: 'NOT_LEADER_OR_FOLLOWER', times: Infinity });
      broker.partitions.moveLeader('orders', 0, 2);

      await broker.reset();

      assert.deepEqual([...broker.core.topics.all()].map((t) => t.name).sort(), ['audit', 'orders']);
      assert.equal(broker.core.topics.get('orders')!.id, ordersId);
      assert.equal(broker.core.topics.get('audit')!.configs['retention.ms'], '60000');
      assert.ok(broker.partitions.describe('orders').every((p) => p.logEndOffset === 0));
      assert.equal(broker.core.groups.group('g-reset'), undefined);
      assert.equal(broker.core.groups.offsets.get('g-reset', 'orders', 0), undefined);
      assert.equal(broker.faults.active, 0, 'faults retired');
      assert.equal(broker.partitions.leader('orders', 0), broker.core.cluster.leaderFor('orders', 0), 'leaders placed afresh');

      const [res] = await producer.send({ topic: 'orders', messages: [{ partition: 0, value: 'after-reset' }] });
      assert.equal(res!.errorCode, 0);
      assert.equal(res!.baseOffset, '0');
    } finally {
      await producer.disconnect();
    }
  });

  test('snapshot()/restore(): records, leaders, groups and committed offsets come back; a kafkajs group resumes from its commit', async () => {
    await broker.reset();
    broker.produce(
      'orders',
      ['s1', 's2', 's3'].map((v) => ({ value: v, partition: 0 })),
    );
    assert.deepEqual(await consumeAndCommit('g-snap', 'orders', 3), ['s1', 's2', 's3']);
    await broker.waitFor.committed('g-snap', 'orders', 0, 3);
    const leader = broker.partitions.leader('orders', 1) === 1 ? 2 : 1;
    broker.partitions.moveLeader('orders', 1, leader);
    const epoch = broker.partitions.describe('orders')[1]!.leaderEpoch;
    const snap = broker.snapshot();

    broker.produce('orders', [{ value: 'lost', partition: 0 }]);
    broker.produce('gone', ['x']);
    await broker.reset();
    assert.equal(broker.core.groups.offsets.get('g-snap', 'orders', 0), undefined);

    await broker.restore(snap);
    assert.ok(!broker.core.topics.get('gone'));
    assert.equal(broker.partitions.describe('orders')[0]!.logEndOffset, 3);
    assert.deepEqual([broker.partitions.leader('orders', 1), broker.partitions.describe('orders')[1]!.leaderEpoch], [leader, epoch]);
    assert.equal(broker.core.groups.offsets.get('g-snap', 'orders', 0)?.offset, 3);
    assert.equal(broker.core.groups.group('g-snap')?.stateName(), 'Empty');

    broker.produce('orders', [{ value: 's4', partition: 0 }]);
    assert.deepEqual(await consumeAndCommit('g-snap', 'orders', 1), ['s4'], 'resumed after the restored commit');
    assert.deepEqual(
      (await broker.waitFor.records('orders', { count: 4, partition: 0 })).map((r) => r.value),
      ['s1', 's2', 's3', 's4'],
    );
    // The snapshot is not changed by what happened after it.
    await broker.restore(snap);
    assert.equal(broker.partitions.describe('orders')[0]!.logEndOffset, 3);
  });

  test('snapshot()/restore(): producer state, an open transaction and the LSO come back; the transaction then commits', async () => {
    await broker.reset();
    const idem = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    const tx = kafka.producer({ transactionalId: 'tx-snap', idempotent: true, maxInFlightRequests: 1 });
    await idem.connect();
    await tx.connect();
    try {
      for (const v of ['i1', 'i2', 'i3']) await idem.send({ topic: 'orders', messages: [{ partition: 0, value: v }] });
      const txn = await tx.transaction();
      await txn.send({ topic: 'orders', messages: [{ partition: 2, value: 'open-1' }] });
      await txn.send({ topic: 'orders', messages: [{ partition: 2, value: 'open-2' }] });
      const part = (i: number) => broker.core.topics.get('orders')!.partitions[i]!;
      const state = (i: number) => ({
        logEnd: part(i).log.logEndOffset,
        hw: part(i).highWatermark,
        lso: lastStableOffset(part(i)),
        producers: part(i).producers.entries(),
        aborted: [...part(i).producers.abortedIndex()],
      });
      const before = [state(0), state(2)];
      assert.equal(before[0]!.producers.length, 1, 'the idempotent producer is known on orders-0');
      assert.equal(before[1]!.lso, 0, 'the open transaction holds the LSO at its first offset');
      assert.ok(before[1]!.hw > 0);
      const snap = broker.snapshot();

      broker.produce('orders', [{ value: 'later', partition: 2 }]);
      await broker.reset();
      await broker.restore(snap);

      assert.deepEqual([state(0), state(2)], before, 'offsets, HW, LSO and producer state as at the snapshot');
      const more = await idem.send({ topic: 'orders', messages: [{ partition: 0, value: 'i4' }] });
      assert.equal(more[0]!.errorCode, 0);
      assert.equal(more[0]!.baseOffset, String(before[0]!.logEnd), 'the idempotent producer goes on in sequence');

      await txn.commit();
      const after = state(2);
      assert.equal(after.logEnd, before[1]!.logEnd + 1, 'the COMMIT marker follows the restored records');
      assert.equal(after.lso, after.hw, 'no transaction open any more');
      assert.equal(after.producers[0]!.currentTxnFirstOffset, -1);
    } finally {
      await idem.disconnect();
      await tx.disconnect();
    }
  });

  test('snapshot() refuses a disk store', async () => {
    const { tempDir } = await import('./helpers.js');
    const dir = tempDir();
    const disk = await startBroker({ dataDir: dir.path, topics: { d: 1 } });
    try {
      disk.produce('d', ['x']);
      assert.throws(() => disk.snapshot(), /memory store/);
      await disk.reset();
      assert.equal(disk.partitions.describe('d')[0]!.logEndOffset, 0, 'reset works on disk');
    } finally {
      await disk.stop();
      dir.remove();
    }
  });
});

describe('test kit: produce and waitFor', () => {
  test(
    'produce() partitions by key; waitFor.records with where; groupStable, committed and idle with a kafkajs consumer; ' +
      'a timeout names what it waited for',
    async () => {
      await using broker = await startBroker({ topics: { w: 4 } });
      const a = broker.produce('w', [
        { key: 'k1', value: 'one', headers: { h: 'v' } },
        { key: 'k1', value: 'two' },
      ]);
      assert.equal(a[0]!.partition, a[1]!.partition, 'same key, same partition');
      assert.deepEqual(
        a.map((r) => r.offset),
        [0, 1],
      );
      const two = await broker.waitFor.records('w', { count: 1, where: (r) => r.value === 'two' });
      assert.equal(two[0]!.offset, 1);
      const later = broker.waitFor.records('w', { where: (r) => r.value === 'later' });
      setTimeout(() => broker.produce('w', ['later']), 5);
      assert.equal((await later)[0]!.value, 'later');

      const kafka = new Kafka({ clientId: 'wait', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
      const consumer = kafka.consumer({ groupId: 'gw', maxWaitTimeInMs: 50 });
      await consumer.connect();
      try {
        await consumer.subscribe({ topic: 'w', fromBeginning: true });
        await consumer.run({ autoCommitInterval: 10, eachMessage: async () => undefined });
        const stable = await broker.waitFor.groupStable('gw', { members: 1 });
        assert.deepEqual([stable.state, stable.members], ['Stable', 1]);
        assert.equal(await broker.waitFor.committed('gw', 'w', a[0]!.partition, 2), 2);
      } finally {
        await consumer.disconnect();
      }
      await broker.waitFor.idle();
      await assert.rejects(
        broker.waitFor.groupStable('nobody', { timeoutMs: 30 }),
        /timed out after 30 ms waiting for group nobody Stable \(now absent\)/,
      );
    },
  );
});
