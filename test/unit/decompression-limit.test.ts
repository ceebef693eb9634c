// The decompression cap (issue 14, protocol/records/compression.ts): `decompress(codec, buf, limit)`
// never inflates past `limit`, for real bombs (zeros that compress well) and for headers that claim
// more than they carry (zstd Frame_Content_Size, an LZ4 frame's content size, a snappy preamble);
// produce validation turns an over-limit batch into MESSAGE_TOO_LARGE, and decompressionLimit
// grows with the record count within [65, 256] × max.message.bytes.
// The same bombs over TCP, against kafkalite and Kafka 4.4: test/integration/decompression-bomb.test.ts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CompressionError, DecompressionLimitError, ErrorCode, RecordValidationError } from '../../protocol/errors.js';
import {
  Codec,
  codecName,
  compress,
  decodeBatchRecords,
  decompress,
  decompressionLimit,
  validateProduceRecords,
} from '../../protocol/records/index.js';
import { claimedBomb, realBomb, streamedBomb } from '../fuzz/bombs.js';

const MIB = 1024 * 1024;
const CODECS = [Codec.GZIP, Codec.SNAPPY, Codec.LZ4, Codec.ZSTD];

test('decompressionLimit: 64 + recordCount max.message.bytes, at most 256', () => {
  assert.equal(decompressionLimit(1, 1_000_000), 65_000_000);
  assert.equal(decompressionLimit(100, 1000), 164_000);
  assert.equal(decompressionLimit(2 ** 31 - 1, 1000), 256_000);
  assert.equal(decompressionLimit(-5, 1000), 64_000);
});

for (const codec of CODECS) {
  const name = codecName(codec);

  test(`${name}: output up to the limit decompresses; one byte less throws DecompressionLimitError`, () => {
    const data = Buffer.alloc(300_000, 7);
    const packed = compress(codec, data);
    assert.deepEqual(decompress(codec, packed, data.length), data);
    assert.throws(
      () => decompress(codec, packed, data.length - 1),
      (e: unknown) => e instanceof DecompressionLimitError && e.limit === data.length - 1,
    );
  });

  test(`${name}: a header claiming 1 GiB is refused without allocating it`, () => {
    const batch = claimedBomb(codec, 1 << 30);
    const rss = process.memoryUsage().rss;
    // gzip's ISIZE trailer is not trusted by zlib: it fails on the data itself.
    assert.throws(
      () => decodeBatchRecords(batch),
      (e: unknown) => e instanceof RecordValidationError || e instanceof CompressionError,
    );
    assert.ok(process.memoryUsage().rss - rss < 64 * MIB, 'no allocation of the claimed size');
  });

  test(`${name}: produce validation answers MESSAGE_TOO_LARGE past decompressionLimit`, () => {
    // max.message.bytes 20000: one record may inflate to 65 × 20000 = 1.3 MB. Snappy cannot
    // compress 2 MB of zeros under 20000 bytes, so its batch is too large before inflating.
    const batch = realBomb(codec, 2 * MIB);
    assert.throws(
      () => validateProduceRecords(batch, { apiVersion: 9, maxMessageBytes: 20_000 }),
      (e: unknown) => e instanceof RecordValidationError && e.errorCode === ErrorCode.MESSAGE_TOO_LARGE,
    );
    // Within the limit it is accepted.
    const info = validateProduceRecords(batch, { apiVersion: 9, maxMessageBytes: 2 * MIB });
    assert.equal(info.recordCount, 1);
  });
}

test('zstd and gzip: a 1 GiB streamed bomb stops at the limit, RSS bounded', () => {
  for (const codec of [Codec.GZIP, Codec.ZSTD]) {
    const batch = streamedBomb(codec, 1 << 30);
    assert.ok(batch.length < 2 * MIB, `${codecName(codec)} bomb is small on the wire (${batch.length})`);
    const rss = process.memoryUsage().rss;
    assert.throws(
      () => validateProduceRecords(batch, { apiVersion: 9, maxMessageBytes: 1_048_588 }),
      (e: unknown) => e instanceof RecordValidationError && e.errorCode === ErrorCode.MESSAGE_TOO_LARGE,
    );
    const grown = process.memoryUsage().rss - rss;
    assert.ok(grown < 400 * MIB, `${codecName(codec)}: RSS grew ${Math.round(grown / MIB)} MiB`);
  }
});
