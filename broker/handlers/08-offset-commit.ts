// OffsetCommit (key 8), v0-10.
//
// Behaviour (Kafka's KafkaApis.handleOffsetCommitRequest, OffsetMetadataManager.commitOffset):
// unknown topics or partitions get UNKNOWN_TOPIC_OR_PARTITION; then
// INVALID_GROUP_ID, NOT_COORDINATOR. A commit with generation -1 (v0, admin clients, consumers
// without group management) to a group that does not exist creates a "simple" group and is
// accepted while the group is Empty; a missing group with a generation >= 0 gets
// GROUP_ID_NOT_FOUND (v9+) or ILLEGAL_GENERATION. Otherwise the member must be known
// (UNKNOWN_MEMBER_ID / FENCED_INSTANCE_ID) and the generation current (ILLEGAL_GENERATION);
// CompletingRebalance answers REBALANCE_IN_PROGRESS. v10 names topics by id: an unknown id
// gets UNKNOWN_TOPIC_ID, listed first as Kafka's KafkaApis does. Metadata longer than
// offset.metadata.max.bytes gets OFFSET_METADATA_TOO_LARGE for that partition. v1 carries a
// commit timestamp per partition, v2-4 retention_time_ms (an expire timestamp; -1: broker
// default), v6+ the leader epoch. Accepted offsets are written to `__consumer_offsets` in one
// batch before the answer. KIP-848 consumer groups (ConsumerGroup.validateOffsetCommit): generation = member epoch;
// epoch -1 with no members is a simple commit; else UNKNOWN_MEMBER_ID, UNSUPPORTED_VERSION
// below v9, STALE_MEMBER_EPOCH for any other epoch (as Kafka's ConsumerGroup.validateMemberEpoch).

import { ErrorCode } from '../../protocol/errors.js';
import { OffsetCommit } from '../../protocol/messages/index.js';
import { commitOffsets } from '../groups/commits.js';
import { defineHandler } from '../handler.js';
import { partitionShape } from '../partitions.js';

export const partitions = partitionShape(OffsetCommit, {
  req: { topics: 'topics', name: 'name', id: 'topicId', partitions: 'partitions', index: 'partitionIndex' },
  res: { topics: 'topics', name: 'name', id: 'topicId', partitions: 'partitions', index: 'partitionIndex' },
  failed: {},
});

export default defineHandler({
  api: OffsetCommit,
  handle(req, ctx) {
    const commit = (r: typeof req) => commitOffsets(ctx.broker.groups, ctx.broker.topics, r, ctx.apiVersion, ctx.node.nodeId);
    if (ctx.apiVersion < 10) return { throttleTimeMs: 0, topics: commit(req) };
    const unknown: Array<{ topicId: string; partitions: Array<{ partitionIndex: number; errorCode: number }> }> = [];
    const known: Array<(typeof req.topics)[number]> = [];
    for (const t of req.topics) {
      const name = ctx.broker.topics.getById(t.topicId)?.name;
      if (name !== undefined) known.push({ ...t, name });
      else {
        const partitions = t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: ErrorCode.UNKNOWN_TOPIC_ID }));
        unknown.push({ topicId: t.topicId, partitions });
      }
    }
    const committed = commit({ ...req, topics: known }).map((t, i) => ({ ...t, topicId: known[i]!.topicId }));
    return { throttleTimeMs: 0, topics: [...unknown, ...committed] };
  },
});
