import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode, RecordValidationError } from '../../protocol/errors.js';
import {
  Codec,
  buildBatch,
  buildControlBatch,
  decodeLegacy,
  decompress,
  downConvert,
  encodeLegacy,
  legacyToBatch,
  decodeBatchRecords,
  type LegacyRecordInput,
} from '../../protocol/records/index.js';
import { xxhash32 } from '../../protocol/records/xxhash32.js';

const TS = 1_700_000_000_000;
const LEGACY_CODECS = [Codec.NONE, Codec.GZIP, Codec.SNAPPY, Codec.LZ4];

function inputs(base: number, gaps = false): LegacyRecordInput[] {
  return [0, 1, 2, 3].map((i) => ({
    offset: base + (gaps ? i * 3 : i),
    timestamp: TS + i * 11,
    key: i === 1 ? null : Buffer.from(`k${i}`),
    value: i === 2 ? null : Buffer.from(`value ${i} `.repeat(i + 2)),
  }));
}

function plain(msgs: ReturnType<typeof decodeLegacy>) {
  return msgs.map((m) => ({ offset: m.offset, ts: m.timestamp, key: m.key?.toString() ?? null, value: m.value?.toString() ?? null }));
}

for (const magic of [0, 1] as const) {
  for (const codec of LEGACY_CODECS) {
    test(`legacy: magic ${magic} codec ${codec} round trip (offsets with gaps, absolute)`, () => {
      const recs = inputs(1000, true);
      const buf = encodeLegacy(recs, magic, codec);
      const out = decodeLegacy(buf);
      assert.deepEqual(
        plain(out),
        recs.map((r) => ({
          offset: r.offset,
          ts: magic === 1 ? r.timestamp : -1,
          key: r.key?.toString() ?? null,
          value: r.value?.toString() ?? null,
        })),
      );
      assert.ok(out.every((m) => m.magic === magic && m.compression === codec));
      if (codec !== Codec.NONE) {
        // One wrapper whose offset is the last absolute offset.
        assert.equal(Number(buf.readBigInt64BE(0)), recs[3]!.offset);
        assert.equal(buf.readInt32BE(8) + 12, buf.length);
      }
    });
  }
}

test('legacy: magic 1 wrapper holds relative inner offsets and the max timestamp', () => {
  const buf = encodeLegacy(inputs(500), 1, Codec.GZIP);
  assert.equal(buf.readBigInt64BE(18 - 0), BigInt(TS + 33)); // wrapper timestamp at entry byte 18
  const valueLen = buf.readInt32BE(26 + 4);
  const inner = decompress(Codec.GZIP, buf.subarray(34, 34 + valueLen));
  assert.equal(inner.readBigInt64BE(0), 0n, 'first inner offset is relative 0');
});

test('legacy: magic 1 wrapper offset 0 means base 0', () => {
  const buf = encodeLegacy(inputs(0), 1, Codec.GZIP); // wrapper offset 3: normal case
  assert.deepEqual(
    decodeLegacy(buf).map((m) => m.offset),
    [0, 1, 2, 3],
  );
  const single = encodeLegacy([{ offset: 0, timestamp: TS, key: null, value: Buffer.from('a') }], 1, Codec.GZIP);
  assert.deepEqual(
    decodeLegacy(single).map((m) => m.offset),
    [0],
  );
});

test('legacy: magic 0 lz4 wrapper carries the broken header checksum old clients expect', () => {
  const buf = encodeLegacy(inputs(0), 0, Codec.LZ4);
  const value = buf.subarray(12 + 4 + 1 + 1 + 4 + 4); // offset+size, crc, magic, attributes, null key, value length
  const hc = value[6]!;
  assert.equal(hc, (xxhash32(value, 0, 6) >>> 8) & 0xff);
  assert.equal(decodeLegacy(buf).length, 4);
});

test('legacy: CRC mismatch → CORRUPT_MESSAGE; partial tail ignored', () => {
  const buf = encodeLegacy(inputs(0), 1, Codec.NONE);
  assert.equal(decodeLegacy(buf.subarray(0, buf.length - 5)).length, 3);
  const bad = Buffer.from(buf);
  bad[30]! ^= 0xff;
  assert.throws(
    () => decodeLegacy(bad),
    (e: unknown) => e instanceof RecordValidationError && e.errorCode === ErrorCode.CORRUPT_MESSAGE,
  );
});

test('legacy: LogAppendTime wrapper timestamps apply to every inner message', () => {
  const buf = encodeLegacy(inputs(0), 1, Codec.SNAPPY, { timestampType: 1, logAppendTime: TS + 5000 });
  const out = decodeLegacy(buf);
  assert.ok(out.every((m) => m.timestamp === TS + 5000 && m.timestampType === 1));
});

test('legacyToBatch: keys, values, timestamps preserved; offsets 0..n-1; same codec; LogAppendTime stamping', () => {
  const legacy = encodeLegacy(inputs(40), 1, Codec.LZ4);
  const batch = legacyToBatch(legacy, TS + 1);
  const d = decodeBatchRecords(batch);
  assert.equal(d.header.compression, Codec.LZ4);
  assert.deepEqual(
    d.records.map((r) => r.offset),
    [0, 1, 2, 3],
  );
  assert.deepEqual(
    d.records.map((r) => r.timestamp),
    [TS, TS + 11, TS + 22, TS + 33],
  );
  assert.deepEqual(
    d.records.map((r) => r.key?.toString() ?? null),
    ['k0', null, 'k2', 'k3'],
  );
  assert.equal(d.records[2]!.value, null);
  const lat = decodeBatchRecords(legacyToBatch(legacy, TS + 999, { logAppendTime: true, compression: Codec.NONE }));
  assert.equal(lat.header.compression, Codec.NONE);
  assert.equal(lat.header.timestampType, 1);
  assert.ok(lat.records.every((r) => r.timestamp === TS + 999));
  const v0 = decodeBatchRecords(legacyToBatch(encodeLegacy(inputs(0), 0), TS));
  assert.ok(v0.records.every((r) => r.timestamp === -1));
  assert.equal(v0.header.maxTimestamp, -1);
});

test('downConvert: magic 2 → magic 0/1, control batches skipped, offsets and timestamps kept, partial tail ignored', () => {
  const b1 = buildBatch({
    baseOffset: 100,
    records: [
      { timestamp: TS, key: 'a', value: 'A', headers: [{ key: 'dropped', value: 'x' }] },
      { timestamp: TS + 1, key: 'b', value: 'B' },
    ],
    compression: Codec.GZIP,
  });
  const marker = buildControlBatch({ baseOffset: 102, producerId: 9, producerEpoch: 0, commit: true, coordinatorEpoch: 0, timestamp: TS });
  const b2 = buildBatch({
    baseOffset: 103,
    records: [
      { offset: 103, timestamp: TS + 2, key: null, value: 'C' },
      { offset: 105, timestamp: TS + 3, key: 'd', value: null },
    ],
  });
  const b3 = buildBatch({ baseOffset: 106, records: [{ timestamp: TS + 4, key: 'e', value: 'E' }] });
  const slice = Buffer.concat([b1, marker, b2, b3.subarray(0, b3.length - 4)]);
  for (const magic of [0, 1] as const) {
    for (const input of [slice, [Buffer.concat([b1, marker]), Buffer.concat([b2, b3.subarray(0, 20)])]]) {
      const out = downConvert(input, magic);
      const msgs = decodeLegacy(out);
      assert.deepEqual(
        msgs.map((m) => m.offset),
        [100, 101, 103, 105],
      );
      assert.deepEqual(
        msgs.map((m) => m.value?.toString() ?? null),
        ['A', 'B', 'C', null],
      );
      assert.deepEqual(
        msgs.map((m) => m.key?.toString() ?? null),
        ['a', 'b', null, 'd'],
      );
      assert.deepEqual(
        msgs.map((m) => m.timestamp),
        magic === 1 ? [TS, TS + 1, TS + 2, TS + 3] : [-1, -1, -1, -1],
      );
      assert.deepEqual(
        msgs.map((m) => m.compression),
        [Codec.GZIP, Codec.GZIP, 0, 0],
      );
      assert.ok(msgs.every((m) => m.magic === magic));
    }
  }
});

test('downConvert: LogAppendTime batch keeps the append time; firstOffset drops earlier uncompressed records only', () => {
  const lat = buildBatch({
    baseOffset: 0,
    records: [
      { timestamp: 1, value: 'x' },
      { timestamp: 2, value: 'y' },
    ],
    timestampType: 1,
    maxTimestamp: TS,
  });
  const msgs = decodeLegacy(downConvert(lat, 1));
  assert.ok(msgs.every((m) => m.timestamp === TS && m.timestampType === 1));
  assert.deepEqual(
    decodeLegacy(downConvert(lat, 1, 1)).map((m) => m.offset),
    [1],
  );
  const gz = buildBatch({
    baseOffset: 0,
    records: [
      { timestamp: 1, value: 'x' },
      { timestamp: 2, value: 'y' },
    ],
    compression: Codec.GZIP,
  });
  assert.deepEqual(
    decodeLegacy(downConvert(gz, 1, 1)).map((m) => m.offset),
    [0, 1],
  );
});

test('downConvert: zstd batch → UNSUPPORTED_COMPRESSION_TYPE; empty input → empty output', () => {
  const z = buildBatch({ records: [{ timestamp: 1, value: 'x' }], compression: Codec.ZSTD });
  assert.throws(
    () => downConvert(z, 1),
    (e: unknown) => e instanceof RecordValidationError && e.errorCode === ErrorCode.UNSUPPORTED_COMPRESSION_TYPE,
  );
  assert.equal(downConvert([], 0).length, 0);
});

test('downConvert: legacy entries already at or below the target magic pass through; magic 1 → 0 converts', () => {
  const v0 = encodeLegacy(inputs(10), 0, Codec.GZIP);
  assert.deepEqual(downConvert(v0, 1), v0);
  const v1 = encodeLegacy(inputs(10), 1, Codec.SNAPPY);
  const out = decodeLegacy(downConvert(v1, 0));
  assert.deepEqual(
    out.map((m) => [m.magic, m.offset]),
    [
      [0, 10],
      [0, 11],
      [0, 12],
      [0, 13],
    ],
  );
});
