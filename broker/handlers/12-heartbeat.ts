// Heartbeat (key 12), v0-4, classic groups.
//
// Behaviour (Kafka's GroupMetadataManager.classicGroupHeartbeat):
// errors in Kafka's order: INVALID_GROUP_ID, NOT_COORDINATOR, an
// unknown group or member UNKNOWN_MEMBER_ID (FENCED_INSTANCE_ID when a static member's
// instance id maps to another member id), ILLEGAL_GENERATION, then by state: Empty
// UNKNOWN_MEMBER_ID, PreparingRebalance REBALANCE_IN_PROGRESS (the session timer is still
// reset), CompletingRebalance and Stable NONE. A classic member of a KIP-848 consumer group
// (online migration, broker/groups/consumer-group-classic.ts): ILLEGAL_GENERATION unless its member
// epoch, REBALANCE_IN_PROGRESS while it must rejoin to move toward its target assignment.

import { Heartbeat } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api: Heartbeat,
  handle(req, ctx) {
    const errorCode = ctx.broker.groups.heartbeat(req.groupId, req.memberId, req.groupInstanceId, req.generationId, ctx.node.nodeId);
    return { throttleTimeMs: 0, errorCode };
  },
});
