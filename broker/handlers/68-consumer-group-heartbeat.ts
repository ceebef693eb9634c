// ConsumerGroupHeartbeat (key 68), v0-1.
//
// Behaviour (README §9.8, broker/groups/consumer-group-heartbeat.ts): the KIP-848 consumer
// group protocol. Epoch 0 joins (needs rebalance_timeout_ms, subscribed_topic_names or
// subscribed_topic_regex, and an empty topic_partitions, else INVALID_REQUEST; v0: the broker
// makes a uuid member id when it is empty; v1, KIP-1082: the client makes it, an empty one is
// INVALID_REQUEST "MemberId can't be empty."). v1's subscribed_topic_regex (null: unchanged,
// "": none) subscribes to every non-internal topic whose whole name matches, with RE2/J's
// syntax (broker/groups/topic-regex.ts; one that doesn't compile: INVALID_REGULAR_EXPRESSION
// with RE2/J's description, as Kafka words it). Kafka resolves regexes in the background; here
// they are resolved on each heartbeat, so topics created later join on the next one. epoch > 0 heartbeats (null/-1 fields: unchanged), -1 leaves, -2 is a static
// member leaving for now (its instance id and partitions stay reserved until it rejoins or its
// session times out). The group epoch goes up when members join or leave or change their
// subscription or assignor, and when the subscribed topics change (created, deleted, more
// partitions: seen on the next heartbeat); the target assignment is then computed by the
// server assignor (`uniform` default, `range`; others UNSUPPORTED_ASSIGNOR). Members revoke
// before they are assigned (UNREVOKED_PARTITIONS, UNRELEASED_PARTITIONS, STABLE). The
// assignment (topic ids) is in the answer when it changed, on a join, or when the request
// carried topic_partitions. Errors: NOT_COORDINATOR, GROUP_ID_NOT_FOUND (unknown group for
// epoch != 0, or a non-empty classic group: an empty classic group becomes a consumer group
// and keeps its offsets), UNKNOWN_MEMBER_ID, FENCED_MEMBER_EPOCH, FENCED_INSTANCE_ID,
// UNRELEASED_INSTANCE_ID, GROUP_MAX_SIZE_REACHED (group.consumer.max.size). Timers on the
// broker clock: group.consumer.session.timeout.ms (45 s) and each member's rebalance timeout
// while it holds partitions to revoke; heartbeat_interval_ms is
// group.consumer.heartbeat.interval.ms (5 s). Classic JoinGroup to a non-empty consumer group
// gets INCONSISTENT_GROUP_PROTOCOL; to an empty one, the group becomes classic (no migration
// of live members between protocols, unlike Kafka's `bidirectional` policy).

import { ConsumerGroupHeartbeat } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api: ConsumerGroupHeartbeat,
  handle(req, ctx) {
    const res = ctx.broker.groups.consumerGroupHeartbeat(
      {
        groupId: req.groupId,
        memberId: req.memberId,
        memberEpoch: req.memberEpoch,
        instanceId: req.instanceId,
        rackId: req.rackId,
        rebalanceTimeoutMs: req.rebalanceTimeoutMs,
        subscribedTopicNames: req.subscribedTopicNames,
        subscribedTopicRegex: ctx.apiVersion >= 1 ? req.subscribedTopicRegex : null,
        serverAssignor: req.serverAssignor,
        topicPartitions: req.topicPartitions,
        clientMemberId: ctx.apiVersion >= 1,
        clientId: ctx.header.clientId ?? '',
        clientHost: `/${ctx.connection.remoteAddress}`,
      },
      ctx.node.nodeId,
    );
    return { throttleTimeMs: 0, ...res };
  },
});
