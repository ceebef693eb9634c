// The producer snapshot file format (`<offset>.snapshot`, Kafka's ProducerSnapshot.json v1 as
// ProducerStateManager writes it): int16 version (1), uint32 CRC-32C over bytes [6, end), int32
// count, then per producer {int64 producerId, int16 epoch, int32 lastSequence, int64 lastOffset,
// int32 offsetDelta, int64 timestamp, int32 coordinatorEpoch, int64 currentTxnFirstOffset}. Like
// Kafka, only each producer's last batch is kept. Pure codec.

import CRC32C from 'crc-32/crc32c.js';
import { readInt64, writeInt64 } from '../protocol/records/index.js';
import type { ProducerEntry } from './producer-state.js';

const VERSION = 1;
const HEADER = 10;
const ENTRY = 46;

export class SnapshotFormatError extends Error {}

export function encodeProducerSnapshot(entries: readonly ProducerEntry[]): Buffer {
  const buf = Buffer.alloc(HEADER + ENTRY * entries.length);
  buf.writeInt16BE(VERSION, 0);
  buf.writeInt32BE(entries.length, 6);
  let pos = HEADER;
  for (const e of entries) {
    const last = e.batches[e.batches.length - 1];
    writeInt64(buf, pos, e.producerId);
    buf.writeInt16BE(e.epoch, pos + 8);
    buf.writeInt32BE(last ? last.lastSeq : -1, pos + 10);
    writeInt64(buf, pos + 14, last ? last.lastOffset : -1);
    buf.writeInt32BE(last ? last.lastOffset - last.firstOffset : 0, pos + 22);
    writeInt64(buf, pos + 26, e.lastTimestamp);
    buf.writeInt32BE(e.coordinatorEpoch, pos + 34);
    writeInt64(buf, pos + 38, e.currentTxnFirstOffset);
    pos += ENTRY;
  }
  buf.writeUInt32BE(CRC32C.buf(buf.subarray(6)) >>> 0, 2);
  return buf;
}

export function decodeProducerSnapshot(buf: Buffer): ProducerEntry[] {
  if (buf.length < HEADER) throw new SnapshotFormatError(`snapshot of ${buf.length} bytes is too short`);
  const version = buf.readInt16BE(0);
  if (version !== VERSION) throw new SnapshotFormatError(`unknown snapshot version ${version}`);
  if (CRC32C.buf(buf.subarray(6)) >>> 0 !== buf.readUInt32BE(2)) throw new SnapshotFormatError('snapshot CRC mismatch');
  const count = buf.readInt32BE(6);
  if (count < 0 || buf.length !== HEADER + count * ENTRY)
    throw new SnapshotFormatError(`snapshot size ${buf.length} does not hold ${count} entries`);
  const out: ProducerEntry[] = [];
  for (let i = 0, pos = HEADER; i < count; i++, pos += ENTRY) {
    const lastSeq = buf.readInt32BE(pos + 10);
    const lastOffset = readInt64(buf, pos + 14);
    const offsetDelta = buf.readInt32BE(pos + 22);
    const timestamp = readInt64(buf, pos + 26);
    out.push({
      producerId: readInt64(buf, pos),
      epoch: buf.readInt16BE(pos + 8),
      batches:
        lastOffset >= 0
          ? [{ firstSeq: Math.max(0, lastSeq - offsetDelta), lastSeq, firstOffset: lastOffset - offsetDelta, lastOffset, timestamp }]
          : [],
      lastTimestamp: timestamp,
      coordinatorEpoch: buf.readInt32BE(pos + 34),
      currentTxnFirstOffset: readInt64(buf, pos + 38),
    });
  }
  return out;
}
