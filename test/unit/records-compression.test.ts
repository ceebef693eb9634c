import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompressionError } from '../../protocol/errors.js';
import { Codec, codecAvailable, compress, decompress } from '../../protocol/records/index.js';
import { xxhash32 } from '../../protocol/records/xxhash32.js';

const SAMPLES: Buffer[] = [
  Buffer.alloc(0),
  Buffer.from('x'),
  Buffer.from('hello kafkalite '.repeat(1000)),
  // > 64 KiB of incompressible-ish data: several xerial blocks, several lz4 blocks.
  Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919 + (i >> 5)) & 0xff)),
];

for (const [name, codec] of Object.entries(Codec)) {
  test(`compression: ${name} round-trips`, () => {
    assert.ok(codecAvailable(codec), `${name} module should be installed`);
    for (const s of SAMPLES) {
      const c = compress(codec, s);
      assert.deepEqual(decompress(codec, c), s);
    }
  });
}

test('compression: none returns the input buffer', () => {
  const b = Buffer.from('abc');
  assert.equal(compress(Codec.NONE, b), b);
  assert.equal(decompress(Codec.NONE, b), b);
});

test('compression: snappy writes xerial framing (Java layout)', () => {
  const data = Buffer.from('abc'.repeat(20_000)); // 60 000 bytes → two 32 KiB blocks
  const c = compress(Codec.SNAPPY, data);
  assert.deepEqual([...c.subarray(0, 8)], [0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
  assert.equal(c.readInt32BE(8), 1);
  assert.equal(c.readInt32BE(12), 1);
  let pos = 16;
  let blocks = 0;
  while (pos < c.length) {
    pos += 4 + c.readInt32BE(pos);
    blocks++;
  }
  assert.equal(pos, c.length);
  assert.equal(blocks, 2);
});

test('compression: snappy decodes raw (unframed) blocks too', async () => {
  const { createRequire } = await import('node:module');
  const snappy = createRequire(import.meta.url)('snappy') as { compressSync(b: Buffer): Buffer };
  const data = Buffer.from('raw snappy from a non-Java producer '.repeat(50));
  const raw = snappy.compressSync(data);
  assert.notEqual(raw[0], 0x82);
  assert.deepEqual(decompress(Codec.SNAPPY, raw), data);
});

test('compression: snappy accepts concatenated xerial streams', () => {
  const a = Buffer.from('first part '.repeat(10));
  const b = Buffer.from('second part '.repeat(10));
  const joined = Buffer.concat([compress(Codec.SNAPPY, a), compress(Codec.SNAPPY, b)]);
  assert.deepEqual(decompress(Codec.SNAPPY, joined), Buffer.concat([a, b]));
});

test('compression: truncated xerial block fails with CompressionError', () => {
  const c = compress(Codec.SNAPPY, Buffer.from('some data '.repeat(100)));
  assert.throws(() => decompress(Codec.SNAPPY, c.subarray(0, c.length - 3)), CompressionError);
});

test('compression: lz4 frame header is what Kafka reads (independent blocks, 64 KiB, no checksums)', () => {
  const c = compress(Codec.LZ4, Buffer.from('lz4 '.repeat(100)));
  assert.equal(c.readUInt32LE(0), 0x184d2204);
  const flg = c[4]!;
  assert.equal(flg >> 6, 1, 'version 01');
  assert.ok(flg & 0x20, 'block independence');
  assert.equal(flg & 0x08, 0, 'no content size');
  assert.equal(c[5], 0x40, '64 KiB blocks');
  assert.equal(c[6], (xxhash32(c, 4, 6) >>> 8) & 0xff, 'correct header checksum');
});

test('compression: lz4 with Kafka magic-0 broken header checksum is accepted, garbage checksum is not', () => {
  const data = Buffer.from('legacy lz4 '.repeat(300));
  const broken = compress(Codec.LZ4, data, { legacyBrokenLz4Checksum: true });
  assert.equal(broken[6], (xxhash32(broken, 0, 6) >>> 8) & 0xff);
  assert.notEqual(broken[6], (xxhash32(broken, 4, 6) >>> 8) & 0xff, 'sample must differ for the test to mean anything');
  assert.deepEqual(decompress(Codec.LZ4, broken), data);
  const bad = Buffer.from(broken);
  bad[6] = (bad[6]! + 1) & 0xff;
  if (bad[6] === ((xxhash32(bad, 4, 6) >>> 8) & 0xff)) bad[6] = (bad[6]! + 1) & 0xff;
  assert.throws(() => decompress(Codec.LZ4, bad), CompressionError);
});

test('compression: xxhash32 known vectors', () => {
  assert.equal(xxhash32(Buffer.alloc(0)), 0x02cc5d05);
  assert.equal(xxhash32(Buffer.from('a')), 0x550d7456);
  assert.equal(xxhash32(Buffer.from('abc')), 0x32d153ff);
  assert.equal(xxhash32(Buffer.from('Nobody inspects the spammish repetition')), 0xe2293b2f);
});

test('compression: corrupt input throws CompressionError for every codec', () => {
  const junk = Buffer.from('this is definitely not compressed data at all, no way');
  for (const codec of [Codec.GZIP, Codec.LZ4, Codec.ZSTD]) {
    assert.throws(() => decompress(codec, junk), CompressionError, `codec ${codec}`);
  }
  assert.throws(() => decompress(Codec.SNAPPY, Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01])), CompressionError);
});

test('compression: unknown codec id throws CompressionError', () => {
  assert.throws(() => compress(5, Buffer.from('x')), CompressionError);
  assert.throws(() => decompress(7, Buffer.from('x')), CompressionError);
});
