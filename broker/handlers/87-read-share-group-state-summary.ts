// ReadShareGroupStateSummary (key 87), v0-1 (KIP-932; v1 adds delivery_complete_count, KIP-1226).
//
// Behaviour (Kafka's ShareCoordinatorShard.readStateSummary): a share partition's state epoch,
// leader epoch and start offset (and from v1 the count of in-flight records delivered for good);
// a partition never initialised answers NONE with start offset -1, epochs 0 and count -1. An
// empty group id answers no results.

import { ReadShareGroupStateSummary } from '../../protocol/messages/index.js';
import { perPartition } from '../share/coordinator-messages.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api: ReadShareGroupStateSummary,
  handle(req, ctx) {
    const share = ctx.broker.share;
    if (req.groupId === '') return { results: [] };
    return {
      results: perPartition(req.topics, (topicId, p) => {
        const sp = share.find(req.groupId, topicId, p.partition);
        if (!sp?.initialised) {
          return {
            partition: p.partition,
            errorCode: 0,
            errorMessage: null,
            stateEpoch: 0,
            leaderEpoch: 0,
            startOffset: -1,
            deliveryCompleteCount: -1,
          };
        }
        return {
          partition: p.partition,
          errorCode: 0,
          errorMessage: null,
          stateEpoch: sp.stateEpoch,
          leaderEpoch: sp.leaderEpoch,
          startOffset: sp.startOffset,
          deliveryCompleteCount: sp.deliveryCompleteCount(),
        };
      }),
    };
  },
});
