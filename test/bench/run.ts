// `npm run bench`: start-to-ready of in-process brokers, and produce/consume throughput with
// librdkafka (kcat, confluent-kafka) and kafkajs against a CLI broker (separate process, disk
// store) and an in-process memory-store broker. Prints figures, never asserts timings; fails
// (exit 1) only when a client errs or data read back is missing or wrong.
//
// Environment:
//   BENCH_MESSAGES     messages per throughput run (default 1000000, 100-byte values)
//   BENCH_STARTS       in-process memory-store starts (default 1000)
//   BENCH_DISK_STARTS  disk-store starts (default BENCH_STARTS / 5, i.e. 200)
//   BENCH_MODES        throughput brokers: 'cli,in-process' (default), 'cli', 'in-process', or 'none'
//   BENCH_CPU_PROF     a directory: run the CLI broker under `node --cpu-prof` and print its hot spots
//   BENCH_PEERS, BENCH_VARIANTS, BENCH_REPEAT, BENCH_WARMUP, BENCH_LATENCY_SECONDS, BENCH_IDLE_CONNECTIONS: the peer
//                      comparison (Kafka 4.4, kfake, librdkafka's mock), see peers/run-peers.ts; BENCH_PEERS=none skips it
//
// The peer comparison runs right after the start-up figures, before the sections that write gigabytes (storage, scale,
// throughput): the ratios of issue 15 are measured on a machine no earlier section has touched. The 1-minute load
// average is sampled during every section and printed with it. Figures also go to test-artifacts/bench.json.

import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { benchPeers, peersSettingsFromEnv } from './peers/run-peers.js';
import { printReport } from './report.js';
import { benchStartup, type StartupResult } from './startup.js';
import { fixed, forceGc } from './stats.js';
import { benchStorage, type StorageBenchResult } from './storage-bench.js';
import { LoadSampler, type LoadFigure } from './system.js';
import { benchTestServer } from './test-server-bench.js';
import { benchTestkit } from './testkit-bench.js';
import { benchThroughput, type ThroughputMode } from './throughput.js';

function intEnv(name: string, dflt: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(v)}`);
  return n;
}

const MESSAGES = intEnv('BENCH_MESSAGES', 1_000_000);
const STARTS = intEnv('BENCH_STARTS', 1000);
const DISK_STARTS = intEnv('BENCH_DISK_STARTS', Math.max(1, Math.round(STARTS / 5)));
const MODES = (process.env.BENCH_MODES ?? 'cli,in-process')
  .split(',')
  .map((s) => s.trim())
  .filter((s) => s && s !== 'none');
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF || undefined;
for (const m of MODES) if (m !== 'cli' && m !== 'in-process') throw new Error(`BENCH_MODES: unknown mode ${m}`);
const THROUGHPUT_MODES = MODES as ThroughputMode[];

const t0 = performance.now();
const loadStart = loadavg();
const failures: string[] = [];
const progress = (msg: string) => process.stderr.write(`[bench ${fixed((performance.now() - t0) / 1000, 1).padStart(6)}s] ${msg}\n`);
/** Each section's wall time and the 1-minute load average sampled while it ran. */
const sections: { name: string; seconds: number; load: LoadFigure }[] = [];
async function section<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const s0 = performance.now();
  const load = new LoadSampler().start();
  try {
    return await fn();
  } finally {
    const figure = load.stop();
    sections.push({ name, seconds: Math.round((performance.now() - s0) / 100) / 10, load: figure });
    progress(`${name}: done; 1-min load average during it ${figure.median} (${figure.min}-${figure.max})`);
  }
}

// ------------------------------------------------------------------------------------------
// 1. start-to-ready

const startup: StartupResult[] = [];
await section('start-up', async () => {
  if (STARTS > 0) {
    progress(`in-process start-to-ready, memory store, ${STARTS} starts`);
    startup.push(await benchStartup('memory', STARTS, (n) => n % 500 === 0 && progress(`  ${n} starts`)));
  }
  if (DISK_STARTS > 0 && STARTS > 0) {
    progress(`in-process start-to-ready, disk store, ${DISK_STARTS} starts`);
    startup.push(await benchStartup('disk', DISK_STARTS));
  }
});

// Peers side by side: kafkalite's CLI, Apache Kafka 4.4, kfake, librdkafka's mock (peers/run-peers.ts). Before the
// sections that write gigabytes and start thousands of partitions: when it ran after them, kafkalite's kcat consume of
// 1M records took 1.42 s against 0.63 s in a run of the peers alone, and the ratios moved by up to 2x.
const peerSettings = peersSettingsFromEnv(MESSAGES, progress);
const peers = await section('peers', () => benchPeers(peerSettings, failures));
forceGc(); // the storage section's RSS figures are of this process: kafkajs's values and read-backs go first

// ------------------------------------------------------------------------------------------
// The variants, each its own module: one line each.

// Storage (run before the throughput phases, so its RSS figures aren't inflated by them): start-up after a clean stop
// with many partitions and with 1 GiB stored; RSS while writing.
// BENCH_STORAGE=0 skips it; BENCH_STORAGE_PARTITIONS / BENCH_STORAGE_MB size it.
const storage: StorageBenchResult | null =
  process.env.BENCH_STORAGE === '0' ? null : await section('storage', () => benchStorage({ log: progress }));
if (process.env.BENCH_STORAGE_DELAY !== '0')
  await section('storage delay', async () => (await import('./storage-delay-bench.js')).benchStorageDelay({ log: progress }));
if (process.env.BENCH_SCALE !== 'none') await section('scale', async () => (await import('./scale-bench.js')).benchScaleVariants(progress)); // BENCH_SCALE
if (process.env.BENCH_GROWTH)
  await section('log growth', async () => (await import('./log-growth-bench.js')).benchLogGrowthVariants(progress)); // BENCH_GROWTH=<GB>

// 2-4. Throughput: kcat, confluent-kafka and kafkajs against each of MODES (throughput.ts).
const modes = await section('throughput', () =>
  benchThroughput({ modes: THROUGHPUT_MODES, messages: MESSAGES, cpuProfDir: CPU_PROF_DIR, progress, failures }),
);

// Test kit: reset/snapshot/restore, virtual-clock rebalance, start/stop cycles; test-server exec to ready.
// BENCH_TESTKIT=0 skips both.
const testkit = process.env.BENCH_TESTKIT === '0' ? null : await section('test kit', () => benchTestkit());
const testServer = process.env.BENCH_TESTKIT === '0' ? null : await section('test-server', () => benchTestServer(20));

printReport({
  t0,
  loadStart,
  settings: { messages: MESSAGES, starts: STARTS, diskStarts: DISK_STARTS, modes: THROUGHPUT_MODES },
  startup,
  modes,
  storage,
  testkit,
  testServer,
  peerSettings,
  peers,
  sections,
  failures,
});
if (failures.length > 0) {
  console.error('\nBENCH FAILED: data missing or a client failed:');
  for (const f of failures) console.error(` - ${f}`);
  process.exit(1);
}
process.exit(0);
