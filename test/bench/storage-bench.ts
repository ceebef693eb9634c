// Storage figures: start-up after a clean stop with many partitions and with a lot of data
// (against a crash restart of the same data, which must rescan), and process memory while
// writing and reading back a lot of data. Prints figures; asserts nothing about time.
//
//   node dist/test/bench/storage-bench.js            (or benchStorage() from run.ts)
//   BENCH_STORAGE_PARTITIONS  partitions for the start-up run (default 1000)
//   BENCH_STORAGE_MB          megabytes for the data run (default 1024)
//   BENCH_STORAGE_STARTS      clean restarts measured per case (default 5)

import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { startBroker } from '../../broker/index.js';
import { buildBatch } from '../../protocol/records/index.js';
import { scanCounters } from '../../storage/segment-file.js';
import { forceGc, round, rssKiB, summarize, table, type Summary } from './stats.js';

export interface StartupFigure {
  case: string;
  partitions: number;
  storedMiB: number;
  /** startBroker() until it resolved (topics and logs loaded, listening), per clean restart. */
  cleanStartMs: Summary;
  /** Bytes CRC-checked by the loader on one clean restart. */
  cleanBytesValidated: number;
  /** The same start-up after a simulated crash with no recovery point: everything is rescanned. */
  crashStartMs: number;
  crashBytesValidated: number;
}

export interface MemoryFigure {
  writtenMiB: number;
  rssBeforeMiB: number;
  rssAfterWriteMiB: number;
  rssAfterReadMiB: number;
  peakRssMiB: number;
  heapUsedAfterMiB: number;
  writeMiBPerSec: number;
  readMiBPerSec: number;
}

export interface StorageBenchResult {
  startup: StartupFigure[];
  memory: MemoryFigure;
}

const MiB = 1024 * 1024;

function intEnv(name: string, dflt: number): number {
  const v = process.env[name];
  return v === undefined || v === '' ? dflt : Number(v);
}

function mib(kib: number): number {
  return round(kib / 1024, 1);
}

/** A batch of `records` records of `valueBytes` each (values differ, so compression would not cheat). */
function dataBatch(records: number, valueBytes: number, seed: number): Buffer {
  const base = Buffer.alloc(valueBytes, 0x61 + (seed % 26));
  return buildBatch({ records: Array.from({ length: records }, (_, i) => ({ value: base, key: `k${seed}-${i}`, timestamp: Date.now() })) });
}

/** Time clean restarts (and one crash restart) of a data directory already written and cleanly closed. */
async function measureStartup(name: string, dataDir: string, partitions: number, starts: number): Promise<StartupFigure> {
  const stored = dirBytes(dataDir);
  const times: number[] = [];
  let cleanBytes = 0;
  for (let i = 0; i < starts; i++) {
    scanCounters.reset();
    const t0 = performance.now();
    const broker = await startBroker({ dataDir });
    times.push(performance.now() - t0);
    cleanBytes = scanCounters.bytesValidated;
    await broker.stop();
  }
  // A crash with no recovery point: remove the marker and the checkpoint, as after kill -9 before any checkpoint.
  fs.rmSync(path.join(dataDir, '.kafka_cleanshutdown'));
  fs.rmSync(path.join(dataDir, 'recovery-point-offset-checkpoint'), { force: true });
  scanCounters.reset();
  const t0 = performance.now();
  const broker = await startBroker({ dataDir });
  const crashMs = performance.now() - t0;
  const crashBytes = scanCounters.bytesValidated;
  await broker.stop();
  return {
    case: name,
    partitions,
    storedMiB: round(stored / MiB, 1),
    cleanStartMs: summarize(times),
    cleanBytesValidated: cleanBytes,
    crashStartMs: round(crashMs, 1),
    crashBytesValidated: crashBytes,
  };
}

function dirBytes(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    n += e.isDirectory() ? dirBytes(p) : fs.statSync(p).size;
  }
  return n;
}

async function manyPartitions(root: string, partitions: number, starts: number): Promise<StartupFigure> {
  const dataDir = path.join(root, 'partitions');
  const broker = await startBroker({ dataDir, topics: { many: partitions } });
  const batch = dataBatch(10, 100, 1);
  for (const p of broker.core.topics.get('many')!.partitions) {
    for (let i = 0; i < 20; i++) p.append(Buffer.from(batch));
  }
  await broker.stop();
  return measureStartup(`${partitions} partitions`, dataDir, partitions, starts);
}

/** Write `bytes` into 4 partitions (256 MiB segments) through the broker's partitions, measuring memory; then read it all back. */
async function lotsOfData(root: string, bytes: number, starts: number): Promise<{ startup: StartupFigure; memory: MemoryFigure }> {
  const dataDir = path.join(root, 'data');
  const partitions = 4;
  const broker = await startBroker({ dataDir, topics: { big: { partitions, configs: { 'segment.bytes': String(256 * MiB) } } } });
  const parts = broker.core.topics.get('big')!.partitions;
  const batches = Array.from({ length: 16 }, (_, i) => dataBatch(64, 1000, i));
  forceGc();
  const before = rssKiB('self')!;
  let written = 0;
  let n = 0;
  const tw = performance.now();
  while (written < bytes) {
    const b = Buffer.from(batches[n % batches.length]!);
    parts[n % partitions]!.append(b);
    written += b.length;
    n++;
  }
  const writeSec = (performance.now() - tw) / 1000;
  forceGc();
  const afterWrite = rssKiB('self')!;
  let read = 0;
  const tr = performance.now();
  for (const p of parts) {
    for (let offset = p.log.logStartOffset; offset < p.log.logEndOffset; ) {
      const r = p.log.read(offset, { maxBytes: 4 * MiB, maxOffset: p.log.highWatermark, minOneBatch: true });
      // Count whole batches only (the last one may be cut by maxBytes); go on after the last whole one.
      let next = offset;
      for (const chunk of r.chunks) {
        let pos = 0;
        while (pos + 61 <= chunk.length) {
          const size = chunk.readInt32BE(pos + 8) + 12;
          if (pos + size > chunk.length) break;
          next = Number(chunk.readBigInt64BE(pos)) + chunk.readInt32BE(pos + 23) + 1;
          pos += size;
        }
        read += pos;
      }
      if (next === offset) throw new Error(`read made no progress at ${offset}`);
      offset = next;
    }
  }
  const readSec = (performance.now() - tr) / 1000;
  forceGc();
  const afterRead = rssKiB('self')!;
  const heap = process.memoryUsage().heapUsed;
  await broker.stop();
  const memory: MemoryFigure = {
    writtenMiB: round(written / MiB, 1),
    rssBeforeMiB: mib(before.rssKiB),
    rssAfterWriteMiB: mib(afterWrite.rssKiB),
    rssAfterReadMiB: mib(afterRead.rssKiB),
    peakRssMiB: mib(afterRead.hwmKiB),
    heapUsedAfterMiB: round(heap / MiB, 1),
    writeMiBPerSec: round(written / MiB / writeSec, 0),
    readMiBPerSec: round(read / MiB / readSec, 0),
  };
  if (read !== written) throw new Error(`read back ${read} bytes of ${written}`);
  const startup = await measureStartup(`${round(written / MiB / 1024, 2)} GiB in ${partitions} partitions`, dataDir, partitions, starts);
  return { startup, memory };
}

export async function benchStorage(
  opts: { partitions?: number; mib?: number; starts?: number; log?: (line: string) => void } = {},
): Promise<StorageBenchResult> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const partitions = opts.partitions ?? intEnv('BENCH_STORAGE_PARTITIONS', 1000);
  const bytes = (opts.mib ?? intEnv('BENCH_STORAGE_MB', 1024)) * MiB;
  const starts = opts.starts ?? intEnv('BENCH_STORAGE_STARTS', 5);
  const root = fs.mkdtempSync(path.join(tmpdir(), 'kafkalite-storage-bench-'));
  try {
    log(`storage: start-up with ${partitions} partitions`);
    const many = await manyPartitions(root, partitions, starts);
    log(`storage: writing ${bytes / MiB} MiB`);
    const data = await lotsOfData(root, bytes, starts);
    const result: StorageBenchResult = { startup: [many, data.startup], memory: data.memory };
    log(formatStorageBench(result));
    return result;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

export function formatStorageBench(r: StorageBenchResult): string {
  const startup = table(
    [
      'start-up after a clean stop',
      'stored MiB',
      'clean start ms (median, p95)',
      'bytes CRC-checked',
      'crash start ms',
      'bytes CRC-checked',
    ],
    r.startup.map((s) => [
      s.case,
      s.storedMiB,
      `${round(s.cleanStartMs.median, 1)}, ${round(s.cleanStartMs.p95, 1)}`,
      s.cleanBytesValidated,
      s.crashStartMs,
      s.crashBytesValidated,
    ]),
  );
  const m = r.memory;
  const memory = table(
    ['memory while storing', 'MiB'],
    [
      ['written', m.writtenMiB],
      ['RSS before', m.rssBeforeMiB],
      ['RSS after writing', m.rssAfterWriteMiB],
      ['RSS after reading it all back', m.rssAfterReadMiB],
      ['peak RSS', m.peakRssMiB],
      ['JS heap used after', m.heapUsedAfterMiB],
      ['write MiB/s (append, page cache)', m.writeMiBPerSec],
      ['read MiB/s', m.readMiBPerSec],
    ],
  );
  return `${startup}\n\n${memory}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchStorage();
}
