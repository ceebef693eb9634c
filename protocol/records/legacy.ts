// Legacy message sets, magic 0 and 1 (Kafka's LegacyRecord and AbstractLegacyRecordBatch): decode
// (with compressed wrappers), encode, up-conversion for Produce v0–2 (`legacyToBatch`) and
// down-conversion for Fetch v0–3 (`downConvert`).
//
// Entry layout: int64 offset, int32 size, then the message:
//   crc uint32 (CRC-32 IEEE over magic..end) | magic int8 | attributes int8 |
//   [timestamp int64, magic 1 only] | keyLength int32 + key | valueLength int32 + value

import CRC32 from 'crc-32';
import { DecompressionLimitError, ErrorCode, RecordValidationError } from '../errors.js';
import {
  COMPRESSION_CODEC_MASK,
  LOG_OVERHEAD,
  MAGIC_OFFSET,
  NO_TIMESTAMP,
  TIMESTAMP_TYPE_MASK,
  entrySizeAt,
  readBatchHeader,
} from './batch.js';
import { Codec, assertCodecAvailable, codecName, compress, decompress } from './compression.js';
import { buildBatch, decodeBatchRecords, type RecordInput } from './record.js';
import { readInt64, writeInt64 } from './varint.js';

const CRC_POS = 12; // relative to the entry start
const ATTRIBUTES_POS = 17;
const TIMESTAMP_POS = 18;
/** crc + magic + attributes + key length + value length. */
export const RECORD_OVERHEAD_V0 = 14;
/** RECORD_OVERHEAD_V0 + timestamp. */
export const RECORD_OVERHEAD_V1 = 22;

export interface LegacyMessage {
  /** Absolute offset (wrapper offsets resolved). */
  offset: number;
  magic: 0 | 1;
  /** −1 for magic 0. For LogAppendTime wrappers, the wrapper's timestamp. */
  timestamp: number;
  timestampType: 0 | 1;
  key: Buffer | null;
  value: Buffer | null;
  /** Codec of the wrapper this message came out of (0 if it was not wrapped). */
  compression: number;
}

interface Shallow {
  offset: number;
  magic: 0 | 1;
  attributes: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
}

function corrupt(msg: string): RecordValidationError {
  return new RecordValidationError(ErrorCode.CORRUPT_MESSAGE, msg);
}
function invalid(msg: string): RecordValidationError {
  return new RecordValidationError(ErrorCode.INVALID_RECORD, msg);
}

/** Parses and CRC-checks the legacy entry at `pos` of total size `size`. */
function readShallow(buf: Buffer, pos: number, size: number): Shallow {
  const messageSize = size - LOG_OVERHEAD;
  const magic = buf.readInt8(pos + MAGIC_OFFSET);
  if (magic !== 0 && magic !== 1) throw invalid(`expected a legacy message at ${pos}, found magic ${magic}`);
  const overhead = magic === 0 ? RECORD_OVERHEAD_V0 : RECORD_OVERHEAD_V1;
  if (messageSize < overhead) throw corrupt(`message size ${messageSize} below the minimum ${overhead}`);
  const end = pos + size;
  const stored = buf.readUInt32BE(pos + CRC_POS);
  const computed = CRC32.buf(buf.subarray(pos + MAGIC_OFFSET, end), 0) >>> 0;
  if (stored !== computed)
    throw corrupt(`message at offset ${readInt64(buf, pos)} is corrupt (stored crc ${stored}, computed ${computed})`);
  let p = pos + TIMESTAMP_POS;
  const timestamp = magic === 1 ? readInt64(buf, p) : NO_TIMESTAMP;
  if (magic === 1) p += 8;
  const readBytes = (): Buffer | null => {
    if (p + 4 > end) throw corrupt('message truncated in a length field');
    const len = buf.readInt32BE(p);
    p += 4;
    if (len < 0) return null;
    if (p + len > end) throw corrupt(`message field length ${len} goes past the message end`);
    const b = buf.subarray(p, p + len);
    p += len;
    return b;
  };
  const key = readBytes();
  const value = readBytes();
  return { offset: readInt64(buf, pos), magic, attributes: buf.readInt8(pos + ATTRIBUTES_POS), timestamp, key, value };
}

/** Decompresses a wrapper's value (codec from its attributes) into its inner messages. */
function expandWrapper(w: Shallow, codec: number, limit?: number): LegacyMessage[] {
  if (codec === Codec.ZSTD) {
    throw new RecordValidationError(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE, 'zstd is not allowed in magic 0/1 messages');
  }
  if (codec > Codec.ZSTD) throw corrupt(`unknown compression codec ${codec}`);
  if (w.value === null) throw invalid('compressed wrapper message has a null value');
  assertCodecAvailable(codec);
  let inner: Buffer;
  try {
    inner = decompress(codec, w.value, limit);
  } catch (error) {
    if (error instanceof DecompressionLimitError) {
      throw new RecordValidationError(
        ErrorCode.MESSAGE_TOO_LARGE,
        `the ${codecName(codec)} wrapper message decompresses to more than ${error.limit} bytes`,
      );
    }
    throw corrupt(`cannot decompress ${codecName(codec)} wrapper: ${error instanceof Error ? error.message : String(error)}`);
  }
  const shallow: Shallow[] = [];
  let pos = 0;
  while (pos < inner.length) {
    const size = entrySizeAt(inner, pos);
    if (size < LOG_OVERHEAD + RECORD_OVERHEAD_V0) throw corrupt('truncated message inside a compressed wrapper');
    const m = readShallow(inner, pos, size);
    if (m.magic !== w.magic) throw invalid(`inner message magic ${m.magic} differs from wrapper magic ${w.magic}`);
    if ((m.attributes & COMPRESSION_CODEC_MASK) !== 0) throw invalid('compressed wrapper holds a compressed message');
    shallow.push(m);
    pos += size;
  }
  const wrapperLogAppend = w.magic === 1 && (w.attributes & TIMESTAMP_TYPE_MASK) !== 0;
  const lastRelative = shallow.length > 0 ? shallow[shallow.length - 1]!.offset : 0;
  return shallow.map((m) => ({
    offset: w.magic === 0 || w.offset === 0 ? m.offset : w.offset - lastRelative + m.offset,
    magic: m.magic,
    timestamp: wrapperLogAppend ? w.timestamp : m.timestamp,
    timestampType: wrapperLogAppend || (m.magic === 1 && (m.attributes & TIMESTAMP_TYPE_MASK) !== 0) ? 1 : 0,
    key: m.key,
    value: m.value,
    compression: codec,
  }));
}

/**
 * Decodes a magic 0/1 message set into messages with absolute offsets, expanding compressed
 * wrappers. Stops at an incomplete trailing entry. CRC mismatch → CORRUPT_MESSAGE. A wrapper
 * inflating past `decompressedLimit` → MESSAGE_TOO_LARGE.
 */
export function decodeLegacy(buf: Buffer, decompressedLimit?: number): LegacyMessage[] {
  const out: LegacyMessage[] = [];
  let pos = 0;
  for (;;) {
    const size = entrySizeAt(buf, pos);
    if (size < 0) break;
    if (size < LOG_OVERHEAD + RECORD_OVERHEAD_V0) throw corrupt(`entry at ${pos} is too small (${size} bytes)`);
    const m = readShallow(buf, pos, size);
    const codec = m.attributes & COMPRESSION_CODEC_MASK;
    if (codec !== Codec.NONE) {
      for (const inner of expandWrapper(m, codec, decompressedLimit)) out.push(inner);
    } else {
      out.push({
        offset: m.offset,
        magic: m.magic,
        timestamp: m.timestamp,
        timestampType: m.magic === 1 && (m.attributes & TIMESTAMP_TYPE_MASK) !== 0 ? 1 : 0,
        key: m.key,
        value: m.value,
        compression: Codec.NONE,
      });
    }
    pos += size;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Encoding

export interface LegacyRecordInput {
  /** Absolute offset. */
  offset: number;
  timestamp?: number;
  key?: Buffer | null;
  value?: Buffer | null;
}

export interface EncodeLegacyOptions {
  timestampType?: 0 | 1;
  /** For LogAppendTime: the timestamp every message (and the wrapper) carries. */
  logAppendTime?: number;
}

function messageSize(magic: 0 | 1, key: Buffer | null, value: Buffer | null): number {
  return (magic === 0 ? RECORD_OVERHEAD_V0 : RECORD_OVERHEAD_V1) + (key?.length ?? 0) + (value?.length ?? 0);
}

/** Writes one entry (offset, size, message) at `pos`; returns the position after it. */
function writeMessage(
  out: Buffer,
  pos: number,
  offset: number,
  magic: 0 | 1,
  attributes: number,
  timestamp: number,
  key: Buffer | null,
  value: Buffer | null,
): number {
  const size = messageSize(magic, key, value);
  writeInt64(out, pos, offset);
  out.writeInt32BE(size, pos + 8);
  out.writeInt8(magic, pos + MAGIC_OFFSET);
  out.writeInt8(attributes, pos + ATTRIBUTES_POS);
  let p = pos + TIMESTAMP_POS;
  if (magic === 1) {
    writeInt64(out, p, timestamp);
    p += 8;
  }
  for (const b of [key, value]) {
    if (b === null) {
      out.writeInt32BE(-1, p);
      p += 4;
    } else {
      out.writeInt32BE(b.length, p);
      b.copy(out, p + 4);
      p += 4 + b.length;
    }
  }
  const end = pos + LOG_OVERHEAD + size;
  out.writeUInt32BE(CRC32.buf(out.subarray(pos + MAGIC_OFFSET, end), 0) >>> 0, pos + CRC_POS);
  return end;
}

function writeMessages(
  records: ReadonlyArray<LegacyRecordInput>,
  magic: 0 | 1,
  attributes: number,
  offsetOf: (r: LegacyRecordInput) => number,
  timestampOf: (r: LegacyRecordInput) => number,
): Buffer {
  let total = 0;
  for (const r of records) total += LOG_OVERHEAD + messageSize(magic, r.key ?? null, r.value ?? null);
  const out = Buffer.allocUnsafe(total);
  let pos = 0;
  for (const r of records) {
    pos = writeMessage(out, pos, offsetOf(r), magic, attributes, timestampOf(r), r.key ?? null, r.value ?? null);
  }
  return out;
}

/**
 * Encodes records (with absolute offsets) as a magic 0/1 message set. Compressed sets become one
 * wrapper: inner offsets absolute for magic 0, relative to the first record for magic 1, wrapper
 * offset = last absolute offset. Magic-0 LZ4 gets Kafka's legacy frame header checksum.
 */
export function encodeLegacy(
  records: ReadonlyArray<LegacyRecordInput>,
  magic: 0 | 1,
  compression = 0,
  opts: EncodeLegacyOptions = {},
): Buffer {
  if (records.length === 0) return Buffer.alloc(0);
  if (compression === Codec.ZSTD || compression > Codec.ZSTD || compression < 0) {
    throw new RecordValidationError(
      ErrorCode.UNSUPPORTED_COMPRESSION_TYPE,
      `${codecName(compression)} is not allowed in magic ${magic} messages`,
    );
  }
  const logAppend = magic === 1 && opts.timestampType === 1;
  const tsAttr = logAppend ? TIMESTAMP_TYPE_MASK : 0;
  const tsOf = (r: LegacyRecordInput): number =>
    magic === 0 ? NO_TIMESTAMP : logAppend ? (opts.logAppendTime ?? NO_TIMESTAMP) : (r.timestamp ?? NO_TIMESTAMP);
  if (compression === Codec.NONE) return writeMessages(records, magic, tsAttr, (r) => r.offset, tsOf);

  const first = records[0]!.offset;
  const inner = writeMessages(records, magic, tsAttr, magic === 0 ? (r) => r.offset : (r) => r.offset - first, tsOf);
  const compressed = compress(compression, inner, { legacyBrokenLz4Checksum: magic === 0 });
  let wrapperTs = NO_TIMESTAMP;
  if (magic === 1) {
    if (logAppend) wrapperTs = opts.logAppendTime ?? NO_TIMESTAMP;
    else for (const r of records) wrapperTs = Math.max(wrapperTs, r.timestamp ?? NO_TIMESTAMP);
  }
  const out = Buffer.allocUnsafe(LOG_OVERHEAD + messageSize(magic, null, compressed));
  writeMessage(out, 0, records[records.length - 1]!.offset, magic, compression | tsAttr, wrapperTs, null, compressed);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Up-conversion (Produce v0–2)

export interface LegacyToBatchOptions {
  /** Target codec; defaults to the producer's (the last non-none wrapper codec). */
  compression?: number;
  /** Stamp LogAppendTime (topic message.timestamp.type=LogAppendTime) with `now`. */
  logAppendTime?: boolean;
  /** Reject null keys (cleanup.policy=compact). */
  compactedTopic?: boolean;
  /** Bound on each compressed wrapper's inflated size (protocol/records/compression.ts). */
  decompressedLimit?: number;
}

/**
 * Decodes a Produce v0–2 message set (magic 0/1) and builds one equivalent magic-2 batch with
 * offsets 0..n−1 (the broker assigns real ones on append). Keys, values and magic-1 timestamps are
 * kept; magic 0 gets NO_TIMESTAMP (−1), as Kafka's conversion does. Returns an empty buffer for an
 * empty message set. A producer-set LogAppendTime → INVALID_TIMESTAMP.
 */
export function legacyToBatch(records: Buffer, now: number, opts: LegacyToBatchOptions = {}): Buffer {
  const messages = decodeLegacy(records, opts.decompressedLimit);
  if (messages.length === 0) return Buffer.alloc(0);
  let sourceCodec = 0;
  const inputs: RecordInput[] = new Array(messages.length);
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    if (m.timestampType === 1) {
      throw new RecordValidationError(ErrorCode.INVALID_TIMESTAMP, 'producer should not set timestamp type to LogAppendTime');
    }
    if (opts.compactedTopic && m.key === null) {
      throw invalid('compacted topic cannot accept a message without a key');
    }
    if (m.compression !== 0) sourceCodec = m.compression;
    inputs[i] = { offsetDelta: i, timestamp: m.timestamp, key: m.key, value: m.value };
  }
  return buildBatch({
    records: inputs,
    compression: opts.compression ?? sourceCodec,
    timestampType: opts.logAppendTime ? 1 : 0,
    maxTimestamp: opts.logAppendTime ? now : undefined,
  });
}

// ---------------------------------------------------------------------------------------------
// Down-conversion (Fetch v0–3)

/**
 * Turns stored batches (magic 2, or legacy entries) into a message set of `magic`, as Kafka's
 * `RecordsUtil.downConvert` does: control batches are skipped, offsets and (magic 1) timestamps
 * and timestamp type are kept, headers are dropped, each batch keeps its codec. For uncompressed
 * batches, records below `firstOffset` are dropped. A trailing partial batch is ignored.
 * zstd batches → UNSUPPORTED_COMPRESSION_TYPE.
 */
export function downConvert(batches: Buffer[] | Buffer, magic: 0 | 1, firstOffset = 0): Buffer {
  const parts: Buffer[] = [];
  for (const buf of Array.isArray(batches) ? batches : [batches]) {
    let pos = 0;
    for (;;) {
      const size = entrySizeAt(buf, pos);
      if (size < LOG_OVERHEAD + RECORD_OVERHEAD_V0) break;
      const entryMagic = buf.readInt8(pos + MAGIC_OFFSET);
      if (entryMagic === 2) {
        const converted = downConvertBatch(buf, pos, magic, firstOffset);
        if (converted !== null) parts.push(converted);
      } else if (entryMagic <= magic) {
        parts.push(buf.subarray(pos, pos + size));
      } else if (entryMagic === 1) {
        const entry = buf.subarray(pos, pos + size);
        const codec = entry.readInt8(ATTRIBUTES_POS) & COMPRESSION_CODEC_MASK;
        const msgs = decodeLegacy(entry).filter((m) => codec !== 0 || m.offset >= firstOffset);
        if (msgs.length > 0) parts.push(encodeLegacy(msgs, magic, codec));
      } else {
        throw corrupt(`unknown magic ${entryMagic} at ${pos}`);
      }
      pos += size;
    }
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

function downConvertBatch(buf: Buffer, pos: number, magic: 0 | 1, firstOffset: number): Buffer | null {
  const header = readBatchHeader(buf, pos);
  if (header.isControl) return null;
  if (header.compression === Codec.ZSTD) {
    throw new RecordValidationError(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE, 'down-conversion of zstd-compressed batches is not supported');
  }
  const { records } = decodeBatchRecords(buf, pos);
  const kept = header.compression === 0 ? records.filter((r) => r.offset >= firstOffset) : records;
  if (kept.length === 0) return null;
  const logAppend = header.timestampType === 1;
  return encodeLegacy(kept, magic, header.compression, {
    timestampType: header.timestampType,
    logAppendTime: logAppend ? header.maxTimestamp : undefined,
  });
}
