// Record-level timestamp lookups inside one batch, for ListOffsets by time (-3 and t >= 0).
//
// Storage only needs (offsetDelta, timestamp) per record. The default decoder uses
// protocol/records' decodeBatchRecords, which decompresses, so answers are exact for compressed
// batches too. Only a batch that cannot be decoded (corrupt, or a codec module missing) falls
// back to batch-level answers.

import { KafkaliteError } from '../protocol/errors.js';
import { TimestampType, decodeBatchRecords, readBatchHeader } from '../protocol/records/index.js';
import type { TimestampLookup } from './types.js';

export interface RecordTimestamp {
  offsetDelta: number;
  timestamp: number;
}

/** Decode the (offsetDelta, timestamp) of every record of one whole batch; null if it cannot. */
export type DecodeTimestamps = (batch: Buffer) => RecordTimestamp[] | null;

/** The default: every record of the batch (decompressed if need be); null if undecodable. */
export const decodeRecordTimestamps: DecodeTimestamps = (batch) => {
  try {
    const { header, records } = decodeBatchRecords(batch);
    return records.map((r) => ({ offsetDelta: r.offset - header.baseOffset, timestamp: r.timestamp }));
  } catch (err) {
    // RecordValidationError (malformed, cannot decompress) or CompressionError (codec missing).
    if (err instanceof KafkaliteError) return null;
    throw err;
  }
};

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
  const h = readBatchHeader(batch);
  if (baseOffset + h.lastOffsetDelta < minOffset) return null;
  if (h.timestampType === TimestampType.LOG_APPEND_TIME) {
    return h.maxTimestamp >= ts ? { offset: Math.max(baseOffset, minOffset), timestamp: h.maxTimestamp } : null;
  }
  const records = decode(batch);
  if (records === null) {
    if (h.maxTimestamp < ts) return null;
    return { offset: Math.max(baseOffset, minOffset), timestamp: h.baseTimestamp >= ts ? h.baseTimestamp : h.maxTimestamp };
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
  const h = readBatchHeader(batch);
  const records = h.timestampType === TimestampType.LOG_APPEND_TIME ? null : decode(batch);
  if (records === null || records.length === 0) return { offset: baseOffset, timestamp: h.maxTimestamp };
  let best = records[0]!;
  for (const r of records) if (r.timestamp > best.timestamp) best = r;
  return { offset: baseOffset + best.offsetDelta, timestamp: best.timestamp };
}
