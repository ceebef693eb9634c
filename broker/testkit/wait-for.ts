// Helpers that act on the broker directly: produce records without a client, and wait for
// records, a stable group, a committed offset or a quiet broker. Waits are re-checked when
// something may have changed (a request answered, a partition appended to) and on a 10 ms
// tick of the broker clock; their timeouts run on the broker clock too (with a virtual clock
// they fire only as time is advanced).
//
// Waiters owns the pending waits and the in-flight request count.

import { ErrorCode } from '../../protocol/errors.js';
import type { TimerHandle } from '../../storage/clock.js';
import type { BrokerCore } from '../core.js';
import { ClassicGroup } from '../groups/classic-group.js';
import { ShareGroup } from '../groups/share/share-group.js';
import type { SharePartitionSummary } from '../share/manager.js';
import { ProduceFailure, produceRecord, readRecords, type RecordView } from '../http/records.js';

export interface ProduceRecordInput {
  key?: string | Buffer | null;
  value: string | Buffer | null;
  headers?: Record<string, string | Buffer | null>;
  partition?: number;
  timestamp?: number;
}

export interface ProducedRecord {
  partition: number;
  offset: number;
  timestamp: number;
}

export interface WaitRecordsOptions {
  /** Records to wait for (default 1). */
  count?: number;
  /** Only records this accepts count. */
  where?: (r: RecordView) => boolean;
  partition?: number;
  /** Broker-clock ms (default 10000). */
  timeoutMs?: number;
}

export interface GroupState {
  group: string;
  state: string;
  generation: number;
  members: number;
}

interface Waiter {
  check(): boolean;
}

const TICK_MS = 10;

export class Waiters {
  private readonly pending = new Set<Waiter>();
  private tick: TimerHandle | null = null;
  private readonly unsubscribe: Array<() => void> = [];
  private roundRobin = { next: 0 };
  /** Requests being handled now, Fetch long-polls left out. */
  inFlight = 0;

  constructor(private readonly core: BrokerCore) {}

  /** Append records (strings are UTF-8), partitioned by key as the Java client does, else round-robin. */
  produce(topicName: string, records: ReadonlyArray<string | ProduceRecordInput>): ProducedRecord[] {
    const topic = this.core.topics.get(topicName) ?? this.core.autoCreate(topicName)?.topic;
    if (!topic) throw new ProduceFailure(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `no topic ${topicName}`);
    return records.map((r) => {
      const input = typeof r === 'string' ? { value: r } : r;
      return produceRecord(
        this.core,
        topic,
        {
          partition: input.partition,
          key: bytes(input.key),
          value: bytes(input.value),
          headers: Object.entries(input.headers ?? {}).map(([key, value]) => ({ key, value: bytes(value) })),
          timestamp: input.timestamp,
        },
        this.roundRobin,
      );
    });
  }

  /** Resolves with the first `count` matching records (UTF-8 views) once the topic holds them. */
  records(topicName: string, opts: WaitRecordsOptions = {}): Promise<RecordView[]> {
    const count = opts.count ?? 1;
    const find = (): RecordView[] | null => {
      const topic = this.core.topics.get(topicName);
      if (!topic) return null;
      const out: RecordView[] = [];
      for (const p of topic.partitions) {
        if (opts.partition !== undefined && p.index !== opts.partition) continue;
        for (const r of readRecords(p, 0, Number.MAX_SAFE_INTEGER, 'utf8').records) if (!opts.where || opts.where(r)) out.push(r);
      }
      return out.length >= count ? out.slice(0, count) : null;
    };
    return this.until(find, opts.timeoutMs, () => `${count} record(s) in ${topicName}`, topicName);
  }

  /** Resolves when the group is Stable (with `members` members when given: classic and share groups; a share group's generation is its epoch). */
  groupStable(group: string, opts: { members?: number; timeoutMs?: number } = {}): Promise<GroupState> {
    return this.until(
      () => {
        const g = this.core.groups.group(group);
        if (g?.stateName() !== 'Stable') return null;
        const members = g instanceof ClassicGroup || g instanceof ShareGroup ? g.members.size : -1;
        if (opts.members !== undefined && members !== opts.members) return null;
        const generation = g instanceof ClassicGroup ? g.generationId : g instanceof ShareGroup ? g.groupEpoch : -1;
        return { group, state: g.stateName(), generation, members };
      },
      opts.timeoutMs,
      () => {
        const members = opts.members !== undefined ? ` with ${opts.members} member(s)` : '';
        return `group ${group} Stable${members} (now ${this.core.groups.group(group)?.stateName() ?? 'absent'})`;
      },
    );
  }

  /** Resolves when the group's committed offset for the partition is at least `offset`. */
  committed(group: string, topic: string, partition: number, offset: number, opts: { timeoutMs?: number } = {}): Promise<number> {
    return this.until(
      () => {
        const c = this.core.groups.offsets.get(group, topic, partition);
        return c && c.offset >= offset ? c.offset : null;
      },
      opts.timeoutMs,
      () =>
        `group ${group} to commit ${topic}-${partition} at ${offset} (now ${this.core.groups.offsets.get(group, topic, partition)?.offset ?? 'none'})`,
    );
  }

  /**
   * Resolves with a share group's share-partitions (start offset, in flight, acknowledged, released, archived; broker/share/)
   * once their totals reach what is asked: at least `acknowledged` / `released` / `archived` records, exactly `inFlight`
   * records acquired and not yet acknowledged.
   */
  shareProgress(
    group: string,
    want: { acknowledged?: number; released?: number; archived?: number; inFlight?: number },
    opts: { timeoutMs?: number } = {},
  ): Promise<SharePartitionSummary[]> {
    const totals = () => {
      const parts = this.core.share.describe(group);
      const sum = (k: 'acknowledged' | 'released' | 'archived' | 'inFlight') => parts.reduce((n, p) => n + p[k], 0);
      return { parts, acknowledged: sum('acknowledged'), released: sum('released'), archived: sum('archived'), inFlight: sum('inFlight') };
    };
    return this.until(
      () => {
        const t = totals();
        if (want.acknowledged !== undefined && t.acknowledged < want.acknowledged) return null;
        if (want.released !== undefined && t.released < want.released) return null;
        if (want.archived !== undefined && t.archived < want.archived) return null;
        if (want.inFlight !== undefined && t.inFlight !== want.inFlight) return null;
        return t.parts;
      },
      opts.timeoutMs,
      () => {
        const { parts: _, ...now } = totals();
        return `share group ${group} at ${JSON.stringify(want)} (now ${JSON.stringify(now)})`;
      },
    );
  }

  /** Resolves with the ISR when the partition's ISR has exactly `size` replicas (broker/replication/). */
  isr(topic: string, partition: number, size: number, opts: { timeoutMs?: number } = {}): Promise<number[]> {
    const current = () => this.core.topics.partition(topic, partition)?.replicaSet.isr;
    return this.until(
      () => {
        const isr = current();
        return isr && isr.length === size ? [...isr] : null;
      },
      opts.timeoutMs,
      () => `the ISR of ${topic}-${partition} to have ${size} replica(s) (now ${JSON.stringify(current() ?? null)})`,
      topic,
    );
  }

  /** Resolves when no request is being handled (parked Fetch long-polls don't count). */
  idle(opts: { timeoutMs?: number } = {}): Promise<void> {
    return this.until(
      () => (this.inFlight === 0 ? true : null),
      opts.timeoutMs,
      () => `idle (${this.inFlight} request(s) in flight)`,
    ).then(() => undefined);
  }

  /** Re-check every wait (called after each answered request and on appends). */
  poke(): void {
    for (const w of [...this.pending]) w.check();
  }

  /** Reject every pending wait (broker stopping). */
  close(): void {
    for (const u of this.unsubscribe.splice(0)) u();
    this.tick?.cancel();
    this.tick = null;
    const err = new Error('broker stopped');
    for (const w of [...this.pending]) (w as Waiter & { fail(e: Error): void }).fail(err);
  }

  private until<T>(probe: () => T | null, timeoutMs = 10_000, what: () => string, watchTopic?: string): Promise<T> {
    const now = probe();
    if (now !== null) return Promise.resolve(now);
    return new Promise<T>((resolve, reject) => {
      const partsUnsub: Array<() => void> = [];
      const finish = () => {
        this.pending.delete(waiter);
        timer.cancel();
        for (const u of partsUnsub) u();
        if (this.pending.size === 0) {
          this.tick?.cancel();
          this.tick = null;
        }
      };
      const waiter = {
        check: () => {
          const v = probe();
          if (v === null) return false;
          finish();
          resolve(v);
          return true;
        },
        fail: (e: Error) => {
          finish();
          reject(e);
        },
      };
      const timer = this.core.clock.setTimeout(
        () => waiter.fail(new Error(`waitFor: timed out after ${timeoutMs} ms waiting for ${what()}`)),
        timeoutMs,
      );
      if (watchTopic) for (const p of this.core.topics.get(watchTopic)?.partitions ?? []) partsUnsub.push(p.onChange(() => waiter.check()));
      this.pending.add(waiter);
      this.tick ??= this.core.clock.setInterval(() => this.poke(), TICK_MS);
    });
  }
}

function bytes(v: string | Buffer | null | undefined): Buffer | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
}
