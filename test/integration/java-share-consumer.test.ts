// Kafka 4.4's KafkaShareConsumer (kafka-clients 4.4.0, KIP-932) in share groups kafkalite runs:
// two consumers of test/jvm/programs/ShareMembers.java subscribe and poll; the broker sees them
// join with the member ids they made (ShareGroupHeartbeat v1), the group reach two members
// (waitFor.groupStable), the `simple` assignor split the three partitions between them at one
// epoch, and on close both leave (epoch -1), which core.shareGroups.onMemberLeft reports to
// delivery; the group is then Empty.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startBroker } from '../../broker/index.js';
import { javaProgram } from './java-helpers.js';

test('KafkaShareConsumer: two members join, split the partitions, leave on close', { timeout: 150_000 }, async () => {
  // A 1 s heartbeat interval, so the members learn their assignments soon after joining.
  const broker = await startBroker({
    topics: { orders: 3 },
    config: { 'group.share.heartbeat.interval.ms': 1000, 'group.share.min.heartbeat.interval.ms': 1000 },
  });
  try {
    const left: string[] = [];
    broker.core.shareGroups.onMemberLeft((g, m) => left.push(`${g}/${m}`));
    const run = javaProgram('ShareMembers', broker.bootstrap, ['jsg', 'orders', '2', '15'], 120_000);
    const stable = await broker.waitFor.groupStable('jsg', { members: 2, timeoutMs: 60_000 });
    assert.equal(stable.members, 2);
    let members = broker.core.shareGroups.group('jsg')!.members;
    for (let i = 0; i < 100 && !members.every((m) => m.assignment.length > 0); i++) {
      await new Promise((r) => setTimeout(r, 100));
      members = broker.core.shareGroups.group('jsg')!.members;
    }
    assert.deepEqual(members.map((m) => m.clientId).sort(), ['share-0', 'share-1']);
    for (const m of members) assert.match(m.memberId, /^[A-Za-z0-9_-]{22}$/, 'the consumer makes a Uuid member id');
    const epochs = new Set(members.map((m) => m.memberEpoch));
    assert.equal(epochs.size, 1, 'both at the assignment epoch');
    const parts = members.flatMap((m) => m.assignment.flatMap((a) => a.partitions)).sort();
    assert.deepEqual(parts, [0, 1, 2], 'every partition assigned once');
    assert.deepEqual(members.map((m) => m.assignment[0]!.partitions.length).sort(), [1, 2]);

    const out = await run;
    assert.deepEqual(
      out.filter((l) => l.step === 'error'),
      [],
    );
    assert.equal(out.filter((l) => l.step === 'closed').length, 2);
    assert.deepEqual(left.sort(), members.map((m) => `jsg/${m.memberId}`).sort());
    assert.equal(broker.core.shareGroups.group('jsg')!.state, 'Empty');
  } finally {
    await broker.stop();
  }
});
