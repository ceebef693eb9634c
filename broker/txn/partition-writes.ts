// The two writes that touch a partition's producer state (Kafka's ProducerAppendInfo.append and
// appendEndTxnMarker): a client batch with a producer id (validated against the state, duplicates
// answered with their original offsets), and a COMMIT/ABORT marker written by the transaction
// coordinator. Both go through Partition.append; the state itself is owned by the partition's
// ProducerStateManager (storage/producer-state.ts).

import { ErrorCode } from '../../protocol/errors.js';
import { buildBatch, buildControlBatch, readBatchHeader } from '../../protocol/records/index.js';
import { encodeRecord, type OffsetCommitRecord } from '../groups/records.js';
import { appendTxnIndexEntry, writeProducerSnapshot } from '../../storage/producer-state-files.js';
import type { Partition } from '../partition.js';
import type { TopicManager } from '../topics.js';

export type ClientAppend =
  | { errorCode: 0; baseOffset: number; duplicate: boolean /** A duplicate's stored max timestamp. */; timestamp?: number }
  | { errorCode: number; message: string };

/**
 * Append one validated client batch. Batches without a producer id go straight to the log.
 * `inTransaction` tells whether the coordinator has this partition in the producer's open
 * transaction (asked only for a transactional batch that starts a transaction here).
 */
export function appendClientBatch(
  partition: Partition,
  batch: Buffer,
  inTransaction: (producerId: number, epoch: number) => boolean,
): ClientAppend {
  const h = readBatchHeader(batch, 0);
  if (h.producerId < 0) return { errorCode: 0, baseOffset: partition.append(batch).baseOffset, duplicate: false };
  const state = partition.producers;
  const check = state.validate(h, () => inTransaction(h.producerId, h.producerEpoch));
  if (check.kind === 'duplicate') {
    const timestamp = state.entry(h.producerId)?.batches.find((m) => m.firstOffset === check.firstOffset)?.timestamp ?? -1;
    return { errorCode: 0, baseOffset: check.firstOffset, duplicate: true, timestamp };
  }
  if (check.kind === 'error') return { errorCode: check.errorCode, message: check.message };
  const appended = partition.append(batch);
  state.onAppend(h, appended.baseOffset);
  return { errorCode: 0, baseOffset: appended.baseOffset, duplicate: false };
}

/** Write a transaction marker; NONE, or INVALID_PRODUCER_EPOCH for a stale epoch. */
export function writeMarker(
  partition: Partition,
  m: { producerId: number; producerEpoch: number; commit: boolean; coordinatorEpoch: number; now: number },
): number {
  const state = partition.producers;
  const err = state.checkMarker(m.producerId, m.producerEpoch);
  if (err !== ErrorCode.NONE) return err;
  const batch = buildControlBatch({
    producerId: m.producerId,
    producerEpoch: m.producerEpoch,
    commit: m.commit,
    coordinatorEpoch: m.coordinatorEpoch,
    timestamp: m.now,
  });
  const appended = partition.append(batch);
  const aborted = state.onMarker(
    m.producerId,
    m.producerEpoch,
    m.commit,
    m.coordinatorEpoch,
    appended.baseOffset,
    m.now,
    partition.highWatermark,
  );
  if (aborted && partition.log.dir) appendTxnIndexEntry(partition.log.dir, aborted, partition.log.fs);
  partition.notify();
  return ErrorCode.NONE;
}

/** TxnOffsetCommit: offset commit records as a transactional batch of the producer in `__consumer_offsets`. */
export function appendTransactional(
  partition: Partition,
  records: readonly OffsetCommitRecord[],
  producerId: number,
  producerEpoch: number,
  now: number,
): void {
  if (records.length === 0) return;
  const batch = buildBatch({
    records: records.map((r) => ({ ...encodeRecord(r), timestamp: now })),
    producerId,
    producerEpoch,
    baseSequence: -1,
    transactional: true,
  });
  const h = readBatchHeader(batch, 0);
  const appended = partition.append(batch);
  partition.producers.onAppend(h, appended.baseOffset);
}

/** At a clean stop: a producer snapshot for every on-disk partition whose producer state was built (ProducerStateManager.takeSnapshot). */
export function snapshotProducerState(topics: TopicManager, onError: (err: unknown, partition: string) => void): void {
  for (const topic of topics.all()) {
    for (const p of topic.partitions) {
      if (!p.producersLoaded || !p.log.dir) continue;
      try {
        writeProducerSnapshot(p.log.dir, p.log.logEndOffset, p.producers.entries(), p.log.fs);
      } catch (err) {
        onError(err, `${p.topic}-${p.index}`);
      }
    }
  }
}
