// A partition as the broker sees it: its log (the single owner of offsets and bytes), its
// leader node and epoch, its replicas and ISR (ReplicaSet, driven by broker/replication/), and
// the waiters parked on it (long-poll fetches).

import { KafkaStorageError } from '../protocol/errors.js';
import type { EpochEntry } from '../storage/leader-epoch-checkpoint.js';
import { ProducerStateManager } from '../storage/producer-state.js';
import { rebuildProducerState } from '../storage/producer-state-recovery.js';
import type { AppendResult, PartitionLog } from '../storage/types.js';
import { ReplicaSet } from './replication/replica-set.js';

export type AppendListener = () => void;

/** Told of every append (broker/replication/replication.ts moves the followers). */
export interface AppendHook {
  appended(p: Partition): void;
}

export class Partition {
  /** Node that leads this partition. */
  leaderId: number;
  /** Bumped whenever leadership moves (Metadata v7+, Fetch v9+ fencing). */
  leaderEpoch = 0;
  /** Bytes and records appended since this partition was opened (read by broker/metrics.ts at scrape time). */
  bytesIn = 0;
  recordsIn = 0;
  /** Made on the first listener (thousands of partitions have none). */
  private listeners: Set<AppendListener> | null = null;
  /**
   * Leader epochs and the first offset led in each, oldest first (the leader-epoch cache, Kafka's
   * LeaderEpochFileCache), saved with the log on every change (storage/leader-epoch-checkpoint.ts).
   */
  private readonly epochs: EpochEntry[] = [{ epoch: 0, startOffset: 0 }];
  private producerState: ProducerStateManager | null = null;
  /**
   * The log was empty when this partition opened (a new topic or partition) and has not been cut back since: every
   * batch in it then came without a producer id (an idempotent or transactional write builds the state first and keeps
   * it), so its producer state is empty and needs no scan of the log (rebuildProducerState reads every byte stored).
   * A kafkajs consumer (READ_COMMITTED) of a topic a plain producer filled otherwise paid that scan on its first fetch.
   */
  private producersEmpty: boolean;
  /** Replicas, ISR and followers' positions (owner: ReplicaSet). */
  readonly replicaSet: ReplicaSet;

  constructor(
    readonly topic: string,
    readonly index: number,
    readonly log: PartitionLog,
    leaderId: number,
    replicas: readonly number[] = [leaderId],
    private readonly hook: AppendHook | null = null,
  ) {
    this.leaderId = leaderId;
    this.replicaSet = new ReplicaSet(replicas, log.logEndOffset);
    this.producersEmpty = log.logEndOffset === 0;
    this.loadEpochs();
  }

  /**
   * A disk log's saved cache (a restart): the leader epoch goes on from the last cached epoch, so
   * clients' last fetched epochs (KIP-320) stay valid; the leader is chosen as on a fresh start.
   * Kafka's LogLoader also truncates the cache from the end at the log end; here an epoch begun at
   * the log end with nothing written yet stays, since no controller remembers it for us. A cache
   * rebuilt from the batches (no file: a new partition, or an older data dir) is saved at once, so a
   * new partition's directory holds `0 0` as Kafka's does after Partition.makeLeader.
   */
  private loadEpochs(): void {
    const stored = this.log.loadLeaderEpochs();
    if (!stored) return;
    if (stored.entries.length > 0) {
      this.epochs.splice(0, this.epochs.length, ...stored.entries);
      this.leaderEpoch = stored.entries[stored.entries.length - 1]!.epoch;
    }
    const end = this.log.logEndOffset;
    let changed = false;
    while (this.epochs.length > 1 && this.epochs[this.epochs.length - 1]!.startOffset > end) {
      this.epochs.pop();
      changed = true;
    }
    // A rebuilt cache is written without an fsync (a new partition's `0 0` included: CreateTopics
    // of thousands of partitions pays no fsync each); a crash that loses it means another rebuild.
    if (this.trimToLogStart(false) || changed) this.saveEpochs();
    else if (stored.rebuilt) this.saveEpochs(false);
  }

  /**
   * LeaderEpochFileCache.truncateFromStart at the log start offset (retention and DeleteRecords
   * move it inside the log, so the cache follows when next used): the epochs wholly below it go
   * and the one holding it starts there. Returns whether the cache changed (saved if `save`).
   */
  private trimToLogStart(save = true): boolean {
    const start = this.log.logStartOffset;
    if ((this.epochs[0]?.startOffset ?? start) >= start) return false;
    let i = 0;
    while (i + 1 < this.epochs.length && this.epochs[i + 1]!.startOffset <= start) i++;
    this.epochs.splice(0, i + 1, { epoch: this.epochs[i]!.epoch, startOffset: start });
    if (save) this.saveEpochs();
    return true;
  }

  /** A failed write has taken the log's directory offline (storage/log-dir-failure.ts); the cache stays as it is in memory. */
  private saveEpochs(durable = true): void {
    try {
      this.log.saveLeaderEpochs(this.epochs, durable);
    } catch (err) {
      if (!(err instanceof KafkaStorageError)) throw err;
    }
  }

  /** The high watermark: the log end on one replica, else the ISR's smallest log end offset. */
  get highWatermark(): number {
    return this.replicaSet.highWatermark(this.leaderId, this.log.logEndOffset);
  }

  /** First offset led in the current leader epoch (a follower rejoins the ISR only past it). */
  epochStartOffset(): number {
    this.trimToLogStart();
    return this.epochs[this.epochs.length - 1]?.startOffset ?? 0;
  }

  /** A new leader takes over: bump the epoch, starting at the current log end. */
  changeLeader(nodeId: number): void {
    // One replica (the test kit moving it, failover without replication): the replica moves with the leader.
    if (this.replicaSet.single && this.replicaSet.replicas[0] !== nodeId) this.replicaSet.reassign([nodeId], this.log.logEndOffset);
    this.leaderId = nodeId;
    this.leaderEpoch++;
    this.trimToLogStart(false);
    // LeaderEpochFileCache.assign: an entry at the same start offset (no batch led in it) gives way.
    const startOffset = this.log.logEndOffset;
    while (this.epochs.length > 0 && this.epochs[this.epochs.length - 1]!.startOffset >= startOffset) this.epochs.pop();
    this.epochs.push({ epoch: this.leaderEpoch, startOffset });
    this.saveEpochs();
    this.notify();
  }

  /** Leader, epoch and epoch cache as plain data (test kit snapshot). */
  leadership(): { leaderId: number; leaderEpoch: number; epochs: EpochEntry[] } {
    this.trimToLogStart();
    return { leaderId: this.leaderId, leaderEpoch: this.leaderEpoch, epochs: this.epochs.map((e) => ({ ...e })) };
  }

  /** Put back what leadership() returned (test kit restore). */
  restoreLeadership(state: { leaderId: number; leaderEpoch: number; epochs: ReadonlyArray<{ epoch: number; startOffset: number }> }): void {
    this.leaderId = state.leaderId;
    this.leaderEpoch = state.leaderEpoch;
    // The log's leader-epoch-checkpoint came back with it (the test kit's image): saved again only if it says otherwise.
    const same =
      state.epochs.length === this.epochs.length &&
      state.epochs.every((e, i) => e.epoch === this.epochs[i]!.epoch && e.startOffset === this.epochs[i]!.startOffset);
    if (same) return;
    this.epochs.splice(0, this.epochs.length, ...state.epochs.map((e) => ({ ...e })));
    this.saveEpochs();
  }

  /**
   * OffsetForLeaderEpoch: end offset of `epoch`, with the largest known epoch not above it
   * (LeaderEpochFileCache.endOffsetFor); an epoch older than every cached one ends where the
   * first cached one starts (what is left after a truncation removed the older entries).
   */
  endOffsetForEpoch(epoch: number): { epoch: number; endOffset: number } {
    if (epoch >= this.leaderEpoch)
      return epoch === this.leaderEpoch ? { epoch, endOffset: this.log.logEndOffset } : { epoch: -1, endOffset: -1 };
    if (epoch < 0) return { epoch: -1, endOffset: -1 };
    this.trimToLogStart();
    let i = this.epochs.length - 1;
    while (i >= 0 && this.epochs[i]!.epoch > epoch) i--;
    if (i < 0) return { epoch, endOffset: this.epochs[0]?.startOffset ?? -1 };
    return { epoch: this.epochs[i]!.epoch, endOffset: this.epochs[i + 1]?.startOffset ?? this.log.logEndOffset };
  }

  /**
   * Cut the log back to `offset` (a new leader's log end after an unclean election; Kafka's
   * Partition.truncateTo): the leader-epoch cache loses the epochs starting at or past it
   * (LeaderEpochFileCache.truncateFromEnd), the producer state is rebuilt from what remains, and
   * the followers and the high watermark go no further than it.
   */
  truncateTo(offset: number): boolean {
    if (!this.log.truncateTo(offset)) return false;
    while (this.epochs.length > 0 && this.epochs[this.epochs.length - 1]!.startOffset >= offset) this.epochs.pop();
    this.saveEpochs();
    this.producerState = null;
    this.producersEmpty = false;
    this.replicaSet.truncatedTo(offset);
    this.notify();
    return true;
  }

  /** Idempotent/transactional producer state (owner: ProducerStateManager), rebuilt from the log on first use. */
  get producers(): ProducerStateManager {
    this.producerState ??= this.producersEmpty ? new ProducerStateManager() : rebuildProducerState(this.log);
    return this.producerState;
  }

  /** Whether the producer state has been built (reading `producers` builds it). */
  get producersLoaded(): boolean {
    return this.producerState !== null;
  }

  append(batches: Buffer): AppendResult {
    const result = this.log.append(batches, this.leaderEpoch);
    this.bytesIn += batches.length;
    this.recordsIn += result.lastOffset - result.baseOffset + 1;
    if (this.hook && !this.replicaSet.single) this.hook.appended(this);
    else this.notify();
    return result;
  }

  /** Be told after every append (and when the partition goes away). Returns the unsubscribe. */
  onChange(listener: AppendListener): () => void {
    this.listeners ??= new Set();
    this.listeners.add(listener);
    return () => this.listeners?.delete(listener);
  }

  notify(): void {
    if (!this.listeners || this.listeners.size === 0) return;
    for (const l of [...this.listeners]) l();
  }
}
