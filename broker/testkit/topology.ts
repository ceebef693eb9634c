// Simulated topology under test control: nodes going down and up (listener closed and reopened
// on the same port, Metadata without the node, leaders failing over), per-node round-trip time,
// partition leaders moved by hand, coordinators pinned to nodes. ClusterState stays the owner of
// the node list and coordinator pins, Partition of its leader and epoch; this file only drives
// them. NodeControl owns the RTT table; follower lag and pauses are broker/replication/'s
// (Replication), which also elects leaders of replicated partitions (RF > 1) when a node goes
// down or comes back.

import { CoordinatorKeyType } from '../coordinator-placement.js';
import type { BrokerCore } from '../core.js';
import type { NodeInfo } from '../cluster.js';
import type { Partition } from '../partition.js';

/** How the kit reaches the listeners that index.ts owns. */
export interface ListenerControl {
  /** Close the node's listener and drop its connections. */
  close(nodeId: number): Promise<void>;
  /** Listen again on the node's port. */
  reopen(nodeId: number): Promise<void>;
}

export interface NodeStatus {
  nodeId: number;
  host: string;
  port: number;
  up: boolean;
  rttMs: number;
  rack: string | null;
  /** Followers on this node stopped fetching (pause). */
  paused: boolean;
  /** Replication delay of followers on this node (lag), ms. */
  lagMs: number;
}

export class NodeControl {
  /** Added response delay per node (owner: this class). */
  private readonly rtt = new Map<number, number>();

  constructor(
    private readonly core: BrokerCore,
    private readonly listeners: ListenerControl,
  ) {}

  list(): NodeStatus[] {
    const r = this.core.replication;
    return this.core.cluster.nodes.map((n) => ({
      nodeId: n.nodeId,
      host: n.host,
      port: n.port,
      up: n.up,
      rttMs: this.rttOf(n.nodeId),
      rack: n.rack,
      paused: r.isPaused(n.nodeId),
      lagMs: r.lagOf(n.nodeId),
    }));
  }

  /**
   * Take a node down: its listener closes (connections drop) and Metadata leaves it out. With
   * `failover`, the partitions it leads move to the live nodes (leader epochs bumped), so
   * clients find new leaders; without, they are offline (LEADER_NOT_AVAILABLE) until up().
   * Partitions with more replicas (RF > 1) always elect a new leader from the ISR, the node's
   * replicas leaving it (or an out-of-sync replica with unclean.leader.election.enable), as a
   * Kafka controller does when a broker is fenced; `moved` counts them too.
   */
  async down(nodeId: number, opts: { failover?: boolean } = {}): Promise<{ moved: number }> {
    const node = this.node(nodeId);
    if (!node.up) return { moved: 0 };
    const live = this.core.cluster.liveNodes().filter((n) => n.nodeId !== nodeId);
    if (opts.failover && live.length === 0) throw new RangeError(`nodes.down(${nodeId}, { failover: true }): no other live node`);
    node.up = false;
    let moved = 0;
    if (opts.failover) {
      for (const p of this.ledBy(nodeId)) if (p.replicaSet.single) p.changeLeader(live[moved++ % live.length]!.nodeId);
    }
    moved += this.core.replication.nodeDown(nodeId);
    await this.listeners.close(nodeId);
    return { moved };
  }

  /**
   * Bring a node back on its port; with `failback` (or `failover`, the spelling the issue's
   * examples use) leadership fails over back to it: it leads again the partitions placed on it
   * at creation (a replicated partition: whose preferred replica it is, when in sync).
   * Replicated partitions left without a live leader elect it if it is in their ISR; its
   * followers catch up and rejoin the ISR.
   */
  async up(nodeId: number, opts: { failback?: boolean; failover?: boolean } = {}): Promise<{ moved: number }> {
    const node = this.node(nodeId);
    if (node.up) return { moved: 0 };
    await this.listeners.reopen(nodeId);
    node.up = true;
    let moved = this.core.replication.nodeUp(nodeId);
    if (opts.failback || opts.failover) {
      for (const topic of this.core.topics.all()) {
        for (const p of topic.partitions) {
          if (!p.replicaSet.single) {
            if (p.replicaSet.replicas[0] === nodeId && p.leaderId !== nodeId && this.core.replication.electLeader(p, 0) === 0) moved++;
            continue;
          }
          if (p.leaderId !== nodeId && this.core.cluster.leaderFor(topic.name, p.index) === nodeId) {
            p.changeLeader(nodeId);
            moved++;
          }
        }
      }
    }
    return { moved };
  }

  /**
   * Followers on this node replicate `ms` after each append (0: at once again): with more than
   * replica.lag.time.max.ms they leave the ISR, holding back acks=all and the high watermark meanwhile.
   */
  lag(nodeId: number, ms: number): void {
    this.node(nodeId);
    this.core.replication.setLag(nodeId, ms);
  }

  /** Followers on this node stop fetching until resume() (the node stays up for clients). */
  pause(nodeId: number): void {
    this.node(nodeId);
    this.core.replication.pause(nodeId);
  }

  resume(nodeId: number): void {
    this.node(nodeId);
    this.core.replication.resume(nodeId);
  }

  /** Delay every response on this node's connections by `ms` (0 removes it). */
  setRtt(nodeId: number, ms: number): void {
    this.node(nodeId);
    if (!(ms >= 0)) throw new RangeError('setRtt: ms must be >= 0');
    if (ms === 0) this.rtt.delete(nodeId);
    else this.rtt.set(nodeId, ms);
  }

  rttOf(nodeId: number): number {
    return this.rtt.size === 0 ? 0 : (this.rtt.get(nodeId) ?? 0);
  }

  clearRtt(): void {
    this.rtt.clear();
  }

  private node(nodeId: number): NodeInfo {
    const n = this.core.cluster.node(nodeId);
    if (!n) throw new RangeError(`no node ${nodeId} (nodes: ${this.core.cluster.nodes.map((x) => x.nodeId).join(', ')})`);
    return n;
  }

  private ledBy(nodeId: number): Partition[] {
    const out: Partition[] = [];
    for (const t of this.core.topics.all()) for (const p of t.partitions) if (p.leaderId === nodeId) out.push(p);
    return out;
  }
}

export interface PartitionStatus {
  topic: string;
  partition: number;
  leader: number;
  leaderEpoch: number;
  logStartOffset: number;
  logEndOffset: number;
  highWatermark: number;
  replicas: number[];
  isr: number[];
}

export class PartitionControl {
  constructor(private readonly core: BrokerCore) {}

  /** Make `nodeId` the leader (epoch bumped): requests to the old leader get NOT_LEADER_OR_FOLLOWER. */
  moveLeader(topic: string, partition: number, nodeId: number): PartitionStatus {
    const p = this.get(topic, partition);
    if (!this.core.cluster.node(nodeId)) throw new RangeError(`moveLeader: no node ${nodeId}`);
    if (p.leaderId !== nodeId) p.changeLeader(nodeId);
    return status(p);
  }

  describe(topic: string): PartitionStatus[] {
    const t = this.core.topics.get(topic);
    if (!t) throw new RangeError(`no topic ${topic}`);
    return t.partitions.map(status);
  }

  leader(topic: string, partition: number): number {
    return this.get(topic, partition).leaderId;
  }

  private get(topic: string, partition: number): Partition {
    const p = this.core.topics.partition(topic, partition);
    if (!p) throw new RangeError(`no partition ${topic}-${partition}`);
    return p;
  }
}

function status(p: Partition): PartitionStatus {
  return {
    topic: p.topic,
    partition: p.index,
    leader: p.leaderId,
    leaderEpoch: p.leaderEpoch,
    logStartOffset: p.log.logStartOffset,
    logEndOffset: p.log.logEndOffset,
    highWatermark: p.highWatermark,
    replicas: [...p.replicaSet.replicas],
    isr: [...p.replicaSet.isr],
  };
}

export type CoordinatorType = 'group' | 'transaction';

export class CoordinatorControl {
  constructor(private readonly core: BrokerCore) {}

  /**
   * Pin the coordinator of a group (or transactional id) to a node: FindCoordinator names it and
   * the old coordinator answers NOT_COORDINATOR, so clients rediscover and follow.
   */
  set(type: CoordinatorType, key: string, nodeId: number): void {
    if (!this.core.cluster.node(nodeId)) throw new RangeError(`coordinators.set: no node ${nodeId}`);
    this.core.placement.pin(keyType(type), key, nodeId);
  }

  /** Unpin: placement by `__consumer_offsets` / `__transaction_state` partition leader again. */
  clear(type?: CoordinatorType, key?: string): void {
    if (type === undefined || key === undefined) this.core.placement.clearPins();
    else this.core.placement.pin(keyType(type), key, null);
  }

  /** The node FindCoordinator names now (-1: none available). */
  get(type: CoordinatorType, key: string): number {
    return this.core.placement.nodeFor(keyType(type), key);
  }
}

function keyType(type: CoordinatorType): number {
  if (type === 'group') return CoordinatorKeyType.GROUP;
  if (type === 'transaction') return CoordinatorKeyType.TRANSACTION;
  throw new RangeError(`coordinator type must be 'group' or 'transaction', got ${JSON.stringify(type)}`);
}
