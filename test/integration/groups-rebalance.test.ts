// The classic group state machine over TCP with the raw wire client and a virtual clock
// (README §9.3-9.6): MEMBER_ID_REQUIRED, leader election and protocol votes, the initial
// rebalance delay, session timeouts (heartbeats reset them; parked members stay alive; new
// members get the 5-minute join timeout), the rebalance timeout, pending-sync expiry, static
// membership, LeaveGroup, and timers cancelled on stop.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startBroker, type Broker, type BrokerOptions, type VirtualClock } from '../../broker/index.js';
import { ErrorCode } from '../../protocol/errors.js';
import { DescribeGroups, LeaveGroup, SyncGroup } from '../../protocol/messages/index.js';
import { MEMBER_ID_REQUIRED, Member, assignment, subscription, tracked, type MemberOptions } from './group-client.js';
import { WireClient } from './wire-client.js';

const T = { timeout: 30_000 };

async function withGroupBroker(
  opts: BrokerOptions,
  fn: (b: Broker, clock: VirtualClock, member: (group: string, o?: MemberOptions) => Promise<Member>) => Promise<void>,
): Promise<void> {
  const broker = await startBroker({ clock: 'virtual', topics: { t: 4, u: 2 }, ...opts });
  const members: Member[] = [];
  const member = async (group: string, o?: MemberOptions) => {
    const m = await Member.connect(broker.bootstrap, group, o);
    members.push(m);
    return m;
  };
  try {
    await fn(broker, broker.clock as VirtualClock, member);
  } finally {
    await Promise.all(members.map((m) => m.close()));
    await broker.stop();
  }
}

function state(b: Broker, group: string): string | undefined {
  return b.core.groups.classicGroup(group)?.state;
}

/** Wait (on I/O, not on time) until the broker shows `cond`. */
async function until(cond: () => boolean, what = 'condition'): Promise<void> {
  for (let i = 0; i < 20_000; i++) {
    if (cond()) return;
    await new Promise((r) => setImmediate(r));
  }
  assert.fail(`never reached: ${what}`);
}

/** The member's JoinGroup is parked at the broker. */
function isParked(b: Broker, m: Member): boolean {
  const g = b.core.groups.classicGroup(m.groupId);
  const id = m.opts.instanceId !== null ? g?.staticMembers.get(m.opts.instanceId) : m.memberId;
  return id !== undefined && (g?.members.get(id)?.awaitingJoin ?? null) !== null;
}

/** Send a JoinGroup (after the MEMBER_ID_REQUIRED round for a new dynamic member) and return once it is parked or answered. */
async function parkedJoin(b: Broker, m: Member, version = 5) {
  if (m.memberId === '' && version >= 4 && m.opts.instanceId === null)
    assert.equal((await m.joinOnce(version)).errorCode, MEMBER_ID_REQUIRED);
  const before = b.core.groups.classicGroup(m.groupId)?.numMembersAwaitingJoin ?? 0;
  const p = tracked(m.joinOnce(version));
  await until(
    () => p.settled() || (b.core.groups.classicGroup(m.groupId)?.numMembersAwaitingJoin ?? 0) > before,
    `${m.groupId}: join parked`,
  );
  return p;
}

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
  'session timeout: a member that stops heartbeating is removed and the other takes all partitions; heartbeats and parked requests keep members alive',
  T,
  async () => {
    await withGroupBroker({}, async (b, clock, member) => {
      const a = await member('sess', { sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 30_000 });
      const c = await member('sess', { sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 30_000 });
      await a.join();
      await a.sync([{ memberId: a.memberId, assignment: assignment({ t: [0, 1, 2, 3] }) }]);
      const pc = await parkedJoin(b, c);
      assert.equal(await a.heartbeat(), ErrorCode.REBALANCE_IN_PROGRESS);
      const ra = await a.join();
      await pc.promise;
      assert.equal(ra.generationId, 2);
      const split = [
        { memberId: a.memberId, assignment: assignment({ t: [0, 1] }) },
        { memberId: c.memberId, assignment: assignment({ t: [2, 3] }) },
      ];
      const [sa, sc] = await Promise.all([a.sync(split), c.sync()]);
      assert.deepEqual(sc.assignment, assignment({ t: [2, 3] }));
      assert.deepEqual(sa.assignment, assignment({ t: [0, 1] }));

      // c heartbeats every 3 s; a goes silent.
      for (let t = 3000; t <= 9000; t += 3000) {
        await clock.advance(3000);
        assert.equal(await c.heartbeat(), ErrorCode.NONE, `t=${t}`);
      }
      assert.equal(b.core.groups.classicGroup('sess')!.members.size, 2, 'not yet');
      await clock.advance(1000); // t=10000: a's session (last reset when its sync was answered at t=0) expires
      assert.equal(state(b, 'sess'), 'PreparingRebalance');
      assert.equal(await c.heartbeat(), ErrorCode.REBALANCE_IN_PROGRESS);
      const rc = await c.join();
      assert.equal(rc.generationId, 3);
      assert.equal(rc.leader, c.memberId);
      assert.deepEqual(
        rc.members.map((m) => m.memberId),
        [c.memberId],
      );
      const all = assignment({ t: [0, 1, 2, 3] });
      assert.deepEqual((await c.sync([{ memberId: c.memberId, assignment: all }])).assignment, all);
      assert.equal(await a.heartbeat(), ErrorCode.UNKNOWN_MEMBER_ID);

      // A member parked in SyncGroup past its session timeout is still alive.
      const d = await member('sess', { sessionTimeoutMs: 6000, rebalanceTimeoutMs: 60_000 });
      const pd = await parkedJoin(b, d);
      await c.join();
      await pd.promise;
      const parked = tracked(d.sync());
      const g = b.core.groups.classicGroup('sess')!;
      await until(() => g.members.get(d.memberId)?.awaitingSync != null, 'd parked in SyncGroup');
      for (let i = 0; i < 4; i++) {
        await clock.advance(5000);
        assert.equal(await c.heartbeat(), ErrorCode.NONE);
      }
      assert.notEqual(g.members.get(d.memberId)?.awaitingSync ?? null, null);
      assert.equal(parked.settled(), false);
      assert.ok(b.core.groups.classicGroup('sess')!.members.has(d.memberId), 'a member waiting in SyncGroup counts as alive');
      await c.sync([{ memberId: c.memberId, assignment: all }]);
      assert.deepEqual((await parked.promise).assignment, Buffer.alloc(0), 'members the leader left out get empty bytes');
    });
  },
);

test('rebalance timeout: a member that keeps heartbeating but never rejoins is dropped when the join phase times out', T, async () => {
  await withGroupBroker({}, async (b, clock, member) => {
    const a = await member('slow', { sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 25_000 });
    const c = await member('slow', { sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 25_000 });
    await a.join();
    await a.sync();
    const pc = await parkedJoin(b, c);
    await a.join();
    await pc.promise;
    await Promise.all([a.sync(), c.sync()]);

    // c changes its subscription: a rebalance starts; a only heartbeats.
    c.opts.protocols = [{ name: 'range', metadata: subscription(['t', 'u']) }];
    const pending = await parkedJoin(b, c);
    assert.equal(state(b, 'slow'), 'PreparingRebalance');
    for (let t = 5000; t < 25_000; t += 5000) {
      await clock.advance(5000);
      assert.equal(await a.heartbeat(), ErrorCode.REBALANCE_IN_PROGRESS, `t=${t}`);
    }
    assert.ok(isParked(b, c), 'c is parked (and alive) past its 10 s session timeout');
    assert.equal(pending.settled(), false);
    await clock.advance(5000); // t=25000: the rebalance timeout
    const rc = await pending.promise;
    assert.equal(rc.errorCode, 0);
    assert.equal(rc.leader, c.memberId, 'the leader did not rejoin: a member that did is promoted');
    assert.deepEqual(
      rc.members.map((m) => m.memberId),
      [c.memberId],
    );
    assert.equal(await a.heartbeat(), ErrorCode.UNKNOWN_MEMBER_ID);
  });
});

test(
  'a new member parked in its first JoinGroup gets 5 minutes, then UNKNOWN_MEMBER_ID; a MEMBER_ID_REQUIRED member that never returns expires after its session timeout',
  T,
  async () => {
    await withGroupBroker({}, async (b, clock, member) => {
      const a = await member('newbie', { sessionTimeoutMs: 30_000, rebalanceTimeoutMs: 600_000 });
      await a.join();
      await a.sync();
      // A pending (MEMBER_ID_REQUIRED) member holds up nothing in Stable but expires.
      const ghost = await member('newbie', { sessionTimeoutMs: 6000 });
      assert.equal((await ghost.joinOnce(5)).errorCode, MEMBER_ID_REQUIRED);
      assert.equal(b.core.groups.classicGroup('newbie')!.pendingMembers.size, 1);
      await clock.advance(6000);
      assert.equal(b.core.groups.classicGroup('newbie')!.pendingMembers.size, 0);
      assert.equal(await a.heartbeat(), ErrorCode.NONE);

      const n = await member('newbie', { sessionTimeoutMs: 30_000, rebalanceTimeoutMs: 600_000 });
      const pn = await parkedJoin(b, n);
      assert.equal(state(b, 'newbie'), 'PreparingRebalance');
      // a keeps heartbeating but never rejoins; the join phase may last 10 minutes.
      for (let t = 20_000; t < 300_000; t += 20_000) {
        await clock.advance(20_000);
        assert.equal(await a.heartbeat(), ErrorCode.REBALANCE_IN_PROGRESS);
      }
      assert.ok(isParked(b, n));
      await clock.advance(20_000); // 300 s after n joined
      const r = await pn.promise;
      assert.equal(r.errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
      assert.equal(r.memberId, '');
      assert.equal(b.core.groups.classicGroup('newbie')!.members.has(n.memberId), false);
    });
  },
);

test('pending sync: members that get the join answer but never send SyncGroup are removed after the rebalance timeout', T, async () => {
  await withGroupBroker({}, async (b, clock, member) => {
    const a = await member('nosync', { sessionTimeoutMs: 30_000, rebalanceTimeoutMs: 15_000 });
    const c = await member('nosync', { sessionTimeoutMs: 30_000, rebalanceTimeoutMs: 15_000 });
    await a.join();
    await a.sync();
    const pc = await parkedJoin(b, c);
    await a.join();
    await pc.promise;
    await a.sync(); // c never syncs, but heartbeats
    assert.equal(state(b, 'nosync'), 'Stable');
    await clock.advance(10_000);
    assert.equal(await c.heartbeat(), ErrorCode.NONE);
    await clock.advance(5000);
    assert.equal(state(b, 'nosync'), 'PreparingRebalance');
    assert.equal(await c.heartbeat(), ErrorCode.UNKNOWN_MEMBER_ID);
    assert.equal(b.core.groups.classicGroup('nosync')!.members.has(a.memberId), true);
  });
});

test(
  'errors: INVALID_GROUP_ID, INVALID_SESSION_TIMEOUT, UNKNOWN_MEMBER_ID, INCONSISTENT_GROUP_PROTOCOL, ILLEGAL_GENERATION, REBALANCE_IN_PROGRESS, GROUP_MAX_SIZE_REACHED',
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
  'static membership: rejoin with a new member id keeps the generation (no rebalance) and the assignment; the old id is fenced; a v9 leader gets skip_assignment',
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

test('stop() answers parked JoinGroups with NOT_COORDINATOR and leaves no timer on the clock', T, async () => {
  const broker = await startBroker({ clock: 'virtual', config: { 'group.initial.rebalance.delay.ms': 3000 }, topics: { t: 1 } });
  const clock = broker.clock as VirtualClock;
  const a = await Member.connect(broker.bootstrap, 'stopping');
  try {
    const parked = (await parkedJoin(broker, a)).promise;
    assert.ok(clock.pending >= 3, 'join delay, session and expiry timers are armed');
    await broker.stop();
    const r = await parked.catch((e: Error) => e);
    if (!(r instanceof Error)) assert.equal(r.errorCode, ErrorCode.NOT_COORDINATOR);
    assert.equal(clock.pending, 0);
  } finally {
    await a.close();
  }
});
