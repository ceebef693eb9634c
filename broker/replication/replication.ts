// Simulated replication (issue 18): followers as a model over the one stored log of each
// partition. This class owns the follower fault table (paused nodes, per-node replication lag)
// and the acks=all waiters, and drives each partition's ReplicaSet: followers "fetch" each
// append at once unless their node is down, paused or lagging; a follower behind the leader's
// log end for longer than replica.lag.time.max.ms leaves the ISR (Kafka's
// Partition.maybeShrinkIsr) and rejoins once it reaches the high watermark
// (Partition.maybeExpandIsr); the high watermark is the ISR's smallest log end offset, so
// consumers see only committed records, and it stays put while the ISR is below
// min.insync.replicas (Kafka 4, KAFKA-15583): acks=all then waits, timing out. Leader elections (node down, node up, ElectLeaders)
// pick from the ISR in assignment order, as Kafka's PartitionChangeBuilder does, bumping the
// leader epoch. Partitions with one replica behave exactly as on a single node.

import type { BrokerConfig } from '../../config/index.js';
import { ErrorCode } from '../../protocol/errors.js';
import type { Clock, TimerHandle } from '../../storage/clock.js';
import type { ClusterState } from '../cluster.js';
import type { Partition } from '../partition.js';
import type { Topic } from '../topics.js';
import { placeReplicas } from './placement.js';

interface AckWaiter {
  readonly requiredOffset: number;
  readonly minIsr: number;
  readonly leaderEpoch: number;
  readonly done: (errorCode: number) => void;
}

export interface ReplicationSource {
  all(): Iterable<Topic>;
  get(name: string): Topic | undefined;
}

/** Kafka's names for the election types of ElectLeaders. */
export const PREFERRED = 0;
export const UNCLEAN = 1;

export class Replication {
  private readonly paused = new Set<number>();
  private readonly lag = new Map<number, number>();
  private readonly waiters = new Map<Partition, Set<AckWaiter>>();
  /** ISR checks armed per partition and follower (replica.lag.time.max.ms after it fell behind). */
  private readonly checks = new Map<Partition, Map<number, TimerHandle>>();
  private topics: ReplicationSource | null = null;

  constructor(
    private readonly cluster: ClusterState,
    private readonly config: BrokerConfig,
    private readonly clock: Clock,
  ) {}

  /** The topic table (set once TopicManager exists). */
  bind(topics: ReplicationSource): void {
    this.topics = topics;
  }

  // --- placement -------------------------------------------------------------------------

  /** Nodes that can take new replicas (Kafka: the unfenced brokers). */
  get liveCount(): number {
    return this.cluster.liveNodes().length;
  }

  /** Kafka's refusal of a replication factor the live nodes cannot reach, or null. */
  replicationFactorProblem(rf: number): string | null {
    const live = this.liveCount;
    if (rf <= live) return null;
    return (
      `Unable to replicate the partition ${rf} time(s): The target replication factor of ${rf} cannot be reached ` +
      `because only ${live} broker(s) are registered or some brokers have all their log directories cordoned.`
    );
  }

  /** The first of `replicas` whose node is up (the leader a new partition gets). */
  firstLive(replicas: readonly number[]): number | undefined {
    return replicas.find((id) => this.cluster.node(id)?.up);
  }

  /** Replicas of partition `index` of a new topic: one (the placement leader) for RF 1, else striped over the live nodes. */
  place(topic: string, index: number, rf: number): number[] {
    const leader = this.cluster.leaderFor(topic, index);
    if (rf <= 1) return [leader];
    return placeReplicas(this.cluster.liveNodes(), rf, leader, index);
  }

  /**
   * AlterPartitionReassignments: the partition's replicas become `replicas` at once (new ones
   * deemed caught up); a leader no longer among them hands over to the first of them that is up
   * (else the first), epoch bumped, as Kafka's controller does once the reassignment completes.
   */
  reassign(p: Partition, replicas: readonly number[]): void {
    p.replicaSet.reassign(replicas, p.log.logEndOffset);
    if (!replicas.includes(p.leaderId)) p.changeLeader(this.firstLive(replicas) ?? replicas[0]!);
    this.settle(p);
  }

  // --- follower faults (test kit) --------------------------------------------------------

  /** Followers on this node replicate `ms` after each append (0 removes the lag). */
  setLag(nodeId: number, ms: number): void {
    if (!(ms >= 0)) throw new RangeError('lag: ms must be >= 0');
    if (ms === 0) this.lag.delete(nodeId);
    else this.lag.set(nodeId, ms);
    if (ms === 0) this.catchUpNode(nodeId);
  }

  lagOf(nodeId: number): number {
    return this.lag.get(nodeId) ?? 0;
  }

  /** Followers on this node stop fetching until resume(). */
  pause(nodeId: number): void {
    this.paused.add(nodeId);
  }

  resume(nodeId: number): void {
    if (this.paused.delete(nodeId)) this.catchUpNode(nodeId);
  }

  isPaused(nodeId: number): boolean {
    return this.paused.has(nodeId);
  }

  /** Forget every follower fault (test kit reset). */
  clearFaults(): void {
    const nodes = [...this.paused, ...this.lag.keys()];
    this.paused.clear();
    this.lag.clear();
    for (const n of nodes) this.catchUpNode(n);
  }

  // --- appends and acks ------------------------------------------------------------------

  /** The leader appended to `p`: followers fetch now, later (lag) or not at all (down, paused). */
  appended(p: Partition): void {
    const rs = p.replicaSet;
    rs.minIsr = this.minIsrOf(p);
    const leo = p.log.logEndOffset;
    rs.leaderAt(p.leaderId, leo);
    if (rs.single) return;
    const now = this.clock.now();
    for (const id of rs.replicas) {
      if (id === p.leaderId) continue;
      if (this.fetching(id) && !this.lag.has(id)) {
        rs.fetched(id, leo, leo, now, null);
        continue;
      }
      rs.fellBehind(id, leo, now);
      this.armCheck(p, id);
      const lagMs = this.lag.get(id);
      if (lagMs !== undefined && this.fetching(id)) {
        this.clock.setTimeout(() => {
          if (!this.fetching(id) || !p.replicaSet.replicas.includes(id) || p.leaderId === id) return;
          // What it fetches now is what the leader had `lagMs` ago: behind again from the next append, if any.
          const end = p.log.logEndOffset;
          p.replicaSet.fetched(id, leo, end, this.clock.now(), leo < end ? this.clock.now() : null);
          this.settle(p);
        }, lagMs);
      }
    }
    this.settle(p);
  }

  /** acks=all: NOT_ENOUGH_REPLICAS (before appending) when the ISR is smaller than min.insync.replicas. */
  checkMinIsr(p: Partition, minIsr: number): { errorCode: number; message: string } | null {
    const isr = p.replicaSet.isr;
    if (isr.length >= minIsr) return null;
    return {
      errorCode: ErrorCode.NOT_ENOUGH_REPLICAS,
      message:
        `The size of the current ISR : ${isr.length} is insufficient to satisfy the min.isr requirement of ${minIsr} ` +
        `for partition ${p.topic}-${p.index}, live replica(s) broker.id are : [${isr.join(', ')}]`,
    };
  }

  /**
   * acks=all: resolves once the high watermark passes `requiredOffset` (the appended batch's
   * next offset), with NOT_ENOUGH_REPLICAS_AFTER_APPEND when the ISR shrank below `minIsr`
   * meanwhile, NOT_LEADER_OR_FOLLOWER when leadership moved, REQUEST_TIMED_OUT after `timeoutMs`
   * (Kafka's DelayedProduce and Partition.checkEnoughReplicasReachOffset).
   */
  awaitAcks(p: Partition, requiredOffset: number, minIsr: number, timeoutMs: number): Promise<number> | number {
    const immediate = this.ackState(p, { requiredOffset, minIsr, leaderEpoch: p.leaderEpoch, done: () => {} });
    if (immediate !== null) return immediate;
    return new Promise<number>((resolve) => {
      let timer: TimerHandle | null = null;
      const waiter: AckWaiter = {
        requiredOffset,
        minIsr,
        leaderEpoch: p.leaderEpoch,
        done: (code) => {
          timer?.cancel();
          this.waiters.get(p)?.delete(waiter);
          resolve(code);
        },
      };
      const set = this.waiters.get(p) ?? new Set<AckWaiter>();
      set.add(waiter);
      this.waiters.set(p, set);
      timer = this.clock.setTimeout(() => waiter.done(ErrorCode.REQUEST_TIMED_OUT), Math.max(0, timeoutMs));
    });
  }

  private ackState(p: Partition, w: AckWaiter): number | null {
    if (p.leaderEpoch !== w.leaderEpoch) return ErrorCode.NOT_LEADER_OR_FOLLOWER;
    if (p.highWatermark < w.requiredOffset) return null;
    return p.replicaSet.isr.length >= w.minIsr ? 0 : ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND;
  }

  /** Re-check the ISR, the high watermark and the acks waiting on `p`; tell its listeners. */
  settle(p: Partition): void {
    const rs = p.replicaSet;
    rs.minIsr = this.minIsrOf(p);
    const hw = p.highWatermark;
    // A fetching follower that reached the high watermark rejoins (Kafka's maybeExpandIsr on a
    // follower fetch, isFollowerInSync): a paused or down one does not fetch.
    for (const id of rs.replicas) {
      if (rs.inIsr(id) || !this.fetching(id)) continue;
      const f = rs.follower(id);
      if (f && f.leo >= hw && f.leo >= p.epochStartOffset()) rs.expand(id);
    }
    const set = this.waiters.get(p);
    if (set)
      for (const w of [...set]) {
        const code = this.ackState(p, w);
        if (code !== null) w.done(code);
      }
    p.notify();
  }

  // --- the ISR timer -----------------------------------------------------------------------

  private armCheck(p: Partition, nodeId: number): void {
    const armed = this.checks.get(p) ?? new Map<number, TimerHandle>();
    this.checks.set(p, armed);
    if (armed.has(nodeId)) return;
    const f = p.replicaSet.follower(nodeId);
    if (!f || f.behindSince === null) return;
    const maxLag = this.config.int('replica.lag.time.max.ms');
    const due = Math.max(0, f.behindSince + maxLag + 1 - this.clock.now());
    armed.set(
      nodeId,
      this.clock.setTimeout(() => {
        armed.delete(nodeId);
        const now = this.clock.now();
        const state = p.replicaSet.follower(nodeId);
        if (!state || state.behindSince === null || p.leaderId === nodeId) return;
        if (now - state.behindSince > maxLag) {
          if (p.replicaSet.shrink(nodeId)) this.settle(p);
        } else this.armCheck(p, nodeId);
      }, due),
    );
  }

  /** Whether followers on this node fetch (up and not paused). */
  private fetching(nodeId: number): boolean {
    return !this.paused.has(nodeId) && (this.cluster.node(nodeId)?.up ?? false);
  }

  /** Followers on `nodeId` fetch everything now (resume, lag removed, node up). */
  private catchUpNode(nodeId: number): void {
    if (!this.fetching(nodeId) || this.lag.has(nodeId)) return;
    const now = this.clock.now();
    for (const p of this.partitionsOn(nodeId)) {
      if (p.leaderId === nodeId) continue;
      const leo = p.log.logEndOffset;
      p.replicaSet.fetched(nodeId, leo, leo, now, null);
      this.settle(p);
    }
  }

  // --- node faults and elections -----------------------------------------------------------

  /**
   * A node went down: its replicas leave the ISR (the controller fences it) and the partitions
   * it led elect a new leader from the ISR, or an out-of-sync live replica when
   * unclean.leader.election.enable allows; with neither the partition stays offline, the ISR
   * keeping its last member, as Kafka keeps it. Returns the partitions whose leader moved.
   */
  nodeDown(nodeId: number): number {
    let moved = 0;
    for (const p of this.partitionsOn(nodeId)) {
      const rs = p.replicaSet;
      if (rs.single) continue;
      if (rs.isr.length > 1 || p.leaderId !== nodeId) rs.shrink(nodeId);
      if (p.leaderId === nodeId && this.elect(p, { unclean: this.uncleanAllowed(p) })) moved++;
      this.settle(p);
    }
    return moved;
  }

  /** A node came back: its followers catch up and rejoin; offline partitions it may lead elect it. */
  nodeUp(nodeId: number): number {
    let moved = 0;
    for (const p of this.partitionsOn(nodeId)) {
      const rs = p.replicaSet;
      if (rs.single) continue;
      if (!this.cluster.node(p.leaderId)?.up && rs.inIsr(nodeId)) {
        if (p.leaderId !== nodeId) moved++;
        p.changeLeader(nodeId);
      }
    }
    this.catchUpNode(nodeId);
    return moved;
  }

  /**
   * Elect a new leader for `p` (the current one is gone or being replaced): the first live ISR
   * member in assignment order, else with `unclean` the first live replica, which becomes the
   * only ISR member. Its log is the truth from then on: the one stored log is truncated to its
   * log end offset (what Kafka's other replicas do when they find the diverging epoch), the
   * leader-epoch cache losing the epochs past it, and the new leader epoch starts there.
   */
  elect(p: Partition, opts: { unclean: boolean; exclude?: number }): boolean {
    const rs = p.replicaSet;
    const live = (id: number) => id !== opts.exclude && (this.cluster.node(id)?.up ?? false);
    let next = rs.replicas.find((id) => rs.inIsr(id) && live(id));
    if (next === undefined && opts.unclean) {
      next = rs.replicas.find((id) => live(id));
      if (next !== undefined) {
        rs.setIsr([next]);
        const leo = rs.follower(next)?.leo;
        if (leo !== undefined) p.truncateTo(leo);
      }
    }
    if (next === undefined) return false;
    if (p.leaderId === next) return false;
    p.changeLeader(next);
    return true;
  }

  /**
   * ElectLeaders for one partition (Kafka's ReplicationControlManager.electLeader): preferred
   * moves leadership to the first assigned replica when it is live and in sync; unclean elects
   * only a partition without a live leader.
   */
  electLeader(p: Partition, type: number): number {
    const rs = p.replicaSet;
    const leaderLive = this.cluster.node(p.leaderId)?.up ?? false;
    if (type === PREFERRED) {
      const preferred = rs.replicas[0]!;
      if (p.leaderId === preferred && leaderLive) return ErrorCode.ELECTION_NOT_NEEDED;
      if (!rs.inIsr(preferred) || !this.cluster.node(preferred)?.up) return ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE;
      p.changeLeader(preferred);
      this.settle(p);
      return 0;
    }
    if (leaderLive) return ErrorCode.ELECTION_NOT_NEEDED;
    if (!this.elect(p, { unclean: true })) return ErrorCode.ELIGIBLE_LEADERS_NOT_AVAILABLE;
    this.settle(p);
    return 0;
  }

  private uncleanAllowed(p: Partition): boolean {
    return this.topics?.get(p.topic)?.effective.get('unclean.leader.election.enable') === 'true';
  }

  /** min.insync.replicas of the partition's topic, capped at its replication factor (Kafka's Partition.effectiveMinIsr). */
  minIsrOf(p: Partition): number {
    const configured = Number(this.topics?.get(p.topic)?.effective.get('min.insync.replicas') ?? 1);
    return Math.max(1, Math.min(configured, p.replicaSet.replicas.length));
  }

  // --- reads from followers (KIP-392) -----------------------------------------------------------

  /** How far a fetch from `nodeId` may read `p`: the leader up to the HW, a follower up to min(HW, its log end). */
  readBound(p: Partition, nodeId: number): number {
    const hw = p.highWatermark;
    if (nodeId === p.leaderId) return hw;
    return Math.min(hw, p.replicaSet.follower(nodeId)?.leo ?? hw);
  }

  /** Whether `nodeId` can serve consumer fetches of `p` (a live replica). */
  serves(p: Partition, nodeId: number): boolean {
    return p.replicaSet.replicas.includes(nodeId) && (this.cluster.node(nodeId)?.up ?? false);
  }

  /**
   * Kafka's RackAwareReplicaSelector, when replica.selector.class names it: for a client in a rack,
   * the leader if it is in that rack, else the in-sync replica of that rack with the largest log
   * end offset that has the fetch offset; -1 when the leader should serve the fetch.
   */
  preferredReadReplica(p: Partition, clientRack: string, fetchOffset: number): number {
    if (!clientRack || !this.config.str('replica.selector.class').endsWith('RackAwareReplicaSelector')) return -1;
    const rs = p.replicaSet;
    if (rs.single) return -1;
    if (this.cluster.node(p.leaderId)?.rack === clientRack) return -1;
    let best = -1;
    let bestLeo = -1;
    for (const id of rs.replicas) {
      if (id === p.leaderId || !rs.inIsr(id) || !this.serves(p, id) || this.cluster.node(id)?.rack !== clientRack) continue;
      const leo = rs.follower(id)?.leo ?? -1;
      if (leo >= fetchOffset && leo > bestLeo) {
        best = id;
        bestLeo = leo;
      }
    }
    return best;
  }

  private *partitionsOn(nodeId: number): Iterable<Partition> {
    for (const t of this.topics?.all() ?? []) for (const p of t.partitions) if (p.replicaSet.replicas.includes(nodeId)) yield p;
  }
}
