// DeleteShareGroupOffsets (key 92), v0 (KIP-932).
//
// Behaviour (Kafka's GroupCoordinatorService.deleteShareGroupOffsets, checked against Kafka 4.4):
// a group of another type is GROUP_ID_NOT_FOUND "Group <id> is not a share group.", a share group
// with members NON_EMPTY_GROUP "The group is not empty.", an unknown group GROUP_ID_NOT_FOUND
// "Group <id> not found."; otherwise the group's share state of
// each named topic is deleted (tombstones in `__share_group_state`), an unknown topic being
// UNKNOWN_TOPIC_OR_PARTITION, answered after the known ones as Kafka does.

import { DeleteShareGroupOffsets } from '../../protocol/messages/index.js';
import { deleteGroupOffsets, groupCheck } from '../share/offsets-admin.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api: DeleteShareGroupOffsets,
  handle(req, ctx) {
    const check = groupCheck(ctx.broker, req.groupId, 'delete');
    if (check.errorCode !== 0) return { throttleTimeMs: 0, ...check, responses: [] };
    return { throttleTimeMs: 0, errorCode: 0, errorMessage: null, responses: deleteGroupOffsets(ctx.broker, req.groupId, req.topics) };
  },
});
