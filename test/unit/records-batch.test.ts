import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Codec,
  RECORD_BATCH_OVERHEAD,
  batchesUseCodec,
  buildBatch,
  buildControlBatch,
  completeEntriesLength,
  computeCrc,
  decodeBatchRecords,
  isCrcValid,
  iterateEntries,
  lastOffsetOf,
  readBatchHeader,
  setBaseOffset,
  setLeaderEpoch,
  setMaxTimestamp,
  type RecordInput,
} from '../../protocol/records/index.js';
import { ByteReader, sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong } from '../../protocol/records/varint.js';

const TS = 1_700_000_000_000;

function sampleRecords(n: number): RecordInput[] {
  return Array.from({ length: n }, (_, i) => ({
    timestamp: TS + i * 3,
    key: i === 1 ? null : `key-${i}`,
    value: i === 2 ? null : `value-${i}-`.repeat(i + 1),
    headers: i % 2 === 0 ? [{ key: `h${i}`, value: i === 4 ? null : `hv${i}` }] : [],
  }));
}

test('varint: zig-zag int32 and int64 round trips, sizes, Kafka byte forms', () => {
  const ints = [0, 1, -1, 63, -64, 64, 300, -300, 2 ** 31 - 1, -(2 ** 31)];
  const longs = [...ints, 2 ** 40 + 5, -(2 ** 40) - 7, TS, -TS, 2 ** 52 - 1];
  const buf = Buffer.alloc(16);
  for (const v of ints) {
    const end = writeVarint(buf, 0, v);
    assert.equal(end, sizeOfVarint(v));
    assert.equal(new ByteReader(buf, 0, end).varint(), v);
  }
  for (const v of longs) {
    const end = writeVarlong(buf, 0, v);
    assert.equal(end, sizeOfVarlong(v));
    assert.equal(new ByteReader(buf, 0, end).varlong(), v);
  }
  assert.deepEqual([...buf.subarray(0, writeVarint(buf, 0, -1))], [0x01]); // null length
  assert.deepEqual([...buf.subarray(0, writeVarint(buf, 0, 150))], [0xac, 0x02]);
});

for (const [name, codec] of Object.entries(Codec)) {
  test(`batch: build → decode round trip (${name})`, () => {
    const records = sampleRecords(6);
    const batch = buildBatch({ baseOffset: 0, records, compression: codec, producerId: 77, producerEpoch: 2, baseSequence: 10 });
    const h = readBatchHeader(batch, 0);
    assert.equal(h.magic, 2);
    assert.equal(h.sizeInBytes, batch.length);
    assert.equal(h.compression, codec);
    assert.equal(h.recordCount, 6);
    assert.equal(h.lastOffsetDelta, 5);
    assert.equal(h.baseTimestamp, TS);
    assert.equal(h.maxTimestamp, TS + 15);
    assert.equal(h.producerId, 77);
    assert.equal(h.producerEpoch, 2);
    assert.equal(h.baseSequence, 10);
    assert.equal(h.partitionLeaderEpoch, -1);
    assert.ok(isCrcValid(batch, 0));
    const decoded = decodeBatchRecords(batch);
    assert.equal(decoded.records.length, 6);
    decoded.records.forEach((r, i) => {
      const src = records[i]!;
      assert.equal(r.offset, i);
      assert.equal(r.timestamp, src.timestamp);
      assert.equal(r.key?.toString() ?? null, src.key ?? null);
      assert.equal(r.value?.toString() ?? null, src.value ?? null);
      assert.deepEqual(
        r.headers.map((x) => [x.key, x.value?.toString() ?? null]),
        (src.headers ?? []).map((x) => [x.key, x.value ?? null]),
      );
    });
  });
}

test('batch: byte layout of a minimal batch matches the spec offsets', () => {
  const b = buildBatch({ baseOffset: 42, records: [{ timestamp: 5, key: null, value: 'v' }], partitionLeaderEpoch: 9 });
  assert.equal(b.readBigInt64BE(0), 42n);
  assert.equal(b.readInt32BE(8), b.length - 12);
  assert.equal(b.readInt32BE(12), 9);
  assert.equal(b[16], 2);
  assert.equal(b.readUInt32BE(17), computeCrc(b, 0, b.length));
  assert.equal(b.readInt16BE(21), 0);
  assert.equal(b.readInt32BE(23), 0);
  assert.equal(b.readBigInt64BE(27), 5n);
  assert.equal(b.readBigInt64BE(35), 5n);
  assert.equal(b.readBigInt64BE(43), -1n);
  assert.equal(b.readInt16BE(51), -1);
  assert.equal(b.readInt32BE(53), -1);
  assert.equal(b.readInt32BE(57), 1);
  // record: length, attributes 0, tsDelta 0, offsetDelta 0, key null (0x01), value len 1 'v', 0 headers
  assert.deepEqual([...b.subarray(RECORD_BATCH_OVERHEAD)], [7 * 2, 0, 0, 0, 0x01, 0x02, 0x76, 0]);
});

test('batch: CRC-32C known value and flip detection', () => {
  // CRC-32C("123456789") = 0xE3069283; put the string at the CRC'd range of a fake batch.
  const fake = Buffer.concat([Buffer.alloc(21), Buffer.from('123456789')]);
  assert.equal(computeCrc(fake, 0, fake.length), 0xe3069283);
  const b = buildBatch({ records: sampleRecords(3), compression: Codec.GZIP });
  assert.ok(isCrcValid(b));
  for (const at of [21, 30, 57, RECORD_BATCH_OVERHEAD + 3, b.length - 1]) {
    const c = Buffer.from(b);
    c[at]! ^= 0x10;
    assert.equal(isCrcValid(c), false, `flip at ${at}`);
  }
});

test('batch: baseOffset and leader epoch updates keep the CRC valid', () => {
  const b = buildBatch({ records: sampleRecords(3) });
  const crc = b.readUInt32BE(17);
  setBaseOffset(b, 0, 2 ** 40 + 123);
  setLeaderEpoch(b, 0, 17);
  assert.equal(b.readUInt32BE(17), crc);
  assert.ok(isCrcValid(b));
  const h = readBatchHeader(b);
  assert.equal(h.baseOffset, 2 ** 40 + 123);
  assert.equal(h.lastOffset, 2 ** 40 + 125);
  assert.equal(lastOffsetOf(b, 0), 2 ** 40 + 125);
  assert.equal(h.partitionLeaderEpoch, 17);
  assert.deepEqual(
    decodeBatchRecords(b).records.map((r) => r.offset),
    [2 ** 40 + 123, 2 ** 40 + 124, 2 ** 40 + 125],
  );
});

test('batch: setMaxTimestamp (LogAppendTime) recomputes the CRC; records take the batch time', () => {
  const b = buildBatch({ records: sampleRecords(3) });
  const before = b.readUInt32BE(17);
  setMaxTimestamp(b, 0, 1, TS + 99_999);
  assert.notEqual(b.readUInt32BE(17), before);
  assert.ok(isCrcValid(b));
  const d = decodeBatchRecords(b);
  assert.equal(d.header.timestampType, 1);
  assert.ok(d.records.every((r) => r.timestamp === TS + 99_999));
});

test('batch: iterateEntries walks back-to-back batches and stops at a partial tail', () => {
  const a = buildBatch({ baseOffset: 0, records: sampleRecords(2) });
  const b = buildBatch({ baseOffset: 2, records: sampleRecords(3), compression: Codec.LZ4 });
  const c = buildBatch({ baseOffset: 5, records: sampleRecords(1) });
  const all = Buffer.concat([a, b, c]);
  for (const cut of [all.length, all.length - 1, a.length + b.length + 11, a.length + b.length]) {
    const entries = [...iterateEntries(all.subarray(0, cut))];
    const expected = cut === all.length ? 3 : 2;
    assert.equal(entries.length, expected, `cut ${cut}`);
    assert.deepEqual(
      entries.map((e) => e.offset),
      [0, 2, 5].slice(0, expected),
    );
    assert.ok(entries.every((e) => e.magic === 2));
    assert.equal(completeEntriesLength(all.subarray(0, cut)), expected === 3 ? all.length : a.length + b.length);
  }
  assert.equal(batchesUseCodec([all], Codec.LZ4), true);
  assert.equal(batchesUseCodec([a, c], Codec.LZ4), false);
});

test('batch: control batch (transaction marker)', () => {
  const m = buildControlBatch({ producerId: 5, producerEpoch: 1, commit: true, coordinatorEpoch: 3, timestamp: TS, baseOffset: 10 });
  const d = decodeBatchRecords(m);
  assert.ok(d.header.isControl && d.header.isTransactional);
  assert.equal(d.header.baseSequence, -1);
  assert.equal(d.records.length, 1);
  assert.deepEqual([...d.records[0]!.key!], [0, 0, 0, 1]);
  assert.deepEqual([...d.records[0]!.value!], [0, 0, 0, 0, 0, 3]);
});

test('batch: decode rejects a record whose length disagrees with its fields', () => {
  const b = buildBatch({ records: [{ timestamp: 0, key: 'k', value: 'v' }] });
  b[RECORD_BATCH_OVERHEAD] = b[RECORD_BATCH_OVERHEAD]! + 2; // claims 1 more byte than present
  assert.throws(() => decodeBatchRecords(b), /record 0/);
});
