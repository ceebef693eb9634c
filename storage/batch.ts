// Reading and stamping magic-2 RecordBatch headers (README §3.1). Storage never parses records
// except for timestamp lookups (record-timestamps.ts); everything else works on the 61-byte header.

import crc32c from 'crc-32/crc32c.js';
import { ErrorCode, RecordValidationError } from '../protocol/errors.js';

/** int64 offset + int32 length in front of every log entry (`Records.LOG_OVERHEAD`). */
export const LOG_OVERHEAD = 12;
/** Size of a v2 batch header (`RECORD_BATCH_OVERHEAD`); also the smallest valid batch. */
export const BATCH_HEADER_SIZE = 61;

export const BASE_OFFSET_POS = 0;
export const BATCH_LENGTH_POS = 8;
export const LEADER_EPOCH_POS = 12;
export const MAGIC_POS = 16;
export const CRC_POS = 17;
export const ATTRIBUTES_POS = 21;
export const LAST_OFFSET_DELTA_POS = 23;
export const BASE_TIMESTAMP_POS = 27;
export const MAX_TIMESTAMP_POS = 35;
export const RECORD_COUNT_POS = 57;

export const COMPRESSION_MASK = 0x07;
export const TIMESTAMP_TYPE_LOG_APPEND = 0x08;

const TWO_32 = 4294967296;

/** int64 at pos as a JS number (exact up to 2^53, which covers offsets and epoch-ms timestamps). */
export function readInt64(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos) * TWO_32 + buf.readUInt32BE(pos + 4);
}

export function writeInt64(buf: Buffer, value: number, pos: number): void {
  const hi = Math.floor(value / TWO_32);
  buf.writeInt32BE(hi, pos);
  buf.writeUInt32BE(value - hi * TWO_32, pos + 4);
}

/** CRC-32C (Castagnoli) as an unsigned 32-bit number. */
export function crc32cOf(bytes: Uint8Array): number {
  return crc32c.buf(bytes) >>> 0;
}

/** The header fields storage cares about, read from the first 61 bytes of a batch. */
export interface BatchHeader {
  /** Byte position of the batch in its file (or buffer). */
  position: number;
  /** Total batch size in bytes (batchLength + 12). */
  size: number;
  baseOffset: number;
  lastOffset: number;
  magic: number;
  attributes: number;
  baseTimestamp: number;
  maxTimestamp: number;
}

export function emptyHeader(): BatchHeader {
  return { position: 0, size: 0, baseOffset: 0, lastOffset: 0, magic: 0, attributes: 0, baseTimestamp: -1, maxTimestamp: -1 };
}

/** Fill `out` from the header at buf[at..at+61); `position` is the caller's notion of where it is. */
export function parseHeader(buf: Buffer, at: number, position: number, out: BatchHeader): BatchHeader {
  const baseOffset = readInt64(buf, at + BASE_OFFSET_POS);
  out.position = position;
  out.size = buf.readInt32BE(at + BATCH_LENGTH_POS) + LOG_OVERHEAD;
  out.baseOffset = baseOffset;
  out.magic = buf.readInt8(at + MAGIC_POS);
  out.attributes = buf.readInt16BE(at + ATTRIBUTES_POS);
  out.lastOffset = baseOffset + buf.readInt32BE(at + LAST_OFFSET_DELTA_POS);
  out.baseTimestamp = readInt64(buf, at + BASE_TIMESTAMP_POS);
  out.maxTimestamp = readInt64(buf, at + MAX_TIMESTAMP_POS);
  return out;
}

/**
 * Check a whole batch at buf[at..at+size) as recovery does (`ensureValid`): size, magic, CRC-32C
 * over bytes [21, end). Returns a reason when invalid, null when fine.
 */
export function batchProblem(buf: Buffer, at: number, available: number): string | null {
  if (available < LOG_OVERHEAD) return `partial batch header (${available} bytes)`;
  const size = buf.readInt32BE(at + BATCH_LENGTH_POS) + LOG_OVERHEAD;
  if (size < BATCH_HEADER_SIZE) return `batch size ${size} below ${BATCH_HEADER_SIZE}`;
  if (size > available) return `partial batch (${available} of ${size} bytes)`;
  const magic = buf.readInt8(at + MAGIC_POS);
  if (magic !== 2) return `magic ${magic}`;
  const stored = buf.readUInt32BE(at + CRC_POS);
  const computed = crc32cOf(buf.subarray(at + ATTRIBUTES_POS, at + size));
  if (stored !== computed) return `crc mismatch (stored ${stored}, computed ${computed})`;
  const lastOffsetDelta = buf.readInt32BE(at + LAST_OFFSET_DELTA_POS);
  if (lastOffsetDelta < 0) return `negative lastOffsetDelta ${lastOffsetDelta}`;
  return null;
}

/** One batch of an append, after stamping. */
export interface StampedBatch {
  position: number;
  size: number;
  baseOffset: number;
  lastOffset: number;
  maxTimestamp: number;
}

export interface StampResult {
  batches: StampedBatch[];
  /** Offset the next append gets. */
  nextOffset: number;
  /** Largest batch maxTimestamp, -1 if none. */
  maxTimestamp: number;
  /** Last offset of the (first) batch carrying maxTimestamp, -1 if none. */
  offsetOfMaxTimestamp: number;
}

/**
 * Walk the back-to-back batches of an append, give them offsets from `nextOffset` on and stamp
 * baseOffset (bytes 0-7) and partitionLeaderEpoch (bytes 12-15) in place. The caller validated the
 * batches; this only guards against framing that would corrupt the log.
 */
export function stampBatches(buf: Buffer, nextOffset: number, leaderEpoch: number): StampResult {
  if (buf.length === 0) throw invalidAppend('no batches');
  const batches: StampedBatch[] = [];
  let maxTimestamp = -1;
  let offsetOfMaxTimestamp = -1;
  let pos = 0;
  while (pos < buf.length) {
    const available = buf.length - pos;
    if (available < BATCH_HEADER_SIZE) throw invalidAppend(`trailing ${available} bytes are not a batch`);
    const size = buf.readInt32BE(pos + BATCH_LENGTH_POS) + LOG_OVERHEAD;
    if (size < BATCH_HEADER_SIZE || size > available) throw invalidAppend(`batch size ${size} at ${pos} of ${buf.length}`);
    if (buf.readInt8(pos + MAGIC_POS) !== 2) throw invalidAppend(`magic ${buf.readInt8(pos + MAGIC_POS)} at ${pos}`);
    const lastOffsetDelta = buf.readInt32BE(pos + LAST_OFFSET_DELTA_POS);
    if (lastOffsetDelta < 0) throw invalidAppend(`negative lastOffsetDelta at ${pos}`);
    writeInt64(buf, nextOffset, pos + BASE_OFFSET_POS);
    buf.writeInt32BE(leaderEpoch, pos + LEADER_EPOCH_POS);
    const lastOffset = nextOffset + lastOffsetDelta;
    const batchMaxTs = readInt64(buf, pos + MAX_TIMESTAMP_POS);
    if (batchMaxTs > maxTimestamp) {
      maxTimestamp = batchMaxTs;
      offsetOfMaxTimestamp = lastOffset;
    }
    batches.push({ position: pos, size, baseOffset: nextOffset, lastOffset, maxTimestamp: batchMaxTs });
    nextOffset = lastOffset + 1;
    pos += size;
  }
  return { batches, nextOffset, maxTimestamp, offsetOfMaxTimestamp };
}

function invalidAppend(detail: string): RecordValidationError {
  return new RecordValidationError(ErrorCode.CORRUPT_MESSAGE, `append rejected by storage: ${detail}`);
}
