// OffsetCommit (key 8), v0-9.
//
// Behaviour (README §9.5): unknown topics or partitions get UNKNOWN_TOPIC_OR_PARTITION; then
// INVALID_GROUP_ID, NOT_COORDINATOR. A commit with generation -1 (v0, admin clients, consumers
// without group management) to a group that does not exist creates a "simple" group and is
// accepted while the group is Empty; a missing group with a generation >= 0 gets
// GROUP_ID_NOT_FOUND (v9+) or ILLEGAL_GENERATION. Otherwise the member must be known
// (UNKNOWN_MEMBER_ID / FENCED_INSTANCE_ID) and the generation current (ILLEGAL_GENERATION);
// CompletingRebalance answers REBALANCE_IN_PROGRESS. Metadata longer than
// offset.metadata.max.bytes gets OFFSET_METADATA_TOO_LARGE for that partition. v1 carries a
// commit timestamp per partition, v2-4 retention_time_ms (an expire timestamp; -1: broker
// default), v6+ the leader epoch. Accepted offsets are written to `__consumer_offsets` in one
// batch before the answer. KIP-848 consumer groups (README §9.8): generation = member epoch;
// epoch -1 with no members is a simple commit; else UNKNOWN_MEMBER_ID, UNSUPPORTED_VERSION
// below v9, FENCED_MEMBER_EPOCH (newer epoch) / STALE_MEMBER_EPOCH (older epoch).

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
    const topics = commitOffsets(ctx.broker.groups, ctx.broker.topics, req, ctx.apiVersion, ctx.node.nodeId);
    return { throttleTimeMs: 0, topics };
  },
});
