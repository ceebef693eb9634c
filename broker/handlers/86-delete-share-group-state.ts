// DeleteShareGroupState (key 86), v0 (KIP-932; served on the broker listener as Kafka 4.4 does).
//
// Behaviour (Kafka's ShareCoordinatorShard.deleteState): each share partition's state is
// dropped and tombstoned in `__share_group_state` (both record keys); a partition with no state
// answers NONE too. Reading it afterwards is "uninitialized". An empty group id answers no results.

import { DeleteShareGroupState } from '../../protocol/messages/index.js';
import { perPartition } from '../share/coordinator-messages.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api: DeleteShareGroupState,
  handle(req, ctx) {
    const share = ctx.broker.share;
    if (req.groupId === '') return { results: [] };
    return {
      results: perPartition(req.topics, (topicId, p) => {
        const sp = share.find(req.groupId, topicId, p.partition);
        if (sp) share.drop(sp);
        return { partition: p.partition, errorCode: 0, errorMessage: null };
      }),
    };
  },
});
