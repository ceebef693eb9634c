// CreateTopics (key 19), v0-7.
//
// Behaviour (Kafka's ReplicationControlManager.createTopics, where the controller handles it):
// num_partitions / replication_factor -1 (v4+) take the broker
// defaults; replication factor above 1 gets INVALID_REPLICATION_FACTOR (one replica per
// partition here); manual replica assignments must name only live nodes, one per
// partition; configs are checked against Kafka's topic config names and values
// (INVALID_CONFIG); validate_only (v1+) checks without creating. v5+ returns the topic's
// partition count, replication factor and full config list; v7+ its id. Names are checked
// like Kafka (INVALID_TOPIC_EXCEPTION; '.'/'_' collisions) and duplicates in one request get
// INVALID_REQUEST. A controller_mutation_rate quota takes one permit per partition:
// THROTTLING_QUOTA_EXCEEDED from v6 once exceeded (strict), below v6 only a throttle (permissive).

import { ErrorCode } from '../../protocol/errors.js';
import { CreateTopics } from '../../protocol/messages/index.js';
import { ZERO_UUID } from '../../protocol/primitives.js';
import { RESOURCE_TOPIC } from '../configs.js';
import { defineHandler } from '../handler.js';
import { Op, R, authorized, createTopicDenied } from '../security/authorizer/checks.js';
import { newTopicId } from '../topics.js';

export default defineHandler({
  api: CreateTopics,
  handle(req, ctx) {
    const counts = new Map<string, number>();
    for (const t of req.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
    // A name given twice is answered once (Kafka's response is keyed by name).
    const once = req.topics.filter((t, i) => req.topics.findIndex((x) => x.name === t.name) === i);
    return {
      throttleTimeMs: 0,
      topics: once.map((t) => {
        const fail = (errorCode: number, errorMessage: string | null) => ({
          name: t.name,
          topicId: ZERO_UUID,
          errorCode,
          errorMessage,
          numPartitions: -1,
          replicationFactor: -1,
          configs: [],
        });
        if (counts.get(t.name)! > 1) return fail(ErrorCode.INVALID_REQUEST, 'Duplicate topic name.');
        if (createTopicDenied(ctx, t.name)) return fail(ErrorCode.TOPIC_AUTHORIZATION_FAILED, 'Authorization failed.');
        let partitions = t.numPartitions;
        if (t.assignments.length > 0) {
          // The controller's checks and words (ReplicationControlManager.createTopic).
          if (t.numPartitions !== -1) {
            return fail(ErrorCode.INVALID_REQUEST, 'A manual partition assignment was specified, but numPartitions was not set to -1.');
          }
          if (t.replicationFactor !== -1) {
            return fail(ErrorCode.INVALID_REQUEST, 'A manual partition assignment was specified, but replicationFactor was not set to -1.');
          }
          const problem = assignmentProblem(t.assignments, (id) => ctx.broker.cluster.node(id) !== undefined);
          if (problem) return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, problem);
          partitions = t.assignments.length;
        }
        const configs: Record<string, string | null> = {};
        for (const c of t.configs) configs[c.name] = c.value;
        const spec = { partitions, replicationFactor: t.assignments.length > 0 ? 1 : t.replicationFactor, configs };
        // The controller mutation quota is taken once the topic is valid (strict from v6, KIP-599).
        const checked = ctx.broker.topics.create(t.name, { ...spec, validateOnly: true });
        if (checked.errorCode !== 0) return fail(checked.errorCode, checked.errorMessage);
        if (!ctx.mutationQuota(6).record(partitions === -1 ? ctx.broker.config.int('num.partitions') : partitions)) {
          return fail(ErrorCode.THROTTLING_QUOTA_EXCEEDED, null);
        }
        const result = req.validateOnly ? checked : ctx.broker.topics.create(t.name, spec);
        if (result.errorCode !== 0) return fail(result.errorCode, result.errorMessage);
        if (!req.validateOnly) ctx.broker.log.info({ topic: t.name, partitions: result.topic!.partitions.length }, 'created topic');
        const topic = result.topic;
        // v5+ lists the topic's configs as DescribeConfigs would (same values and sources); a
        // validate-only create lists the configs it would have, under an id it would get.
        const described = topic
          ? ctx.broker.configs.describe(RESOURCE_TOPIC, topic.name, null, ctx.node.nodeId, false).configs
          : ctx.broker.configs.describeNewTopic(configs as Record<string, string>, ctx.node.nodeId);
        // Without DescribeConfigs on the topic its figures and configs are withheld (ReplicationControlManager).
        if (!authorized(ctx, Op.DESCRIBE_CONFIGS, R.TOPIC, t.name)) {
          const hidden = { ...fail(0, null), topicId: topic?.id ?? newTopicId() };
          return { ...hidden, topicConfigErrorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED };
        }
        return {
          name: t.name,
          topicId: topic?.id ?? newTopicId(),
          errorCode: 0,
          errorMessage: null,
          numPartitions: topic ? topic.partitions.length : partitions === -1 ? ctx.broker.config.int('num.partitions') : partitions,
          replicationFactor: 1,
          configs: described.map((c) => ({
            name: c.name,
            value: c.value,
            readOnly: c.readOnly,
            configSource: c.configSource,
            isSensitive: c.isSensitive,
          })),
        };
      }),
    };
  },
});

/** Kafka's words for a manual assignment it refuses, or null (one replica per partition here). */
function assignmentProblem(
  assignments: ReadonlyArray<{ partitionIndex: number; brokerIds: number[] }>,
  known: (id: number) => boolean,
): string | null {
  for (const [i, a] of assignments.entries()) {
    if (a.partitionIndex !== i) return 'partitions should be a consecutive 0-based integer sequence';
    if (a.brokerIds.length === 0) return 'The manual partition assignment includes an empty replica list.';
    const seen = new Set<number>();
    for (const id of a.brokerIds) {
      if (seen.has(id)) return `The manual partition assignment includes the broker ${id} more than once.`;
      seen.add(id);
      if (!known(id)) return `The manual partition assignment includes broker ${id}, but no such broker is registered.`;
    }
    if (a.brokerIds.length > 1)
      return `The manual partition assignment for partition ${i} has ${a.brokerIds.length} replicas; kafkalite keeps one.`;
  }
  return null;
}
