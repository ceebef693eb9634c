// Produce-path validation of a partition's `records` bytes (Kafka's ProduceRequest.validateRecords
// and LogValidator), batch level: works on the magic-2 header and the CRC, and walks the records
// without decoding them (no allocation per record; compressed batches are decompressed, as Kafka
// does) to check their structure.
//
// Checks and codes, in Kafka's order:
//   entry framing: size field < 14, magic outside 0..2                     → CORRUPT_MESSAGE
//   v3+: no complete batch, first magic ≠ 2, a second batch                → INVALID_RECORD
//   zstd with Produce < v7                                                 → UNSUPPORTED_COMPRESSION_TYPE
//   baseOffset ≠ 0                                                         → INVALID_RECORD
//   batch size > maxMessageBytes                                           → MESSAGE_TOO_LARGE
//   batch smaller than its header, bad CRC-32C                             → CORRUPT_MESSAGE
//   lastOffsetDelta + 1 ≠ recordCount, recordCount ≤ 0, control batch,
//   producerId ≥ 0 with baseSequence < 0                                   → INVALID_RECORD
//   record count or record lengths not matching the bytes, null header key → INVALID_RECORD
//   an unknown codec id, a compressed payload that does not decompress     → UNKNOWN_SERVER_ERROR
//   a payload inflating past decompressionLimit(recordCount, maxMessageBytes) → MESSAGE_TOO_LARGE
//     (kafkalite only: a decompression bomb; Kafka streams records and has no such bound)
//   compacted topic and a null key                                         → INVALID_RECORD
//
// Produce v0–2 may carry magic 0/1 message sets: they are CRC-checked and converted into one
// magic-2 batch (`batch` in the result). A trailing partial entry is ignored, as Kafka trims it.

import { ErrorCode, RecordValidationError } from '../errors.js';
import {
  COMPRESSION_CODEC_MASK,
  CONTROL_FLAG_MASK,
  HEADER_SIZE_UP_TO_MAGIC,
  LOG_OVERHEAD,
  MAGIC_OFFSET,
  RECORD_BATCH_OVERHEAD,
  TIMESTAMP_TYPE_MASK,
  TRANSACTIONAL_FLAG_MASK,
  computeCrc,
  readBatchHeader,
} from './batch.js';
import { Codec, decompressionLimit } from './compression.js';
import { RECORD_OVERHEAD_V0, legacyToBatch } from './legacy.js';
import { scanBatchRecords } from './record.js';
import { readInt64 } from './varint.js';

export interface ProduceValidationOptions {
  apiVersion: number;
  /** Topic `max.message.bytes` (default 1048588). */
  maxMessageBytes: number;
  /** cleanup.policy contains compact: records must have keys. */
  compactedTopic?: boolean;
  /** Wall clock for legacy conversion with LogAppendTime; defaults to Date.now(). */
  now?: number;
  /** Legacy conversion only: stamp LogAppendTime on the converted batch. */
  logAppendTime?: boolean;
}

export interface ProduceBatchInfo {
  /** Magic of the input (0 or 1 means it was converted). */
  magic: number;
  recordCount: number;
  /** The batch header's max timestamp, as sent. */
  maxTimestamp: number;
  /** The largest timestamp of the records themselves (what Kafka's LogValidator checks and stores), -1 if none. */
  maxRecordTimestamp: number;
  /** Whether the records' offset deltas are 0, 1, 2, ... (else a compressed batch is rebuilt). */
  consecutiveOffsets: boolean;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  lastOffsetDelta: number;
  isTransactional: boolean;
  compression: number;
  /**
   * The magic-2 bytes to append: the input without any trailing partial entry, or the converted
   * batch for magic 0/1 input. Empty only for an empty v0–2 message set (nothing to append).
   */
  batch: Buffer;
  converted: boolean;
}

function fail(code: number, msg: string): never {
  throw new RecordValidationError(code, msg);
}

/** Size of the complete entry at `pos`, 0 at the (possibly partial) end; throws on bad framing. */
function nextEntrySize(buf: Buffer, pos: number): number {
  if (pos + LOG_OVERHEAD > buf.length) return 0;
  const recordSize = buf.readInt32BE(pos + 8);
  if (recordSize < RECORD_OVERHEAD_V0) {
    fail(ErrorCode.CORRUPT_MESSAGE, `record size ${recordSize} is less than the minimum record overhead (${RECORD_OVERHEAD_V0})`);
  }
  if (pos + HEADER_SIZE_UP_TO_MAGIC > buf.length) return 0;
  const magic = buf.readInt8(pos + MAGIC_OFFSET);
  if (magic < 0 || magic > 2) fail(ErrorCode.CORRUPT_MESSAGE, `invalid magic found in record: ${magic}`);
  const size = recordSize + LOG_OVERHEAD;
  return pos + size <= buf.length ? size : 0;
}

const EMPTY: Buffer = Buffer.alloc(0);

/**
 * The checks Kafka makes before the log sees a v3+ partition (ProduceRequest.validateRecords,
 * called by KafkaApis.handleProduceRequest before required acks are looked at): entry framing
 * (CORRUPT_MESSAGE), at least one complete batch, magic 2, no zstd before v7, exactly one batch.
 * Returns the size of the first entry (0 when there is none) and how many entries there are.
 */
export function checkProduceRequestRecords(records: Buffer, apiVersion: number): { first: number; entries: number; validBytes: number } {
  const first = nextEntrySize(records, 0);
  if (first === 0) {
    if (apiVersion >= 3) {
      fail(ErrorCode.INVALID_RECORD, `Produce v${apiVersion} requests must have at least one record batch per partition`);
    }
    return { first, entries: 0, validBytes: 0 };
  }
  const magic = records.readInt8(MAGIC_OFFSET);
  // Walk the remaining entries: count them and check they share the first entry's magic.
  let validBytes = first;
  let entries = 1;
  for (let size = nextEntrySize(records, validBytes); size > 0; size = nextEntrySize(records, validBytes)) {
    const m = records.readInt8(validBytes + MAGIC_OFFSET);
    if (apiVersion < 3 && m !== magic) {
      fail(ErrorCode.INVALID_RECORD, `batch magic ${m} is not the same as the first batch's magic ${magic}`);
    }
    validBytes += size;
    entries++;
  }
  if (apiVersion >= 3 && magic !== 2) {
    fail(ErrorCode.INVALID_RECORD, `Produce v${apiVersion} requests may only contain record batches with magic 2`);
  }
  if (magic === 2 && apiVersion < 7 && (records.readInt16BE(21) & COMPRESSION_CODEC_MASK) === Codec.ZSTD) {
    fail(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE, `Produce v${apiVersion} requests may not use zstd compression`);
  }
  if (magic === 2 && entries > 1) {
    // Kafka rejects this for v3+; v0–2 clients never send several magic-2 batches, and one
    // batch per partition keeps offset assignment and idempotence simple.
    fail(ErrorCode.INVALID_RECORD, `Produce requests may only contain exactly one record batch per partition (got ${entries})`);
  }
  return { first, entries, validBytes };
}

/**
 * Validates a Produce partition's records. Returns a summary of the (single) batch or throws
 * RecordValidationError(errorCode, reason).
 */
export function validateProduceRecords(records: Buffer, opts: ProduceValidationOptions): ProduceBatchInfo {
  const { first, validBytes } = checkProduceRequestRecords(records, opts.apiVersion);
  if (first === 0) return emptyResult();
  const magic = records.readInt8(MAGIC_OFFSET);
  if (magic !== 2) return validateLegacy(records, validBytes, magic, opts);
  return validateBatch(records, first, opts);
}

function emptyResult(): ProduceBatchInfo {
  return {
    magic: 2,
    recordCount: 0,
    maxTimestamp: -1,
    maxRecordTimestamp: -1,
    consecutiveOffsets: true,
    producerId: -1,
    producerEpoch: -1,
    baseSequence: -1,
    lastOffsetDelta: -1,
    isTransactional: false,
    compression: 0,
    batch: EMPTY,
    converted: false,
  };
}

function validateBatch(records: Buffer, size: number, opts: ProduceValidationOptions): ProduceBatchInfo {
  const baseOffset = readInt64(records, 0);
  if (baseOffset !== 0) {
    fail(ErrorCode.INVALID_RECORD, `the baseOffset of the record batch should be 0, but it is ${baseOffset}`);
  }
  if (size > opts.maxMessageBytes) {
    fail(
      ErrorCode.MESSAGE_TOO_LARGE,
      `the record batch size is ${size} bytes which exceeds the maximum configured value of ${opts.maxMessageBytes}`,
    );
  }
  if (size < RECORD_BATCH_OVERHEAD) {
    fail(ErrorCode.CORRUPT_MESSAGE, `record batch size ${size} is smaller than the minimum allowed overhead ${RECORD_BATCH_OVERHEAD}`);
  }
  const storedCrc = records.readUInt32BE(17);
  const crc = computeCrc(records, 0, size);
  if (storedCrc !== crc) fail(ErrorCode.CORRUPT_MESSAGE, `record is corrupt (stored crc = ${storedCrc}, computed crc = ${crc})`);

  const attributes = records.readInt16BE(21);
  const compression = attributes & COMPRESSION_CODEC_MASK;
  // Kafka's CompressionType.forId throws a plain IllegalArgumentException: UNKNOWN_SERVER_ERROR.
  if (compression > Codec.ZSTD) fail(ErrorCode.UNKNOWN_SERVER_ERROR, `unknown compression type id ${compression}`);
  const lastOffsetDelta = records.readInt32BE(23);
  const recordCount = records.readInt32BE(57);
  if (lastOffsetDelta + 1 <= 0) fail(ErrorCode.INVALID_RECORD, `batch has an invalid offset range: [0, ${lastOffsetDelta}]`);
  if (recordCount <= 0) fail(ErrorCode.INVALID_RECORD, `invalid reported count for record batch: ${recordCount}`);
  if (lastOffsetDelta + 1 !== recordCount) {
    fail(ErrorCode.INVALID_RECORD, `inconsistent batch offset range [0, ${lastOffsetDelta}] and count of records ${recordCount}`);
  }
  if (attributes & CONTROL_FLAG_MASK) fail(ErrorCode.INVALID_RECORD, 'clients are not allowed to write control records');
  const producerId = readInt64(records, 43);
  const baseSequence = records.readInt32BE(53);
  if (producerId >= 0 && baseSequence < 0) {
    fail(ErrorCode.INVALID_RECORD, `invalid sequence number ${baseSequence} in record batch with producerId ${producerId}`);
  }
  // Kafka's record iterator walks every record: a record count or a record length that does not
  // match what follows, a negative header count or a null header key fail the batch. (A
  // producer-set LogAppendTime bit is a per-record matter: broker/produce-records.ts.)
  const scan = scanRecords(records, !!opts.compactedTopic, decompressionLimit(recordCount, opts.maxMessageBytes));

  return {
    magic: 2,
    recordCount,
    maxTimestamp: readInt64(records, 35),
    maxRecordTimestamp: attributes & TIMESTAMP_TYPE_MASK ? readInt64(records, 35) : scan.maxTimestamp,
    consecutiveOffsets: scan.consecutive,
    producerId,
    producerEpoch: records.readInt16BE(51),
    baseSequence,
    lastOffsetDelta,
    isTransactional: (attributes & TRANSACTIONAL_FLAG_MASK) !== 0,
    compression,
    batch: size === records.length ? records : records.subarray(0, size),
    converted: false,
  };
}

/**
 * scanBatchRecords for Produce: a compressed payload that does not decompress is
 * UNKNOWN_SERVER_ERROR, as Kafka 4.4 answers it (its decompression throws a plain KafkaException;
 * checked by test/oracle/scenarios/produce-errors.ts), so that clients do not retry it as they
 * would a CORRUPT_MESSAGE.
 */
function scanRecords(records: Buffer, requireKeys: boolean, limit: number): ReturnType<typeof scanBatchRecords> {
  try {
    return scanBatchRecords(records, 0, readBatchHeader(records, 0), requireKeys, limit);
  } catch (err) {
    if (err instanceof RecordValidationError && err.errorCode === ErrorCode.CORRUPT_MESSAGE) {
      throw new RecordValidationError(ErrorCode.UNKNOWN_SERVER_ERROR, err.message);
    }
    throw err;
  }
}

function validateLegacy(records: Buffer, validBytes: number, magic: number, opts: ProduceValidationOptions): ProduceBatchInfo {
  for (let pos = 0; pos < validBytes; pos += records.readInt32BE(pos + 8) + LOG_OVERHEAD) {
    const size = records.readInt32BE(pos + 8) + LOG_OVERHEAD;
    if (size > opts.maxMessageBytes) {
      fail(
        ErrorCode.MESSAGE_TOO_LARGE,
        `the message size is ${size} bytes which exceeds the maximum configured value of ${opts.maxMessageBytes}`,
      );
    }
  }
  const input = validBytes === records.length ? records : records.subarray(0, validBytes);
  const batch = legacyToBatch(input, opts.now ?? Date.now(), {
    compactedTopic: opts.compactedTopic,
    logAppendTime: opts.logAppendTime,
    // A wrapper's inner message count is unknown before it is inflated: the largest bound.
    decompressedLimit: decompressionLimit(256, opts.maxMessageBytes),
  });
  if (batch.length === 0) return { ...emptyResult(), magic };
  if (batch.length > opts.maxMessageBytes) {
    fail(
      ErrorCode.MESSAGE_TOO_LARGE,
      `the converted record batch size is ${batch.length} bytes which exceeds the maximum configured value of ${opts.maxMessageBytes}`,
    );
  }
  const h = readBatchHeader(batch, 0);
  return {
    magic,
    recordCount: h.recordCount,
    maxTimestamp: h.maxTimestamp,
    maxRecordTimestamp: h.maxTimestamp,
    consecutiveOffsets: true,
    producerId: h.producerId,
    producerEpoch: h.producerEpoch,
    baseSequence: h.baseSequence,
    lastOffsetDelta: h.lastOffsetDelta,
    isTransactional: false,
    compression: h.compression,
    batch,
    converted: true,
  };
}
