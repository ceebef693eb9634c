// OffsetDelete (key 47), v0.
//
// Behaviour (KIP-496; Kafka's OffsetMetadataManager.deleteOffsets):
// deletes a group's committed offsets for the given
// partitions (tombstones in `__consumer_offsets`). Top-level errors: INVALID_GROUP_ID,
// NOT_COORDINATOR, GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP for a group with members whose protocol
// type is not "consumer". Per partition: UNKNOWN_TOPIC_OR_PARTITION, GROUP_SUBSCRIBED_TO_TOPIC
// when a member subscribes to the topic (read from the members' ConsumerProtocolSubscription
// bytes), else NONE (also when nothing was committed).

import { OffsetDelete } from '../../protocol/messages/index.js';
import { deleteOffsets } from '../groups/commits.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api: OffsetDelete,
  handle(req, ctx) {
    const res = deleteOffsets(ctx.broker.groups, ctx.broker.topics, req.groupId, req.topics, ctx.node.nodeId);
    return { errorCode: res.errorCode, throttleTimeMs: 0, topics: res.topics };
  },
});
