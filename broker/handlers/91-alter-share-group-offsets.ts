// AlterShareGroupOffsets (key 91), v0 (KIP-932).
//
// Behaviour (Kafka's GroupCoordinatorService.alterShareGroupOffsets, checked against Kafka 4.4):
// a group of another type is GROUP_ID_NOT_FOUND "Group <id> is not a share group.", a share group
// with members NON_EMPTY_GROUP "The group is not empty."; otherwise each partition's share state
// starts again at the given offset (state epoch + 1, in-flight states dropped, a ShareSnapshot
// written), an unknown topic or partition being UNKNOWN_TOPIC_OR_PARTITION. Unknown topics are
// answered first, as Kafka does.

import { AlterShareGroupOffsets } from '../../protocol/messages/index.js';
import { alterGroupOffsets, groupCheck } from '../share/offsets-admin.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api: AlterShareGroupOffsets,
  handle(req, ctx) {
    const check = groupCheck(ctx.broker, req.groupId, 'alter');
    if (check.errorCode !== 0) return { throttleTimeMs: 0, ...check, responses: [] };
    return { throttleTimeMs: 0, errorCode: 0, errorMessage: null, responses: alterGroupOffsets(ctx.broker, req.groupId, req.topics) };
  },
});
