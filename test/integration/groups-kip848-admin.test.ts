// KIP-848 consumer groups beside classic groups (Kafka's GroupMetadataManager,
// OffsetMetadataManager): OffsetCommit/OffsetFetch v9 with member epochs, ConsumerGroupDescribe,
// ListGroups types, DescribeGroups, DeleteGroups, classic JoinGroup against a consumer group and
// ConsumerGroupHeartbeat against a classic one, and kafka-python classic consumers on another group
// of the same broker.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { ErrorCode } from '../../protocol/errors.js';
import { DeleteGroups, DescribeGroups, LeaveGroup, ListGroups, OffsetCommit, OffsetFetch } from '../../protocol/messages/index.js';
import { Member } from './group-client.js';
import { CgMember, describeConsumerGroup, settleAll } from './groups-kip848-client.js';
import { hasPythonModule, python, requireTool } from './helpers.js';
import { WireClient } from './wire-client.js';

const T = { timeout: 60_000 };

async function withBroker(
  fn: (b: Broker, admin: WireClient, open: <M extends { close(): Promise<void> }>(m: M) => M) => Promise<void>,
  clock: 'virtual' | undefined = 'virtual',
): Promise<void> {
  const broker = await startBroker({ clock, topics: { t: 4, py: 2 } });
  const opened: Array<{ close(): Promise<void> }> = [];
  const admin = await WireClient.connect(broker.bootstrap);
  try {
    await fn(broker, admin, (m) => {
      opened.push(m);
      return m;
    });
  } finally {
    await Promise.all([...opened.map((m) => m.close()), admin.close()]);
    await broker.stop();
  }
}

function commit(client: WireClient, version: number, group: string, memberId: string, epoch: number, offset = 5) {
  return client.send(OffsetCommit, version, {
    groupId: group,
    generationIdOrMemberEpoch: epoch,
    memberId,
    groupInstanceId: null,
    topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: offset, committedLeaderEpoch: -1, committedMetadata: '' }] }],
  });
}
const commitError = (res: Awaited<ReturnType<typeof commit>>) => res.topics[0]!.partitions[0]!.errorCode;

function fetchV9(client: WireClient, group: string, memberId: string | null, memberEpoch: number) {
  return client.send(OffsetFetch, 9, {
    groups: [{ groupId: group, memberId, memberEpoch, topics: [{ name: 't', partitionIndexes: [0] }] }],
    requireStable: false,
  });
}

test('OffsetCommit v9 and OffsetFetch v9 check member id and epoch', T, async () => {
  await withBroker(async (b, admin, open) => {
    const a = open(await CgMember.connect(b.bootstrap, 'o'));
    await a.join();
    assert.equal(commitError(await commit(admin, 9, 'o', a.memberId, a.epoch)), ErrorCode.NONE);
    assert.equal(commitError(await commit(admin, 9, 'o', a.memberId, a.epoch + 1)), ErrorCode.STALE_MEMBER_EPOCH);
    assert.equal(commitError(await commit(admin, 9, 'o', 'stranger', a.epoch)), ErrorCode.UNKNOWN_MEMBER_ID);
    assert.equal(commitError(await commit(admin, 8, 'o', a.memberId, a.epoch)), ErrorCode.UNSUPPORTED_VERSION);
    assert.equal(commitError(await commit(admin, 9, 'o', '', -1)), ErrorCode.UNKNOWN_MEMBER_ID, 'a simple commit needs an empty group');

    const b2 = open(await CgMember.connect(b.bootstrap, 'o'));
    await b2.join();
    assert.equal(commitError(await commit(admin, 9, 'o', b2.memberId, b2.epoch - 1)), ErrorCode.STALE_MEMBER_EPOCH);
    await settleAll([a, b2]);

    let f = await fetchV9(admin, 'o', a.memberId, a.epoch);
    assert.equal(f.groups[0]!.errorCode, ErrorCode.NONE);
    assert.equal(f.groups[0]!.topics[0]!.partitions[0]!.committedOffset, 5);
    f = await fetchV9(admin, 'o', a.memberId, a.epoch - 1);
    assert.equal(f.groups[0]!.errorCode, ErrorCode.STALE_MEMBER_EPOCH);
    f = await fetchV9(admin, 'o', 'stranger', 1);
    assert.equal(f.groups[0]!.errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
    f = await fetchV9(admin, 'o', null, -1);
    assert.equal(f.groups[0]!.errorCode, ErrorCode.NONE, 'admin fetches need no member');

    await a.leave();
    await b2.leave();
    assert.equal(commitError(await commit(admin, 9, 'o', '', -1, 9)), ErrorCode.NONE, 'simple commit to an empty consumer group');
    assert.equal(commitError(await commit(admin, 2, 'o', '', -1, 9)), ErrorCode.NONE);
  });
});

test('ListGroups, DescribeGroups, ConsumerGroupDescribe and DeleteGroups with classic and consumer groups side by side', T, async () => {
  await withBroker(async (b, admin, open) => {
    const cg = open(await CgMember.connect(b.bootstrap, 'new-style'));
    await cg.join();
    const classic = open(await Member.connect(b.bootstrap, 'old-style'));
    assert.equal((await classic.join()).errorCode, 0);

    const list = await admin.send(ListGroups, 5, { statesFilter: [], typesFilter: [] });
    const byId = new Map(list.groups.map((g) => [g.groupId, g]));
    assert.deepEqual(
      { ...byId.get('new-style') },
      { groupId: 'new-style', protocolType: 'consumer', groupState: 'Stable', groupType: 'consumer' },
    );
    assert.equal(byId.get('old-style')?.groupType, 'classic');
    const onlyConsumer = await admin.send(ListGroups, 5, { statesFilter: [], typesFilter: ['CONSUMER'] });
    assert.deepEqual(
      onlyConsumer.groups.map((g) => g.groupId),
      ['new-style'],
    );

    const dg = await admin.send(DescribeGroups, 5, { groups: ['new-style'], includeAuthorizedOperations: false });
    assert.equal(dg.groups[0]!.errorCode, ErrorCode.NONE);
    assert.equal(dg.groups[0]!.groupState, 'Dead', 'not a classic group');

    const missing = await describeConsumerGroup(admin, 'nope');
    assert.equal(missing.errorCode, ErrorCode.GROUP_ID_NOT_FOUND);
    const notConsumer = await describeConsumerGroup(admin, 'old-style');
    assert.equal(notConsumer.errorCode, ErrorCode.GROUP_ID_NOT_FOUND);
    assert.match(notConsumer.errorMessage ?? '', /not a consumer group/);

    // At the default migration policy (bidirectional) each protocol joins the other's non-empty
    // group: a classic member inside the consumer group, and the classic group upgraded.
    const intruder = open(await Member.connect(b.bootstrap, 'new-style'));
    assert.equal((await intruder.join()).errorCode, ErrorCode.NONE);
    const other = open(await CgMember.connect(b.bootstrap, 'old-style'));
    assert.equal((await other.join()).errorCode, ErrorCode.NONE);
    assert.equal(b.core.groups.group('old-style')?.type, 'consumer');

    let del = await admin.send(DeleteGroups, 2, { groupsNames: ['new-style'] });
    assert.equal(del.results[0]!.errorCode, ErrorCode.NON_EMPTY_GROUP);
    assert.equal((await intruder.leave()).members[0]!.errorCode, ErrorCode.NONE);
    await cg.leave();
    assert.equal((await describeConsumerGroup(admin, 'new-style')).groupState, 'Empty');
    del = await admin.send(DeleteGroups, 2, { groupsNames: ['new-style'] });
    assert.equal(del.results[0]!.errorCode, ErrorCode.NONE);
    assert.equal((await describeConsumerGroup(admin, 'new-style')).errorCode, ErrorCode.GROUP_ID_NOT_FOUND);
    assert.equal(b.core.groups.group('new-style'), undefined);
  });
});

test('LeaveGroup to a consumer group: the admin removes a static member by instance id (removeMembersFromConsumerGroup)', T, async () => {
  await withBroker(async (b, admin, open) => {
    const s = open(await CgMember.connect(b.bootstrap, 'cg-leave', { topics: ['t'], instanceId: 'inst-1' }));
    const d = open(await CgMember.connect(b.bootstrap, 'cg-leave', { topics: ['t'] }));
    await s.join();
    await d.join();
    await settleAll([s, d]);
    assert.equal((await s.leave(-2)).errorCode, 0, 'a static leave keeps the member');
    const epoch = (await describeConsumerGroup(admin, 'cg-leave')).groupEpoch;
    const leave = (members: Array<{ memberId: string; groupInstanceId: string | null }>) =>
      admin.send(LeaveGroup, 5, { groupId: 'cg-leave', members: members.map((m) => ({ ...m, reason: null })) } as never);
    const res = await leave([
      { memberId: '', groupInstanceId: 'inst-1' },
      { memberId: '', groupInstanceId: 'no-such-instance' },
      { memberId: d.memberId, groupInstanceId: null },
    ]);
    assert.equal(res.errorCode, 0);
    assert.deepEqual(
      res.members.map((m) => [m.memberId, m.groupInstanceId, m.errorCode]),
      [
        ['', 'inst-1', ErrorCode.NONE],
        ['', 'no-such-instance', ErrorCode.UNKNOWN_MEMBER_ID],
        [d.memberId, null, ErrorCode.UNKNOWN_MEMBER_ID], // a KIP-848 member does not leave by LeaveGroup
      ],
    );
    const after = await describeConsumerGroup(admin, 'cg-leave');
    assert.deepEqual(
      after.members.map((m) => m.memberId),
      [d.memberId],
    );
    assert.equal(after.groupEpoch, epoch + 1);
    // The removed member's instance id is free again: it rejoins at once.
    const again = open(await CgMember.connect(b.bootstrap, 'cg-leave', { topics: ['t'], instanceId: 'inst-1' }));
    assert.equal((await again.join()).errorCode, 0);
  });
});

test('an empty consumer group becomes classic on JoinGroup, an empty classic group becomes a consumer group on heartbeat', T, async () => {
  await withBroker(async (b, admin, open) => {
    const cg = open(await CgMember.connect(b.bootstrap, 'flip'));
    await cg.join();
    assert.equal(commitError(await commit(admin, 9, 'flip', cg.memberId, cg.epoch, 3)), ErrorCode.NONE);
    await cg.leave();
    const classic = open(await Member.connect(b.bootstrap, 'flip'));
    assert.equal((await classic.join()).errorCode, 0);
    assert.equal(b.core.groups.group('flip')?.type, 'classic');
    await classic.leave();
    const back = open(await CgMember.connect(b.bootstrap, 'flip'));
    assert.equal((await back.join()).errorCode, 0);
    assert.equal(b.core.groups.group('flip')?.type, 'consumer');
    const f = await fetchV9(admin, 'flip', back.memberId, back.epoch);
    assert.equal(f.groups[0]!.topics[0]!.partitions[0]!.committedOffset, 3, 'offsets survive both conversions');
  });
});

test('kafka-python classic consumers on one group while a consumer group holds another', T, async () => {
  requireTool(() => hasPythonModule('kafka'), 'python3-kafka');
  await withBroker(async (b, admin, open) => {
    const cg = open(await CgMember.connect(b.bootstrap, 'kip848', { topics: ['py'] }));
    await cg.join();
    const out = await python<{ values: string[] }>(
      `
import sys, json, time
from kafka import KafkaProducer, KafkaConsumer
bs = sys.argv[1]
p = KafkaProducer(bootstrap_servers=bs)
for i in range(10): p.send('py', value=b'v%d' % i, partition=i % 2)
p.flush(); p.close()
c = KafkaConsumer('py', group_id='classic-py', bootstrap_servers=bs, auto_offset_reset='earliest')
values = []
end = time.time() + 40
while len(values) < 10 and time.time() < end:
    for tp, ms in c.poll(timeout_ms=500).items():
        values += [m.value.decode() for m in ms]
c.commit(); c.close()
print(json.dumps({'values': sorted(values, key=lambda v: int(v[1:]))}))
`,
      b.bootstrap,
    );
    assert.deepEqual(
      out.values,
      Array.from({ length: 10 }, (_, i) => `v${i}`),
    );
    const list = await admin.send(ListGroups, 5, { statesFilter: [], typesFilter: [] });
    const types = Object.fromEntries(list.groups.map((g) => [g.groupId, g.groupType]));
    assert.deepEqual(types, { kip848: 'consumer', 'classic-py': 'classic' });
    assert.equal((await cg.heartbeat()).errorCode, 0);
    assert.equal((await describeConsumerGroup(admin, 'kip848')).groupState, 'Stable');
  }, undefined);
});
