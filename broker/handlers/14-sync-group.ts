// SyncGroup (key 14), v0-5, classic groups.
//
// Behaviour (Kafka's GroupMetadataManager.classicGroupSync):
// checks INVALID_GROUP_ID, NOT_COORDINATOR, the member
// (UNKNOWN_MEMBER_ID / FENCED_INSTANCE_ID), the generation (ILLEGAL_GENERATION) and for v5 the
// protocol type and name (INCONSISTENT_GROUP_PROTOCOL; either missing fails first, as in Kafka). PreparingRebalance answers
// REBALANCE_IN_PROGRESS. In CompletingRebalance followers are parked until the leader sends the
// assignments; then the group's metadata is stored in `__consumer_offsets`, every waiting
// member gets its assignment (members the leader left out get empty bytes) and the group is
// Stable. In Stable the stored assignment comes back at once. A classic member of a KIP-848
// consumer group gets its current assignment from the server-side assignor at once
// (broker/groups/consumer-group-classic.ts), REBALANCE_IN_PROGRESS when it must rejoin first.

import { ErrorCode } from '../../protocol/errors.js';
import { SyncGroup } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api: SyncGroup,
  async handle(req, ctx) {
    // From v5 both must be present, checked before anything else (KafkaApis.handleSyncGroupRequest).
    if (ctx.apiVersion >= 5 && (req.protocolType === null || req.protocolName === null)) {
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.INCONSISTENT_GROUP_PROTOCOL,
        protocolType: null,
        protocolName: null,
        assignment: Buffer.alloc(0),
      };
    }
    const res = await ctx.broker.groups.syncGroup(
      req.groupId,
      {
        memberId: req.memberId,
        groupInstanceId: req.groupInstanceId,
        generationId: req.generationId,
        protocolType: req.protocolType,
        protocolName: req.protocolName,
        assignments: req.assignments,
      },
      ctx.node.nodeId,
    );
    return { throttleTimeMs: 0, ...res };
  },
});
