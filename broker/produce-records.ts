// Turning the `records` of one produce partition into the batch the log stores (Kafka's
// LogValidator.validateMessagesAndAssignOffsets). The common case touches only the batch header:
// validate, then append as is. Records are decoded only when the topic requires it: conversion of
// legacy magic 0/1 input, re-compression to a concrete compression.type, the key check of compacted
// topics, and timestamp bounds when configured. Validation itself (protocol/records/validate.ts)
// follows Kafka's checks and order and trims a trailing partial entry as Kafka does.

import { ErrorCode, RecordValidationError } from '../protocol/errors.js';
import { LONG_MAX_NUMBER } from '../protocol/limits.js';
import { buildBatch, decodeBatchRecords, setMaxTimestamp, validateProduceRecords } from '../protocol/records/index.js';

const CODECS: Record<string, number> = { uncompressed: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 };

export interface PreparedBatch {
  batches: Buffer;
  /** The broker time stamped on the batch (LogAppendTime topics), else -1. */
  logAppendTime: number;
}

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
  // Batch-level checks (and conversion of magic 0/1 input to one magic-2 batch).
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

  if (compacted) {
    // Kafka's LogValidator.validateKey: each keyless record is a record error.
    const recordErrors = decodeBatchRecords(batch).records.flatMap((r, batchIndex) =>
      r.key === null
        ? [
            {
              batchIndex,
              batchIndexErrorMessage: `Compacted topic cannot accept message without key in topic partition ${o.topicPartition ?? ''}`,
            },
          ]
        : [],
    );
    if (recordErrors.length > 0) {
      const shown = recordErrors.slice(0, 3).map((e) => `RecordError(batchIndex=${e.batchIndex}, message='${e.batchIndexErrorMessage}')`);
      throw new RecordValidationError(
        ErrorCode.INVALID_RECORD,
        `One or more records have been rejected due to ${recordErrors.length} record errors in total, and only showing the first three errors at most: [${shown.join(', ')}]`,
        recordErrors,
      );
    }
  }

  const target = CODECS[topicConfig.get('compression.type') ?? 'producer'];
  const before = Number(topicConfig.get('message.timestamp.before.max.ms'));
  const after = Number(topicConfig.get('message.timestamp.after.max.ms'));
  // Kafka 4 bounds future timestamps by default (one hour); the batch's max timestamp, which the
  // validation above read from the header, settles that bound without decoding records, so only
  // a configured lower bound or a batch that crosses the upper one needs the per-record check.
  const checkTimes = before < LONG_MAX_NUMBER || (after < LONG_MAX_NUMBER && info.maxTimestamp > o.now + after);
  const recompress = target !== undefined && target !== info.compression;

  if (recompress || checkTimes) {
    const decoded = decodeBatchRecords(batch);
    if (checkTimes) {
      // Every record is checked and reported, as Kafka's LogValidator.validateTimestamp does.
      const recordErrors = decoded.records.flatMap((r, batchIndex) =>
        r.timestamp >= 0 && (o.now - r.timestamp > before || r.timestamp - o.now > after)
          ? [
              {
                batchIndex,
                batchIndexErrorMessage: `Timestamp ${r.timestamp} of message with offset ${r.offset} is out of range. The timestamp should be within [${o.now - before}, ${o.now + after}]`,
              },
            ]
          : [],
      );
      if (recordErrors.length > 0) {
        throw new RecordValidationError(
          ErrorCode.INVALID_TIMESTAMP,
          'One or more records have been rejected due to invalid timestamp',
          recordErrors,
        );
      }
    }
    if (recompress) {
      const h = decoded.header;
      batch = buildBatch({
        records: decoded.records,
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
  if (topicConfig.get('message.timestamp.type') === 'LogAppendTime') {
    setMaxTimestamp(batch, 0, 1, o.now);
    logAppendTime = o.now;
  }
  return { batches: batch, logAppendTime };
}
