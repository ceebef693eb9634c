// The Java consumer (kafka-clients 4.4.0, test/jvm/programs/Consumer.java) against an
// in-process broker, with group.protocol=classic (cooperative-sticky) and group.protocol=consumer
// (KIP-848): two members and their rebalance listeners, a static member coming back, a
// Pattern subscription and a SubscriptionPattern one (KIP-848: the broker resolves the regex), offsetsForTimes, seek,
// commitSync/commitAsync and committed offsets.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import type { RecordedRequest } from '../../broker/testkit/recorder.js';
import { javaProgram, type Json } from './java-helpers.js';

const PROTOCOLS = ['classic', 'consumer'] as const;

describe('Java consumer (kafka-clients 4.4.0)', { timeout: 240_000 }, () => {
  let broker: Broker;
  const results = new Map<string, Json>();
  let heartbeats: RecordedRequest[] = [];
  before(async () => {
    // KIP-848 members heartbeat every 500 ms instead of 5 s, so revocations go round quickly.
    broker = await startBroker({
      config: { 'group.consumer.heartbeat.interval.ms': 500, 'group.consumer.min.heartbeat.interval.ms': 500 },
    });
    const scenarios: string[] = PROTOCOLS.flatMap((p) => [
      `offsets,${p},jc-off-${p},g-off-${p}`,
      `rebalance,${p},jc-reb-${p},g-reb-${p}`,
      `static,${p},jc-st-${p},g-st-${p}`,
      `pattern,${p},jc-pat-${p},g-pat-${p}`,
    ]);
    scenarios.push('re2,consumer,jc-re2,g-re2');
    const recording = broker.requests.record({ api: 'ConsumerGroupHeartbeat' });
    for (const r of await javaProgram('Consumer', broker.bootstrap, scenarios, 200_000)) results.set(`${r.scenario}/${r.protocol}`, r);
    heartbeats = recording.stop();
  });
  after(() => broker?.stop());

  for (const protocol of PROTOCOLS) {
    test(`${protocol}: offsetsForTimes, beginning/end offsets, seek, commitSync/commitAsync with metadata, resume from the commit`, () => {
      const r = results.get(`offsets/${protocol}`)!;
      assert.ok(r, 'the offsets scenario ran');
      assert.deepEqual(
        [r.offsetForTime, r.timestampForTime, r.offsetForExactTime, r.offsetForFutureTime],
        [4, 1_700_000_004_000, 2, null],
        'the first record at or after the time',
      );
      assert.deepEqual([r.beginning, r.end], [0, 10]);
      assert.deepEqual(r.afterSeek, [4, 5, 6, 7, 8, 9]);
      assert.deepEqual(r.committedSync, [6, 'sync']);
      assert.equal(r.asyncCallback, 'ok');
      assert.deepEqual(r.committedAsync, [8, 'async']);
      assert.equal(r.committedPosition, 10, 'commitSync() commits the position');
      assert.deepEqual([r.positionAfterSeekToBeginning, r.positionAfterSeekToEnd, r.positionAfterSeek], [0, 10, 2]);
      assert.deepEqual(r.resumedAt, [10], 'a new member of the group starts at the committed offset');
      assert.deepEqual(r.committedAtEnd, { [`jc-off-${protocol}-0`]: 10 });
      const group = broker.core.groups.group(`g-off-${protocol}`);
      assert.ok(group, 'the group exists on the broker');
      assert.equal(group.constructor.name, protocol === 'classic' ? 'ClassicGroup' : 'ConsumerGroup');
    });

    test(`${protocol}: a second member takes half the partitions without the first giving up the rest; its leave gives them back`, () => {
      const r = results.get(`rebalance/${protocol}`)!;
      assert.ok(r, 'the rebalance scenario ran');
      const events = (r.events as Json[]).filter((e) => e.partitions.length > 0);
      const revokedByA = events.filter((e) => e.member === 'A' && e.event === 'revoked');
      // Incremental: A gives up only what B gets, never all four.
      assert.deepEqual(revokedByA[0]!.partitions, r.bShared);
      assert.equal(r.aShared.length, 2);
      assert.deepEqual([...r.aShared, ...r.bShared].sort(), [0, 1, 2, 3]);
      assert.ok(!events.some((e) => e.event === 'lost'), 'no partition is lost');
      // B's partitions reach A only after B revoked them (on close).
      const bRevoked = events.findIndex((e) => e.member === 'B' && e.event === 'revoked');
      const aRegained = events.findIndex((e, i) => i > bRevoked && e.member === 'A' && e.event === 'assigned');
      assert.ok(bRevoked >= 0 && aRegained > bRevoked, JSON.stringify(events));
      assert.deepEqual(events[aRegained]!.partitions, r.bShared);
      assert.equal(r.describedType, protocol === 'classic' ? 'Classic' : 'Consumer');
      assert.equal(r.describedState, 'Stable');
      assert.equal(r.assignor, protocol === 'classic' ? 'cooperative-sticky' : 'uniform');
      assert.deepEqual((r.describedMembers as Json[]).map((m) => [m.clientId, m.partitions]).sort(), [
        ['member-a', r.aShared],
        ['member-b', r.bShared],
      ]);
      assert.equal(r.seenByB, 4, 'B read the records produced to its partitions while it owned them');
      assert.equal(r.distinctSeen, 28, 'every record was read');
      assert.deepEqual(Object.values(r.committed), [7, 7, 7, 7], 'offsets committed in onPartitionsRevoked and at the end');
    });

    test(`${protocol}: subscribe(Pattern) takes the matching topic, then one created later, and never a near miss`, () => {
      const r = results.get(`pattern/${protocol}`)!;
      assert.ok(r, 'the pattern scenario ran');
      assert.deepEqual(r.first, [`jc-pat-${protocol}-a-0`, `jc-pat-${protocol}-a-1`]);
      assert.deepEqual(r.later, [`jc-pat-${protocol}-a-0`, `jc-pat-${protocol}-a-1`, `jc-pat-${protocol}-b-0`]);
    });

    if (protocol === 'consumer') {
      test('consumer: subscribe(SubscriptionPattern): the broker resolves the regex (ConsumerGroupHeartbeat v1), later topics too', () => {
        const r = results.get('re2/consumer')!;
        assert.ok(r, 'the re2 scenario ran');
        assert.deepEqual(r.first, ['jc-re2-a-0', 'jc-re2-a-1']);
        assert.deepEqual(r.later, ['jc-re2-a-0', 'jc-re2-a-1', 'jc-re2-b-0']);
        const sent = heartbeats.filter((e) => (e.request as Json).groupId === 'g-re2');
        assert.ok(
          sent.some((e) => e.version === 1 && (e.request as Json).subscribedTopicRegex === 'jc-re2-.*'),
          'the client sent the regex',
        );
      });
    }

    test(`${protocol}: a static member closes and comes back with the same instance id: same partitions, no new generation`, () => {
      const r = results.get(`static/${protocol}`)!;
      assert.ok(r, 'the static scenario ran');
      const [first, second] = r.runs as Json[];
      assert.deepEqual(first!.assignment, [0, 1, 2, 3]);
      assert.deepEqual(second!.assignment, [0, 1, 2, 3]);
      assert.equal(second!.generation, first!.generation, 'the group did not rebalance for the returning static member');
      for (const run of [first!, second!]) {
        assert.equal(run.state, 'Stable');
        assert.equal(run.described.length, 1);
        assert.equal(run.described[0].instanceId, 'static-1');
        assert.equal(run.described[0].memberId, run.memberId);
        assert.deepEqual(run.described[0].partitions, [0, 1, 2, 3]);
      }
    });
  }
});
