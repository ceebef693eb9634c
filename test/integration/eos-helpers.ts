// Raw-wire helpers shared by the exactly-once tests: producer batches with ids, epochs and
// sequences, produce / fetch / list-offsets bodies, and the transaction API calls.

import assert from 'node:assert/strict';
import { AddPartitionsToTxn, EndTxn, Fetch, InitProducerId, ListOffsets, Produce } from '../../protocol/messages/index.js';
import { ZERO_UUID } from '../../protocol/primitives.js';
import { buildBatch, decodeBatchRecords, iterateEntries } from '../../protocol/records/index.js';
import type { WireClient } from './wire-client.js';

export function producerBatch(o: { producerId: number; epoch: number; seq: number; values: string[]; transactional?: boolean }): Buffer {
  return buildBatch({
    records: o.values.map((v) => ({ value: v, timestamp: Date.now() })),
    producerId: o.producerId,
    producerEpoch: o.epoch,
    baseSequence: o.seq,
    transactional: o.transactional ?? false,
  });
}

export async function produce(c: WireClient, topic: string, partition: number, records: Buffer, transactionalId: string | null = null) {
  const res = await c.send(Produce, 9, {
    transactionalId,
    acks: -1,
    timeoutMs: 5000,
    topicData: [{ name: topic, partitionData: [{ index: partition, records }] }],
  });
  return res.responses[0]!.partitionResponses[0]!;
}

export async function initProducerId(c: WireClient, transactionalId: string | null, timeoutMs = 60000, version = 4) {
  return c.send(InitProducerId, version, { transactionalId, transactionTimeoutMs: timeoutMs, producerId: -1, producerEpoch: -1 });
}

export async function addPartitions(
  c: WireClient,
  txnId: string,
  producerId: number,
  epoch: number,
  topic: string,
  partitions: number[],
  version = 3,
) {
  const res = await c.send(AddPartitionsToTxn, version, {
    transactions: [],
    v3AndBelowTransactionalId: txnId,
    v3AndBelowProducerId: producerId,
    v3AndBelowProducerEpoch: epoch,
    v3AndBelowTopics: [{ name: topic, partitions }],
  });
  return res.resultsByTopicV3AndBelow[0]!.resultsByPartition.map((r) => r.partitionErrorCode);
}

export async function endTxn(c: WireClient, txnId: string, producerId: number, epoch: number, committed: boolean, version = 3) {
  return (await c.send(EndTxn, version, { transactionalId: txnId, producerId, producerEpoch: epoch, committed })).errorCode;
}

export interface FetchedPartition {
  highWatermark: number;
  lastStableOffset: number;
  abortedTransactions: Array<{ producerId: number; firstOffset: number }> | null;
  /** Data records (control batches left out) as [offset, value]. */
  records: Array<[number, string]>;
  /** Offsets of control batches (markers). */
  markers: number[];
  /** Producer id of each data record and marker, by offset. */
  producers: Map<number, number>;
}

export async function fetchPartition(
  c: WireClient,
  topic: string,
  partition: number,
  offset: number,
  isolationLevel: 0 | 1,
): Promise<FetchedPartition> {
  const res = await c.send(Fetch, 11, {
    replicaId: -1,
    maxWaitMs: 0,
    minBytes: 0,
    maxBytes: 1 << 24,
    isolationLevel,
    sessionId: 0,
    sessionEpoch: -1,
    topics: [
      { topic, topicId: ZERO_UUID, partitions: [{ partition, fetchOffset: offset, partitionMaxBytes: 1 << 20, currentLeaderEpoch: -1 }] },
    ],
    forgottenTopicsData: [],
    rackId: '',
  } as never);
  const p = res.responses[0]!.partitions[0]!;
  assert.equal(p.errorCode, 0);
  const out: FetchedPartition = {
    highWatermark: p.highWatermark,
    lastStableOffset: p.lastStableOffset,
    abortedTransactions: p.abortedTransactions,
    records: [],
    markers: [],
    producers: new Map(),
  };
  const bytes = p.records ? (Buffer.isBuffer(p.records) ? p.records : Buffer.concat(p.records as unknown as Buffer[])) : Buffer.alloc(0);
  for (const e of iterateEntries(bytes)) {
    if (e.position + e.sizeInBytes > bytes.length) break;
    const batch = decodeBatchRecords(bytes, e.position);
    for (const r of batch.records) out.producers.set(r.offset, batch.header.producerId);
    if (batch.header.isControl) out.markers.push(batch.header.baseOffset);
    else for (const r of batch.records) if (r.offset >= offset) out.records.push([r.offset, r.value?.toString() ?? '']);
  }
  return out;
}

export async function latestOffset(c: WireClient, topic: string, isolationLevel: 0 | 1): Promise<number> {
  const res = await c.send(ListOffsets, 5, {
    replicaId: -1,
    isolationLevel,
    topics: [{ name: topic, partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -1 }] }],
  } as never);
  return res.topics[0]!.partitions[0]!.offset;
}

/** What a READ_COMMITTED consumer hands the application: a fetch with aborted records dropped as clients do (KafkaConsumer's CompletedFetch). */
export async function committedValues(c: WireClient, topic: string, partition: number): Promise<string[]> {
  const f = await fetchPartition(c, topic, partition, 0, 1);
  const aborted = f.abortedTransactions ?? [];
  return f.records
    .filter(([offset]) => {
      const pid = f.producers.get(offset)!;
      return !aborted.some((a) => {
        if (a.producerId !== pid || offset < a.firstOffset) return false;
        const end = f.markers.find((m) => m > a.firstOffset && f.producers.get(m) === pid);
        return end === undefined || offset < end;
      });
    })
    .map(([, v]) => v);
}
