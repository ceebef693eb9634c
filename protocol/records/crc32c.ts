// CRC-32C (Castagnoli), the checksum of a magic-2 record batch (Kafka's Crc32C). Batches of
// at least NATIVE_MIN_BYTES go through @node-rs/crc32's native crc32c when it loads (an
// optional, prebuilt N-API module); smaller ones, and every batch when it cannot load, through
// crc-32's JavaScript table code, the dependency and the fallback (issue 15).
//
// Measured on the 2-core dev machine (GB/s, JS vs native): 64 B 0.37/0.20, 256 B 0.35/0.39,
// 1 KiB 0.48/1.22, 16 KiB 0.45/1.99, 1 MiB 0.55/1.83. Below ~512 B the N-API call costs more
// than the table loop saves.

import { createRequire } from 'node:module';
import CRC32C from 'crc-32/crc32c.js';

/** Buffers shorter than this stay in JavaScript. */
export const NATIVE_MIN_BYTES = 512;

type NativeCrc = (input: Uint8Array, initialState?: number) => number;

// undefined: not tried yet; null: tried and unavailable (not installed, no prebuilt binary for this platform).
let native: NativeCrc | null | undefined;

function loadNative(): NativeCrc | null {
  try {
    const mod = createRequire(import.meta.url)('@node-rs/crc32') as { crc32c?: NativeCrc };
    return typeof mod.crc32c === 'function' ? mod.crc32c : null;
  } catch {
    return null;
  }
}

/** CRC-32C of `buf`, unsigned. */
export function crc32c(buf: Uint8Array): number {
  if (buf.length >= NATIVE_MIN_BYTES) {
    if (native === undefined) native = loadNative();
    if (native) return native(buf, 0) >>> 0;
  }
  return crc32cJs(buf);
}

/** The JavaScript CRC-32C (crc-32), unsigned: the fallback, and what tests compare the native one with. */
export function crc32cJs(buf: Uint8Array): number {
  return CRC32C.buf(buf, 0) >>> 0;
}

/** Which implementation serves buffers of NATIVE_MIN_BYTES and more: 'native' or 'js'. */
export function crc32cImplementation(): 'native' | 'js' {
  if (native === undefined) native = loadNative();
  return native ? 'native' : 'js';
}
