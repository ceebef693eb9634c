// Finding the coordinator, committed offsets and group administration over TCP with the raw wire
// client (Kafka's GroupCoordinatorService and OffsetMetadataManager): FindCoordinator v0-6,
// NOT_COORDINATOR on a node that does not lead the group's `__consumer_offsets` partition,
// OffsetCommit v0-9 and OffsetFetch v0-9 with their errors, OffsetDelete, DeleteGroups, ListGroups
// filters, and offset expiry on the virtual clock.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { partitionFor } from '../../broker/groups/records.js';
import { startBroker, type Broker, type BrokerOptions, type VirtualClock } from '../../broker/index.js';
import { ErrorCode } from '../../protocol/errors.js';
import {
  DeleteGroups,
  DescribeGroups,
  FindCoordinator,
  ListGroups,
  Metadata,
  OffsetCommit,
  OffsetDelete,
  OffsetFetch,
} from '../../protocol/messages/index.js';
import { Member, assignment } from './group-client.js';
import { WireClient } from './wire-client.js';

const T = { timeout: 30_000 };

async function withBroker(opts: BrokerOptions, fn: (b: Broker, c: WireClient) => Promise<void>): Promise<void> {
  const broker = await startBroker({ topics: { t: 4, u: 2 }, ...opts });
  const c = await WireClient.connect(broker.bootstrap);
  try {
    await fn(broker, c);
  } finally {
    await c.close();
    await broker.stop();
  }
}

type Parts = Array<{ partitionIndex: number; committedOffset: number; committedLeaderEpoch?: number; committedMetadata?: string | null }>;

function commit(
  c: WireClient,
  version: number,
  groupId: string,
  topics: Record<string, Parts>,
  extra: { generationIdOrMemberEpoch?: number; memberId?: string; retentionTimeMs?: number; groupInstanceId?: string | null } = {},
) {
  return c.send(OffsetCommit, version, {
    groupId,
    generationIdOrMemberEpoch: extra.generationIdOrMemberEpoch ?? -1,
    memberId: extra.memberId ?? '',
    groupInstanceId: extra.groupInstanceId ?? null,
    retentionTimeMs: extra.retentionTimeMs ?? -1,
    topics: Object.entries(topics).map(([name, partitions]) => ({
      name,
      partitions: partitions.map((p) => ({ committedMetadata: '', committedLeaderEpoch: -1, commitTimestamp: -1, ...p })),
    })),
  });
}

const errors = (res: { topics: Array<{ partitions: Array<{ errorCode: number }> }> }) =>
  res.topics.flatMap((t) => t.partitions.map((p) => p.errorCode));

test(
  'FindCoordinator v0-6: this node for groups and transactions, batched keys from v4, INVALID_REQUEST for other key types; ' +
    '__consumer_offsets is created as Kafka does',
  T,
  async () => {
    await withBroker({}, async (b, c) => {
      const node = { nodeId: 1, host: b.host, port: b.port };
      for (let v = 0; v <= 3; v++) {
        const r = await c.send(FindCoordinator, v, { key: 'g', keyType: 0 });
        assert.deepEqual({ nodeId: r.nodeId, host: r.host, port: r.port, errorCode: r.errorCode }, { ...node, errorCode: 0 }, `v${v}`);
      }
      assert.equal((await c.send(FindCoordinator, 1, { key: 'txn', keyType: 1 })).nodeId, 1);
      assert.equal((await c.send(FindCoordinator, 2, { key: 'x', keyType: 5 })).errorCode, ErrorCode.INVALID_REQUEST);
      const batched = await c.send(FindCoordinator, 4, { keyType: 0, coordinatorKeys: ['a', 'b'] });
      assert.deepEqual(
        batched.coordinators.map((x) => [x.key, x.nodeId, x.port, x.errorCode]),
        [
          ['a', 1, b.port, 0],
          ['b', 1, b.port, 0],
        ],
      );
      const share = await c.send(FindCoordinator, 6, { keyType: 2, coordinatorKeys: ['s'] });
      assert.deepEqual(
        share.coordinators.map((x) => [x.key, x.nodeId, x.errorCode]),
        [['s', -1, ErrorCode.INVALID_REQUEST]],
      );

      const topic = b.core.topics.get('__consumer_offsets')!;
      assert.equal(topic.partitions.length, 50);
      assert.equal(topic.internal, true);
      assert.equal(topic.effective.get('cleanup.policy'), 'compact');
      assert.equal(topic.effective.get('segment.bytes'), '104857600');
      const md = await c.send(Metadata, 9, { topics: null, allowAutoTopicCreation: false });
      const listed = md.topics.find((t) => t.name === '__consumer_offsets')!;
      assert.equal(listed.isInternal, true);
    });
  },
);

test(
  'NOT_COORDINATOR: group requests on a node that does not lead the group partition; FindCoordinator names the right node',
  T,
  async () => {
    await withBroker({ nodes: 2, config: { 'offsets.topic.num.partitions': 4 } }, async (b, c) => {
      const leaders = (await c.send(FindCoordinator, 4, { keyType: 0, coordinatorKeys: ['probe'] })).coordinators;
      assert.equal(leaders[0]!.errorCode, 0);
      const topic = b.core.topics.get('__consumer_offsets')!;
      assert.equal(topic.partitions.length, 4);
      // A group led by node 2.
      let group = '';
      for (let i = 0; !group; i++) if (topic.partitions[partitionFor(`grp-${i}`, 4)]!.leaderId === 2) group = `grp-${i}`;
      const found = await c.send(FindCoordinator, 3, { key: group, keyType: 0 });
      assert.equal(found.nodeId, 2);
      assert.equal(found.port, b.core.cluster.node(2)!.port);

      const wrong = await Member.connect(b.bootstrap, group);
      const right = await Member.connect(`127.0.0.1:${found.port}`, group);
      try {
        assert.equal((await wrong.joinOnce(5)).errorCode, ErrorCode.NOT_COORDINATOR);
        assert.equal(await wrong.heartbeat(), ErrorCode.NOT_COORDINATOR);
        assert.deepEqual(errors(await commit(c, 7, group, { t: [{ partitionIndex: 0, committedOffset: 1 }] })), [
          ErrorCode.NOT_COORDINATOR,
        ]);
        const fetched = await c.send(OffsetFetch, 5, { groupId: group, topics: null, requireStable: false });
        assert.equal(fetched.errorCode, ErrorCode.NOT_COORDINATOR);
        const v1 = await c.send(OffsetFetch, 1, { groupId: group, topics: [{ name: 't', partitionIndexes: [0] }] });
        assert.equal(v1.topics[0]!.partitions[0]!.errorCode, ErrorCode.NOT_COORDINATOR, 'v0-1 carry it per partition');
        assert.deepEqual((await c.send(DeleteGroups, 1, { groupsNames: [group] })).results[0]!.errorCode, ErrorCode.NOT_COORDINATOR);
        assert.equal((await right.join()).errorCode, 0);
        const two = await WireClient.connect(`127.0.0.1:${found.port}`);
        const listed = await two.send(ListGroups, 4, { statesFilter: [] });
        await two.close();
        assert.deepEqual(
          listed.groups.map((g) => g.groupId),
          [group],
        );
        assert.deepEqual((await c.send(ListGroups, 4, { statesFilter: [] })).groups, [], 'node 1 lists only its own groups');
      } finally {
        await wrong.close();
        await right.close();
      }
    });
  },
);

test(
  'OffsetCommit: simple commits create a simple group; member and generation checks; metadata size; unknown topics; OffsetFetch v1-v9',
  T,
  async () => {
    await withBroker({}, async (b, c) => {
      // Simple group (generation -1, no member) via v2 with retention, v0, v8.
      assert.deepEqual(
        errors(
          await commit(
            c,
            2,
            'simple',
            { t: [{ partitionIndex: 0, committedOffset: 10, committedMetadata: 'm0' }] },
            { retentionTimeMs: 60_000 },
          ),
        ),
        [0],
      );
      assert.deepEqual(errors(await commit(c, 0, 'simple', { t: [{ partitionIndex: 1, committedOffset: 11 }] })), [0]);
      const big = 'x'.repeat(4097);
      const mixed = await commit(c, 8, 'simple', {
        t: [
          { partitionIndex: 2, committedOffset: 12, committedLeaderEpoch: 3, committedMetadata: null },
          { partitionIndex: 3, committedOffset: 13, committedMetadata: big },
        ],
        nope: [{ partitionIndex: 0, committedOffset: 1 }],
        u: [{ partitionIndex: 9, committedOffset: 1 }],
      });
      assert.deepEqual(errors(mixed), [
        0,
        ErrorCode.OFFSET_METADATA_TOO_LARGE,
        ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      ]);
      assert.deepEqual(errors(await commit(c, 8, '', { t: [{ partitionIndex: 0, committedOffset: 1 }] })), [ErrorCode.INVALID_GROUP_ID]);
      const listed = await c.send(ListGroups, 5, { statesFilter: [], typesFilter: [] });
      assert.deepEqual(listed.groups, [{ groupId: 'simple', protocolType: '', groupState: 'Empty', groupType: 'classic' }]);

      const v1 = await c.send(OffsetFetch, 1, { groupId: 'simple', topics: [{ name: 't', partitionIndexes: [0, 1, 2, 3] }] });
      assert.deepEqual(
        v1.topics[0]!.partitions.map((p) => [p.partitionIndex, p.committedOffset, p.metadata, p.errorCode]),
        [
          [0, 10, 'm0', 0],
          [1, 11, '', 0],
          [2, 12, '', 0],
          [3, -1, '', 0],
        ],
      );
      const v5 = await c.send(OffsetFetch, 5, { groupId: 'simple', topics: null, requireStable: false });
      assert.equal(v5.errorCode, 0);
      assert.deepEqual(
        v5.topics.map((t) => [t.name, t.partitions.map((p) => [p.partitionIndex, p.committedOffset, p.committedLeaderEpoch])]),
        [
          [
            't',
            [
              [0, 10, -1],
              [1, 11, -1],
              [2, 12, 3],
            ],
          ],
        ],
      );
      const v8 = await c.send(OffsetFetch, 8, {
        groups: [
          { groupId: 'simple', topics: [{ name: 't', partitionIndexes: [2] }] },
          { groupId: 'unknown-group', topics: null },
          { groupId: 'unknown-2', topics: [{ name: 't', partitionIndexes: [0] }] },
        ],
        requireStable: true,
      });
      assert.deepEqual(
        v8.groups.map((g) => [g.groupId, g.errorCode, g.topics.map((t) => t.partitions.map((p) => p.committedOffset))]),
        [
          ['simple', 0, [[12]]],
          ['unknown-group', 0, []],
          ['unknown-2', 0, [[-1]]],
        ],
      );
      const v9 = await c.send(OffsetFetch, 9, {
        groups: [{ groupId: 'simple', memberId: null, memberEpoch: -1, topics: [{ name: 't', partitionIndexes: [0] }] }],
        requireStable: false,
      });
      assert.equal(v9.groups[0]!.topics[0]!.partitions[0]!.committedOffset, 10);

      // A group with a member.
      const a = await Member.connect(b.bootstrap, 'members', { topics: ['t'] });
      try {
        assert.deepEqual(
          errors(
            await commit(
              c,
              8,
              'absent',
              { t: [{ partitionIndex: 0, committedOffset: 1 }] },
              { generationIdOrMemberEpoch: 1, memberId: 'm' },
            ),
          ),
          [ErrorCode.ILLEGAL_GENERATION],
        );
        assert.deepEqual(
          errors(
            await commit(
              c,
              9,
              'absent',
              { t: [{ partitionIndex: 0, committedOffset: 1 }] },
              { generationIdOrMemberEpoch: 1, memberId: 'm' },
            ),
          ),
          [ErrorCode.GROUP_ID_NOT_FOUND],
        );
        await a.join();
        const at = (extra: Parameters<typeof commit>[4]) =>
          commit(c, 7, 'members', { t: [{ partitionIndex: 0, committedOffset: 5 }] }, extra).then(errors);
        assert.deepEqual(
          await at({ generationIdOrMemberEpoch: a.generation, memberId: a.memberId }),
          [ErrorCode.REBALANCE_IN_PROGRESS],
          'CompletingRebalance',
        );
        await a.sync([{ memberId: a.memberId, assignment: assignment({ t: [0, 1, 2, 3] }) }]);
        assert.deepEqual(await at({ generationIdOrMemberEpoch: a.generation, memberId: a.memberId }), [0]);
        assert.deepEqual(await at({ generationIdOrMemberEpoch: a.generation + 1, memberId: a.memberId }), [ErrorCode.ILLEGAL_GENERATION]);
        assert.deepEqual(await at({ generationIdOrMemberEpoch: a.generation, memberId: 'someone-else' }), [ErrorCode.UNKNOWN_MEMBER_ID]);
        assert.deepEqual(await at({}), [ErrorCode.UNKNOWN_MEMBER_ID], 'simple commits only while Empty');
        assert.deepEqual(await at({ generationIdOrMemberEpoch: a.generation, memberId: a.memberId, groupInstanceId: 'not-mine' }), [
          ErrorCode.UNKNOWN_MEMBER_ID,
        ]);
        const fetched = await c.send(OffsetFetch, 6, {
          groupId: 'members',
          topics: [{ name: 't', partitionIndexes: [0] }],
          requireStable: false,
        });
        assert.equal(fetched.topics[0]!.partitions[0]!.committedOffset, 5);
      } finally {
        await a.close();
      }
    });
  },
);

test('OffsetDelete and DeleteGroups: subscribed topics are protected, non-empty groups refused, unknown groups reported', T, async () => {
  await withBroker({}, async (b, c) => {
    const a = await Member.connect(b.bootstrap, 'od', { topics: ['t'] });
    try {
      await a.join();
      await a.sync();
      const gen = { generationIdOrMemberEpoch: a.generation, memberId: a.memberId };
      await commit(c, 8, 'od', { t: [{ partitionIndex: 0, committedOffset: 7 }], u: [{ partitionIndex: 1, committedOffset: 8 }] }, gen);
      const del = await c.send(OffsetDelete, 0, {
        groupId: 'od',
        topics: [
          { name: 't', partitions: [{ partitionIndex: 0 }] },
          { name: 'u', partitions: [{ partitionIndex: 1 }, { partitionIndex: 0 }] },
          { name: 'nope', partitions: [{ partitionIndex: 0 }] },
        ],
      });
      assert.equal(del.errorCode, 0);
      assert.deepEqual(errors(del), [ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC, 0, 0, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]);
      const left = await c.send(OffsetFetch, 5, { groupId: 'od', topics: null, requireStable: false });
      assert.deepEqual(
        left.topics.map((t) => t.name),
        ['t'],
        "u's offset is gone, t's stays",
      );
      assert.equal((await c.send(OffsetDelete, 0, { groupId: 'nobody', topics: [] })).errorCode, ErrorCode.GROUP_ID_NOT_FOUND);
      assert.equal((await c.send(OffsetDelete, 0, { groupId: '', topics: [] })).errorCode, ErrorCode.INVALID_GROUP_ID);

      const deleted = await c.send(DeleteGroups, 2, { groupsNames: ['od', 'nobody'] });
      assert.deepEqual(
        deleted.results.map((r) => [r.groupId, r.errorCode]),
        [
          ['od', ErrorCode.NON_EMPTY_GROUP],
          ['nobody', ErrorCode.GROUP_ID_NOT_FOUND],
        ],
      );
      await a.leave();
      assert.equal(b.core.groups.classicGroup('od')!.state, 'Empty');
      assert.deepEqual((await c.send(DeleteGroups, 0, { groupsNames: ['od'] })).results[0], {
        groupId: 'od',
        errorCode: 0,
        errorMessage: null,
      });
      const after = await c.send(OffsetFetch, 2, { groupId: 'od', topics: [{ name: 't', partitionIndexes: [0] }] });
      assert.equal(after.topics[0]!.partitions[0]!.committedOffset, -1);
      assert.deepEqual((await c.send(ListGroups, 0, {})).groups, []);
      assert.deepEqual((await c.send(DeleteGroups, 1, { groupsNames: ['od'] })).results[0]!.errorCode, ErrorCode.GROUP_ID_NOT_FOUND);
    } finally {
      await a.close();
    }

    // A non-consumer group with members: OffsetDelete is refused as a whole.
    const k = await Member.connect(b.bootstrap, 'connectish', {
      protocolType: 'connect',
      protocols: [{ name: 'default', metadata: Buffer.from('w') }],
    });
    try {
      await k.join();
      await k.sync();
      assert.equal(
        (await c.send(OffsetDelete, 0, { groupId: 'connectish', topics: [{ name: 't', partitions: [{ partitionIndex: 0 }] }] })).errorCode,
        ErrorCode.NON_EMPTY_GROUP,
      );
    } finally {
      await k.close();
    }
  });
});

test('ListGroups: v4 states filter (case-insensitive), v5 types filter; DescribeGroups v3 authorized operations', T, async () => {
  await withBroker({}, async (b, c) => {
    await commit(c, 2, 'empty-simple', { t: [{ partitionIndex: 0, committedOffset: 1 }] });
    const a = await Member.connect(b.bootstrap, 'stable-one', { topics: ['t'] });
    try {
      await a.join();
      await a.sync();
      const all = await c.send(ListGroups, 4, { statesFilter: [] });
      assert.deepEqual(all.groups.map((g) => [g.groupId, g.protocolType, g.groupState]).sort(), [
        ['empty-simple', '', 'Empty'],
        ['stable-one', 'consumer', 'Stable'],
      ]);
      assert.deepEqual(
        (await c.send(ListGroups, 4, { statesFilter: ['stable'] })).groups.map((g) => g.groupId),
        ['stable-one'],
      );
      assert.deepEqual((await c.send(ListGroups, 5, { statesFilter: [], typesFilter: ['Classic'] })).groups.length, 2);
      assert.deepEqual((await c.send(ListGroups, 5, { statesFilter: [], typesFilter: ['consumer'] })).groups, []);
      assert.deepEqual(
        (await c.send(ListGroups, 5, { statesFilter: ['Empty'], typesFilter: ['classic'] })).groups.map((g) => g.groupId),
        ['empty-simple'],
      );
      const d = await c.send(DescribeGroups, 3, { groups: ['stable-one'], includeAuthorizedOperations: true });
      // READ, DELETE, DESCRIBE, DESCRIBE_CONFIGS, ALTER_CONFIGS: all a group supports, as Kafka answers without an authorizer.
      assert.equal(d.groups[0]!.authorizedOperations, (1 << 3) | (1 << 6) | (1 << 8) | (1 << 10) | (1 << 11));
    } finally {
      await a.close();
    }
  });
});

test(
  'offset expiry on the clock: simple groups by commit time, Empty groups from when they emptied, ' +
    'Stable groups keep subscribed topics; emptied groups without offsets are deleted',
  T,
  async () => {
    const opts: BrokerOptions = {
      clock: 'virtual',
      // The wire client stays connected across the clock's jumps (connections.max.idle.ms runs on the broker clock).
      config: { 'offsets.retention.minutes': 10, 'offsets.retention.check.interval.ms': 60_000, 'connections.max.idle.ms': 86_400_000 },
    };
    await withBroker(opts, async (b, c) => {
      const clock = b.clock as VirtualClock;
      await commit(c, 2, 'simple', { t: [{ partitionIndex: 0, committedOffset: 1 }] });
      await commit(c, 2, 'short', { t: [{ partitionIndex: 0, committedOffset: 1 }] }, { retentionTimeMs: 90_000 });
      const a = await Member.connect(b.bootstrap, 'live', { topics: ['t'], sessionTimeoutMs: 900_000 });
      try {
        await a.join();
        await a.sync();
        const gen = { generationIdOrMemberEpoch: a.generation, memberId: a.memberId };
        await commit(c, 8, 'live', { t: [{ partitionIndex: 0, committedOffset: 3 }], u: [{ partitionIndex: 0, committedOffset: 4 }] }, gen);
        const fetchLive = async () =>
          (await c.send(OffsetFetch, 5, { groupId: 'live', topics: null, requireStable: false })).topics.map((t) => t.name);

        await clock.advance(120_000); // the 90 s retention of 'short' has passed
        assert.equal(b.core.groups.group('short'), undefined, 'expired offsets, then the empty simple group');
        assert.ok(b.core.groups.group('simple'));
        for (let i = 0; i < 8; i++) {
          await clock.advance(60_000);
          assert.equal(await a.heartbeat(), 0);
        }
        // t = 600 s: the simple group's offset (committed at 0) expires; the live group keeps t (subscribed), loses u.
        assert.equal(b.core.groups.group('simple'), undefined);
        assert.deepEqual(await fetchLive(), ['t']);
        await a.leave(); // Empty from now on
        await clock.advance(540_000);
        assert.deepEqual(await fetchLive(), ['t'], 'not yet 10 minutes since the group emptied');
        await clock.advance(60_000);
        assert.deepEqual(await fetchLive(), []);
        assert.equal(b.core.groups.group('live'), undefined, 'and the group is gone');
      } finally {
        await a.close();
      }
    });
  },
);
