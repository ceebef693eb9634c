// A real KIP-848 client: @platformatic/kafka consumers with groupProtocol 'consumer'
// (ConsumerGroupHeartbeat v0, OffsetCommit/OffsetFetch v9 with member epochs) against an
// in-process broker on the real clock: one member reads everything and commits, a second
// joins and the partitions are split by the server assignor (revoked before reassigned),
// new records reach the owner of each partition, a leaving member's partitions move back,
// and groupRemoteAssignor 'range' picks the range assignor.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Consumer, Producer, stringDeserializers, stringSerializers } from '@platformatic/kafka';
import { startBroker, type Broker } from '../../broker/index.js';
import { describeConsumerGroup } from './groups-kip848-client.js';
import { WireClient } from './wire-client.js';

const T = { timeout: 60_000 };

/** Wait (bounded by the test timeout, never asserted on time) until `cond` holds. */
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 25));
}

interface Running {
  consumer: Consumer<string, string, string, string>;
  stream: Awaited<ReturnType<Consumer<string, string, string, string>['consume']>>;
  got: string[];
}

describe('consumer groups: @platformatic/kafka with group.protocol=consumer', () => {
  let broker: Broker;
  let admin: WireClient;
  const running: Running[] = [];
  before(async () => {
    broker = await startBroker({ topics: { orders: 4, pairs: 2 }, config: { 'group.consumer.heartbeat.interval.ms': 100 } });
    admin = await WireClient.connect(broker.bootstrap);
  });
  after(async () => {
    for (const r of running.splice(0)) await stop(r);
    await admin?.close();
    await broker?.stop();
  });

  async function produce(topic: string, from: number, n: number, partitions: number): Promise<void> {
    const p = new Producer({ clientId: 'kip848-producer', bootstrapBrokers: [broker.bootstrap], serializers: stringSerializers });
    await p.send({
      messages: Array.from({ length: n }, (_, i) => ({
        topic,
        key: `k${from + i}`,
        value: `v${from + i}`,
        partition: (from + i) % partitions,
      })),
    });
    await p.close();
  }

  async function start(group: string, topics: string[], clientId: string, extra: Record<string, unknown> = {}): Promise<Running> {
    const consumer = new Consumer({
      groupId: group,
      clientId,
      bootstrapBrokers: [broker.bootstrap],
      deserializers: stringDeserializers,
      groupProtocol: 'consumer',
      ...extra,
    });
    const stream = await consumer.consume({ topics, mode: 'committed', fallbackMode: 'earliest', autocommit: 50 });
    const r: Running = { consumer, stream, got: [] };
    stream.on('data', (m) => r.got.push(`${m.topic}/${m.partition}:${m.value}`));
    running.push(r);
    return r;
  }

  async function stop(r: Running): Promise<void> {
    running.splice(running.indexOf(r), 1);
    await r.stream.close();
    await r.consumer.close(true);
  }

  const owned = (r: Running, topic: string) =>
    r.consumer.assignments
      ?.find((a) => a.topic === topic)
      ?.partitions.slice()
      .sort() ?? [];

  test('two members split a topic, commit with member epochs, and hand partitions back on leave', T, async () => {
    // Values are compared as sets: a producer retry may store a record twice.
    const has = (r: Running, from: number, to: number) => {
      const values = new Set(r.got.map((m) => m.split(':')[1]));
      for (let i = from; i < to; i++) if (!values.has(`v${i}`)) return false;
      return true;
    };
    const hwm = () => broker.core.topics.get('orders')!.partitions.map((p) => p.log.highWatermark);
    const committedAll = () => hwm().every((end, p) => broker.core.groups.offsets.get('pk', 'orders', p)?.offset === end);
    await produce('orders', 0, 40, 4);
    const a = await start('pk', ['orders'], 'member-a');
    await until(() => has(a, 0, 40) && committedAll());
    const g = broker.core.groups.consumerGroup('pk')!;

    const b = await start('pk', ['orders'], 'member-b');
    await until(
      () => g.stateName() === 'Stable' && g.groupEpoch === 3 && owned(a, 'orders').length === 2 && owned(b, 'orders').length === 2,
    );
    assert.deepEqual([...owned(a, 'orders'), ...owned(b, 'orders')].sort(), [0, 1, 2, 3]);
    const d = await describeConsumerGroup(admin, 'pk');
    assert.deepEqual(d.members.map((m) => m.clientId).sort(), ['member-a', 'member-b']);
    assert.equal(d.assignorName, 'uniform');
    assert.equal(b.got.length, 0, 'b resumes from what a committed');

    await produce('orders', 40, 8, 4);
    await until(() =>
      [40, 41, 42, 43, 44, 45, 46, 47].every((i) => a.got.some((m) => m.endsWith(`:v${i}`)) || b.got.some((m) => m.endsWith(`:v${i}`))),
    );
    // Each new record reaches the member owning its partition. (This client version may keep
    // fetching revoked partitions for a while, so the former owner can see some too.)
    for (let i = 40; i < 48; i++) {
      const partition = i % 4;
      const owner = owned(a, 'orders').includes(partition) ? a : b;
      assert.ok(owned(owner, 'orders').includes(partition));
      await until(() => owner.got.includes(`orders/${partition}:v${i}`));
    }

    await stop(b);
    await until(() => owned(a, 'orders').length === 4 && g.members.size === 1 && g.stateName() === 'Stable');
    await produce('orders', 48, 4, 4);
    await until(() => has(a, 48, 52));
    await stop(a);
    await until(() => g.stateName() === 'Empty');
  });

  test("groupRemoteAssignor 'range' gives co-partitioned ranges", T, async () => {
    const x = await start('pk-range', ['orders', 'pairs'], 'x', { groupRemoteAssignor: 'range' });
    const y = await start('pk-range', ['orders', 'pairs'], 'y', { groupRemoteAssignor: 'range' });
    const g = () => broker.core.groups.consumerGroup('pk-range');
    await until(
      () => g()?.stateName() === 'Stable' && g()!.members.size === 2 && owned(x, 'orders').length === 2 && owned(y, 'orders').length === 2,
    );
    assert.equal((await describeConsumerGroup(admin, 'pk-range')).assignorName, 'range');
    const [first, second] = x.consumer.memberId! < y.consumer.memberId! ? [x, y] : [y, x];
    assert.deepEqual(owned(first!, 'orders'), [0, 1]);
    assert.deepEqual(owned(second!, 'orders'), [2, 3]);
    assert.deepEqual(owned(first!, 'pairs'), [0]);
    assert.deepEqual(owned(second!, 'pairs'), [1]);
    await stop(x);
    await stop(y);
  });
});
