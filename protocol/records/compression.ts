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
//
// Decompression is bounded (issue 14: decompression bombs): `decompress(codec, buf, limit)` never
// produces more than `limit` bytes and never allocates from a size a header claims beyond it. gzip
// and zstd stream into bounded chunks; snappy's preamble (the uncompressed length of each block)
// and LZ4's frame (content size, block count × block maximum, within one block) are checked before
// the native decoder allocates. Past the limit it throws DecompressionLimitError.

import { createRequire } from 'node:module';
import * as zlib from 'node:zlib';
import { constants as bufferConstants } from 'node:buffer';
import { CompressionError, DecompressionLimitError } from '../errors.js';
import { LZ4_MAX_BLOCK, lz4OutputBound, normaliseLz4Header, patchLz4HeaderChecksum, withoutLz4ContentSize } from './lz4-frame.js';

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
interface ZstdDCtx {
  /** Returns [hint (0 at the end of a frame), produced, consumed]. */
  decompressStream(out: Uint8Array, input: Uint8Array): [number, number, number];
}
interface ZstdBinding {
  findFrameCompressedSize(frameBuf: Uint8Array): number;
  getFrameContentSize(frameBuf: Uint8Array): number | null;
  DCtx: new () => ZstdDCtx;
}

interface Loaded<T> {
  mod: T | null;
  error: unknown;
}

const requireCjs = createRequire(import.meta.url);

/**
 * A native module loaded at its first use, not at import: a broker whose clients never compress
 * maps none of the three libraries (about 3 MB of shared objects; the lean start, issue 15).
 */
function lazy<T>(name: string): () => Loaded<T> {
  let loaded: Loaded<T> | null = null;
  return () => {
    if (loaded) return loaded;
    try {
      loaded = { mod: requireCjs(name) as T, error: null };
    } catch (error) {
      loaded = { mod: null, error };
    }
    return loaded;
  };
}

const snappyLib = lazy<SnappyModule>('snappy');
const lz4Lib = lazy<Lz4Module>('lz4-napi');
const zstdLib = lazy<ZstdModule>('zstd-napi');
const zstdBinding = lazy<ZstdBinding>('zstd-napi/binding');

function need<T>(lazyLib: () => Loaded<T>, codec: number): T {
  const lib = lazyLib();
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
      return snappyLib().mod !== null;
    case Codec.LZ4:
      return lz4Lib().mod !== null;
    case Codec.ZSTD:
      return zstdLib().mod !== null;
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

/** No bound but Buffer's own: what `decompress` allows when no limit is given. */
export const NO_DECOMPRESSION_LIMIT: number = bufferConstants.MAX_LENGTH;

/**
 * The most a produced batch of `recordCount` records may decompress to on a topic whose
 * `max.message.bytes` is `maxMessageBytes`: one max.message.bytes per record (a producer checks
 * each record, uncompressed, against its max.request.size, which users keep within the broker's
 * limit), plus 64 more for single records that compress very well (Kafka accepts those: it
 * streams records out of the codec instead of inflating the batch, so it has no such bound), and
 * never more than 256 × max.message.bytes (256 MiB at the default).
 */
export function decompressionLimit(recordCount: number, maxMessageBytes: number): number {
  const per = Math.max(1, maxMessageBytes);
  return Math.min(NO_DECOMPRESSION_LIMIT, Math.min(Math.max(recordCount, 0) + 64, 256) * per);
}

/**
 * Decompresses `buf`, producing at most `limit` bytes: beyond it (or when a header claims more)
 * throws DecompressionLimitError without inflating further.
 */
export function decompress(codec: number, buf: Buffer, limit = NO_DECOMPRESSION_LIMIT): Buffer {
  switch (codec) {
    case Codec.NONE:
      return buf;
    case Codec.GZIP:
      return guard(codec, () => {
        try {
          return zlib.gunzipSync(buf, { maxOutputLength: Math.max(1, limit) });
        } catch (error) {
          if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(codec, limit);
          throw error;
        }
      });
    case Codec.SNAPPY: {
      const lib = need(snappyLib, codec);
      return guard(codec, () => (isXerial(buf) ? xerialDecompress(lib, buf, limit) : rawSnappy(lib, buf, limit)));
    }
    case Codec.LZ4: {
      const lib = need(lz4Lib, codec);
      return guard(codec, () => {
        const frame = normaliseLz4Header(buf);
        // The bound counts every block as full: the last one of each frame may not be.
        if (lz4OutputBound(frame) > limit + LZ4_MAX_BLOCK) throw tooLarge(codec, limit);
        const out = lib.decompressFrameSync(frame);
        if (out.length > limit) throw tooLarge(codec, limit);
        return out;
      });
    }
    case Codec.ZSTD: {
      const lib = need(zstdLib, codec);
      return guard(codec, () => {
        assertZstdFramesComplete(buf);
        const binding = zstdBinding().mod;
        return binding ? zstdBounded(binding, buf, limit) : lib.decompress(buf);
      });
    }
    default:
      throw new CompressionError(`unknown compression codec ${codec}`);
  }
}

/**
 * A header claiming more output than its codec can produce from the bytes that follow: corrupt
 * data (Kafka's codec streams fail on it too), not a batch too large.
 */
function impossibleClaim(codec: number, claimed: number, compressed: number): CompressionError {
  return new CompressionError(`${codecName(codec)}: header claims ${claimed} bytes from ${compressed} compressed bytes`);
}

function tooLarge(codec: number, limit: number): DecompressionLimitError {
  return new DecompressionLimitError(limit, `${codecName(codec)} data decompresses to more than ${limit} bytes`);
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

/** The uncompressed length a raw snappy block declares (its uvarint preamble), −1 if unreadable. */
function snappyPreamble(buf: Uint8Array): number {
  let value = 0;
  for (let i = 0; i < 5 && i < buf.length; i++) {
    value += (buf[i]! & 0x7f) * 2 ** (7 * i);
    if ((buf[i]! & 0x80) === 0) return value;
  }
  return -1;
}

/** Raw snappy, refused when it would take the output past `limit` (`room` bytes are left). */
function rawSnappy(lib: SnappyModule, buf: Uint8Array, limit: number, room = limit): Buffer {
  const claimed = snappyPreamble(buf);
  if (claimed < 0) throw new CompressionError('snappy: bad length preamble');
  // A snappy copy element of 3 bytes produces at most 64: a claim beyond that ratio is a lie.
  if (claimed > 22 * buf.length + 64) throw impossibleClaim(Codec.SNAPPY, claimed, buf.length);
  // The native decoder allocates what the preamble claims before it reads a byte of data.
  if (claimed > room) throw tooLarge(Codec.SNAPPY, limit);
  const out = lib.uncompressSync(buf, { asBuffer: true });
  return typeof out === 'string' ? Buffer.from(out) : out;
}

function xerialDecompress(lib: SnappyModule, buf: Buffer, limit: number): Buffer {
  const parts: Buffer[] = [];
  let produced = 0;
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
    const part = rawSnappy(lib, buf.subarray(pos, pos + len), limit, limit - produced);
    produced += part.length;
    parts.push(part);
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
  const binding = zstdBinding().mod;
  if (binding === null) return;
  let pos = 0;
  while (pos < buf.length) {
    const size = binding.findFrameCompressedSize(buf.subarray(pos)); // throws on a truncated frame
    if (size <= 0) throw new CompressionError('zstd: empty frame');
    pos += size;
  }
  if (buf.length === 0) throw new CompressionError('zstd: no frame');
}

/**
 * zstd into bounded chunks. zstd-napi's own decompress allocates the Frame_Content_Size a header
 * claims (4 GB for a 20-byte frame); this streams instead and stops at `limit`.
 */
function zstdBounded(binding: ZstdBinding, buf: Buffer, limit: number): Buffer {
  for (let pos = 0; pos < buf.length; ) {
    const frame = buf.subarray(pos);
    const claimed = binding.getFrameContentSize(frame);
    const size = binding.findFrameCompressedSize(frame);
    // An RLE block of 4 bytes produces at most 128 KiB: a claim beyond that ratio is a lie.
    if (claimed !== null && claimed > size * 32 * 1024) throw impossibleClaim(Codec.ZSTD, claimed, size);
    if (claimed !== null && claimed > limit) throw tooLarge(Codec.ZSTD, limit);
    pos += size;
  }
  const dctx = new binding.DCtx();
  const parts: Buffer[] = [];
  let produced = 0;
  let input = buf.subarray(0);
  let hint = 1;
  while (input.length > 0 || hint !== 0) {
    const chunk = Buffer.allocUnsafe(Math.min(128 * 1024, Math.max(1, limit - produced + 1)));
    const [h, out, consumed] = dctx.decompressStream(chunk, input);
    hint = h;
    produced += out;
    if (produced > limit) throw tooLarge(Codec.ZSTD, limit);
    if (out > 0) parts.push(chunk.subarray(0, out));
    input = input.subarray(consumed);
    if (out === 0 && consumed === 0) {
      if (input.length === 0) break;
      throw new CompressionError('zstd: no progress');
    }
  }
  if (hint !== 0) throw new CompressionError('zstd: truncated frame');
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts, produced);
}

/**
 * What Kafka's streaming decoders (GZIPInputStream, KafkaLZ4BlockInputStream) hand its record walk
 * before they fail: a gzip member's complete deflate stream without its trailer checks (CRC, ISIZE),
 * an LZ4 frame without its content size (Kafka's reader ignores it). A batch whose header
 * over-claims its size then fails on its records (INVALID_RECORD) as in Kafka, rather than on the
 * codec's own check. At most `limit` bytes; null when nothing can be decoded this way.
 */
export function decompressPrefix(codec: number, buf: Buffer, limit: number): Buffer | null {
  try {
    if (codec === Codec.GZIP) {
      const start = gzipBodyStart(buf);
      if (start < 0) return null;
      // The whole deflate stream must decode (a corrupt one fails inside Kafka's read-ahead too,
      // before any record: UNKNOWN_SERVER_ERROR); only the trailer is not checked.
      return zlib.inflateRawSync(buf.subarray(start), { maxOutputLength: Math.max(1, limit) });
    }
    if (codec === Codec.LZ4) {
      const stripped = withoutLz4ContentSize(buf);
      return stripped ? decompress(Codec.LZ4, stripped, limit) : null;
    }
  } catch {
    return null;
  }
  return null;
}

/** Where a gzip member's deflate data begins (RFC 1952 header: FEXTRA, FNAME, FCOMMENT, FHCRC), or -1. */
function gzipBodyStart(buf: Buffer): number {
  if (buf.length < 10 || buf[0] !== 0x1f || buf[1] !== 0x8b || buf[2] !== 8) return -1;
  const flags = buf[3]!;
  let p = 10;
  if (flags & 0x04) p += 2 + (p + 2 <= buf.length ? buf.readUInt16LE(p) : 0);
  for (const bit of [0x08, 0x10]) {
    if (!(flags & bit)) continue;
    while (p < buf.length && buf[p] !== 0) p++;
    p++;
  }
  if (flags & 0x02) p += 2;
  return p <= buf.length ? p : -1;
}
