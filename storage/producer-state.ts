// Producer state of one partition (Kafka's ProducerStateManager, ProducerAppendInfo,
// ProducerStateEntry, TransactionIndex). Pure bookkeeping over batch headers: no I/O.
// ProducerStateManager is the single owner of a partition's producer entries (epoch, last 5
// batches, coordinator epoch, open transaction), of its aborted-transaction list (the in-memory
// form of the .txnindex) and hence of the partition's first unstable offset.
//
// It changes only through `validate` + `onAppend` (client batches), `onMarker` (COMMIT/ABORT
// control batches) and `replayBatch` (recovery: every stored batch header in offset order), so
// after a restart a scan of the log rebuilds exactly what was there.

import { ErrorCode } from '../protocol/errors.js';

/** Batches remembered per producer for duplicate detection (Kafka's NUM_BATCHES_TO_RETAIN). */
export const BATCHES_TO_RETAIN = 5;
const SEQ_MOD = 2147483648;

export interface BatchMeta {
  firstSeq: number;
  lastSeq: number;
  firstOffset: number;
  lastOffset: number;
  timestamp: number;
}

export interface ProducerEntry {
  producerId: number;
  epoch: number;
  /** Oldest first, at most BATCHES_TO_RETAIN, all of `epoch`. */
  batches: BatchMeta[];
  coordinatorEpoch: number;
  /** First offset of the transaction open on this partition, -1 when none. */
  currentTxnFirstOffset: number;
  /** Time of the last write (batch max timestamp), for DescribeProducers. */
  lastTimestamp: number;
}

export interface AbortedTxn {
  producerId: number;
  firstOffset: number;
  /** Offset of the ABORT marker. */
  lastOffset: number;
  lastStableOffset: number;
}

/** What the produce path needs from a batch header. */
export interface ProducerBatch {
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  /** recordCount - 1 (lastOffsetDelta). */
  lastOffsetDelta: number;
  isTransactional: boolean;
  maxTimestamp: number;
}

export type ValidateResult =
  | { kind: 'append' }
  | { kind: 'duplicate'; firstOffset: number; lastOffset: number }
  | { kind: 'error'; errorCode: number; message: string };

export function lastSeqOf(baseSequence: number, lastOffsetDelta: number): number {
  return (baseSequence + lastOffsetDelta) % SEQ_MOD;
}

function inSequence(lastSeq: number, nextSeq: number): boolean {
  return nextSeq === lastSeq + 1 || (nextSeq === 0 && lastSeq === SEQ_MOD - 1);
}

export class ProducerStateManager {
  private readonly producers = new Map<number, ProducerEntry>();
  private readonly aborted: AbortedTxn[] = [];

  /** Start from persisted state (a snapshot and the .txnindex entries below it). */
  restore(entries: readonly ProducerEntry[], aborted: readonly AbortedTxn[]): void {
    for (const e of entries) this.producers.set(e.producerId, { ...e, batches: [...e.batches] });
    this.aborted.push(...aborted);
  }

  entries(): ProducerEntry[] {
    return [...this.producers.values()];
  }

  entry(producerId: number): ProducerEntry | undefined {
    return this.producers.get(producerId);
  }

  /**
   * Kafka's checks for a client batch with producerId >= 0, in Kafka's order: duplicate, epoch,
   * sequence, transaction state. `txnVerified` says the coordinator has this partition in the
   * producer's transaction (the local form of KIP-890 verification).
   */
  validate(b: ProducerBatch, txnVerified: () => boolean): ValidateResult {
    const e = this.producers.get(b.producerId);
    const lastSeq = lastSeqOf(b.baseSequence, b.lastOffsetDelta);
    if (e && e.epoch === b.producerEpoch) {
      const dup = e.batches.find((m) => m.firstSeq === b.baseSequence && m.lastSeq === lastSeq);
      if (dup) return { kind: 'duplicate', firstOffset: dup.firstOffset, lastOffset: dup.lastOffset };
    }
    if (e && b.producerEpoch < e.epoch) {
      return {
        kind: 'error',
        errorCode: ErrorCode.INVALID_PRODUCER_EPOCH,
        message: `Epoch of producer ${b.producerId} at offset is ${b.producerEpoch}, which is smaller than the last seen epoch ${e.epoch}`,
      };
    }
    if (e && e.epoch >= 0) {
      if (b.producerEpoch !== e.epoch) {
        if (b.baseSequence !== 0) {
          return {
            kind: 'error',
            errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
            message:
              `Invalid sequence number for new epoch of producer ${b.producerId}: ` +
              `${b.producerEpoch} (request epoch), ${b.baseSequence} (seq. number), ${e.epoch} (current producer epoch)`,
          };
        }
      } else {
        const current = e.batches.length > 0 ? e.batches[e.batches.length - 1]!.lastSeq : -1;
        if (!inSequence(current, b.baseSequence)) {
          return {
            kind: 'error',
            errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
            message:
              `Out of order sequence number for producer ${b.producerId}: ` +
              `${b.baseSequence} (incoming seq. number), ${current} (current end sequence number)`,
          };
        }
      }
    }
    const open = e !== undefined && e.currentTxnFirstOffset >= 0;
    if (b.isTransactional && !open && !txnVerified()) {
      return {
        kind: 'error',
        errorCode: ErrorCode.INVALID_TXN_STATE,
        message: `Transactional batch of producer ${b.producerId} for a partition not in its transaction`,
      };
    }
    if (!b.isTransactional && open) {
      return {
        kind: 'error',
        errorCode: ErrorCode.INVALID_TXN_STATE,
        message: `Non-transactional batch of producer ${b.producerId} while its transaction is open`,
      };
    }
    return { kind: 'append' };
  }

  /** Record an appended client batch (after validate said 'append', or during recovery). */
  onAppend(b: ProducerBatch, firstOffset: number): void {
    let e = this.producers.get(b.producerId);
    if (!e) {
      e = {
        producerId: b.producerId,
        epoch: b.producerEpoch,
        batches: [],
        coordinatorEpoch: -1,
        currentTxnFirstOffset: -1,
        lastTimestamp: -1,
      };
      this.producers.set(b.producerId, e);
    }
    if (e.epoch !== b.producerEpoch) {
      e.epoch = b.producerEpoch;
      e.batches = [];
    }
    e.batches.push({
      firstSeq: b.baseSequence,
      lastSeq: lastSeqOf(b.baseSequence, b.lastOffsetDelta),
      firstOffset,
      lastOffset: firstOffset + b.lastOffsetDelta,
      timestamp: b.maxTimestamp,
    });
    if (e.batches.length > BATCHES_TO_RETAIN) e.batches.shift();
    e.lastTimestamp = b.maxTimestamp;
    if (b.isTransactional && e.currentTxnFirstOffset < 0) e.currentTxnFirstOffset = firstOffset;
  }

  /** A marker may not be written with an epoch older than the producer's (INVALID_PRODUCER_EPOCH otherwise). */
  checkMarker(producerId: number, epoch: number): number {
    const e = this.producers.get(producerId);
    return e && epoch < e.epoch ? ErrorCode.INVALID_PRODUCER_EPOCH : ErrorCode.NONE;
  }

  /**
   * A COMMIT/ABORT marker was appended at `offset`: the producer's transaction on this partition
   * ends; an aborted one goes into the aborted list (with the LSO as it is after the marker).
   */
  onMarker(
    producerId: number,
    epoch: number,
    commit: boolean,
    coordinatorEpoch: number,
    offset: number,
    timestamp: number,
    highWatermark: number,
  ): AbortedTxn | null {
    let e = this.producers.get(producerId);
    if (!e) {
      e = { producerId, epoch, batches: [], coordinatorEpoch, currentTxnFirstOffset: -1, lastTimestamp: timestamp };
      this.producers.set(producerId, e);
    }
    if (epoch > e.epoch) {
      e.epoch = epoch;
      e.batches = [];
    }
    e.coordinatorEpoch = coordinatorEpoch;
    e.lastTimestamp = timestamp;
    const first = e.currentTxnFirstOffset;
    e.currentTxnFirstOffset = -1;
    if (commit || first < 0) return null;
    const entry = { producerId, firstOffset: first, lastOffset: offset, lastStableOffset: this.lastStableOffset(highWatermark) };
    this.aborted.push(entry);
    return entry;
  }

  /** First offset of the earliest open transaction, or null. */
  firstUnstableOffset(): number | null {
    let min: number | null = null;
    for (const e of this.producers.values()) {
      if (e.currentTxnFirstOffset >= 0 && (min === null || e.currentTxnFirstOffset < min)) min = e.currentTxnFirstOffset;
    }
    return min;
  }

  lastStableOffset(highWatermark: number): number {
    const f = this.firstUnstableOffset();
    return f === null ? highWatermark : Math.min(f, highWatermark);
  }

  /** Aborted transactions overlapping [fetchOffset, upperBound) (Fetch at READ_COMMITTED; UnifiedLog.collectAbortedTransactions). */
  abortedTransactions(fetchOffset: number, upperBound: number): Array<{ producerId: number; firstOffset: number }> {
    return this.aborted
      .filter((a) => a.lastOffset >= fetchOffset && a.firstOffset < upperBound)
      .map((a) => ({ producerId: a.producerId, firstOffset: a.firstOffset }));
  }

  /** Every aborted transaction recorded (the .txnindex contents), oldest first. */
  abortedIndex(): readonly AbortedTxn[] {
    return this.aborted;
  }

  /** Recovery: apply one stored batch header (control markers carry their type in `markerCommit`). */
  replayBatch(
    b: ProducerBatch & { isControl: boolean; baseOffset: number },
    marker: { commit: boolean; coordinatorEpoch: number } | null,
    highWatermark: number,
  ): void {
    if (b.producerId < 0) return;
    if (b.isControl) {
      if (marker)
        this.onMarker(b.producerId, b.producerEpoch, marker.commit, marker.coordinatorEpoch, b.baseOffset, b.maxTimestamp, highWatermark);
      return;
    }
    this.onAppend(b, b.baseOffset);
  }
}
