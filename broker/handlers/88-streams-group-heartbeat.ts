// StreamsGroupHeartbeat (key 88), v0-1 (v1: acceptable_recovery_lag as int64 and
// topology_description_required, which kafkalite never sets: it keeps no topology descriptions).
//
// Behaviour (Kafka's GroupMetadataManager.streamsGroupHeartbeat, here in
// broker/groups/streams/heartbeat.ts): the KIP-1071 streams group protocol. Epoch 0 joins with
// the member's topology (the first member sets the group's; a later member with an older epoch
// gets STREAMS_INVALID_TOPOLOGY_EPOCH, a newer one "Topology updates are not supported yet."),
// epoch > 0 heartbeats (null fields: unchanged), -1 leaves, -2 is a static member leaving for
// now. Member ids are the client's (empty: INVALID_REQUEST). The topology is checked against the
// topics on every heartbeat: MISSING_SOURCE_TOPICS, MISSING_INTERNAL_TOPICS (the broker then
// creates the repartition and changelog topics, as Kafka's InternalTopicManager asks),
// INCORRECTLY_PARTITIONED_TOPICS come back as statuses; a topology that can never work is
// STREAMS_INVALID_TOPOLOGY. Tasks (subtopology x partition) are assigned by the sticky
// assignor (active, group.streams.num.standby.replicas standbys), revoked before they move.
// The first assignment of a new group waits group.streams.initial.rebalance.delay.ms
// (ASSIGNMENT_DELAYED). Errors: NOT_COORDINATOR, INVALID_REQUEST (Kafka's messages),
// GROUP_ID_NOT_FOUND, UNKNOWN_MEMBER_ID, FENCED_MEMBER_EPOCH, UNRELEASED_INSTANCE_ID,
// FENCED_INSTANCE_ID, GROUP_MAX_SIZE_REACHED (group.streams.max.size). Timers on the broker
// clock: group.streams.session.timeout.ms and the member's rebalance timeout while it holds
// tasks to revoke; heartbeat_interval_ms is group.streams.heartbeat.interval.ms. The
// endpoint-to-partitions map (interactive queries) is sent when the member's
// endpoint_information_epoch is behind the group's.

import { StreamsGroupHeartbeat } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api: StreamsGroupHeartbeat,
  handle(req, ctx) {
    const res = ctx.broker.groups.streamsGroupHeartbeat(
      { ...req, apiVersion: ctx.apiVersion, clientId: ctx.header.clientId ?? '', clientHost: `/${ctx.connection.remoteAddress}` },
      ctx.node.nodeId,
    );
    return { throttleTimeMs: 0, ...res };
  },
});
