// The classic group's timers over TCP with the raw wire client and a virtual clock (Kafka's GroupMetadataManager
// and ClassicGroup): session timeouts (heartbeats reset them; parked members stay alive; new members get the
// 5-minute join timeout), the rebalance timeout, pending-sync expiry, and timers cancelled on stop.
// Shared set-up: groups-rebalance-helpers.ts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startBroker, type VirtualClock } from '../../broker/index.js';
import { ErrorCode } from '../../protocol/errors.js';
import { MEMBER_ID_REQUIRED, Member, assignment, subscription, tracked } from './group-client.js';
import { T, isParked, parkedJoin, state, until, withGroupBroker } from './groups-rebalance-helpers.js';

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
  'a new member parked in its first JoinGroup gets 5 minutes, then UNKNOWN_MEMBER_ID; ' +
    'a MEMBER_ID_REQUIRED member that never returns expires after its session timeout',
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

test('stop() answers parked JoinGroups with NOT_COORDINATOR and leaves no timer on the clock', T, async () => {
  const broker = await startBroker({ clock: 'virtual', config: { 'group.initial.rebalance.delay.ms': 3000 }, topics: { t: 1 } });
  const clock = broker.clock as VirtualClock;
  const a = await Member.connect(broker.bootstrap, 'stopping');
  try {
    const parked = (await parkedJoin(broker, a)).promise;
    assert.ok(clock.pending >= 3, 'join delay, session and expiry timers are armed');
    await broker.stop();
    // The parked join must be answered (not dropped with the connection), and with NOT_COORDINATOR.
    const r = await parked.catch((e: Error) => e);
    assert.ok(!(r instanceof Error), `the parked JoinGroup got no answer: ${r instanceof Error ? r.message : ''}`);
    assert.equal(r.errorCode, ErrorCode.NOT_COORDINATOR);
    assert.equal(clock.pending, 0);
  } finally {
    await a.close();
  }
});
