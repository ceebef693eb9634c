// Storage's two batch operations, on top of protocol/records (which owns the magic-2 layout,
// header reading and CRC-32C): stamping an append with offsets, and the recovery check.

import { ErrorCode, RecordValidationError } from '../protocol/errors.js';
import {
  BATCH_LENGTH_OFFSET,
  CRC_OFFSET,
  LAST_OFFSET_DELTA_OFFSET,
  LOG_OVERHEAD,
  RECORD_BATCH_OVERHEAD,
  computeCrc,
  magicAt,
  readBatchHeader,
  setBaseOffset,
  setLeaderEpoch,
} from '../protocol/records/index.js';

/**
 * Check a whole batch at buf[at..at+available) as recovery does (`ensureValid`): size, magic,
 * CRC-32C (unless `checkCrc` is false: bytes this broker wrote itself, see LogLoaderOptions.trusted),
 * lastOffsetDelta. Returns a reason when invalid, null when fine.
 */
export function batchProblem(buf: Buffer, at: number, available: number, checkCrc = true): string | null {
  if (available < LOG_OVERHEAD) return `partial batch header (${available} bytes)`;
  const size = buf.readInt32BE(at + BATCH_LENGTH_OFFSET) + LOG_OVERHEAD;
  if (size < RECORD_BATCH_OVERHEAD) return `batch size ${size} below ${RECORD_BATCH_OVERHEAD}`;
  if (size > available) return `partial batch (${available} of ${size} bytes)`;
  const magic = magicAt(buf, at);
  if (magic !== 2) return `magic ${magic}`;
  if (checkCrc) {
    const stored = buf.readUInt32BE(at + CRC_OFFSET);
    const computed = computeCrc(buf, at, at + size);
    if (stored !== computed) return `crc mismatch (stored ${stored}, computed ${computed})`;
  }
  const lastOffsetDelta = buf.readInt32BE(at + LAST_OFFSET_DELTA_OFFSET);
  if (lastOffsetDelta < 0) return `negative lastOffsetDelta ${lastOffsetDelta}`;
  return null;
}

/** One batch of an append, after stamping. */
export interface StampedBatch {
  position: number;
  sizeInBytes: number;
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
 * baseOffset and partitionLeaderEpoch in place (neither is covered by the CRC). The caller
 * validated the batches; this only guards against framing that would corrupt the log.
 */
export function stampBatches(buf: Buffer, nextOffset: number, leaderEpoch: number): StampResult {
  if (buf.length === 0) throw invalidAppend('no batches');
  const batches: StampedBatch[] = [];
  let maxTimestamp = -1;
  let offsetOfMaxTimestamp = -1;
  let pos = 0;
  while (pos < buf.length) {
    const available = buf.length - pos;
    if (available < RECORD_BATCH_OVERHEAD) throw invalidAppend(`trailing ${available} bytes are not a batch`);
    const h = readBatchHeader(buf, pos);
    if (h.sizeInBytes < RECORD_BATCH_OVERHEAD || h.sizeInBytes > available) {
      throw invalidAppend(`batch size ${h.sizeInBytes} at ${pos} of ${buf.length}`);
    }
    if (h.magic !== 2) throw invalidAppend(`magic ${h.magic} at ${pos}`);
    if (h.lastOffsetDelta < 0) throw invalidAppend(`negative lastOffsetDelta at ${pos}`);
    setBaseOffset(buf, pos, nextOffset);
    setLeaderEpoch(buf, pos, leaderEpoch);
    const lastOffset = nextOffset + h.lastOffsetDelta;
    if (h.maxTimestamp > maxTimestamp) {
      maxTimestamp = h.maxTimestamp;
      offsetOfMaxTimestamp = lastOffset;
    }
    batches.push({ position: pos, sizeInBytes: h.sizeInBytes, baseOffset: nextOffset, lastOffset, maxTimestamp: h.maxTimestamp });
    nextOffset = lastOffset + 1;
    pos += h.sizeInBytes;
  }
  return { batches, nextOffset, maxTimestamp, offsetOfMaxTimestamp };
}

function invalidAppend(detail: string): RecordValidationError {
  return new RecordValidationError(ErrorCode.CORRUPT_MESSAGE, `append rejected by storage: ${detail}`);
}
