// Produce (key 0), v0-13.
//
// Behaviour (Kafka's KafkaApis.handleProduceRequest, ReplicaManager.appendRecords, LogValidator):
// unknown partitions get UNKNOWN_TOPIC_OR_PARTITION; then v3+ must carry exactly one magic-2
// batch (ProduceRequest.validateRecords); then acks must be -1, 0 or 1 (else
// INVALID_REQUIRED_ACKS); clients may not write internal topics (INVALID_TOPIC_EXCEPTION). The
// batch is validated (broker/produce-records.ts): header, sizes, CRC and a walk of its records
// without decoding them; records are decoded only when the topic needs it (re-compression to
// the topic's compression.type, per-record checks answered as KIP-467 record errors: null keys
// on compacted topics, timestamps out of bounds, a producer-set LogAppendTime). Failures of the
// log's own validation answer the log start offset, except sizes and corruption (Kafka's known
// exceptions). v0-2 carry legacy magic 0/1 message sets, which are converted to one magic-2
// batch, as Kafka 3+ stores them.
// acks=0 gets no response; if such a produce fails the connection is closed, as Kafka does.
//
// Idempotence (Kafka's ProducerAppendInfo): batches with a producer id are checked against the
// partition's producer state (broker/txn/partition-writes.ts): a retried batch (same epoch and
// sequences as one of the last 5) is not appended and gets its original base offset; stale
// epochs get INVALID_PRODUCER_EPOCH, gaps OUT_OF_ORDER_SEQUENCE_NUMBER; a transactional batch
// for a partition not in the producer's transaction INVALID_TXN_STATE, from v11
// TRANSACTION_ABORTABLE (KIP-890 verification, answered locally by the transaction coordinator).
// v12+ is transactions v2 (KIP-890 part 2): a transactional batch for a partition not yet in the
// producer's transaction adds it (the coordinator's epoch must match), as Kafka's
// AddPartitionsToTxnManager does for v12+. v13 names topics by id (unknown id: UNKNOWN_TOPIC_ID).
//
// Replication (broker/replication/): acks=all needs min.insync.replicas (topic or broker config,
// capped at the replication factor as Kafka 4 does) in the ISR before appending, else NOT_ENOUGH_REPLICAS; once appended, the answer waits until the
// high watermark passes the batch (the in-sync followers have it), then says
// NOT_ENOUGH_REPLICAS_AFTER_APPEND if the ISR shrank below min.insync.replicas meanwhile, or
// REQUEST_TIMED_OUT after timeout_ms (Kafka's DelayedProduce). acks=0/1 never wait.
// An I/O error in the log directory answers KAFKA_STORAGE_ERROR and takes the directory offline
// (storage/log-dir-failure.ts, Kafka's LogDirFailureChannel); later appends get the same.

import { AclOperation } from '../security/authorizer/acl.js';
import { ErrorCode, KafkaStorageError, RecordValidationError, errorName } from '../../protocol/errors.js';
import { Produce } from '../../protocol/messages/index.js';
import { checkProduceRequestRecords, readBatchHeader } from '../../protocol/records/index.js';
import { prepareProduceBatch } from '../produce-records.js';
import { appendClientBatch } from '../txn/partition-writes.js';
import { defineHandler } from '../handler.js';
import { currentLeader, nodeEndpoints } from '../leadership.js';
import { answerPartitions, partitionShape } from '../partitions.js';

const ADMIN_CLIENT_ID = '__admin_client';
const EMPTY = Buffer.alloc(0);

/** Validation errors answered without the log start offset (ReplicaManager.appendToLocalLog's known exceptions). */
const NO_LOG_START_OFFSET = new Set<number>([
  ErrorCode.MESSAGE_TOO_LARGE,
  ErrorCode.RECORD_LIST_TOO_LARGE,
  ErrorCode.CORRUPT_MESSAGE,
  ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
]);

export const partitions = partitionShape(Produce, {
  req: { topics: 'topicData', name: 'name', id: 'topicId', partitions: 'partitionData', index: 'index' },
  res: { topics: 'responses', name: 'name', id: 'topicId', partitions: 'partitionResponses', index: 'index' },
  failed: { baseOffset: -1, logAppendTimeMs: -1, logStartOffset: -1 },
});

export default defineHandler({
  api: Produce,
  handle(req, ctx) {
    const broker = ctx.broker;
    const now = broker.clock.now();
    const validAcks = req.acks === -1 || req.acks === 0 || req.acks === 1;
    const leaderMoved: number[] = [];
    const awaiting: AckWait[] = [];

    const responses = answerPartitions(
      partitions,
      ctx,
      lastOfEachPartition(req.topicData, ctx.apiVersion >= 13),
      (p, { partition, topic }) => {
        const name = topic.name;
        // Like Kafka's ReplicaManager.appendToLocalLog: the message is answered only for
        // per-record validation errors, and the log start offset only for errors raised by
        // the log itself (not for the request, partition, size and CRC checks before it).
        const fail = (
          errorCode: number,
          message: string | null = null,
          o: {
            logStartOffset?: number;
            recordErrors?: ReadonlyArray<{ batchIndex: number; batchIndexErrorMessage: string }>;
            /** Answer `message` even without record errors (Kafka's custom message cases). */
            withMessage?: boolean;
          } = {},
        ) => ({
          errorCode,
          errorMessage: o.recordErrors || o.withMessage ? message : null,
          recordErrors: o.recordErrors ? [...o.recordErrors] : [],
          logStartOffset: o.logStartOffset ?? -1,
        });
        // Kafka's KafkaApis.handleProduceRequest: ProduceRequest.validateRecords, then (in
        // ReplicaManager.appendRecords) the required acks, for the partitions that exist.
        // (Null records, which Kafka 4.4 leaves unanswered, are checked as empty ones.)
        try {
          checkProduceRequestRecords(p.records ?? EMPTY, ctx.apiVersion);
        } catch (err) {
          if (err instanceof RecordValidationError) return err.errorCode;
          throw err;
        }
        if (!validAcks) return ErrorCode.INVALID_REQUIRED_ACKS;
        if (topic.internal && ctx.header.clientId !== ADMIN_CLIENT_ID) {
          return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, `Cannot append to internal topic ${name}`);
        }
        // acks=all needs min.insync.replicas in the ISR before appending (Kafka's Partition.appendRecordsToLeader);
        // the message stays off the wire, as Kafka's ProduceResponse carries none for it.
        // Kafka 4's effective min ISR is capped at the replication factor (Partition.effectiveMinIsr): one
        // replica with min.insync.replicas=2 takes acks=all writes.
        const minIsr = Math.min(Number(topic.effective.get('min.insync.replicas')), partition.replicaSet.replicas.length);
        if (req.acks === -1 && broker.replication.checkMinIsr(partition, minIsr)) {
          return fail(ErrorCode.NOT_ENOUGH_REPLICAS, null, { logStartOffset: partition.log.logStartOffset });
        }
        let prepared: ReturnType<typeof prepareProduceBatch>;
        try {
          prepared = prepareProduceBatch(p.records, topic.effective, {
            apiVersion: ctx.apiVersion,
            now,
            transactionalId: req.transactionalId,
            topicPartition: `${name}-${p.index}`,
          });
        } catch (err) {
          if (err instanceof RecordValidationError) {
            // The log answers its start offset, except for the exceptions ReplicaManager lists
            // as known (sizes, corruption), which carry no append info.
            const logStartOffset = NO_LOG_START_OFFSET.has(err.errorCode) ? -1 : partition.log.logStartOffset;
            return fail(err.errorCode, err.message, { logStartOffset, recordErrors: err.recordErrors });
          }
          throw err;
        }
        if (prepared === null) return { errorCode: 0, baseOffset: -1, logAppendTimeMs: -1, logStartOffset: partition.log.logStartOffset };
        // v12+ (transactions v2): the partition joins the transaction here, without AddPartitionsToTxn.
        let appended: ReturnType<typeof appendClientBatch>;
        try {
          appended = appendClientBatch(partition, prepared.batches, (pid, epoch) =>
            ctx.apiVersion >= 12
              ? broker.txn.addImplicitly(pid, epoch, name, p.index)
              : broker.txn.inTransaction(pid, epoch, name, p.index),
          );
        } catch (err) {
          // An I/O error, or a log directory already offline (storage/log-dir-failure.ts): Kafka's
          // ReplicaManager answers KAFKA_STORAGE_ERROR with no append info and no message.
          if (err instanceof KafkaStorageError) return fail(ErrorCode.KAFKA_STORAGE_ERROR, null, { logStartOffset: -1 });
          throw err;
        }
        if (appended.errorCode === ErrorCode.INVALID_TXN_STATE) {
          // The partition is not in the producer's transaction: Kafka's verification fails
          // before the log is touched, and from v11 says TRANSACTION_ABORTABLE (KIP-890).
          if (ctx.apiVersion >= 11) return ErrorCode.TRANSACTION_ABORTABLE;
          return fail(ErrorCode.INVALID_TXN_STATE, 'Partition was not added to the transaction', { withMessage: true });
        }
        if (appended.errorCode === ErrorCode.INVALID_PRODUCER_EPOCH && readBatchHeader(prepared.batches, 0).isTransactional) {
          // A stale transactional epoch is caught by the same verification, before the log.
          return ErrorCode.INVALID_PRODUCER_EPOCH;
        }
        if (appended.errorCode !== 0 || !('baseOffset' in appended)) {
          return fail(appended.errorCode, 'message' in appended ? appended.message : null, {
            logStartOffset: partition.log.logStartOffset,
          });
        }
        if (req.acks === -1 && !partition.replicaSet.single) {
          // acks=all: answered once the in-sync followers have the batch (broker/replication/replication.ts).
          const acked = broker.replication.awaitAcks(partition, partition.log.logEndOffset, minIsr, req.timeoutMs);
          if (acked !== 0) awaiting.push({ name, topicId: topic.id, index: p.index, acked });
        }
        return {
          errorCode: 0,
          baseOffset: appended.baseOffset,
          // A duplicate is answered with the stored batch's timestamp (Kafka's UnifiedLog.append).
          logAppendTimeMs: appended.duplicate ? (appended.timestamp ?? -1) : prepared.logAppendTime,
          logStartOffset: partition.log.logStartOffset,
        };
      },
      {
        access: AclOperation.WRITE,
        failed(p, errorCode, resolved) {
          if (errorCode !== ErrorCode.NOT_LEADER_OR_FOLLOWER) return {};
          const leader = currentLeader(resolved.topic, p.index);
          leaderMoved.push(leader.leaderId);
          return { currentLeader: leader };
        },
      },
    );

    if (req.acks === 0) {
      const failed = firstFailure(responses);
      if (failed) ctx.closeConnection(`acks=0 produce failed: ${failed}`);
      return null;
    }
    const response = {
      responses,
      throttleTimeMs: 0,
      nodeEndpoints: leaderMoved.length > 0 ? nodeEndpoints(ctx, leaderMoved) : [],
    };
    if (awaiting.length === 0) return response;
    return settleAcks(responses, awaiting).then(() => response);
  },
});

/** A partition whose acks=all answer waits on its followers: the error code it ends with (0 when acked). */
interface AckWait {
  name: string;
  topicId: string;
  index: number;
  acked: number | Promise<number>;
}

/** Wait for every acks=all partition and put its outcome (NOT_ENOUGH_REPLICAS_AFTER_APPEND, timeout...) in its answer. */
async function settleAcks(
  responses: ReadonlyArray<{ name?: string; topicId?: string; partitionResponses?: ReadonlyArray<{ index?: number; errorCode?: number }> }>,
  awaiting: readonly AckWait[],
): Promise<void> {
  const codes = await Promise.all(awaiting.map((w) => w.acked));
  for (const [i, w] of awaiting.entries()) {
    if (codes[i] === 0) continue;
    for (const t of responses) {
      if (t.name !== w.name && t.topicId !== w.topicId) continue;
      const pr = t.partitionResponses?.find((x) => x.index === w.index);
      if (pr) pr.errorCode = codes[i];
    }
  }
}

/**
 * A partition named more than once in a request is produced to once, with its last records, and
 * answered once: Kafka's KafkaApis.handleProduceRequest collects the partitions in a map.
 */
function lastOfEachPartition<T extends { name: string; topicId: string; partitionData: P[] }, P extends { index: number }>(
  topics: readonly T[],
  byId: boolean,
): T[] {
  const seen = new Set<string>();
  let duplicates = false;
  for (const t of topics) {
    for (const p of t.partitionData) {
      const key = `${byId ? t.topicId : t.name}\u0000${p.index}`;
      if (seen.has(key)) duplicates = true;
      seen.add(key);
    }
  }
  if (!duplicates) return topics as T[];
  const merged = new Map<string, { topic: T; parts: Map<number, P> }>();
  for (const t of topics) {
    const key = byId ? t.topicId : t.name;
    const entry = merged.get(key) ?? { topic: t, parts: new Map<number, P>() };
    for (const p of t.partitionData) entry.parts.set(p.index, p);
    merged.set(key, entry);
  }
  return [...merged.values()].map(({ topic, parts }) => ({ ...topic, partitionData: [...parts.values()] }));
}

/** `topic-partition: ERROR (message)` of the first failed partition, for the log line of an acks=0 close. */
function firstFailure(
  responses: ReadonlyArray<{
    name?: string;
    partitionResponses?: ReadonlyArray<{ index?: number; errorCode?: number; errorMessage?: string | null }>;
  }>,
): string | null {
  for (const t of responses) {
    for (const p of t.partitionResponses ?? []) {
      if (p.errorCode) return `${t.name}-${p.index}: ${errorName(p.errorCode)}${p.errorMessage ? ` (${p.errorMessage})` : ''}`;
    }
  }
  return null;
}
