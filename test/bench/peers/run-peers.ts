// The peer comparison of `npm run bench`: kafkalite (the CLI, on disk), Apache Kafka 4.4 (on disk),
// kfake and librdkafka's mock, one at a time, each driven by the same clients (clients.ts) over the
// same data, with the same warm-up and the same wait for the disk to settle before every timed cell
// (peer-run.ts). report.ts prints the tables and the goals of issue 15.
//
//   BENCH_PEERS     'kafkalite,kafka,kfake,mock' (default) or a subset, or 'none'
//   BENCH_VARIANTS  'base,latency,p100,4producers,1k,10k,idle1000' (default) or a subset:
//                   base = kcat, Java perf tools and kafkajs, 1 partition, 100 B values;
//                   latency = the end-to-end latency probe alone (BenchLatency.java, 1,000 msg/s; first round only), e.g.
//                   BENCH_PEERS=kafkalite BENCH_VARIANTS=latency BENCH_LATENCY_SECONDS=30 when iterating on it;
//                   p100 = kcat over 100 partitions; 4producers = 4 kcat -P processes at once into 1 partition;
//                   1k / 10k = kcat with 1,000 / 10,000-byte values (BENCH_MESSAGES / 10 and / 100 of them: same bytes);
//                   idle1000 = 1,000 idle connections (BENCH_IDLE_CONNECTIONS)
//   BENCH_LATENCY_SECONDS  length of the 1,000 msg/s latency probe (default 10)
//   BENCH_REPEAT    rounds (default 3): every broker is started once per round, the rounds interleaved
//                   (A B C, B C A, C A B: repeat.ts); a figure is the median over the rounds, a ratio the ratio of
//                   the medians with the spread (min-max) of the round-by-round ratios
//   BENCH_REPEAT_CELLS  the cells every round runs (default 'base-kcat,base-java': kcat's and the Java perf tools'
//                   cells of base, the goals' clients but kafkajs, whose 1M-record cells take ~20 s a broker); one of
//                   REPEAT_CELLS, 'base' for the three base clients, or 'all'. The other cells, the latency probe and
//                   the idle connections run in the first round only
//   BENCH_WARMUP    records of the untimed produce + consume each broker gets after its start, before its timed
//                   cells, with kcat and with each other client the round times (the Java perf tools, kafkajs)
//                   (default BENCH_MESSAGES / 4); 0 = cold, the figures a first run on a laptop sees
//   BENCH_SETTLE=0  no `sync` and wait for dirty pages before each timed cell (system.ts settle(); BENCH_SETTLE_DIRTY_MB)

import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { round } from '../stats.js';
import { combineLoad, type LoadFigure } from '../system.js';
import { PEER_NAMES, type PeerName } from './broker.js';
import { splitLines } from './clients.js';
import { sizedLines } from './data.js';
import type { IdleResult } from './idle.js';
import { runPeerOnce, type Latency, type PeerData, type PeerRun } from './peer-run.js';
import { interleavedOrder, repeatCellsOf, type RepeatCell } from './repeat.js';

export type { PeerRow, PeerRun } from './peer-run.js';
export type { RepeatCell } from './repeat.js';

export const VARIANTS = ['base', 'latency', 'p100', '4producers', '1k', '10k', 'idle1000'] as const;
export type Variant = (typeof VARIANTS)[number];

/** One broker over every round: its runs (one per start), and what only the first run measured. */
export interface PeerResult {
  peer: PeerName;
  skipped?: string;
  /** Set when no run of it started. */
  error?: string;
  describe?: string;
  runs: PeerRun[];
  notes: string[];
  latency?: Latency;
  idle?: IdleResult;
  /** The 1-minute load average sampled during all its runs. */
  load?: LoadFigure;
  wallSeconds: number;
}

export interface PeersSettings {
  messages: number;
  peers: PeerName[];
  variants: Variant[];
  latencySeconds: number;
  idleConnections: number;
  /** Rounds: every broker is started this many times, interleaved. */
  repeat: number;
  /** The cells every round runs; the others run in the first round only. */
  repeatCells: RepeatCell[];
  /** Records of the untimed warm-up pass per start; 0 = cold. */
  warmup: number;
  log: (msg: string) => void;
}

function nonNegativeInt(name: string, dflt: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(v)}`);
  return n;
}

export function peersSettingsFromEnv(messages: number, log: (msg: string) => void): PeersSettings {
  const list = (name: string, all: readonly string[], dflt: readonly string[] = all) => {
    const v = (process.env[name] ?? dflt.join(','))
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s && s !== 'none');
    for (const x of v) if (!all.includes(x)) throw new Error(`${name}: unknown ${JSON.stringify(x)} (one of ${all.join(', ')}, or none)`);
    return v;
  };
  return {
    messages,
    peers: list('BENCH_PEERS', PEER_NAMES) as PeerName[],
    variants: list('BENCH_VARIANTS', VARIANTS) as Variant[],
    latencySeconds: Number(process.env.BENCH_LATENCY_SECONDS ?? 10),
    idleConnections: Number(process.env.BENCH_IDLE_CONNECTIONS ?? 1000),
    repeat: Math.max(1, nonNegativeInt('BENCH_REPEAT', 3)),
    repeatCells: repeatCellsOf(process.env.BENCH_REPEAT_CELLS ?? 'base-kcat,base-java'),
    warmup: nonNegativeInt('BENCH_WARMUP', Math.round(messages / 4)),
    log,
  };
}

/** The values files, written once into `work` and shared by every run. */
function peerData(work: string, messages: number): PeerData {
  const made = new Map<number, { lines: Buffer; file: string; count: number }>();
  const of = (size: number) => {
    let d = made.get(size);
    if (!d) {
      const count = Math.max(1, Math.round((messages * 100) / size));
      const lines = sizedLines(count, size);
      const file = join(work, `values-${size}.txt`);
      splitLines(lines, size, 1, () => file);
      d = { lines, file, count };
      made.set(size, d);
    }
    return d;
  };
  return {
    work,
    of,
    warmupFile(records) {
      const file = join(work, `warmup-${records}.txt`);
      if (!existsSync(file)) writeFileSync(file, of(100).lines.subarray(0, records * 101));
      return file;
    },
  };
}

/** Every broker of s.peers, s.repeat times, in interleaved order; the first round runs every variant. */
export async function benchPeers(s: PeersSettings, failures: string[]): Promise<PeerResult[]> {
  if (s.peers.length === 0 || s.messages === 0) return [];
  const results = new Map<PeerName, PeerResult>(s.peers.map((p) => [p, { peer: p, runs: [], notes: [], wallSeconds: 0 }]));
  const work = mkdtempSync(join(tmpdir(), 'kafkalite-bench-peers-'));
  try {
    const data = peerData(work, s.messages);
    for (const { round: r, broker } of interleavedOrder(s.peers, s.repeat)) {
      const res = results.get(broker)!;
      if (res.skipped) continue; // cannot run here: said once
      const run = await runPeerOnce(broker, r, r === 0, s, data, failures);
      if (run.skipped) {
        res.skipped = run.skipped;
        continue;
      }
      res.runs.push(run);
      res.describe ??= run.describe;
      res.latency ??= run.latency;
      res.idle ??= run.idle;
      for (const n of run.notes) if (!res.notes.includes(n)) res.notes.push(n);
      res.wallSeconds = round(res.wallSeconds + run.wallSeconds, 1);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const out = [...results.values()];
  for (const r of out) {
    if (!r.skipped && !r.describe) r.error = r.runs.find((x) => x.error)?.error ?? 'did not start';
    r.load = combineLoad(r.runs.map((x) => x.load));
  }
  return out;
}
