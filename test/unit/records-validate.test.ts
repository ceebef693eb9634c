import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode, RecordValidationError } from '../../protocol/errors.js';
import {
  Codec,
  buildBatch,
  buildControlBatch,
  encodeLegacy,
  writeCrc,
  decodeBatchRecords,
  validateProduceRecords,
  type BuildBatchOptions,
} from '../../protocol/records/index.js';

const TS = 1_700_000_000_000;
const OPTS = { apiVersion: 9, maxMessageBytes: 1_048_588 };

function batch(over: Partial<BuildBatchOptions> = {}): Buffer {
  return buildBatch({
    records: [
      { timestamp: TS, key: 'a', value: 'one' },
      { timestamp: TS + 5, key: 'b', value: 'two' },
      { timestamp: TS + 2, key: null, value: 'three' },
    ],
    ...over,
  });
}

function expectCode(fn: () => unknown, code: number, re?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof RecordValidationError, `expected RecordValidationError, got ${String(e)}`);
    assert.equal(e.errorCode, code, `error code for: ${e.message}`);
    if (re) assert.match(e.message, re);
    return true;
  });
}

test('validate: accepts a plain batch and summarises it', () => {
  const b = batch();
  const info = validateProduceRecords(b, OPTS);
  assert.deepEqual(
    { ...info, batch: undefined },
    {
      magic: 2,
      recordCount: 3,
      maxTimestamp: TS + 5,
      maxRecordTimestamp: TS + 5,
      consecutiveOffsets: true,
      producerId: -1,
      producerEpoch: -1,
      baseSequence: -1,
      lastOffsetDelta: 2,
      isTransactional: false,
      compression: 0,
      batch: undefined,
      converted: false,
    },
  );
  assert.equal(info.batch, b);
});

test("validate: the records' own max timestamp and offset deltas, whatever the header says", () => {
  const lying = batch({ maxTimestamp: TS + 100 });
  assert.equal(validateProduceRecords(lying, OPTS).maxRecordTimestamp, TS + 5);
  const gapped = buildBatch({
    records: [0, 1].map((i) => ({ offsetDelta: 2 * i, timestamp: TS, value: 'x' })),
    lastOffsetDelta: 1,
  });
  assert.equal(validateProduceRecords(gapped, OPTS).consecutiveOffsets, false);
});

test('validate: the record walk fails a count or a record length that does not match the bytes, and null header keys', () => {
  const withCount = (count: number) => {
    const b = Buffer.from(batch());
    b.writeInt32BE(count, 57);
    b.writeInt32BE(count - 1, 23);
    writeCrc(b, 0);
    return b;
  };
  expectCode(() => validateProduceRecords(withCount(2), OPTS), ErrorCode.INVALID_RECORD, /after the last record/);
  expectCode(() => validateProduceRecords(withCount(4), OPTS), ErrorCode.INVALID_RECORD);
  const h = buildBatch({ records: [{ timestamp: TS, key: 'K', value: 'V', headers: [{ key: '', value: 'HV' }] }] });
  const at = h.indexOf(Buffer.from([0x02, 0x00, 0x04, 0x48, 0x56]));
  h[at + 1] = 0x01;
  writeCrc(h, 0);
  expectCode(() => validateProduceRecords(h, OPTS), ErrorCode.INVALID_RECORD, /null header key/);
});

test('validate: accepts every codec at v7+, idempotent and transactional batches', () => {
  for (const codec of Object.values(Codec)) {
    const info = validateProduceRecords(batch({ compression: codec }), OPTS);
    assert.equal(info.compression, codec);
  }
  const info = validateProduceRecords(
    batch({ producerId: 1000, producerEpoch: 4, baseSequence: 0, transactional: true, compression: Codec.SNAPPY }),
    OPTS,
  );
  assert.equal(info.producerId, 1000);
  assert.equal(info.producerEpoch, 4);
  assert.equal(info.baseSequence, 0);
  assert.equal(info.isTransactional, true);
});

test('validate: a partial trailing entry is trimmed, as Kafka does', () => {
  const b = batch();
  const info = validateProduceRecords(Buffer.concat([b, b.subarray(0, 30)]), OPTS);
  assert.equal(info.batch.length, b.length);
  // …but a tail whose size field is nonsense is corrupt (Kafka's ByteBufferLogInputStream).
  expectCode(() => validateProduceRecords(Buffer.concat([b, Buffer.alloc(20)]), OPTS), ErrorCode.CORRUPT_MESSAGE);
});

test('validate: no batch at all → INVALID_RECORD (v3+)', () => {
  expectCode(() => validateProduceRecords(Buffer.alloc(0), OPTS), ErrorCode.INVALID_RECORD);
  expectCode(() => validateProduceRecords(batch().subarray(0, 40), OPTS), ErrorCode.INVALID_RECORD);
});

test('validate: two batches (v3+) → INVALID_RECORD', () => {
  expectCode(() => validateProduceRecords(Buffer.concat([batch(), batch()]), OPTS), ErrorCode.INVALID_RECORD, /exactly one/);
});

test('validate: magic 0/1 with v3+ → INVALID_RECORD', () => {
  const legacy = encodeLegacy([{ offset: 0, timestamp: TS, key: null, value: Buffer.from('x') }], 1);
  expectCode(() => validateProduceRecords(legacy, OPTS), ErrorCode.INVALID_RECORD, /magic 2/);
});

test('validate: zstd below Produce v7 → UNSUPPORTED_COMPRESSION_TYPE', () => {
  const z = batch({ compression: Codec.ZSTD });
  expectCode(() => validateProduceRecords(z, { ...OPTS, apiVersion: 6 }), ErrorCode.UNSUPPORTED_COMPRESSION_TYPE);
  assert.equal(validateProduceRecords(z, { ...OPTS, apiVersion: 7 }).compression, Codec.ZSTD);
});

test('validate: batch bigger than max.message.bytes → MESSAGE_TOO_LARGE', () => {
  const b = batch();
  expectCode(() => validateProduceRecords(b, { ...OPTS, maxMessageBytes: b.length - 1 }), ErrorCode.MESSAGE_TOO_LARGE);
  assert.equal(validateProduceRecords(b, { ...OPTS, maxMessageBytes: b.length }).recordCount, 3);
});

test('validate: CRC flip → CORRUPT_MESSAGE', () => {
  const b = batch({ compression: Codec.GZIP });
  b[b.length - 2]! ^= 0x01;
  expectCode(() => validateProduceRecords(b, OPTS), ErrorCode.CORRUPT_MESSAGE, /crc/);
});

test('validate: entry framing errors → CORRUPT_MESSAGE', () => {
  const small = batch();
  small.writeInt32BE(10, 8); // size below the 14-byte minimum
  expectCode(() => validateProduceRecords(small, OPTS), ErrorCode.CORRUPT_MESSAGE);
  const badMagic = batch();
  badMagic[16] = 3;
  expectCode(() => validateProduceRecords(badMagic, OPTS), ErrorCode.CORRUPT_MESSAGE, /magic/);
  const tooShort = batch().subarray(0, 40);
  tooShort.writeInt32BE(28, 8); // complete entry of 40 bytes, smaller than a batch header
  expectCode(() => validateProduceRecords(tooShort, OPTS), ErrorCode.CORRUPT_MESSAGE, /overhead/);
});

test('validate: baseOffset ≠ 0 → INVALID_RECORD', () => {
  expectCode(() => validateProduceRecords(batch({ baseOffset: 5 }), OPTS), ErrorCode.INVALID_RECORD, /baseOffset/);
});

test('validate: lastOffsetDelta + 1 ≠ recordCount → INVALID_RECORD', () => {
  expectCode(() => validateProduceRecords(batch({ lastOffsetDelta: 5 }), OPTS), ErrorCode.INVALID_RECORD, /inconsistent/);
  expectCode(() => validateProduceRecords(batch({ lastOffsetDelta: -1 }), OPTS), ErrorCode.INVALID_RECORD, /offset range/);
});

test('validate: recordCount 0 → INVALID_RECORD', () => {
  const empty = buildBatch({ records: [] });
  expectCode(() => validateProduceRecords(empty, OPTS), ErrorCode.INVALID_RECORD);
});

test('validate: control batch from a client → INVALID_RECORD', () => {
  const m = buildControlBatch({ producerId: 5, producerEpoch: 0, commit: true, coordinatorEpoch: 0, timestamp: TS });
  expectCode(() => validateProduceRecords(m, OPTS), ErrorCode.INVALID_RECORD, /control/);
});

test('validate: producerId ≥ 0 with baseSequence < 0 → INVALID_RECORD', () => {
  expectCode(
    () => validateProduceRecords(batch({ producerId: 3, producerEpoch: 0, baseSequence: -1 }), OPTS),
    ErrorCode.INVALID_RECORD,
    /sequence/,
  );
});

test('validate: a producer-set LogAppendTime bit is left to the per-record checks (broker/produce-records.ts)', () => {
  assert.equal(validateProduceRecords(batch({ timestampType: 1, maxTimestamp: TS }), OPTS).maxRecordTimestamp, TS);
});

test('validate: compacted topic with a null key → INVALID_RECORD (also inside compressed batches)', () => {
  for (const codec of [Codec.NONE, Codec.LZ4]) {
    expectCode(
      () => validateProduceRecords(batch({ compression: codec }), { ...OPTS, compactedTopic: true }),
      ErrorCode.INVALID_RECORD,
      /key/,
    );
  }
  const keyed = buildBatch({ records: [{ timestamp: TS, key: 'k', value: null }], compression: Codec.GZIP });
  assert.equal(validateProduceRecords(keyed, { ...OPTS, compactedTopic: true }).recordCount, 1);
});

test('validate: compacted topic walk catches malformed records even with a valid CRC', () => {
  const b = buildBatch({ records: [{ timestamp: TS, key: 'k', value: 'v' }] });
  b[61] = b[61]! + 2;
  writeCrc(b, 0);
  expectCode(() => validateProduceRecords(b, { ...OPTS, compactedTopic: true }), ErrorCode.INVALID_RECORD);
});

test('validate: Produce v0–2 with magic 0/1 converts to one magic-2 batch', () => {
  for (const magic of [0, 1] as const) {
    for (const codec of [Codec.NONE, Codec.GZIP, Codec.SNAPPY, Codec.LZ4]) {
      const legacy = encodeLegacy(
        [
          { offset: 0, timestamp: TS, key: Buffer.from('k0'), value: Buffer.from('v0') },
          { offset: 1, timestamp: TS + 7, key: null, value: Buffer.from('v1') },
        ],
        magic,
        codec,
      );
      const info = validateProduceRecords(legacy, { ...OPTS, apiVersion: 2, now: TS + 100 });
      assert.equal(info.magic, magic);
      assert.equal(info.converted, true);
      assert.equal(info.recordCount, 2);
      assert.equal(info.compression, codec);
      assert.equal(info.maxTimestamp, magic === 1 ? TS + 7 : -1);
      // The converted batch passes the v3+ checks too.
      assert.equal(validateProduceRecords(info.batch, OPTS).recordCount, 2);
      const recs = decodeBatchRecords(info.batch).records;
      assert.deepEqual(
        recs.map((r) => r.value?.toString()),
        ['v0', 'v1'],
      );
      assert.deepEqual(
        recs.map((r) => r.timestamp),
        magic === 1 ? [TS, TS + 7] : [-1, -1],
      );
    }
  }
});

test('validate: Produce v0–2 legacy errors', () => {
  const legacy = encodeLegacy([{ offset: 0, timestamp: TS, key: null, value: Buffer.from('x'.repeat(100)) }], 1);
  const flipped = Buffer.from(legacy);
  flipped[flipped.length - 1]! ^= 1;
  expectCode(() => validateProduceRecords(flipped, { ...OPTS, apiVersion: 2 }), ErrorCode.CORRUPT_MESSAGE);
  expectCode(() => validateProduceRecords(legacy, { ...OPTS, apiVersion: 2, maxMessageBytes: 50 }), ErrorCode.MESSAGE_TOO_LARGE);
  expectCode(() => validateProduceRecords(legacy, { ...OPTS, apiVersion: 2, compactedTopic: true }), ErrorCode.INVALID_RECORD);
  const logAppend = encodeLegacy([{ offset: 0, key: null, value: Buffer.from('x') }], 1, 0, { timestampType: 1, logAppendTime: TS });
  expectCode(() => validateProduceRecords(logAppend, { ...OPTS, apiVersion: 1 }), ErrorCode.INVALID_TIMESTAMP);
  const mixed = Buffer.concat([legacy, encodeLegacy([{ offset: 0, key: null, value: Buffer.from('y') }], 0)]);
  expectCode(() => validateProduceRecords(mixed, { ...OPTS, apiVersion: 2 }), ErrorCode.INVALID_RECORD, /magic/);
});

test('validate: Produce v0–2 with an empty message set appends nothing', () => {
  const info = validateProduceRecords(Buffer.alloc(0), { ...OPTS, apiVersion: 0 });
  assert.equal(info.recordCount, 0);
  assert.equal(info.batch.length, 0);
});

test('validate: Produce v0–2 with magic 2 is checked like v3+', () => {
  assert.equal(validateProduceRecords(batch(), { ...OPTS, apiVersion: 2 }).recordCount, 3);
  expectCode(
    () => validateProduceRecords(batch({ compression: Codec.ZSTD }), { ...OPTS, apiVersion: 2 }),
    ErrorCode.UNSUPPORTED_COMPRESSION_TYPE,
  );
});
