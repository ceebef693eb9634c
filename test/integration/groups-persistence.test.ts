// What the coordinator writes to `__consumer_offsets`, byte for byte as Kafka lays it out
// (GroupCoordinatorRecordSerde: key = int16 version + struct, value = int16 version + struct,
// tombstones), and what a broker restarted on the same data directory rebuilds from it: committed
// offsets, groups with their generation, protocol and members, deleted groups staying deleted.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { partitionFor } from '../../broker/groups/records.js';
import { startBroker, type Broker, type VirtualClock } from '../../broker/index.js';
import { ErrorCode } from '../../protocol/errors.js';
import { DeleteGroups, DescribeGroups, OffsetCommit, OffsetFetch } from '../../protocol/messages/index.js';
import {
  GroupMetadataKey,
  GroupMetadataValue,
  OffsetCommitKey,
  OffsetCommitValue,
  decodeVersioned,
} from '../../protocol/messages/group-records.js';
import { decodeBatchRecords, iterateEntries, type DecodedRecord } from '../../protocol/records/index.js';
import { Member, assignment, subscription } from './group-client.js';
import { tempDir } from './helpers.js';
import { WireClient } from './wire-client.js';

const T = { timeout: 30_000 };

/** Every record of the group's `__consumer_offsets` partition, with its batch's attributes. */
function recordsOf(b: Broker, group: string): Array<DecodedRecord & { attributes: number }> {
  const topic = b.core.topics.get('__consumer_offsets')!;
  const p = topic.partitions[partitionFor(group, topic.partitions.length)]!;
  const read = p.log.read(p.log.logStartOffset, { maxBytes: 1 << 24, maxOffset: p.log.highWatermark, minOneBatch: true });
  const buf = Buffer.concat(read.chunks);
  const out: Array<DecodedRecord & { attributes: number }> = [];
  for (const e of iterateEntries(buf)) {
    const batch = decodeBatchRecords(buf, e.position);
    for (const r of batch.records) out.push({ ...r, attributes: batch.header.attributes });
  }
  return out;
}

const keyVersion = (r: DecodedRecord) => r.key!.readInt16BE(0);
const valueVersion = (r: DecodedRecord) => (r.value ? r.value.readInt16BE(0) : null);

test(
  'records in __consumer_offsets: OffsetCommitKey v1 + value v4 with the topic id (v1 with retention), GroupMetadataKey v2 + value v3 with members, tombstones on delete',
  T,
  async () => {
    const broker = await startBroker({ topics: { t: 2 } });
    const c = await WireClient.connect(broker.bootstrap);
    const a = await Member.connect(broker.bootstrap, 'bytes', {
      topics: ['t'],
      clientId: 'byte-client',
      sessionTimeoutMs: 12_000,
      rebalanceTimeoutMs: 34_000,
    });
    try {
      await a.join();
      const mine = assignment({ t: [0, 1] });
      await a.sync([{ memberId: a.memberId, assignment: mine }]);
      const commit = (version: number, offset: number, extra: Record<string, unknown>) =>
        c.send(OffsetCommit, version, {
          groupId: 'bytes',
          generationIdOrMemberEpoch: a.generation,
          memberId: a.memberId,
          topics: [
            {
              name: 't',
              partitions: [
                { partitionIndex: 1, committedOffset: offset, committedLeaderEpoch: 5, committedMetadata: 'meta', commitTimestamp: -1 },
              ],
            },
          ],
          ...extra,
        });
      const before = Date.now();
      await commit(8, 100, {});
      await commit(2, 101, { retentionTimeMs: 3_600_000 });

      const recs = recordsOf(broker, 'bytes');
      for (const r of recs) assert.equal(r.attributes & 0x07, 0, 'no compression (offsets.topic.compression.codec=0)');
      // First the new group (empty GroupMetadata), then the join's answer, then the sync's.
      const groupRecs = recs.filter((r) => keyVersion(r) === 2);
      assert.ok(groupRecs.length >= 2);
      const last = groupRecs[groupRecs.length - 1]!;
      assert.deepEqual(decodeVersioned(GroupMetadataKey, last.key!).value, { group: 'bytes' });
      assert.equal(valueVersion(last), 3);
      const gm = decodeVersioned(GroupMetadataValue, last.value!).value;
      assert.deepEqual(
        { ...gm, members: undefined },
        {
          protocolType: 'consumer',
          generation: 1,
          protocol: 'range',
          leader: a.memberId,
          currentStateTimestamp: gm.currentStateTimestamp,
          members: undefined,
        },
      );
      assert.ok(gm.currentStateTimestamp >= before - 60_000);
      assert.deepEqual(gm.members, [
        {
          memberId: a.memberId,
          groupInstanceId: null,
          clientId: 'byte-client',
          clientHost: '/127.0.0.1',
          rebalanceTimeout: 34_000,
          sessionTimeout: 12_000,
          subscription: subscription(['t']),
          assignment: mine,
        },
      ]);

      const offsets = recs.filter((r) => keyVersion(r) === 1);
      assert.equal(offsets.length, 2);
      assert.deepEqual(decodeVersioned(OffsetCommitKey, offsets[0]!.key!).value, { group: 'bytes', topic: 't', partition: 1 });
      assert.deepEqual(
        offsets[0]!.key,
        Buffer.concat([Buffer.from([0, 1, 0, 5]), Buffer.from('bytes'), Buffer.from([0, 1]), Buffer.from('t'), Buffer.from([0, 0, 0, 1])]),
      );
      assert.equal(valueVersion(offsets[0]!), 4, 'Kafka 4.4 writes value v4 with the topic id');
      const v4 = decodeVersioned(OffsetCommitValue, offsets[0]!.value!).value;
      assert.deepEqual(
        { ...v4, commitTimestamp: 0 },
        {
          offset: 100,
          leaderEpoch: 5,
          metadata: 'meta',
          commitTimestamp: 0,
          expireTimestamp: -1,
          topicId: broker.core.topics.get('t')!.id,
        },
      );
      assert.ok(v4.commitTimestamp >= before);
      assert.equal(valueVersion(offsets[1]!), 1, 'a commit with retention_time_ms carries an expire timestamp: value v1');
      const v1 = decodeVersioned(OffsetCommitValue, offsets[1]!.value!).value;
      assert.equal(v1.offset, 101);
      assert.equal(v1.leaderEpoch, -1, 'v2 commits have no leader epoch');
      assert.equal(v1.expireTimestamp - v1.commitTimestamp, 3_600_000);

      await a.leave();
      assert.equal((await c.send(DeleteGroups, 1, { groupsNames: ['bytes'] })).results[0]!.errorCode, 0);
      const after = recordsOf(broker, 'bytes');
      const tail = after.slice(recs.length);
      // Leaving writes the emptied group, deleting writes offset and group tombstones in one batch.
      const tombstones = tail.filter((r) => r.value === null);
      assert.deepEqual(
        tombstones.map((r) => keyVersion(r)),
        [1, 2],
      );
      assert.deepEqual(decodeVersioned(OffsetCommitKey, tombstones[0]!.key!).value, { group: 'bytes', topic: 't', partition: 1 });
      const emptied = tail.find((r) => keyVersion(r) === 2 && r.value !== null)!;
      const eg = decodeVersioned(GroupMetadataValue, emptied.value!).value;
      assert.deepEqual([eg.generation, eg.protocol, eg.leader, eg.members], [2, null, null, []]);
    } finally {
      await a.close();
      await c.close();
      await broker.stop();
    }
  },
);

test(
  'a restarted broker rebuilds offsets and groups from __consumer_offsets: members keep their generation, deleted groups stay deleted',
  T,
  async () => {
    const dir = tempDir();
    try {
      const first = await startBroker({ dataDir: dir.path, topics: { t: 4 } });
      const keep = await Member.connect(first.bootstrap, 'kept', { topics: ['t'], sessionTimeoutMs: 30_000, instanceId: 'inst-1' });
      const gone = await Member.connect(first.bootstrap, 'deleted', { topics: ['t'] });
      const c = await WireClient.connect(first.bootstrap);
      let memberId = '';
      let generation = -1;
      try {
        await keep.join();
        await keep.sync([{ memberId: keep.memberId, assignment: assignment({ t: [0, 1, 2, 3] }) }]);
        memberId = keep.memberId;
        generation = keep.generation;
        const commit = (group: string, gen: number, member: string, offset: number) =>
          c.send(OffsetCommit, 7, {
            groupId: group,
            generationIdOrMemberEpoch: gen,
            memberId: member,
            groupInstanceId: group === 'kept' ? 'inst-1' : null,
            topics: [
              {
                name: 't',
                partitions: [0, 3].map((p) => ({
                  partitionIndex: p,
                  committedOffset: offset + p,
                  committedLeaderEpoch: 2,
                  committedMetadata: `m${p}`,
                })),
              },
            ],
          });
        assert.deepEqual(
          (await commit('kept', generation, memberId, 40)).topics[0]!.partitions.map((p) => p.errorCode),
          [0, 0],
        );
        assert.deepEqual(
          (await commit('simple', -1, '', 70)).topics[0]!.partitions.map((p) => p.errorCode),
          [0, 0],
        );
        await gone.join();
        await gone.sync();
        await commit('deleted', gone.generation, gone.memberId, 1);
        await gone.leave();
        assert.equal((await c.send(DeleteGroups, 1, { groupsNames: ['deleted'] })).results[0]!.errorCode, 0);
      } finally {
        await Promise.all([keep.close(), gone.close(), c.close()]);
        await first.stop();
      }

      const second = await startBroker({ dataDir: dir.path });
      const c2 = await WireClient.connect(second.bootstrap);
      try {
        const fetched = await c2.send(OffsetFetch, 8, {
          groups: [
            { groupId: 'kept', topics: null },
            { groupId: 'simple', topics: [{ name: 't', partitionIndexes: [0, 1, 3] }] },
            { groupId: 'deleted', topics: null },
          ],
          requireStable: false,
        });
        const flat = fetched.groups.map((g) => [
          g.groupId,
          g.topics.flatMap((t) => t.partitions.map((p) => [p.partitionIndex, p.committedOffset, p.committedLeaderEpoch, p.metadata])),
        ]);
        assert.deepEqual(flat, [
          [
            'kept',
            [
              [0, 40, 2, 'm0'],
              [3, 43, 2, 'm3'],
            ],
          ],
          [
            'simple',
            [
              [0, 70, 2, 'm0'],
              [1, -1, -1, ''],
              [3, 73, 2, 'm3'],
            ],
          ],
          ['deleted', []],
        ]);
        const g = second.core.groups.classicGroup('kept')!;
        assert.equal(g.state, 'Stable');
        assert.equal(g.generationId, generation);
        assert.equal(g.protocolName, 'range');
        assert.equal(g.leaderId, memberId);
        assert.deepEqual([...g.staticMembers], [['inst-1', memberId]]);
        assert.equal(second.core.groups.group('deleted'), undefined);
        assert.equal(second.core.groups.classicGroup('simple')!.state, 'Empty');

        // The member carries on where it was: same id and generation, no rebalance.
        const back = await Member.connect(second.bootstrap, 'kept', { topics: ['t'], instanceId: 'inst-1' });
        try {
          back.memberId = memberId;
          back.generation = generation;
          back.protocolName = 'range';
          assert.equal(await back.heartbeat(), ErrorCode.NONE);
          assert.deepEqual((await back.sync()).assignment, assignment({ t: [0, 1, 2, 3] }));
          const d = await c2.send(DescribeGroups, 4, { groups: ['kept'] });
          assert.deepEqual(
            d.groups[0]!.members.map((m) => [m.memberId, m.groupInstanceId]),
            [[memberId, 'inst-1']],
          );
        } finally {
          await back.close();
        }
      } finally {
        await c2.close();
        await second.stop();
      }
    } finally {
      dir.remove();
    }
  },
);

test('a restarted member that does not come back is removed after its session timeout', T, async () => {
  const dir = tempDir();
  try {
    const first = await startBroker({ dataDir: dir.path, topics: { t: 1 } });
    const m = await Member.connect(first.bootstrap, 'lapsed', { sessionTimeoutMs: 6000 });
    await m.join();
    await m.sync();
    await m.close();
    await first.stop();
    const second = await startBroker({ dataDir: dir.path, clock: 'virtual' });
    try {
      const g = second.core.groups.classicGroup('lapsed')!;
      assert.equal(g.state, 'Stable');
      const clock = second.clock as VirtualClock;
      await clock.advance(5999);
      assert.equal(g.members.size, 1);
      await clock.advance(1);
      assert.equal(g.members.size, 0);
      assert.equal(g.state, 'Empty');
    } finally {
      await second.stop();
    }
  } finally {
    dir.remove();
  }
});
