// Throughput phases of `npm run bench` (test/bench/run.ts): one broker per mode (the CLI broker in its own
// process with the disk store, or startBroker() in the bench process with the memory store), then produce
// and read back with kcat, confluent-kafka and kafkajs (clients.ts), every value checked. Each phase starts after
// `sync` and a wait for the dirty pages to drain (system.ts settle()), as every peer measurement does.

import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { KafkaConnection } from '../../bin/client/connection.js';
import { startBroker } from '../../broker/index.js';
import { CreateTopics } from '../../protocol/messages/19-create-topics.js';
import { startCliBroker } from './cli-broker.js';
import { kafkajsProduce, kcatConsume, kcatProduce, pythonConsume, pythonProduce, type Measure } from './clients.js';
import { VALUE_BYTES, valuesOf, writeDataFile } from './data.js';
import { hotSpots, type HotSpot } from './profile-top.js';
import { cpuSeconds, fixed, forceGc, int, round, rssKiB } from './stats.js';
import { settle, type Settled } from './system.js';

export type ThroughputMode = 'cli' | 'in-process';

export interface ThroughputSettings {
  modes: ThroughputMode[];
  /** Messages per client run (100-byte values). */
  messages: number;
  /** BENCH_CPU_PROF: run the CLI broker under `node --cpu-prof` writing here. */
  cpuProfDir?: string;
  progress: (msg: string) => void;
  /** Client errors and wrong read-backs are pushed here. */
  failures: string[];
}

export interface Row {
  client: string;
  op: 'produce' | 'consume';
  topic: string;
  messages: number;
  megabytes: number;
  seconds: number;
  messagesPerSec: number;
  megabytesPerSec: number;
  wallSeconds: number;
  timed: string;
  check: string;
  verification?: Measure['verification'];
  detail?: Record<string, unknown>;
  error?: string;
  brokerRssMiB?: number | null;
  /** CPU seconds the broker process used during this phase (in-process: the whole bench process, clients included). */
  brokerCpuSeconds?: number | null;
  /** The `sync` and wait for dirty pages before this phase (system.ts). */
  settled?: Settled;
}

export interface ModeResult {
  mode: 'cli' | 'in-process';
  broker: string;
  startMs: number;
  rows: Row[];
  brokerRss: { rssMiB: number; peakMiB: number; what: string } | null;
  stop: { ms: number; exitCode?: number | null } | null;
  dataDirMiB?: number;
  /** In-process only: the bench process after a full GC, before stop() (the broker's data is in heap + array buffers). */
  afterGc?: { rssMiB: number; heapUsedMiB: number; arrayBuffersMiB: number; dataHeldMiB: number };
  wallSeconds: number;
  profile?: { file: string; durationMs: number; sampledMs: number; bySelf: HotSpot[]; byTotal: HotSpot[] };
}

function dirMiB(dir: string): number {
  let total = 0;
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const s = statSync(p);
      if (s.isDirectory()) walk(p);
      else total += s.size;
    }
  };
  walk(dir);
  return round(total / 1048576, 1);
}

async function createTopics(host: string, port: number, names: string[]): Promise<void> {
  const c = await KafkaConnection.open(host, port, { clientId: 'kafkalite-bench' });
  try {
    const res = await c.send(CreateTopics, 7, {
      topics: names.map((name) => ({ name, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] })),
      timeoutMs: 30_000,
      validateOnly: false,
    });
    const bad = res.topics.filter((t) => t.errorCode !== 0);
    if (bad.length > 0) throw new Error(`CreateTopics: ${JSON.stringify(bad)}`);
  } finally {
    void c.close();
  }
}

/** Every mode in turn over one data file of `messages` values. */
export async function benchThroughput(s: ThroughputSettings): Promise<ModeResult[]> {
  const modes: ModeResult[] = [];
  if (s.modes.length === 0 || s.messages === 0) return modes;
  const work = mkdtempSync(join(tmpdir(), 'kafkalite-bench-'));
  const files = { data: join(work, 'values.txt'), out: join(work, 'readback.txt') };
  s.progress(`writing ${int(s.messages)} x ${VALUE_BYTES}-byte values to ${files.data}`);
  try {
    const lines = writeDataFile(files.data, s.messages);
    const values = valuesOf(lines);
    for (const mode of s.modes) modes.push(await throughput(s, files, mode, lines, values));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return modes;
}

async function throughput(
  settings: ThroughputSettings,
  files: { data: string; out: string },
  mode: ThroughputMode,
  lines: Buffer,
  values: Buffer[],
): Promise<ModeResult> {
  const { messages: MESSAGES, progress, failures } = settings;
  const MB = (MESSAGES * VALUE_BYTES) / 1e6;
  const { data: dataFile, out: outFile } = files;
  const m0 = performance.now();
  let host: string;
  let port: number;
  let bootstrap: string;
  let brokerDesc: string;
  let startMs: number;
  let rss: () => { rssKiB: number; hwmKiB: number } | null;
  let cpu: () => number | null;
  let stopBroker: () => Promise<{ ms: number; exitCode?: number | null }>;
  let alive: () => boolean;
  let brokerOutput: () => string = () => '';
  let dataDir: string | null = null;
  let profileDir: string | undefined;
  if (mode === 'cli') {
    dataDir = mkdtempSync(join(tmpdir(), 'kafkalite-bench-data-'));
    if (settings.cpuProfDir) {
      profileDir = settings.cpuProfDir;
      mkdirSync(profileDir, { recursive: true });
    }
    const b = await startCliBroker({ dataDir, cpuProfDir: profileDir });
    ({ host, port, bootstrap } = b);
    startMs = b.readyMs;
    brokerDesc = `kafkalite start --data-dir <tmp> (pid ${b.pid}, disk store${profileDir ? ', --cpu-prof' : ''})`;
    rss = () => rssKiB(b.pid);
    cpu = () => cpuSeconds(b.pid);
    alive = () => !b.exited();
    brokerOutput = () => b.output();
    stopBroker = async () => {
      const s = await b.stop();
      if (s.code !== 0) failures.push(`${mode}: broker exited with ${s.code ?? s.signal} on SIGINT:\n${b.output().slice(-4000)}`);
      return { ms: s.ms, exitCode: s.code };
    };
  } else {
    const s = performance.now();
    const b = await startBroker({});
    startMs = performance.now() - s;
    ({ host, port, bootstrap } = b);
    brokerDesc = 'startBroker() in the bench process (memory store)';
    rss = () => rssKiB('self');
    cpu = () => cpuSeconds('self');
    alive = () => true;
    stopBroker = async () => {
      const s2 = performance.now();
      await b.stop();
      return { ms: performance.now() - s2 };
    };
  }
  progress(`${mode}: broker ready at ${bootstrap} in ${fixed(startMs, 1)} ms`);
  const rows: Row[] = [];
  const rssMiB = () => {
    const r = rss();
    return r ? round(r.rssKiB / 1024, 1) : null;
  };
  const phase = async (client: string, op: 'produce' | 'consume', topic: string, fn: () => Promise<Measure>) => {
    progress(`${mode}: ${client} ${op} ${int(MESSAGES)} messages (${topic})`);
    const row: Row = {
      client,
      op,
      topic,
      messages: MESSAGES,
      megabytes: MB,
      seconds: NaN,
      messagesPerSec: NaN,
      megabytesPerSec: NaN,
      wallSeconds: NaN,
      timed: '',
      check: '',
    };
    row.settled = await settle();
    const cpu0 = cpu();
    try {
      if (!alive()) throw new Error('broker process is gone');
      const m = await fn();
      row.seconds = round(m.seconds);
      row.wallSeconds = round(m.wallSeconds);
      row.messagesPerSec = Math.round(MESSAGES / m.seconds);
      row.megabytesPerSec = round(MB / m.seconds, 2);
      row.timed = m.timed;
      row.verification = m.verification;
      row.detail = m.detail;
      if (m.verification) {
        const v = m.verification;
        row.check = v.ok
          ? `${int(v.received)}/${int(v.expected)} ok${v.outOfOrder ? ` (${int(v.outOfOrder)} out of order)` : ''}`
          : `FAILED ${int(v.received)}/${int(v.expected)}`;
        row.messagesPerSec = Math.round(v.received / m.seconds);
        if (!v.ok) {
          failures.push(
            `${mode}: ${client} ${op} ${topic}: read back ${v.received} of ${v.expected} ` +
              `(missing ${v.missing}, duplicates ${v.duplicates}, corrupt ${v.corrupt}): ${v.firstProblem}`,
          );
        }
      } else {
        row.check = 'acked';
      }
    } catch (err) {
      row.error = (err as Error).message;
      row.check = 'ERROR';
      failures.push(`${mode}: ${client} ${op} ${topic}: ${(err as Error).message}`);
    }
    row.brokerRssMiB = rssMiB();
    const cpu1 = cpu();
    row.brokerCpuSeconds = cpu0 !== null && cpu1 !== null ? round(cpu1 - cpu0, 2) : null;
    rows.push(row);
    progress(
      `${mode}:   ${row.check}${row.error ? ` ${row.error.split('\n')[0]}` : ''}, ${fixed(row.seconds, 2)} s, ` +
        `${int(row.messagesPerSec)} msg/s, broker RSS ${row.brokerRssMiB} MiB, broker CPU ${row.brokerCpuSeconds} s`,
    );
  };

  try {
    await createTopics(host, port, ['bench-kcat', 'bench-confluent', 'bench-kafkajs']);
    await phase('kcat', 'produce', 'bench-kcat', () => kcatProduce(bootstrap, 'bench-kcat', dataFile));
    await phase('kcat', 'consume', 'bench-kcat', () => kcatConsume(bootstrap, 'bench-kcat', outFile, MESSAGES, lines));
    await phase('confluent-kafka', 'produce', 'bench-confluent', () => pythonProduce(bootstrap, 'bench-confluent', dataFile));
    await phase('confluent-kafka', 'consume', 'bench-confluent', () => pythonConsume(bootstrap, 'bench-confluent', dataFile, MESSAGES));
    await phase('kafkajs', 'produce', 'bench-kafkajs', () => kafkajsProduce(bootstrap, 'bench-kafkajs', values));
    await phase('kcat (kafkajs data)', 'consume', 'bench-kafkajs', () => kcatConsume(bootstrap, 'bench-kafkajs', outFile, MESSAGES, lines));
  } catch (err) {
    const tail = brokerOutput()
      .split('\n')
      .filter((l) => /"level":(40|50|60)|WARN|ERROR|FATAL|Error/.test(l))
      .slice(-10)
      .join('\n');
    failures.push(`${mode}: ${(err as Error).message}${tail ? `\n   broker log (warnings and errors, last 10):\n${tail}` : ''}`);
  }
  const r = rss();
  const brokerRss = r
    ? {
        rssMiB: round(r.rssKiB / 1024, 1),
        peakMiB: round(r.hwmKiB / 1024, 1),
        what: mode === 'cli' ? 'broker process' : 'bench process (broker + kafkajs + the 100-byte values, ~2x data size)',
      }
    : null;
  const dataDirMiB = dataDir ? dirMiB(dataDir) : undefined;
  let afterGc: ModeResult['afterGc'];
  if (mode === 'in-process') {
    forceGc();
    const u = process.memoryUsage();
    const mib = (n: number) => round(n / 1048576, 1);
    afterGc = { rssMiB: mib(u.rss), heapUsedMiB: mib(u.heapUsed), arrayBuffersMiB: mib(u.arrayBuffers), dataHeldMiB: mib(lines.length) };
  }
  const stop = await stopBroker();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  rmSync(outFile, { force: true });
  const result: ModeResult = {
    mode,
    broker: brokerDesc,
    startMs: round(startMs, 1),
    rows,
    brokerRss,
    stop: { ...stop, ms: round(stop.ms, 1) },
    dataDirMiB,
    afterGc,
    wallSeconds: round((performance.now() - m0) / 1000, 1),
  };
  if (profileDir) {
    const files = readdirSync(profileDir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => join(profileDir!, f));
    const newest = files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
    if (newest) result.profile = { file: newest, ...hotSpots(newest, 20) };
  }
  return result;
}
