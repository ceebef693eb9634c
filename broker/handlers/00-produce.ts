// Produce (key 0), v0-13.
//
// Behaviour (README §4): acks must be -1, 0 or 1 (else INVALID_REQUIRED_ACKS everywhere);
// unknown partitions get UNKNOWN_TOPIC_OR_PARTITION; clients may not write internal topics
// (INVALID_TOPIC_EXCEPTION); v3+ must carry exactly one magic-2 batch. The hot path is
// batch-level: the header, sizes and CRC are checked and the log assigns offsets in place;
// records are decoded only when the topic needs it (re-compression to the topic's
// compression.type, null-key check on compacted topics, LogAppendTime). v0-2 carry legacy
// magic 0/1 message sets, which are converted to one magic-2 batch, as Kafka 3+ stores them.
// acks=0 gets no response; if such a produce fails the connection is closed, as Kafka does.
//
// Idempotence (README §4 step 9): batches with a producer id are checked against the
// partition's producer state (broker/txn/partition-writes.ts): a retried batch (same epoch and
// sequences as one of the last 5) is not appended and gets its original base offset; stale
// epochs get INVALID_PRODUCER_EPOCH, gaps OUT_OF_ORDER_SEQUENCE_NUMBER; a transactional batch
// for a partition not in the producer's transaction INVALID_TXN_STATE (KIP-890 verification,
// answered locally by the transaction coordinator). v12+ is transactions v2 (KIP-890 part 2):
// a transactional batch for a partition not yet in the producer's transaction adds it (the
// coordinator's epoch must match), as Kafka's AddPartitionsToTxnManager does for v12+. v13
// names topics by id (unknown id: UNKNOWN_TOPIC_ID).

import { ErrorCode, RecordValidationError, errorName } from '../../protocol/errors.js';
import { Produce } from '../../protocol/messages/index.js';
import { prepareProduceBatch } from '../produce-records.js';
import { appendClientBatch } from '../txn/partition-writes.js';
import { defineHandler } from '../handler.js';
import { currentLeader, nodeEndpoints } from '../leadership.js';
import { answerPartitions, partitionShape } from '../partitions.js';

const ADMIN_CLIENT_ID = '__admin_client';

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

    const responses = answerPartitions(
      partitions,
      ctx,
      req.topicData,
      (p, { partition, topic: tp }) => {
        const fail = (errorCode: number, errorMessage: string | null = null) => ({ errorCode, errorMessage });
        if (tp.internal && ctx.header.clientId !== ADMIN_CLIENT_ID) {
          return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, `Cannot append to internal topic ${tp.name}`);
        }
        if (req.acks === -1 && Number(tp.effective.get('min.insync.replicas')) > 1) {
          return fail(ErrorCode.NOT_ENOUGH_REPLICAS, 'The size of the current ISR [1] is insufficient to satisfy the min.isr requirement');
        }
        let prepared: ReturnType<typeof prepareProduceBatch>;
        try {
          prepared = prepareProduceBatch(p.records, tp.effective, {
            apiVersion: ctx.apiVersion,
            now,
            transactionalId: req.transactionalId,
          });
        } catch (err) {
          if (err instanceof RecordValidationError) return fail(err.errorCode, err.message);
          throw err;
        }
        if (prepared === null) return { errorCode: 0, baseOffset: -1, logAppendTimeMs: -1, logStartOffset: partition.log.logStartOffset };
        // v12+ (transactions v2): the partition joins the transaction here, without AddPartitionsToTxn.
        const appended = appendClientBatch(partition, prepared.batches, (pid, epoch) =>
          ctx.apiVersion >= 12
            ? broker.txn.addImplicitly(pid, epoch, tp.name, p.index)
            : broker.txn.inTransaction(pid, epoch, tp.name, p.index),
        );
        if (appended.errorCode !== 0) return fail(appended.errorCode, 'message' in appended ? appended.message : null);
        return {
          errorCode: 0,
          baseOffset: 'baseOffset' in appended ? appended.baseOffset : -1,
          logAppendTimeMs: prepared.logAppendTime,
          logStartOffset: partition.log.logStartOffset,
        };
      },
      {
        before: () => (validAcks ? 0 : ErrorCode.INVALID_REQUIRED_ACKS),
        failed: (p, errorCode, { topic }) =>
          errorCode === ErrorCode.NOT_LEADER_OR_FOLLOWER ? { currentLeader: currentLeader(topic, p.index) } : {},
      },
    );

    if (req.acks === 0) {
      const failure = firstFailure(responses);
      if (failure) ctx.closeConnection(`acks=0 produce failed: ${failure}`);
      return null;
    }
    const leaderMoved = responses.flatMap((t) =>
      (t.partitionResponses ?? []).flatMap((p) => (p.currentLeader ? [p.currentLeader.leaderId!] : [])),
    );
    return {
      responses,
      throttleTimeMs: 0,
      nodeEndpoints: leaderMoved.length > 0 ? nodeEndpoints(ctx, leaderMoved) : [],
    };
  },
});

/** "topic-partition: ERROR (message)" for the first failed partition, or null. */
function firstFailure(
  responses: Array<{ name?: string; partitionResponses?: Array<{ index?: number; errorCode?: number; errorMessage?: string | null }> }>,
): string | null {
  for (const t of responses) {
    for (const p of t.partitionResponses ?? []) {
      if (p.errorCode) return `${t.name}-${p.index}: ${errorName(p.errorCode)}${p.errorMessage ? ` (${p.errorMessage})` : ''}`;
    }
  }
  return null;
}
