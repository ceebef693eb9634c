// The Jepsen-style checker (issue 14, item 6): unique values from idempotent and transactional
// producers of two implementations (kafkajs here, confluent-kafka in Python: ./kafkajs.ts,
// ./confluent.ts), a group of read_committed consumers over 8 partitions, all against the CLI
// broker on a temporary data dir, while the broker is SIGKILLed and restarted `rounds` times.
// Afterwards: every transaction settled, a final drain (./drain.ts), and the checks of
// ./history.ts. Run it with `node dist/test/jepsen/run.js`; test/integration/jepsen.test.ts runs
// a short seeded pass.

import { createServer } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { type CliBroker, startCli, tempDir } from '../integration/helpers.js';
import { startConfluentProducer } from './confluent.js';
import { drain, settled } from './drain.js';
import { type Anomalies, acknowledged, check, type History, newHistory } from './history.js';
import { startKafkajsConsumers, startKafkajsProducer } from './kafkajs.js';

export interface JepsenOptions {
  rounds: number;
  seed: number;
  partitions: number;
  /** Time between a (re)start and the next kill: a random value in [min, max). */
  minUpMs: number;
  maxUpMs: number;
  /** Extra broker arguments (`--override key=value` ...). */
  brokerArgs: string[];
  log?: (line: string) => void;
}

export const DEFAULTS: JepsenOptions = { rounds: 50, seed: 1, partitions: 8, minUpMs: 1000, maxUpMs: 4000, brokerArgs: [] };

export interface JepsenResult {
  rounds: number;
  acknowledged: number;
  committedTxnValues: number;
  abortedTxnValues: number;
  indeterminate: number;
  drained: number;
  consumed: number;
  anomalies: Anomalies;
  clientEvents: Map<string, number>;
  wallMs: number;
}

export const TOPIC = 'jepsen';
const GROUP = 'jepsen-readers';

/** mulberry32: a small seeded generator, so a run's kill times and transaction choices repeat. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function runJepsen(opts: Partial<JepsenOptions> = {}): Promise<JepsenResult> {
  const o = { ...DEFAULTS, ...opts };
  const log = o.log ?? (() => {});
  const random = seeded(o.seed);
  const t0 = Date.now();
  const dir = tempDir('kafkalite-jepsen-');
  const port = await freePort();
  const args = ['--data-dir', dir.path, '--port', String(port), ...o.brokerArgs];
  let broker: CliBroker = await startCli(args);
  const h: History = newHistory();
  try {
    const admin = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: o.partitions }], waitForLeaders: true });
    await admin.disconnect();

    const common = { bootstrap: broker.bootstrap, topic: TOPIC, partitions: o.partitions };
    const consumers = startKafkajsConsumers(h, { bootstrap: broker.bootstrap, group: GROUP, topic: TOPIC, members: 2 });
    const producers = [
      startKafkajsProducer(h, { ...common, name: 'kjs-idem', mode: 'idem', random }),
      startKafkajsProducer(h, { ...common, name: 'kjs-txn', mode: 'txn', random }),
    ];
    const confluent = [
      await startConfluentProducer(h, { ...common, name: 'ck-idem', mode: 'idem', seed: o.seed }),
      await startConfluentProducer(h, { ...common, name: 'ck-txn', mode: 'txn', seed: o.seed + 1 }),
    ];

    for (let round = 1; round <= o.rounds; round++) {
      await sleep(o.minUpMs + random() * (o.maxUpMs - o.minUpMs));
      await broker.stop('SIGKILL');
      broker = await startCli(args);
      log(
        `round ${round}/${o.rounds}: killed and restarted; ${acknowledged(h).size} acknowledged so far, ${Math.round((Date.now() - t0) / 1000)} s`,
      );
    }
    // Let the clients get going again, then stop the producers: each finishes what it has open.
    await sleep(o.minUpMs);
    await Promise.all(producers.map((p) => p.stop()));
    await Promise.all(confluent.map((p) => p.stop()));
    log(`producers stopped, ${Math.round((Date.now() - t0) / 1000)} s`);

    // Every transaction settled (a transaction a killed producer left open is aborted when its
    // replacement initialises, or by the transaction timeout), then the drain.
    await settled(broker.bootstrap, TOPIC, o.partitions, 90_000);
    const drained = await drain(broker.bootstrap, TOPIC, o.partitions);
    log(`transactions settled and drained, ${Math.round((Date.now() - t0) / 1000)} s`);
    // The group's readers catch up with everything a read_committed reader gets.
    const want = [...drained].flatMap(([p, d]) => d.records.filter((r) => r.committed).map((r) => [p, r.offset] as const));
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !want.every(([p, off]) => h.consumed.get(p)?.has(off))) await sleep(200);
    const behind = want.filter(([p, off]) => !h.consumed.get(p)?.has(off)).length;
    log(`group consumers ${behind === 0 ? 'caught up' : `still ${behind} records behind`}, ${Math.round((Date.now() - t0) / 1000)} s`);
    await consumers.stop();

    let consumed = 0;
    for (const m of h.consumed.values()) consumed += m.size;
    return {
      rounds: o.rounds,
      acknowledged: acknowledged(h).size,
      committedTxnValues: h.committed.size,
      abortedTxnValues: h.aborted.size,
      indeterminate: h.unknown.size + h.failed.size,
      drained: [...drained.values()].reduce((n, d) => n + d.records.length, 0),
      consumed,
      anomalies: check(h, drained),
      clientEvents: h.clientEvents,
      wallMs: Date.now() - t0,
    };
  } finally {
    await broker.stop('SIGKILL');
    dir.remove();
  }
}

/** The report: one row per anomaly type, then the figures. */
export function table(r: JepsenResult): string {
  const rows: Array<[string, number]> = [
    ['lost acknowledged writes', r.anomalies.lost.length],
    ['duplicates', r.anomalies.duplicates.length],
    ['two values at one offset', r.anomalies.twoValuesAtOneOffset.length],
    ['reordering within a producer', r.anomalies.reordered.length],
    ['aborted reads at read_committed', r.anomalies.abortedReads.length],
    ['unseen acknowledged writes after the drain', r.anomalies.unseen.length],
  ];
  const lines = ['anomaly                                       count', '-------------------------------------------- -----'];
  for (const [name, n] of rows) lines.push(`${name.padEnd(44)} ${String(n).padStart(5)}`);
  lines.push('');
  lines.push(`SIGKILL rounds: ${r.rounds}; wall time ${(r.wallMs / 1000).toFixed(1)} s`);
  lines.push(
    `acknowledged writes: ${r.acknowledged} (of them ${r.committedTxnValues} in committed transactions); ` +
      `aborted-transaction values: ${r.abortedTxnValues}; indeterminate (failed sends, failed commits): ${r.indeterminate}`,
  );
  lines.push(`records in the final drain: ${r.drained}; offsets handed to the group's consumers: ${r.consumed}`);
  for (const [what, n] of [...r.clientEvents].sort()) lines.push(`  client: ${what}: ${n}`);
  return lines.join('\n');
}

export function anomalyCount(a: Anomalies): number {
  return a.lost.length + a.duplicates.length + a.twoValuesAtOneOffset.length + a.reordered.length + a.abortedReads.length + a.unseen.length;
}
