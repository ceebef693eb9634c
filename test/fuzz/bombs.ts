// Decompression bombs: magic-2 record batches that are small on the wire and huge (or claim to be
// huge) once decompressed, for every codec. Shared by the decompression-cap tests
// (test/integration/decompression-bomb.test.ts) and the TCP fuzzer (test/fuzz/run.ts).
//
//   real(codec, n)    one record whose value is n zero bytes, compressed for real;
//   streamed(codec, n) the same for n up to gigabytes, built without holding n bytes: the
//                     record is compressed as many concatenated gzip members / zstd frames
//                     (both codecs decode concatenations, in Kafka and here);
//   claimed(codec, n) a compressed stream whose header claims n bytes while carrying a few:
//                     zstd Frame_Content_Size, an LZ4 frame's content size, the snappy
//                     preamble of a xerial block, gzip's ISIZE trailer.

import { gzipSync } from 'node:zlib';
import { Codec, buildBatch, compress, writeCrc } from '../../protocol/records/index.js';
import { sizeOfVarint, writeVarint } from '../../protocol/records/varint.js';
import { xxhash32 as xxh32 } from '../../protocol/records/xxhash32.js';

const HEADER = 61;

/** A batch of one record with an `n`-byte zero value, compressed with `codec`. */
export function realBomb(codec: number, n: number): Buffer {
  return buildBatch({ records: [{ timestamp: 1_700_000_000_000, key: null, value: Buffer.alloc(n) }], compression: codec });
}

/** One record with an `n`-byte zero value (gzip or zstd), compressed in 8 MiB frames. */
export function streamedBomb(codec: number, n: number): Buffer {
  if (codec !== Codec.GZIP && codec !== Codec.ZSTD) throw new Error(`no streamed bomb for codec ${codec}`);
  // Record: size varint | attributes | timestampDelta 0 | offsetDelta 0 | key -1 | value length | value | 0 headers.
  const valueLen = sizeOfVarint(n);
  const body = 1 + 1 + 1 + 1 + valueLen + n + 1;
  const head = Buffer.alloc(sizeOfVarint(body) + 4 + valueLen);
  let p = writeVarint(head, 0, body);
  head[p++] = 0;
  p = writeVarint(head, p, 0);
  p = writeVarint(head, p, 0);
  p = writeVarint(head, p, -1);
  writeVarint(head, p, n);
  const chunk = 8 * 1024 * 1024;
  const full = compress(codec, Buffer.alloc(chunk));
  const parts = [compress(codec, head)];
  for (let left = n; left > 0; left -= chunk) parts.push(left >= chunk ? full : compress(codec, Buffer.alloc(left)));
  parts.push(compress(codec, Buffer.from([0])));
  return withPayload(codec, Buffer.concat(parts));
}

/** A one-record batch header (from a real batch of `codec`) around `payload`, CRC recomputed. */
function withPayload(codec: number, payload: Buffer): Buffer {
  const small = realBomb(codec, 16);
  const out = Buffer.alloc(HEADER + payload.length);
  small.copy(out, 0, 0, HEADER);
  payload.copy(out, HEADER);
  out.writeInt32BE(out.length - 12, 8);
  writeCrc(out, 0);
  return out;
}

/** A batch of one record whose compressed payload claims `n` bytes of output in its header. */
export function claimedBomb(codec: number, n: number): Buffer {
  return withPayload(codec, claimedPayload(codec, n));
}

function claimedPayload(codec: number, n: number): Buffer {
  switch (codec) {
    case Codec.ZSTD: {
      // Frame header: magic, descriptor with an 8-byte Frame_Content_Size (FCS flag 3, single segment),
      // then one raw block of 16 bytes (last block).
      const head = Buffer.alloc(4 + 1 + 8);
      head.writeUInt32LE(0xfd2fb528, 0);
      head[4] = 0xe0; // FCS flag 3 (8 bytes), single segment
      head.writeBigUInt64LE(BigInt(n), 5);
      const blockHeader = Buffer.alloc(3);
      const size = 16;
      blockHeader.writeUIntLE((size << 3) | 1, 0, 3); // raw block, last
      return Buffer.concat([head, blockHeader, Buffer.alloc(size)]);
    }
    case Codec.LZ4: {
      // A real LZ4 frame, its descriptor given the content-size flag and `n`.
      const real = compress(Codec.LZ4, Buffer.alloc(64));
      const flg = real[4]! | 0x08;
      const descriptor = Buffer.alloc(2 + 8);
      descriptor[0] = flg;
      descriptor[1] = real[5]!;
      descriptor.writeBigUInt64LE(BigInt(n), 2);
      const hc = (xxh32(descriptor) >>> 8) & 0xff;
      return Buffer.concat([real.subarray(0, 4), descriptor, Buffer.from([hc]), real.subarray(7)]);
    }
    case Codec.SNAPPY: {
      // xerial header, then one block: a raw snappy preamble (uvarint n) and a few literal bytes.
      const real = compress(Codec.SNAPPY, Buffer.alloc(8));
      const header = real.subarray(0, 16);
      const pre: number[] = [];
      for (let v = n; ; v = Math.floor(v / 128)) {
        if (v < 128) {
          pre.push(v);
          break;
        }
        pre.push((v & 0x7f) | 0x80);
      }
      const block = Buffer.concat([Buffer.from(pre), Buffer.from([0x1c]), Buffer.alloc(8)]);
      const len = Buffer.alloc(4);
      len.writeInt32BE(block.length, 0);
      return Buffer.concat([header, len, block]);
    }
    case Codec.GZIP: {
      const real = gzipSync(Buffer.alloc(64));
      real.writeUInt32LE(n >>> 0, real.length - 4);
      return real;
    }
    default:
      throw new Error(`no bomb for codec ${codec}`);
  }
}
