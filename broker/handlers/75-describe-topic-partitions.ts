// DescribeTopicPartitions (key 75), v0 (KIP-966).
//
// Behaviour (Kafka's DescribeTopicPartitionsRequestHandler and
// KRaftMetadataCache.getTopicMetadataForDescribeTopicResponse): the topics named, or every topic
// when none is, sorted by name, from the cursor on (topics before the cursor's are left out; the
// cursor's topic starts at its partition). At most min(responsePartitionLimit,
// max.request.partition.size.limit=2000), at least 1, partitions are returned; when a topic is
// cut short, or the limit is used up before the next topic, nextCursor points where to go on.
// A named topic that does not exist comes back with UNKNOWN_TOPIC_OR_PARTITION (an illegal name:
// INVALID_TOPIC_EXCEPTION) and no partitions; with every topic asked for, none is in error.
// A cursor whose topic is not among those named, or whose partition is negative, fails the
// request: every named topic answers INVALID_REQUEST (DescribeTopicPartitionsRequest.getErrorResponse).
// Each partition carries leader, epoch, replicas, ISR, offline replicas and the eligible leader
// replicas (KIP-966; kept empty: the simulated replication has no ELR).
// Authorization (DescribeTopicPartitionsRequestHandler): topics the caller may not Describe are
// left out of a listing of every topic; a named one is answered TOPIC_AUTHORIZATION_FAILED (zero
// id, no partitions, existing or not) after the others. topicAuthorizedOperations holds the
// topic operations the caller may do (KIP-430; every one without an authorizer).
// Topics are not auto-created.

import { ErrorCode } from '../../protocol/errors.js';
import { DescribeTopicPartitions } from '../../protocol/messages/index.js';
import { ZERO_UUID } from '../../protocol/primitives.js';
import { defineHandler } from '../handler.js';
import { replicaView } from '../replication/view.js';
import { Op, R, authorizedOperationBits, partitionAuthorized } from '../security/authorizer/checks.js';
import { invalidTopicName, type Topic } from '../topics.js';

/** Kafka's max.request.partition.size.limit default. */
const MAX_PARTITIONS = 2000;
/** topicAuthorizedOperations' default: not computed. */
const NOT_COMPUTED = -2147483648;

export default defineHandler({
  api: DescribeTopicPartitions,
  handle(req, ctx) {
    const broker = ctx.broker;
    const cursor = req.cursor;
    const from = cursor?.topicName ?? '';
    const all = req.topics.length === 0;
    const names = new Set<string>();
    for (const name of all ? [...broker.topics.all()].map((t) => t.name) : req.topics.map((t) => t.name)) if (name >= from) names.add(name);
    if (cursor && ((!all && !names.has(cursor.topicName)) || cursor.partitionIndex < 0)) {
      return {
        throttleTimeMs: 0,
        topics: req.topics.map((t) => ({
          errorCode: ErrorCode.INVALID_REQUEST,
          name: t.name,
          topicId: ZERO_UUID,
          isInternal: false,
          partitions: [],
          topicAuthorizedOperations: NOT_COMPUTED,
        })),
        nextCursor: null,
      };
    }

    const partitionsOf = (topic: Topic, start: number, end: number) =>
      topic.partitions.slice(start, end).map((p) => ({
        ...replicaView(p, broker.cluster),
        // Kafka answers NONE here even for an offline partition (leader -1).
        errorCode: 0,
        partitionIndex: p.index,
        leaderEpoch: p.leaderEpoch,
        eligibleLeaderReplicas: [],
        lastKnownElr: [],
      }));

    const [allowed, refused] = partitionAuthorized(ctx, Op.DESCRIBE, R.TOPIC, [...names].sort());
    let remaining = Math.max(Math.min(MAX_PARTITIONS, req.responsePartitionLimit), 1);
    const topics = [];
    let nextCursor: { topicName: string; partitionIndex: number } | null = null;
    for (const name of allowed) {
      if (remaining === 0) {
        nextCursor = { topicName: name, partitionIndex: 0 };
        break;
      }
      const topic = broker.topics.get(name);
      if (!topic) {
        if (!all) {
          const errorCode = invalidTopicName(name) ? ErrorCode.INVALID_TOPIC_EXCEPTION : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
          topics.push({
            errorCode,
            name,
            topicId: ZERO_UUID,
            isInternal: false,
            partitions: [],
            topicAuthorizedOperations: authorizedOperationBits(ctx, R.TOPIC, name),
          });
        }
        continue;
      }
      const start = name === from && cursor ? cursor.partitionIndex : 0;
      const end = Math.min(topic.partitions.length, start + remaining);
      const partitions = partitionsOf(topic, start, end);
      topics.push({
        errorCode: 0,
        name,
        topicId: topic.id,
        isInternal: topic.internal,
        partitions,
        topicAuthorizedOperations: authorizedOperationBits(ctx, R.TOPIC, name),
      });
      if (end < topic.partitions.length) {
        nextCursor = { topicName: name, partitionIndex: end };
        break;
      }
      remaining -= partitions.length;
    }
    if (!all)
      for (const name of refused)
        topics.push({
          errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
          name,
          topicId: ZERO_UUID,
          isInternal: false,
          partitions: [],
          topicAuthorizedOperations: NOT_COMPUTED,
        });
    return { throttleTimeMs: 0, topics, nextCursor };
  },
});
