// Records as the mirror moves them, without decoding keys, values and headers: a record's
// bytes from its key on (key, value, headers: unchanged by a copy) are carried as one slice,
// and only what a new batch changes (length, timestamp delta, offset delta) is rewritten.
// This keeps the copy at memory-copy speed instead of building an object per record.
//
//   fetchCommitted()  one read_committed Fetch to a source leader for some partitions
//   committedRecords() the records of fetched batches a read_committed consumer would see:
//                      control batches and aborted transactions dropped as Kafka's consumer
//                      drops them (org.apache.kafka.clients.consumer.internals.CompletedFetch)
//   encodeBatch()      a plain magic-2 batch (no producer id, CreateTime) from such records

import { Fetch } from '../../protocol/messages/index.js';
import { COMPRESSION_CODEC_MASK, LOG_OVERHEAD, RECORD_BATCH_OVERHEAD } from '../../protocol/records/batch.js';
import { batchRecordBytes, compress, entrySizeAt, magicAt, readBatchHeader, writeCrc, writeInt64 } from '../../protocol/records/index.js';
import { ByteReader, sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong } from '../../protocol/records/varint.js';
import type { KafkaClient } from '../client/client.js';

export interface RawRecord {
  offset: number;
  timestamp: number;
  /** The record's bytes from its key length on: key, value, headers. */
  body: Buffer;
}

export interface FetchedPartition {
  partition: number;
  errorCode: number;
  /** Last stable offset (read_committed's end), else the high watermark. */
  end: number;
  logStartOffset: number;
  data: Buffer | null;
  aborted: Array<{ producerId: number; firstOffset: number }>;
}

/** One read_committed Fetch of some partitions of `topic` from their leader. */
export async function fetchCommitted(
  client: KafkaClient,
  topic: string,
  leader: number,
  parts: Array<{ partition: number; offset: number }>,
  opts: { maxWaitMs: number; partitionMaxBytes: number },
): Promise<{ errorCode: number; partitions: FetchedPartition[] }> {
  const { response } = await client.send(
    Fetch,
    () => ({
      replicaId: -1,
      maxWaitMs: opts.maxWaitMs,
      minBytes: 1,
      maxBytes: 64 << 20,
      isolationLevel: 1,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [
        {
          topic,
          partitions: parts.map((p) => ({
            partition: p.partition,
            currentLeaderEpoch: -1,
            fetchOffset: p.offset,
            lastFetchedEpoch: -1,
            logStartOffset: -1,
            partitionMaxBytes: opts.partitionMaxBytes,
          })),
        },
      ],
      forgottenTopicsData: [],
      rackId: '',
    }),
    { node: leader, timeoutMs: opts.maxWaitMs + 30_000 },
  );
  const partitions: FetchedPartition[] = [];
  for (const t of response.responses) {
    for (const p of t.partitions) {
      partitions.push({
        partition: p.partitionIndex,
        errorCode: p.errorCode,
        end: p.lastStableOffset >= 0 ? p.lastStableOffset : p.highWatermark,
        logStartOffset: p.logStartOffset,
        data: p.records,
        aborted: p.abortedTransactions ?? [],
      });
    }
  }
  return { errorCode: response.errorCode, partitions };
}

/** An ABORT marker's key: version int16, type int16 (0 abort, 1 commit); `body` starts at the key. */
function isAbortMarker(body: Buffer): boolean {
  const r = new ByteReader(body, 0, body.length);
  const len = r.varint();
  return len >= 4 && body.readInt16BE(r.pos + 2) === 0;
}

/**
 * The records of `data` at or after `position` (and below `end`, when given) that read_committed
 * returns; `out` receives them, the result is the position after the batches read.
 */
export function committedRecords(
  data: Buffer,
  position: number,
  end: number | null,
  abortedTxns: ReadonlyArray<{ producerId: number; firstOffset: number }>,
  out: RawRecord[],
): number {
  const pending = [...abortedTxns].sort((a, b) => a.firstOffset - b.firstOffset);
  const aborted = new Set<number>();
  let next = position;
  for (let pos = 0, size = entrySizeAt(data, 0); size > 0; pos += size, size = entrySizeAt(data, pos)) {
    if (magicAt(data, pos) !== 2) continue;
    const h = readBatchHeader(data, pos);
    if (end !== null && h.baseOffset >= end) break;
    while (pending.length > 0 && pending[0]!.firstOffset <= h.lastOffset) aborted.add(pending.shift()!.producerId);
    const skip = h.isTransactional && aborted.has(h.producerId);
    const bytes = batchRecordBytes(data, pos, h);
    const reader = new ByteReader(bytes, 0, bytes.length);
    for (let i = 0; i < h.recordCount; i++) {
      const recordSize = reader.varint();
      const recordEnd = reader.pos + recordSize;
      reader.int8(); // attributes
      const timestampDelta = reader.varlong();
      const offset = h.baseOffset + reader.varint();
      const body = bytes.subarray(reader.pos, recordEnd);
      reader.pos = recordEnd;
      if (h.isControl) {
        if (skip && i === 0 && isAbortMarker(body)) aborted.delete(h.producerId);
        continue;
      }
      if (skip || offset < position || (end !== null && offset >= end)) continue;
      out.push({ offset, timestamp: h.timestampType === 1 ? h.maxTimestamp : h.baseTimestamp + timestampDelta, body });
    }
    next = Math.max(next, h.lastOffset + 1);
  }
  return end === null ? next : Math.min(next, end);
}

/** A plain batch of `records` (offset deltas 0..n-1), compressed with `compression`. */
export function encodeBatch(records: readonly RawRecord[], compression: number): Buffer {
  // The layout of DefaultRecordBatch (protocol/records/batch.ts has the offsets).
  const base = records[0]!.timestamp;
  let size = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    const body = 1 + sizeOfVarlong(r.timestamp - base) + sizeOfVarint(i) + r.body.length;
    size += sizeOfVarint(body) + body;
  }
  const payload = Buffer.allocUnsafe(size);
  let p = 0;
  let maxTs = -1;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (r.timestamp > maxTs) maxTs = r.timestamp;
    const delta = r.timestamp - base;
    p = writeVarint(payload, p, 1 + sizeOfVarlong(delta) + sizeOfVarint(i) + r.body.length);
    payload[p++] = 0;
    p = writeVarlong(payload, p, delta);
    p = writeVarint(payload, p, i);
    payload.set(r.body, p);
    p += r.body.length;
  }
  const body = compression === 0 ? payload : compress(compression, payload);
  const out = Buffer.allocUnsafe(RECORD_BATCH_OVERHEAD + body.length);
  writeInt64(out, 0, 0); // base offset: the target assigns it
  out.writeInt32BE(out.length - LOG_OVERHEAD, 8); // batch length
  out.writeInt32BE(-1, 12); // partition leader epoch
  out.writeInt8(2, 16); // magic
  out.writeInt16BE(compression & COMPRESSION_CODEC_MASK, 21); // attributes: CreateTime, not transactional
  out.writeInt32BE(records.length - 1, 23); // last offset delta
  writeInt64(out, 27, base);
  writeInt64(out, 35, maxTs);
  writeInt64(out, 43, -1); // producer id
  out.writeInt16BE(-1, 51); // producer epoch
  out.writeInt32BE(-1, 53); // base sequence
  out.writeInt32BE(records.length, 57);
  body.copy(out, RECORD_BATCH_OVERHEAD);
  writeCrc(out, 0);
  return out;
}
