// Record-batch compression codecs (Kafka's CompressionType and the org.apache.kafka.common.compress
// classes): 0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd.
//
// The API is synchronous. Native codec modules are loaded once at module initialisation inside
// try/catch; a codec whose module is missing throws CompressionError when used (and
// `codecAvailable()` reports false), so a broker without e.g. zstd still starts.
//
// * gzip   node:zlib.
// * snappy `snappy` (napi-rs) for raw snappy blocks; the xerial framing that Java writes is done
//          here. Decoding accepts xerial-framed and raw snappy.
// * lz4    `lz4-napi` (lz4_flex) for the standard LZ4 frame format. The frame header checksum is
//          checked here instead, so that the "broken" checksum of Kafka's magic-0 LZ4 is accepted,
//          and `compress(…, { legacyBrokenLz4Checksum: true })` writes it for magic-0 readers.
// * zstd   `zstd-napi` (built from its bundled libzstd sources by node-gyp when no prebuilt
//          binary can be fetched).

import { createRequire } from 'node:module';
import * as zlib from 'node:zlib';
import { CompressionError } from '../errors.js';
import { xxhash32 } from './xxhash32.js';

export const Codec = Object.freeze({ NONE: 0, GZIP: 1, SNAPPY: 2, LZ4: 3, ZSTD: 4 } as const);
export type CodecId = 0 | 1 | 2 | 3 | 4;

const NAMES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;

export function codecName(codec: number): string {
  return NAMES[codec] ?? `unknown(${codec})`;
}

// ---------------------------------------------------------------------------------------------
// Native module loading

interface SnappyModule {
  compressSync(input: Uint8Array): Buffer;
  uncompressSync(input: Uint8Array, options: { asBuffer: true }): Buffer | string;
}
interface Lz4Module {
  compressFrameSync(data: Buffer, options?: { contentChecksum?: boolean; blockChecksums?: boolean }): Buffer;
  decompressFrameSync(data: Buffer): Buffer;
}
interface ZstdModule {
  compress(data: Uint8Array, parameters?: Record<string, unknown>): Buffer;
  decompress(data: Uint8Array): Buffer;
}
interface ZstdBinding {
  findFrameCompressedSize(frameBuf: Uint8Array): number;
}

interface Loaded<T> {
  mod: T | null;
  error: unknown;
}

const requireCjs = createRequire(import.meta.url);

function load<T>(name: string): Loaded<T> {
  try {
    return { mod: requireCjs(name) as T, error: null };
  } catch (error) {
    return { mod: null, error };
  }
}

const snappyLib = load<SnappyModule>('snappy');
const lz4Lib = load<Lz4Module>('lz4-napi');
const zstdLib = load<ZstdModule>('zstd-napi');
const zstdBinding = load<ZstdBinding>('zstd-napi/binding');

function need<T>(lib: Loaded<T>, codec: number): T {
  if (lib.mod === null) {
    const why = lib.error instanceof Error ? lib.error.message : String(lib.error);
    throw new CompressionError(`${codecName(codec)} codec is not available: ${why}`, { cause: lib.error });
  }
  return lib.mod;
}

/** True when the codec can be used on this machine (its native module loaded). */
export function codecAvailable(codec: number): boolean {
  switch (codec) {
    case Codec.NONE:
    case Codec.GZIP:
      return true;
    case Codec.SNAPPY:
      return snappyLib.mod !== null;
    case Codec.LZ4:
      return lz4Lib.mod !== null;
    case Codec.ZSTD:
      return zstdLib.mod !== null;
    default:
      return false;
  }
}

/** Throws CompressionError when the codec is unknown or its module did not load. */
export function assertCodecAvailable(codec: number): void {
  switch (codec) {
    case Codec.NONE:
    case Codec.GZIP:
      return;
    case Codec.SNAPPY:
      need(snappyLib, codec);
      return;
    case Codec.LZ4:
      need(lz4Lib, codec);
      return;
    case Codec.ZSTD:
      need(zstdLib, codec);
      return;
    default:
      throw new CompressionError(`unknown compression codec ${codec}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Public API

export interface CompressOptions {
  /** LZ4 only: write Kafka's magic-0 header checksum (computed over the magic number too). */
  legacyBrokenLz4Checksum?: boolean;
}

export function compress(codec: number, buf: Buffer, options?: CompressOptions): Buffer {
  switch (codec) {
    case Codec.NONE:
      return buf;
    case Codec.GZIP:
      return zlib.gzipSync(buf);
    case Codec.SNAPPY:
      return xerialCompress(need(snappyLib, codec), buf);
    case Codec.LZ4: {
      const out = need(lz4Lib, codec).compressFrameSync(buf);
      if (options?.legacyBrokenLz4Checksum) patchLz4HeaderChecksum(out, true);
      return out;
    }
    case Codec.ZSTD:
      return need(zstdLib, codec).compress(buf);
    default:
      throw new CompressionError(`unknown compression codec ${codec}`);
  }
}

export function decompress(codec: number, buf: Buffer): Buffer {
  switch (codec) {
    case Codec.NONE:
      return buf;
    case Codec.GZIP:
      return guard(codec, () => zlib.gunzipSync(buf));
    case Codec.SNAPPY: {
      const lib = need(snappyLib, codec);
      return guard(codec, () => (isXerial(buf) ? xerialDecompress(lib, buf) : rawSnappy(lib, buf)));
    }
    case Codec.LZ4: {
      const lib = need(lz4Lib, codec);
      return guard(codec, () => lib.decompressFrameSync(normaliseLz4Header(buf)));
    }
    case Codec.ZSTD: {
      const lib = need(zstdLib, codec);
      return guard(codec, () => {
        assertZstdFramesComplete(buf);
        return lib.decompress(buf);
      });
    }
    default:
      throw new CompressionError(`unknown compression codec ${codec}`);
  }
}

function guard(codec: number, fn: () => Buffer): Buffer {
  try {
    return fn();
  } catch (error) {
    if (error instanceof CompressionError) throw error;
    const why = error instanceof Error ? error.message : String(error);
    throw new CompressionError(`${codecName(codec)} decompression failed: ${why}`, { cause: error });
  }
}

// ---------------------------------------------------------------------------------------------
// Snappy, xerial framing (snappy-java SnappyOutputStream / SnappyInputStream)
//   header: 0x82 'S' 'N' 'A' 'P' 'P' 'Y' 0x00, int32 version (1), int32 compatible version (1)
//   blocks: int32 compressed length, raw snappy block (each block ≤ 32 KiB uncompressed)

const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_SIZE = 16;
const XERIAL_BLOCK_SIZE = 32 * 1024;

function isXerial(buf: Buffer, pos = 0): boolean {
  return buf.length - pos >= XERIAL_HEADER_SIZE && buf.compare(XERIAL_MAGIC, 0, 8, pos, pos + 8) === 0;
}

function rawSnappy(lib: SnappyModule, buf: Uint8Array): Buffer {
  const out = lib.uncompressSync(buf, { asBuffer: true });
  return typeof out === 'string' ? Buffer.from(out) : out;
}

function xerialDecompress(lib: SnappyModule, buf: Buffer): Buffer {
  const parts: Buffer[] = [];
  let pos = XERIAL_HEADER_SIZE;
  while (pos < buf.length) {
    // snappy-java accepts concatenated streams: a header may follow a block.
    if (isXerial(buf, pos)) {
      pos += XERIAL_HEADER_SIZE;
      continue;
    }
    if (pos + 4 > buf.length) throw new CompressionError('xerial snappy: truncated block length');
    const len = buf.readInt32BE(pos);
    pos += 4;
    if (len < 0 || pos + len > buf.length) throw new CompressionError(`xerial snappy: bad block length ${len}`);
    parts.push(rawSnappy(lib, buf.subarray(pos, pos + len)));
    pos += len;
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

function xerialCompress(lib: SnappyModule, buf: Buffer): Buffer {
  const parts: Buffer[] = [];
  const header = Buffer.alloc(XERIAL_HEADER_SIZE);
  XERIAL_MAGIC.copy(header, 0);
  header.writeInt32BE(1, 8);
  header.writeInt32BE(1, 12);
  parts.push(header);
  for (let pos = 0; pos < buf.length; pos += XERIAL_BLOCK_SIZE) {
    const block = lib.compressSync(buf.subarray(pos, Math.min(buf.length, pos + XERIAL_BLOCK_SIZE)));
    const len = Buffer.allocUnsafe(4);
    len.writeInt32BE(block.length, 0);
    parts.push(len, block);
  }
  return Buffer.concat(parts);
}

// ---------------------------------------------------------------------------------------------
// zstd: zstd-napi's streaming fallback (frames without a content size, as Java's
// ZstdOutputStream writes) returns partial output for a truncated frame instead of failing,
// so check first that the input is a sequence of complete frames.

function assertZstdFramesComplete(buf: Buffer): void {
  const binding = zstdBinding.mod;
  if (binding === null) return;
  let pos = 0;
  while (pos < buf.length) {
    const size = binding.findFrameCompressedSize(buf.subarray(pos)); // throws on a truncated frame
    if (size <= 0) throw new CompressionError('zstd: empty frame');
    pos += size;
  }
  if (buf.length === 0) throw new CompressionError('zstd: no frame');
}

// ---------------------------------------------------------------------------------------------
// LZ4 frame header checksum.
//   magic (4, 0x184D2204 LE) | FLG | BD | [content size 8] | [dict id 4] | HC
//   HC = (xxh32(descriptor) >> 8) & 0xff, where the descriptor is FLG..before HC.
//   Kafka's magic-0 writer hashed from the magic number on ("broken" checksum).

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

function patchLz4HeaderChecksum(buf: Buffer, broken: boolean): void {
  const hcPos = lz4HeaderChecksumPos(buf);
  if (hcPos < 0) return;
  const sums = lz4Checksums(buf, hcPos);
  buf[hcPos] = broken ? sums.broken : sums.correct;
}

/** Returns `buf`, or a copy with the header checksum corrected when it holds Kafka's broken one. */
function normaliseLz4Header(buf: Buffer): Buffer {
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
