// Share group membership (KIP-932) with franz-go's own codecs: `franz share` (test/go/franz/share.go)
// sends kmsg ShareGroupHeartbeat v1 and ShareGroupDescribe v1 through kgo to kafkalite: members
// join with ids they make, heartbeat until every partition is assigned (the `simple` assignor
// balancing 3 partitions over 2 members, then 3 members over 2 partitions), describe, one leaves
// and the rest take its partitions.
//
// The franz binary is built here into a temporary directory rather than through
// test/go/setup.mjs (whose test/go/.cache is shared between worktrees on the dev machine);
// setup.mjs picks share.go up like every other franz source.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startBroker, type Broker } from '../../broker/index.js';
import { run } from './helpers.js';

const T = { timeout: 180_000 };
const GO_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'test', 'go');
const dir = mkdtempSync(join(tmpdir(), 'kafkalite-franz-share-'));
const bin = join(dir, 'franz');
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
  execFileSync('go', ['build', '-o', bin, './franz'], {
    cwd: GO_DIR,
    stdio: 'ignore',
    env: { ...process.env, GOFLAGS: '-mod=readonly -buildvcs=false' },
  });
  broker = await startBroker({ topics: { three: 3, two: 2 } });
});

after(async () => {
  await broker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function share(group: string, topic: string, members: number): Promise<ShareRun> {
  const r = await run(bin, [
    'share',
    '-b',
    broker.bootstrap,
    '-timeout',
    '60s',
    '-group',
    group,
    '-topic',
    topic,
    '-members',
    String(members),
  ]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as ShareRun;
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
