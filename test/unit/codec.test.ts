import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decode, encode } from '../../protocol/codec.js';
import { ApiVersions } from '../../protocol/messages/18-api-versions.js';
import { f, message } from '../../protocol/schema.js';
import { Reader, Writer } from '../../protocol/primitives.js';

test('ApiVersions v3 response round-trips with tagged fields', () => {
  const value = {
    errorCode: 0,
    apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 4 }],
    throttleTimeMs: 0,
    finalizedFeaturesEpoch: 7,
  };
  const bytes = encode(ApiVersions.response, 3, value);
  // errorCode(2) + compact array len(1) + entry(6) + entry tags(1) + throttle(4) + tags: count + tag1 + size + int64
  assert.equal(bytes.length, 2 + 1 + 6 + 1 + 4 + 1 + 1 + 1 + 8);
  const back = decode(ApiVersions.response, 3, bytes);
  assert.equal(back.finalizedFeaturesEpoch, 7);
  assert.deepEqual(back.apiKeys, [{ apiKey: 18, minVersion: 0, maxVersion: 4 }]);
  assert.deepEqual(back.supportedFeatures, []);
  assert.equal(back.zkMigrationReady, false);
});

test('ApiVersions v0 response has no throttle time and int32 array length', () => {
  const bytes = encode(ApiVersions.response, 0, { errorCode: 35, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 4 }] });
  assert.deepEqual([...bytes], [0, 35, 0, 0, 0, 1, 0, 18, 0, 0, 0, 4]);
});

test('absent fields take defaults when decoding an older version', () => {
  const back = decode(ApiVersions.response, 0, encode(ApiVersions.response, 0, { errorCode: 0 }));
  assert.equal(back.throttleTimeMs, 0);
  assert.equal(back.finalizedFeaturesEpoch, -1);
});

test('nullable strings, compact and not, and unknown tags are skipped', () => {
  const m = message({
    name: 'T',
    validVersions: '0-1',
    flexibleVersions: '1+',
    fields: { s: f.string('0+', { nullable: '0+' }), n: f.int32('0+') },
  });
  for (const v of [0, 1]) {
    assert.deepEqual(decode(m, v, encode(m, v, { s: null, n: 5 })), { s: null, n: 5 });
    assert.deepEqual(decode(m, v, encode(m, v, { s: 'héllo', n: -1 })), { s: 'héllo', n: -1 });
  }
  // v1 with one unknown tagged field (tag 9, 2 bytes)
  const w = new Writer();
  w.uvarint(3).utf8('ab', 2).int32(1).uvarint(1).uvarint(9).uvarint(2).int16(77);
  assert.deepEqual(decode(m, 1, w.toBuffer()), { s: 'ab', n: 1 });
});

test('varints and int64 edge values', () => {
  const w = new Writer();
  for (const v of [0, 1, 127, 128, 16383, 16384, 2 ** 31 - 1, 2 ** 32 - 1]) w.uvarint(v);
  for (const v of [0, -1, 1, -64, 63, -2147483648, 2147483647]) w.varint(v);
  for (const v of [0, -1, 2 ** 53 - 1, -(2 ** 53) + 1, 1700000000000]) w.int64(v);
  const r = new Reader(w.toBuffer());
  for (const v of [0, 1, 127, 128, 16383, 16384, 2 ** 31 - 1, 2 ** 32 - 1]) assert.equal(r.uvarint(), v);
  for (const v of [0, -1, 1, -64, 63, -2147483648, 2147483647]) assert.equal(r.varint(), v);
  for (const v of [0, -1, 2 ** 53 - 1, -(2 ** 53) + 1, 1700000000000]) assert.equal(r.int64(), v);
  assert.equal(r.remaining, 0);
});

test('int64 Long.MAX_VALUE and Long.MIN_VALUE survive a read and a write', () => {
  // Long.MAX_VALUE reads as 2^63, the nearest double; it must be written back as Long.MAX_VALUE
  // (Fetch v18's highWatermark defaults to it), not wrapped to Long.MIN_VALUE.
  const bytes = Buffer.from('7fffffffffffffff8000000000000000', 'hex');
  const r = new Reader(bytes);
  const max = r.int64();
  const min = r.int64();
  assert.equal(max, 2 ** 63);
  assert.equal(min, -(2 ** 63));
  assert.equal(new Writer().int64(max).int64(min).toBuffer().toString('hex'), bytes.toString('hex'));
});

test('truncated input raises a decode error, not a crash', () => {
  const bytes = encode(ApiVersions.response, 3, { apiKeys: [{ apiKey: 1, minVersion: 0, maxVersion: 1 }] });
  assert.throws(() => decode(ApiVersions.response, 3, bytes.subarray(0, bytes.length - 3)), { code: 'KL_PROTOCOL_DECODE' });
});
