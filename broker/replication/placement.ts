// Where the replicas of new partitions go, after Kafka's StripedReplicaPlacer
// (metadata/src/main/java/org/apache/kafka/metadata/placement/StripedReplicaPlacer.java): the
// live nodes are listed rack by rack alternately (a rack-unaware cluster is one rack), and each
// partition takes `rf` consecutive nodes of that list, its leader first, the leaders striped
// over the nodes. Kafka starts each placement at a random offset; here the start is the
// cluster's per-topic hash (ClusterState.leaderFor), so placements are reproducible.

export interface PlacedNode {
  readonly nodeId: number;
  readonly rack: string | null;
}

/** Kafka's rack-alternated order: first node of each rack, then the second of each, and so on. */
export function rackAlternated(nodes: readonly PlacedNode[]): number[] {
  const racks = new Map<string, number[]>();
  for (const n of nodes) {
    const key = n.rack ?? '';
    const list = racks.get(key) ?? [];
    list.push(n.nodeId);
    racks.set(key, list);
  }
  const lists = [...racks.values()];
  const out: number[] = [];
  for (let i = 0; out.length < nodes.length; i++) for (const l of lists) if (i < l.length) out.push(l[i]!);
  return out;
}

/**
 * Replicas of partition `index`, `rf` of them, over the live `nodes`, starting from the node
 * `preferredLeader` (the cluster's leader for that partition) when it is live.
 */
export function placeReplicas(nodes: readonly PlacedNode[], rf: number, preferredLeader: number, index: number): number[] {
  const order = rackAlternated(nodes);
  let start = order.indexOf(preferredLeader);
  if (start < 0) start = index % order.length;
  // Shift followers every full stripe, as Kafka does, so replica pairs don't repeat.
  const shift = Math.floor(index / order.length) % Math.max(1, order.length - 1);
  const out = [order[start]!];
  for (let r = 1; r < rf; r++) out.push(order[(start + r + shift) % order.length]!);
  // A shift can wrap onto the leader with few nodes: fill with the next unused nodes instead.
  const unique = [...new Set(out)];
  for (let i = 1; unique.length < rf; i++) {
    const id = order[(start + i) % order.length]!;
    if (!unique.includes(id)) unique.push(id);
  }
  return unique;
}
