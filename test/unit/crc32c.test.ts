// CRC-32C: the native module (@node-rs/crc32, when it loads) and the JavaScript fallback (crc-32)
// agree on every size around the switch-over, on subarrays at odd offsets, and with the check
// value of the CRC catalogue; a batch built and verified through computeCrc uses whichever serves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { crc32c, crc32cImplementation, crc32cJs, NATIVE_MIN_BYTES } from '../../protocol/records/crc32c.js';
import { buildBatch, isCrcValid } from '../../protocol/records/index.js';

test('CRC-32C check value: "123456789" is 0xE3069283 (both implementations)', () => {
  const nine = Buffer.from('123456789');
  assert.equal(crc32cJs(nine), 0xe3069283);
  assert.equal(crc32c(nine), 0xe3069283);
  const padded = Buffer.concat([nine, Buffer.alloc(NATIVE_MIN_BYTES)]);
  assert.equal(crc32c(padded), crc32cJs(padded));
});

test('native and JavaScript CRC-32C agree across sizes and offsets', () => {
  const big = randomBytes(3 * 1024 * 1024 + 17);
  for (const len of [0, 1, 7, 255, NATIVE_MIN_BYTES - 1, NATIVE_MIN_BYTES, NATIVE_MIN_BYTES + 1, 1024, 16384, 65537, 1 << 20, 3 << 20]) {
    for (const off of [0, 1, 13]) {
      const view = big.subarray(off, off + len);
      assert.equal(crc32c(view), crc32cJs(view), `length ${len} at offset ${off}`);
    }
  }
});

test('the native module serves large buffers where it is installed; the fallback otherwise', () => {
  let installed = true;
  try {
    createRequire(import.meta.url)('@node-rs/crc32');
  } catch {
    installed = false;
  }
  assert.equal(crc32cImplementation(), installed ? 'native' : 'js');
});

test('a 64 KiB batch gets a valid CRC and a flipped byte fails it', () => {
  const batch = buildBatch({ baseOffset: 0, records: [{ timestamp: 1, key: null, value: randomBytes(65536) }] });
  assert.ok(isCrcValid(batch));
  batch[batch.length - 5]! ^= 0xff;
  assert.ok(!isCrcValid(batch));
});
