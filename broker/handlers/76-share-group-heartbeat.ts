// ShareGroupHeartbeat (key 76), v1 (the version Kafka 4.4 serves: KIP-932 as released).
//
// Behaviour (Kafka's GroupMetadataManager.shareGroupHeartbeat, here in
// broker/groups/share/heartbeat.ts): epoch 0 joins with the member id the client generated
// (a Uuid string; empty is INVALID_REQUEST) and a non-empty subscribed_topic_names, epoch > 0
// heartbeats (null fields: unchanged), -1 leaves. The group epoch goes up when a member joins,
// leaves or changes its subscription, and when the subscribed topics' metadata changes (created,
// deleted, more partitions: seen on the next heartbeat); the target assignment is then computed
// by the share assignor (`simple`, broker/groups/share/assignor.ts: several members may read one
// partition). A member takes its target at once (no revocation in share groups), so its epoch is
// the assignment epoch. The assignment is in the answer on a join (epoch 0) and when it changed.
// Errors: INVALID_REQUEST (Kafka's messages), NOT_COORDINATOR, GROUP_ID_NOT_FOUND (unknown
// group for epoch != 0, "Group X is not a share group." for a group of another type),
// UNKNOWN_MEMBER_ID, FENCED_MEMBER_EPOCH (Kafka's greater/smaller epoch messages),
// GROUP_MAX_SIZE_REACHED (group.share.max.size). Timers on the broker clock: the group's
// share.session.timeout.ms (a GROUP config, else group.share.session.timeout.ms, 45 s);
// heartbeat_interval_ms is share.heartbeat.interval.ms (else group.share.heartbeat.interval.ms,
// 5 s). With share.version 0 finalized every heartbeat gets UNSUPPORTED_VERSION, as Kafka's
// KafkaApis answers when share groups are off.
//
// Share-partitions are assigned once their state is initialized, as in Kafka: a join records the
// subscribed partitions as initializing (ShareGroupStatePartitionMetadata) and gets an empty
// assignment; the initialization (Kafka: an InitializeShareGroupState round trip to the share
// coordinator; kafkalite: at once, after the join's records) bumps the group epoch, and the next
// heartbeat after share.assignment.interval.ms (1 s) since the last assignment gets the partitions.
// The assignment is recomputed at most once per share.assignment.interval.ms.
//
// Difference from Kafka: which partitions each member gets among equally balanced splits
// (docs/DIVERGENCES.md SG1).

import { ErrorCode } from '../../protocol/errors.js';
import { ShareGroupHeartbeat } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api: ShareGroupHeartbeat,
  handle(req, ctx) {
    if (ctx.broker.features.level('share.version') < 1) {
      const errorCode = ErrorCode.UNSUPPORTED_VERSION;
      return { throttleTimeMs: 0, errorCode, errorMessage: null, memberId: null, memberEpoch: 0, heartbeatIntervalMs: 0, assignment: null };
    }
    const res = ctx.broker.groups.shareGroupHeartbeat(
      {
        groupId: req.groupId,
        memberId: req.memberId,
        memberEpoch: req.memberEpoch,
        rackId: req.rackId,
        subscribedTopicNames: req.subscribedTopicNames,
        clientId: ctx.header.clientId ?? '',
        clientHost: `/${ctx.connection.remoteAddress}`,
      },
      ctx.node.nodeId,
    );
    return { throttleTimeMs: 0, ...res };
  },
});
