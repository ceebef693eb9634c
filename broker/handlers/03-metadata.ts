// Metadata (key 3), v0-13.
//
// Behaviour (Kafka's KafkaApis.handleTopicMetadataRequest):
// lists every live node (a test kit node that is down is left out and
// the partitions it leads are reported offline: LEADER_NOT_AVAILABLE, leader -1), the cluster id (v2+) and controller (v1+),
// and for each topic its id (v10+), internal flag (v1+) and partitions with leader, leader
// epoch (v7+), replicas and ISR. v0: an empty topic list means all topics; v1+: null means
// all, empty means none; v10+ may name topics by id (unknown id: UNKNOWN_TOPIC_ID, listed
// before the others as Kafka's KafkaApis does). v13's top-level error code (KIP-1102) is
// NONE: a single node never asks its clients to rebootstrap.
// Topics that don't exist are created when auto.create.topics.enable is on and the request
// allows it (v4+ flag; always for v0-3), with num.partitions partitions; an illegal name
// gets INVALID_TOPIC_EXCEPTION.
//
// Differences from Kafka: an auto-created topic is ready at once, so it is returned in full
// rather than with LEADER_NOT_AVAILABLE first; clients skip a retry.

import { ErrorCode } from '../../protocol/errors.js';
import { Metadata } from '../../protocol/messages/index.js';
import { ZERO_UUID } from '../../protocol/primitives.js';
import { AUTHORIZED_OPS_NOT_REQUESTED, CLUSTER_OPERATIONS, TOPIC_OPERATIONS, authorizedOperations } from '../authorized-operations.js';
import { defineHandler } from '../handler.js';
import { advertisedAddress } from '../security/listeners.js';
import { invalidTopicName, type Topic } from '../topics.js';

export default defineHandler({
  api: Metadata,
  handle(req, ctx) {
    const v = ctx.apiVersion;
    const broker = ctx.broker;
    const all = req.topics === null || (v === 0 && req.topics.length === 0);
    const allowCreate = v < 4 || req.allowAutoTopicCreation;

    const describe = (topic: Topic) => ({
      errorCode: 0,
      name: topic.name,
      topicId: topic.id,
      isInternal: topic.internal,
      partitions: topic.partitions.map((p) => {
        // A leader on a node that is down (test kit, no failover): offline, as Kafka reports a
        // partition whose only replica is gone.
        const offline = !broker.cluster.node(p.leaderId)?.up;
        return {
          errorCode: offline ? ErrorCode.LEADER_NOT_AVAILABLE : 0,
          partitionIndex: p.index,
          leaderId: offline ? -1 : p.leaderId,
          leaderEpoch: p.leaderEpoch,
          replicaNodes: [p.leaderId],
          isrNodes: offline ? [] : [p.leaderId],
          offlineReplicas: offline ? [p.leaderId] : [],
        };
      }),
      topicAuthorizedOperations: authorizedOperations(v >= 8 && req.includeTopicAuthorizedOperations, TOPIC_OPERATIONS),
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
    if (all) {
      topics = [...broker.topics.all()].map(describe);
    } else {
      topics = req.topics!.map((t) => {
        if (t.name === null || (v >= 10 && t.topicId !== ZERO_UUID)) {
          const byId = broker.topics.getById(t.topicId);
          return byId ? describe(byId) : missing(null, t.topicId, ErrorCode.UNKNOWN_TOPIC_ID);
        }
        const existing = broker.topics.get(t.name);
        if (existing) return describe(existing);
        if (invalidTopicName(t.name)) return missing(t.name, ZERO_UUID, ErrorCode.INVALID_TOPIC_EXCEPTION);
        if (allowCreate) {
          const created = broker.autoCreate(t.name);
          if (created?.topic) return describe(created.topic);
          if (created) return missing(t.name, ZERO_UUID, created.errorCode);
        }
        return missing(t.name, ZERO_UUID, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
      });
      const unknownIds = topics.filter((t) => t.errorCode === ErrorCode.UNKNOWN_TOPIC_ID);
      if (unknownIds.length > 0) topics = [...unknownIds, ...topics.filter((t) => t.errorCode !== ErrorCode.UNKNOWN_TOPIC_ID)];
    }

    return {
      throttleTimeMs: 0,
      brokers: broker.cluster.liveNodes().map((n) => ({ nodeId: n.nodeId, ...advertisedAddress(n, ctx.connection), rack: n.rack })),
      clusterId: broker.cluster.clusterId,
      controllerId: broker.cluster.controllerId,
      topics,
      clusterAuthorizedOperations: authorizedOperations(v >= 8 && req.includeClusterAuthorizedOperations, CLUSTER_OPERATIONS),
      errorCode: ErrorCode.NONE,
    };
  },
});
