// KIP-848 online migration with the Java consumer 4.4 (test/jvm/programs/Migration.java): two
// consumers of one group on a 4-partition topic restart one at a time from group.protocol=classic
// to consumer and back, committing as they go, against Apache Kafka 4.4.0 and kafkalite. Both
// brokers must lose no record, process none twice unless its commit failed, and take the group
// through the same types (classic, upgraded to consumer, downgraded to classic) as Kafka's Admin
// describes it.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { JAVA_PROGRAMS, javaOk } from '../jvm/kafka.js';
import { startPair, type Pair, type Side } from './v44-pair.js';

let pair: Pair;
before(async () => {
  pair = await startPair();
});
after(async () => pair?.stop());

const EXPECTED_TYPES = [
  { step: 'start', type: 'Classic', members: ['A:classic', 'B:classic'] },
  { step: 'A->consumer', type: 'Consumer', members: ['A:consumer', 'B:classic'] },
  { step: 'B->consumer', type: 'Consumer', members: ['A:consumer', 'B:consumer'] },
  { step: 'A->classic', type: 'Consumer', members: ['A:classic', 'B:consumer'] },
  { step: 'B->classic', type: 'Classic', members: ['A:classic', 'B:classic'] },
];

for (const assignor of ['org.apache.kafka.clients.consumer.RangeAssignor', 'org.apache.kafka.clients.consumer.CooperativeStickyAssignor']) {
  const short = assignor.split('.').pop()!;
  test(`Java consumers 4.4 roll a group classic -> consumer -> classic (classic members with ${short})`, { timeout: 300_000 }, async () => {
    const run = async (side: Side) => {
      const out = await javaOk([join(JAVA_PROGRAMS, 'Migration.java'), side.bootstrap, `roll-${short}`, `roll-${short}`, assignor], {
        timeoutMs: 240_000,
      });
      const lines = out.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      return { steps: lines.slice(0, -1), end: lines.at(-1)! };
    };
    // Both sides at once: each run mostly waits on rebalances (heartbeats, the group settling), not on the CPU.
    const [ours, theirs] = await Promise.all([run(pair.kafkalite), run(pair.kafka)]);
    assert.deepEqual(theirs.steps, EXPECTED_TYPES, 'Kafka 4.4');
    assert.deepEqual(ours.steps, theirs.steps);
    for (const end of [ours.end, theirs.end]) {
      assert.equal(end.records, 800);
      assert.equal(end.processed, 800, 'no record lost');
      assert.ok((end.duplicates as number) <= (end.allowedDuplicates as number));
    }
  });
}
