// The Produce path's fast record walk (protocol/records/record-walk.ts) against the full decoder
// (decodeBatchRecords): on every batch it answers, it must agree with the decoder (count, largest
// timestamp delta, consecutive offset deltas), and it must answer every well-formed batch (so
// the slow ByteReader walk runs only for malformed ones). Mutated batches (test/fuzz/mutate.ts)
// that it answers must decode. Seeded: FUZZ_SEED (default 15), FUZZ_RUNS (default 8, times 25).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { RecordValidationError } from '../../protocol/errors.js';
import { RECORD_BATCH_OVERHEAD, buildBatch, decodeBatchRecords, readBatchHeader } from '../../protocol/records/index.js';
import { walkRecordsFast } from '../../protocol/records/record-walk.js';
import { applyMutation, mutationArbitrary } from '../fuzz/mutate.js';

const opts = { seed: Number(process.env.FUZZ_SEED ?? 15), numRuns: Number(process.env.FUZZ_RUNS ?? 8) * 25, endOnFailure: true };

const bytes = fc.option(
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
  { nil: null, freq: 4 },
);
const recordArb = fc.record({
  // Deltas from one byte up to several (timestamps far apart within a batch).
  timestamp: fc.oneof(fc.integer({ min: 1_700_000_000_000, max: 1_700_000_000_100 }), fc.integer({ min: 0, max: 2 ** 45 })),
  key: bytes,
  value: bytes,
  headers: fc.array(fc.record({ key: fc.string({ maxLength: 10 }), value: bytes }, { noNullPrototype: true }), { maxLength: 3 }),
});
const batchArb = fc.record({
  records: fc.array(recordArb, { minLength: 1, maxLength: 80 }),
  gaps: fc.boolean(),
});

function build(b: { records: Array<typeof recordArb extends fc.Arbitrary<infer R> ? R : never>; gaps: boolean }): Buffer {
  return buildBatch({ records: b.records.map((r, i) => ({ ...r, offsetDelta: b.gaps ? i * 200 : i })) });
}

/** What the decoder says of the walk's three answers, or null when the bytes do not decode. */
function decoded(buf: Buffer): { count: number; maxDelta: number; consecutive: boolean } | null {
  let d: ReturnType<typeof decodeBatchRecords>;
  try {
    d = decodeBatchRecords(buf);
  } catch (err) {
    if (err instanceof RecordValidationError) return null;
    throw err;
  }
  const base = d.header.baseTimestamp;
  return {
    count: d.records.length,
    maxDelta: Math.max(...d.records.map((r) => r.timestamp - base)),
    consecutive: d.records.every((r, i) => r.offset - d.header.baseOffset === i),
  };
}

test('the fast walk answers every well-formed batch, as the decoder reads it', () => {
  fc.assert(
    fc.property(batchArb, (b) => {
      const buf = build(b);
      const h = readBatchHeader(buf, 0);
      const fast = walkRecordsFast(buf.subarray(RECORD_BATCH_OVERHEAD), h.recordCount, false);
      assert.deepEqual(fast, decoded(buf));
      assert.equal(fast?.consecutive, !b.gaps || b.records.length === 1);
      // A null key on a compacted topic: left to the slow walk, which names the error.
      const keyed = walkRecordsFast(buf.subarray(RECORD_BATCH_OVERHEAD), h.recordCount, true);
      assert.equal(
        keyed === null,
        b.records.some((r) => r.key === null),
      );
    }),
    opts,
  );
});

test('a mutated batch the fast walk answers decodes to the same answer', () => {
  let answered = 0;
  let refused = 0;
  fc.assert(
    fc.property(batchArb, fc.array(mutationArbitrary, { minLength: 1, maxLength: 3 }), (b, mutations) => {
      const built = build(b);
      let buf = built;
      const count = readBatchHeader(buf, 0).recordCount;
      for (const { frac, m } of mutations) buf = applyMutation(buf, frac, m);
      if (buf.length < RECORD_BATCH_OVERHEAD) return;
      // The header as built (the walk is given the count): the records region is what is mutated.
      const fast = walkRecordsFast(buf.subarray(RECORD_BATCH_OVERHEAD), count, false);
      if (fast === null) {
        refused++;
        return;
      }
      answered++;
      // The built header in front of the mutated records, its length fitted to them.
      const fixed = Buffer.concat([built.subarray(0, RECORD_BATCH_OVERHEAD), buf.subarray(RECORD_BATCH_OVERHEAD)]);
      fixed.writeInt32BE(fixed.length - 12, 8);
      assert.deepEqual({ count: fast.count, consecutive: fast.consecutive, maxDelta: fast.maxDelta }, decoded(fixed));
    }),
    opts,
  );
  assert.ok(refused > 0, 'some mutations break the records');
  assert.ok(answered > 0, 'some mutations leave them well formed');
});
