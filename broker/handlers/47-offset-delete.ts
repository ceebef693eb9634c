// OffsetDelete (key 47), v0.
//
// Behaviour (KIP-496; Kafka's OffsetMetadataManager.deleteOffsets):
// deletes a group's committed offsets for the given
// partitions (tombstones in `__consumer_offsets`). Top-level errors: INVALID_GROUP_ID,
// NOT_COORDINATOR, GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP for a group with members whose protocol
// type is not "consumer". Per partition: UNKNOWN_TOPIC_OR_PARTITION, GROUP_SUBSCRIBED_TO_TOPIC
// when a member subscribes to the topic (read from the members' ConsumerProtocolSubscription
// bytes), else NONE (also when nothing was committed).
//
// Authorization (KafkaApis.handleOffsetDeleteRequest): Delete on the group, else a top-level
// GROUP_AUTHORIZATION_FAILED (broker/security/authorizer/gate.ts); a topic without Read has its
// partitions answered TOPIC_AUTHORIZATION_FAILED, listed first, unless the group's answer is a
// top-level error (which replaces them, as Kafka's OffsetDeleteResponse.Builder.merge does).

import { ErrorCode } from '../../protocol/errors.js';
import { OffsetDelete } from '../../protocol/messages/index.js';
import { deleteOffsets } from '../groups/commits.js';
import { defineHandler } from '../handler.js';
import { Op, R, authorized } from '../security/authorizer/checks.js';

export default defineHandler({
  api: OffsetDelete,
  handle(req, ctx) {
    const readable = req.topics.filter((t) => authorized(ctx, Op.READ, R.TOPIC, t.name));
    const refused = req.topics
      .filter((t) => !readable.includes(t))
      .map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED })),
      }));
    const res = deleteOffsets(ctx.broker.groups, ctx.broker.topics, req.groupId, readable, ctx.node.nodeId);
    return { errorCode: res.errorCode, throttleTimeMs: 0, topics: res.errorCode ? res.topics : [...refused, ...res.topics] };
  },
});
