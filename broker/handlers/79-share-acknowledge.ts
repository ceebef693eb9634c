// ShareAcknowledge (key 79), v1-2 (KIP-932; v2 adds renew of KIP-1222 and acquisition_lock_timeout_ms).
//
// Behaviour (Kafka's KafkaApis.handleShareAcknowledgeRequest, SharePartitionManager.acknowledgeSessionUpdate
// and acknowledge): epoch 0 is INVALID_SHARE_SESSION_EPOCH (acknowledgements need a session), an
// unknown session SHARE_SESSION_NOT_FOUND, another epoch than the session's INVALID_SHARE_SESSION_EPOCH;
// -1 acknowledges, then releases what the member still holds and closes the session. Each
// partition's batches are accepted (1), released (2), rejected (3), renewed (4, v2, resetting the
// acquisition lock) or gaps (0) together, or fail together: records not acquired by this member
// under lock are INVALID_RECORD_STATE, malformed batches INVALID_REQUEST, unknown partitions
// UNKNOWN_TOPIC_OR_PARTITION (broker/share/share-partition.ts).

import { ShareAcknowledge } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';
import { acknowledgeAll, refusedShareRequest } from '../share/requests.js';
import { FINAL_EPOCH, ShareSessionError } from '../share/sessions.js';

// Kafka answers LeaderIdAndEpoch's zero values when the leader did not move.
const NO_LEADER = { leaderId: 0, leaderEpoch: 0 };

const handler = defineHandler({
  api: ShareAcknowledge,
  handle(req, ctx) {
    const share = ctx.broker.share;
    const groupId = req.groupId ?? '';
    const memberId = req.memberId ?? '';
    const lockMs = share.settings(groupId).lockDurationMs;
    const fail = refusedShareRequest;
    try {
      share.sessions.acknowledgeUpdate(groupId, memberId, req.shareSessionEpoch);
    } catch (e) {
      if (e instanceof ShareSessionError) return fail(e.errorCode);
      throw e;
    }
    const renewAllowed = ctx.apiVersion >= 2;
    const acks = acknowledgeAll(ctx, groupId, memberId, req.topics, { renewAllowed, isRenewAck: req.isRenewAck });
    if (req.shareSessionEpoch === FINAL_EPOCH) {
      share.sessions.remove(groupId, memberId);
      share.releaseMember(groupId, memberId);
    }
    return {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      acquisitionLockTimeoutMs: lockMs,
      responses: req.topics.map((t) => ({
        topicId: t.topicId,
        partitions: t.partitions.map((p) => {
          const r = acks.get(`${t.topicId}:${p.partitionIndex}`);
          return {
            partitionIndex: p.partitionIndex,
            errorCode: r?.errorCode ?? 0,
            errorMessage: r?.errorMessage ?? null,
            currentLeader: NO_LEADER,
          };
        }),
      })),
      nodeEndpoints: [],
    };
  },
});
export default handler;
