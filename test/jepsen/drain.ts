// The checker's final drain: once every transaction is settled (LSO = high watermark), read each
// partition from offset 0 over the raw wire at read_committed, and mark which data records a
// READ_COMMITTED reader gets, the way KafkaConsumer's CompletedFetch does: a producer is
// "aborting" from the first offset of an aborted transaction the broker names until its next
// control batch.

import { Fetch, ListOffsets } from '../../protocol/messages/index.js';
import { ZERO_UUID } from '../../protocol/primitives.js';
import { decodeBatchRecords, iterateEntries } from '../../protocol/records/index.js';
import { WireClient } from '../integration/wire-client.js';
import type { DrainedPartition } from './history.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function offsets(c: WireClient, topic: string, partitions: number, isolationLevel: 0 | 1): Promise<number[]> {
  const res = await c.send(ListOffsets, 5, {
    replicaId: -1,
    isolationLevel,
    topics: [
      {
        name: topic,
        partitions: Array.from({ length: partitions }, (_, p) => ({ partitionIndex: p, currentLeaderEpoch: -1, timestamp: -1 })),
      },
    ],
  } as never);
  const out: number[] = [];
  for (const p of res.topics[0]!.partitions) {
    if (p.errorCode !== 0) throw new Error(`ListOffsets partition ${p.partitionIndex}: error ${p.errorCode}`);
    out[p.partitionIndex] = Number(p.offset);
  }
  return out;
}

/** Waits until no transaction is open on any partition; resolves to the high watermarks. */
export async function settled(bootstrap: string, topic: string, partitions: number, timeoutMs: number): Promise<number[]> {
  const c = await WireClient.connect(bootstrap);
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [hw, lso] = [await offsets(c, topic, partitions, 0), await offsets(c, topic, partitions, 1)];
      if (hw.every((h, i) => h === lso[i])) return hw;
      if (Date.now() > deadline) throw new Error(`transactions still open after ${timeoutMs} ms: hw ${hw} lso ${lso}`);
      await sleep(200);
    }
  } finally {
    c.close();
  }
}

export async function drain(bootstrap: string, topic: string, partitions: number): Promise<Map<number, DrainedPartition>> {
  const c = await WireClient.connect(bootstrap);
  const out = new Map<number, DrainedPartition>();
  try {
    for (let partition = 0; partition < partitions; partition++) {
      const d: DrainedPartition = { records: [] };
      out.set(partition, d);
      const known = new Set<string>();
      const pending: Array<{ producerId: number; firstOffset: number }> = [];
      const aborting = new Set<number>();
      let offset = 0;
      for (;;) {
        const res = await c.send(Fetch, 11, {
          replicaId: -1,
          maxWaitMs: 0,
          minBytes: 0,
          maxBytes: 1 << 24,
          isolationLevel: 1,
          sessionId: 0,
          sessionEpoch: -1,
          topics: [
            {
              topic,
              topicId: ZERO_UUID,
              partitions: [{ partition, fetchOffset: offset, partitionMaxBytes: 1 << 20, currentLeaderEpoch: -1 }],
            },
          ],
          forgottenTopicsData: [],
          rackId: '',
        } as never);
        const p = res.responses[0]!.partitions[0]!;
        if (p.errorCode !== 0) throw new Error(`Fetch partition ${partition} at ${offset}: error ${p.errorCode}`);
        for (const a of p.abortedTransactions ?? []) {
          const key = `${a.producerId}:${a.firstOffset}`;
          if (!known.has(key)) {
            known.add(key);
            pending.push({ producerId: Number(a.producerId), firstOffset: Number(a.firstOffset) });
          }
        }
        pending.sort((x, y) => x.firstOffset - y.firstOffset);
        const bytes = p.records
          ? Buffer.isBuffer(p.records)
            ? p.records
            : Buffer.concat(p.records as unknown as Buffer[])
          : Buffer.alloc(0);
        let next = offset;
        for (const e of iterateEntries(bytes)) {
          if (e.position + e.sizeInBytes > bytes.length) break;
          const batch = decodeBatchRecords(bytes, e.position);
          const h = batch.header;
          while (pending.length > 0 && pending[0]!.firstOffset <= h.lastOffset) aborting.add(pending.shift()!.producerId);
          const pid = Number(h.producerId);
          if (h.isControl) aborting.delete(pid);
          else {
            const committed = !(h.isTransactional && aborting.has(pid));
            for (const r of batch.records) {
              if (r.offset >= offset) d.records.push({ offset: r.offset, value: r.value?.toString() ?? '', committed });
            }
          }
          next = h.lastOffset + 1;
        }
        if (next >= Number(p.highWatermark)) break;
        if (next === offset) throw new Error(`partition ${partition}: no progress at offset ${offset}`);
        offset = next;
      }
    }
  } finally {
    c.close();
  }
  return out;
}
