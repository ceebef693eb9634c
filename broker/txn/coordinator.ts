// The transaction coordinator of one broker (Kafka's TransactionCoordinator,
// TransactionMetadata, TransactionStateManager). TransactionCoordinator is the single owner of
// the transaction map (every transactional id's producer id/epoch, state, partitions, pending
// offset commits), of the producer-id counter and of the timed-out-transaction timer (on the
// broker clock). Every state change is appended to `__transaction_state` before it takes
// effect in memory; load() replays it at start-up and finishes what a crash left half done
// (Prepare* -> markers and Complete*; Ongoing is aborted by the timer when it times out).
//
// Markers are written in process (no WriteTxnMarkers round trip): EndTxn logs Prepare*,
// writes the COMMIT/ABORT control batch to every partition of the transaction, applies or
// drops the pending offsets, logs Complete* and only then answers; so CONCURRENT_TRANSACTIONS
// is only answered to InitProducerId while an Ongoing transaction is being fenced.

import type { Logger } from 'pino';
import type { BrokerConfig } from '../../config/index.js';
import { ErrorCode } from '../../protocol/errors.js';
import type { Clock, TimerHandle } from '../../storage/clock.js';
import type { LogStore } from '../../storage/types.js';
import type { ClusterState } from '../cluster.js';
import { CoordinatorKeyType, type CoordinatorPlacement } from '../coordinator-placement.js';
import type { GroupCoordinator } from '../groups/coordinator.js';
import type { OffsetCommitRecord } from '../groups/records.js';
import { TRANSACTION_STATE_TOPIC, type TopicManager } from '../topics.js';
import { appendTransactional, snapshotProducerState, writeMarker } from './partition-writes.js';
import { ProducerIdBlockFile } from './producer-id-block.js';
import { PRODUCER_ID_BLOCK_KEY, TransactionStateLog } from './state-log.js';
import { TxnState, partitionKey, txnFromLog, txnToLog, type PendingOffset, type TxnMetadata } from './metadata.js';

const PRODUCER_ID_BLOCK = 1000;
const MAX_EPOCH = 32766;

export class TransactionCoordinator {
  /** Every transactional id (owner: this class). */
  private readonly txns = new Map<string, TxnMetadata>();
  readonly stateLog: TransactionStateLog;
  /** Where the producer-id counter's mark is kept (not `__transaction_state`: Kafka's ids come from its controller). */
  private readonly idBlock: ProducerIdBlockFile;
  private nextProducerId = 0;
  private blockEnd = 0;
  private timer: TimerHandle | null = null;

  constructor(
    private readonly deps: {
      topics: TopicManager;
      groups: GroupCoordinator;
      cluster: ClusterState;
      placement: CoordinatorPlacement;
      config: BrokerConfig;
      clock: Clock;
      log: Logger;
      store: LogStore;
    },
  ) {
    this.stateLog = new TransactionStateLog(deps.topics, deps.config, deps.clock, deps.log);
    this.idBlock = new ProducerIdBlockFile(deps.store);
    // A transactional id's coordinator leads its `__transaction_state` partition; before the topic
    // exists, the node that partition's leader will be placed on (FindCoordinator does not create it).
    deps.placement.serve(CoordinatorKeyType.TRANSACTION, (id) => {
      const p = this.stateLog.partitionIndexOf(id);
      const topic = this.stateLog.get();
      return topic ? topic.partitions[p]!.leaderId : deps.cluster.leaderFor(TRANSACTION_STATE_TOPIC, p);
    });
  }

  /** Replay `__transaction_state`, finish half-written transactions, start the timeout timer. */
  load(): void {
    this.blockEnd = this.nextProducerId = Math.max(this.blockEnd, this.idBlock.read());
    this.replayState();
    const every = this.deps.config.int('transaction.abort.timed.out.transaction.cleanup.interval.ms');
    this.timer = this.deps.clock.setInterval(() => this.abortTimedOut(), every);
  }

  /**
   * Test kit isolation (broker/testkit/state.ts): drop every transaction, then (replay true,
   * after the logs were put back and the group coordinator replayed) rebuild them from
   * `__transaction_state`. The producer-id counter never goes back, so ids are not reused.
   */
  resetState(replay: boolean): void {
    this.txns.clear();
    if (replay) this.replayState();
  }

  private replayState(): void {
    this.stateLog.replay((id, v) => {
      // The mark as data directories before kafkalite-producer-ids.json kept it (producer-id-block.ts).
      if (id === PRODUCER_ID_BLOCK_KEY) {
        if (v) this.blockEnd = this.nextProducerId = Math.max(this.blockEnd, v.producerId);
        return;
      }
      if (v === null) this.txns.delete(id);
      else this.txns.set(id, txnFromLog(id, v, this.txns.get(id)));
    });
    for (const t of this.txns.values()) this.nextProducerId = this.blockEnd = Math.max(this.blockEnd, t.producerId + 1);
    // Offsets committed inside transactions that had no marker yet (replayed by the group coordinator).
    const open = this.deps.groups.topic.openTransactionalOffsets;
    for (const t of this.txns.values()) {
      for (const rec of open.get(t.producerId) ?? []) {
        if (!rec.value) continue;
        const list = t.pendingOffsets.get(rec.group) ?? [];
        list.push({
          topic: rec.topic,
          partition: rec.partition,
          offset: rec.value.offset,
          leaderEpoch: rec.value.leaderEpoch,
          metadata: rec.value.metadata,
        });
        t.pendingOffsets.set(rec.group, list);
      }
    }
    open.clear();
    for (const t of this.txns.values()) {
      if (t.state === TxnState.PrepareCommit || t.state === TxnState.PrepareAbort) this.complete(t, t.state === TxnState.PrepareCommit);
    }
  }

  /** Stop the timer. */
  shutdown(): void {
    this.timer?.cancel();
    this.timer = null;
  }

  /**
   * A producer snapshot for every partition whose producer state was built (a clean stop, as the
   * store closes its logs: LogStore.close's lastWrites, so their fsyncs share the logs' batch).
   */
  writeProducerSnapshots(): void {
    snapshotProducerState(this.deps.topics, (err, partition) => this.deps.log.warn({ err, partition }, 'cannot write a producer snapshot'));
  }

  transaction(id: string): TxnMetadata | undefined {
    return this.txns.get(id);
  }

  all(): TxnMetadata[] {
    return [...this.txns.values()];
  }

  /**
   * A fresh producer id. Blocks are reserved durably (producer-id-block.ts) before an id of theirs
   * is used, so ids never repeat after a restart; an idempotent producer's InitProducerId touches
   * no `__transaction_state`, as in Kafka.
   */
  newProducerId(): number {
    if (this.nextProducerId >= this.blockEnd) {
      const end = this.nextProducerId + PRODUCER_ID_BLOCK;
      this.idBlock.write(end);
      this.blockEnd = end;
    }
    return this.nextProducerId++;
  }

  /** InitProducerId for a transactional id (TransactionCoordinator.handleInitProducerId); codes before version downgrades. */
  initProducerId(
    id: string,
    timeoutMs: number,
    expected: { producerId: number; producerEpoch: number },
  ): { errorCode: number; producerId: number; producerEpoch: number } {
    const fail = (errorCode: number) => ({ errorCode, producerId: -1, producerEpoch: -1 });
    if (id === '') return fail(ErrorCode.INVALID_REQUEST);
    if (timeoutMs <= 0 || timeoutMs > this.deps.config.int('transaction.max.timeout.ms'))
      return fail(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
    const now = this.deps.clock.now();
    let t = this.txns.get(id);
    if (!t) {
      const producerId = this.newProducerId();
      t = {
        transactionalId: id,
        producerId,
        previousProducerId: producerId,
        producerEpoch: -1,
        lastProducerEpoch: -1,
        timeoutMs,
        state: TxnState.Empty,
        partitions: new Map(),
        pendingOffsets: new Map(),
        startTs: -1,
        lastUpdateTs: now,
      };
      this.txns.set(id, t);
    }
    if (expected.producerId >= 0) {
      const matches =
        expected.producerId === t.producerId &&
        (expected.producerEpoch === t.producerEpoch || expected.producerEpoch === t.lastProducerEpoch);
      if (!matches) return fail(ErrorCode.PRODUCER_FENCED);
    }
    if (t.state === TxnState.PrepareCommit || t.state === TxnState.PrepareAbort) return fail(ErrorCode.CONCURRENT_TRANSACTIONS);
    if (t.state === TxnState.Ongoing) {
      this.fenceAndAbort(t, 'a new producer with the same transactional id');
      return fail(ErrorCode.CONCURRENT_TRANSACTIONS);
    }
    t.previousProducerId = t.producerId;
    if (t.producerEpoch >= MAX_EPOCH) {
      t.producerId = this.newProducerId();
      t.producerEpoch = -1;
    }
    t.v2Retry = undefined;
    t.lastProducerEpoch = t.producerEpoch;
    t.producerEpoch++;
    t.timeoutMs = timeoutMs;
    t.state = TxnState.Empty;
    t.partitions.clear();
    t.pendingOffsets.clear();
    t.startTs = -1;
    t.lastUpdateTs = now;
    this.persist(t);
    return { errorCode: ErrorCode.NONE, producerId: t.producerId, producerEpoch: t.producerEpoch };
  }

  /** The checks shared by AddPartitionsToTxn, AddOffsetsToTxn and EndTxn. */
  check(id: string, producerId: number, producerEpoch: number): { errorCode: number; txn?: TxnMetadata } {
    const t = this.txns.get(id);
    if (!t || t.producerId !== producerId) return { errorCode: ErrorCode.INVALID_PRODUCER_ID_MAPPING };
    if (producerEpoch !== t.producerEpoch) return { errorCode: ErrorCode.PRODUCER_FENCED };
    if (t.state === TxnState.PrepareCommit || t.state === TxnState.PrepareAbort) return { errorCode: ErrorCode.CONCURRENT_TRANSACTIONS };
    return { errorCode: ErrorCode.NONE, txn: t };
  }

  /** AddPartitionsToTxn for one transaction: one code for every partition. */
  addPartitions(
    id: string,
    producerId: number,
    producerEpoch: number,
    partitions: ReadonlyArray<{ topic: string; partition: number }>,
    verifyOnly = false,
  ): number {
    const { errorCode, txn } = this.check(id, producerId, producerEpoch);
    if (!txn) return errorCode;
    if (verifyOnly)
      return partitions.every((p) => txn.state === TxnState.Ongoing && txn.partitions.has(partitionKey(p.topic, p.partition)))
        ? ErrorCode.NONE
        : ErrorCode.INVALID_TXN_STATE;
    for (const p of partitions) txn.partitions.set(partitionKey(p.topic, p.partition), { topic: p.topic, partition: p.partition });
    this.begin(txn);
    return ErrorCode.NONE;
  }

  /** AddOffsetsToTxn: the group's `__consumer_offsets` partition joins the transaction. */
  addOffsets(id: string, producerId: number, producerEpoch: number, groupId: string): number {
    const { errorCode, txn } = this.check(id, producerId, producerEpoch);
    if (!txn) return errorCode;
    const p = this.deps.groups.topic.partitionFor(groupId);
    txn.partitions.set(partitionKey(p.topic, p.index), { topic: p.topic, partition: p.index });
    if (!txn.pendingOffsets.has(groupId)) txn.pendingOffsets.set(groupId, []);
    this.begin(txn);
    return ErrorCode.NONE;
  }

  /**
   * TxnOffsetCommit's transaction check (Kafka verifies it before the group coordinator looks at
   * the member): the producer owns the transaction, which is ongoing with `groupId` added.
   */
  verifyOffsetCommit(id: string, producerId: number, producerEpoch: number, groupId: string): number {
    const t = this.txns.get(id);
    if (!t || t.producerId !== producerId) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    if (producerEpoch !== t.producerEpoch) return ErrorCode.PRODUCER_FENCED;
    if (t.state !== TxnState.Ongoing || !t.pendingOffsets.has(groupId)) return ErrorCode.INVALID_TXN_STATE;
    return ErrorCode.NONE;
  }

  /** TxnOffsetCommit: offsets kept pending in the transaction until its marker. */
  pendingOffsetCommit(id: string, producerId: number, producerEpoch: number, groupId: string, offsets: PendingOffset[]): number {
    const verified = this.verifyOffsetCommit(id, producerId, producerEpoch, groupId);
    if (verified !== ErrorCode.NONE) return verified;
    const t = this.txns.get(id)!;
    const pending = t.pendingOffsets.get(groupId)!;
    // Logged as a transactional batch in the group's partition (Kafka's format); the marker decides.
    const now = this.deps.clock.now();
    const records: OffsetCommitRecord[] = offsets.map((o) => ({
      kind: 'offset',
      group: groupId,
      topic: o.topic,
      partition: o.partition,
      value: { offset: o.offset, leaderEpoch: o.leaderEpoch, metadata: o.metadata, commitTimestamp: now, expireTimestamp: null },
      topicId: this.deps.topics.get(o.topic)?.id,
    }));
    try {
      appendTransactional(this.deps.groups.topic.partitionFor(groupId), records, producerId, producerEpoch, now);
    } catch (err) {
      this.deps.log.error({ err, group: groupId }, 'cannot append transactional offsets');
      return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    }
    for (const o of offsets) {
      const i = pending.findIndex((p) => p.topic === o.topic && p.partition === o.partition);
      if (i >= 0) pending[i] = o;
      else pending.push(o);
    }
    return ErrorCode.NONE;
  }

  /** Whether `group` has offsets pending in an open transaction (OffsetFetch require_stable). */
  hasPendingOffsets(groupId: string, topic: string, partition: number): boolean {
    for (const t of this.txns.values()) {
      if (t.state === TxnState.Ongoing && t.pendingOffsets.get(groupId)?.some((o) => o.topic === topic && o.partition === partition))
        return true;
    }
    return false;
  }

  /** EndTxn (TransactionCoordinator.handleEndTransaction). */
  endTxn(id: string, producerId: number, producerEpoch: number, commit: boolean): number {
    const t = this.txns.get(id);
    if (!t || t.producerId !== producerId) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    if (producerEpoch !== t.producerEpoch) {
      // A retry after the coordinator fenced with a bump reads as fenced.
      return ErrorCode.PRODUCER_FENCED;
    }
    switch (t.state) {
      case TxnState.Ongoing:
        this.prepare(t, commit);
        this.complete(t, commit);
        return ErrorCode.NONE;
      case TxnState.CompleteCommit:
        return commit ? ErrorCode.NONE : ErrorCode.INVALID_TXN_STATE;
      case TxnState.CompleteAbort:
        return commit ? ErrorCode.INVALID_TXN_STATE : ErrorCode.NONE;
      case TxnState.PrepareCommit:
        return commit ? ErrorCode.CONCURRENT_TRANSACTIONS : ErrorCode.INVALID_TXN_STATE;
      case TxnState.PrepareAbort:
        return commit ? ErrorCode.INVALID_TXN_STATE : ErrorCode.CONCURRENT_TRANSACTIONS;
      default:
        return ErrorCode.INVALID_TXN_STATE;
    }
  }

  /**
   * EndTxn v5 (transactions v2, KIP-890 part 2; Kafka's TransactionCoordinator.endTransaction):
   * every commit or abort bumps the epoch, the markers carry the bumped epoch (so a late write of
   * the old epoch is fenced), and the answer gives the id and epoch to use next (a new producer
   * id when the epoch runs out). A retry with the previous epoch after the transaction completed
   * gets the same answer (the opposite outcome INVALID_TXN_STATE); an abort with no transaction
   * open still bumps the epoch (the client aborts after an error before it sent anything).
   */
  endTxnV2(
    id: string,
    producerId: number,
    producerEpoch: number,
    commit: boolean,
  ): { errorCode: number; producerId: number; producerEpoch: number } {
    const answer = (errorCode: number, t?: TxnMetadata) => ({
      errorCode,
      producerId: t?.producerId ?? -1,
      producerEpoch: t?.producerEpoch ?? -1,
    });
    const t = this.txns.get(id);
    // A retry: the client's own EndTxn v5, completed, asked again with the id and epoch it was sent
    // with; or the epoch just before the last bump (Kafka's TransactionCoordinator.endTransaction
    // reads lastProducerEpoch so under transactions v2), which a fencing abort leaves too: the old
    // producer's EndTxn then meets the completed abort (INVALID_TXN_STATE for a commit).
    const retry =
      (t?.v2Retry?.producerId === producerId && t.v2Retry.producerEpoch === producerEpoch) ||
      (t?.producerId === producerId && producerEpoch !== t.producerEpoch && t.lastProducerEpoch === producerEpoch);
    if (!t || (t.producerId !== producerId && !retry)) return answer(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
    if (producerEpoch !== t.producerEpoch || t.producerId !== producerId) {
      const completed = t.state === TxnState.CompleteCommit || t.state === TxnState.CompleteAbort;
      if (!retry || !completed) return answer(ErrorCode.PRODUCER_FENCED);
      return (t.state === TxnState.CompleteCommit) === commit ? answer(ErrorCode.NONE, t) : answer(ErrorCode.INVALID_TXN_STATE);
    }
    switch (t.state) {
      case TxnState.Ongoing:
        t.v2Retry = { producerId, producerEpoch };
        this.bumpEpoch(t);
        this.prepare(t, commit);
        this.complete(t, commit);
        return answer(ErrorCode.NONE, t);
      case TxnState.Empty:
      case TxnState.CompleteCommit:
      case TxnState.CompleteAbort:
        if (commit) return answer(ErrorCode.INVALID_TXN_STATE);
        t.v2Retry = { producerId, producerEpoch };
        this.bumpEpoch(t);
        this.prepare(t, false);
        this.complete(t, false);
        return answer(ErrorCode.NONE, t);
      case TxnState.PrepareCommit:
      case TxnState.PrepareAbort:
        return answer(ErrorCode.CONCURRENT_TRANSACTIONS);
      default:
        return answer(ErrorCode.INVALID_TXN_STATE);
    }
  }

  /**
   * Produce v12+ and TxnOffsetCommit v5+ (transactions v2): the partition joins the producer's
   * transaction without AddPartitionsToTxn. False when the producer has no transaction at this
   * epoch, or it is completing.
   */
  addImplicitly(producerId: number, producerEpoch: number, topic: string, partition: number): boolean {
    for (const t of this.txns.values()) {
      if (t.producerId !== producerId) continue;
      if (t.producerEpoch !== producerEpoch || t.state === TxnState.PrepareCommit || t.state === TxnState.PrepareAbort) return false;
      if (t.state === TxnState.Ongoing && t.partitions.has(partitionKey(topic, partition))) return true;
      t.partitions.set(partitionKey(topic, partition), { topic, partition });
      this.begin(t);
      return true;
    }
    return false;
  }

  /** Produce-side verification: is this partition in the producer's open transaction? */
  inTransaction(producerId: number, producerEpoch: number, topic: string, partition: number): boolean {
    for (const t of this.txns.values()) {
      if (t.producerId === producerId && t.producerEpoch === producerEpoch)
        return t.state === TxnState.Ongoing && t.partitions.has(partitionKey(topic, partition));
    }
    return false;
  }

  /** Abort every transaction Ongoing for longer than its timeout (the cleanup timer). */
  abortTimedOut(): void {
    const now = this.deps.clock.now();
    for (const t of this.txns.values()) {
      if (t.state === TxnState.Ongoing && t.startTs >= 0 && now - t.startTs > t.timeoutMs)
        this.fenceAndAbort(t, 'the transaction timed out');
    }
  }

  // ---- state changes --------------------------------------------------------------------------

  /** Transactions v2: the next epoch, or a new producer id at epoch 0 when the epoch runs out. */
  private bumpEpoch(t: TxnMetadata): void {
    t.lastProducerEpoch = t.producerEpoch;
    if (t.producerEpoch >= MAX_EPOCH) {
      t.producerId = this.newProducerId();
      t.producerEpoch = 0;
    } else {
      t.producerEpoch++;
    }
  }

  private begin(t: TxnMetadata): void {
    const now = this.deps.clock.now();
    t.v2Retry = undefined;
    if (t.state !== TxnState.Ongoing) {
      t.state = TxnState.Ongoing;
      t.startTs = now;
    }
    t.lastUpdateTs = now;
    this.persist(t);
  }

  /** Bump the epoch (fencing the current producer) and abort with it (PrepareEpochFence). */
  private fenceAndAbort(t: TxnMetadata, why: string): void {
    this.deps.log.info(
      { transactionalId: t.transactionalId, producerId: t.producerId, epoch: t.producerEpoch },
      `aborting a transaction: ${why}`,
    );
    t.v2Retry = undefined;
    t.lastProducerEpoch = t.producerEpoch;
    t.producerEpoch++;
    this.prepare(t, false);
    this.complete(t, false);
  }

  private prepare(t: TxnMetadata, commit: boolean): void {
    t.state = commit ? TxnState.PrepareCommit : TxnState.PrepareAbort;
    t.lastUpdateTs = this.deps.clock.now();
    this.persist(t);
  }

  /** Write the markers, apply or drop the pending offsets, log Complete*. */
  private complete(t: TxnMetadata, commit: boolean): void {
    const now = this.deps.clock.now();
    for (const p of t.partitions.values()) {
      const partition = this.deps.topics.get(p.topic)?.partitions[p.partition];
      if (!partition) continue;
      const err = writeMarker(partition, { producerId: t.producerId, producerEpoch: t.producerEpoch, commit, coordinatorEpoch: 0, now });
      if (err !== ErrorCode.NONE)
        this.deps.log.warn(
          { transactionalId: t.transactionalId, topic: p.topic, partition: p.partition, errorCode: err },
          'transaction marker refused',
        );
    }
    if (commit) {
      for (const [groupId, offsets] of t.pendingOffsets) {
        const records: OffsetCommitRecord[] = offsets.map((o) => ({
          kind: 'offset',
          group: groupId,
          topic: o.topic,
          partition: o.partition,
          value: { offset: o.offset, leaderEpoch: o.leaderEpoch, metadata: o.metadata, commitTimestamp: now, expireTimestamp: null },
        }));
        if (records.length === 0) continue;
        // Already in the log, made effective by the COMMIT marker just written.
        if (!this.deps.groups.group(groupId)) this.deps.groups.getOrCreateClassicGroup(groupId);
        for (const r of records) this.deps.groups.offsets.replay(r);
      }
    }
    t.state = commit ? TxnState.CompleteCommit : TxnState.CompleteAbort;
    t.partitions.clear();
    t.pendingOffsets.clear();
    t.lastUpdateTs = now;
    this.persist(t);
  }

  private persist(t: TxnMetadata): void {
    this.stateLog.append(t.transactionalId, txnToLog(t));
  }
}
