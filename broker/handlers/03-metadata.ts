// Metadata (key 3), v0-13.
//
// Behaviour (Kafka's KafkaApis.handleTopicMetadataRequest):
// lists every live node (a test kit node that is down is left out and
// the partitions it leads are reported offline: LEADER_NOT_AVAILABLE, leader -1), the cluster id (v2+) and controller (v1+),
// and for each topic its id (v10+), internal flag (v1+) and partitions with leader, leader
// epoch (v7+), replicas, ISR and offline replicas (v5+) of the simulated replication
// (broker/replication/). v0: an empty topic list means all topics; v1+: null means
// all, empty means none; v10+ may name topics by id (unknown id: UNKNOWN_TOPIC_ID, listed
// before the others as Kafka's KafkaApis does). v13's top-level error code (KIP-1102) is
// NONE: a single node never asks its clients to rebootstrap.
// Topics that don't exist are created when auto.create.topics.enable is on and the request
// allows it (v4+ flag; always for v0-3), with num.partitions partitions; an illegal name
// gets INVALID_TOPIC_EXCEPTION.
//
// With an authorizer (broker/security/authorizer/checks.ts): topics the caller may not Describe
// are left out of the all-topics list and answered TOPIC_AUTHORIZATION_FAILED when named (by id
// too, without the name); auto-creation needs Create on the cluster or the topic; authorized
// operations (KIP-430) come from the authorizer.
// A null name or a topic id where the version does not allow it: Kafka's error response
// (broker/metadata-topic-ids.ts).
//
// Partitions whose log an I/O error took offline (storage/log-dir-failure.ts) answer
// LEADER_NOT_AVAILABLE with leader -1, their ISR and every replica offline, as Kafka's metadata
// cache shows a partition whose replica's directory is offline after the controller's
// handleDirectoriesOffline (broker/replication/view.ts says why).
//
// Differences from Kafka: a broker whose only log directory failed halts in Kafka
// (LogDirFailureHandler), so its clients lose it; in process kafkalite keeps answering, with the
// offline partitions above (broker.failed reports the failure). An auto-created topic is ready at once, so it is returned in full
// rather than with LEADER_NOT_AVAILABLE first; clients skip a retry.

import { ErrorCode } from '../../protocol/errors.js';
import { Metadata } from '../../protocol/messages/index.js';
import { ZERO_UUID } from '../../protocol/primitives.js';
import { AUTHORIZED_OPS_NOT_REQUESTED, authorizedOperations } from '../authorized-operations.js';
import { CLUSTER_NAME } from '../security/authorizer/acl.js';
import { Op, R, authorized, authorizedOperationBits, clusterAuthorized, metadataDenial } from '../security/authorizer/checks.js';
import { defineHandler } from '../handler.js';
import { replicaView } from '../replication/view.js';
import { metadataTopicIdError, topicsToAnswer } from '../metadata-topic-ids.js';
import { advertisedAddress } from '../security/listeners.js';
import { invalidTopicName, type Topic } from '../topics.js';

export default defineHandler({
  api: Metadata,
  handle(req, ctx) {
    const v = ctx.apiVersion;
    const broker = ctx.broker;
    const refused = metadataTopicIdError(req.topics, v);
    if (refused) return refused;
    const all = req.topics === null || (v === 0 && req.topics.length === 0);
    const allowCreate = v < 4 || req.allowAutoTopicCreation;

    const describe = (topic: Topic) => ({
      errorCode: 0,
      name: topic.name,
      topicId: topic.id,
      isInternal: topic.internal,
      partitions: topic.partitions.map((p) => {
        // A leader on a node that is down (test kit): offline, LEADER_NOT_AVAILABLE and leader -1,
        // as Kafka reports a partition no live replica leads (broker/replication/view.ts).
        const view = replicaView(p, broker.cluster);
        return { ...view, partitionIndex: p.index, leaderEpoch: p.leaderEpoch };
      }),
      topicAuthorizedOperations: authorizedOperations(
        v >= 8 && req.includeTopicAuthorizedOperations,
        authorizedOperationBits(ctx, R.TOPIC, topic.name),
      ),
    });
    const missing = (name: string | null, id: string, errorCode: number) => ({
      errorCode,
      name,
      topicId: id,
      isInternal: false,
      partitions: [],
      topicAuthorizedOperations: AUTHORIZED_OPS_NOT_REQUESTED,
    });

    let topics: Array<ReturnType<typeof describe> | ReturnType<typeof missing>>;
    const deniedRank = new Map<object, number>();
    const denied = <T extends object>(t: T, rank: number): T => {
      deniedRank.set(t, rank);
      return t;
    };
    if (all) {
      topics = [...broker.topics.all()].filter((t) => authorized(ctx, Op.DESCRIBE, R.TOPIC, t.name)).map(describe);
    } else {
      topics = topicsToAnswer(req.topics!).map((t) => {
        if (t.name === null || (v >= 10 && t.topicId !== ZERO_UUID)) {
          const byId = broker.topics.getById(t.topicId);
          if (byId && !authorized(ctx, Op.DESCRIBE, R.TOPIC, byId.name))
            return denied(missing(null, t.topicId, ErrorCode.TOPIC_AUTHORIZATION_FAILED), 2);
          return byId ? describe(byId) : missing(null, t.topicId, ErrorCode.UNKNOWN_TOPIC_ID);
        }
        const existing = broker.topics.get(t.name);
        const denial = metadataDenial(ctx, t.name, !!existing, allowCreate && broker.config.bool('auto.create.topics.enable'));
        if (denial) return denied(missing(t.name, ZERO_UUID, ErrorCode.TOPIC_AUTHORIZATION_FAILED), denial === 'create' ? 1 : 2);
        if (existing) return describe(existing);
        if (invalidTopicName(t.name)) return missing(t.name, ZERO_UUID, ErrorCode.INVALID_TOPIC_EXCEPTION);
        if (allowCreate) {
          const created = broker.autoCreate(t.name);
          if (created?.topic) return describe(created.topic);
          if (created) return missing(t.name, ZERO_UUID, created.errorCode);
        }
        return missing(t.name, ZERO_UUID, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
      });
      // Kafka's order: unknown ids, the topics answered, those refused Create, those refused Describe.
      const rank = (t: (typeof topics)[number]) => (t.errorCode === ErrorCode.UNKNOWN_TOPIC_ID ? -1 : (deniedRank.get(t) ?? 0));
      topics = topics
        .map((t, i) => [t, i] as const)
        .sort(([a, i], [b, j]) => rank(a) - rank(b) || i - j)
        .map(([t]) => t);
    }

    return {
      throttleTimeMs: 0,
      brokers: broker.cluster.liveNodes().map((n) => ({ nodeId: n.nodeId, ...advertisedAddress(n, ctx.connection), rack: n.rack })),
      clusterId: broker.cluster.clusterId,
      controllerId: broker.cluster.controllerId,
      topics,
      // v8-10: 0 without Describe on the cluster.
      clusterAuthorizedOperations: authorizedOperations(
        v >= 8 && req.includeClusterAuthorizedOperations,
        clusterAuthorized(ctx, Op.DESCRIBE) ? authorizedOperationBits(ctx, R.CLUSTER, CLUSTER_NAME) : 0,
      ),
      errorCode: ErrorCode.NONE,
    };
  },
});
