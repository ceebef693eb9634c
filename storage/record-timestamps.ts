// Record-level timestamp lookups inside one batch, for ListOffsets by time (-3 and t >= 0).
//
// Storage only needs (offsetDelta, timestamp) per record. The default decoder walks uncompressed
// records (README §3.3); for compressed batches it returns null and the lookups fall back to
// batch-level answers. The broker can pass a full decoder (decompressing) as `decodeTimestamps`.

import {
  ATTRIBUTES_POS,
  BASE_TIMESTAMP_POS,
  BATCH_HEADER_SIZE,
  COMPRESSION_MASK,
  LAST_OFFSET_DELTA_POS,
  MAX_TIMESTAMP_POS,
  RECORD_COUNT_POS,
  TIMESTAMP_TYPE_LOG_APPEND,
  readInt64,
} from './batch.js';
import type { TimestampLookup } from './types.js';

export interface RecordTimestamp {
  offsetDelta: number;
  timestamp: number;
}

/** Decode the (offsetDelta, timestamp) of every record of one whole batch; null if it cannot. */
export type DecodeTimestamps = (batch: Buffer) => RecordTimestamp[] | null;

/** Walks uncompressed magic-2 records; returns null for compressed or malformed batches. */
export const decodeUncompressedTimestamps: DecodeTimestamps = (batch) => {
  const attributes = batch.readInt16BE(ATTRIBUTES_POS);
  if ((attributes & COMPRESSION_MASK) !== 0) return null;
  const baseTimestamp = readInt64(batch, BASE_TIMESTAMP_POS);
  const count = batch.readInt32BE(RECORD_COUNT_POS);
  const out: RecordTimestamp[] = [];
  const cursor = { pos: BATCH_HEADER_SIZE };
  try {
    for (let i = 0; i < count; i++) {
      const length = readVarlong(batch, cursor);
      const start = cursor.pos;
      cursor.pos += 1; // attributes
      const timestampDelta = readVarlong(batch, cursor);
      const offsetDelta = readVarlong(batch, cursor);
      out.push({ offsetDelta, timestamp: baseTimestamp + timestampDelta });
      cursor.pos = start + length;
      if (length < 0 || cursor.pos > batch.length) return null;
    }
  } catch {
    return null;
  }
  return out;
};

/** Zig-zag varint/varlong as a JS number (exact within ±2^53). Throws RangeError past the end. */
function readVarlong(buf: Buffer, cursor: { pos: number }): number {
  let raw = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (cursor.pos >= buf.length) throw new RangeError('varint runs past the batch');
    const b = buf[cursor.pos++]!;
    raw += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
    scale *= 128;
  }
  throw new RangeError('varint longer than 10 bytes');
}

/**
 * First record of `batch` (whose baseOffset is `baseOffset`) with timestamp >= ts and offset >=
 * minOffset. The caller knows the batch's maxTimestamp is >= ts. LogAppendTime batches give every
 * record the batch maxTimestamp. When records cannot be decoded, the answer is the first offset of
 * the batch (exact if the first record qualifies, otherwise an early bound, never a late one).
 */
export function firstRecordAtOrAfter(
  batch: Buffer,
  baseOffset: number,
  ts: number,
  minOffset: number,
  decode: DecodeTimestamps,
): TimestampLookup | null {
  const lastOffset = baseOffset + batch.readInt32BE(LAST_OFFSET_DELTA_POS);
  if (lastOffset < minOffset) return null;
  const maxTimestamp = readInt64(batch, MAX_TIMESTAMP_POS);
  const attributes = batch.readInt16BE(ATTRIBUTES_POS);
  if ((attributes & TIMESTAMP_TYPE_LOG_APPEND) !== 0) {
    return maxTimestamp >= ts ? { offset: Math.max(baseOffset, minOffset), timestamp: maxTimestamp } : null;
  }
  const records = decode(batch);
  if (records === null) {
    const baseTimestamp = readInt64(batch, BASE_TIMESTAMP_POS);
    if (maxTimestamp < ts) return null;
    return { offset: Math.max(baseOffset, minOffset), timestamp: baseTimestamp >= ts ? baseTimestamp : maxTimestamp };
  }
  for (const r of records) {
    const offset = baseOffset + r.offsetDelta;
    if (offset >= minOffset && r.timestamp >= ts) return { offset, timestamp: r.timestamp };
  }
  return null;
}

/**
 * Earliest record of `batch` carrying its largest timestamp. LogAppendTime and undecodable
 * batches answer with the batch's first offset and maxTimestamp.
 */
export function maxRecordOf(batch: Buffer, baseOffset: number, decode: DecodeTimestamps): TimestampLookup {
  const maxTimestamp = readInt64(batch, MAX_TIMESTAMP_POS);
  const attributes = batch.readInt16BE(ATTRIBUTES_POS);
  const records = (attributes & TIMESTAMP_TYPE_LOG_APPEND) !== 0 ? null : decode(batch);
  if (records === null || records.length === 0) return { offset: baseOffset, timestamp: maxTimestamp };
  let best = records[0]!;
  for (const r of records) if (r.timestamp > best.timestamp) best = r;
  return { offset: baseOffset + best.offsetDelta, timestamp: best.timestamp };
}
