// Records inside a magic-2 batch (Kafka's DefaultRecord): decoding a whole batch into records and building
// a batch from records. Used for conversions, the log cleaner and tests, not the Produce hot path.

import { DecompressionLimitError, ErrorCode, RecordValidationError } from '../errors.js';
import {
  ATTRIBUTES_OFFSET,
  BATCH_LENGTH_OFFSET,
  COMPRESSION_CODEC_MASK,
  CONTROL_FLAG_MASK,
  DELETE_HORIZON_FLAG_MASK,
  LOG_OVERHEAD,
  NO_PARTITION_LEADER_EPOCH,
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  NO_SEQUENCE,
  NO_TIMESTAMP,
  RECORD_BATCH_OVERHEAD,
  TIMESTAMP_TYPE_MASK,
  TRANSACTIONAL_FLAG_MASK,
  readBatchHeader,
  writeCrc,
  type BatchHeader,
} from './batch.js';
import { Codec, assertCodecAvailable, codecName, compress, decompress, decompressPrefix } from './compression.js';
import { walkRecordsFast } from './record-walk.js';
import { ByteReader, sizeOfVarint, sizeOfVarlong, writeInt64, writeVarint, writeVarlong } from './varint.js';

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

export interface DecodedRecord {
  /** Absolute offset: baseOffset + offsetDelta. */
  offset: number;
  /** baseTimestamp + timestampDelta, or the batch maxTimestamp for LogAppendTime batches. */
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

export interface DecodedBatch {
  header: BatchHeader;
  records: DecodedRecord[];
}

function invalid(msg: string): RecordValidationError {
  return new RecordValidationError(ErrorCode.INVALID_RECORD, msg);
}

/**
 * The uncompressed record bytes of the batch at `pos` (a view for uncompressed batches).
 * A missing codec module throws CompressionError; undecodable data throws
 * RecordValidationError(CORRUPT_MESSAGE).
 */
export function batchRecordBytes(buf: Buffer, pos: number, header: BatchHeader, limit?: number): Buffer {
  const end = pos + header.sizeInBytes;
  if (header.batchLength < RECORD_BATCH_OVERHEAD - LOG_OVERHEAD || end > buf.length) {
    throw new RecordValidationError(ErrorCode.CORRUPT_MESSAGE, `batch at ${pos} has bad length ${header.batchLength}`);
  }
  const payload = buf.subarray(pos + RECORD_BATCH_OVERHEAD, end);
  if (header.compression === 0) return payload;
  assertCodecAvailable(header.compression);
  try {
    return decompress(header.compression, payload, limit);
  } catch (error) {
    if (error instanceof DecompressionLimitError) {
      // A decompression bomb, or a batch too large for the topic once inflated: the producer
      // may split a batch answered with MESSAGE_TOO_LARGE (Java's Sender does).
      throw new RecordValidationError(
        ErrorCode.MESSAGE_TOO_LARGE,
        `the ${codecName(header.compression)} record batch decompresses to more than ${error.limit} bytes`,
      );
    }
    const why = error instanceof Error ? error.message : String(error);
    throw new RecordValidationError(ErrorCode.CORRUPT_MESSAGE, `cannot decompress ${codecName(header.compression)} batch: ${why}`);
  }
}

/** Decodes every record of the magic-2 batch at `pos`, decompressing when needed. */
export function decodeBatchRecords(buf: Buffer, pos = 0): DecodedBatch {
  if (pos + RECORD_BATCH_OVERHEAD > buf.length) {
    throw new RecordValidationError(
      ErrorCode.CORRUPT_MESSAGE,
      `batch header at ${pos} needs ${RECORD_BATCH_OVERHEAD} bytes, ${buf.length - pos} left`,
    );
  }
  const header = readBatchHeader(buf, pos);
  if (header.magic !== 2) throw invalid(`expected magic 2 at ${pos}, found ${header.magic}`);
  if (header.recordCount < 0) throw invalid(`negative record count ${header.recordCount}`);
  const data = batchRecordBytes(buf, pos, header);
  const reader = new ByteReader(data, 0, data.length);
  const logAppendTime = header.timestampType === 1;
  const records: DecodedRecord[] = [];
  for (let i = 0; i < header.recordCount; i++) {
    const size = reader.varint();
    if (size < 0 || size > reader.remaining()) throw invalid(`record ${i}: bad size ${size}`);
    const recordEnd = reader.pos + size;
    const sub = new ByteReader(data, reader.pos, recordEnd);
    sub.int8(); // attributes, unused
    const timestampDelta = sub.varlong();
    const offsetDelta = sub.varint();
    const key = sub.nullableBytes();
    const value = sub.nullableBytes();
    const headerCount = sub.varint();
    if (headerCount < 0) throw invalid(`record ${i}: negative header count ${headerCount}`);
    const headers: RecordHeader[] = [];
    for (let h = 0; h < headerCount; h++) {
      const hk = sub.nullableBytes();
      if (hk === null) throw invalid(`record ${i}: null header key`);
      headers.push({ key: hk.toString('utf8'), value: sub.nullableBytes() });
    }
    if (sub.pos !== recordEnd) throw invalid(`record ${i}: size ${size} does not match its fields`);
    reader.pos = recordEnd;
    records.push({
      offset: header.baseOffset + offsetDelta,
      timestamp: logAppendTime ? header.maxTimestamp : header.baseTimestamp + timestampDelta,
      key,
      value,
      headers,
    });
  }
  if (reader.remaining() !== 0) throw invalid(`batch at ${pos}: ${reader.remaining()} bytes after the last record`);
  return { header, records };
}

/**
 * Walks the records of the batch at `pos` without allocating per record, checking their
 * structure as Kafka's DefaultRecordBatch iterator does (record count and lengths must match the
 * bytes, header counts and header keys must not be negative or null). With `requireKeys` a null
 * key fails (compacted topics). Returns the number of records, their largest timestamp
 * (base timestamp + delta; -1 when the batch has none) and whether their offset deltas are
 * 0, 1, 2, ... A compressed batch inflating past `decompressedLimit` fails with MESSAGE_TOO_LARGE.
 */
export function scanBatchRecords(
  buf: Buffer,
  pos: number,
  header: BatchHeader,
  requireKeys: boolean,
  decompressedLimit?: number,
): { count: number; maxTimestamp: number; consecutive: boolean } {
  let data: Buffer;
  try {
    data = batchRecordBytes(buf, pos, header, decompressedLimit);
  } catch (err) {
    // A gzip or lz4 payload that fails the codec's own checks (a header over-claiming its size):
    // Kafka walks the records its stream decoder yields first, and those fail as INVALID_RECORD.
    const codec = header.compression;
    if (!(err instanceof RecordValidationError) || err.errorCode !== ErrorCode.CORRUPT_MESSAGE) throw err;
    if (codec !== Codec.GZIP && codec !== Codec.LZ4) throw err;
    const end = pos + header.sizeInBytes;
    const prefix = decompressPrefix(codec, buf.subarray(pos + RECORD_BATCH_OVERHEAD, end), decompressedLimit ?? 0x7fffffff);
    // A walk that needs bytes past the end reaches the codec's check first in Kafka too.
    if (prefix) {
      try {
        walkRecords(prefix, pos, header, requireKeys);
      } catch (walkErr) {
        if (!PAST_END.has(walkErr as object)) throw walkErr;
      }
    }
    throw err;
  }
  return walkRecords(data, pos, header, requireKeys);
}

/** Walk errors that needed bytes beyond the record data (Kafka's stream would hit its end there). */
const PAST_END = new WeakSet<object>();
function pastEnd(err: RecordValidationError): RecordValidationError {
  PAST_END.add(err);
  return err;
}

/** The record walk of scanBatchRecords over a batch's uncompressed record bytes. */
function walkRecords(
  data: Buffer,
  pos: number,
  header: BatchHeader,
  requireKeys: boolean,
): { count: number; maxTimestamp: number; consecutive: boolean } {
  const fast = walkRecordsFast(data, header.recordCount, requireKeys);
  if (fast) return { count: fast.count, maxTimestamp: maxTimestampOf(header, fast.maxDelta), consecutive: fast.consecutive };
  // Not well formed: the slow walk below finds the first fault and throws its error.
  const r = new ByteReader(data, 0, data.length);
  let maxDelta = Number.NEGATIVE_INFINITY;
  let consecutive = true;
  for (let i = 0; i < header.recordCount; i++) {
    if (r.remaining() === 0) throw pastEnd(invalid(`record ${i}: the batch ends before its ${header.recordCount} records`));
    const size = r.varint();
    if (size > r.remaining()) throw pastEnd(invalid(`record ${i}: bad size ${size}`));
    if (size < 0) throw invalid(`record ${i}: bad size ${size}`);
    const recordEnd = r.pos + size;
    r.end = recordEnd;
    r.int8();
    const delta = r.varlong();
    if (delta > maxDelta) maxDelta = delta;
    if (r.varint() !== i) consecutive = false;
    if (r.skipNullableBytes() < 0 && requireKeys) {
      throw invalid('compacted topic cannot accept a message without a key');
    }
    r.skipNullableBytes();
    const headerCount = r.varint();
    if (headerCount < 0) throw invalid(`record ${i}: negative header count ${headerCount}`);
    for (let h = 0; h < headerCount; h++) {
      if (r.skipNullableBytes() < 0) throw invalid(`record ${i}: null header key`);
      r.skipNullableBytes();
    }
    if (r.pos !== recordEnd) throw invalid(`record ${i}: size ${size} does not match its fields`);
    r.end = data.length;
  }
  if (r.remaining() !== 0) throw invalid(`batch at ${pos}: ${r.remaining()} bytes after the last record`);
  return { count: header.recordCount, maxTimestamp: maxTimestampOf(header, maxDelta), consecutive };
}

/** Base timestamp + the largest delta; -1 when the batch has none. */
function maxTimestampOf(header: BatchHeader, maxDelta: number): number {
  return header.baseTimestamp === NO_TIMESTAMP || maxDelta === Number.NEGATIVE_INFINITY ? NO_TIMESTAMP : header.baseTimestamp + maxDelta;
}

// ---------------------------------------------------------------------------------------------
// Building

export type BytesLike = Buffer | Uint8Array | string;

export interface RecordInput {
  /** Absolute offset; offsetDelta = offset − baseOffset. Ignored when offsetDelta is given. */
  offset?: number;
  /** Defaults to the record's index. */
  offsetDelta?: number;
  /** Defaults to −1 (no timestamp). */
  timestamp?: number;
  key?: BytesLike | null;
  value?: BytesLike | null;
  headers?: ReadonlyArray<{ key: string; value: BytesLike | null }>;
}

export interface BuildBatchOptions {
  baseOffset?: number;
  records: ReadonlyArray<RecordInput>;
  compression?: number;
  timestampType?: 0 | 1;
  /** Overrides the computed maxTimestamp (required meaning for LogAppendTime: the append time). */
  maxTimestamp?: number;
  /** Overrides baseTimestamp (defaults to the first record's timestamp, −1 when empty). */
  baseTimestamp?: number;
  /** Overrides lastOffsetDelta (defaults to the last record's offsetDelta; 0 when empty). */
  lastOffsetDelta?: number;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  transactional?: boolean;
  control?: boolean;
  deleteHorizon?: boolean;
  partitionLeaderEpoch?: number;
}

function toBuf(v: BytesLike | null | undefined): Buffer | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return Buffer.from(v, 'utf8');
  return Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

function sizeOfBytes(b: Buffer | null): number {
  return b === null ? 1 : sizeOfVarint(b.length) + b.length;
}

function writeBytes(out: Buffer, pos: number, b: Buffer | null): number {
  if (b === null) return writeVarint(out, pos, -1);
  pos = writeVarint(out, pos, b.length);
  b.copy(out, pos);
  return pos + b.length;
}

interface Prepared {
  offsetDelta: number;
  timestampDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Array<{ key: Buffer; value: Buffer | null }>;
  bodySize: number;
}

/** Builds a magic-2 batch with correct lengths and CRC-32C. */
export function buildBatch(opts: BuildBatchOptions): Buffer {
  const baseOffset = opts.baseOffset ?? 0;
  const input = opts.records;
  const firstTs = input.length > 0 ? (input[0]!.timestamp ?? NO_TIMESTAMP) : NO_TIMESTAMP;
  const baseTimestamp = opts.baseTimestamp ?? firstTs;
  let maxTs = NO_TIMESTAMP;
  let lastDelta = 0;
  let recordsSize = 0;
  const prepared: Prepared[] = new Array(input.length);
  for (let i = 0; i < input.length; i++) {
    const r = input[i]!;
    const ts = r.timestamp ?? NO_TIMESTAMP;
    if (ts > maxTs) maxTs = ts;
    const offsetDelta = r.offsetDelta ?? (r.offset !== undefined ? r.offset - baseOffset : i);
    lastDelta = offsetDelta;
    const key = toBuf(r.key);
    const value = toBuf(r.value);
    const headers = (r.headers ?? []).map((h) => ({ key: Buffer.from(h.key, 'utf8'), value: toBuf(h.value) }));
    const timestampDelta = ts - baseTimestamp;
    let bodySize = 1 + sizeOfVarlong(timestampDelta) + sizeOfVarint(offsetDelta) + sizeOfBytes(key) + sizeOfBytes(value);
    bodySize += sizeOfVarint(headers.length);
    for (const h of headers) bodySize += sizeOfBytes(h.key) + sizeOfBytes(h.value);
    prepared[i] = { offsetDelta, timestampDelta, key, value, headers, bodySize };
    recordsSize += sizeOfVarint(bodySize) + bodySize;
  }

  let payload: Buffer = Buffer.allocUnsafe(recordsSize);
  let p = 0;
  for (const r of prepared) {
    p = writeVarint(payload, p, r.bodySize);
    payload[p++] = 0;
    p = writeVarlong(payload, p, r.timestampDelta);
    p = writeVarint(payload, p, r.offsetDelta);
    p = writeBytes(payload, p, r.key);
    p = writeBytes(payload, p, r.value);
    p = writeVarint(payload, p, r.headers.length);
    for (const h of r.headers) {
      p = writeBytes(payload, p, h.key);
      p = writeBytes(payload, p, h.value);
    }
  }
  const compression = opts.compression ?? 0;
  if (compression !== 0) payload = compress(compression, payload);

  let attributes = compression & COMPRESSION_CODEC_MASK;
  if (opts.timestampType === 1) attributes |= TIMESTAMP_TYPE_MASK;
  if (opts.transactional) attributes |= TRANSACTIONAL_FLAG_MASK;
  if (opts.control) attributes |= CONTROL_FLAG_MASK;
  if (opts.deleteHorizon) attributes |= DELETE_HORIZON_FLAG_MASK;

  const out = Buffer.allocUnsafe(RECORD_BATCH_OVERHEAD + payload.length);
  writeInt64(out, 0, baseOffset);
  out.writeInt32BE(out.length - LOG_OVERHEAD, BATCH_LENGTH_OFFSET);
  out.writeInt32BE(opts.partitionLeaderEpoch ?? NO_PARTITION_LEADER_EPOCH, 12);
  out.writeInt8(2, 16);
  out.writeInt16BE(attributes, ATTRIBUTES_OFFSET);
  out.writeInt32BE(opts.lastOffsetDelta ?? lastDelta, 23);
  writeInt64(out, 27, baseTimestamp);
  writeInt64(out, 35, opts.maxTimestamp ?? maxTs);
  writeInt64(out, 43, opts.producerId ?? NO_PRODUCER_ID);
  out.writeInt16BE(opts.producerEpoch ?? NO_PRODUCER_EPOCH, 51);
  out.writeInt32BE(opts.baseSequence ?? NO_SEQUENCE, 53);
  out.writeInt32BE(input.length, 57);
  payload.copy(out, RECORD_BATCH_OVERHEAD);
  writeCrc(out, 0);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Control records (Kafka's ControlRecordType and EndTransactionMarker)

export const ControlType = Object.freeze({ ABORT: 0, COMMIT: 1 } as const);

/** Builds a transaction marker batch (control + transactional, one record). */
export function buildControlBatch(opts: {
  baseOffset?: number;
  producerId: number;
  producerEpoch: number;
  commit: boolean;
  coordinatorEpoch: number;
  timestamp: number;
  partitionLeaderEpoch?: number;
}): Buffer {
  const key = Buffer.alloc(4);
  key.writeInt16BE(0, 0);
  key.writeInt16BE(opts.commit ? ControlType.COMMIT : ControlType.ABORT, 2);
  const value = Buffer.alloc(6);
  value.writeInt16BE(0, 0);
  value.writeInt32BE(opts.coordinatorEpoch, 2);
  return buildBatch({
    baseOffset: opts.baseOffset ?? 0,
    records: [{ timestamp: opts.timestamp, key, value }],
    producerId: opts.producerId,
    producerEpoch: opts.producerEpoch,
    baseSequence: NO_SEQUENCE,
    transactional: true,
    control: true,
    partitionLeaderEpoch: opts.partitionLeaderEpoch ?? NO_PARTITION_LEADER_EPOCH,
  });
}
