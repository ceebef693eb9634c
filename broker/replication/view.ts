// A partition's replicas as Metadata and DescribeTopicPartitions show them (Kafka's
// KRaftMetadataCache.getPartitionMetadata): the leader, or -1 with LEADER_NOT_AVAILABLE when
// its node is down; the assigned replicas; the ISR; the replicas whose nodes are down.

import { ErrorCode } from '../../protocol/errors.js';
import type { ClusterState } from '../cluster.js';
import type { Partition } from '../partition.js';

export interface ReplicaView {
  errorCode: number;
  leaderId: number;
  replicaNodes: number[];
  isrNodes: number[];
  offlineReplicas: number[];
}

export function replicaView(p: Partition, cluster: ClusterState): ReplicaView {
  const rs = p.replicaSet;
  const offline = !cluster.node(p.leaderId)?.up;
  const replicaNodes = [...rs.replicas];
  const offlineReplicas = replicaNodes.filter((id) => !cluster.node(id)?.up);
  // One replica whose node is down: no ISR (as before replication existed); more: the ISR as the
  // model keeps it (its last member stays when no other can take over, as Kafka keeps it).
  const isrNodes = rs.single && offline ? [] : [...rs.isr];
  return {
    errorCode: offline ? ErrorCode.LEADER_NOT_AVAILABLE : 0,
    leaderId: offline ? -1 : p.leaderId,
    replicaNodes,
    isrNodes,
    offlineReplicas,
  };
}
