// KIP-848 consumer groups over TCP with the raw wire client
// (GroupMetadataManager.consumerGroupHeartbeat): ApiVersions, two members joining and the uniform
// split with revocation before assignment, the range assignor, request validation and fencing
// errors, and new topics matching a subscription.

import { randomUUID } from 'node:crypto';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { ErrorCode } from '../../protocol/errors.js';
import { ApiVersions, ConsumerGroupHeartbeat } from '../../protocol/messages/index.js';
import { CgMember, describeConsumerGroup, settleAll, topicId, type CgOptions } from './groups-kip848-client.js';
import { WireClient } from './wire-client.js';

const T = { timeout: 30_000 };

async function withBroker(
  fn: (b: Broker, member: (group: string, o?: CgOptions) => Promise<CgMember>, admin: WireClient) => Promise<void>,
): Promise<void> {
  const broker = await startBroker({ clock: 'virtual', topics: { t: 4, u: 3 } });
  const open: CgMember[] = [];
  const admin = await WireClient.connect(broker.bootstrap);
  try {
    await fn(
      broker,
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

test('ApiVersions advertises ConsumerGroupHeartbeat v0-1 and ConsumerGroupDescribe v0-1', T, async () => {
  await withBroker(async (_b, _m, admin) => {
    const res = await admin.send(ApiVersions, 3, { clientSoftwareName: 'kip848', clientSoftwareVersion: '1' });
    const k = (key: number) => res.apiKeys.find((a) => a.apiKey === key);
    assert.deepEqual([k(68)?.minVersion, k(68)?.maxVersion], [0, 1]);
    assert.deepEqual([k(69)?.minVersion, k(69)?.maxVersion], [0, 1]);
  });
});

test('two members: the second joins, the first revokes half, then both are Stable at epoch 3', T, async () => {
  await withBroker(async (b, member, admin) => {
    const t = topicId(b, 't');
    const a = await member('g');
    const j1 = await a.join();
    assert.equal(j1.errorCode, 0);
    assert.match(a.memberId, /^[A-Za-z0-9_-]{22}$/, 'the broker makes a Kafka Uuid member id');
    // A new group starts at epoch 1 (Kafka 4.4, KAFKA-20268): the first join bumps it to 2.
    assert.equal(a.epoch, 2);
    assert.equal(j1.heartbeatIntervalMs, 5000);
    assert.deepEqual(a.partitions(t), [0, 1, 2, 3]);
    assert.equal((await describeConsumerGroup(admin, 'g')).groupState, 'Stable');

    const c = await member('g');
    await c.join();
    assert.equal(c.epoch, 3, 'a new member gets the new group epoch');
    assert.deepEqual(c.partitions(t), [], 'its partitions are still owned by the first member');
    let d = await describeConsumerGroup(admin, 'g');
    assert.equal(d.groupState, 'Reconciling');
    assert.equal(d.groupEpoch, 3);
    assert.equal(d.assignmentEpoch, 3);
    assert.equal(d.assignorName, 'uniform');

    // The first member must revoke before anyone gets anything: it stays at epoch 2.
    const r = await a.heartbeat();
    assert.equal(r.memberEpoch, 2);
    assert.equal(a.partitions(t).length, 2);
    assert.equal(b.core.groups.consumerGroup('g')!.members.get(a.memberId)!.current.state, 0, 'UNREVOKED_PARTITIONS');
    // The second member is still waiting for partitions that are not released yet.
    await c.heartbeat();
    assert.deepEqual(c.partitions(t), []);
    assert.equal(b.core.groups.consumerGroup('g')!.members.get(c.memberId)!.current.state, 1, 'UNRELEASED_PARTITIONS');
    // The first member reports it no longer owns them: it moves to epoch 3.
    await a.heartbeat();
    assert.equal(a.epoch, 3);
    await c.heartbeat();
    assert.equal(c.partitions(t).length, 2);
    assert.deepEqual([...a.partitions(t), ...c.partitions(t)].sort(), [0, 1, 2, 3]);

    d = await describeConsumerGroup(admin, 'g');
    assert.equal(d.groupState, 'Stable');
    assert.equal(d.members.length, 2);
    for (const m of d.members) {
      assert.equal(m.memberEpoch, 3);
      assert.deepEqual(m.assignment, m.targetAssignment);
      assert.equal(m.assignment.topicPartitions[0]!.topicName, 't');
      assert.deepEqual(m.subscribedTopicNames, ['t']);
    }
    // A partial heartbeat without changes carries no assignment.
    const quiet = await a.send({ topicPartitions: null });
    assert.equal(quiet.errorCode, 0);
    assert.equal(quiet.assignment, null);
  });
});

test('a heartbeat without topic_partitions (the Java consumer between changes) still carries a changed assignment', T, async () => {
  await withBroker(async (b, member) => {
    const t = topicId(b, 't');
    const a = await member('g');
    await a.join();
    await a.heartbeat();
    const c = await member('g');
    await c.join();
    // kafka-clients 4.4 sends topic_partitions only when its owned set changed: null here.
    const r = await a.send({ topicPartitions: null });
    assert.equal(r.errorCode, 0);
    assert.equal(r.memberEpoch, 2); // a new group starts at epoch 1 and A's join made it 2 (KAFKA-20268)
    assert.notEqual(r.assignment, null, 'the partitions to keep (the rest to revoke) are in the answer');
    assert.equal(r.assignment!.topicPartitions.find((x) => x.topicId === t)!.partitions.length, 2);
    assert.equal(b.core.groups.consumerGroup('g')!.members.get(a.memberId)!.current.state, 0, 'UNREVOKED_PARTITIONS');
    // Asked again while still revoking, with nothing new: no assignment.
    assert.equal((await a.send({ topicPartitions: null })).assignment, null);
  });
});

test('v1 subscribed_topic_regex: matching topics are assigned, later ones too; a bad regex is INVALID_REGULAR_EXPRESSION', T, async () => {
  await withBroker(async (b, member, admin) => {
    const m = await member('rx');
    const join = (regex: string, who = m) =>
      who.client.send(ConsumerGroupHeartbeat, 1, {
        groupId: who.groupId,
        // v1: the client chooses its member id (KIP-1082); an empty one is INVALID_REQUEST.
        memberId: randomUUID(),
        memberEpoch: 0,
        instanceId: null,
        rackId: null,
        rebalanceTimeoutMs: 30_000,
        subscribedTopicNames: null,
        subscribedTopicRegex: regex,
        serverAssignor: null,
        topicPartitions: [],
      });
    const quoted = await join('\\Qt\\E|\\Qu.\\E', await member('rx-quoted'));
    assert.equal(quoted.errorCode, 0, 'RE2 quoting (Java Pattern.quote) is understood');
    assert.deepEqual(
      quoted.assignment!.topicPartitions.map((t) => t.topicId),
      [topicId(b, 't')],
      'quoted text is literal: u. does not match u',
    );
    const bad = await join('(unclosed');
    assert.equal(bad.errorCode, ErrorCode.INVALID_REGULAR_EXPRESSION);
    assert.match(bad.errorMessage ?? '', /^SubscribedTopicRegex `\(unclosed` is not a valid regular expression/);
    const res = await join('t|u|w');
    assert.equal(res.errorCode, 0);
    const owned = (r: typeof res) => Object.fromEntries(r.assignment!.topicPartitions.map((t) => [t.topicId, [...t.partitions].sort()]));
    assert.deepEqual(owned(res), { [topicId(b, 't')]: [0, 1, 2, 3], [topicId(b, 'u')]: [0, 1, 2] });
    const d = await describeConsumerGroup(admin, 'rx');
    assert.equal(d.members[0]!.subscribedTopicRegex, 't|u|w');
    assert.deepEqual(d.members[0]!.subscribedTopicNames, []);
    // Topics created later: w matches and is assigned on the next heartbeat; ww does not (a full match).
    m.memberId = res.memberId!;
    m.epoch = res.memberEpoch;
    m.owned = res.assignment!.topicPartitions;
    assert.equal(b.core.topics.create('w', { partitions: 2 }).errorCode, 0);
    assert.equal(b.core.topics.create('ww', { partitions: 2 }).errorCode, 0);
    await m.heartbeat();
    assert.equal(m.epoch, res.memberEpoch + 1);
    assert.deepEqual(m.partitions(topicId(b, 'w')), [0, 1]);
    assert.deepEqual(m.partitions(topicId(b, 'ww')), []);
  });
});

test('range assignor by server_assignor; an unknown assignor is UNSUPPORTED_ASSIGNOR', T, async () => {
  await withBroker(async (b, member, admin) => {
    const t = topicId(b, 't');
    const u = topicId(b, 'u');
    const ms = [
      await member('r', { topics: ['t', 'u'], serverAssignor: 'range' }),
      await member('r', { topics: ['t', 'u'], serverAssignor: 'range' }),
    ];
    for (const m of ms) await m.join();
    await settleAll(ms);
    const sorted = [...ms].sort((x, y) => (x.memberId < y.memberId ? -1 : 1));
    assert.deepEqual(sorted[0]!.partitions(t), [0, 1]);
    assert.deepEqual(sorted[1]!.partitions(t), [2, 3]);
    assert.deepEqual(sorted[0]!.partitions(u), [0, 1]);
    assert.deepEqual(sorted[1]!.partitions(u), [2]);
    assert.equal((await describeConsumerGroup(admin, 'r')).assignorName, 'range');

    const x = await member('r', { serverAssignor: 'sticky' });
    const res = await x.join();
    assert.equal(res.errorCode, ErrorCode.UNSUPPORTED_ASSIGNOR);
    assert.match(res.errorMessage ?? '', /sticky/);
  });
});

test('request validation, unknown members and fenced epochs', T, async () => {
  await withBroker(async (_b, member) => {
    const m = await member('v');
    const noSubscription = await m.send({ memberEpoch: 0, rebalanceTimeoutMs: 1000, subscribedTopicNames: null, topicPartitions: [] });
    assert.equal(noSubscription.errorCode, ErrorCode.INVALID_REQUEST);
    assert.equal(noSubscription.errorMessage, 'Either SubscribedTopicNames or SubscribedTopicRegex must be non-null when (re-)joining.');
    // Kafka 4.4 takes an empty list: a member subscribed to nothing (the Java consumer before its
    // Pattern matched a topic).
    const empty = await (await member('v-empty')).send({
      memberEpoch: 0,
      rebalanceTimeoutMs: 1000,
      subscribedTopicNames: [],
      topicPartitions: [],
    });
    assert.deepEqual([empty.errorCode, empty.memberEpoch, empty.assignment?.topicPartitions], [0, 1, []]);
    assert.equal(
      (await m.send({ memberEpoch: 0, rebalanceTimeoutMs: -1, subscribedTopicNames: ['t'], topicPartitions: [] })).errorCode,
      ErrorCode.INVALID_REQUEST,
    );
    assert.equal(
      (await m.send({ memberEpoch: 0, rebalanceTimeoutMs: 1000, subscribedTopicNames: ['t'], topicPartitions: null })).errorCode,
      ErrorCode.INVALID_REQUEST,
    );
    assert.equal((await m.send({ memberEpoch: 3, memberId: '' })).errorCode, ErrorCode.INVALID_REQUEST);
    assert.equal((await m.send({ memberEpoch: -3, memberId: 'x' })).errorCode, ErrorCode.INVALID_REQUEST);
    assert.equal((await m.send({ groupId: '', memberEpoch: 0 })).errorCode, ErrorCode.INVALID_REQUEST);
    assert.equal((await m.send({ memberEpoch: 1, memberId: 'nobody' })).errorCode, ErrorCode.GROUP_ID_NOT_FOUND);

    await m.join();
    assert.equal((await m.send({ memberEpoch: 1, memberId: 'nobody' })).errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
    assert.equal((await m.send({ memberEpoch: 7 })).errorCode, ErrorCode.FENCED_MEMBER_EPOCH);
    assert.equal((await m.send({ memberEpoch: -1, memberId: 'nobody' })).errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
    // A fenced member rejoins with epoch 0 and its member id.
    const again = await m.join();
    assert.equal(again.errorCode, 0);
    assert.equal(again.memberEpoch, 2, 'same subscription: no new group epoch');
    const left = await m.leave();
    assert.deepEqual([left.errorCode, left.memberEpoch], [0, -1]);
    assert.equal((await m.send({ memberEpoch: 1 })).errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
  });
});

test('a topic created later that matches a subscription bumps the epoch and is assigned; deleted topics are revoked', T, async () => {
  await withBroker(async (b, member, admin) => {
    const m = await member('n', { topics: ['t', 'later'] });
    await m.join();
    assert.equal(m.epoch, 2);
    b.core.topics.create('later', { partitions: 2 });
    await m.heartbeat();
    assert.equal(m.epoch, 3);
    assert.deepEqual(m.partitions(topicId(b, 'later')), [0, 1]);
    const d = await describeConsumerGroup(admin, 'n');
    assert.equal(d.groupEpoch, 3);
    const laterId = topicId(b, 'later');
    b.core.topics.delete('later');
    await m.heartbeat();
    assert.equal(m.epoch, 3, 'must revoke the deleted topic first');
    assert.deepEqual(m.partitions(laterId), []);
    await m.heartbeat();
    assert.equal(m.epoch, 4);
    assert.deepEqual(m.partitions(topicId(b, 't')), [0, 1, 2, 3]);
  });
});
