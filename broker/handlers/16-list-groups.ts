// ListGroups (key 16), v0-5.
//
// Behaviour (Kafka's GroupMetadataManager.listGroups):
// the groups this node coordinates with their protocol type ("" for
// simple groups made by offset commits), v4+ their state and a states filter
// (case-insensitive), v5+ their type ("classic", or "consumer" for KIP-848 groups, whose
// protocol type is "consumer" and state Empty/Assigning/Reconciling/Stable) and a types filter (case-insensitive; an
// unknown type matches nothing). Empty filters mean all.

import { ErrorCode } from '../../protocol/errors.js';
import { ListGroups } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';
import { Op, R, authorized, clusterAuthorized } from '../security/authorizer/checks.js';

export default defineHandler({
  api: ListGroups,
  handle(req, ctx) {
    const groups = ctx.broker.groups.listGroups(
      ctx.node.nodeId,
      ctx.apiVersion >= 4 ? req.statesFilter : [],
      ctx.apiVersion >= 5 ? req.typesFilter : [],
    );
    // Describe on the cluster lists all, else the groups the caller may Describe (KafkaApis).
    const visible = clusterAuthorized(ctx, Op.DESCRIBE) ? groups : groups.filter((g) => authorized(ctx, Op.DESCRIBE, R.GROUP, g.groupId));
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, groups: visible };
  },
});
