// Isolation between tests: reset() empties topics, groups, committed offsets and client quotas
// (with their rates) but keeps the
// listeners and the seeded topics (recreated empty, same ids); snapshot()/restore() capture and
// put back the whole data state. The clock is never touched.
//
// The owners stay the owners: TopicManager deletes and reopens topics, the memory store takes an
// image (storage/memory-store.ts image(): its file system's clone, buffers shared until written,
// plus each log's offsets as a clean shutdown would checkpoint them) and puts partition
// directories back, each reopened log reloading from its files as after a clean shutdown;
// Partition keeps its leadership, GroupCoordinator drops and replays its groups from
// `__consumer_offsets` (the transaction coordinator likewise, once it has resetState()). Snapshots
// need the memory store (a disk store's files are not copied:
// restore() throws there; reset() works on both).

import { MemoryStore, type StoreImage } from '../../storage/memory-store.js';
import type { TopicRecord } from '../../storage/types.js';
import type { BrokerCore } from '../core.js';
import type { FollowerState } from '../replication/replica-set.js';

export interface SeedTopic {
  partitions?: number;
  replicationFactor?: number;
  configs?: Record<string, string>;
}

/** The whole data state of a memory-store broker at one moment. Treat as opaque. */
export interface BrokerSnapshot {
  readonly takenAt: number;
  /** The memory store's data at that moment (never changed: restore() copies from it). */
  readonly image: StoreImage;
  readonly topics: ReadonlyArray<{
    readonly record: TopicRecord;
    readonly partitions: ReadonlyArray<{
      readonly leadership: { leaderId: number; leaderEpoch: number; epochs: Array<{ epoch: number; startOffset: number }> };
      readonly replicas?: { replicas: number[]; isr: number[]; followers: Array<[number, FollowerState]>; committed?: number };
    }>;
  }>;
}

/** A coordinator with the test kit's reset hook (GroupCoordinator has it; others may add it). */
interface Resettable {
  resetState?(replay: boolean): void;
}

export class StateControl {
  constructor(
    private readonly core: BrokerCore,
    private readonly seeded: Readonly<Record<string, number | SeedTopic>>,
  ) {}

  /**
   * Drop every group and offset, every topic and the clients' metrics pushes (client-metrics
   * subscriptions stay, like other configs); recreate the seeded topics empty (same ids, same configs).
   */
  reset(): void {
    const { core } = this;
    core.groups.resetState(false);
    this.txn()?.resetState?.(false);
    core.telemetry?.forgetClients();
    core.quotas.clear();
    core.throttling.clear();
    const keep = new Map<string, TopicRecord>();
    for (const [name, spec] of Object.entries(this.seeded)) {
      const t = core.topics.get(name);
      const s = typeof spec === 'number' ? { partitions: spec } : spec;
      keep.set(name, {
        name,
        id: t?.id ?? '',
        partitions: s.partitions ?? t?.partitions.length ?? core.config.int('num.partitions'),
        configs: { ...(s.configs ?? {}) },
        ...(t && !t.partitions[0]?.replicaSet.single ? { replicas: t.partitions.map((p) => [...p.replicaSet.replicas]) } : {}),
      });
    }
    core.topics.batched(() => this.recreateSeeded(keep));
    core.share.load();
  }

  private recreateSeeded(keep: ReadonlyMap<string, TopicRecord>): void {
    const { core } = this;
    for (const name of [...core.topics.all()].map((t) => t.name)) core.topics.delete(name);
    for (const rec of keep.values()) {
      if (rec.id === '') {
        const rf = (this.seeded[rec.name] as SeedTopic | number | undefined) ?? {};
        const replicationFactor = typeof rf === 'number' ? undefined : rf.replicationFactor;
        core.topics.create(rec.name, { partitions: rec.partitions, replicationFactor, configs: rec.configs });
      } else core.topics.restoreTopic(rec);
    }
  }

  snapshot(): BrokerSnapshot {
    const store = this.requireMemory('snapshot');
    const topics = [...this.core.topics.all()].map((t) => ({
      record: {
        name: t.name,
        id: t.id,
        partitions: t.partitions.length,
        configs: { ...t.configs },
        ...(t.partitions.some((p) => !p.replicaSet.single) ? { replicas: t.partitions.map((p) => [...p.replicaSet.replicas]) } : {}),
      },
      partitions: t.partitions.map((p) => ({
        leadership: p.leadership(),
        replicas: p.replicaSet.snapshot(),
      })),
    }));
    return { takenAt: this.core.clock.now(), image: store.image(), topics };
  }

  restore(snap: BrokerSnapshot): void {
    const store = this.requireMemory('restore');
    const { core } = this;
    core.groups.resetState(false);
    this.txn()?.resetState?.(false);
    core.topics.batched(() => this.reopen(store, snap));
    core.groups.resetState(true);
    this.txn()?.resetState?.(true);
    core.share.load();
  }

  /** Delete every topic, then reopen the snapshot's from its image. */
  private reopen(store: MemoryStore, snap: BrokerSnapshot): void {
    const { core } = this;
    for (const name of [...core.topics.all()].map((t) => t.name)) core.topics.delete(name);
    for (const t of snap.topics) {
      store.restoreDirs(
        snap.image,
        t.partitions.map((_, i) => `${t.record.name}-${i}`),
      );
      const topic = core.topics.restoreTopic({ ...t.record, configs: { ...t.record.configs } });
      t.partitions.forEach((saved, i) => {
        const p = topic.partitions[i]!;
        p.restoreLeadership(saved.leadership);
        if (saved.replicas) p.replicaSet.restore(saved.replicas);
        p.notify();
      });
    }
  }

  /** The transaction coordinator, when this build has one (reset through its resetState, if it has that). */
  private txn(): Resettable | undefined {
    return (this.core as unknown as { txn?: Resettable }).txn;
  }

  private requireMemory(what: string): MemoryStore {
    const { store } = this.core;
    if (store.kind !== 'memory' || !(store instanceof MemoryStore)) {
      throw new Error(`${what}() needs the memory store (this broker keeps data on disk)`);
    }
    return store;
  }
}
