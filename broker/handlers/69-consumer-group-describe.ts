// ConsumerGroupDescribe (key 69), v0.
//
// Behaviour (Kafka's GroupMetadataManager.consumerGroupDescribe):
// for each KIP-848 consumer group its state (Empty, Assigning,
// Reconciling, Stable), group epoch, assignment epoch, assignor (the one most members asked
// for, else `uniform`), and members with their epoch, client, subscription, current
// assignment and target assignment (topic ids and names). An unknown group, or one that is
// not a consumer group, gets GROUP_ID_NOT_FOUND; one coordinated elsewhere NOT_COORDINATOR.
// Authorized operations (when asked): every group operation, as there is no authorizer.
// With group.version 0 finalized (UpdateFeatures, broker/features.ts) KIP-848 is off and every
// group gets UNSUPPORTED_VERSION, as Kafka's KafkaApis answers then.

import { ErrorCode } from '../../protocol/errors.js';
import { ConsumerGroupDescribe } from '../../protocol/messages/index.js';
import { DEFAULT_ASSIGNOR } from '../groups/assignors/index.js';
import type { Assignment } from '../groups/consumer-group-records.js';
import { toWire } from '../groups/consumer-group-records.js';
import { defineHandler } from '../handler.js';
import { Op, R, authorized, authorizedOperationBits } from '../security/authorizer/checks.js';
import type { TopicManager } from '../topics.js';

const NOT_REQUESTED = -2147483648;
/** AclOperation READ (3), DELETE (6), DESCRIBE (8) as a bit set. */

function named(topics: TopicManager, a: Assignment) {
  return { topicPartitions: toWire(a).map((t) => ({ ...t, topicName: topics.getById(t.topicId)?.name ?? '' })) };
}

export default defineHandler({
  api: ConsumerGroupDescribe,
  handle(req, ctx) {
    const coord = ctx.broker.groups;
    const topics = ctx.broker.topics;
    const consumerProtocol = ctx.broker.features.level('group.version') >= 1;
    const groups = req.groupIds.map((groupId) => {
      const failed = (errorCode: number, errorMessage: string | null = null) => ({
        errorCode,
        errorMessage,
        groupId,
        groupState: '',
        groupEpoch: 0,
        assignmentEpoch: 0,
        assignorName: '',
        members: [],
      });
      if (!consumerProtocol) return failed(ErrorCode.UNSUPPORTED_VERSION);
      if (!authorized(ctx, Op.DESCRIBE, R.GROUP, groupId)) return failed(ErrorCode.GROUP_AUTHORIZATION_FAILED);
      const notHere = coord.checkCoordinator(groupId, ctx.node.nodeId);
      if (notHere !== ErrorCode.NONE) return failed(notHere);
      const g = coord.consumerGroup(groupId);
      if (!g || g.dead)
        return failed(
          ErrorCode.GROUP_ID_NOT_FOUND,
          coord.group(groupId) ? `Group ${groupId} is not a consumer group.` : `Group ${groupId} not found.`,
        );
      return {
        errorCode: ErrorCode.NONE,
        errorMessage: null,
        groupId,
        groupState: g.stateName(),
        groupEpoch: g.groupEpoch,
        assignmentEpoch: g.assignmentEpoch,
        assignorName: g.preferredAssignor(g.members.values()) ?? DEFAULT_ASSIGNOR,
        members: [...g.members.values()].map((m) => ({
          memberId: m.memberId,
          instanceId: m.meta.instanceId,
          rackId: m.meta.rackId,
          memberEpoch: m.current.memberEpoch,
          clientId: m.meta.clientId,
          clientHost: m.meta.clientHost,
          subscribedTopicNames: m.meta.subscribedTopicNames,
          // Kafka's ConsumerGroupMember.Builder starts with an empty regex: a member without one shows "".
          subscribedTopicRegex: m.meta.subscribedTopicRegex ?? '',
          // v1: 0 for a classic member of the consumer group (KIP-848 migration), 1 for a consumer member.
          memberType: m.meta.classic !== null ? 0 : 1,
          assignment: named(topics, m.current.assigned),
          targetAssignment: named(topics, g.targets.get(m.memberId) ?? new Map()),
        })),
        authorizedOperations: req.includeAuthorizedOperations ? authorizedOperationBits(ctx, R.GROUP, groupId) : NOT_REQUESTED,
      };
    });
    return { throttleTimeMs: 0, groups };
  },
});
