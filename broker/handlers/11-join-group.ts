// JoinGroup (key 11), v0-9, classic groups.
//
// Behaviour (Kafka's GroupMetadataManager.classicGroupJoin; static members per KIP-345):
// checks the group id (INVALID_GROUP_ID), the session timeout
// against group.min/max.session.timeout.ms (INVALID_SESSION_TIMEOUT), the coordinator
// (NOT_COORDINATOR), group.max.size (GROUP_MAX_SIZE_REACHED) and the protocols
// (INCONSISTENT_GROUP_PROTOCOL). A dynamic member without an id on v4+ gets MEMBER_ID_REQUIRED
// and its new id. Otherwise the request is parked until the join phase ends: the initial
// rebalance delay for a new group, all known members rejoined, or the rebalance timeout (v0:
// the session timeout). Only the leader's answer lists the members. Static members (v5+
// group_instance_id) that rejoin a Stable group without changing the selected protocol get
// the current generation without a rebalance (a v9 leader with skip_assignment). The
// connection serves nothing else while parked, like Kafka's muted channel. A KIP-848 consumer
// group with members takes classic members (online migration, unless
// group.consumer.migration.policy is disabled: INCONSISTENT_GROUP_PROTOCOL): answered at once
// by broker/groups/consumer-group-classic.ts, generation = member epoch, no member list.

import { JoinGroup } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api: JoinGroup,
  async handle(req, ctx) {
    const v = ctx.apiVersion;
    const res = await ctx.broker.groups.joinGroup(
      req.groupId,
      {
        memberId: req.memberId,
        groupInstanceId: req.groupInstanceId,
        sessionTimeoutMs: req.sessionTimeoutMs,
        rebalanceTimeoutMs: v === 0 ? req.sessionTimeoutMs : req.rebalanceTimeoutMs,
        protocolType: req.protocolType,
        protocols: req.protocols.map((p) => ({ name: p.name, metadata: p.metadata })),
        clientId: ctx.header.clientId ?? '',
        clientHost: `/${ctx.connection.remoteAddress}`,
        apiVersion: v,
        reason: req.reason,
      },
      ctx.node.nodeId,
    );
    return {
      throttleTimeMs: 0,
      errorCode: res.errorCode,
      generationId: res.generationId,
      protocolType: res.protocolType,
      // Before v7 the protocol name is not nullable: Kafka sends "" instead.
      protocolName: v < 7 ? (res.protocolName ?? '') : res.protocolName,
      leader: res.leader,
      skipAssignment: res.skipAssignment,
      memberId: res.memberId,
      members: res.members,
    };
  },
});
