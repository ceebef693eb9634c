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
// gets UNKNOWN_TOPIC_ID, listed first as Kafka's KafkaApis does, as is a topic the caller may not Read
// (TOPIC_AUTHORIZATION_FAILED for each partition; the group's Read is broker/security/authorizer/gate.ts). Metadata longer than
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
import { Op, R, authorized } from '../security/authorizer/checks.js';

export const partitions = partitionShape(OffsetCommit, {
  req: { topics: 'topics', name: 'name', id: 'topicId', partitions: 'partitions', index: 'partitionIndex' },
  res: { topics: 'topics', name: 'name', id: 'topicId', partitions: 'partitions', index: 'partitionIndex' },
  failed: {},
});

export default defineHandler({
  api: OffsetCommit,
  handle(req, ctx) {
    const commit = (r: typeof req) => commitOffsets(ctx.broker.groups, ctx.broker.topics, r, ctx.apiVersion, ctx.node.nodeId);
    // KafkaApis.handleOffsetCommitRequest: topics answered before the commit (unknown ids from v10, no Read on the topic:
    // TOPIC_AUTHORIZATION_FAILED for every partition) come first, in request order; the group's Read is the gate's.
    const early: Array<{ name: string; topicId: string; partitions: Array<{ partitionIndex: number; errorCode: number }> }> = [];
    const known: Array<(typeof req.topics)[number]> = [];
    const answer = (t: (typeof req.topics)[number], name: string, errorCode: number) =>
      early.push({ name, topicId: t.topicId, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })) });
    for (const t of req.topics) {
      const name = ctx.apiVersion >= 10 ? ctx.broker.topics.getById(t.topicId)?.name : t.name;
      if (name === undefined) answer(t, '', ErrorCode.UNKNOWN_TOPIC_ID);
      else if (!authorized(ctx, Op.READ, R.TOPIC, name)) answer(t, name, ErrorCode.TOPIC_AUTHORIZATION_FAILED);
      else known.push({ ...t, name });
    }
    const committed = commit({ ...req, topics: known }).map((t, i) => ({ ...t, topicId: known[i]!.topicId }));
    return { throttleTimeMs: 0, topics: [...early, ...committed] };
  },
});
