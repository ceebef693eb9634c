// The report of `npm run bench` (test/bench/run.ts): the figures as text tables on stdout and as JSON in
// test-artifacts/bench.json, with the commit, the clients' versions and the machine's load.

import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { REPO_ROOT } from './cli-broker.js';
import {
  CONSUME_CONF,
  KAFKAJS_ACKS,
  KAFKAJS_BATCH,
  KAFKAJS_IN_FLIGHT,
  KCAT_PRODUCE_CONF,
  PY_PRODUCE_CONF,
  kafkajsVersion,
  kcatVersion,
  pythonVersions,
} from './clients.js';
import { VALUE_BYTES } from './data.js';
import type { PeerResult, PeersSettings } from './peers/run-peers.js';
import { formatPeers, peerGoals } from './peers/report.js';
import type { StartupResult } from './startup.js';
import { fixed, int, round, table } from './stats.js';
import { formatStorageBench, type StorageBenchResult } from './storage-bench.js';
import type { LoadFigure } from './system.js';
import type { TestServerBenchResult } from './test-server-bench.js';
import { formatTestkitBench, type TestkitBenchResult } from './testkit-bench.js';
import type { ModeResult, ThroughputMode } from './throughput.js';

/** What run.ts measured, and the settings it ran with. */
export interface BenchFigures {
  /** performance.now() and the load average when the bench started. */
  t0: number;
  loadStart: number[];
  settings: { messages: number; starts: number; diskStarts: number; modes: ThroughputMode[] };
  startup: StartupResult[];
  modes: ModeResult[];
  storage: StorageBenchResult | null;
  testkit: TestkitBenchResult | null;
  testServer: TestServerBenchResult | null;
  peerSettings: PeersSettings;
  peers: PeerResult[];
  /** Each section's wall time and the 1-minute load average sampled while it ran (system.ts LoadSampler). */
  sections: { name: string; seconds: number; load: LoadFigure }[];
  failures: string[];
}

/** Print the figures and write test-artifacts/bench.json. */
export function printReport(f: BenchFigures): void {
  const { t0, loadStart, startup, modes, storage, testkit, testServer, peerSettings, peers, sections, failures } = f;
  const { messages: MESSAGES, starts: STARTS, diskStarts: DISK_STARTS, modes: MODES } = f.settings;
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
  if (sections.length > 0) {
    out.push(
      `1-min load average during each section, median (min-max), sampled every 2 s: ${sections
        .map(
          (x) =>
            `${x.name} ${x.seconds} s: ${fixed(x.load.median ?? NaN, 2)} (${fixed(x.load.min ?? NaN, 2)}-${fixed(x.load.max ?? NaN, 2)})`,
        )
        .join('; ')}`,
    );
  }

  out.push(...formatStartup(startup), ...formatThroughput(modes, MESSAGES));
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
    out.push(formatPeers(peers, peerSettings));
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
    sections,
    peers: {
      variants: peerSettings.variants,
      repeat: peerSettings.repeat,
      repeatCells: peerSettings.repeatCells,
      warmup: peerSettings.warmup,
      results: peers,
      goals: peerGoals(peers),
    },
    failures,
    totalSeconds: round((performance.now() - t0) / 1000, 1),
  };
  const artifacts = join(REPO_ROOT, 'test-artifacts');
  mkdirSync(artifacts, { recursive: true });
  writeFileSync(join(artifacts, 'bench.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`figures written to ${join(artifacts, 'bench.json')}`);
}

function gitRevision(): { commit: string; dirty: boolean } | null {
  const head = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (head.status !== 0) return null;
  const st = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: REPO_ROOT, encoding: 'utf8' });
  return { commit: head.stdout.trim(), dirty: st.stdout.trim() !== '' };
}

/** Section 1: in-process start-to-ready, memory and disk stores. */
function formatStartup(startup: StartupResult[]): string[] {
  const out: string[] = [];
  if (startup.length > 0) {
    out.push('');
    out.push(
      '1. In-process start-to-ready: startBroker() until ApiVersions v3 then Metadata v12 answered on a raw TCP socket; stop() with that connection open',
    );
    const rows: (string | number)[][] = [];
    for (const s of startup) {
      const n = `${s.store} (n=${s.starts})`;
      const phases = [
        ['startBroker() resolved', s.listening, s.cold.listeningMs],
        ['+ ApiVersions answered', s.apiVersions, s.cold.apiVersionsMs],
        ['+ Metadata answered = READY', s.ready, s.cold.readyMs],
        ['stop()', s.stop, s.cold.stopMs],
      ] as const;
      for (const [what, st, cold] of phases) {
        rows.push([n, what, fixed(st.median, 3), fixed(st.p95, 3), fixed(st.p99, 3), fixed(st.max, 3), fixed(cold, 3)]);
      }
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

  return out;
}

/** Sections 2-4: one throughput table per broker mode, then how the figures were taken. */
function formatThroughput(modes: ModeResult[], MESSAGES: number): string[] {
  const MB = (MESSAGES * VALUE_BYTES) / 1e6;
  const out: string[] = [];
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
    out.push('   each phase starts after `sync` and a wait for Dirty + Writeback (/proc/meminfo) to drain (BENCH_SETTLE=0: not).');
  }
  return out;
}
