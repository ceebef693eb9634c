// Records for the REST API and the console: read a partition's stored batches from an offset
// or a timestamp and decode them, render keys, values and headers (UTF-8, JSON pretty-printed,
// hex or base64), and append one record the way a Produce request would (the topic's
// validation, compression.type and timestamp type apply).

import { ErrorCode, RecordValidationError } from '../../protocol/errors.js';
import { buildBatch, decodeBatchRecords, entrySizeAt } from '../../protocol/records/index.js';
import type { BrokerCore } from '../core.js';
import type { Partition } from '../partition.js';
import { prepareProduceBatch } from '../produce-records.js';
import type { Topic } from '../topics.js';
import { partitionForKey } from './partitioner.js';

export const FORMATS = ['utf8', 'json', 'hex', 'base64', 'schema'] as const;
export type Format = (typeof FORMATS)[number];

export interface RecordView {
  partition: number;
  offset: number;
  timestamp: number;
  timestampType: 'CreateTime' | 'LogAppendTime';
  key: string | null;
  value: string | null;
  headers: Array<{ key: string; value: string | null }>;
  /** Bytes of key and value as stored. */
  keySize: number;
  valueSize: number;
  /** With format 'schema': the Schema Registry id the value was written with (Confluent's wire format). */
  valueSchemaId?: number;
}

/** Decodes a value in Confluent's wire format with its registered schema (broker/schema-registry/wire-format.ts), or null. */
export type ValueDecoder = (bytes: Buffer | null) => { schemaId: number; value: unknown } | null;

export interface ReadPage {
  records: RecordView[];
  /** Offset to read next (past the last record returned, or where reading stopped). */
  nextOffset: number;
  logStartOffset: number;
  highWatermark: number;
}

const READ_CHUNK_BYTES = 1024 * 1024;

/** Render bytes: 'json' pretty-prints valid JSON and falls back to UTF-8 text ('schema' too, for what is not a registered value). */
export function render(bytes: Buffer | null, format: Format): string | null {
  if (bytes === null) return null;
  switch (format) {
    case 'hex':
      return bytes.toString('hex');
    case 'base64':
      return bytes.toString('base64');
    case 'schema':
    case 'json': {
      const text = bytes.toString('utf8');
      try {
        return JSON.stringify(JSON.parse(text), null, 2);
      } catch {
        return text;
      }
    }
    default:
      return bytes.toString('utf8');
  }
}

/** Offset of the first record at or after `timestamp` (the high watermark when none). */
export function offsetForTimestamp(p: Partition, timestamp: number): number {
  return p.log.offsetForTimestamp(timestamp, p.highWatermark)?.offset ?? p.highWatermark;
}

/** Up to `limit` records from `fromOffset` (clamped to the log start), below the high watermark. */
export function readRecords(p: Partition, fromOffset: number, limit: number, format: Format, decodeValue?: ValueDecoder): ReadPage {
  const log = p.log;
  const hw = p.highWatermark;
  let offset = Math.max(fromOffset, log.logStartOffset);
  const records: RecordView[] = [];
  while (records.length < limit && offset < hw) {
    const read = log.read(offset, { maxBytes: READ_CHUNK_BYTES, maxOffset: hw, minOneBatch: true });
    if (read.bytes === 0) break;
    let advanced = false;
    for (const chunk of read.chunks) {
      let pos = 0;
      for (let size = entrySizeAt(chunk, pos); size > 0; pos += size, size = entrySizeAt(chunk, pos)) {
        const batch = decodeBatchRecords(chunk, pos);
        const next = batch.header.lastOffset + 1;
        if (next <= offset) continue;
        if (!batch.header.isControl) {
          for (const r of batch.records) {
            if (r.offset < offset) continue;
            if (records.length >= limit) return { records, nextOffset: r.offset, logStartOffset: log.logStartOffset, highWatermark: hw };
            const decoded = format === 'schema' && decodeValue ? decodeValue(r.value) : null;
            records.push({
              partition: p.index,
              offset: r.offset,
              timestamp: r.timestamp,
              timestampType: batch.header.timestampType === 1 ? 'LogAppendTime' : 'CreateTime',
              key: render(r.key, format),
              value: decoded ? JSON.stringify(decoded.value, null, 2) : render(r.value, format),
              headers: r.headers.map((h) => ({ key: h.key, value: render(h.value, format) })),
              keySize: r.key?.length ?? -1,
              valueSize: r.value?.length ?? -1,
              ...(decoded ? { valueSchemaId: decoded.schemaId } : {}),
            });
          }
        }
        offset = next;
        advanced = true;
      }
    }
    if (!advanced) break;
  }
  return { records, nextOffset: Math.min(offset, hw), logStartOffset: log.logStartOffset, highWatermark: hw };
}

export interface ProduceInput {
  partition?: number;
  key?: Buffer | null;
  value: Buffer | null;
  headers?: Array<{ key: string; value: Buffer | null }>;
  timestamp?: number;
}

export class ProduceFailure extends Error {
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'ProduceFailure';
  }
}

/** Append one record; returns where it went. Throws ProduceFailure with Kafka's error code. */
export function produceRecord(
  core: BrokerCore,
  topic: Topic,
  input: ProduceInput,
  roundRobin: { next: number },
): { partition: number; offset: number; timestamp: number } {
  if (topic.internal) throw new ProduceFailure(ErrorCode.INVALID_TOPIC_EXCEPTION, `Cannot append to internal topic ${topic.name}`);
  const count = topic.partitions.length;
  let index: number;
  if (input.partition !== undefined && input.partition >= 0) index = input.partition;
  else if (input.key) index = partitionForKey(input.key, count);
  else index = roundRobin.next++ % count;
  const p = topic.partitions[index];
  if (!p) throw new ProduceFailure(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic ${topic.name} has no partition ${index}`);
  const now = core.clock.now();
  const timestamp = input.timestamp ?? now;
  const batch = buildBatch({ records: [{ key: input.key ?? null, value: input.value, headers: input.headers, timestamp }] });
  let prepared: ReturnType<typeof prepareProduceBatch>;
  try {
    prepared = prepareProduceBatch(batch, topic.effective, { apiVersion: 9, now, transactionalId: null });
  } catch (err) {
    if (err instanceof RecordValidationError) throw new ProduceFailure(err.errorCode, err.message);
    throw err;
  }
  if (!prepared) throw new ProduceFailure(ErrorCode.INVALID_RECORD, 'empty record batch');
  const appended = p.append(prepared.batches);
  return { partition: index, offset: appended.baseOffset, timestamp: prepared.logAppendTime >= 0 ? prepared.logAppendTime : timestamp };
}
