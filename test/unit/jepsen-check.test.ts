// The Jepsen-style checker's checks (test/jepsen/history.ts) on made-up histories: each anomaly
// is found, and a clean history has none, so test/integration/jepsen.test.ts's zeros mean something.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { check, type DrainedPartition, newHistory, noteConsumed, recordOffset } from '../jepsen/history.js';

const log = (...records: Array<[number, string, boolean?]>): DrainedPartition => ({
  records: records.map(([offset, value, committed]) => ({ offset, value, committed: committed ?? true })),
});

test('a clean history has no anomalies', () => {
  const h = newHistory();
  h.acked.set('a-0', { partition: 0, offset: 0 });
  recordOffset(h, 0, 0, 'a-0');
  h.committed.add('t-1');
  h.aborted.add('t-2');
  noteConsumed(h, 0, 0, 'a-0');
  noteConsumed(h, 0, 1, 't-1');
  const a = check(h, new Map([[0, log([0, 'a-0'], [1, 't-1'], [2, 't-2', false])]]));
  assert.deepEqual(a, { lost: [], duplicates: [], twoValuesAtOneOffset: [], reordered: [], abortedReads: [], unseen: [] });
});

test('each anomaly is found', () => {
  const h = newHistory();
  h.acked.set('a-0', { partition: 0, offset: 0 }); // lost: not in the log
  h.acked.set('a-1', { partition: 0, offset: 1 }); // unseen: in the log, never consumed
  h.committed.add('t-0'); // lost: only in an aborted transaction's records
  h.aborted.add('t-1'); // read at read_committed
  recordOffset(h, 0, 2, 'b-9'); // told b-9 at offset 2, the log has b-3 there
  noteConsumed(h, 0, 2, 'b-3');
  const a = check(
    h,
    new Map([
      [0, log([1, 'a-1'], [2, 'b-3'], [3, 'b-2'], [4, 't-0', false], [5, 't-1'])],
      [1, log([0, 'b-2'])],
    ]),
  );
  assert.deepEqual(a.lost.sort(), ['a-0', 't-0']);
  assert.deepEqual(a.unseen, ['a-1']);
  assert.equal(a.twoValuesAtOneOffset.length, 1);
  assert.equal(a.reordered.length, 1, 'b-2 after b-3 in partition 0');
  assert.equal(a.duplicates.length, 1, 'b-2 in partitions 0 and 1');
  assert.equal(a.abortedReads.length, 1);
});
