// The simulated cluster: one or more nodes served from this process, each with its own
// listener. With one node (the default) it is every partition's leader and every coordinator.
// ClusterState owns the node list; TopicManager asks it where new partitions' leaders go.
// Which node coordinates a group or transaction is broker/coordinator-placement.ts's.

import type { PlacementPolicy } from './topics.js';

export interface NodeInfo {
  readonly nodeId: number;
  /** Host and port advertised in Metadata. */
  host: string;
  port: number;
  /** Advertised address per listener name (broker/security/listeners.ts); host/port above are the first listener's. */
  readonly endpoints: Map<string, { host: string; port: number }>;
  rack: string | null;
  /** A node that is down has no listener and leads nothing (test kit). */
  up: boolean;
}

export class ClusterState implements PlacementPolicy {
  readonly nodes: NodeInfo[];

  constructor(
    readonly clusterId: string,
    nodeIds: number[],
  ) {
    this.nodes = nodeIds.map((nodeId) => ({ nodeId, host: 'localhost', port: 0, endpoints: new Map(), rack: null, up: true }));
  }

  /** The first live node (a down node is not the controller). */
  get controllerId(): number {
    return (this.nodes.find((n) => n.up) ?? this.nodes[0]!).nodeId;
  }

  node(nodeId: number): NodeInfo | undefined {
    return this.nodes.find((n) => n.nodeId === nodeId);
  }

  liveNodes(): NodeInfo[] {
    return this.nodes.filter((n) => n.up);
  }

  /** Spread leaders round-robin, starting at a per-topic offset so topics don't all start on node 0. */
  leaderFor(topic: string, index: number): number {
    const n = this.nodes.length;
    if (n === 1) return this.nodes[0]!.nodeId;
    let h = 0;
    for (let i = 0; i < topic.length; i++) h = (h * 31 + topic.charCodeAt(i)) | 0;
    return this.nodes[((h % n) + n + index) % n]!.nodeId;
  }
}
