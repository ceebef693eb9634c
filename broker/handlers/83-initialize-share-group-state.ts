// InitializeShareGroupState (key 83), v0 (KIP-932; served on the broker listener as Kafka 4.4 does).
//
// Behaviour (Kafka's ShareCoordinatorShard.initializeState): each share partition's start offset
// and state epoch are set, its in-flight states dropped, and written to `__share_group_state` as a
// ShareSnapshot (broker/share/state-store.ts). Initialising again replaces the state (Kafka answers
// NONE and the new start offset is read back); an older state epoch than the stored one is
// FENCED_STATE_EPOCH. An empty group id answers no results. The state is the one ShareFetch
// serves (broker/share/manager.ts): initialising a partition members fetch from resets it.
//
// Differences from Kafka: this node is the share coordinator of every key (one node).

import { ErrorCode } from '../../protocol/errors.js';
import { InitializeShareGroupState } from '../../protocol/messages/index.js';
import { perPartition, STATE_EPOCH_MISMATCH } from '../share/coordinator-messages.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api: InitializeShareGroupState,
  handle(req, ctx) {
    const share = ctx.broker.share;
    if (req.groupId === '') return { results: [] };
    return {
      results: perPartition(req.topics, (topicId, p) => {
        const sp = share.partition(req.groupId, topicId, p.partition);
        if (sp.initialised && p.stateEpoch < sp.stateEpoch) {
          return { partition: p.partition, errorCode: ErrorCode.FENCED_STATE_EPOCH, errorMessage: STATE_EPOCH_MISMATCH };
        }
        sp.initialise(p.startOffset, p.stateEpoch);
        sp.leaderEpoch = 0;
        share.persistence?.changed(sp);
        return { partition: p.partition, errorCode: 0, errorMessage: null };
      }),
    };
  },
});
