// The KRaft quorum kafkalite answers for (DescribeQuorum, AddRaftVoter, RemoveRaftVoter,
// UnregisterController, UnregisterBroker): a Kafka 4.4 cluster whose controller is
// ClusterState's controllerId (broker/cluster.ts: the first live node, as DescribeCluster and
// Metadata report it), a combined broker+controller and the only voter of a static quorum
// (kraft.version 0, broker/features.ts); the other simulated nodes are brokers only, observers
// of the metadata log. Nothing here changes: a static quorum takes no voter changes.

import type { NodeInfo } from './cluster.js';
import type { BrokerCore } from './core.js';

/** Kafka's metadata log: topic `__cluster_metadata`, partition 0. */
export const METADATA_TOPIC = '__cluster_metadata';

/** The controller node: the quorum's only voter and leader. */
export function controllerNode(broker: BrokerCore): NodeInfo {
  const cluster = broker.cluster;
  return cluster.node(cluster.controllerId)!;
}

/**
 * The metadata log's end offset kafkalite reports: one record per topic and partition and one
 * per feature change (Kafka's log also holds registrations and periodic no-op records).
 */
export function metadataEndOffset(broker: BrokerCore): number {
  let records = broker.features.epoch;
  for (const t of broker.topics.all()) records += 1 + t.partitions.length;
  return records;
}

/** Kafka's KafkaRaftClient.hasValidClusterId: a null id is not checked; else the message for a mismatch, or null. */
export function clusterIdMismatch(broker: BrokerCore, clusterId: string | null): string | null {
  if (clusterId === null || clusterId === broker.cluster.clusterId) return null;
  return `The given id "${clusterId}" doesn't match the cluster id "${broker.cluster.clusterId}"`;
}

/** The kraft.version finalized: 0 (a static quorum) unless UpdateFeatures could raise it. */
export function kraftVersion(broker: BrokerCore): number {
  return broker.features.level('kraft.version');
}
