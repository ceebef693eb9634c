// The replicas of one partition as a model (issue 18): which nodes hold it, which of them are in
// sync (the ISR), and each follower's log end offset and since when it has been behind. There is
// one stored log per partition (the leader's); a follower is its position in that log, not a
// copy. ReplicaSet owns this state; broker/replication/replication.ts drives it (appends, node
// faults, lag, elections) and Partition asks it for the high watermark.
// Kafka's counterparts: Partition.scala's assignment, ISR and Replica state (ReplicaState).

export interface FollowerState {
  /** The follower's log end offset: what it has fetched from the leader. */
  leo: number;
  /** Clock time since which it has been behind the leader's log end (null: caught up). */
  behindSince: number | null;
}

export class ReplicaSet {
  /** Assigned replicas, preferred leader first (Kafka's assignment order). */
  private assigned: number[];
  /** In-sync replicas, leader included, in assignment order. */
  private inSync: number[];
  /** Followers' positions, keyed by node id (the leader's position is the log end). */
  private readonly followers = new Map<number, FollowerState>();
  /** The high watermark as last advanced. */
  private committed: number;
  /** Effective min.insync.replicas (the topic's, capped at the replication factor), set by Replication. */
  minIsr = 1;

  constructor(replicas: readonly number[], logEndOffset: number) {
    this.committed = logEndOffset;
    this.assigned = [...replicas];
    this.inSync = [...replicas];
    for (const id of replicas) this.followers.set(id, { leo: logEndOffset, behindSince: null });
  }

  get replicas(): readonly number[] {
    return this.assigned;
  }

  get isr(): readonly number[] {
    return this.inSync;
  }

  /** One replica only: everything behaves as on a single node (HW = log end). */
  get single(): boolean {
    return this.assigned.length === 1;
  }

  follower(nodeId: number): FollowerState | undefined {
    return this.followers.get(nodeId);
  }

  inIsr(nodeId: number): boolean {
    return this.inSync.includes(nodeId);
  }

  /**
   * The high watermark: the smallest log end offset over the ISR (the leader's is the log end),
   * held where it was while the ISR is smaller than `minIsr` (Kafka 4's Partition.maybeIncrementLeaderHW
   * with eligible leader replicas, KAFKA-15583). It never goes down.
   */
  highWatermark(leaderId: number, logEndOffset: number): number {
    if (this.single) return logEndOffset;
    let hw = logEndOffset;
    for (const id of this.inSync) {
      if (id === leaderId) continue;
      const f = this.followers.get(id);
      if (f && f.leo < hw) hw = f.leo;
    }
    if (this.inSync.length >= this.minIsr && hw > this.committed) this.committed = hw;
    return Math.min(this.committed, logEndOffset);
  }

  /** A follower fetched up to `leo` at `now`; `logEndOffset` is the leader's. */
  fetched(nodeId: number, leo: number, logEndOffset: number, now: number, nextBehindSince: number | null): void {
    const f = this.followers.get(nodeId);
    if (!f) return;
    f.leo = Math.min(Math.max(f.leo, leo), logEndOffset);
    f.behindSince = f.leo >= logEndOffset ? null : (nextBehindSince ?? f.behindSince ?? now);
  }

  /** The leader appended: a follower not yet at `logEndOffset` is behind from `now` (if it was not already). */
  fellBehind(nodeId: number, logEndOffset: number, now: number): void {
    const f = this.followers.get(nodeId);
    if (f && f.leo < logEndOffset && f.behindSince === null) f.behindSince = now;
  }

  /** The leader's own position moves with the log (it is never behind itself). */
  leaderAt(nodeId: number, logEndOffset: number): void {
    const f = this.followers.get(nodeId);
    if (f) {
      f.leo = logEndOffset;
      f.behindSince = null;
    }
  }

  /** Every follower's position and the high watermark capped at `offset` (the log was truncated to it). */
  truncatedTo(offset: number): void {
    for (const f of this.followers.values()) if (f.leo > offset) f.leo = offset;
    if (this.committed > offset) this.committed = offset;
  }

  shrink(nodeId: number): boolean {
    if (!this.inSync.includes(nodeId)) return false;
    this.inSync = this.inSync.filter((id) => id !== nodeId);
    return true;
  }

  expand(nodeId: number): boolean {
    if (this.inSync.includes(nodeId) || !this.assigned.includes(nodeId)) return false;
    this.inSync = this.assigned.filter((id) => id === nodeId || this.inSync.includes(id));
    return true;
  }

  /** ISR set outright (elections, test kit restore). */
  setIsr(ids: readonly number[]): void {
    this.inSync = this.assigned.filter((id) => ids.includes(id));
  }

  /** Replace the assignment (AlterPartitionReassignments); new replicas start at `logEndOffset`, in sync. */
  reassign(replicas: readonly number[], logEndOffset: number): void {
    for (const id of replicas) if (!this.followers.has(id)) this.followers.set(id, { leo: logEndOffset, behindSince: null });
    for (const id of [...this.followers.keys()]) if (!replicas.includes(id)) this.followers.delete(id);
    const kept = this.inSync.filter((id) => replicas.includes(id));
    this.assigned = [...replicas];
    this.inSync = replicas.filter((id) => kept.includes(id) || !this.inSync.includes(id));
  }

  snapshot(): { replicas: number[]; isr: number[]; followers: Array<[number, FollowerState]>; committed?: number } {
    return {
      replicas: [...this.assigned],
      isr: [...this.inSync],
      followers: [...this.followers].map(([id, f]) => [id, { ...f }]),
      committed: this.committed,
    };
  }

  restore(s: {
    replicas: readonly number[];
    isr: readonly number[];
    followers: ReadonlyArray<readonly [number, FollowerState]>;
    committed?: number;
  }): void {
    this.committed = s.committed ?? this.committed;
    this.assigned = [...s.replicas];
    this.inSync = [...s.isr];
    this.followers.clear();
    for (const [id, f] of s.followers) this.followers.set(id, { ...f });
  }
}
