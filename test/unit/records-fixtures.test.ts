// Byte-level fixtures made by kafka-python's own builders (see test/fixtures/records/README.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  decodeBatchRecords,
  decodeLegacy,
  decompress,
  downConvert,
  isCrcValid,
  legacyToBatch,
  readBatchHeader,
  validateProduceRecords,
} from '../../protocol/records/index.js';

function fixturesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'test', 'fixtures', 'records');
    if (existsSync(join(candidate, 'expected.json'))) return candidate;
    const up = dirname(dir);
    if (up === dir) throw new Error('test/fixtures/records not found');
    dir = up;
  }
}

const DIR = fixturesDir();
const load = (name: string): Buffer => Buffer.from(readFileSync(join(DIR, `${name}.hex`), 'utf8').trim(), 'hex');

interface ExpectedRecord {
  offset: number;
  timestamp: number;
  key: string | null;
  value: string | null;
  headers?: Array<[string, string]>;
}
interface Expected {
  magic?: number;
  compression?: number;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  transactional?: boolean;
  records?: ExpectedRecord[];
  codec?: number;
  text?: string;
  repeat?: number;
}
const EXPECTED = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Record<string, Expected>;
const str = (b: Buffer | null): string | null => (b === null ? null : b.toString('utf8'));

for (const [name, exp] of Object.entries(EXPECTED)) {
  if (exp.magic !== 2) continue;
  test(`fixture ${name}: kafka-python magic-2 batch decodes and validates`, () => {
    const buf = load(name);
    assert.ok(isCrcValid(buf, 0));
    const { header, records } = decodeBatchRecords(buf);
    assert.equal(header.compression, exp.compression);
    assert.equal(header.isTransactional, exp.transactional ?? false);
    assert.equal(header.producerId, exp.producerId ?? -1);
    assert.equal(header.producerEpoch, exp.producerEpoch ?? -1);
    assert.equal(header.baseSequence, exp.baseSequence ?? -1);
    assert.deepEqual(
      records.map((r) => ({
        offset: r.offset,
        timestamp: r.timestamp,
        key: str(r.key),
        value: str(r.value),
        headers: r.headers.map((h) => [h.key, str(h.value)]),
      })),
      exp.records!.map((r) => ({ ...r, headers: r.headers ?? [] })),
    );
    const info = validateProduceRecords(buf, { apiVersion: 9, maxMessageBytes: 1_048_588 });
    assert.equal(info.recordCount, exp.records!.length);
    assert.equal(info.isTransactional, exp.transactional ?? false);
    assert.equal(info.maxTimestamp, Math.max(...exp.records!.map((r) => r.timestamp)));
  });
}

for (const [name, exp] of Object.entries(EXPECTED)) {
  if (exp.magic !== 0 && exp.magic !== 1) continue;
  test(`fixture ${name}: kafka-python legacy message set decodes, converts and validates`, () => {
    const buf = load(name);
    const msgs = decodeLegacy(buf);
    const want = exp.records!.map((r) => ({ offset: r.offset, timestamp: r.timestamp, key: r.key, value: r.value }));
    assert.deepEqual(
      msgs.map((m) => ({ offset: m.offset, timestamp: m.timestamp, key: str(m.key), value: str(m.value) })),
      want,
    );
    assert.ok(msgs.every((m) => m.magic === exp.magic && m.compression === exp.compression));
    const info = validateProduceRecords(buf, { apiVersion: exp.magic === 0 ? 1 : 2, maxMessageBytes: 1_048_588, now: 1 });
    assert.equal(info.converted, true);
    assert.equal(info.recordCount, want.length);
    const converted = decodeBatchRecords(legacyToBatch(buf, 1)).records;
    assert.deepEqual(
      converted.map((r) => [r.timestamp, str(r.key), str(r.value)]),
      want.map((r) => [r.timestamp, r.key, r.value]),
    );
  });
}

test('fixtures: magic-2 fixtures down-convert back to what kafka-python wrote as legacy', () => {
  for (const magic of [0, 1] as const) {
    const out = decodeLegacy(downConvert(load('v2-gzip'), magic));
    const exp = EXPECTED['v2-gzip']!.records!;
    assert.deepEqual(
      out.map((m) => [m.offset, str(m.key), str(m.value)]),
      exp.map((r) => [r.offset, r.key, r.value]),
    );
  }
  const h = readBatchHeader(load('v2-none'));
  assert.equal(h.baseOffset, 0);
});

test('fixtures: codec streams from independent implementations decode', () => {
  const p = EXPECTED['codec-payload']!;
  const payload = Buffer.from(p.text!.repeat(p.repeat!));
  for (const name of ['codec-snappy-xerial', 'codec-snappy-raw', 'codec-lz4-frame-checksums', 'codec-zstd-stream']) {
    assert.deepEqual(decompress(EXPECTED[name]!.codec!, load(name)), payload, name);
  }
});

test('fixtures: a truncated zstd stream without content size fails instead of returning partial data', () => {
  const z = load('codec-zstd-stream');
  for (const cut of [z.length - 1, z.length - 4, 20]) {
    assert.throws(() => decompress(4, z.subarray(0, cut)), /zstd/);
  }
});
