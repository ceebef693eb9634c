// KIP-932 share groups over TCP with the raw wire client (ShareGroupHeartbeat v1,
// ShareGroupDescribe v1; broker/groups/share/): a member joins with the id it generated and gets
// every partition, a second member splits them with the `simple` assignor, more members than
// partitions share them, leave (-1) and session timeouts tell delivery through
// core.shareGroups.onMemberLeft, fencing errors with Kafka's messages, and a restarted broker
// rebuilding the group from its key 10-15 records in `__consumer_offsets`.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startBroker, type Broker, type VirtualClock } from '../../broker/index.js';
import { ErrorCode } from '../../protocol/errors.js';
import { ShareGroupDescribe } from '../../protocol/messages/index.js';
import { tempDir } from './helpers.js';
import { SgMember } from './share-group-client.js';
import { WireClient } from './wire-client.js';

const T = { timeout: 30_000 };

async function withBroker(
  fn: (b: Broker, member: (g: string, topics?: string[]) => Promise<SgMember>, admin: WireClient) => Promise<void>,
) {
  // The wire clients stay connected across the clock's jumps (connections.max.idle.ms runs on the broker clock).
  const broker = await startBroker({ clock: 'virtual', topics: { t: 4, u: 1 }, config: { 'connections.max.idle.ms': 86_400_000 } });
  const clients: WireClient[] = [];
  const admin = await WireClient.connect(broker.bootstrap);
  try {
    await fn(
      broker,
      async (g, topics = ['t']) => {
        const c = await WireClient.connect(broker.bootstrap);
        clients.push(c);
        return new SgMember(c, g, topics);
      },
      admin,
    );
  } finally {
    await Promise.all([...clients.map((c) => c.close()), admin.close()]);
    await broker.stop();
  }
}

const clock = (b: Broker) => b.clock as VirtualClock;

const describe = async (admin: WireClient, g: string) =>
  (await admin.send(ShareGroupDescribe, 1, { groupIds: [g], includeAuthorizedOperations: false })).groups[0]!;

test('join, a second member splits the partitions, leave gives them back and tells delivery', T, async () => {
  await withBroker(async (b, member, admin) => {
    const t = b.core.topics.get('t')!.id;
    const left: string[] = [];
    b.core.shareGroups.onMemberLeft((g, m) => left.push(`${g}/${m}`));
    const a = await member('sg');
    const j = await a.join();
    assert.equal(j.errorCode, 0);
    assert.equal(j.memberId, a.memberId, 'the member keeps the id it generated');
    assert.equal(j.memberEpoch, 2, 'a new group is at epoch 1, the join bumps it');
    assert.equal(j.heartbeatIntervalMs, 5000);
    assert.equal(a.count(), 0, 'the share-partitions are initialized first (Kafka: InitializeShareGroupState)');
    assert.equal((await a.heartbeat()).assignment, null, 'within share.assignment.interval.ms nothing is reassigned');
    await clock(b).advance('1s');
    const h0 = await a.heartbeat();
    assert.equal(h0.memberEpoch, 3, 'the initialization bumped the group epoch');
    assert.deepEqual(a.assigned, [{ topicId: t, partitions: [0, 1, 2, 3] }]);
    assert.deepEqual(b.core.shareGroups.member('sg', a.memberId)?.assignment, [{ topicId: t, topicName: 't', partitions: [0, 1, 2, 3] }]);

    await clock(b).advance('1s');
    const c = await member('sg');
    await c.join();
    assert.equal(c.epoch, 4);
    assert.equal(c.count(), 2, 'no revocation in share groups: the new member gets its half at once');
    const h = await a.heartbeat();
    assert.equal(h.memberEpoch, 4);
    assert.equal(a.count(), 2);
    const all = [...a.assigned[0]!.partitions, ...c.assigned[0]!.partitions].sort();
    assert.deepEqual(all, [0, 1, 2, 3]);
    assert.equal((await a.heartbeat()).assignment, null, 'no change: no assignment in the answer');

    const d = await describe(admin, 'sg');
    assert.deepEqual([d.errorCode, d.groupState, d.groupEpoch, d.assignmentEpoch, d.assignorName], [0, 'Stable', 4, 4, 'simple']);
    assert.equal(d.members.length, 2);

    const l = await c.leave();
    assert.deepEqual([l.errorCode, l.memberEpoch], [0, -1]);
    assert.deepEqual(left, [`sg/${c.memberId}`]);
    await clock(b).advance('1s');
    await a.heartbeat();
    assert.equal(a.count(), 4);
    await a.leave();
    assert.equal((await describe(admin, 'sg')).groupState, 'Empty');
  });
});

test('more members than partitions: each member gets one, every partition is read', T, async () => {
  await withBroker(async (b, member) => {
    const ms = [await member('few', ['u']), await member('few', ['u']), await member('few', ['u'])];
    for (const m of ms) await m.join();
    await clock(b).advance('1s');
    for (const m of ms) await m.heartbeat();
    for (const m of ms) assert.deepEqual(m.assigned[0]?.partitions, [0]);
  });
});

test('errors: invalid requests, unknown member, fenced epochs, unknown group', T, async () => {
  await withBroker(async (_b, member, admin) => {
    const a = await member('err');
    const inv = await a.send({ memberEpoch: 0, subscribedTopicNames: [] });
    assert.deepEqual([inv.errorCode, inv.errorMessage], [ErrorCode.INVALID_REQUEST, 'SubscribedTopicNames must be set in first request.']);
    const none = await a.send({ memberEpoch: 3 });
    assert.equal(none.errorCode, ErrorCode.GROUP_ID_NOT_FOUND);
    await a.join();
    const fenced = await a.send({ memberEpoch: a.epoch + 5 });
    assert.equal(fenced.errorCode, ErrorCode.FENCED_MEMBER_EPOCH);
    assert.match(fenced.errorMessage ?? '', /greater member epoch/);
    const stranger = await member('err');
    const unknown = await stranger.send({ memberEpoch: 2 });
    assert.equal(unknown.errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
    assert.equal((await describe(admin, 'nope')).errorCode, ErrorCode.GROUP_ID_NOT_FOUND);
  });
});

test('share.version 0 finalized: heartbeats and describes answer UNSUPPORTED_VERSION', T, async () => {
  await withBroker(async (b, member, admin) => {
    const a = await member('off');
    assert.equal((await a.join()).errorCode, 0);
    assert.equal(b.core.features.update([{ feature: 'share.version', level: 0, upgradeType: 2 }], false).errorCode, 0);
    assert.equal((await a.heartbeat()).errorCode, ErrorCode.UNSUPPORTED_VERSION);
    assert.equal((await describe(admin, 'off')).errorCode, ErrorCode.UNSUPPORTED_VERSION);
  });
});

test('group.share.max.size: one member more is GROUP_MAX_SIZE_REACHED', T, async () => {
  const broker = await startBroker({ clock: 'virtual', topics: { t: 1 }, config: { 'group.share.max.size': 1 } });
  const client = await WireClient.connect(broker.bootstrap);
  try {
    assert.equal((await new SgMember(client, 'max', ['t']).join()).errorCode, 0);
    const r = await new SgMember(client, 'max', ['t']).join();
    assert.deepEqual(
      [r.errorCode, r.errorMessage],
      [ErrorCode.GROUP_MAX_SIZE_REACHED, 'The share group has reached its maximum capacity of 1 members.'],
    );
  } finally {
    await client.close();
    await broker.stop();
  }
});

test('a silent member is fenced after share.session.timeout.ms and delivery hears of it', T, async () => {
  await withBroker(async (b, member, admin) => {
    const left: string[] = [];
    b.core.shareGroups.onMemberLeft((_g, m) => left.push(m));
    const a = await member('quiet');
    await a.join();
    await (b.clock as VirtualClock).advance('30s');
    await a.heartbeat();
    await (b.clock as VirtualClock).advance('46s');
    assert.deepEqual(left, [a.memberId]);
    assert.equal((await describe(admin, 'quiet')).groupState, 'Empty');
    const r = await a.heartbeat();
    assert.equal(r.errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
  });
});

test('an empty share group does not expire (Kafka: ShareGroup.shouldExpire is false)', T, async () => {
  await withBroker(async (b, member, admin) => {
    const a = await member('stays');
    await a.join();
    await a.leave();
    await clock(b).advance('11m');
    const d = await describe(admin, 'stays');
    assert.deepEqual([d.errorCode, d.groupState], [0, 'Empty']);
  });
});

test('a restarted broker rebuilds share groups from __consumer_offsets', T, async () => {
  const dir = tempDir();
  try {
    let broker = await startBroker({ dataDir: dir.path, clock: 'virtual', topics: { t: 4 } });
    let client = await WireClient.connect(broker.bootstrap);
    const a = new SgMember(client, 'keep', ['t']);
    const c = new SgMember(client, 'keep', ['t']);
    await a.join();
    await (broker.clock as VirtualClock).advance('1s');
    await c.join();
    await a.heartbeat();
    assert.equal(a.count() + c.count(), 4);
    const before = await describe(client, 'keep');
    await client.close();
    await broker.stop();

    broker = await startBroker({ dataDir: dir.path, clock: 'virtual' });
    client = await WireClient.connect(broker.bootstrap);
    const after = await describe(client, 'keep');
    const norm = (d: typeof before) => ({ ...d, members: [...d.members].sort((x, y) => (x.memberId < y.memberId ? -1 : 1)) });
    assert.deepEqual(norm(after), norm(before));
    Object.assign(a, { client });
    assert.equal((await a.heartbeat()).errorCode, 0, 'the member carries on at its epoch');
    await (broker.clock as VirtualClock).advance('46s');
    assert.equal((await describe(client, 'keep')).groupState, 'Empty', 'session timers were armed at load');
    await client.close();
    await broker.stop();
  } finally {
    dir.remove();
  }
});
