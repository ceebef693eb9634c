// Finding the partition a request names, with Kafka's errors when it can't be served here:
// UNKNOWN_TOPIC_OR_PARTITION when it doesn't exist, NOT_LEADER_OR_FOLLOWER when another
// (simulated) node leads it.

import { ErrorCode } from '../protocol/errors.js';
import type { RequestContext } from './handler.js';
import { advertisedAddress } from './security/listeners.js';
import type { Partition } from './partition.js';
import type { Topic } from './topics.js';

export type Lookup = { partition: Partition; topic: Topic; errorCode: 0 } | { partition?: undefined; topic?: Topic; errorCode: number };

export function leaderPartition(ctx: RequestContext, topic: Topic | undefined, index: number): Lookup {
  if (!topic) return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
  const partition = topic.partitions[index];
  if (!partition) return { topic, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
  if (partition.leaderId !== ctx.node.nodeId) return { topic, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER };
  return { partition, topic, errorCode: 0 };
}

/** The current leader of a partition, for the tagged CurrentLeader fields (Produce v10+, Fetch v12+). */
export function currentLeader(topic: Topic | undefined, index: number): { leaderId: number; leaderEpoch: number } {
  const p = topic?.partitions[index];
  return p ? { leaderId: p.leaderId, leaderEpoch: p.leaderEpoch } : { leaderId: -1, leaderEpoch: -1 };
}

/** Endpoints of the given node ids (Produce v10+, Fetch v16+ NodeEndpoints). */
export function nodeEndpoints(
  ctx: RequestContext,
  ids: Iterable<number>,
): Array<{ nodeId: number; host: string; port: number; rack: string | null }> {
  const out = [];
  for (const id of new Set(ids)) {
    const n = ctx.broker.cluster.node(id);
    if (n?.up) out.push({ nodeId: n.nodeId, ...advertisedAddress(n, ctx.connection), rack: n.rack });
  }
  return out;
}
