// Share group membership (KIP-932) with franz-go's own codecs: `franz share-members`
// (test/go/franz/share-members.go) sends kmsg ShareGroupHeartbeat v1 and ShareGroupDescribe v1
// through kgo to kafkalite: members join with ids they make, heartbeat until every partition is
// assigned (the `simple` assignor balancing 3 partitions over 2 members, then 3 members over 2
// partitions), describe, one leaves and the rest take its partitions.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { franz } from '../go/franz.js';

const T = { timeout: 180_000 };
let broker: Broker;

interface Described {
  state: string;
  groupEpoch: number;
  assignmentEpoch: number;
  assignor: string;
  members: Record<string, number>;
}
interface ShareRun {
  joinEpochs: number[];
  counts: number[];
  before: Described;
  leftEpoch: number;
  after: Described;
  leftMemberGone: boolean;
}

before(async () => {
  broker = await startBroker({ topics: { three: 3, two: 2 } });
});

after(async () => {
  await broker?.stop();
});

async function share(group: string, topic: string, members: number): Promise<ShareRun> {
  return franz<ShareRun>('share-members', broker.bootstrap, ['-group', group, '-topic', topic, '-members', String(members)], 62_000);
}

test('franz-go: two members share three partitions, one leaves, the other takes them all', T, async () => {
  const r = await share('franz-sg', 'three', 2);
  // The first join bumps the new group to epoch 2; the second comes within
  // share.assignment.interval.ms of that assignment, so it gets the assignment epoch (2) until
  // the next assignment.
  assert.deepEqual(r.joinEpochs, [2, 2]);
  assert.deepEqual(r.counts, [1, 2], 'balanced: counts differ by at most one');
  assert.equal(r.before.state, 'Stable');
  assert.equal(r.before.assignor, 'simple');
  assert.equal(r.before.groupEpoch, r.before.assignmentEpoch);
  assert.deepEqual(Object.values(r.before.members).sort(), [1, 2]);
  assert.equal(r.leftEpoch, -1);
  assert.ok(r.leftMemberGone);
  assert.deepEqual(Object.values(r.after.members), [3]);
  assert.ok(r.after.groupEpoch > r.before.groupEpoch);
});

test('franz-go: three members on two partitions each get one, every partition is read', T, async () => {
  const r = await share('franz-few', 'two', 3);
  assert.deepEqual(r.counts, [1, 1, 1]);
  assert.deepEqual(Object.values(r.after.members), [1, 1]);
});
