// ReadShareGroupState (key 84), v0 (KIP-932; served on the broker listener as Kafka 4.4 does).
//
// Behaviour (Kafka's ShareCoordinatorShard.readStateAndMaybeUpdateLeaderEpoch): a share
// partition's state epoch, start offset and in-flight batches (runs of equal delivery state and
// count); the request's leader epoch becomes the stored one. A partition never initialised
// (unknown topic ids and partitions alike) is INVALID_REQUEST "Read operation on uninitialized
// share partition not allowed." with zeroes. An empty group id answers no results.
//
// Differences from Kafka: the batches are the live in-flight states ShareFetch keeps (acquired
// records show as acquired), not only what a partition leader last wrote.

import { ErrorCode } from '../../protocol/errors.js';
import { ReadShareGroupState } from '../../protocol/messages/index.js';
import { perPartition, READ_UNINITIALISED } from '../share/coordinator-messages.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api: ReadShareGroupState,
  handle(req, ctx) {
    const share = ctx.broker.share;
    if (req.groupId === '') return { results: [] };
    return {
      results: perPartition(req.topics, (topicId, p) => {
        const sp = share.find(req.groupId, topicId, p.partition);
        if (!sp?.initialised) {
          return {
            partition: p.partition,
            errorCode: ErrorCode.INVALID_REQUEST,
            errorMessage: READ_UNINITIALISED,
            stateEpoch: 0,
            startOffset: 0,
            stateBatches: [],
          };
        }
        if (p.leaderEpoch >= 0 && p.leaderEpoch !== sp.leaderEpoch) {
          sp.leaderEpoch = p.leaderEpoch;
          share.persistence?.changed(sp);
        }
        return {
          partition: p.partition,
          errorCode: 0,
          errorMessage: null,
          stateEpoch: sp.stateEpoch,
          startOffset: sp.startOffset,
          stateBatches: sp.stateBatches(),
        };
      }),
    };
  },
});
