// The mirror's offset mapping (bin/mirror/offsets.ts) and its record handling
// (bin/mirror/records.ts) without a broker: translating committed offsets that fall in runs,
// in gaps (markers, aborted or compacted-away records), at the end and past the copy; what a
// read_committed reader keeps of batches with an aborted and a committed transaction; and a
// re-encoded batch decoding to the same keys, values, headers and timestamps.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeRuns, encodeRuns, PartitionMapping } from '../../bin/mirror/offsets.js';
import { committedRecords, encodeBatch, type RawRecord } from '../../bin/mirror/records.js';
import { buildBatch, buildControlBatch, decodeBatchRecords, isCrcValid, readBatchHeader } from '../../protocol/records/index.js';

describe('mirror offset mapping', () => {
  // Source offsets 0-4 copied to target 10-14, 5-6 a marker and an aborted record, 7-9 copied
  // to 15-17, then 10 (a marker) read: the copy position is 11.
  function mapping(): PartitionMapping {
    const m = new PartitionMapping(0, 10);
    for (let s = 0; s < 5; s++) m.add(s, 10 + s);
    for (let s = 7; s < 10; s++) m.add(s, 8 + s);
    m.sourceNext = 11;
    m.targetNext = 18;
    return m;
  }

  test('runs merge while both sides advance together', () => {
    assert.deepEqual(mapping().runs, [
      [0, 10, 5],
      [7, 15, 3],
    ]);
  });

  test('a committed offset translates to the target offset of the next copied record', () => {
    const m = mapping();
    assert.equal(m.translate(0), 10);
    assert.equal(m.translate(3), 13);
    assert.equal(m.translate(5), 15, 'in a gap: the next copied record');
    assert.equal(m.translate(6), 15);
    assert.equal(m.translate(8), 16);
    assert.equal(m.translate(10), 18, 'past the last copied record, not past the copy: the target position');
    assert.equal(m.translate(11), 18);
    assert.equal(m.translate(12), null, 'past the copy: not translatable yet');
  });

  test('runs survive their text form and re-adding what is known changes nothing', () => {
    const m = mapping();
    const again = new PartitionMapping(11, 18);
    for (const r of decodeRuns(encodeRuns(m.runs))) again.addRun(r);
    again.addRun([2, 12, 3]);
    assert.deepEqual(again.runs, m.runs);
    assert.deepEqual(m.runsSince(1, 1), [[8, 16, 2]]);
  });
});

describe('mirror records', () => {
  const ts = 1_700_000_000_000;
  const plain = buildBatch({
    baseOffset: 0,
    records: [
      { key: 'a', value: 'one', timestamp: ts, headers: [{ key: 'h', value: 'x' }] },
      { key: 'b', value: null, timestamp: ts + 5 },
    ],
  });
  const aborted = buildBatch({
    baseOffset: 2,
    producerId: 7,
    producerEpoch: 0,
    baseSequence: 0,
    transactional: true,
    records: [{ value: 'no', timestamp: ts }],
  });
  const abortMarker = buildControlBatch({
    baseOffset: 3,
    producerId: 7,
    producerEpoch: 0,
    commit: false,
    coordinatorEpoch: 0,
    timestamp: ts,
  });
  const committed = buildBatch({
    baseOffset: 4,
    producerId: 8,
    producerEpoch: 0,
    baseSequence: 0,
    transactional: true,
    records: [{ value: 'yes', timestamp: ts }],
  });
  const commitMarker = buildControlBatch({
    baseOffset: 5,
    producerId: 8,
    producerEpoch: 0,
    commit: true,
    coordinatorEpoch: 0,
    timestamp: ts,
  });
  const data = Buffer.concat([plain, aborted, abortMarker, committed, commitMarker]);

  test('read_committed keeps plain and committed records, drops the aborted transaction and the markers', () => {
    const out: RawRecord[] = [];
    const next = committedRecords(data, 0, null, [{ producerId: 7, firstOffset: 2 }], out);
    assert.equal(next, 6);
    assert.deepEqual(
      out.map((r) => r.offset),
      [0, 1, 4],
    );
  });

  test('from a position inside a batch and up to an end', () => {
    const out: RawRecord[] = [];
    assert.equal(committedRecords(data, 1, 5, [{ producerId: 7, firstOffset: 2 }], out), 5);
    assert.deepEqual(
      out.map((r) => r.offset),
      [1, 4],
    );
  });

  test('a re-encoded batch holds the same records, offsets 0..n-1, CreateTime, no producer', () => {
    const out: RawRecord[] = [];
    committedRecords(data, 0, null, [{ producerId: 7, firstOffset: 2 }], out);
    for (const codec of [0, 1]) {
      const batch = encodeBatch(out, codec);
      assert.ok(isCrcValid(batch, 0));
      const h = readBatchHeader(batch, 0);
      assert.deepEqual([h.producerId, h.isTransactional, h.timestampType, h.compression, h.lastOffsetDelta], [-1, false, 0, codec, 2]);
      const decoded = decodeBatchRecords(batch, 0).records;
      assert.deepEqual(
        decoded.map((r) => [
          r.offset,
          r.timestamp,
          r.key?.toString() ?? null,
          r.value?.toString() ?? null,
          r.headers.map((x) => `${x.key}=${x.value}`),
        ]),
        [
          [0, ts, 'a', 'one', ['h=x']],
          [1, ts + 5, 'b', null, []],
          [2, ts, null, 'yes', []],
        ],
      );
    }
  });
});
