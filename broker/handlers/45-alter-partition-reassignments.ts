// AlterPartitionReassignments (key 45), v0-1.
//
// Behaviour: every partition of kafkalite has one replica, its leader (broker/leadership.ts),
// so a reassignment names the one node that should hold it, and completes at once: no
// reassignment is ever left in progress (ListPartitionReassignments stays empty). Checks per
// partition, in Kafka's order (ReplicationControlManager.changePartitionReassignment and
// validateManualPartitionAssignment), each with Kafka's error and message:
// - unknown topic: UNKNOWN_TOPIC_OR_PARTITION "Unable to find a topic named <t>."; unknown
//   partition: "Unable to find partition <t>:<p>.";
// - null replicas (cancel): NO_REASSIGNMENT_IN_PROGRESS, as none ever is;
// - an empty list, a broker that isn't a node of the cluster (walked in ascending id order) or
//   listed twice: INVALID_REPLICA_ASSIGNMENT;
// - v1 allow_replication_factor_change false (KIP-860) and a list of another length than the
//   current one: INVALID_REPLICATION_FACTOR "The replication factor is changed from 1 to <n>";
// - more than one replica (Kafka would add followers): INVALID_REPLICATION_FACTOR with a
//   message saying kafkalite keeps one replica per partition (a divergence; with a single node,
//   Kafka refuses such a list too, for naming an unregistered broker).
// A list naming the current leader changes nothing; another simulated node (startBroker({nodes}))
// takes the partition over at once: leader, replicas and ISR move there and the leader epoch
// goes up (Partition.changeLeader, as the test kit's moveLeader), as Kafka's would once the new
// replica caught up. A node that is down still takes it (the partition is then offline until the
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
  if (!allowRfChange && replicas.length !== 1) {
    return {
      errorCode: ErrorCode.INVALID_REPLICATION_FACTOR,
      errorMessage: `The replication factor is changed from 1 to ${replicas.length}`,
    };
  }
  if (replicas.length > 1) {
    return {
      errorCode: ErrorCode.INVALID_REPLICATION_FACTOR,
      errorMessage: `kafkalite keeps one replica per partition: the replication factor can't change from 1 to ${replicas.length}`,
    };
  }
  if (partition.leaderId !== replicas[0]) partition.changeLeader(replicas[0]!);
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
