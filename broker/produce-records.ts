// Turning the `records` of one produce partition into the batch the log stores (Kafka's
// LogValidator.validateMessagesAndAssignOffsets). The common case reads the batch header and walks
// the records without decoding them (protocol/records/validate.ts), then appends the batch as is.
// Records are decoded only when the topic requires it: conversion of legacy magic 0/1 input,
// re-compression to a concrete compression.type, and the per-record checks below.
//
// Per-record checks (Kafka's LogValidator.validateRecord), each failing record a KIP-467 record
// error (`batch_index`, its message), all records checked: on a compacted topic a record without
// a key (INVALID_RECORD), else on a CreateTime topic a timestamp outside
// [now - message.timestamp.before.max.ms, now + message.timestamp.after.max.ms]
// (INVALID_TIMESTAMP), else a batch whose producer set the LogAppendTime bit (INVALID_TIMESTAMP).
// The partition fails with INVALID_TIMESTAMP when any record error is a timestamp one, else with
// INVALID_RECORD, and Kafka's partition-level message (LogValidator.processRecordErrors).

import { ErrorCode, RecordValidationError } from '../protocol/errors.js';
import { LONG_MAX } from '../protocol/limits.js';
import {
  ATTRIBUTES_OFFSET,
  buildBatch,
  decodeBatchRecords,
  setMaxTimestamp,
  TIMESTAMP_TYPE_MASK,
  TimestampType,
  validateProduceRecords,
  type DecodedRecord,
} from '../protocol/records/index.js';

const CODECS: Record<string, number> = { uncompressed: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 };

export interface PreparedBatch {
  batches: Buffer;
  /** The broker time stamped on the batch (LogAppendTime topics), else -1. */
  logAppendTime: number;
}

interface RecordError {
  batchIndex: number;
  batchIndexErrorMessage: string;
}

/** A long config as Java reads it (Long.MAX_VALUE does not fit a double exactly). */
const longConfig = (config: Map<string, string>, name: string): bigint => BigInt(config.get(name) ?? LONG_MAX);
/** Java long arithmetic, for the bounds Kafka prints (now + Long.MAX_VALUE wraps). */
const javaLong = (v: bigint): bigint => BigInt.asIntN(64, v);

export function prepareProduceBatch(
  records: Buffer | null,
  topicConfig: Map<string, string>,
  o: {
    apiVersion: number;
    now: number;
    transactionalId: string | null /** `topic-partition`, for Kafka's messages. */;
    topicPartition?: string;
  },
): PreparedBatch | null {
  if (!records || records.length === 0) {
    if (o.apiVersion >= 3) {
      throw new RecordValidationError(
        ErrorCode.INVALID_RECORD,
        'Produce requests with version 3 and above must contain exactly one record batch',
      );
    }
    return null;
  }
  const compacted = (topicConfig.get('cleanup.policy') ?? '').includes('compact');
  // Batch-level checks and the record walk (and conversion of magic 0/1 input to one magic-2 batch).
  const info = validateProduceRecords(records, {
    apiVersion: o.apiVersion,
    maxMessageBytes: Number(topicConfig.get('max.message.bytes')),
    compactedTopic: false, // checked below, record by record, as Kafka reports it
    now: o.now,
  });
  if (info.recordCount === 0) return null;
  let batch = info.batch;
  if (info.isTransactional && o.transactionalId === null) {
    throw new RecordValidationError(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, 'transactional batch without a transactional id');
  }
  if (batch.length > Number(topicConfig.get('segment.bytes'))) {
    throw new RecordValidationError(ErrorCode.RECORD_LIST_TOO_LARGE, `batch of ${batch.length} bytes is larger than segment.bytes`);
  }

  const logAppendTimeTopic = topicConfig.get('message.timestamp.type') === 'LogAppendTime';
  const producerSetLogAppendTime = !info.converted && (batch.readInt16BE(ATTRIBUTES_OFFSET) & TIMESTAMP_TYPE_MASK) !== 0;
  const before = longConfig(topicConfig, 'message.timestamp.before.max.ms');
  const after = longConfig(topicConfig, 'message.timestamp.after.max.ms');
  // Kafka 4 bounds future timestamps by default (one hour); the largest record timestamp, which
  // the record walk above found, settles that bound, so only a configured lower bound or a batch
  // that crosses the upper one needs the per-record check.
  const checkTimes =
    !logAppendTimeTopic && (before < LONG_MAX || (after < LONG_MAX && BigInt(info.maxRecordTimestamp) > BigInt(o.now) + after));
  const perRecord = compacted || checkTimes || producerSetLogAppendTime;
  const configured = CODECS[topicConfig.get('compression.type') ?? 'producer'];
  // Kafka rebuilds a compressed batch whose inner offsets are not consecutive (LogValidator's
  // "no in-place assignment" cases), into the topic's codec or else the producer's.
  const rebuild = info.compression !== 0 && !info.consecutiveOffsets;
  const target = configured ?? info.compression;
  const recompress = target !== info.compression || rebuild;

  if (perRecord || recompress) {
    const decoded = decodeBatchRecords(batch);
    if (perRecord) {
      const ctx = { ...o, compacted, logAppendTimeTopic, before, after, producerSetLogAppendTime };
      const recordErrors: RecordError[] = [];
      let timestampError = false;
      decoded.records.forEach((r, batchIndex) => {
        const e = recordError(r, ctx);
        if (!e) return;
        timestampError ||= e.code === ErrorCode.INVALID_TIMESTAMP;
        recordErrors.push({ batchIndex, batchIndexErrorMessage: e.message });
      });
      if (recordErrors.length > 0) throw recordValidationError(recordErrors, timestampError);
    }
    if (recompress) {
      const h = decoded.header;
      batch = buildBatch({
        // Offsets assigned afresh (0, 1, 2, ...), as Kafka's MemoryRecordsBuilder does.
        records: decoded.records.map((r) => ({ timestamp: r.timestamp, key: r.key, value: r.value, headers: r.headers })),
        compression: target,
        producerId: h.producerId,
        producerEpoch: h.producerEpoch,
        baseSequence: h.baseSequence,
        transactional: info.isTransactional,
      });
      if (batch.length > Number(topicConfig.get('max.message.bytes'))) {
        throw new RecordValidationError(
          ErrorCode.MESSAGE_TOO_LARGE,
          `batch of ${batch.length} bytes after re-compression exceeds max.message.bytes`,
        );
      }
    }
  }

  let logAppendTime = -1;
  if (logAppendTimeTopic) {
    setMaxTimestamp(batch, 0, TimestampType.LOG_APPEND_TIME, o.now);
    logAppendTime = o.now;
  } else if (!recompress) {
    // Kafka stores the records' own max timestamp with the CreateTime type (LogValidator's
    // batch.setMaxTimestamp), whatever the producer's header said.
    setMaxTimestamp(batch, 0, TimestampType.CREATE_TIME, info.maxRecordTimestamp);
  }
  return { batches: batch, logAppendTime };
}

/** The record error of one record, if any (Kafka's LogValidator.validateKey, then validateTimestamp). */
function recordError(
  r: DecodedRecord,
  c: {
    now: number;
    topicPartition?: string;
    compacted: boolean;
    logAppendTimeTopic: boolean;
    before: bigint;
    after: bigint;
    producerSetLogAppendTime: boolean;
  },
): { code: number; message: string } | null {
  if (c.compacted && r.key === null) {
    return {
      code: ErrorCode.INVALID_RECORD,
      message: `Compacted topic cannot accept message without key in topic partition ${c.topicPartition ?? ''}`,
    };
  }
  if (!c.logAppendTimeTopic && r.timestamp !== -1) {
    const diff = BigInt(c.now) - BigInt(r.timestamp);
    if (diff > c.before || -diff > c.after) {
      const low = javaLong(BigInt(c.now) - c.before);
      const high = javaLong(BigInt(c.now) + c.after);
      return {
        code: ErrorCode.INVALID_TIMESTAMP,
        message: `Timestamp ${r.timestamp} of message with offset ${r.offset} is out of range. The timestamp should be within [${low}, ${high}]`,
      };
    }
    return null;
  }
  if (c.producerSetLogAppendTime) {
    // Record.toString of Kafka's DefaultRecord.
    const shown = `DefaultRecord(offset=${r.offset}, timestamp=${r.timestamp}, key=${r.key?.length ?? 0} bytes, value=${r.value?.length ?? 0} bytes)`;
    return {
      code: ErrorCode.INVALID_TIMESTAMP,
      message: `Invalid timestamp type in message ${shown}. Producer should not set timestamp type to LogAppendTime.`,
    };
  }
  return null;
}

/** Kafka's LogValidator.processRecordErrors: one exception for the partition, carrying every record error. */
function recordValidationError(recordErrors: RecordError[], timestampError: boolean): RecordValidationError {
  if (timestampError) {
    return new RecordValidationError(
      ErrorCode.INVALID_TIMESTAMP,
      'One or more records have been rejected due to invalid timestamp',
      recordErrors,
    );
  }
  const shown = recordErrors.slice(0, 3).map((e) => `RecordError(batchIndex=${e.batchIndex}, message='${e.batchIndexErrorMessage}')`);
  return new RecordValidationError(
    ErrorCode.INVALID_RECORD,
    `One or more records have been rejected due to ${recordErrors.length} record errors in total, and only showing the first three errors at most: [${shown.join(', ')}]`,
    recordErrors,
  );
}
