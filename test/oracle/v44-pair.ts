// A pair of brokers for the Kafka 4.4 version tests: Apache Kafka 4.4.0 (test/jvm/kafka.ts)
// and kafkalite, each with a raw WireClient, and the normalisation that makes their answers
// comparable: topic ids and the cluster id become names, ports and throttle times go away.

import { startBroker, type Broker } from '../../broker/index.js';
import { CreateTopics, Metadata } from '../../protocol/messages/index.js';
import { buildBatch } from '../../protocol/records/index.js';
import { WireClient } from '../integration/wire-client.js';
import { startKafka, type RealKafka } from '../jvm/kafka.js';

export interface Side {
  readonly name: 'kafka' | 'kafkalite';
  readonly bootstrap: string;
  client(): Promise<WireClient>;
  /** Topic id by name (filled by createTopic). */
  readonly ids: Map<string, string>;
}

export interface Pair {
  readonly kafka: Side;
  readonly kafkalite: Side;
  readonly broker: Broker;
  stop(): Promise<void>;
}

export async function startPair(): Promise<Pair> {
  const [real, broker] = await Promise.all([startKafka(), startBroker({})]);
  const clients: WireClient[] = [];
  const side = (name: Side['name'], bootstrap: string): Side => ({
    name,
    bootstrap,
    ids: new Map(),
    async client() {
      const c = await WireClient.connect(bootstrap);
      clients.push(c);
      return c;
    },
  });
  return {
    kafka: side('kafka', real.bootstrap),
    kafkalite: side('kafkalite', broker.bootstrap),
    broker,
    async stop() {
      for (const c of clients) await c.close();
      await Promise.all([(real as RealKafka).stop(), broker.stop()]);
    },
  };
}

/** Create a topic and remember its id. */
export async function createTopic(side: Side, name: string, partitions: number): Promise<string> {
  const c = await side.client();
  const res = await c.send(CreateTopics, 7, {
    topics: [{ name, numPartitions: partitions, replicationFactor: 1, assignments: [], configs: [] }],
    timeoutMs: 30_000,
  });
  const t = res.topics[0]!;
  if (t.errorCode !== 0) throw new Error(`${side.name}: create ${name}: ${t.errorCode} ${t.errorMessage}`);
  // Kafka answers before the partitions' leaders are known everywhere: wait for Metadata to show them.
  for (let i = 0; i < 100; i++) {
    const md = await c.send(Metadata, 12, { topics: [{ name, topicId: undefined }], allowAutoTopicCreation: false });
    const mt = md.topics[0]!;
    if (mt.errorCode === 0 && mt.partitions.length === partitions && mt.partitions.every((p) => p.leaderId >= 0)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  side.ids.set(name, t.topicId);
  return t.topicId;
}

/** A magic-2 batch of `n` records with keys and values "k<i>" / "v<i>" at the given timestamps. */
export function batch(timestamps: number[]): Buffer {
  return buildBatch({ records: timestamps.map((timestamp, i) => ({ key: `k${i}`, value: `v${i}`, timestamp })) });
}

/**
 * Make an answer comparable: topic ids become `id:<name>` (or `id:?` when unknown), the
 * cluster id `CLUSTER`, ports `PORT`, throttle times 0; record bytes are dropped.
 */
export function normalise(side: Side, value: unknown): unknown {
  const names = new Map([...side.ids].map(([n, id]) => [id, n]));
  const walk = (v: unknown, key?: string): unknown => {
    if (Buffer.isBuffer(v)) return `<${v.length} bytes>`;
    if (Array.isArray(v)) return v.map((e) => walk(e, key));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, e] of Object.entries(v)) out[k] = walk(e, k);
      return out;
    }
    if (typeof v === 'string' && key !== undefined && /topicId$/i.test(key)) {
      return v === 'AAAAAAAAAAAAAAAAAAAAAA' ? v : `id:${names.get(v) ?? '?'}`;
    }
    if (key === 'clusterId' && typeof v === 'string') return 'CLUSTER';
    if (key === 'port') return 'PORT';
    if (key === 'throttleTimeMs') return 0;
    return v;
  };
  return walk(value);
}
