// Event-loop delay while storage works (issue 14, item 3): perf_hooks.monitorEventLoopDelay on an
// in-process disk-store broker while (a) the log cleaner compacts a large compacted partition and
// (b) retention deletes 1,000 segments (and their files are removed file.delete.delay.ms later),
// each with a kafkajs producer and consumer running against the broker. Prints p50/p99/max of the
// delay, with an idle baseline under the same traffic. Asserts nothing about time; fails only when
// the cleaner or retention did not do its work.
//
//   node dist/test/bench/storage-delay-bench.js   (or from run.ts)
//   BENCH_DELAY_MB        megabytes in the compacted partition (default 1024)
//   BENCH_DELAY_SEGMENTS  segments for retention to delete (default 1000)

import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker, type Broker } from '../../broker/index.js';
import { buildBatch } from '../../protocol/records/index.js';
import type { LogManager } from '../../storage/log-manager.js';
import { round, table } from './stats.js';

const MiB = 1024 * 1024;

export interface DelayFigure {
  case: string;
  workMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Records the traffic consumer got while the work ran. */
  consumed: number;
}

function intEnv(name: string, dflt: number): number {
  const v = process.env[name];
  return v === undefined || v === '' ? dflt : Number(v);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A kafkajs producer sending a small record every 5 ms and a consumer reading them, until stopped. */
async function traffic(broker: Broker): Promise<{ consumed(): number; stop(): Promise<void> }> {
  const kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: 'delay-bench' });
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topic: 'traffic', fromBeginning: false });
  let consumed = 0;
  await consumer.run({ eachMessage: async () => void consumed++ });
  let stopping = false;
  const loop = (async () => {
    while (!stopping) {
      await producer.send({ topic: 'traffic', messages: [{ value: 'x'.repeat(100) }] }).catch(() => {});
      await sleep(5);
    }
  })();
  await sleep(500);
  return {
    consumed: () => consumed,
    stop: async () => {
      stopping = true;
      await loop;
      await consumer.disconnect();
      await producer.disconnect();
    },
  };
}

/** Run `work` with the delay histogram on; `done` resolves when the work is over (the work may go on after `work` returns). */
async function measure(name: string, broker: Broker, work: () => void | Promise<void>, settleMs: number): Promise<DelayFigure> {
  const t = await traffic(broker);
  const before = t.consumed();
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  await sleep(50); // the histogram's timer starts on the next turn of the loop
  const t0 = performance.now();
  await work();
  const workMs = performance.now() - t0;
  await sleep(settleMs);
  h.disable();
  const consumed = t.consumed() - before;
  await t.stop();
  const ms = (ns: number) => round(ns / 1e6, 1);
  return { case: name, workMs: round(workMs, 0), p50Ms: ms(h.percentile(50)), p99Ms: ms(h.percentile(99)), maxMs: ms(h.max), consumed };
}

function manager(broker: Broker): LogManager {
  return (broker.core.store as unknown as { manager: LogManager }).manager;
}

/** Resolves when the manager has no cleaning or file removal in progress. */
async function storageIdle(m: LogManager): Promise<void> {
  const busy = m as unknown as { busy?: () => boolean };
  while (busy.busy?.()) await sleep(5);
}

export async function benchStorageDelay(
  opts: { mib?: number; segments?: number; log?: (line: string) => void } = {},
): Promise<DelayFigure[]> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const bytes = (opts.mib ?? intEnv('BENCH_DELAY_MB', 1024)) * MiB;
  const segments = opts.segments ?? intEnv('BENCH_DELAY_SEGMENTS', 1000);
  const root = fs.mkdtempSync(path.join(tmpdir(), 'kafkalite-delay-bench-'));
  const figures: DelayFigure[] = [];
  const broker = await startBroker({
    dataDir: root,
    config: { 'log.cleaner.backoff.ms': String(2_000_000_000), 'log.retention.check.interval.ms': String(2_000_000_000) },
    topics: {
      traffic: 1,
      compacted: { partitions: 1, configs: { 'cleanup.policy': 'compact', 'segment.bytes': String(64 * MiB) } },
      old: { partitions: 1, configs: { 'segment.bytes': '16384', 'retention.bytes': '1', 'file.delete.delay.ms': '500' } },
    },
  });
  try {
    figures.push(await measure('idle (traffic only)', broker, async () => void (await sleep(1000)), 0));

    // (a) 1,000 keys, each written over and over: the cleaner keeps one record per key.
    log(`storage delay: writing ${bytes / MiB} MiB to a compacted partition`);
    const compacted = broker.core.topics.get('compacted')!.partitions[0]!;
    const value = Buffer.alloc(1000, 0x61);
    let written = 0;
    for (let n = 0; written < bytes; n++) {
      const b = buildBatch({
        records: Array.from({ length: 64 }, (_, i) => ({ key: `key-${(n * 64 + i) % 1000}`, value, timestamp: Date.now() })),
      });
      compacted.append(b);
      written += b.length;
    }
    const sizeBefore = compacted.log.size;
    log('storage delay: compacting');
    figures.push(
      await measure(
        `compaction of ${round(written / MiB, 0)} MiB`,
        broker,
        async () => {
          const c0 = performance.now();
          const n = manager(broker).runCleaner();
          log(`runCleaner: ${n} log(s) in ${round(performance.now() - c0, 0)} ms, ${compacted.log.size} bytes left`);
          await storageIdle(manager(broker));
        },
        200,
      ),
    );
    if (!(compacted.log.size < sizeBefore / 2))
      throw new Error(`the cleaner did not compact: ${sizeBefore} -> ${compacted.log.size} bytes`);

    // (b) `segments` segments of one batch each, then retention (retention.bytes=1) deletes them all but the active one.
    log(`storage delay: writing ${segments + 1} segments`);
    const old = broker.core.topics.get('old')!.partitions[0]!;
    const big = Buffer.alloc(15_000, 0x62);
    for (let i = 0; i <= segments; i++) old.append(buildBatch({ records: [{ value: big, timestamp: Date.now() }] }));
    const count = (old.log as unknown as { segments: unknown[] }).segments.length;
    log(`storage delay: retention over ${count} segments`);
    let deleted = 0;
    figures.push(
      await measure(
        `retention deleting ${segments} segments`,
        broker,
        async () => {
          const r0 = performance.now();
          deleted = manager(broker).runRetention();
          log(`runRetention: ${deleted} segments in ${round(performance.now() - r0, 0)} ms`);
          await sleep(700); // file.delete.delay.ms is 500: the files go within the measurement
          log(`runRetention: ${deleted} segments in ${round(performance.now() - r0, 0)} ms`);
          await storageIdle(manager(broker));
        },
        200,
      ),
    );
    if (deleted < segments) throw new Error(`retention deleted ${deleted} of ${segments} segments`);
    log(formatStorageDelay(figures));
    return figures;
  } finally {
    await broker.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

export function formatStorageDelay(figures: DelayFigure[]): string {
  return table(
    ['case', 'work ms', 'delay p50 ms', 'p99 ms', 'max ms', 'records consumed'],
    figures.map((f) => [f.case, f.workMs, f.p50Ms, f.p99Ms, f.maxMs, f.consumed]),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchStorageDelay();
