// KIP-848 online migration inside kafkalite (broker/groups/migration.ts, consumer-group-classic.ts):
// what a conversion writes to `__consumer_offsets` and how a restarted broker rebuilds it, classic
// members' commits and session timeouts inside a consumer group, and the downgrade back to a
// classic group. The answers themselves are compared with Kafka 4.4 in
// test/oracle/scenarios/migration-online.ts and test/oracle/v44-migration-online.test.ts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClassicGroup } from '../../broker/groups/classic-group.js';
import { ConsumerGroup } from '../../broker/groups/consumer-group.js';
import { partitionFor } from '../../broker/groups/records.js';
import { startBroker, type Broker, type VirtualClock } from '../../broker/index.js';
import { ErrorCode } from '../../protocol/errors.js';
import { decodeAssignment } from '../../protocol/messages/consumer-protocol.js';
import * as S from '../../protocol/messages/consumer-group-records.js';
import { decodeVersioned } from '../../protocol/messages/group-records.js';
import { ConsumerGroupDescribe, OffsetCommit } from '../../protocol/messages/index.js';
import { decodeBatchRecords, iterateEntries, type DecodedRecord } from '../../protocol/records/index.js';
import { assignment, Member } from './group-client.js';
import { CgMember, settleAll, topicId } from './groups-kip848-client.js';
import { tempDir } from './helpers.js';
import { WireClient } from './wire-client.js';

const T = { timeout: 30_000 };

function recordsOf(b: Broker, group: string): DecodedRecord[] {
  const topic = b.core.topics.get('__consumer_offsets')!;
  const p = topic.partitions[partitionFor(group, topic.partitions.length)]!;
  const read = p.log.read(p.log.logStartOffset, { maxBytes: 1 << 24, maxOffset: p.log.highWatermark, minOneBatch: true });
  const buf = Buffer.concat(read.chunks);
  const out: DecodedRecord[] = [];
  for (const e of iterateEntries(buf)) out.push(...decodeBatchRecords(buf, e.position).records);
  return out;
}

/** A classic group `group` with one member owning t-0..3 at generation 1. */
async function classicGroup(b: Broker, group: string): Promise<Member> {
  const m = await Member.connect(b.bootstrap, group, { topics: ['t'], sessionTimeoutMs: 12_000 });
  assert.equal((await m.join()).errorCode, 0);
  assert.equal((await m.sync([{ memberId: m.memberId, assignment: assignment({ t: [0, 1, 2, 3] }) }])).errorCode, 0);
  return m;
}

function commit(client: WireClient, version: number, group: string, memberId: string, generation: number) {
  return client.send(OffsetCommit, version, {
    groupId: group,
    generationIdOrMemberEpoch: generation,
    memberId,
    groupInstanceId: null,
    retentionTimeMs: -1,
    topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 7, committedLeaderEpoch: -1, committedMetadata: null }] }],
  } as never);
}

test('an upgrade writes the classic tombstone and the members with their ClassicMemberMetadata; a restart rebuilds them', T, async () => {
  const dir = tempDir();
  try {
    let broker = await startBroker({ dataDir: dir.path, clock: 'virtual', topics: { t: 4 } });
    const classic = await classicGroup(broker, 'up');
    const before = recordsOf(broker, 'up').length;
    const cg = await CgMember.connect(broker.bootstrap, 'up', { topics: ['t'] });
    assert.equal((await cg.join()).errorCode, 0);
    const written = recordsOf(broker, 'up').slice(before);
    // The GroupMetadata tombstone (key version 2), then the converted group (3-8), then the join.
    assert.equal(written[0]!.key!.readInt16BE(0), 2);
    assert.equal(written[0]!.value, null);
    const member = decodeVersioned(S.ConsumerGroupMemberMetadataValue, written[1]!.value!).value;
    assert.equal(member.classicMemberMetadata?.sessionTimeoutMs, 12_000);
    assert.deepEqual(
      member.classicMemberMetadata?.supportedProtocols.map((p) => p.name),
      ['range'],
    );
    assert.deepEqual(member.subscribedTopicNames, ['t']);
    const t = topicId(broker, 't');
    const g = broker.core.groups.group('up') as ConsumerGroup;
    assert.ok(g instanceof ConsumerGroup);
    assert.equal(g.members.get(classic.memberId)?.current.memberEpoch, classic.generation, 'member epoch = classic generation');
    assert.deepEqual([...(g.members.get(classic.memberId)?.current.assigned.get(t) ?? [])].sort(), [0, 1, 2, 3]);
    assert.equal(g.groupEpoch, classic.generation + 1, 'the joining member bumps the epoch');
    assert.equal(await classic.heartbeat(), ErrorCode.REBALANCE_IN_PROGRESS, 'the classic member must rejoin');

    // Its commits go by generation (any OffsetCommit version), as Kafka's ConsumerGroup.validateOffsetCommit.
    const admin = await WireClient.connect(broker.bootstrap);
    const code = async (v: number, gen: number) =>
      (await commit(admin, v, 'up', classic.memberId, gen)).topics[0]!.partitions[0]!.errorCode;
    assert.equal(await code(2, classic.generation), ErrorCode.NONE);
    assert.equal(await code(9, classic.generation + 3), ErrorCode.ILLEGAL_GENERATION);
    await Promise.all([classic.close(), cg.close(), admin.close()]);
    await broker.stop();

    broker = await startBroker({ dataDir: dir.path, clock: 'virtual' });
    const again = broker.core.groups.group('up');
    assert.ok(again instanceof ConsumerGroup);
    assert.equal(again.members.get(classic.memberId)?.meta.classic?.sessionTimeoutMs, 12_000, 'replayed from the tagged field');
    // Its session timeout is its JoinGroup's (12 s), not the group's consumer.session.timeout.ms (45 s).
    await (broker.clock as VirtualClock).advance('12001ms');
    assert.equal(again.members.has(classic.memberId), false, 'fenced after its classic session timeout');
    assert.equal(again.members.size, 1);
    await broker.stop();
  } finally {
    dir.remove();
  }
});

test('classic JoinGroup, SyncGroup and Heartbeat inside a consumer group follow the server-side assignment', T, async () => {
  const broker = await startBroker({ topics: { t: 4 } });
  const cg = await CgMember.connect(broker.bootstrap, 'mix', { topics: ['t'] });
  const classic = await Member.connect(broker.bootstrap, 'mix', { topics: ['t'] });
  try {
    await cg.join();
    await settleAll([cg]);
    const t = topicId(broker, 't');
    assert.equal((await classic.join(3)).errorCode, 0, 'v3: no MEMBER_ID_REQUIRED');
    assert.equal(classic.leader, '');
    assert.equal(classic.lastJoin!.members.length, 0);
    // The KIP-848 member still owns every partition: nothing is handed out yet, and the classic
    // member waits (UNRELEASED_PARTITIONS while another member holds them).
    const first = await classic.sync();
    assert.equal(first.errorCode, 0);
    assert.equal(decodeAssignment(first.assignment).assignedPartitions.length, 0);
    assert.equal(await classic.heartbeat(), ErrorCode.NONE, 'waiting on partitions still owned');
    await settleAll([cg]);
    assert.equal(cg.partitions(t).length, 2, 'the KIP-848 member released half');
    assert.equal(await classic.heartbeat(), ErrorCode.REBALANCE_IN_PROGRESS, 'released: rejoin to take them');
    assert.equal((await classic.join(3)).errorCode, 0);
    const second = await classic.sync();
    assert.equal(second.errorCode, 0);
    assert.deepEqual(decodeAssignment(second.assignment).assignedPartitions[0]?.partitions.length, 2);
    assert.equal(await classic.heartbeat(), ErrorCode.NONE);
    const admin = await WireClient.connect(broker.bootstrap);
    const described = (await admin.send(ConsumerGroupDescribe, 1, { groupIds: ['mix'], includeAuthorizedOperations: false })).groups[0]!;
    await admin.close();
    assert.deepEqual(described.members.map((m) => m.memberType).sort(), [0, 1]);
    // An old generation is refused.
    classic.generation -= 1;
    assert.equal(await classic.heartbeat(), ErrorCode.ILLEGAL_GENERATION);
  } finally {
    await Promise.all([cg.close(), classic.close()]);
    await broker.stop();
  }
});

test('the last KIP-848 member leaving turns the group back into a classic group that rebalances', T, async () => {
  const broker = await startBroker({ topics: { t: 4 } });
  const cg = await CgMember.connect(broker.bootstrap, 'down', { topics: ['t'] });
  const a = await Member.connect(broker.bootstrap, 'down', { topics: ['t'] });
  try {
    await cg.join();
    assert.equal((await a.join()).errorCode, 0);
    assert.equal((await a.sync()).errorCode, 0);
    await cg.leave();
    const g = broker.core.groups.group('down');
    assert.ok(g instanceof ClassicGroup);
    assert.equal(g.state, 'PreparingRebalance');
    assert.equal(g.protocolName, 'range');
    assert.deepEqual([...g.members.keys()], [a.memberId]);
    assert.equal(await a.heartbeat(), ErrorCode.REBALANCE_IN_PROGRESS);
    const rejoin = await a.join();
    assert.equal(rejoin.errorCode, 0);
    assert.equal(rejoin.leader, a.memberId);
    assert.equal((await a.sync([{ memberId: a.memberId, assignment: assignment({ t: [0, 1, 2, 3] }) }])).errorCode, 0);
    assert.equal(g.state, 'Stable');
  } finally {
    await Promise.all([cg.close(), a.close()]);
    await broker.stop();
  }
});

test(
  'a classic static member taking over the last KIP-848 member turns the group classic, in its place, without a rebalance',
  T,
  async () => {
    const broker = await startBroker({ topics: { t: 4 } });
    const cg = await CgMember.connect(broker.bootstrap, 'swap', { topics: ['t'], instanceId: 'i1' });
    const a = await Member.connect(broker.bootstrap, 'swap', { topics: ['t'] });
    const i1 = await Member.connect(broker.bootstrap, 'swap', { topics: ['t'], instanceId: 'i1' });
    try {
      await cg.join();
      assert.equal((await a.join()).errorCode, 0);
      await settleAll([cg]);
      const t = topicId(broker, 't');
      const cgTarget = [...((broker.core.groups.group('swap') as ConsumerGroup).targets.get(cg.memberId)?.get(t) ?? [])].sort();
      assert.equal(cgTarget.length, 2);
      assert.equal((await cg.leave(-2)).errorCode, 0);
      const join = await i1.join();
      assert.equal(join.errorCode, 0);
      const g = broker.core.groups.group('swap');
      assert.ok(g instanceof ClassicGroup);
      assert.equal(g.state, 'Stable', 'no rebalance');
      assert.deepEqual([...g.members.keys()].sort(), [a.memberId, i1.memberId].sort());
      assert.equal(join.generationId, g.generationId);
      const sync = await i1.sync();
      assert.equal(sync.errorCode, 0);
      assert.deepEqual(
        decodeAssignment(sync.assignment).assignedPartitions,
        [{ topic: 't', partitions: cgTarget }],
        "the replaced member's target",
      );
    } finally {
      await Promise.all([cg.close(), a.close(), i1.close()]);
      await broker.stop();
    }
  },
);
