// ShareGroupDescribe (key 77), v1.
//
// Behaviour (Kafka's GroupMetadataManager.shareGroupDescribe): for each share group its state
// (Empty, Stable), group epoch, assignment epoch, assignor (`simple`) and members with their
// epoch, rack, client, subscription and current assignment (topic ids and names). An empty
// group id gets INVALID_GROUP_ID; an unknown group GROUP_ID_NOT_FOUND "Group X not found.", a
// group of another type "Group X is not a share group."; one coordinated elsewhere
// NOT_COORDINATOR. The empty ids are answered first, as Kafka's GroupCoordinatorService
// does. Authorized operations (when asked): every group operation, as there is no
// authorizer. With share.version 0 finalized every group gets UNSUPPORTED_VERSION.

import { ErrorCode } from '../../protocol/errors.js';
import { ShareGroupDescribe } from '../../protocol/messages/index.js';
import { GROUP_OPERATIONS } from '../authorized-operations.js';
import { namedAssignment } from '../groups/share/heartbeat.js';
import { SHARE_ASSIGNOR_NAME } from '../groups/share/assignor.js';
import { ShareGroup } from '../groups/share/share-group.js';
import { defineHandler } from '../handler.js';

const NOT_REQUESTED = -2147483648;

export default defineHandler({
  api: ShareGroupDescribe,
  handle(req, ctx) {
    const coord = ctx.broker.groups;
    const enabled = ctx.broker.features.level('share.version') >= 1;
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
      if (!enabled) return failed(ErrorCode.UNSUPPORTED_VERSION);
      if (groupId === '') return failed(ErrorCode.INVALID_GROUP_ID);
      const notHere = coord.checkCoordinator(groupId, ctx.node.nodeId);
      if (notHere !== ErrorCode.NONE) return failed(notHere);
      const g = coord.group(groupId);
      if (!(g instanceof ShareGroup) || g.dead)
        return failed(ErrorCode.GROUP_ID_NOT_FOUND, g ? `Group ${groupId} is not a share group.` : `Group ${groupId} not found.`);
      return {
        errorCode: ErrorCode.NONE,
        errorMessage: null,
        groupId,
        groupState: g.stateName(),
        groupEpoch: g.groupEpoch,
        assignmentEpoch: g.assignmentEpoch,
        assignorName: SHARE_ASSIGNOR_NAME,
        members: [...g.members.values()].map((m) => ({
          memberId: m.memberId,
          rackId: m.meta.rackId,
          memberEpoch: m.current.memberEpoch,
          clientId: m.meta.clientId,
          clientHost: m.meta.clientHost,
          subscribedTopicNames: m.meta.subscribedTopicNames,
          assignment: { topicPartitions: namedAssignment(ctx.broker.topics, m.current.assigned) },
        })),
        authorizedOperations: req.includeAuthorizedOperations ? GROUP_OPERATIONS : NOT_REQUESTED,
      };
    });
    // Kafka answers the invalid (empty) ids first, then the others in request order.
    const invalid = (g: { errorCode: number }) => g.errorCode === ErrorCode.INVALID_GROUP_ID;
    return { throttleTimeMs: 0, groups: [...groups.filter(invalid), ...groups.filter((g) => !invalid(g))] };
  },
});
