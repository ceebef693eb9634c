// The classic group state machine over TCP with the raw wire client and a virtual clock (Kafka's
// GroupMetadataManager and ClassicGroup; KIP-345 static members): MEMBER_ID_REQUIRED, leader
// election and protocol votes, the initial rebalance delay, the JoinGroup/SyncGroup/Heartbeat errors,
// static membership and LeaveGroup. The timers (session, rebalance, pending sync, stop) are in
// groups-rebalance-timeouts.test.ts; the shared set-up in groups-rebalance-helpers.ts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode } from '../../protocol/errors.js';
import { DescribeGroups, LeaveGroup, SyncGroup } from '../../protocol/messages/index.js';
import { MEMBER_ID_REQUIRED, Member, assignment, subscription } from './group-client.js';
import { WireClient } from './wire-client.js';
import { T, isParked, parkedJoin, state, withGroupBroker } from './groups-rebalance-helpers.js';

test(
  'JoinGroup v5: MEMBER_ID_REQUIRED with a generated id, then generation 1, leader with the member list; SyncGroup makes it Stable',
  T,
  async () => {
    await withGroupBroker({}, async (b, _clock, member) => {
      const a = await member('g', { clientId: 'client-a' });
      const first = await a.joinOnce(5);
      assert.equal(first.errorCode, MEMBER_ID_REQUIRED);
      assert.match(first.memberId, /^client-a-[0-9a-f-]{36}$/);
      assert.equal(first.generationId, -1);
      const joined = await a.joinOnce(5);
      assert.equal(joined.errorCode, 0);
      assert.equal(joined.memberId, first.memberId);
      assert.equal(joined.generationId, 1);
      assert.equal(joined.leader, joined.memberId);
      assert.equal(joined.protocolName, 'range');
      assert.deepEqual(
        joined.members.map((m) => [m.memberId, m.metadata]),
        [[joined.memberId, subscription(['t'])]],
      );
      assert.equal(state(b, 'g'), 'CompletingRebalance');
      assert.equal(await a.heartbeat(), ErrorCode.NONE);

      const mine = assignment({ t: [0, 1, 2, 3] });
      const synced = await a.sync([{ memberId: a.memberId, assignment: mine }], 5);
      assert.equal(synced.errorCode, 0);
      assert.deepEqual(synced.assignment, mine);
      assert.equal(synced.protocolType, 'consumer');
      assert.equal(synced.protocolName, 'range');
      assert.equal(state(b, 'g'), 'Stable');

      const c = await WireClient.connect(b.bootstrap);
      const d = await c.send(DescribeGroups, 4, { groups: ['g', 'nope'] });
      await c.close();
      assert.deepEqual(d.groups[0], {
        errorCode: 0,
        errorMessage: null,
        groupId: 'g',
        groupState: 'Stable',
        protocolType: 'consumer',
        protocolData: 'range',
        members: [
          {
            memberId: a.memberId,
            groupInstanceId: null,
            clientId: 'client-a',
            clientHost: '/127.0.0.1',
            memberMetadata: subscription(['t']),
            memberAssignment: mine,
          },
        ],
        authorizedOperations: -2147483648,
      });
      assert.equal(d.groups[1]!.groupState, 'Dead');
      assert.equal(d.groups[1]!.errorCode, 0);

      // The leader rejoining a Stable group forces a rebalance (it may have seen new topics).
      const again = await a.joinOnce(5);
      assert.equal(again.generationId, 2, 'the leader rejoining in Stable forces a rebalance');
    });
  },
);

test(
  'JoinGroup v0-v3 add the member at once; the protocol every member supports with the most votes wins; only the leader gets members',
  T,
  async () => {
    await withGroupBroker({}, async (b, _clock, member) => {
      const meta = Buffer.from('x');
      const a = await member('votes', {
        protocols: [
          { name: 'range', metadata: meta },
          { name: 'roundrobin', metadata: meta },
          { name: 'sticky', metadata: meta },
        ],
      });
      const first = await a.joinOnce(3);
      assert.equal(first.errorCode, 0, 'v3 needs no member id round trip');
      assert.equal(first.generationId, 1);
      await a.sync([]);
      const bm = await member('votes', {
        protocols: [
          { name: 'roundrobin', metadata: meta },
          { name: 'range', metadata: meta },
        ],
      });
      const c = await member('votes', {
        protocols: [
          { name: 'roundrobin', metadata: meta },
          { name: 'range', metadata: meta },
        ],
      });
      const pb = await parkedJoin(b, bm, 1);
      const pc = await parkedJoin(b, c, 2);
      assert.equal(state(b, 'votes'), 'PreparingRebalance');
      assert.equal(pb.settled() || pc.settled(), false, 'joins park until every known member rejoins');
      assert.equal(await a.heartbeat(), ErrorCode.REBALANCE_IN_PROGRESS);
      const ra = await a.joinOnce(3);
      const [rb, rc] = await Promise.all([pb.promise, pc.promise]);
      for (const r of [ra, rb, rc]) {
        assert.equal(r.generationId, 2);
        assert.equal(r.protocolName, 'roundrobin', 'sticky is not supported by all; roundrobin has 2 votes to 1');
        assert.equal(r.leader, a.memberId, 'the first member stays leader');
      }
      assert.equal(ra.members.length, 3);
      assert.deepEqual(rb.members, []);
      assert.deepEqual(rc.members, []);
    });
  },
);

test('initial rebalance delay: a new group waits, each newcomer extends the wait up to the rebalance timeout', T, async () => {
  await withGroupBroker({ config: { 'group.initial.rebalance.delay.ms': 3000 } }, async (b, clock, member) => {
    const a = await member('delayed', { rebalanceTimeoutMs: 10_000 });
    const c = await member('delayed', { rebalanceTimeoutMs: 10_000 });
    const pa = await parkedJoin(b, a);
    await clock.advance(2999);
    assert.ok(isParked(b, a));
    assert.equal(state(b, 'delayed'), 'PreparingRebalance');
    const pc = await parkedJoin(b, c);
    await clock.advance(1); // t=3000: a newcomer arrived, so wait 3000 more
    assert.ok(isParked(b, a) && isParked(b, c), 'extended by the newcomer');
    await clock.advance(2999); // t=5999
    assert.ok(isParked(b, a) && isParked(b, c));
    assert.equal(pa.settled() || pc.settled(), false);
    await clock.advance(1); // t=6000
    const [ra, rc] = await Promise.all([pa.promise, pc.promise]);
    assert.equal(ra.generationId, 1);
    assert.equal(rc.generationId, 1);
    assert.equal(ra.leader, a.memberId);
    assert.equal(ra.members.length, 2);
  });
});

test(
  'errors: INVALID_GROUP_ID, INVALID_SESSION_TIMEOUT, UNKNOWN_MEMBER_ID, INCONSISTENT_GROUP_PROTOCOL, ' +
    'ILLEGAL_GENERATION, REBALANCE_IN_PROGRESS, GROUP_MAX_SIZE_REACHED',
  T,
  async () => {
    await withGroupBroker({ config: { 'group.max.size': 2 } }, async (b, _clock, member) => {
      const a = await member('errs');
      assert.equal(
        (await a.joinOnce(5, { memberId: 'made-up' })).errorCode,
        ErrorCode.UNKNOWN_MEMBER_ID,
        'a known member id for a group that does not exist',
      );
      assert.equal((await a.joinOnce(5, { sessionTimeoutMs: 5999 })).errorCode, ErrorCode.INVALID_SESSION_TIMEOUT);
      assert.equal((await a.joinOnce(5, { sessionTimeoutMs: 1_800_001 })).errorCode, ErrorCode.INVALID_SESSION_TIMEOUT);
      const empty = await Member.connect(b.bootstrap, '');
      assert.equal((await empty.joinOnce(5)).errorCode, ErrorCode.INVALID_GROUP_ID);
      assert.equal(await empty.heartbeat(), ErrorCode.INVALID_GROUP_ID);
      await empty.close();
      assert.equal(
        (await a.joinOnce(5, { protocols: [] })).errorCode,
        ErrorCode.INCONSISTENT_GROUP_PROTOCOL,
        'an Empty group needs protocols',
      );
      assert.equal((await a.joinOnce(5, { protocolType: '' })).errorCode, ErrorCode.INCONSISTENT_GROUP_PROTOCOL, 'and a protocol type');
      assert.equal(await a.heartbeat(), ErrorCode.UNKNOWN_MEMBER_ID, 'heartbeat with no member id');
      const lost = await member('no-such-group');
      lost.memberId = 'm';
      assert.equal(await lost.heartbeat(), ErrorCode.UNKNOWN_MEMBER_ID, 'heartbeat for a group that does not exist');
      assert.equal((await lost.sync()).errorCode, ErrorCode.UNKNOWN_MEMBER_ID, 'sync for a group that does not exist');

      await a.join();
      assert.equal((await a.sync([], 5)).errorCode, 0);
      const other = await member('errs', { protocolType: 'connect' });
      assert.equal((await other.joinOnce(5)).errorCode, ErrorCode.INCONSISTENT_GROUP_PROTOCOL, 'another protocol type');
      const disjoint = await member('errs', { protocols: [{ name: 'roundrobin', metadata: Buffer.alloc(0) }] });
      assert.equal((await disjoint.joinOnce(5)).errorCode, ErrorCode.INCONSISTENT_GROUP_PROTOCOL, 'no protocol in common');

      const gen = a.generation;
      a.generation = gen + 1;
      assert.equal(await a.heartbeat(), ErrorCode.ILLEGAL_GENERATION);
      assert.equal((await a.sync()).errorCode, ErrorCode.ILLEGAL_GENERATION);
      a.generation = gen;
      const wrongName = await a.main.send(SyncGroup, 5, {
        groupId: 'errs',
        generationId: gen,
        memberId: a.memberId,
        protocolType: 'consumer',
        protocolName: 'roundrobin',
        assignments: [],
      });
      assert.equal(wrongName.errorCode, ErrorCode.INCONSISTENT_GROUP_PROTOCOL, 'SyncGroup v5 checks the protocol name');
      const stranger = await member('errs');
      stranger.memberId = 'stranger';
      stranger.generation = gen;
      assert.equal(await stranger.heartbeat(), ErrorCode.UNKNOWN_MEMBER_ID);
      assert.equal((await stranger.sync()).errorCode, ErrorCode.UNKNOWN_MEMBER_ID);

      const c = await member('errs');
      const pc = await parkedJoin(b, c);
      assert.equal(state(b, 'errs'), 'PreparingRebalance');
      assert.equal(await a.heartbeat(), ErrorCode.REBALANCE_IN_PROGRESS);
      assert.equal((await a.sync()).errorCode, ErrorCode.REBALANCE_IN_PROGRESS);
      await a.join();
      await pc.promise;
      const third = await member('errs');
      assert.equal((await third.joinOnce(3)).errorCode, ErrorCode.GROUP_MAX_SIZE_REACHED, 'group.max.size=2');
      assert.equal(b.core.groups.classicGroup('errs')!.members.size, 2);
    });
  },
);

test(
  'static membership: rejoin with a new member id keeps the generation (no rebalance) and the assignment; ' +
    'the old id is fenced; a v9 leader gets skip_assignment',
  T,
  async () => {
    await withGroupBroker({}, async (b, _clock, member) => {
      const a = await member('static', { instanceId: 'inst-a' });
      const c = await member('static', { instanceId: 'inst-c' });
      const first = await a.joinOnce(5);
      assert.equal(first.errorCode, 0, 'static members get no MEMBER_ID_REQUIRED');
      assert.match(first.memberId, /^inst-a-/);
      await a.sync();
      const pc = await parkedJoin(b, c);
      await a.joinOnce(5);
      await pc.promise;
      const split = [
        { memberId: a.memberId, assignment: assignment({ t: [0, 1] }) },
        { memberId: c.memberId, assignment: assignment({ t: [2, 3] }) },
      ];
      await Promise.all([a.sync(split), c.sync()]);
      const generation = a.generation;
      const oldC = c.memberId;

      // c restarts: same instance id, no member id.
      const c2 = await member('static', { instanceId: 'inst-c' });
      const r = await c2.joinOnce(5);
      assert.equal(r.errorCode, 0);
      assert.notEqual(r.memberId, oldC);
      assert.equal(r.generationId, generation, 'no rebalance');
      assert.equal(r.leader, a.memberId);
      assert.equal(state(b, 'static'), 'Stable');
      assert.deepEqual((await c2.sync()).assignment, assignment({ t: [2, 3] }), 'SyncGroup hands back the old assignment');
      assert.equal(await c.heartbeat(), ErrorCode.FENCED_INSTANCE_ID, 'the old member id is fenced');
      assert.equal(await c2.heartbeat(), ErrorCode.NONE);

      // The static leader restarts with JoinGroup v9: skip_assignment, it is told it leads.
      const a2 = await member('static', { instanceId: 'inst-a' });
      const ra = await a2.joinOnce(9);
      assert.equal(ra.generationId, generation);
      assert.equal(ra.skipAssignment, true);
      assert.equal(ra.leader, a2.memberId);
      assert.equal(ra.members.length, 2);
      // ... and with v8 a restarted leader is told the old leader id, so it does not assign.
      const a3 = await member('static', { instanceId: 'inst-a' });
      const r8 = await a3.joinOnce(8);
      assert.equal(r8.generationId, generation);
      assert.equal(r8.leader, a2.memberId);
      assert.equal(r8.skipAssignment, false);
      assert.deepEqual(r8.members, []);
      assert.equal(b.core.groups.classicGroup('static')!.generationId, generation);

      // A static rejoin that changes the selected protocol does rebalance.
      const both = (first: string, second: string) => [
        { name: first, metadata: subscription(['t']) },
        { name: second, metadata: subscription(['t']) },
      ];
      const s1 = await member('static-solo', { instanceId: 'solo', protocols: both('range', 'roundrobin') });
      await s1.joinOnce(5);
      await s1.sync();
      const s2 = await member('static-solo', { instanceId: 'solo', protocols: both('roundrobin', 'range') });
      const r2 = await s2.joinOnce(5);
      assert.equal(r2.generationId, s1.generation + 1);
      assert.equal(r2.protocolName, 'roundrobin');
      // Admin removal by instance id (LeaveGroup v3, empty member id).
      const admin = await WireClient.connect(b.bootstrap);
      const left = await admin.send(LeaveGroup, 3, {
        groupId: 'static',
        members: [
          { memberId: '', groupInstanceId: 'inst-c' },
          { memberId: '', groupInstanceId: 'nobody' },
        ],
      });
      await admin.close();
      assert.deepEqual(
        left.members.map((m) => m.errorCode),
        [ErrorCode.NONE, ErrorCode.UNKNOWN_MEMBER_ID],
      );
      assert.equal(state(b, 'static'), 'PreparingRebalance');
    });
  },
);

test('LeaveGroup: v0 one member, v3 a batch with per-member errors; the last member leaving empties the group', T, async () => {
  await withGroupBroker({}, async (b, _clock, member) => {
    const a = await member('leave');
    const c = await member('leave');
    await a.join();
    await a.sync();
    const pc = await parkedJoin(b, c);
    await a.join();
    await pc.promise;
    await Promise.all([a.sync(), c.sync()]);
    const conn = await WireClient.connect(b.bootstrap);
    try {
      assert.equal(
        (await conn.send(LeaveGroup, 0, { groupId: 'leave', memberId: 'ghost' })).errorCode,
        ErrorCode.UNKNOWN_MEMBER_ID,
        'v0-2 report the member error at the top level',
      );
      assert.equal((await conn.send(LeaveGroup, 1, { groupId: 'nowhere', memberId: 'ghost' })).errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
      assert.equal((await conn.send(LeaveGroup, 0, { groupId: 'leave', memberId: c.memberId })).errorCode, 0);
      assert.equal(state(b, 'leave'), 'PreparingRebalance');
      const ra = await a.joinOnce(5);
      assert.equal(ra.members.length, 1);
      await a.sync();
      const batch = await conn.send(LeaveGroup, 5, {
        groupId: 'leave',
        members: [
          { memberId: a.memberId, groupInstanceId: null, reason: 'done' },
          { memberId: 'ghost', groupInstanceId: null, reason: null },
          { memberId: 'x', groupInstanceId: 'no-such-instance', reason: null },
        ],
      });
      assert.equal(batch.errorCode, 0);
      assert.deepEqual(
        batch.members.map((m) => [m.memberId, m.errorCode]),
        [
          [a.memberId, 0],
          ['ghost', ErrorCode.UNKNOWN_MEMBER_ID],
          ['x', ErrorCode.UNKNOWN_MEMBER_ID],
        ],
      );
      const g = b.core.groups.classicGroup('leave')!;
      assert.equal(g.state, 'Empty');
      assert.equal(g.generationId, 4, 'gen 3 had a alone; emptying it is generation 4');
      assert.equal(await a.heartbeat(), ErrorCode.UNKNOWN_MEMBER_ID);
    } finally {
      await conn.close();
    }
  });
});
