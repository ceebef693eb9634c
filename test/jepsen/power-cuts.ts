// The checker's power-cut mode (issue 14, item 6): an in-process broker on the memory file system
// (storage/fs/memory-fs.ts) with flush.messages=1, a kafkajs idempotent producer (acks=all) per
// round, and a power cut at a random moment (storage/fs/memory-fs-faults.ts: every later file
// operation fails, the broker stops, everything not fsynced is dropped), `cuts` times. Then a
// final drain and the checks of ./history.ts: every acknowledged write must be there.

import { Kafka, logLevel } from 'kafkajs';
import { startBroker, type Broker } from '../../broker/index.js';
import { DiskFaults } from '../../storage/fs/memory-fs-faults.js';
import { MemoryFileSystem } from '../../storage/fs/memory-fs.js';
import { seeded } from './checker.js';
import { drain } from './drain.js';
import { type Anomalies, check, countEvent, type History, newHistory, noteConsumed, recordOffset } from './history.js';

export interface PowerCutResult {
  cuts: number;
  acknowledged: number;
  drained: number;
  anomalies: Anomalies;
  clientEvents: Map<string, number>;
  wallMs: number;
}

const TOPIC = 'power';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runPowerCuts(o: {
  cuts: number;
  seed: number;
  partitions?: number;
  log?: (line: string) => void;
}): Promise<PowerCutResult> {
  const partitions = o.partitions ?? 8;
  const log = o.log ?? (() => {});
  const random = seeded(o.seed);
  const t0 = Date.now();
  const fs = new MemoryFileSystem();
  const faults = new DiskFaults(fs);
  const h: History = newHistory();
  const start = (): Promise<Broker> => startBroker({ dataDir: '/data', fs });
  let broker = await start();
  try {
    const admin = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic: TOPIC, numPartitions: partitions, configEntries: [{ name: 'flush.messages', value: '1' }] }],
    });
    await admin.disconnect();
    for (let cut = 1; cut <= o.cuts; cut++) {
      const name = `pc${cut}`;
      const producer = new Kafka({
        brokers: [broker.bootstrap],
        logLevel: logLevel.NOTHING,
        retry: { retries: 1, initialRetryTime: 50 },
      }).producer({
        idempotent: true,
        maxInFlightRequests: 1,
      });
      await producer.connect();
      let stop = false;
      let n = 0;
      const loop = (async () => {
        while (!stop) {
          const msgs = Array.from({ length: 1 + Math.floor(random() * 4) }, () => {
            const m = { value: `${name}-${n}`, partition: n % partitions };
            n++;
            return m;
          });
          try {
            const res = await producer.send({ topic: TOPIC, acks: -1, messages: msgs });
            for (const m of msgs) {
              const offset = Number(res.find((r) => r.partition === m.partition)!.baseOffset);
              recordOffset(h, m.partition, offset, m.value);
              h.acked.set(m.value, { partition: m.partition, offset });
            }
          } catch (e) {
            for (const m of msgs) h.failed.add(m.value);
            countEvent(h, `kafkajs send failed: ${(e as Error).name}: ${(e as Error).message.replace(/\d+/g, 'N')}`);
            return;
          }
        }
      })();
      await sleep(20 + random() * 200);
      // The power goes: file operations fail from now on, the process dies, only fsynced bytes stay.
      faults.crashAfterOps(0);
      stop = true;
      await broker.stop().catch(() => {});
      await loop;
      await producer.disconnect().catch(() => {});
      faults.powerCut();
      broker = await start();
      if (cut % 10 === 0 || cut === o.cuts)
        log(`power cut ${cut}/${o.cuts}: ${h.acked.size} acknowledged so far, ${Math.round((Date.now() - t0) / 1000)} s`);
    }
    const drained = await drain(broker.bootstrap, TOPIC, partitions);
    // No group consumers in this mode: the drain is the reader.
    for (const [p, d] of drained) for (const r of d.records) noteConsumed(h, p, r.offset, r.value);
    return {
      cuts: o.cuts,
      acknowledged: h.acked.size,
      drained: [...drained.values()].reduce((k, d) => k + d.records.length, 0),
      anomalies: check(h, drained),
      clientEvents: h.clientEvents,
      wallMs: Date.now() - t0,
    };
  } finally {
    await broker.stop().catch(() => {});
  }
}
