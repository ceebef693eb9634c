// Fetching from followers (KIP-392) on the simulated nodes: which partition a Fetch may read on
// the node it reached, and whether the leader should send the consumer to a replica of its rack.
// Kafka's counterparts: ReplicaManager.fetchMessages (fetchOnlyFromLeader: followers serve
// consumers from Fetch v11, which carries the client's rack) and ReplicaManager.findPreferredReadReplica.

import type { RequestContext } from '../handler.js';
import { leaderPartition, type Lookup } from '../leadership.js';
import type { Topic } from '../topics.js';

export interface ReplicaLookup {
  found: Lookup;
  /** A follower serves the read: up to this offset (its log end, at most the high watermark). */
  readBound?: number;
  /** A follower serves the read: its log end offset (a fetch past it is OFFSET_OUT_OF_RANGE, as on Kafka's follower). */
  logEnd?: number;
}

/**
 * The partition a Fetch reads on this node: the leader's, or from v11 a consumer's on a live
 * follower (which reads up to what it has replicated, and answers OFFSET_OUT_OF_RANGE past its
 * own log end as Kafka's follower does: UnifiedLog.read); else NOT_LEADER_OR_FOLLOWER as before.
 */
export function fetchablePartition(ctx: RequestContext, topic: Topic | undefined, index: number, fromConsumerV11: boolean): ReplicaLookup {
  const found = leaderPartition(ctx, topic, index);
  if (found.partition || !fromConsumerV11 || !topic) return { found };
  const partition = topic.partitions[index];
  const replication = ctx.broker.replication;
  if (!partition || partition.replicaSet.single || !replication.serves(partition, ctx.node.nodeId)) return { found };
  const logEnd = partition.replicaSet.follower(ctx.node.nodeId)?.leo;
  return { found: { partition, topic, errorCode: 0 }, readBound: replication.readBound(partition, ctx.node.nodeId), logEnd };
}

/**
 * The replica the leader tells a consumer in `rackId` to fetch from instead (-1: read here), when
 * replica.selector.class is RackAwareReplicaSelector (broker/replication/replication.ts).
 */
export function preferredReadReplica(ctx: RequestContext, found: Lookup, rackId: string | null | undefined, fetchOffset: number): number {
  if (!found.partition || !rackId || found.partition.leaderId !== ctx.node.nodeId) return -1;
  return ctx.broker.replication.preferredReadReplica(found.partition, rackId, fetchOffset);
}
