// CreateTopics (key 19), v0-7.
//
// Behaviour (Kafka's ReplicationControlManager.createTopics, where the controller handles it):
// num_partitions / replication_factor -1 (v4+) take the broker
// defaults (num.partitions, default.replication.factor); a replication factor above the live
// simulated nodes gets INVALID_REPLICATION_FACTOR with Kafka's message, else the replicas are
// striped over the nodes (broker/replication/placement.ts); manual replica assignments must
// name registered nodes, once each, the same number per partition, not all down
// (INVALID_REPLICA_ASSIGNMENT, broker/topics.ts assignmentProblem); configs are checked against Kafka's topic config names and values
// (INVALID_CONFIG); validate_only (v1+) checks without creating. v5+ returns the topic's
// partition count, replication factor and full config list; v7+ its id. Names are checked
// like Kafka (INVALID_TOPIC_EXCEPTION; '.'/'_' collisions) and duplicates in one request get
// INVALID_REQUEST. A controller_mutation_rate quota takes one permit per partition:
// THROTTLING_QUOTA_EXCEEDED from v6 once exceeded (strict), below v6 only a throttle (permissive).
// The controller's bounds on one request (broker/limits/controller-batch.ts): more than 10,000
// partitions asked for, or more than 10,000 metadata records to write, fail every topic with
// POLICY_VIOLATION and create nothing, so topics are created only once the whole request is checked.

import { ErrorCode } from '../../protocol/errors.js';
import { CreateTopics } from '../../protocol/messages/index.js';
import { ZERO_UUID } from '../../protocol/primitives.js';
import { RESOURCE_TOPIC } from '../configs.js';
import { defineHandler } from '../handler.js';
import {
  BATCH_TOO_LARGE,
  MAX_PARTITIONS_PER_BATCH,
  MAX_RECORDS_PER_USER_OP,
  TOO_MANY_PARTITIONS,
  requestedPartitions,
  topicRecords,
} from '../limits/controller-batch.js';
import { Op, R, authorized, createTopicDenied } from '../security/authorizer/checks.js';
import { assignmentProblem, newTopicId } from '../topics.js';

export default defineHandler({
  api: CreateTopics,
  handle(req, ctx) {
    const counts = new Map<string, number>();
    for (const t of req.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
    // A name given twice is answered once (Kafka's response is keyed by name).
    const once = req.topics.filter((t, i) => req.topics.findIndex((x) => x.name === t.name) === i);
    const failed = (name: string, errorCode: number, errorMessage: string | null) => ({
      name,
      topicId: ZERO_UUID,
      errorCode,
      errorMessage,
      numPartitions: -1,
      replicationFactor: -1,
      configs: [],
    });
    // What reaches the controller: names given once that the principal may create. When the
    // controller fails the request, every topic of it is answered, a name given twice twice
    // (CreateTopicsRequest.getErrorResponse).
    const sent = once.filter((t) => counts.get(t.name) === 1 && !createTopicDenied(ctx, t.name));
    if (requestedPartitions(sent, ctx.broker.config.int('num.partitions')) > MAX_PARTITIONS_PER_BATCH) {
      return { throttleTimeMs: 0, topics: req.topics.map((t) => failed(t.name, ErrorCode.POLICY_VIOLATION, TOO_MANY_PARTITIONS)) };
    }
    // Records this request would write (Kafka's BoundedList): counted as topics pass their checks.
    let records = 0;
    const results = once.map((t) => {
      const fail = (errorCode: number, errorMessage: string | null) => failed(t.name, errorCode, errorMessage);
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
        for (const [i, a] of t.assignments.entries()) {
          if (a.partitionIndex !== i)
            return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, 'partitions should be a consecutive 0-based integer sequence');
        }
        const cluster = ctx.broker.cluster;
        const problem = assignmentProblem(
          t.assignments.map((a) => a.brokerIds),
          (id) => cluster.node(id) !== undefined,
          (id) => cluster.node(id)?.up ?? false,
          null,
        );
        if (problem) return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, problem);
        partitions = t.assignments.length;
      }
      const configs: Record<string, string | null> = {};
      for (const c of t.configs) configs[c.name] = c.value;
      const assignments = t.assignments.length > 0 ? t.assignments.map((a) => a.brokerIds) : undefined;
      const spec = { partitions, replicationFactor: t.replicationFactor, assignments, configs };
      // The controller mutation quota is taken once the topic is valid (strict from v6, KIP-599).
      const checked = ctx.broker.topics.create(t.name, { ...spec, validateOnly: true });
      if (checked.errorCode !== 0) return fail(checked.errorCode, checked.errorMessage);
      if (!ctx.mutationQuota(6).record(partitions === -1 ? ctx.broker.config.int('num.partitions') : partitions)) {
        return fail(ErrorCode.THROTTLING_QUOTA_EXCEEDED, null);
      }
      records += topicRecords(partitions === -1 ? ctx.broker.config.int('num.partitions') : partitions, Object.keys(configs).length);
      // Created once the whole request has passed (below).
      return () => {
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
          replicationFactor: topic
            ? topic.partitions[0]!.replicaSet.replicas.length
            : (assignments?.[0]?.length ??
              (t.replicationFactor === -1 ? ctx.broker.config.int('default.replication.factor') : t.replicationFactor)),
          configs: described.map((c) => ({
            name: c.name,
            value: c.value,
            readOnly: c.readOnly,
            configSource: c.configSource,
            isSensitive: c.isSensitive,
          })),
        };
      };
    });
    if (records > MAX_RECORDS_PER_USER_OP) {
      return { throttleTimeMs: 0, topics: req.topics.map((t) => failed(t.name, ErrorCode.POLICY_VIOLATION, BATCH_TOO_LARGE)) };
    }
    return { throttleTimeMs: 0, topics: results.map((r) => (typeof r === 'function' ? r() : r)) };
  },
});
