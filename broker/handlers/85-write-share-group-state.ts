// WriteShareGroupState (key 85), v0-1 (KIP-932; v1 adds delivery_complete_count, KIP-1226).
//
// Behaviour (Kafka's ShareCoordinatorService.writeState and ShareCoordinatorShard.writeState): a
// negative leader epoch is INVALID_REQUEST "The leader epoch cannot be a negative number.", a
// partition never initialised INVALID_REQUEST "Write operation on uninitialized share partition
// not allowed.", a state epoch older than the stored one FENCED_STATE_EPOCH. Otherwise the start
// offset (-1 keeps it) and the batches are merged into the stored state (newer batches win where
// they overlap) and written to `__share_group_state` as a ShareUpdate, or a ShareSnapshot when
// one is due. The leader epoch written is not the one ReadShareGroupStateSummary reports (Kafka
// reports the one ReadShareGroupState last set). An empty group id answers no results.

import { ErrorCode } from '../../protocol/errors.js';
import { WriteShareGroupState } from '../../protocol/messages/index.js';
import { NEGATIVE_LEADER_EPOCH, perPartition, STATE_EPOCH_MISMATCH, WRITE_UNINITIALISED } from '../share/coordinator-messages.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api: WriteShareGroupState,
  handle(req, ctx) {
    const share = ctx.broker.share;
    if (req.groupId === '') return { results: [] };
    return {
      results: perPartition(req.topics, (topicId, p) => {
        const fail = (errorCode: number, errorMessage: string) => ({ partition: p.partition, errorCode, errorMessage });
        if (p.leaderEpoch < 0) return fail(ErrorCode.INVALID_REQUEST, NEGATIVE_LEADER_EPOCH);
        const sp = share.find(req.groupId, topicId, p.partition);
        if (!sp?.initialised) return fail(ErrorCode.INVALID_REQUEST, WRITE_UNINITIALISED);
        if (p.stateEpoch < sp.stateEpoch) return fail(ErrorCode.FENCED_STATE_EPOCH, STATE_EPOCH_MISMATCH);
        if (ctx.apiVersion >= 1) sp.writtenDeliveryCompleteCount = p.deliveryCompleteCount;
        sp.overwrite(p.startOffset, p.stateBatches);
        return { partition: p.partition, errorCode: 0, errorMessage: null };
      }),
    };
  },
});
