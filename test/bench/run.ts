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
//   BENCH_PEERS, BENCH_VARIANTS, BENCH_LATENCY_SECONDS, BENCH_IDLE_CONNECTIONS: the peer comparison
//                      (Kafka 4.4, kfake, librdkafka's mock), see peers/run-peers.ts; BENCH_PEERS=none skips it
//
// Figures also go to test-artifacts/bench.json.

import { spawnSync } from 'node:child_process';
import { benchStorage, formatStorageBench, type StorageBenchResult } from './storage-bench.js';
import { benchTestkit, formatTestkitBench } from './testkit-bench.js';
import { benchTestServer } from './test-server-bench.js';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startBroker } from '../../broker/index.js';
import { CreateTopics } from '../../protocol/messages/19-create-topics.js';
import { startCliBroker, REPO_ROOT } from './cli-broker.js';
import {
  CONSUME_CONF,
  KAFKAJS_ACKS,
  KAFKAJS_BATCH,
  KAFKAJS_IN_FLIGHT,
  KCAT_PRODUCE_CONF,
  PY_PRODUCE_CONF,
  kafkajsProduce,
  kafkajsVersion,
  kcatConsume,
  kcatProduce,
  kcatVersion,
  pythonConsume,
  pythonProduce,
  pythonVersions,
  type Measure,
} from './clients.js';
import { VALUE_BYTES, valuesOf, writeDataFile } from './data.js';
import { hotSpots, type HotSpot } from './profile-top.js';
import { KafkaConnection } from '../../bin/client/connection.js';
import { benchStartup, type StartupResult } from './startup.js';
import { benchPeers, peersSettingsFromEnv } from './peers/run-peers.js';
import { formatPeers, peerGoals } from './peers/report.js';
import { cpuSeconds, fixed, forceGc, int, round, rssKiB, table } from './stats.js';

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

const t0 = performance.now();
const loadStart = loadavg();
const failures: string[] = [];
const progress = (msg: string) => process.stderr.write(`[bench ${fixed((performance.now() - t0) / 1000, 1).padStart(6)}s] ${msg}\n`);

// ------------------------------------------------------------------------------------------
// 1. start-to-ready

const startup: StartupResult[] = [];
if (STARTS > 0) {
  progress(`in-process start-to-ready, memory store, ${STARTS} starts`);
  startup.push(await benchStartup('memory', STARTS, (n) => n % 500 === 0 && progress(`  ${n} starts`)));
}
if (DISK_STARTS > 0 && STARTS > 0) {
  progress(`in-process start-to-ready, disk store, ${DISK_STARTS} starts`);
  startup.push(await benchStartup('disk', DISK_STARTS));
}

// ------------------------------------------------------------------------------------------
// 2-4. throughput

interface Row {
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
}

interface ModeResult {
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

const MB = (MESSAGES * VALUE_BYTES) / 1e6;
// Made only when a throughput run happens (see the end of this section).
let dataFile = '';
let outFile = '';

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

async function throughput(mode: 'cli' | 'in-process', lines: Buffer, values: Buffer[]): Promise<ModeResult> {
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
    if (CPU_PROF_DIR) {
      profileDir = CPU_PROF_DIR;
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

// Storage (run before the throughput phases, so its RSS figures aren't inflated by them): start-up after a clean stop
// with many partitions and with 1 GiB stored; RSS while writing.
// BENCH_STORAGE=0 skips it; BENCH_STORAGE_PARTITIONS / BENCH_STORAGE_MB size it.
const storage: StorageBenchResult | null = process.env.BENCH_STORAGE === '0' ? null : await benchStorage({ log: progress });
if (process.env.BENCH_STORAGE_DELAY !== '0') await (await import('./storage-delay-bench.js')).benchStorageDelay({ log: progress });
if (process.env.BENCH_SCALE !== 'none') await (await import('./scale-bench.js')).benchScaleVariants(progress); // scale-bench.ts: BENCH_SCALE
if (process.env.BENCH_GROWTH) await (await import('./log-growth-bench.js')).benchLogGrowthVariants(progress); // log-growth-bench.ts: BENCH_GROWTH=<GB>

const modes: ModeResult[] = [];
if (MODES.length > 0 && MESSAGES > 0) {
  const work = mkdtempSync(join(tmpdir(), 'kafkalite-bench-'));
  dataFile = join(work, 'values.txt');
  outFile = join(work, 'readback.txt');
  progress(`writing ${int(MESSAGES)} x ${VALUE_BYTES}-byte values to ${dataFile}`);
  try {
    const lines = writeDataFile(dataFile, MESSAGES);
    const values = valuesOf(lines);
    for (const mode of MODES) modes.push(await throughput(mode as 'cli' | 'in-process', lines, values));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// Peers side by side: kafkalite's CLI, Apache Kafka 4.4, kfake, librdkafka's mock (peers/run-peers.ts).
const peerSettings = peersSettingsFromEnv(MESSAGES, progress);
const peers = await benchPeers(peerSettings, failures);

// Test kit: reset/snapshot/restore, virtual-clock rebalance, start/stop cycles; test-server exec to ready.
// BENCH_TESTKIT=0 skips both.
const testkit = process.env.BENCH_TESTKIT === '0' ? null : await benchTestkit();
const testServer = process.env.BENCH_TESTKIT === '0' ? null : await benchTestServer(20);

// ------------------------------------------------------------------------------------------
// Report

function gitRevision(): { commit: string; dirty: boolean } | null {
  const head = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (head.status !== 0) return null;
  const st = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: REPO_ROOT, encoding: 'utf8' });
  return { commit: head.stdout.trim(), dirty: st.stdout.trim() !== '' };
}
const revision = gitRevision();
const py = pythonVersions();
const versions = {
  node: process.version,
  kafkajs: kafkajsVersion(),
  kcat: kcatVersion(),
  confluentKafka: py?.confluentKafka ?? 'not installed',
  confluentKafkaLibrdkafka: py?.librdkafka ?? 'not installed',
};
const cpu = cpus();
const machine = {
  cpus: cpu.length,
  cpuModel: cpu[0]?.model ?? 'unknown',
  platform: `${process.platform} ${process.arch}`,
  loadAverageAtStart: loadStart.map((l) => round(l, 2)),
  loadAverageAtEnd: loadavg().map((l) => round(l, 2)),
};

const out: string[] = [];
out.push(
  `kafkalite benchmark (${revision ? `commit ${revision.commit.slice(0, 10)}${revision.dirty ? ' + uncommitted changes' : ''}` : 'not a git checkout'})`,
);
out.push(
  `node ${versions.node}; ${versions.kcat}; ` +
    `confluent-kafka ${versions.confluentKafka} (librdkafka ${versions.confluentKafkaLibrdkafka}); kafkajs ${versions.kafkajs}`,
);
out.push(
  `${machine.cpus} x ${machine.cpuModel}; load average at start ${loadStart.map((l) => fixed(l, 2)).join(' ')}, at end ${loadavg()
    .map((l) => fixed(l, 2))
    .join(' ')}`,
);

if (startup.length > 0) {
  out.push('');
  out.push(
    '1. In-process start-to-ready: startBroker() until ApiVersions v3 then Metadata v12 answered on a raw TCP socket; stop() with that connection open',
  );
  const rows: (string | number)[][] = [];
  for (const s of startup) {
    const n = `${s.store} (n=${s.starts})`;
    rows.push([
      n,
      'startBroker() resolved',
      fixed(s.listening.median, 3),
      fixed(s.listening.p95, 3),
      fixed(s.listening.p99, 3),
      fixed(s.listening.max, 3),
      fixed(s.cold.listeningMs, 3),
    ]);
    rows.push([
      n,
      '+ ApiVersions answered',
      fixed(s.apiVersions.median, 3),
      fixed(s.apiVersions.p95, 3),
      fixed(s.apiVersions.p99, 3),
      fixed(s.apiVersions.max, 3),
      fixed(s.cold.apiVersionsMs, 3),
    ]);
    rows.push([
      n,
      '+ Metadata answered = READY',
      fixed(s.ready.median, 3),
      fixed(s.ready.p95, 3),
      fixed(s.ready.p99, 3),
      fixed(s.ready.max, 3),
      fixed(s.cold.readyMs, 3),
    ]);
    rows.push([
      n,
      'stop()',
      fixed(s.stop.median, 3),
      fixed(s.stop.p95, 3),
      fixed(s.stop.p99, 3),
      fixed(s.stop.max, 3),
      fixed(s.cold.stopMs, 3),
    ]);
  }
  out.push(table(['store', 'ms from startBroker() call', 'median', 'p95', 'p99', 'max', 'first (cold)'], rows));
  for (const s of startup) {
    out.push(
      `   ${s.store}: ${s.starts} starts in ${s.wallSeconds} s; bench process RSS ${s.memory.rssBeforeMiB} -> ` +
        `${s.memory.rssAfterMiB} MiB, heap used ${s.memory.heapUsedBeforeMiB} -> ${s.memory.heapUsedAfterMiB} MiB (after GC)`,
    );
  }
  out.push('   cold = the first start in the process (module loading, codec compilation, JIT); not in the statistics.');
}

for (const m of modes) {
  out.push('');
  out.push(`2-4. Throughput, ${m.mode} broker: ${m.broker}`);
  out.push(
    `   ${int(MESSAGES)} messages x ${VALUE_BYTES} B values (${fixed(MB, 1)} MB of values; MB = 10^6 bytes of values) to one ` +
      `partition of a fresh topic per client; broker ready in ${m.startMs} ms`,
  );
  out.push(
    table(
      [
        'client',
        'op',
        'messages',
        'seconds',
        'msg/s',
        'MB/s',
        'wall s',
        m.mode === 'cli' ? 'broker CPU s' : 'process CPU s',
        m.mode === 'cli' ? 'broker RSS MiB' : 'process RSS MiB',
        'check',
      ],
      m.rows.map((r) => [
        r.client,
        r.op,
        int(r.messages),
        fixed(r.seconds, 2),
        int(r.messagesPerSec),
        fixed(r.megabytesPerSec, 1),
        fixed(r.wallSeconds, 2),
        r.brokerCpuSeconds === null || r.brokerCpuSeconds === undefined ? '-' : fixed(r.brokerCpuSeconds, 2),
        r.brokerRssMiB ?? '-',
        r.check,
      ]),
    ),
  );
  const rss = m.brokerRss ? `${m.brokerRss.rssMiB} MiB (peak ${m.brokerRss.peakMiB} MiB), ${m.brokerRss.what}` : 'n/a';
  out.push(
    `   ${m.mode === 'cli' ? 'broker' : 'process'} RSS at the end: ${rss}` +
      (m.dataDirMiB !== undefined ? `; data dir ${m.dataDirMiB} MiB` : '') +
      (m.stop ? `; stop ${m.stop.ms} ms${m.stop.exitCode !== undefined ? ` (exit ${m.stop.exitCode})` : ''}` : '') +
      `; ${m.wallSeconds} s in all`,
  );
  if (m.afterGc) {
    out.push(
      `   after a full GC, before stop(): RSS ${m.afterGc.rssMiB} MiB, JS heap used ${m.afterGc.heapUsedMiB} MiB, ` +
        `array buffers ${m.afterGc.arrayBuffersMiB} MiB (of which the bench's own copy of the values: ${m.afterGc.dataHeldMiB} MiB; ` +
        `the memory store holds ${fixed((3 * MB * 1e6) / 1048576, 1)} MiB of values)`,
    );
  }
  if (m.profile) {
    const special = (name: string) => m.profile!.bySelf.find((h) => h.function === name)?.selfPct ?? 0;
    out.push(
      `   CPU profile of the broker (${m.profile.file}, ${m.profile.sampledMs} ms sampled: ` +
        `idle ${special('(idle)')}%, GC ${special('(garbage collector)')}%), top by self time:`,
    );
    for (const h of m.profile.bySelf.filter((x) => !/^\((idle|program|root)\)$/.test(x.function)).slice(0, 15)) {
      out.push(`   ${String(h.selfMs).padStart(7)} ms ${h.selfPct.toFixed(1).padStart(5)}%  ${h.function}  ${h.location}`);
    }
    out.push(`   (full list: node dist/test/bench/profile-top.js ${m.profile.file})`);
  }
}
if (modes.length > 0) {
  out.push('');
  out.push('   seconds: kcat = process start to exit (includes connecting, and for consume the final empty fetch that ends it, -e);');
  out.push('            confluent-kafka = first produce() to flush() / assign() to the last message, in the script (values pre-loaded);');
  out.push(
    `            kafkajs = first send() to last resolved, producer connected first. msg/s and MB/s use these seconds; wall s = whole client process.`,
  );
  out.push(`   producers: kcat -P -l <file> -X ${KCAT_PRODUCE_CONF.join(' -X ')} (librdkafka default acks=all);`);
  out.push(
    `              confluent-kafka ${JSON.stringify(PY_PRODUCE_CONF)}; kafkajs producer.send() of ${int(KAFKAJS_BATCH)} ` +
      `messages, ${KAFKAJS_IN_FLIGHT} sends in flight, acks=${KAFKAJS_ACKS}.`,
  );
  out.push(
    `   consumers: kcat -C -o beginning -e -q -X fetch.wait.max.ms=${CONSUME_CONF['fetch.wait.max.ms']} into a file; ` +
      `confluent-kafka assign() + consume(10000), same fetch.wait.max.ms, no group`,
  );
  out.push(
    '              (confluent-kafka needs a group.id even with assign(); its first-message delay is firstMessageSeconds in the JSON).',
  );
  out.push(
    '   kafkajs-produced data is read back with kcat (librdkafka), the fastest reader here, so the figure is the broker serving it.',
  );
  out.push(
    '   broker CPU s: CPU time (user+system) of the broker process during the client run (wall s); in-process: of the bench process, kafkajs included.',
  );
  out.push('   check: every value read back is compared to what was produced (count, missing, duplicates, content).');
}
if (storage) {
  out.push('');
  out.push('5. Storage (disk store, startBroker in this process)');
  out.push(formatStorageBench(storage));
}
if (testkit && testServer) {
  out.push('');
  out.push('6. Test kit');
  out.push(formatTestkitBench(testkit));
  out.push(
    `kafkalite test-server exec to ready (${testServer.runs} runs, spawn until KAFKA_BOOTSTRAP/KAFKALITE_CONTROL printed): ` +
      `median ${fixed(testServer.ready.median, 1)} ms, p95 ${fixed(testServer.ready.p95, 1)} ms`,
  );
}
if (peers.length > 0) {
  out.push('');
  out.push(formatPeers(peers));
}
out.push('');
out.push(`total ${fixed((performance.now() - t0) / 1000, 1)} s`);
console.log(out.join('\n'));

const report = {
  date: new Date().toISOString(),
  revision,
  machine,
  versions,
  settings: {
    messages: MESSAGES,
    valueBytes: VALUE_BYTES,
    starts: { memory: STARTS, disk: STARTS > 0 ? DISK_STARTS : 0 },
    modes: MODES,
    kcatProduce: KCAT_PRODUCE_CONF,
    confluentProduce: PY_PRODUCE_CONF,
    kafkajs: { batch: KAFKAJS_BATCH, inFlight: KAFKAJS_IN_FLIGHT, acks: KAFKAJS_ACKS, consumedWith: 'kcat' },
  },
  startup,
  throughput: modes,
  storage,
  testkit,
  testServer,
  peers: { variants: peerSettings.variants, results: peers, goals: peerGoals(peers) },
  failures,
  totalSeconds: round((performance.now() - t0) / 1000, 1),
};
const artifacts = join(REPO_ROOT, 'test-artifacts');
mkdirSync(artifacts, { recursive: true });
writeFileSync(join(artifacts, 'bench.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log(`figures written to ${join(artifacts, 'bench.json')}`);

if (failures.length > 0) {
  console.error('\nBENCH FAILED: data missing or a client failed:');
  for (const f of failures) console.error(` - ${f}`);
  process.exit(1);
}
process.exit(0);
