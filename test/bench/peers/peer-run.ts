// One start of one peer broker in the peer comparison (run-peers.ts runs these in interleaved rounds): start it,
// sample its idle RSS, warm it up, then every timed cell of the variants asked for, each after settle() (system.ts),
// then stop it and remove its data.

import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LoadSampler, diskWrittenMiB, machineCpu, settle, type LoadFigure, type Settled } from '../system.js';
import { cpuSeconds, round, rssKiB } from '../stats.js';
import { PeerUnavailable, type PeerBroker, type PeerName } from './broker.js';
import {
  javaConsume,
  javaLatency,
  javaProduce,
  kafkajsConsume,
  kafkajsProduce,
  kcatConsume,
  KCAT_DEEP_QUEUE,
  KCAT_DEEP_QUEUE_CLIENT,
  kcatProduce,
  splitLines,
  type Run,
} from './clients.js';
import { valueViews, type Check } from './data.js';
import { idleConnections, type IdleResult } from './idle.js';
import { startKafkaPeer } from './kafka.js';
import { startKafkalitePeer } from './kafkalite.js';
import { startKfakePeer } from './kfake.js';
import { startMockPeer } from './mock.js';
import type { PeersSettings, RepeatCell, Variant } from './run-peers.js';

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
  /** brokerCpuSeconds per 1,000,000 records. */
  cpuSecondsPerMillion: number | null;
  timed: string;
  check: string;
  /**
   * The machine before and during the cell: the settle() before it, MiB written to disk during it, the 1-min load at its
   * start, CPU seconds of the whole machine (busy, iowait) and of this bench process during it: busy minus broker minus
   * bench minus the client is what else ran.
   */
  system?: {
    settle: Settled;
    diskWrittenMiB: number | null;
    load1: number;
    machineBusyCpuSeconds: number | null;
    machineIowaitSeconds: number | null;
    benchCpuSeconds: number;
  };
  detail?: Record<string, unknown>;
  error?: string;
}

export interface Latency {
  rate: number;
  seconds: number;
  sent: number;
  received: number;
  ms: { p50: number; p99: number; p999: number; max: number; mean: number } | null;
  error?: string;
}

/** One start of one broker. */
export interface PeerRun {
  /** 0-based round (BENCH_REPEAT). */
  round: number;
  skipped?: string;
  error?: string;
  describe?: string;
  readyMs?: number;
  rssIdleMiB?: number | null;
  rssPeakMiB?: number | null;
  /** The untimed produce + consume before the timed cells (BENCH_WARMUP records); absent when cold. */
  warmup?: {
    records: number;
    produceSeconds: number;
    consumeSeconds: number;
    check: string;
    /** The clients of the pass: kcat, then the Java perf tools and kafkajs when this round times them. */
    clients: string[];
  };
  rows: PeerRow[];
  notes: string[];
  /** The machine's 1/5/15-minute load averages when this run started and ended, and the 1-minute one sampled during it. */
  loadAverage: { start: number[]; end: number[] };
  load?: LoadFigure;
  latency?: Latency;
  idle?: IdleResult;
  wallSeconds: number;
}

/** The values files the runs share (made once per bench): 100-byte values and the other sizes, the warm-up's. */
export interface PeerData {
  work: string;
  of(size: number): { lines: Buffer; file: string; count: number };
  warmupFile(records: number): string;
}

function checkText(c: Check): string {
  return c.ok ? `${c.received.toLocaleString('en-US')} ok` : `FAILED ${c.received}/${c.expected}: ${c.firstProblem}`;
}

function startPeer(name: PeerName, log: (m: string) => void): Promise<PeerBroker> {
  if (name === 'kafkalite') return startKafkalitePeer();
  if (name === 'kafka') return startKafkaPeer();
  if (name === 'kfake') return startKfakePeer(log);
  return startMockPeer();
}

/**
 * Round `roundNo` of broker `name`: every variant's timed cells when `full`, else only s.repeatCells; the
 * latency probe and the idle connections only when `full` (they are long, and not throughput).
 */
export async function runPeerOnce(
  name: PeerName,
  roundNo: number,
  full: boolean,
  s: PeersSettings,
  data: PeerData,
  failures: string[],
): Promise<PeerRun> {
  const t0 = performance.now();
  const load = new LoadSampler().start();
  const result: PeerRun = {
    round: roundNo,
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
  const log = (m: string) => s.log(`${name}${s.repeat > 1 ? ` (round ${roundNo + 1}/${s.repeat})` : ''}: ${m}`);
  const finish = () => {
    result.wallSeconds = round((performance.now() - t0) / 1000, 1);
    result.loadAverage.end = loadavg().map((l) => round(l, 2));
    result.load = load.stop();
    return result;
  };
  await settle();
  let b: PeerBroker;
  try {
    b = await startPeer(name, log);
  } catch (e) {
    if (e instanceof PeerUnavailable) result.skipped = e.message;
    else {
      result.error = `did not start: ${(e as Error).message}`;
      failures.push(`${name}: ${result.error}`);
    }
    log(result.skipped ? `skipped: ${result.skipped}` : result.error!);
    return finish();
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

  const outFile = join(data.work, 'readback.txt');
  let topicN = 0;
  const topic = async (partitions: number) => {
    const t = `bench-${name}-r${roundNo}-${++topicN}`;
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
    const settled = await settle();
    const disk0 = diskWrittenMiB();
    const load1 = round(loadavg()[0]!, 2);
    const m0 = machineCpu();
    const self0 = cpuSeconds('self')!;
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
    const self1 = cpuSeconds('self')!;
    const m1 = machineCpu();
    const disk1 = diskWrittenMiB();
    row.brokerCpuSeconds = c0 !== null && c1 !== null ? round(c1 - c0, 3) : null;
    if (row.brokerCpuSeconds !== null && row.messages > 0) row.cpuSecondsPerMillion = round((row.brokerCpuSeconds * 1e6) / row.messages, 3);
    row.system = {
      settle: settled,
      diskWrittenMiB: disk0 !== null && disk1 !== null ? round(disk1 - disk0, 1) : null,
      load1,
      machineBusyCpuSeconds: m0 && m1 ? round(m1.busy - m0.busy, 2) : null,
      machineIowaitSeconds: m0 && m1 ? round(m1.iowait - m0.iowait, 2) : null,
      benchCpuSeconds: round(self1 - self0, 2),
    };
    result.rows.push(row);
    log(
      `${variant} ${client} ${op}: ${row.check}${row.error ? ` ${row.error.split('\n')[0]}` : ''}, ${row.seconds} s, ` +
        `${row.messagesPerSec.toLocaleString('en-US')} msg/s, ${row.megabytesPerSec} MB/s, broker CPU ${row.brokerCpuSeconds} s ` +
        `(settled ${settled.ms} ms, dirty ${settled.dirtyBeforeMiB} -> ${settled.dirtyAfterMiB} MiB; load ${load1}; ` +
        `machine CPU ${row.system.machineBusyCpuSeconds} s busy, ${row.system.machineIowaitSeconds} s iowait; bench ${row.system.benchCpuSeconds} s; ` +
        `disk written ${row.system.diskWrittenMiB} MiB)` +
        (typeof row.detail?.queueFullPauses === 'number'
          ? `; kcat queue-full pauses ${row.detail.queueFullPauses} (${row.detail.queueFullSeconds} s, peers/kcat-pauses.ts)`
          : ''),
    );
  };

  try {
    const runs = (cell: RepeatCell) => full || s.repeatCells.includes(cell);
    const base = s.variants.includes('base');
    if (s.warmup > 0) {
      // The same untimed pass for every broker, with each client this round times: each client's request
      // versions and paths compiled (V8, HotSpot) before the timed cells. After a kcat-only pass, TurboFan was
      // still compiling kafkalite's codecs for the Java client's Produce v13 all through the timed Java cell
      // (1.2 broker CPU-s per million records in that first million, 0.6-0.75 in the next ones).
      const d = data.of(100);
      const n = Math.min(s.warmup, d.count);
      const t = await topic(1);
      await settle();
      const p = await kcatProduce(b.bootstrap, t, [data.warmupFile(n)], n, true);
      const c = await kcatConsume(b.bootstrap, t, outFile, d.lines.subarray(0, n * 101), 100, n);
      result.warmup = {
        records: n,
        produceSeconds: round(p.seconds),
        consumeSeconds: round(c.seconds),
        check: checkText(c.check!),
        clients: ['kcat'],
      };
      if (!c.check!.ok && name !== 'mock') failures.push(`${name} warm-up read-back: ${result.warmup.check}`);
      if (!javaSkip && ((base && runs('base-java')) || (full && s.variants.includes('latency')))) {
        const tj = await topic(1);
        await javaProduce(b.bootstrap, tj, n, 100);
        await javaConsume(b.bootstrap, tj, n);
        result.warmup.clients.push('java perf');
      }
      if (base && runs('base-kafkajs')) {
        const tk = await topic(1);
        const lines = d.lines.subarray(0, n * 101);
        await kafkajsProduce(b.bootstrap, tk, valueViews(lines, 100));
        await kafkajsConsume(b.bootstrap, tk, lines, 100, n);
        result.warmup.clients.push('kafkajs');
      }
      log(
        `warm-up: kcat produce + consume of ${n.toLocaleString('en-US')} records, ${result.warmup.produceSeconds} s + ${result.warmup.consumeSeconds} s` +
          (result.warmup.clients.length > 1 ? `; then the same with ${result.warmup.clients.slice(1).join(' and ')}` : ''),
      );
    }
    for (const variant of s.variants) {
      if (variant === 'base') {
        const d = data.of(100);
        if (runs('base-kcat')) {
          const t1 = await topic(1);
          await phase('base', 'kcat', 'produce', 100, 1, () => kcatProduce(b.bootstrap, t1, [d.file], d.count, true));
          await phase('base', 'kcat', 'consume', 100, 1, () => kcatConsume(b.bootstrap, t1, outFile, d.lines, 100, d.count));
          await phase('base', KCAT_DEEP_QUEUE_CLIENT, 'consume', 100, 1, () =>
            kcatConsume(b.bootstrap, t1, outFile, d.lines, 100, d.count, KCAT_DEEP_QUEUE),
          );
        }
        if (javaSkip) {
          if (full) result.notes.push(`Java clients not run: ${javaSkip}`);
        } else if (runs('base-java')) {
          const t2 = await topic(1);
          await phase('base', 'java perf', 'produce', 100, 1, () => javaProduce(b.bootstrap, t2, d.count, 100));
          await phase('base', 'java perf', 'consume', 100, 1, () => javaConsume(b.bootstrap, t2, d.count));
        }
        if (runs('base-kafkajs')) {
          const t3 = await topic(1);
          const values = valueViews(d.lines, 100);
          await phase('base', 'kafkajs', 'produce', 100, 1, () => kafkajsProduce(b.bootstrap, t3, values));
          await phase('base', 'kafkajs', 'consume', 100, 1, () => kafkajsConsume(b.bootstrap, t3, d.lines, 100, d.count));
        }
      } else if (variant === 'latency' && full) {
        if (javaSkip) result.notes.push(`latency probe not run: ${javaSkip}`);
        else result.latency = await latencyProbe(b, await topic(1), s, log, name, failures);
      } else if (variant === 'p100' && runs('p100')) {
        const d = data.of(100);
        const t = await topic(100);
        await phase('p100', 'kcat', 'produce', 100, 100, () => kcatProduce(b.bootstrap, t, [d.file], d.count, false));
        await phase('p100', 'kcat', 'consume', 100, 100, () => kcatConsume(b.bootstrap, t, outFile, d.lines, 100, d.count));
      } else if (variant === '4producers' && runs('4producers')) {
        const d = data.of(100);
        const files = splitLines(d.lines, 100, 4, (i) => join(data.work, `part-${i}.txt`));
        const t = await topic(1);
        await phase('4producers', 'kcat x4', 'produce', 100, 1, () => kcatProduce(b.bootstrap, t, files, d.count, true));
        await phase('4producers', 'kcat', 'consume', 100, 1, () => kcatConsume(b.bootstrap, t, outFile, d.lines, 100, d.count));
        for (const f of files) rmSync(f, { force: true });
      } else if ((variant === '1k' || variant === '10k') && runs(variant)) {
        const size = variant === '1k' ? 1000 : 10_000;
        const d = data.of(size);
        const t = await topic(1);
        await phase(variant, 'kcat', 'produce', size, 1, () => kcatProduce(b.bootstrap, t, [d.file], d.count, true));
        await phase(variant, 'kcat', 'consume', size, 1, () => kcatConsume(b.bootstrap, t, outFile, d.lines, size, d.count));
      } else if (variant === 'idle1000' && full) {
        log(`${s.idleConnections} idle connections`);
        await settle();
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
  return finish();
}

async function latencyProbe(
  b: PeerBroker,
  topic: string,
  s: PeersSettings,
  log: (m: string) => void,
  name: PeerName,
  failures: string[],
): Promise<Latency> {
  log(`latency: Java producer -> consumer at 1,000 msg/s for ${s.latencySeconds} s`);
  await settle();
  try {
    const l = await javaLatency(b.bootstrap, topic, 1000, s.latencySeconds);
    const latency: Latency = {
      rate: 1000,
      seconds: s.latencySeconds,
      sent: l.sent,
      received: l.received,
      ms: l.received > 0 ? { p50: l.p50Ms, p99: l.p99Ms, p999: l.p999Ms, max: l.maxMs, mean: l.meanMs } : null,
    };
    if (l.received < l.sent) failures.push(`${name} latency: ${l.received} of ${l.sent} received`);
    log(
      `latency: p50 ${latency.ms?.p50} ms, p99 ${latency.ms?.p99} ms, p99.9 ${latency.ms?.p999} ms, max ${latency.ms?.max} ms (${l.received}/${l.sent}, load ${loadavg()[0]!.toFixed(2)})`,
    );
    return latency;
  } catch (e) {
    failures.push(`${name} latency: ${(e as Error).message}`);
    return { rate: 1000, seconds: s.latencySeconds, sent: 0, received: 0, ms: null, error: (e as Error).message };
  }
}
