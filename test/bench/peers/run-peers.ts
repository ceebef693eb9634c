// The peer comparison of `npm run bench`: kafkalite (the CLI, on disk), Apache Kafka 4.4 (on disk),
// kfake and librdkafka's mock, one at a time, each driven by the same clients (clients.ts) over the
// same data. report.ts prints the tables and the goals of issue 15.
//
//   BENCH_PEERS     'kafkalite,kafka,kfake,mock' (default) or a subset, or 'none'
//   BENCH_VARIANTS  'base,latency,p100,4producers,1k,10k,idle1000' (default) or a subset:
//                   base = kcat, Java perf tools and kafkajs, 1 partition, 100 B values;
//                   latency = the end-to-end latency probe alone (BenchLatency.java, 1,000 msg/s), e.g.
//                   BENCH_PEERS=kafkalite BENCH_VARIANTS=latency BENCH_LATENCY_SECONDS=30 when iterating on it;
//                   p100 = kcat over 100 partitions; 4producers = 4 kcat -P processes at once into 1 partition;
//                   1k / 10k = kcat with 1,000 / 10,000-byte values (BENCH_MESSAGES / 10 and / 100 of them: same bytes);
//                   idle1000 = 1,000 idle connections (BENCH_IDLE_CONNECTIONS)
//   BENCH_LATENCY_SECONDS  length of the 1,000 msg/s latency probe (default 10)

import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { cpuSeconds, round, rssKiB } from '../stats.js';
import { PEER_NAMES, PeerUnavailable, type PeerBroker, type PeerName } from './broker.js';
import {
  javaConsume,
  javaProduce,
  kafkajsConsume,
  javaLatency,
  kafkajsProduce,
  kcatConsume,
  kcatProduce,
  splitLines,
  type Run,
} from './clients.js';
import { sizedLines, valueViews, type Check } from './data.js';
import { idleConnections, type IdleResult } from './idle.js';
import { startKafkaPeer } from './kafka.js';
import { startKafkalitePeer } from './kafkalite.js';
import { startKfakePeer } from './kfake.js';
import { startMockPeer } from './mock.js';

export const VARIANTS = ['base', 'latency', 'p100', '4producers', '1k', '10k', 'idle1000'] as const;
export type Variant = (typeof VARIANTS)[number];

export interface PeerRow {
  variant: Variant;
  client: string;
  op: 'produce' | 'consume';
  messages: number;
  valueBytes: number;
  partitions: number;
  seconds: number;
  messagesPerSec: number;
  megabytesPerSec: number;
  /** Broker CPU seconds (user + system, /proc/<pid>/stat) during the run. */
  brokerCpuSeconds: number | null;
  /** produce only: brokerCpuSeconds per 1,000,000 records. */
  cpuSecondsPerMillion: number | null;
  timed: string;
  check: string;
  detail?: Record<string, unknown>;
  error?: string;
}

export interface PeerResult {
  peer: PeerName;
  skipped?: string;
  error?: string;
  describe?: string;
  readyMs?: number;
  rssIdleMiB?: number | null;
  rssPeakMiB?: number | null;
  rows: PeerRow[];
  notes: string[];
  /** The machine's 1/5/15-minute load averages when this peer's run started and ended. */
  loadAverage: { start: number[]; end: number[] };
  latency?: {
    rate: number;
    seconds: number;
    sent: number;
    received: number;
    ms: { p50: number; p99: number; p999: number; max: number; mean: number } | null;
    error?: string;
  };
  idle?: IdleResult;
  wallSeconds: number;
}

export interface PeersSettings {
  messages: number;
  peers: PeerName[];
  variants: Variant[];
  latencySeconds: number;
  idleConnections: number;
  log: (msg: string) => void;
}

export function peersSettingsFromEnv(messages: number, log: (msg: string) => void): PeersSettings {
  const list = (name: string, all: readonly string[]) => {
    const v = (process.env[name] ?? all.join(','))
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
    log,
  };
}

function checkText(c: Check): string {
  return c.ok ? `${c.received.toLocaleString('en-US')} ok` : `FAILED ${c.received}/${c.expected}: ${c.firstProblem}`;
}

async function benchOne(name: PeerName, s: PeersSettings, work: string, failures: string[]): Promise<PeerResult> {
  const t0 = performance.now();
  const result: PeerResult = {
    peer: name,
    rows: [],
    notes: [],
    wallSeconds: 0,
    loadAverage: { start: loadavg().map((l) => round(l, 2)), end: [] },
  };
  // Seen here: librdkafka 2.0.2's mock answers the Java 4.4 client in a way it reads as a throttle of 1,179,648 ms
  // ("Connection to node -1 is throttled"), so the Java producer never sends.
  const javaSkip =
    name === 'mock' && process.env.BENCH_MOCK_JAVA !== '1'
      ? "the Java 4.4 client reads librdkafka 2.0.2's mock's answers as a 1,179,648 ms throttle and never sends (BENCH_MOCK_JAVA=1 tries anyway)"
      : null;
  const log = (m: string) => s.log(`${name}: ${m}`);
  let b: PeerBroker;
  try {
    b =
      name === 'kafkalite'
        ? await startKafkalitePeer()
        : name === 'kafka'
          ? await startKafkaPeer()
          : name === 'kfake'
            ? await startKfakePeer(log)
            : await startMockPeer();
  } catch (e) {
    if (e instanceof PeerUnavailable) result.skipped = e.message;
    else {
      result.error = `did not start: ${(e as Error).message}`;
      failures.push(`${name}: ${result.error}`);
    }
    log(result.skipped ? `skipped: ${result.skipped}` : result.error!);
    result.wallSeconds = round((performance.now() - t0) / 1000, 1);
    return result;
  }
  result.describe = b.describe;
  result.readyMs = round(b.readyMs, 1);
  log(`ready at ${b.bootstrap} in ${result.readyMs} ms: ${b.describe}`);
  const mib = (which: 'rss' | 'hwm') => {
    const r = rssKiB(b.pid);
    return r ? round((which === 'rss' ? r.rssKiB : r.hwmKiB) / 1024, 1) : null;
  };
  await new Promise((r) => setTimeout(r, 2000));
  result.rssIdleMiB = mib('rss');

  const data = new Map<number, { lines: Buffer; file: string; count: number }>();
  const dataOf = (size: number) => {
    let d = data.get(size);
    if (!d) {
      const count = Math.max(1, Math.round((s.messages * 100) / size));
      const lines = sizedLines(count, size);
      const file = join(work, `values-${size}.txt`);
      splitLines(lines, size, 1, () => file);
      d = { lines, file, count };
      data.set(size, d);
    }
    return d;
  };
  const outFile = join(work, 'readback.txt');
  let topicN = 0;
  const topic = async (partitions: number) => {
    const t = `bench-${name}-${++topicN}`;
    await b.createTopic(t, partitions);
    return t;
  };
  const phase = async (
    variant: Variant,
    client: string,
    op: 'produce' | 'consume',
    size: number,
    partitions: number,
    fn: () => Promise<Run>,
  ) => {
    const row: PeerRow = {
      variant,
      client,
      op,
      messages: 0,
      valueBytes: size,
      partitions,
      seconds: NaN,
      messagesPerSec: NaN,
      megabytesPerSec: NaN,
      brokerCpuSeconds: null,
      cpuSecondsPerMillion: null,
      timed: '',
      check: '',
    };
    const c0 = cpuSeconds(b.pid);
    try {
      if (!b.alive()) throw new Error('broker process is gone');
      const r = await fn();
      // librdkafka's mock keeps only the newest few MB of a partition (here 45,151 of 1,000,000 100-byte values read
      // back from the beginning), so a read-back from it can only be the tail: the figures are then over what it served.
      const tailOnly =
        name === 'mock' && r.check && !r.check.ok && r.check.corrupt === 0 && r.check.duplicates === 0 && r.check.received > 0;
      row.messages = r.check ? r.check.received : r.messages;
      row.seconds = round(r.seconds);
      row.messagesPerSec = Math.round(row.messages / r.seconds);
      row.megabytesPerSec = round((row.messages * size) / 1e6 / r.seconds, 2);
      row.timed = r.timed;
      row.detail = r.detail;
      row.check = r.check ? checkText(r.check) : 'acked';
      if (tailOnly)
        row.check = `tail only: ${r.check!.received.toLocaleString('en-US')} of ${r.check!.expected.toLocaleString('en-US')} kept by the mock`;
      else if (r.check && !r.check.ok) failures.push(`${name} ${variant} ${client} ${op}: ${row.check}`);
    } catch (e) {
      row.error = (e as Error).message;
      row.check = 'ERROR';
      failures.push(`${name} ${variant} ${client} ${op}: ${row.error.slice(0, 2000)}`);
    }
    const c1 = cpuSeconds(b.pid);
    row.brokerCpuSeconds = c0 !== null && c1 !== null ? round(c1 - c0, 3) : null;
    if (row.brokerCpuSeconds !== null && row.messages > 0) row.cpuSecondsPerMillion = round((row.brokerCpuSeconds * 1e6) / row.messages, 3);
    result.rows.push(row);
    log(
      `${variant} ${client} ${op}: ${row.check}${row.error ? ` ${row.error.split('\n')[0]}` : ''}, ${row.seconds} s, ` +
        `${row.messagesPerSec.toLocaleString('en-US')} msg/s, ${row.megabytesPerSec} MB/s, broker CPU ${row.brokerCpuSeconds} s`,
    );
  };

  try {
    for (const variant of s.variants) {
      if (variant === 'base') {
        const d = dataOf(100);
        const t1 = await topic(1);
        await phase('base', 'kcat', 'produce', 100, 1, () => kcatProduce(b.bootstrap, t1, [d.file], d.count, true));
        await phase('base', 'kcat', 'consume', 100, 1, () => kcatConsume(b.bootstrap, t1, outFile, d.lines, 100, d.count));
        if (javaSkip) {
          result.notes.push(`Java clients not run: ${javaSkip}`);
        } else {
          const t2 = await topic(1);
          await phase('base', 'java perf', 'produce', 100, 1, () => javaProduce(b.bootstrap, t2, d.count, 100));
          await phase('base', 'java perf', 'consume', 100, 1, () => javaConsume(b.bootstrap, t2, d.count));
        }
        const t3 = await topic(1);
        const values = valueViews(d.lines, 100);
        await phase('base', 'kafkajs', 'produce', 100, 1, () => kafkajsProduce(b.bootstrap, t3, values));
        await phase('base', 'kafkajs', 'consume', 100, 1, () => kafkajsConsume(b.bootstrap, t3, d.lines, 100, d.count));
      } else if (variant === 'latency') {
        if (javaSkip) result.notes.push(`latency probe not run: ${javaSkip}`);
        const t4 = javaSkip ? '' : await topic(1);
        if (!javaSkip) log(`latency: Java producer -> consumer at 1,000 msg/s for ${s.latencySeconds} s`);
        if (!javaSkip)
          try {
            const l = await javaLatency(b.bootstrap, t4, 1000, s.latencySeconds);
            result.latency = {
              rate: 1000,
              seconds: s.latencySeconds,
              sent: l.sent,
              received: l.received,
              ms: l.received > 0 ? { p50: l.p50Ms, p99: l.p99Ms, p999: l.p999Ms, max: l.maxMs, mean: l.meanMs } : null,
            };
            if (l.received < l.sent) failures.push(`${name} latency: ${l.received} of ${l.sent} received`);
            log(
              `latency: p50 ${result.latency.ms?.p50} ms, p99 ${result.latency.ms?.p99} ms, p99.9 ${result.latency.ms?.p999} ms, max ${result.latency.ms?.max} ms (${l.received}/${l.sent}, load ${loadavg()[0]!.toFixed(2)})`,
            );
          } catch (e) {
            result.latency = { rate: 1000, seconds: s.latencySeconds, sent: 0, received: 0, ms: null, error: (e as Error).message };
            failures.push(`${name} latency: ${(e as Error).message}`);
          }
      } else if (variant === 'p100') {
        const d = dataOf(100);
        const t = await topic(100);
        await phase('p100', 'kcat', 'produce', 100, 100, () => kcatProduce(b.bootstrap, t, [d.file], d.count, false));
        await phase('p100', 'kcat', 'consume', 100, 100, () => kcatConsume(b.bootstrap, t, outFile, d.lines, 100, d.count));
      } else if (variant === '4producers') {
        const d = dataOf(100);
        const files = splitLines(d.lines, 100, 4, (i) => join(work, `part-${i}.txt`));
        const t = await topic(1);
        await phase('4producers', 'kcat x4', 'produce', 100, 1, () => kcatProduce(b.bootstrap, t, files, d.count, true));
        await phase('4producers', 'kcat', 'consume', 100, 1, () => kcatConsume(b.bootstrap, t, outFile, d.lines, 100, d.count));
        for (const f of files) rmSync(f, { force: true });
      } else if (variant === '1k' || variant === '10k') {
        const size = variant === '1k' ? 1000 : 10_000;
        const d = dataOf(size);
        const t = await topic(1);
        await phase(variant, 'kcat', 'produce', size, 1, () => kcatProduce(b.bootstrap, t, [d.file], d.count, true));
        await phase(variant, 'kcat', 'consume', size, 1, () => kcatConsume(b.bootstrap, t, outFile, d.lines, size, d.count));
      } else if (variant === 'idle1000') {
        log(`${s.idleConnections} idle connections`);
        result.idle = await idleConnections(b.bootstrap, b.pid, s.idleConnections, 5);
        if (result.idle.error) failures.push(`${name} idle connections: ${result.idle.error}`);
        log(
          `idle: ${result.idle.opened} open, RSS ${result.idle.rssBeforeMiB} -> ${result.idle.rssWithMiB} MiB, CPU ${result.idle.cpuSecondsSitting} s in ${result.idle.sitSeconds} s`,
        );
      }
    }
  } catch (e) {
    result.error = (e as Error).message;
    failures.push(`${name}: ${result.error}\n${b.output().slice(-2000)}`);
  } finally {
    result.rssPeakMiB = mib('hwm');
    rmSync(outFile, { force: true });
    await b.stop();
  }
  result.wallSeconds = round((performance.now() - t0) / 1000, 1);
  result.loadAverage.end = loadavg().map((l) => round(l, 2));
  return result;
}

export async function benchPeers(s: PeersSettings, failures: string[]): Promise<PeerResult[]> {
  const out: PeerResult[] = [];
  if (s.peers.length === 0 || s.messages === 0) return out;
  const work = mkdtempSync(join(tmpdir(), 'kafkalite-bench-peers-'));
  try {
    for (const p of s.peers) out.push(await benchOne(p, s, work, failures));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return out;
}
