// CreatePartitions (key 37), v0-3.
//
// Behaviour (Kafka's ReplicationControlManager.createPartitions): grows a topic to `count`
// partitions. The same count gets INVALID_PARTITIONS "Topic already has N partition(s).", a
// smaller one INVALID_PARTITIONS "... would not be an increase."; unknown topic
// UNKNOWN_TOPIC_OR_PARTITION; a topic named twice INVALID_REQUEST for both. Manual
// assignments must give one list per new partition, each naming registered nodes once and as
// many as the topic's replication factor, not all of them down, else INVALID_REPLICA_ASSIGNMENT
// with Kafka's words (broker/topics.ts assignmentProblem); the first live node leads the
// partition. Without assignments, replicas come from the cluster's placement (as for new
// topics, broker/replication/placement.ts), INVALID_REPLICATION_FACTOR when too few nodes are up. New partitions open logs with the topic's settings and are persisted with the
// topic. validate_only (all versions) checks without creating. timeout_ms is not needed:
// the change is complete when the response is sent. A controller_mutation_rate quota takes
// one permit per new partition: THROTTLING_QUOTA_EXCEEDED from v3 once exceeded, below only a throttle.
// More than 10,000 partitions added by one request fail every topic with POLICY_VIOLATION and
// add nothing (Kafka's controller bound, broker/limits/controller-batch.ts).

import { ErrorCode } from '../../protocol/errors.js';
import { CreatePartitions } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';
import { MAX_PARTITIONS_PER_BATCH, TOO_MANY_ADDITIONAL_PARTITIONS, additionalPartitions } from '../limits/controller-batch.js';
import { Op, R, authorized } from '../security/authorizer/checks.js';
import { assignmentProblem } from '../topics.js';

export default defineHandler({
  api: CreatePartitions,
  handle(req, ctx) {
    const counts = new Map<string, number>();
    for (const t of req.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
    // What reaches the controller: names given once that the principal may alter.
    const sent = req.topics.filter((t) => counts.get(t.name) === 1 && authorized(ctx, Op.ALTER, R.TOPIC, t.name));
    if (additionalPartitions(sent, (name) => ctx.broker.topics.get(name)?.partitions.length) > MAX_PARTITIONS_PER_BATCH) {
      return {
        throttleTimeMs: 0,
        results: req.topics.map((t) => ({
          name: t.name,
          errorCode: ErrorCode.POLICY_VIOLATION,
          errorMessage: TOO_MANY_ADDITIONAL_PARTITIONS,
        })),
      };
    }
    return {
      throttleTimeMs: 0,
      results: req.topics.map((t) => {
        const done = (errorCode: number, errorMessage: string | null) => ({ name: t.name, errorCode, errorMessage });
        if (counts.get(t.name)! > 1) return done(ErrorCode.INVALID_REQUEST, 'Duplicate topic name.');
        if (!authorized(ctx, Op.ALTER, R.TOPIC, t.name)) return done(ErrorCode.TOPIC_AUTHORIZATION_FAILED, null);
        const assignments = t.assignments?.map((a) => a.brokerIds);
        // Counts first (as Kafka orders its checks), then the assignments themselves.
        const check = ctx.broker.topics.createPartitions(t.name, t.count, { assignments, validateOnly: true });
        if (check.errorCode !== 0) return done(check.errorCode, check.errorMessage);
        const before = check.topic!.partitions.length;
        const cluster = ctx.broker.cluster;
        const problem = assignments
          ? assignmentProblem(
              assignments,
              (id) => cluster.node(id) !== undefined,
              (id) => cluster.node(id)?.up ?? false,
              check.topic!.partitions[0]?.replicaSet.replicas.length ?? 1,
              before,
            )
          : null;
        if (problem) return done(ErrorCode.INVALID_REPLICA_ASSIGNMENT, problem);
        // The controller mutation quota: one permit per new partition, strict from v3 (KIP-599).
        if (!ctx.mutationQuota(3).record(t.count - before)) {
          return done(ErrorCode.THROTTLING_QUOTA_EXCEEDED, null);
        }
        if (req.validateOnly) return done(0, null);
        const result = ctx.broker.topics.createPartitions(t.name, t.count, { assignments });
        if (result.errorCode === 0) ctx.broker.log.info({ topic: t.name, from: before, to: t.count }, 'created partitions');
        return done(result.errorCode, result.errorMessage);
      }),
    };
  },
});
