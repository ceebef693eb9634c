// KIP-848 consumer group timers on the virtual clock and static membership (GroupMetadataManager's
// consumer group timers): the session timeout fences a silent member (heartbeats keep the others),
// the rebalance timeout fences a member that does not revoke, a static member leaving with epoch -2
// keeps its instance id and partitions and gets them back on rejoin (UNRELEASED_INSTANCE_ID
// meanwhile for another process), and timers stop with the broker.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startBroker, type Broker, type VirtualClock } from '../../broker/index.js';
import { ErrorCode } from '../../protocol/errors.js';
import { CgMember, describeConsumerGroup, settleAll, topicId, type CgOptions } from './groups-kip848-client.js';
import { WireClient } from './wire-client.js';

const T = { timeout: 30_000 };

async function withBroker(
  fn: (b: Broker, clock: VirtualClock, member: (group: string, o?: CgOptions) => Promise<CgMember>, admin: WireClient) => Promise<void>,
): Promise<void> {
  const broker = await startBroker({ clock: 'virtual', topics: { t: 4 } });
  const open: CgMember[] = [];
  const admin = await WireClient.connect(broker.bootstrap);
  try {
    await fn(
      broker,
      broker.clock as VirtualClock,
      async (group, o = {}) => {
        const m = await CgMember.connect(broker.bootstrap, group, o);
        open.push(m);
        return m;
      },
      admin,
    );
  } finally {
    await Promise.all([...open.map((m) => m.close()), admin.close()]);
    await broker.stop();
  }
}

test('session timeout (group.consumer.session.timeout.ms) fences a silent member; the other takes its partitions', T, async () => {
  await withBroker(async (b, clock, member, admin) => {
    const t = topicId(b, 't');
    const a = await member('s');
    const c = await member('s');
    await a.join();
    await c.join();
    await settleAll([a, c]);
    assert.equal(a.partitions(t).length, 2);
    await clock.advance('30s');
    await a.heartbeat();
    await clock.advance('20s');
    // c has been silent for 50 s, a for 20 s.
    let d = await describeConsumerGroup(admin, 's');
    assert.deepEqual(
      d.members.map((m) => m.memberId),
      [a.memberId],
    );
    assert.equal(d.groupEpoch, 4);
    assert.equal(d.groupState, 'Assigning');
    await a.heartbeat();
    assert.equal(a.epoch, 4);
    assert.deepEqual(a.partitions(t), [0, 1, 2, 3]);
    assert.equal((await c.heartbeat()).errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
    await clock.advance('46s');
    d = await describeConsumerGroup(admin, 's');
    assert.equal(d.groupState, 'Empty');
  });
});

test('a member that does not revoke within its rebalance timeout is fenced', T, async () => {
  await withBroker(async (b, clock, member) => {
    const t = topicId(b, 't');
    const a = await member('r', { rebalanceTimeoutMs: 10_000 });
    await a.join();
    const everything = a.owned;
    const c = await member('r');
    await c.join();
    // a keeps reporting all four partitions: it never revokes.
    await a.heartbeat();
    assert.equal(a.partitions(t).length, 2);
    await a.heartbeat({ topicPartitions: everything });
    await clock.advance('9s');
    assert.equal((await a.heartbeat({ topicPartitions: everything })).errorCode, 0);
    await clock.advance('2s');
    assert.equal((await a.heartbeat({ topicPartitions: everything })).errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
    await c.heartbeat();
    await c.heartbeat();
    assert.deepEqual(c.partitions(t), [0, 1, 2, 3]);
  });
});

test('static member: leave with -2 keeps instance and partitions, rejoin gets them back without a new epoch', T, async () => {
  await withBroker(async (b, clock, member, admin) => {
    const t = topicId(b, 't');
    const a = await member('st', { instanceId: 'one' });
    const c = await member('st', { instanceId: 'two' });
    await a.join();
    await c.join();
    await settleAll([a, c]);
    const before = a.partitions(t);
    assert.equal(before.length, 2);
    const epoch = (await describeConsumerGroup(admin, 'st')).groupEpoch;

    // Someone else takes instance "one" while it is active: refused.
    const thief = await member('st', { instanceId: 'one' });
    assert.equal((await thief.join()).errorCode, ErrorCode.UNRELEASED_INSTANCE_ID);
    // Wrong member id for the instance.
    assert.equal((await a.send({ memberEpoch: -2, memberId: c.memberId, topicPartitions: null })).errorCode, ErrorCode.FENCED_INSTANCE_ID);

    const left = await a.leave(-2);
    assert.deepEqual([left.errorCode, left.memberEpoch], [0, -2]);
    const d = await describeConsumerGroup(admin, 'st');
    assert.equal(d.groupEpoch, epoch, 'no new epoch for a static leave');
    assert.equal(d.members.find((m) => m.instanceId === 'one')!.memberEpoch, -2);

    // The instance comes back as a new process (new member id): same partitions, same epoch.
    const back = await member('st', { instanceId: 'one' });
    await clock.advance('10s');
    const res = await back.join();
    assert.equal(res.errorCode, 0);
    assert.notEqual(back.memberId, a.memberId);
    assert.deepEqual(back.partitions(t), before);
    assert.equal(back.epoch, epoch);
    const after = await describeConsumerGroup(admin, 'st');
    assert.equal(after.groupEpoch, epoch);
    assert.equal(after.groupState, 'Stable');
    assert.deepEqual(after.members.map((m) => m.instanceId).sort(), ['one', 'two']);
    assert.equal((await a.heartbeat({ memberEpoch: epoch })).errorCode, ErrorCode.UNKNOWN_MEMBER_ID);

    // A static member that leaves for good (-1) frees its instance and partitions.
    assert.equal((await back.leave(-1)).errorCode, 0);
    await c.settle();
    assert.deepEqual(c.partitions(t), [0, 1, 2, 3]);
  });
});

test('a static member gone with -2 and silent past the session timeout is removed', T, async () => {
  await withBroker(async (_b, clock, member, admin) => {
    const a = await member('gone', { instanceId: 'x' });
    await a.join();
    await a.leave(-2);
    await clock.advance('46s');
    const d = await describeConsumerGroup(admin, 'gone');
    assert.equal(d.groupState, 'Empty');
    const again = await member('gone', { instanceId: 'x' });
    assert.equal((await again.join()).errorCode, 0);
  });
});
