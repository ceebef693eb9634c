// The share partition manager (KIP-932; Kafka's SharePartitionManager): the share partitions of
// every share group on this broker, created lazily at a group's first fetch of a partition and
// initialised from `share.auto.offset.reset` when no start offset was stored, the share sessions,
// the wake-ups of parked ShareFetch requests, and the figures the operator surface shows.
//
// Membership is the share group coordinator's (broker/groups/share/, the share-group work): it
// calls `onMemberLeft` when a member leaves or times out. Member ids of ShareFetch and
// ShareAcknowledge are not checked against the group, as Kafka 4.4 does not. Durability: `persistence` (broker/share/state-store.ts)
// is told of every change and replays `__share_group_state` into `restore` at start.

import type { Logger } from 'pino';
import type { BrokerConfig } from '../../config/index.js';
import type { Clock } from '../../storage/clock.js';
import type { GroupConfigs } from '../groups/group-configs.js';
import type { Partition } from '../partition.js';
import type { TopicManager } from '../topics.js';
import { type SharePartitionSettings, SharePartition } from './share-partition.js';
import { ShareSessions } from './sessions.js';
import { ShareStateStore } from './state-store.js';
import type { ShareGroups } from '../groups/share/owner.js';

export interface ShareMembership {
  /**
   * The share group's state for the offsets admin APIs (90-92): 'empty', 'active' (has members), or
   * undefined when no share group has this id. Unset: a group with share partitions is 'empty'.
   */
  shareGroupState?(groupId: string): 'empty' | 'active' | undefined;
}

export interface SharePersistence {
  changed(sp: SharePartition): void;
  deleted(sp: SharePartition): void;
}

/** One share partition, as the operator surface shows it. */
export interface SharePartitionSummary {
  topic: string;
  topicId: string;
  partition: number;
  startOffset: number;
  /** Records acquired now (under a lock). */
  inFlight: number;
  acknowledged: number;
  released: number;
  archived: number;
}

export class ShareManager {
  private readonly partitions = new Map<string, SharePartition>();
  readonly sessions: ShareSessions;
  /** Parked ShareFetch requests per group: woken when records are released or lock expires. */
  private readonly waiters = new Map<string, Set<() => void>>();
  membership: ShareMembership = {};
  /** `__share_group_state` (broker/share/state-store.ts). */
  readonly store: ShareStateStore;
  persistence: SharePersistence | null;

  constructor(
    private readonly deps: { topics: TopicManager; clock: Clock; config: BrokerConfig; groupConfigs: GroupConfigs; log: Logger },
  ) {
    this.sessions = new ShareSessions(() => deps.config.int('group.share.max.share.sessions'));
    this.store = new ShareStateStore(deps.topics, deps.config, deps.clock, deps.log);
    this.persistence = this.store;
  }

  /**
   * Wire to the share group coordinator (broker/groups/share/owner.ts): a member leaving or
   * timing out releases its records and ends its session; a deleted group loses its share state
   * (Kafka deletes it through DeleteShareGroupState); the offsets admin APIs ask whether a
   * group is a share group and whether it has members. Member ids of ShareFetch/ShareAcknowledge
   * are not checked against the group, as Kafka 4.4 does not (test/oracle/scenarios/share-fetch.ts).
   */
  attach(groups: ShareGroups): void {
    this.shareGroups = groups;
    this.membership.shareGroupState = (groupId) => {
      const g = groups.group(groupId);
      return g ? (g.members.length > 0 ? 'active' : 'empty') : undefined;
    };
    // Start offsets and in-flight counts for `kafkalite groups`, HTTP and the console.
    groups.setProgressProvider((groupId) => this.describe(groupId));
    groups.onMemberLeft((groupId, memberId) => this.onMemberLeft(groupId, memberId));
    groups.onGroupDeleted((groupId) => {
      for (const sp of this.ofGroup(groupId)) this.drop(sp);
      for (const s of [...this.sessions.all()]) if (s.groupId === groupId) this.sessions.remove(groupId, s.memberId);
    });
  }

  /** The share group coordinator's view, once attached. */
  shareGroups: ShareGroups | null = null;

  /** Start-up: the share partitions stored in `__share_group_state`, acquired records available again. */
  load(): void {
    for (const sp of this.partitions.values()) sp.clear();
    this.partitions.clear();
    this.sessions.clear();
    let n = 0;
    for (const s of this.store.replay()) {
      const sp = this.partition(s.groupId, s.topicId, s.partition);
      sp.initialise(s.startOffset, s.stateEpoch);
      sp.leaderEpoch = s.leaderEpoch;
      sp.restore(s.batches);
      n++;
    }
    if (n > 0) this.deps.log.info({ sharePartitions: n }, 'loaded share partition state');
  }

  private static key(groupId: string, topicId: string, partition: number): string {
    return `${groupId}\u0000${topicId}\u0000${partition}`;
  }

  /** The share partition, made on first use (uninitialised until its first fetch). */
  partition(groupId: string, topicId: string, index: number): SharePartition {
    const k = ShareManager.key(groupId, topicId, index);
    let sp = this.partitions.get(k);
    if (!sp) {
      sp = new SharePartition(
        groupId,
        topicId,
        index,
        this.deps.clock,
        () => this.wake(groupId),
        (changed) => this.persistence?.changed(changed),
      );
      this.partitions.set(k, sp);
    }
    return sp;
  }

  find(groupId: string, topicId: string, index: number): SharePartition | undefined {
    return this.partitions.get(ShareManager.key(groupId, topicId, index));
  }

  /** Every share partition of a group (initialised or not). */
  ofGroup(groupId: string): SharePartition[] {
    return [...this.partitions.values()].filter((sp) => sp.groupId === groupId);
  }

  groups(): string[] {
    return [...new Set([...this.partitions.values()].map((sp) => sp.groupId))];
  }

  /** Forget a share partition (DeleteShareGroupState, DeleteShareGroupOffsets, a deleted group). */
  drop(sp: SharePartition): void {
    sp.clear();
    this.partitions.delete(ShareManager.key(sp.groupId, sp.topicId, sp.partition));
    this.persistence?.deleted(sp);
  }

  settings(groupId: string): SharePartitionSettings {
    const g = this.deps.groupConfigs;
    return {
      lockDurationMs: Number(g.value(groupId, 'share.record.lock.duration.ms')),
      deliveryCountLimit: Number(g.value(groupId, 'share.delivery.count.limit')),
      maxRecordLocks: Number(g.value(groupId, 'share.partition.max.record.locks')),
      isolationLevel: String(g.value(groupId, 'share.isolation.level')).toLowerCase() === 'read_committed' ? 1 : 0,
    };
  }

  /** Kafka initialises an uninitialised share partition at its first fetch from share.auto.offset.reset. */
  ensureInitialised(sp: SharePartition, partition: Partition): void {
    if (sp.initialised) return;
    sp.initialise(this.resetOffset(sp.groupId, partition));
    this.persistence?.changed(sp);
  }

  /** The offset share.auto.offset.reset names: latest (default), earliest or by_duration:<ISO-8601>. */
  resetOffset(groupId: string, partition: Partition): number {
    const log = partition.log;
    const reset = String(this.deps.groupConfigs.value(groupId, 'share.auto.offset.reset') ?? 'latest').trim();
    if (reset.toLowerCase() === 'earliest') return log.logStartOffset;
    if (reset.toLowerCase().startsWith('by_duration:')) {
      const ms = isoDurationMs(reset.slice('by_duration:'.length));
      const found = log.offsetForTimestamp(this.deps.clock.now() - ms, log.highWatermark);
      return found ? found.offset : log.highWatermark;
    }
    return log.highWatermark;
  }

  /** A member left the group or timed out: its records go back. */
  onMemberLeft(groupId: string, memberId: string): void {
    // The share session stays until its final epoch or its connection's end, as Kafka's share
    // session cache keeps it: clients send the closing ShareAcknowledge after leaving the group.
    this.releaseMember(groupId, memberId);
  }

  /** Release every record the member holds in the group. */
  releaseMember(groupId: string, memberId: string): number {
    let n = 0;
    for (const sp of this.ofGroup(groupId)) n += sp.releaseMember(memberId, this.settings(groupId).deliveryCountLimit);
    return n;
  }

  /** Wait for records of `groupId` to become available again; returns the unsubscribe. */
  onAvailable(groupId: string, fn: () => void): () => void {
    let set = this.waiters.get(groupId);
    if (!set) {
      set = new Set();
      this.waiters.set(groupId, set);
    }
    set.add(fn);
    return () => {
      set.delete(fn);
      if (set.size === 0 && this.waiters.get(groupId) === set) this.waiters.delete(groupId);
    };
  }

  private wake(groupId: string): void {
    for (const fn of [...(this.waiters.get(groupId) ?? [])]) fn();
  }

  /** 'empty', 'active' or undefined (no share group of that id), through the share group coordinator when wired. */
  shareGroupState(groupId: string): 'empty' | 'active' | undefined {
    if (this.membership.shareGroupState) return this.membership.shareGroupState(groupId);
    return this.ofGroup(groupId).some((sp) => sp.initialised) ? 'empty' : undefined;
  }

  /** Totals over every share partition, for /metrics: records acknowledged, released, archived, in flight now. */
  totals(): { acknowledged: number; released: number; archived: number; inFlight: number; sessions: number } {
    const out = { acknowledged: 0, released: 0, archived: 0, inFlight: 0, sessions: this.sessions.size() };
    for (const sp of this.partitions.values()) {
      out.acknowledged += sp.counters.acknowledged;
      out.released += sp.counters.released;
      out.archived += sp.counters.archived;
      out.inFlight += sp.inFlightCount();
    }
    return out;
  }

  /** Per-partition figures of a share group, for `kafkalite groups`, HTTP and /metrics. */
  describe(groupId: string): SharePartitionSummary[] {
    const out: SharePartitionSummary[] = [];
    for (const sp of this.ofGroup(groupId)) {
      const topic = this.deps.topics.getById(sp.topicId);
      out.push({
        topic: topic?.name ?? '',
        topicId: sp.topicId,
        partition: sp.partition,
        startOffset: sp.startOffset,
        inFlight: sp.inFlightCount(),
        ...sp.counters,
      });
    }
    return out.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  }
}

/** Java's Duration.parse (PnDTnHnMn.nS) in milliseconds. */
export function isoDurationMs(text: string): number {
  const m = /^([-+]?)P(?:([-+]?\d+)D)?(?:T(?:([-+]?\d+)H)?(?:([-+]?\d+)M)?(?:([-+]?\d+)(?:[.,](\d{0,9}))?S)?)?$/i.exec(text.trim());
  if (!m) return 0;
  const n = (s: string | undefined) => (s ? Number(s) : 0);
  const frac = m[6] ? Number(`0.${m[6]}`) * Math.sign(n(m[5]) || 1) : 0;
  const ms = ((n(m[2]) * 24 + n(m[3])) * 60 + n(m[4])) * 60_000 + (n(m[5]) + frac) * 1000;
  return m[1] === '-' ? -ms : ms;
}
