// CreateTopics (key 19), v0-7.
//
// Behaviour (README §11.2): num_partitions / replication_factor -1 (v4+) take the broker
// defaults; replication factor above 1 gets INVALID_REPLICATION_FACTOR (one replica per
// partition here); manual replica assignments must name only live nodes, one per
// partition; configs are checked against Kafka's topic config names and values
// (INVALID_CONFIG); validate_only (v1+) checks without creating. v5+ returns the topic's
// partition count, replication factor and full config list; v7+ its id. Names are checked
// like Kafka (INVALID_TOPIC_EXCEPTION; '.'/'_' collisions) and duplicates in one request get
// INVALID_REQUEST.

import { ErrorCode } from '../../protocol/errors.js';
import { CreateTopics } from '../../protocol/messages/index.js';
import { ZERO_UUID } from '../../protocol/primitives.js';
import { RESOURCE_TOPIC } from '../configs.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api: CreateTopics,
  handle(req, ctx) {
    const counts = new Map<string, number>();
    for (const t of req.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
    return {
      throttleTimeMs: 0,
      topics: req.topics.map((t) => {
        const fail = (errorCode: number, errorMessage: string | null) => ({
          name: t.name,
          topicId: ZERO_UUID,
          errorCode,
          errorMessage,
          numPartitions: -1,
          replicationFactor: -1,
          configs: null,
        });
        if (counts.get(t.name)! > 1)
          return fail(ErrorCode.INVALID_REQUEST, `Create topics request from client contains multiple entries for topic ${t.name}`);
        let partitions = t.numPartitions;
        if (t.assignments.length > 0) {
          if (t.numPartitions !== -1 || t.replicationFactor !== -1) {
            return fail(
              ErrorCode.INVALID_REQUEST,
              'Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.',
            );
          }
          const bad = t.assignments.find(
            (a, i) => a.partitionIndex !== i || a.brokerIds.length !== 1 || !ctx.broker.cluster.node(a.brokerIds[0]!),
          );
          if (bad) return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `Invalid replica assignment for partition ${bad.partitionIndex}`);
          partitions = t.assignments.length;
        }
        const configs: Record<string, string | null> = {};
        for (const c of t.configs) configs[c.name] = c.value;
        const result = ctx.broker.topics.create(t.name, {
          partitions,
          replicationFactor: t.assignments.length > 0 ? 1 : t.replicationFactor,
          configs,
          validateOnly: req.validateOnly,
        });
        if (result.errorCode !== 0) return fail(result.errorCode, result.errorMessage);
        if (!req.validateOnly) ctx.broker.log.info({ topic: t.name, partitions: result.topic!.partitions.length }, 'created topic');
        const topic = result.topic;
        // v5+ lists the topic's configs as DescribeConfigs would (same values and sources).
        const described = topic ? ctx.broker.configs.describe(RESOURCE_TOPIC, topic.name, null, ctx.node.nodeId, false).configs : [];
        return {
          name: t.name,
          topicId: topic?.id ?? ZERO_UUID,
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
