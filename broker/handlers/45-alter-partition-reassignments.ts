// AlterPartitionReassignments (key 45), v0-1.
//
// Behaviour: a reassignment names the nodes that should hold the partition (simulated
// replication, broker/replication/) and completes at once: the new replicas are deemed caught up,
// so no reassignment is ever left in progress (ListPartitionReassignments stays empty). Checks per
// partition, in Kafka's order (ReplicationControlManager.changePartitionReassignment and
// validateManualPartitionAssignment), each with Kafka's error and message:
// - unknown topic: UNKNOWN_TOPIC_OR_PARTITION "Unable to find a topic named <t>."; unknown
//   partition: "Unable to find partition <t>:<p>.";
// - null replicas (cancel): NO_REASSIGNMENT_IN_PROGRESS, as none ever is;
// - an empty list, a broker that isn't a node of the cluster (walked in ascending id order) or
//   listed twice: INVALID_REPLICA_ASSIGNMENT;
// - v1 allow_replication_factor_change false (KIP-860) and a list of another length than the
//   current one: INVALID_REPLICATION_FACTOR "The replication factor is changed from <m> to <n>".
// A list naming the current replicas changes nothing; otherwise replicas and ISR become the list
// and, when the first node of the list does not lead already, it takes the partition over
// with the leader epoch bumped (Replication.reassign), as Kafka's would once the new replicas
// caught up. A node that is down still takes it (the partition is then offline until the
// node is up: Kafka would keep the reassignment in progress instead). Leaders are not persisted:
// after a restart partitions are placed again (broker/cluster.ts). No topics: error 0 with an
// empty error message (Kafka's answer). timeout_ms is unused.

import { ErrorCode, errorCodeByName } from '../../protocol/errors.js';
import { AlterPartitionReassignments } from '../../protocol/messages/index.js';
import type { BrokerCore } from '../core.js';
import { defineHandler } from '../handler.js';

const NO_REASSIGNMENT_IN_PROGRESS = errorCodeByName('NO_REASSIGNMENT_IN_PROGRESS')!;

type Outcome = { errorCode: number; errorMessage: string | null };
const OK: Outcome = { errorCode: 0, errorMessage: null };

function reassign(broker: BrokerCore, topicName: string, index: number, replicas: number[] | null, allowRfChange: boolean): Outcome {
  const topic = broker.topics.get(topicName);
  if (!topic) return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `Unable to find a topic named ${topicName}.` };
  const partition = topic.partitions[index];
  if (!partition)
    return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `Unable to find partition ${topicName}:${index}.` };
  if (replicas === null) return { errorCode: NO_REASSIGNMENT_IN_PROGRESS, errorMessage: null };
  const invalid = (why: string) => ({
    errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT,
    errorMessage: `The manual partition assignment ${why}`,
  });
  if (replicas.length === 0) return invalid('includes an empty replica list.');
  let prev: number | null = null;
  for (const id of [...replicas].sort((a, b) => a - b)) {
    if (!broker.cluster.node(id)) return invalid(`includes broker ${id}, but no such broker is registered.`);
    if (id === prev) return invalid(`includes the broker ${id} more than once.`);
    prev = id;
  }
  const current = partition.replicaSet.replicas.length;
  if (!allowRfChange && replicas.length !== current) {
    return {
      errorCode: ErrorCode.INVALID_REPLICATION_FACTOR,
      errorMessage: `The replication factor is changed from ${current} to ${replicas.length}`,
    };
  }
  broker.replication.reassign(partition, replicas);
  broker.topics.persist();
  return OK;
}

export default defineHandler({
  api: AlterPartitionReassignments,
  handle(req, ctx) {
    const allowReplicationFactorChange = ctx.apiVersion >= 1 ? req.allowReplicationFactorChange : true;
    const responses = req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({
        partitionIndex: p.partitionIndex,
        ...reassign(ctx.broker, t.name, p.partitionIndex, p.replicas, allowReplicationFactorChange),
      })),
    }));
    return {
      throttleTimeMs: 0,
      allowReplicationFactorChange,
      errorCode: 0,
      errorMessage: responses.length === 0 ? '' : null,
      responses,
    };
  },
});
