// DescribeGroups (key 15), v0-6.
//
// Behaviour (Kafka's GroupMetadataManager.describeGroups):
// for each group its state name (Empty, PreparingRebalance,
// CompletingRebalance, Stable, Dead), protocol type, and members (client id, host "/ip",
// v4+ group instance id). Only a Stable group reports its protocol and each member's metadata
// bytes for it; assignment bytes are the member's current assignment (empty while
// rebalancing). An unknown group is reported as Dead without an error, as Kafka does. Groups
// this node does not coordinate get NOT_COORDINATOR. A KIP-848 consumer group is not a classic
// group: it is reported as Dead without an error, as Kafka 3.7 does (ConsumerGroupDescribe
// describes it). v3+ authorized operations: without an authorizer every group operation
// (READ, DELETE, DESCRIBE, DESCRIBE_CONFIGS, ALTER_CONFIGS) is allowed.
// v6 (KIP-1043): a group that does not exist, or is not a classic group, is still Dead but with
// GROUP_ID_NOT_FOUND and Kafka's message (GroupMetadataManager.classicGroup).

import { ErrorCode } from '../../protocol/errors.js';

import { DescribeGroups } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';
import { Op, R, authorizedOperationBits, partitionAuthorized } from '../security/authorizer/checks.js';

const NOT_REQUESTED = -2147483648;
/** AclOperation READ (3), DELETE (6), DESCRIBE (8) as a bit set. */

export default defineHandler({
  api: DescribeGroups,
  handle(req, ctx) {
    const coord = ctx.broker.groups;
    // Without Describe on a group: GROUP_AUTHORIZATION_FAILED, listed before the others (Kafka 4.4).
    const [allowed, refused] = partitionAuthorized(ctx, Op.DESCRIBE, R.GROUP, req.groups);
    const groups = allowed.map((id) => {
      const described = { ...coord.describeGroup(id, ctx.node.nodeId), errorMessage: null as string | null };
      if (ctx.apiVersion >= 6 && described.errorCode === ErrorCode.NONE && !coord.classicGroup(id)) {
        described.errorCode = ErrorCode.GROUP_ID_NOT_FOUND;
        described.errorMessage = coord.group(id) ? `Group ${id} is not a classic group.` : `Group ${id} not found.`;
      }
      // A group Kafka does not find is answered without authorized operations.
      const ops =
        req.includeAuthorizedOperations && described.errorCode !== ErrorCode.GROUP_ID_NOT_FOUND
          ? authorizedOperationBits(ctx, R.GROUP, id)
          : NOT_REQUESTED;
      return { ...described, authorizedOperations: ops };
    });
    const denied = refused.map((groupId) => ({
      groupId,
      errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED,
      authorizedOperations: NOT_REQUESTED,
    }));
    return { throttleTimeMs: 0, groups: [...denied, ...groups] };
  },
});
