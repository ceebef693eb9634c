// LeaveGroup (key 13), v0-5, classic groups.
//
// Behaviour (Kafka's GroupMetadataManager.classicGroupLeave):
// v0-2 remove one member_id; v3+ a batch of {member_id,
// group_instance_id} with an error per member (v5: a reason each). An empty member id with a
// known group_instance_id removes that static member (admin removal). Unknown members get
// UNKNOWN_MEMBER_ID, a static member named with another member id FENCED_INSTANCE_ID. Leaving
// rebalances the group (Empty when nobody is left). v0-2 report the first member error at the
// top level, as Kafka's LeaveGroupResponse does. To a KIP-848 consumer group: the admin removal
// of a static member, or a classic member of it leaving (online migration); others are
// UNKNOWN_MEMBER_ID (broker/groups/consumer-group-fencing.ts, leaveConsumerGroup). A member
// removed bumps the group epoch.

import { ErrorCode } from '../../protocol/errors.js';
import { LeaveGroup } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api: LeaveGroup,
  handle(req, ctx) {
    const members = ctx.apiVersion >= 3 ? req.members : [{ memberId: req.memberId, groupInstanceId: null, reason: null }];
    const res = ctx.broker.groups.leaveGroup(req.groupId, members, ctx.node.nodeId);
    if (ctx.apiVersion >= 3) return { throttleTimeMs: 0, errorCode: res.errorCode, members: res.members };
    const memberError = res.members.find((m) => m.errorCode !== ErrorCode.NONE)?.errorCode ?? ErrorCode.NONE;
    return { throttleTimeMs: 0, errorCode: res.errorCode !== ErrorCode.NONE ? res.errorCode : memberError };
  },
});
