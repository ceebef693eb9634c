// What ShareFetch (78) and ShareAcknowledge (79) share: resolving a (topic id, partition) to the
// partition this node leads, and applying a request's acknowledgement batches partition by
// partition (Kafka's SharePartitionManager.acknowledge: each partition's batches succeed or fail
// together, and a failure is that partition's error only).

import { defaultErrorMessage } from '../../protocol/error-messages.js';
import { ErrorCode } from '../../protocol/errors.js';
import type { RequestContext } from '../handler.js';
import { leaderPartition } from '../leadership.js';
import { Op, R, authorized } from '../security/authorizer/checks.js';
import type { Partition } from '../partition.js';
import type { Topic } from '../topics.js';
import { type AckBatch, checkBatches } from './share-partition.js';

/** A whole ShareFetch or ShareAcknowledge refused with one error code: the shape both responses share. */
export function refusedShareRequest(errorCode: number) {
  return { throttleTimeMs: 0, errorCode, errorMessage: null, acquisitionLockTimeoutMs: 0, responses: [], nodeEndpoints: [] };
}

export interface Resolved {
  errorCode: number;
  topic?: Topic;
  partition?: Partition;
}

/**
 * The partition behind a topic id, or the error Kafka answers for it: a topic the caller may not
 * Read is TOPIC_AUTHORIZATION_FAILED before its partition is looked at (KafkaApis'
 * handleFetchFromShareFetchRequest and handleAcknowledgements).
 */
export function resolveShare(ctx: RequestContext, topicId: string, index: number): Resolved {
  const topic = ctx.broker.topics.getById(topicId);
  if (!topic) return { errorCode: ErrorCode.UNKNOWN_TOPIC_ID };
  if (!authorized(ctx, Op.READ, R.TOPIC, topic.name)) return { errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED, topic };
  const found = leaderPartition(ctx, topic, index);
  return found.partition ? { errorCode: 0, topic, partition: found.partition } : { errorCode: found.errorCode, topic };
}

export interface AckResult {
  errorCode: number;
  errorMessage: string | null;
}

type AckTopics = ReadonlyArray<{
  topicId: string;
  partitions: ReadonlyArray<{ partitionIndex: number; acknowledgementBatches: readonly AckBatch[] }>;
}>;

/** Apply the acknowledgements of `memberId`; results keyed `${topicId}:${partition}` (partitions with batches only). */
export function acknowledgeAll(
  ctx: RequestContext,
  groupId: string,
  memberId: string,
  topics: AckTopics,
  opts: { renewAllowed: boolean; isRenewAck: boolean },
): Map<string, AckResult> {
  const share = ctx.broker.share;
  const settings = share.settings(groupId);
  const out = new Map<string, AckResult>();
  for (const t of topics) {
    for (const p of t.partitions) {
      if (p.acknowledgementBatches.length === 0) continue;
      const key = `${t.topicId}:${p.partitionIndex}`;
      const r = resolveShare(ctx, t.topicId, p.partitionIndex);
      if (!r.partition) {
        out.set(key, { errorCode: r.errorCode, errorMessage: null });
        continue;
      }
      const shape = checkBatches(p.acknowledgementBatches, opts.renewAllowed, opts.isRenewAck);
      if (shape) {
        out.set(key, { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: null });
        continue;
      }
      const sp = share.find(groupId, t.topicId, p.partitionIndex);
      if (!sp?.initialised) {
        // Kafka: no share partition for it on this broker.
        const code = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        out.set(key, { errorCode: code, errorMessage: defaultErrorMessage(code) });
        continue;
      }
      const problem = sp.checkAcks(memberId, p.acknowledgementBatches);
      if (problem) {
        out.set(key, { errorCode: problem.errorCode, errorMessage: problem.message });
        continue;
      }
      sp.acknowledge(p.acknowledgementBatches, settings);
      out.set(key, { errorCode: 0, errorMessage: null });
    }
  }
  return out;
}
