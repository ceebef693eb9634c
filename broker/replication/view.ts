// A partition's replicas as Metadata and DescribeTopicPartitions show them (Kafka's
// KRaftMetadataCache.getPartitionMetadata): the leader, or -1 with LEADER_NOT_AVAILABLE when
// its node is down; the assigned replicas; the ISR; the replicas whose nodes are down.
//
// A log on a data directory an I/O error took offline (storage/log-dir-failure.ts) is shown as
// Kafka's controller records it once the broker reports the directory offline
// (ReplicationControlManager.handleDirectoriesOffline: leader NO_LEADER, the last ISR member
// kept) and as KRaftMetadataCache then answers (isReplicaInOfflineDir): LEADER_NOT_AVAILABLE,
// leader -1, the ISR unchanged, this node among the offline replicas. Kafka itself halts a
// broker whose only log directory failed (LogDirFailureHandler), so its clients see the broker
// go away; kafkalite keeps serving in process (broker.failed reports it), and this view tells
// clients the truth: no replica can serve the partition. The leader epoch is not bumped (the
// directory's failure is not a leader election here).

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
  const replicaNodes = [...rs.replicas];
  if (p.log.offline) {
    return { errorCode: ErrorCode.LEADER_NOT_AVAILABLE, leaderId: -1, replicaNodes, isrNodes: [...rs.isr], offlineReplicas: replicaNodes };
  }
  const offline = !cluster.node(p.leaderId)?.up;
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
