// Magic-2 RecordBatch header access (Kafka's DefaultRecordBatch: layout and attributes) and the
// generic log-entry walk.
//
// Everything here works on a Buffer plus the position of a batch inside it, reads the
// fixed-offset header fields directly and never decodes records.

import { crc32c } from './crc32c.js';
import { readInt64, writeInt64 } from './varint.js';

// Field offsets inside a batch (relative to the batch start).
export const BASE_OFFSET_OFFSET = 0;
export const BATCH_LENGTH_OFFSET = 8;
export const PARTITION_LEADER_EPOCH_OFFSET = 12;
export const MAGIC_OFFSET = 16;
export const CRC_OFFSET = 17;
export const ATTRIBUTES_OFFSET = 21;
export const LAST_OFFSET_DELTA_OFFSET = 23;
export const BASE_TIMESTAMP_OFFSET = 27;
export const MAX_TIMESTAMP_OFFSET = 35;
export const PRODUCER_ID_OFFSET = 43;
export const PRODUCER_EPOCH_OFFSET = 51;
export const BASE_SEQUENCE_OFFSET = 53;
export const RECORDS_COUNT_OFFSET = 57;
/** Size of the batch header (`RECORD_BATCH_OVERHEAD`); records start here. */
export const RECORD_BATCH_OVERHEAD = 61;
/** `int64 offset, int32 length` that start every entry of every magic (`Records.LOG_OVERHEAD`). */
export const LOG_OVERHEAD = 12;
/** Bytes needed to read any entry's magic byte. */
export const HEADER_SIZE_UP_TO_MAGIC = 17;

// Attribute bits (low byte of the int16 attributes).
export const COMPRESSION_CODEC_MASK = 0x07;
export const TIMESTAMP_TYPE_MASK = 0x08;
export const TRANSACTIONAL_FLAG_MASK = 0x10;
export const CONTROL_FLAG_MASK = 0x20;
export const DELETE_HORIZON_FLAG_MASK = 0x40;

export const NO_TIMESTAMP = -1;
export const NO_PRODUCER_ID = -1;
export const NO_PRODUCER_EPOCH = -1;
export const NO_SEQUENCE = -1;
export const NO_PARTITION_LEADER_EPOCH = -1;

export const TimestampType = Object.freeze({ CREATE_TIME: 0, LOG_APPEND_TIME: 1 } as const);

export interface BatchHeader {
  /** Position of the batch in the buffer it was read from. */
  position: number;
  baseOffset: number;
  batchLength: number;
  /** batchLength + 12: the whole batch. */
  sizeInBytes: number;
  partitionLeaderEpoch: number;
  magic: number;
  /** Stored CRC, unsigned. */
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
  // Derived.
  lastOffset: number;
  compression: number;
  timestampType: 0 | 1;
  isTransactional: boolean;
  isControl: boolean;
  hasDeleteHorizon: boolean;
}

/**
 * Reads the 61-byte header of the magic-2 batch at `pos`. The caller must make sure that
 * at least 61 bytes are there and that the magic is 2 (see `magicAt`).
 */
export function readBatchHeader(buf: Buffer, pos = 0): BatchHeader {
  if (pos + RECORD_BATCH_OVERHEAD > buf.length) {
    throw new RangeError(`batch header at ${pos} needs ${RECORD_BATCH_OVERHEAD} bytes, ${buf.length - pos} left`);
  }
  const baseOffset = readInt64(buf, pos + BASE_OFFSET_OFFSET);
  const batchLength = buf.readInt32BE(pos + BATCH_LENGTH_OFFSET);
  const attributes = buf.readInt16BE(pos + ATTRIBUTES_OFFSET);
  const lastOffsetDelta = buf.readInt32BE(pos + LAST_OFFSET_DELTA_OFFSET);
  return {
    position: pos,
    baseOffset,
    batchLength,
    sizeInBytes: batchLength + LOG_OVERHEAD,
    partitionLeaderEpoch: buf.readInt32BE(pos + PARTITION_LEADER_EPOCH_OFFSET),
    magic: buf.readInt8(pos + MAGIC_OFFSET),
    crc: buf.readUInt32BE(pos + CRC_OFFSET),
    attributes,
    lastOffsetDelta,
    baseTimestamp: readInt64(buf, pos + BASE_TIMESTAMP_OFFSET),
    maxTimestamp: readInt64(buf, pos + MAX_TIMESTAMP_OFFSET),
    producerId: readInt64(buf, pos + PRODUCER_ID_OFFSET),
    producerEpoch: buf.readInt16BE(pos + PRODUCER_EPOCH_OFFSET),
    baseSequence: buf.readInt32BE(pos + BASE_SEQUENCE_OFFSET),
    recordCount: buf.readInt32BE(pos + RECORDS_COUNT_OFFSET),
    lastOffset: baseOffset + lastOffsetDelta,
    compression: attributes & COMPRESSION_CODEC_MASK,
    timestampType: attributes & TIMESTAMP_TYPE_MASK ? 1 : 0,
    isTransactional: (attributes & TRANSACTIONAL_FLAG_MASK) !== 0,
    isControl: (attributes & CONTROL_FLAG_MASK) !== 0,
    hasDeleteHorizon: (attributes & DELETE_HORIZON_FLAG_MASK) !== 0,
  };
}

/** Magic byte of the entry at `pos`, or −1 if fewer than 17 bytes are left. */
export function magicAt(buf: Buffer, pos = 0): number {
  return pos + HEADER_SIZE_UP_TO_MAGIC <= buf.length ? buf.readInt8(pos + MAGIC_OFFSET) : -1;
}

/** Last offset of the batch at `pos` (baseOffset + lastOffsetDelta), magic 2 only. */
export function lastOffsetOf(buf: Buffer, pos = 0): number {
  return readInt64(buf, pos + BASE_OFFSET_OFFSET) + buf.readInt32BE(pos + LAST_OFFSET_DELTA_OFFSET);
}

// ---------------------------------------------------------------------------------------------
// CRC-32C

/**
 * CRC-32C (unsigned) of the magic-2 batch occupying buf[start, end): covers bytes
 * [start + 21, end), i.e. attributes to the end of the batch.
 */
export function computeCrc(buf: Buffer, start: number, end: number): number {
  return crc32c(buf.subarray(start + ATTRIBUTES_OFFSET, end));
}

/** True if the stored CRC of the batch at `pos` matches its content. */
export function isCrcValid(buf: Buffer, pos = 0): boolean {
  const end = pos + buf.readInt32BE(pos + BATCH_LENGTH_OFFSET) + LOG_OVERHEAD;
  if (end > buf.length || end < pos + RECORD_BATCH_OVERHEAD) return false;
  return buf.readUInt32BE(pos + CRC_OFFSET) === computeCrc(buf, pos, end);
}

/** Recomputes and stores the CRC of the batch at `pos`; returns it. */
export function writeCrc(buf: Buffer, pos = 0): number {
  const end = pos + buf.readInt32BE(pos + BATCH_LENGTH_OFFSET) + LOG_OVERHEAD;
  const crc = computeCrc(buf, pos, end);
  buf.writeUInt32BE(crc, pos + CRC_OFFSET);
  return crc;
}

// ---------------------------------------------------------------------------------------------
// In-place header updates

/** Writes baseOffset (not covered by the CRC). */
export function setBaseOffset(buf: Buffer, pos: number, offset: number): void {
  writeInt64(buf, pos + BASE_OFFSET_OFFSET, offset);
}

/** Writes partitionLeaderEpoch (not covered by the CRC). */
export function setLeaderEpoch(buf: Buffer, pos: number, epoch: number): void {
  buf.writeInt32BE(epoch, pos + PARTITION_LEADER_EPOCH_OFFSET);
}

/**
 * Sets maxTimestamp and the timestamp type bit, then recomputes the CRC (DefaultRecordBatch.setMaxTimestamp).
 * Does nothing (and keeps the CRC) when neither changes.
 */
export function setMaxTimestamp(buf: Buffer, pos: number, timestampType: 0 | 1, maxTimestamp: number): void {
  const attrs = buf.readInt16BE(pos + ATTRIBUTES_OFFSET);
  const newAttrs = timestampType === 1 ? attrs | TIMESTAMP_TYPE_MASK : attrs & ~TIMESTAMP_TYPE_MASK;
  if (newAttrs === attrs && readInt64(buf, pos + MAX_TIMESTAMP_OFFSET) === maxTimestamp) return;
  buf.writeInt16BE(newAttrs, pos + ATTRIBUTES_OFFSET);
  writeInt64(buf, pos + MAX_TIMESTAMP_OFFSET, maxTimestamp);
  writeCrc(buf, pos);
}

// ---------------------------------------------------------------------------------------------
// Entry walk (any magic)

export interface LogEntry {
  /** Start of the entry in the buffer. */
  position: number;
  /** The entry's int64 offset: baseOffset for magic 2, the (last) message offset for magic 0/1. */
  offset: number;
  /** Whole entry size including the 12-byte offset/length prefix. */
  sizeInBytes: number;
  magic: number;
}

/**
 * Size of the complete entry at `pos`, or −1 if the buffer ends before it does (an incomplete
 * tail, as Fetch may return) or the length field is nonsense (< 0).
 */
export function entrySizeAt(buf: Buffer, pos: number): number {
  if (pos + LOG_OVERHEAD > buf.length) return -1;
  const len = buf.readInt32BE(pos + BATCH_LENGTH_OFFSET);
  if (len < 0) return -1;
  const size = len + LOG_OVERHEAD;
  return pos + size <= buf.length ? size : -1;
}

/**
 * Walks the `int64 offset, int32 length` entries of a record set of any magic. Stops at the
 * first incomplete entry (a partial batch at the end of a Fetch slice).
 */
export function* iterateEntries(buf: Buffer, start = 0): Generator<LogEntry> {
  let pos = start;
  for (;;) {
    const size = entrySizeAt(buf, pos);
    if (size < HEADER_SIZE_UP_TO_MAGIC) return;
    yield { position: pos, offset: readInt64(buf, pos), sizeInBytes: size, magic: buf.readInt8(pos + MAGIC_OFFSET) };
    pos += size;
  }
}

/** Byte length of the complete entries at the start of `buf` (drops an incomplete tail). */
export function completeEntriesLength(buf: Buffer, start = 0): number {
  let pos = start;
  for (;;) {
    const size = entrySizeAt(buf, pos);
    if (size < HEADER_SIZE_UP_TO_MAGIC) return pos - start;
    pos += size;
  }
}

/**
 * True if any complete entry in `chunks` (magic 2 batches or legacy wrappers) uses `codec`.
 * Each chunk must start at an entry boundary; a partial trailing entry is ignored.
 */
export function batchesUseCodec(chunks: Buffer | readonly Buffer[], codec: number): boolean {
  for (const buf of Buffer.isBuffer(chunks) ? [chunks] : chunks) {
    let pos = 0;
    for (;;) {
      const size = entrySizeAt(buf, pos);
      if (size < HEADER_SIZE_UP_TO_MAGIC + 1) break;
      const magic = buf.readInt8(pos + MAGIC_OFFSET);
      // magic 2: attributes int16 at 21 (codec in the low byte); magic 0/1: attributes int8 at 17.
      const attrs = magic >= 2 ? (size >= RECORD_BATCH_OVERHEAD ? buf[pos + ATTRIBUTES_OFFSET + 1]! : 0) : buf[pos + 17]!;
      if ((attrs & COMPRESSION_CODEC_MASK) === codec) return true;
      pos += size;
    }
  }
  return false;
}
