// The shared set-up of the wire-errors-*.test.ts files: a broker per test with raw WireClients, and the
// request bodies and record batches they send (Produce, Fetch, ListOffsets) built over our codecs.

import assert from 'node:assert/strict';
import pino from 'pino';
import { startBroker, type Broker, type BrokerOptions } from '../../broker/index.js';
import { ApiVersions, ListOffsets, Produce } from '../../protocol/messages/index.js';
import { Writer, ZERO_UUID } from '../../protocol/primitives.js';
import { buildBatch, decodeBatchRecords, iterateEntries, type DecodedRecord, type RecordInput } from '../../protocol/records/index.js';
import { WireClient } from './wire-client.js';

export const T = { timeout: 20_000 };

// ---------------------------------------------------------------------------------------------
// helpers

/** A pino logger writing JSON lines into memory. */
export function memoryLogger() {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(s) });
  return { logger, text: () => lines.join('') };
}

/** Start a broker, hand out clients, and release everything afterwards. */
export async function withBroker(
  opts: BrokerOptions,
  fn: (broker: Broker, connect: () => Promise<WireClient>) => Promise<void>,
): Promise<void> {
  const broker = await startBroker(opts);
  const clients: WireClient[] = [];
  const connect = async () => {
    const c = await WireClient.connect(broker.bootstrap);
    clients.push(c);
    return c;
  };
  try {
    await fn(broker, connect);
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await broker.stop();
  }
}

/** A request frame with header v1 for any api key (unknown ones included). */
export function rawRequest(apiKey: number, version: number, correlationId: number, body: Buffer = Buffer.alloc(0)): Buffer {
  const w = new Writer(64);
  w.int32(0).int16(apiKey).int16(version).int32(correlationId).int16(4).raw(Buffer.from('test')).raw(body);
  const out = w.toBuffer();
  out.writeInt32BE(out.length - 4, 0);
  return out;
}

export function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n, 0);
  return b;
}

export function batch(records: RecordInput[], compression = 0): Buffer {
  return buildBatch({ records, compression });
}

export function produceBody(acks: number, parts: Array<{ topic: string; partition?: number; records: Buffer | null }>) {
  const topics = new Map<string, Array<{ index: number; records: Buffer | null }>>();
  for (const p of parts) {
    if (!topics.has(p.topic)) topics.set(p.topic, []);
    topics.get(p.topic)!.push({ index: p.partition ?? 0, records: p.records });
  }
  return {
    transactionalId: null,
    acks,
    timeoutMs: 5000,
    topicData: [...topics].map(([name, partitionData]) => ({ name, partitionData })),
  };
}

/** Produce one batch (acks=1) and return the partition response. */
export async function produceOne(c: WireClient, topic: string, partition: number, records: Buffer, version = 9) {
  const res = await c.send(Produce, version, produceBody(1, [{ topic, partition, records }]));
  assert.equal(res.responses.length, 1);
  return res.responses[0]!.partitionResponses[0]!;
}

export interface FetchPart {
  topic?: string;
  topicId?: string;
  partition: number;
  offset: number;
  partitionMaxBytes?: number;
  currentLeaderEpoch?: number;
}

export function fetchBody(parts: FetchPart[], o: { maxWaitMs?: number; minBytes?: number; maxBytes?: number } = {}) {
  const topics: Array<{ topic: string; topicId: string; partitions: Array<Record<string, number>> }> = [];
  for (const p of parts) {
    let t = topics.find((x) => x.topic === (p.topic ?? '') && x.topicId === (p.topicId ?? ZERO_UUID));
    if (!t) {
      t = { topic: p.topic ?? '', topicId: p.topicId ?? ZERO_UUID, partitions: [] };
      topics.push(t);
    }
    t.partitions.push({
      partition: p.partition,
      fetchOffset: p.offset,
      partitionMaxBytes: p.partitionMaxBytes ?? 1 << 20,
      currentLeaderEpoch: p.currentLeaderEpoch ?? -1,
    });
  }
  return {
    replicaId: -1,
    maxWaitMs: o.maxWaitMs ?? 0,
    minBytes: o.minBytes ?? 0,
    maxBytes: o.maxBytes ?? 1 << 24,
    isolationLevel: 0,
    sessionId: 0,
    sessionEpoch: -1,
    topics,
    forgottenTopicsData: [],
    rackId: '',
  };
}

/** Every record of the complete magic-2 batches in a Fetch `records` field. */
export function magic2Records(records: Buffer | null): { batches: number; records: DecodedRecord[]; magics: number[] } {
  const out: DecodedRecord[] = [];
  const magics: number[] = [];
  let batches = 0;
  if (!records) return { batches, records: out, magics };
  for (const e of iterateEntries(records)) {
    magics.push(e.magic);
    if (e.magic !== 2) continue;
    batches++;
    out.push(...decodeBatchRecords(records, e.position).records);
  }
  return { batches, records: out, magics };
}

export function str(b: Buffer | null): string | null {
  return b === null ? null : b.toString('utf8');
}

export async function latest(c: WireClient, topic: string, partition = 0): Promise<number> {
  const res = await c.send(ListOffsets, 7, {
    replicaId: -1,
    isolationLevel: 0,
    topics: [{ name: topic, partitions: [{ partitionIndex: partition, timestamp: -1 }] }],
  });
  const p = res.topics[0]!.partitions[0]!;
  assert.equal(p.errorCode, 0);
  return p.offset;
}

/** Let the broker run: a full round trip on a separate connection. */
export async function roundTrip(c: WireClient): Promise<void> {
  await c.send(ApiVersions, 0, {});
}
