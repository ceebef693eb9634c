// ConsumerGroupHeartbeat (key 68), v0-1 (v1: subscribed_topic_regex, as Kafka 4.x serves it).
//
// Behaviour (Kafka's GroupMetadataManager.consumerGroupHeartbeat, here in
// broker/groups/consumer-group-heartbeat.ts): the KIP-848 consumer
// group protocol. Epoch 0 joins (the broker makes a uuid member id when it is empty; needs
// rebalance_timeout_ms, subscribed_topic_names and an empty topic_partitions, else
// INVALID_REQUEST), epoch > 0 heartbeats (null/-1 fields: unchanged), -1 leaves, -2 is a static
// member leaving for now (its instance id and partitions stay reserved until it rejoins or its
// session times out). The group epoch goes up when members join or leave or change their
// subscription or assignor, and when the subscribed topics change (created, deleted, more
// partitions: seen on the next heartbeat); the target assignment is then computed by the
// server assignor (`uniform` default, `range`; others UNSUPPORTED_ASSIGNOR). Members revoke
// before they are assigned (UNREVOKED_PARTITIONS, UNRELEASED_PARTITIONS, STABLE). The
// assignment (topic ids) is in the answer when it changed, on a join, or when the request
// carried topic_partitions. Errors: NOT_COORDINATOR, GROUP_ID_NOT_FOUND (unknown group for
// epoch != 0, a group of another type, or a classic group with members that
// group.consumer.migration.policy or its protocol type keeps from being upgraded, with Kafka's
// validateOnlineUpgrade message: broker/groups/migration.ts), UNKNOWN_MEMBER_ID,
// FENCED_MEMBER_EPOCH, FENCED_INSTANCE_ID, UNRELEASED_INSTANCE_ID, GROUP_MAX_SIZE_REACHED
// (group.consumer.max.size). Timers on the broker clock: the group's consumer.session.timeout.ms
// (a GROUP config, else the broker's group.consumer.session.timeout.ms, 45 s;
// broker/groups/group-configs.ts) and each member's rebalance timeout while it holds partitions
// to revoke; heartbeat_interval_ms is the group's consumer.heartbeat.interval.ms (else
// group.consumer.heartbeat.interval.ms, 5 s). With group.version 0 finalized (UpdateFeatures,
// broker/features.ts) KIP-848 is off: every heartbeat gets UNSUPPORTED_VERSION with no message,
// as Kafka's KafkaApis answers then.
//
// Online migration (KIP-848, default policy bidirectional): an empty classic group becomes a
// consumer group and keeps its offsets; one with members is converted (Kafka's
// convertToConsumerGroup: its members keep their assignment at the classic generation) and the
// joining member triggers a rebalance. Classic members of a consumer group are served by
// broker/groups/consumer-group-classic.ts; the last member leaving with -1 (or fenced) when the
// others are classic turns the group back into a classic one (convertToClassicGroup), as does a
// classic static member taking over its instance id (without a rebalance).
//
// Difference from Kafka: Kafka 4.4 computes the target assignment at most every
// group.consumer.assignment.interval.ms (1 s), kafkalite at once.

import { ErrorCode } from '../../protocol/errors.js';
import { ConsumerGroupHeartbeat } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api: ConsumerGroupHeartbeat,
  handle(req, ctx) {
    if (ctx.broker.features.level('group.version') < 1) {
      const errorCode = ErrorCode.UNSUPPORTED_VERSION;
      return { throttleTimeMs: 0, errorCode, errorMessage: null, memberId: null, memberEpoch: 0, heartbeatIntervalMs: 0, assignment: null };
    }
    const res = ctx.broker.groups.consumerGroupHeartbeat(
      {
        apiVersion: ctx.apiVersion,
        groupId: req.groupId,
        memberId: req.memberId,
        memberEpoch: req.memberEpoch,
        instanceId: req.instanceId,
        rackId: req.rackId,
        rebalanceTimeoutMs: req.rebalanceTimeoutMs,
        subscribedTopicNames: req.subscribedTopicNames,
        subscribedTopicRegex: req.subscribedTopicRegex ?? null,
        serverAssignor: req.serverAssignor,
        topicPartitions: req.topicPartitions,
        clientId: ctx.header.clientId ?? '',
        clientHost: `/${ctx.connection.remoteAddress}`,
      },
      ctx.node.nodeId,
    );
    return { throttleTimeMs: 0, ...res };
  },
});
