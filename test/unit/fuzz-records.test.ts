// Property tests of record batches (protocol/records/): magic 2 batches with every compression
// codec, headers, transactional and control batches, and magic 0/1 message sets with their
// codecs, round-trip build → decode; corrupted bytes are refused with the right typed error:
//   * a flipped bit under the CRC (attributes to the end of a magic-2 batch)  → CORRUPT_MESSAGE;
//   * any mutation, with the CRC recomputed afterwards so the record walk sees the damage:
//     RecordValidationError (or CompressionError) only, never a RangeError from a Buffer read.
// Seeded: FUZZ_SEED (default 14), FUZZ_RUNS (default 8, times 25 here).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { CompressionError, ErrorCode, RecordValidationError } from '../../protocol/errors.js';
import {
  Codec,
  buildBatch,
  buildControlBatch,
  codecAvailable,
  decodeBatchRecords,
  decodeLegacy,
  encodeLegacy,
  legacyToBatch,
  validateProduceRecords,
  writeCrc,
} from '../../protocol/records/index.js';
import { applyMutation, mutationArbitrary } from '../fuzz/mutate.js';

const SEED = Number(process.env.FUZZ_SEED ?? 14);
const RUNS = Number(process.env.FUZZ_RUNS ?? 8) * 25;
const opts = { seed: SEED, numRuns: RUNS, endOnFailure: true };

const CODECS = [Codec.NONE, Codec.GZIP, Codec.SNAPPY, Codec.LZ4, Codec.ZSTD].filter(codecAvailable);
const LEGACY_CODECS = CODECS.filter((c) => c !== Codec.ZSTD);

const bytes = fc.option(
  fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)),
  { nil: null, freq: 5 },
);
const timestamp = fc.integer({ min: 0, max: 2 ** 42 });
const recordArb = fc.record({
  timestamp,
  key: bytes,
  value: bytes,
  headers: fc.array(fc.record({ key: fc.string({ maxLength: 10, unit: 'grapheme' }), value: bytes }, { noNullPrototype: true }), {
    maxLength: 3,
  }),
});
const batchArb = fc.record({
  records: fc.array(recordArb, { minLength: 1, maxLength: 6 }),
  compression: fc.constantFrom(...CODECS),
  producerId: fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 2 ** 40 })),
  producerEpoch: fc.integer({ min: 0, max: 32767 }),
  baseSequence: fc.integer({ min: 0, max: 2 ** 31 - 100 }),
  transactional: fc.boolean(),
  baseOffset: fc.constant(0),
});

function build(b: Parameters<typeof buildBatch>[0] & { producerId: number; baseSequence: number }): Buffer {
  return buildBatch({ ...b, baseSequence: b.producerId < 0 ? -1 : b.baseSequence });
}

/** Decoding and validating must end in a value or our typed errors. */
function typedOnly(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (err instanceof RecordValidationError || err instanceof CompressionError) return;
    throw err;
  }
}

test('magic 2 batches, every codec, headers and transactions, round-trip and validate', () => {
  fc.assert(
    fc.property(batchArb, (b) => {
      const buf = build(b);
      const back = decodeBatchRecords(buf);
      assert.equal(back.header.compression, b.compression);
      assert.equal(back.header.isTransactional, b.transactional);
      assert.equal(back.records.length, b.records.length);
      b.records.forEach((r, i) => {
        const d = back.records[i]!;
        assert.equal(d.offset, i);
        assert.equal(d.timestamp, r.timestamp);
        assert.deepEqual(d.key, r.key);
        assert.deepEqual(d.value, r.value);
        assert.deepEqual(d.headers, r.headers);
      });
      const info = validateProduceRecords(buf, { apiVersion: 11, maxMessageBytes: 1048588 });
      assert.equal(info.recordCount, b.records.length);
      assert.equal(info.compression, b.compression);
    }),
    opts,
  );
});

test('control batches round-trip and are refused from producers', () => {
  fc.assert(
    fc.property(fc.boolean(), fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (commit, pid, epoch) => {
      const buf = buildControlBatch({ producerId: pid, producerEpoch: 3, commit, coordinatorEpoch: epoch, timestamp: 5 });
      const back = decodeBatchRecords(buf);
      assert.ok(back.header.isControl && back.header.isTransactional);
      assert.equal(back.records[0]!.key!.readInt16BE(2), commit ? 1 : 0);
      assert.equal(back.records[0]!.value!.readInt32BE(2), epoch);
      assert.throws(
        () => validateProduceRecords(buf, { apiVersion: 11, maxMessageBytes: 1048588 }),
        (e) => e instanceof RecordValidationError && e.errorCode === ErrorCode.INVALID_RECORD,
      );
    }),
    { ...opts, numRuns: 50 },
  );
});

test('magic 0 and 1 message sets, every codec they allow, round-trip and convert', () => {
  const legacyArb = fc.record({
    magic: fc.constantFrom(0 as const, 1 as const),
    compression: fc.constantFrom(...LEGACY_CODECS),
    records: fc.array(fc.record({ timestamp, key: bytes, value: bytes }), { minLength: 1, maxLength: 5 }),
  });
  fc.assert(
    fc.property(legacyArb, ({ magic, compression, records }) => {
      const input = records.map((r, i) => ({ ...r, offset: i }));
      const buf = encodeLegacy(input, magic, compression);
      const back = decodeLegacy(buf);
      assert.equal(back.length, records.length);
      back.forEach((m, i) => {
        assert.equal(m.offset, i);
        assert.equal(m.magic, magic);
        assert.equal(m.timestamp, magic === 0 ? -1 : records[i]!.timestamp);
        assert.deepEqual(m.key, records[i]!.key);
        assert.deepEqual(m.value, records[i]!.value);
      });
      const batch = decodeBatchRecords(legacyToBatch(buf, 1000));
      assert.deepEqual(
        batch.records.map((r) => r.value),
        records.map((r) => r.value),
      );
    }),
    opts,
  );
});

test('a flipped bit under the CRC of a magic 2 batch is CORRUPT_MESSAGE', () => {
  fc.assert(
    fc.property(batchArb, fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 7 }), (b, frac, bit) => {
      const buf = Buffer.from(build(b));
      const at = 17 + Math.min(buf.length - 18, Math.floor(frac * (buf.length - 17)));
      buf[at] = buf[at]! ^ (1 << bit);
      assert.throws(
        () => validateProduceRecords(buf, { apiVersion: 11, maxMessageBytes: 1048588 }),
        (e) => e instanceof RecordValidationError && e.errorCode === ErrorCode.CORRUPT_MESSAGE,
      );
    }),
    opts,
  );
});

test('mutated magic 2 batches (CRC recomputed) fail only with typed record errors', () => {
  fc.assert(
    fc.property(batchArb, fc.array(mutationArbitrary, { minLength: 1, maxLength: 3 }), (b, mutations) => {
      let buf = build(b);
      for (const { frac, m } of mutations) buf = applyMutation(buf, frac, m);
      if (buf.length >= 61 && buf.readInt32BE(8) + 12 <= buf.length && buf.readInt32BE(8) >= 49) writeCrc(buf, 0);
      typedOnly(() => validateProduceRecords(buf, { apiVersion: 11, maxMessageBytes: 1048588 }));
      typedOnly(() => validateProduceRecords(buf, { apiVersion: 2, maxMessageBytes: 1048588 }));
      typedOnly(() => decodeBatchRecords(buf));
    }),
    opts,
  );
});

test('mutated magic 0/1 message sets fail only with typed record errors', () => {
  const legacyArb = fc.record({
    magic: fc.constantFrom(0 as const, 1 as const),
    compression: fc.constantFrom(...LEGACY_CODECS),
    records: fc.array(fc.record({ timestamp, key: bytes, value: bytes }), { minLength: 1, maxLength: 4 }),
  });
  fc.assert(
    fc.property(legacyArb, fc.array(mutationArbitrary, { minLength: 1, maxLength: 3 }), ({ magic, compression, records }, mutations) => {
      let buf = encodeLegacy(
        records.map((r, i) => ({ ...r, offset: i })),
        magic,
        compression,
      );
      for (const { frac, m } of mutations) buf = applyMutation(buf, frac, m);
      typedOnly(() => decodeLegacy(buf));
      typedOnly(() => validateProduceRecords(buf, { apiVersion: 2, maxMessageBytes: 1048588 }));
    }),
    opts,
  );
});

// Fixtures: what the fuzzer found.
test('fixture: a batch shorter than its header is CORRUPT_MESSAGE, not a RangeError', () => {
  assert.throws(
    () => decodeBatchRecords(Buffer.from('9d0433f7f0f976b4', 'hex')),
    (e) => e instanceof RecordValidationError && e.errorCode === ErrorCode.CORRUPT_MESSAGE,
  );
});
