// A short seeded pass of the Jepsen-style checker (test/jepsen/checker.ts): kafkajs and
// confluent-kafka producers (idempotent and transactional, acks=all) and a kafkajs
// read_committed group over 8 partitions, while the CLI broker is SIGKILLed and restarted 3
// times. Every anomaly count must be 0; `node dist/test/jepsen/run.js` is the long run (50 kills).
// And 10 power cuts in process (memory file system, flush.messages=1): no acknowledged write lost
// (before the producer id block was fsynced, a reused producer id made the broker acknowledge a
// new producer's first batch as a duplicate of a lost one's).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runJepsen, table } from '../jepsen/checker.js';
import { runPowerCuts } from '../jepsen/power-cuts.js';

test('3 SIGKILLs under idempotent and transactional load: no lost, duplicated, reordered or aborted reads', async () => {
  const r = await runJepsen({ rounds: 3, seed: 11, minUpMs: 500, maxUpMs: 1000 });
  const report = table(r);
  assert.ok(r.acknowledged > 0 && r.committedTxnValues > 0, `the producers got acknowledgements:\n${report}`);
  assert.ok(r.consumed > 0, report);
  assert.deepEqual(
    r.anomalies,
    { lost: [], duplicates: [], twoValuesAtOneOffset: [], reordered: [], abortedReads: [], unseen: [] },
    report,
  );
});

test('10 power cuts with flush.messages=1: no acknowledged write lost', async () => {
  const r = await runPowerCuts({ cuts: 10, seed: 1 });
  assert.ok(r.acknowledged > 0, 'the producers got acknowledgements');
  assert.deepEqual(r.anomalies, { lost: [], duplicates: [], twoValuesAtOneOffset: [], reordered: [], abortedReads: [], unseen: [] });
});
