// DeleteGroups (key 42), v0-3.
//
// Behaviour (Kafka's KafkaApis.handleDeleteGroupsRequest, GroupMetadataManager.validateDeleteGroup):
// each group is deleted only when it has no members: its committed
// offsets and its metadata get tombstones in `__consumer_offsets` and it is gone. A group with
// members gets NON_EMPTY_GROUP (KIP-848 consumer groups alike: their key 3-8 records get
// tombstones), an unknown one GROUP_ID_NOT_FOUND, one coordinated elsewhere
// NOT_COORDINATOR. v3's error_message stays null for these, as Kafka 4.4 answers them
// (GROUP_DELETION_FAILED, its new code, is for deletions that fail midway, which can't here).

import { DeleteGroups } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';
import { Op, R, partitionAuthorized } from '../security/authorizer/checks.js';
import { ErrorCode } from '../../protocol/errors.js';

export default defineHandler({
  api: DeleteGroups,
  handle(req, ctx) {
    // Without Delete on a group: GROUP_AUTHORIZATION_FAILED, listed after the others (KafkaApis).
    const [allowed, refused] = partitionAuthorized(ctx, Op.DELETE, R.GROUP, req.groupsNames);
    const results = allowed.map((groupId) => ({ groupId, errorCode: ctx.broker.groups.deleteGroup(groupId, ctx.node.nodeId) }));
    const denied = refused.map((groupId) => ({ groupId, errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED }));
    return { throttleTimeMs: 0, results: [...results, ...denied] };
  },
});
