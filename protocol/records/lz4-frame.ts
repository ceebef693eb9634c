// The LZ4 frame format as Kafka's records use it (KafkaLZ4BlockOutputStream/InputStream), read from
// the bytes for protocol/records/compression.ts before lz4-napi decodes: the header checksum
// (Kafka's magic-0 "broken" one accepted and written on request), the output bound from the headers
// (decompression bombs, issue 14) and the frame without its content size (Kafka's reader ignores it).
//
// Header checksum:
//   magic (4, 0x184D2204 LE) | FLG | BD | [content size 8] | [dict id 4] | HC
//   HC = (xxh32(descriptor) >> 8) & 0xff, where the descriptor is FLG..before HC.
//   Kafka's magic-0 writer hashed from the magic number on ("broken" checksum).

import { CompressionError } from '../errors.js';
import { xxhash32 } from './xxhash32.js';

const LZ4_MAGIC = 0x184d2204;

/** Position of the HC byte, or −1 if this does not look like an LZ4 frame header. */
function lz4HeaderChecksumPos(buf: Buffer): number {
  if (buf.length < 7 || buf.readUInt32LE(0) !== LZ4_MAGIC) return -1;
  const flg = buf[4]!;
  let hcPos = 6;
  if (flg & 0x08) hcPos += 8; // content size
  if (flg & 0x01) hcPos += 4; // dictionary id
  return hcPos < buf.length ? hcPos : -1;
}

function lz4Checksums(buf: Buffer, hcPos: number): { correct: number; broken: number } {
  return {
    correct: (xxhash32(buf, 4, hcPos) >>> 8) & 0xff,
    broken: (xxhash32(buf, 0, hcPos) >>> 8) & 0xff,
  };
}

export function patchLz4HeaderChecksum(buf: Buffer, broken: boolean): void {
  const hcPos = lz4HeaderChecksumPos(buf);
  if (hcPos < 0) return;
  const sums = lz4Checksums(buf, hcPos);
  buf[hcPos] = broken ? sums.broken : sums.correct;
}

/** The largest block an LZ4 frame may declare (4 MiB). */
export const LZ4_MAX_BLOCK = 4 * 1024 * 1024;

/**
 * The most an LZ4 frame sequence can decompress to, from its headers alone: the declared content
 * size when present, else the number of blocks times the frame's maximum block size (blocks are
 * full but the last one when a real encoder wrote them, so this is close to the truth). Throws
 * CompressionError on a malformed frame.
 */
export function lz4OutputBound(buf: Buffer): number {
  const BLOCK_MAX = [0, 0, 0, 0, 64 * 1024, 256 * 1024, 1024 * 1024, LZ4_MAX_BLOCK];
  let total = 0;
  let pos = 0;
  while (pos < buf.length) {
    if (pos + 4 > buf.length) throw new CompressionError('lz4: truncated frame');
    const magic = buf.readUInt32LE(pos);
    if ((magic & 0xfffffff0) === 0x184d2a50) {
      // Skippable frame: magic, uint32 size, data.
      if (pos + 8 > buf.length) throw new CompressionError('lz4: truncated skippable frame');
      pos += 8 + buf.readUInt32LE(pos + 4);
      continue;
    }
    if (magic !== LZ4_MAGIC || pos + 7 > buf.length) throw new CompressionError('lz4: not an LZ4 frame');
    const flg = buf[pos + 4]!;
    const blockMax = BLOCK_MAX[(buf[pos + 5]! >> 4) & 0x07]!;
    if (blockMax === 0) throw new CompressionError('lz4: bad block maximum size');
    let p = pos + 6;
    let claimed = -1;
    if (flg & 0x08) {
      if (p + 8 > buf.length) throw new CompressionError('lz4: truncated frame header');
      claimed = Number(buf.readBigUInt64LE(p));
      p += 8;
    }
    if (flg & 0x01) p += 4;
    p += 1; // header checksum
    let blocks = 0;
    for (;;) {
      if (p + 4 > buf.length) throw new CompressionError('lz4: truncated block');
      const word = buf.readUInt32LE(p);
      p += 4;
      if (word === 0) break;
      const size = word & 0x7fffffff;
      if (size > blockMax) throw new CompressionError(`lz4: block of ${size} bytes exceeds the frame's maximum ${blockMax}`);
      p += size + (flg & 0x10 ? 4 : 0);
      blocks++;
    }
    if (flg & 0x04) p += 4;
    // A content size beyond what the blocks can hold is a lie (corrupt), not a large frame.
    if (claimed > blocks * blockMax) throw new CompressionError(`lz4: header claims ${claimed} bytes from ${p - pos} compressed bytes`);
    total += claimed >= 0 ? claimed : blocks * blockMax;
    pos = p;
  }
  return total;
}

/** Returns `buf`, or a copy with the header checksum corrected when it holds Kafka's broken one. */
export function normaliseLz4Header(buf: Buffer): Buffer {
  const hcPos = lz4HeaderChecksumPos(buf);
  if (hcPos < 0) return buf;
  const { correct, broken } = lz4Checksums(buf, hcPos);
  const hc = buf[hcPos]!;
  if (hc === correct) return buf;
  if (hc !== broken) {
    throw new CompressionError(`lz4: frame header checksum mismatch (got ${hc}, expected ${correct})`);
  }
  const copy = Buffer.from(buf);
  copy[hcPos] = correct;
  return copy;
}

/** The LZ4 frame with its content-size field removed (and the header checksum redone), or null without one. */
export function withoutLz4ContentSize(buf: Buffer): Buffer | null {
  if (buf.length < 15 || buf.readUInt32LE(0) !== LZ4_MAGIC || !(buf[4]! & 0x08)) return null;
  const descriptor = Buffer.from([buf[4]! & ~0x08, buf[5]!]);
  const hc = (xxhash32(descriptor) >>> 8) & 0xff;
  return Buffer.concat([buf.subarray(0, 4), descriptor, Buffer.from([hc]), buf.subarray(4 + 2 + 8 + 1)]);
}
