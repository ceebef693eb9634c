// KIP-848 consumer group records in `__consumer_offsets` (GroupCoordinatorRecordHelpers, key
// versions 3-8) and their replay: the schemas against Kafka's JSON specs, the records a join writes
// (byte layout: int16 key version + key, int16 value version + flexible value), tombstones on leave
// and delete, and a broker restarted on the same data directory rebuilding groups, epochs, members,
// target and current assignments, static members and session timers.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { partitionFor } from '../../broker/groups/records.js';
import { startBroker, type Broker, type VirtualClock } from '../../broker/index.js';
import { ErrorCode } from '../../protocol/errors.js';
import * as S from '../../protocol/messages/consumer-group-records.js';
import { decodeVersioned } from '../../protocol/messages/group-records.js';
import { DeleteGroups, OffsetCommit, OffsetFetch } from '../../protocol/messages/index.js';
import { decodeBatchRecords, iterateEntries, type DecodedRecord } from '../../protocol/records/index.js';
import { CgMember, describeConsumerGroup, settleAll, topicId } from './groups-kip848-client.js';
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
const keyVersion = (r: DecodedRecord) => r.key!.readInt16BE(0);

test('a join writes member, topics, epoch, target and current records; a leave writes tombstones', T, async () => {
  const broker = await startBroker({ topics: { t: 2 } });
  const m = await CgMember.connect(broker.bootstrap, 'rec', { topics: ['t'] });
  try {
    await m.join();
    const recs = recordsOf(broker, 'rec');
    assert.deepEqual(recs.map(keyVersion), [5, 4, 3, 7, 6, 8]);
    for (const r of recs) assert.equal(r.value!.readInt16BE(0), 0, 'value version 0');
    const member = decodeVersioned(S.ConsumerGroupMemberMetadataValue, recs[0]!.value!).value;
    assert.deepEqual(decodeVersioned(S.ConsumerGroupMemberMetadataKey, recs[0]!.key!).value, { groupId: 'rec', memberId: m.memberId });
    assert.deepEqual(member.subscribedTopicNames, ['t']);
    assert.equal(member.rebalanceTimeoutMs, 30_000);
    assert.equal(member.classicMemberMetadata, null);
    const topics = decodeVersioned(S.ConsumerGroupPartitionMetadataValue, recs[1]!.value!).value.topics;
    assert.deepEqual(topics, [{ topicId: topicId(broker, 't'), topicName: 't', numPartitions: 2, partitionMetadata: [] }]);
    assert.equal(decodeVersioned(S.ConsumerGroupMetadataValue, recs[2]!.value!).value.epoch, 2, 'a new group starts at 1 (KAFKA-20268)');
    assert.deepEqual(decodeVersioned(S.ConsumerGroupTargetAssignmentMemberValue, recs[3]!.value!).value.topicPartitions, [
      { topicId: topicId(broker, 't'), partitions: [0, 1] },
    ]);
    assert.equal(decodeVersioned(S.ConsumerGroupTargetAssignmentMetadataValue, recs[4]!.value!).value.assignmentEpoch, 2);
    const current = decodeVersioned(S.ConsumerGroupCurrentMemberAssignmentValue, recs[5]!.value!).value;
    assert.deepEqual([current.memberEpoch, current.previousMemberEpoch, current.state], [2, 0, 2]);
    assert.deepEqual(current.assignedPartitions, [{ topicId: topicId(broker, 't'), partitions: [0, 1], assignmentEpochs: [] }]);

    await m.leave();
    const after = recordsOf(broker, 'rec').slice(6);
    assert.deepEqual(after.map(keyVersion), [8, 7, 5, 4, 3, 6]);
    assert.deepEqual(
      after.slice(0, 4).map((r) => r.value),
      [null, null, null, r4(after)],
    );
    assert.equal(decodeVersioned(S.ConsumerGroupMetadataValue, after[4]!.value!).value.epoch, 3);
    // The group is empty: its assignment epoch follows the group epoch (KAFKA-20442).
    assert.equal(decodeVersioned(S.ConsumerGroupTargetAssignmentMetadataValue, after[5]!.value!).value.assignmentEpoch, 3);

    const admin = await WireClient.connect(broker.bootstrap);
    assert.equal((await admin.send(DeleteGroups, 2, { groupsNames: ['rec'] })).results[0]!.errorCode, ErrorCode.NONE);
    await admin.close();
    const del = recordsOf(broker, 'rec').slice(12);
    assert.deepEqual(del.map(keyVersion), [6, 4, 3]);
    assert.ok(del.every((r) => r.value === null));
  } finally {
    await m.close();
    await broker.stop();
  }
});
/** The PartitionMetadata record after the last member left lists no topics. */
function r4(recs: DecodedRecord[]): Buffer | null {
  assert.deepEqual(decodeVersioned(S.ConsumerGroupPartitionMetadataValue, recs[3]!.value!).value.topics, []);
  return recs[3]!.value;
}

test('a restarted broker rebuilds consumer groups from __consumer_offsets', T, async () => {
  const dir = tempDir();
  try {
    let broker = await startBroker({ dataDir: dir.path, clock: 'virtual', topics: { t: 4 } });
    const t = topicId(broker, 't');
    let a = await CgMember.connect(broker.bootstrap, 'keep', { instanceId: 'a' });
    let c = await CgMember.connect(broker.bootstrap, 'keep');
    await a.join();
    await c.join();
    await settleAll([a, c]);
    const admin = await WireClient.connect(broker.bootstrap);
    const commit = await admin.send(OffsetCommit, 9, {
      groupId: 'keep',
      generationIdOrMemberEpoch: c.epoch,
      memberId: c.memberId,
      groupInstanceId: null,
      topics: [
        {
          name: 't',
          partitions: [{ partitionIndex: c.partitions(t)[0]!, committedOffset: 42, committedLeaderEpoch: -1, committedMetadata: 'm' }],
        },
      ],
    });
    assert.equal(commit.topics[0]!.partitions[0]!.errorCode, 0);
    await a.leave(-2);
    const gone = await CgMember.connect(broker.bootstrap, 'gone');
    await gone.join();
    await gone.leave();
    assert.equal((await admin.send(DeleteGroups, 2, { groupsNames: ['gone'] })).results[0]!.errorCode, 0);
    const before = await describeConsumerGroup(admin, 'keep');
    const aPartitions = a.partitions(t);
    await Promise.all([a.close(), c.close(), gone.close(), admin.close()]);
    await broker.stop();

    broker = await startBroker({ dataDir: dir.path, clock: 'virtual' });
    const admin2 = await WireClient.connect(broker.bootstrap);
    const after = await describeConsumerGroup(admin2, 'keep');
    assert.deepEqual(after, before);
    assert.equal(after.groupState, 'Reconciling', 'the static member is away (-2)');
    assert.equal((await describeConsumerGroup(admin2, 'gone')).errorCode, ErrorCode.GROUP_ID_NOT_FOUND);

    // The dynamic member carries on at its epoch; the static one comes back to its partitions.
    const cOld = c;
    c = await CgMember.connect(broker.bootstrap, 'keep');
    Object.assign(c, { memberId: cOld.memberId, epoch: cOld.epoch, owned: cOld.owned });
    assert.equal((await c.heartbeat()).errorCode, 0);
    assert.equal(c.epoch, before.groupEpoch);
    a = await CgMember.connect(broker.bootstrap, 'keep', { instanceId: 'a' });
    assert.equal((await a.join()).errorCode, 0);
    assert.deepEqual(a.partitions(t), aPartitions);
    assert.equal((await describeConsumerGroup(admin2, 'keep')).groupState, 'Stable');
    const f = await admin2.send(OffsetFetch, 9, {
      groups: [{ groupId: 'keep', memberId: c.memberId, memberEpoch: c.epoch, topics: null }],
      requireStable: false,
    });
    assert.equal(f.groups[0]!.topics[0]!.partitions[0]!.committedOffset, 42);

    // Session timers were armed at load: silence removes both members.
    await (broker.clock as VirtualClock).advance('46s');
    assert.equal((await describeConsumerGroup(admin2, 'keep')).groupState, 'Empty');
    await Promise.all([a.close(), c.close(), admin2.close()]);
    await broker.stop();
  } finally {
    dir.remove();
  }
});
