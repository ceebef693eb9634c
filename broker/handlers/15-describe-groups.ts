// DescribeGroups (key 15), v0-5.
//
// Behaviour (README §9.5): for each group its state name (Empty, PreparingRebalance,
// CompletingRebalance, Stable, Dead), protocol type, and members (client id, host "/ip",
// v4+ group instance id). Only a Stable group reports its protocol and each member's metadata
// bytes for it; assignment bytes are the member's current assignment (empty while
// rebalancing). An unknown group is reported as Dead without an error, as Kafka does. Groups
// this node does not coordinate get NOT_COORDINATOR. A KIP-848 consumer group is not a classic
// group: it is reported as Dead without an error, as Kafka 3.7 does (ConsumerGroupDescribe
// describes it). v3+ authorized operations: without an
// authorizer every group operation (READ, DELETE, DESCRIBE) is allowed.

import { DescribeGroups } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';

const NOT_REQUESTED = -2147483648;
/** AclOperation READ (3), DELETE (6), DESCRIBE (8) as a bit set. */
const GROUP_OPERATIONS = (1 << 3) | (1 << 6) | (1 << 8);

export default defineHandler({
  api: DescribeGroups,
  handle(req, ctx) {
    const groups = req.groups.map((id) => ({
      ...ctx.broker.groups.describeGroup(id, ctx.node.nodeId),
      authorizedOperations: req.includeAuthorizedOperations ? GROUP_OPERATIONS : NOT_REQUESTED,
    }));
    return { throttleTimeMs: 0, groups };
  },
});
