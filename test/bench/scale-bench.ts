// Scale figures of a `kafkalite start` process (issue 15): many partitions (create, one record
// to each, kcat producing BENCH_SCALE_RECORDS (default 200,000) x 100 B across all of them and
// consuming everything back, clean stop, restart after the clean stop: time, CPU and RSS) and many connections
// (each answers ApiVersions once and stays open: broker RSS). Prints figures; asserts nothing.
//
//   node dist/test/bench/scale-bench.js
//   npm run bench runs benchScaleVariants(): BENCH_SCALE variants as PARTITIONSxCONNECTIONS
//                            (default '2000x1000,10000x5000'; 'none' skips), each skipped with a
//                            note when `ulimit -n` is too low for it; figures also go to
//                            test-artifacts/bench-scale.json.
//   BENCH_SCALE_PARTITIONS   partitions (default 10000). The disk store holds one file open per
//                            partition (its active .log; indexes are written open-write-close) and
//                            at most 1,024 more for reads of older segments (read-descriptors.ts).
//   BENCH_SCALE_CONNECTIONS  connections (default 5000; one file descriptor each on both sides),
//                            opened on the restarted broker that holds the partitions
//   BENCH_NODE_ARGS          node flags for the broker, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { KafkaConnection } from '../../bin/client/connection.js';
import { ApiVersions, CreatePartitions, CreateTopics, Produce } from '../../protocol/messages/index.js';
import { buildBatch } from '../../protocol/records/index.js';
import { REPO_ROOT } from './cli-broker.js';
import { CONSUME_CONF, KCAT_PRODUCE_CONF, runProc } from './clients.js';

const PARTITIONS = Number(process.env.BENCH_SCALE_PARTITIONS ?? 10_000);
const CONNECTIONS = Number(process.env.BENCH_SCALE_CONNECTIONS ?? 5000);
/** Descriptors the broker needs: one per partition, one per connection, the shared read descriptors and slack. */
const fdsNeeded = (partitions: number, connections: number) => partitions + connections + 1024 + 500;
/** Descriptors the process holds now. */
export const openFds = (pid: number) => readdirSync(`/proc/${pid}/fd`).length;

export const rssMiB = (pid: number) =>
  Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 102.4) / 10;
/** utime + stime of a process in ms (clock ticks of 10 ms). */
export const cpuMs = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
};

interface Started {
  child: ChildProcess;
  port: number;
  readyMs: number;
}

export async function start(dataDir: string): Promise<Started> {
  const t0 = performance.now();
  const bin = join(REPO_ROOT, 'dist', 'bin', 'kafkalite.js');
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      bin,
      'start',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--http-port',
      '0',
      '--no-schema-registry',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const ready = () => /bootstrap\.servers=[^\s:"]+:(\d+)/.exec(out);
  while (!ready()) {
    if (child.exitCode !== null) throw new Error(`broker exited:\n${out}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return { child, port: Number(ready()![1]), readyMs: Math.round(performance.now() - t0) };
}

export async function stop(child: ChildProcess): Promise<number> {
  const t0 = performance.now();
  child.kill('SIGINT');
  await new Promise((r) => child.once('exit', r));
  return Math.round(performance.now() - t0);
}

/** Records kcat produces across all the partitions (random partitioner), then consumes with the first ones. */
const KCAT_RECORDS = Number(process.env.BENCH_SCALE_RECORDS ?? 200_000);

/** kcat (librdkafka) produces KCAT_RECORDS x 100 B spread over every partition, then reads all of them back. */
async function kcatAcross(dir: string, bootstrap: string, pid: number, partitions: number): Promise<Record<string, number>> {
  const file = join(dir, '..', `${dir.split('/').pop()}-records.txt`);
  const out = `${file}.out`;
  try {
    writeFileSync(file, `${'v'.repeat(100)}\n`.repeat(KCAT_RECORDS));
    let cpu = cpuMs(pid);
    const p = await runProc('kcat', ['-P', '-b', bootstrap, '-t', 'scale', ...KCAT_PRODUCE_CONF.flatMap((c) => ['-X', c]), '-l', file]);
    if (p.code !== 0 || /fail|error/i.test(p.stderr)) throw new Error(`kcat -P: ${p.code} ${p.stderr.slice(0, 2000)}`);
    const produceCpu = cpuMs(pid) - cpu;
    cpu = cpuMs(pid);
    const args = [
      '-C',
      '-b',
      bootstrap,
      '-t',
      'scale',
      '-o',
      'beginning',
      '-e',
      '-q',
      ...Object.entries(CONSUME_CONF).flatMap(([k, v]) => ['-X', `${k}=${v}`]),
    ];
    const c = await runProc('kcat', args, { stdoutFile: out });
    if (c.code !== 0) throw new Error(`kcat -C: ${c.code} ${c.stderr.slice(0, 2000)}`);
    const lines = readFileSync(out, 'latin1').split('\n').length - 1;
    if (lines !== KCAT_RECORDS + partitions) throw new Error(`kcat -C read ${lines} records of ${KCAT_RECORDS + partitions}`);
    return {
      kcatProduceMsgs: Math.round(KCAT_RECORDS / p.wallSeconds),
      kcatProduceBrokerCpuMs: produceCpu,
      kcatConsumeMsgs: Math.round(lines / c.wallSeconds),
      kcatConsumeBrokerCpuMs: cpuMs(pid) - cpu,
      kcatRssMiB: rssMiB(pid),
    };
  } finally {
    rmSync(file, { force: true });
    rmSync(out, { force: true });
  }
}

export async function benchScale(partitions: number, connections: number): Promise<Record<string, number>> {
  const figures: Record<string, number> = {};
  const dir = mkdtempSync(join(tmpdir(), 'kafkalite-scale-'));
  try {
    let b = await start(dir);
    figures.emptyReadyMs = b.readyMs;
    figures.emptyRssMiB = rssMiB(b.child.pid!);
    const c = await KafkaConnection.open('127.0.0.1', b.port, { clientId: 'scale-bench' });
    let t = performance.now();
    // In steps of 5,000 partitions: Kafka 4.4's controller refuses a request of more than 10,000
    // metadata records (broker/limits/controller-batch.ts), and a topic record plus 10,000
    // partition records is one too many; a Kafka user grows such a topic with CreatePartitions.
    const STEP = 5000;
    const created = await c.send(CreateTopics, 7, {
      topics: [{ name: 'scale', numPartitions: Math.min(partitions, STEP), replicationFactor: 1, assignments: [], configs: [] }],
      timeoutMs: 600_000,
      validateOnly: false,
    });
    if (created.topics[0]!.errorCode !== 0) throw new Error(`CreateTopics: error ${created.topics[0]!.errorCode}`);
    for (let count = STEP * 2; count - STEP < partitions; count += STEP) {
      const grown = await c.send(CreatePartitions, 3, {
        topics: [{ name: 'scale', count: Math.min(count, partitions), assignments: null }],
        timeoutMs: 600_000,
        validateOnly: false,
      });
      if (grown.results[0]!.errorCode !== 0) throw new Error(`CreatePartitions: error ${grown.results[0]!.errorCode}`);
    }
    figures.createMs = Math.round(performance.now() - t);
    figures.createdRssMiB = rssMiB(b.child.pid!);
    const batch = buildBatch({ records: [{ timestamp: 1, key: null, value: 'x'.repeat(100) }] });
    t = performance.now();
    for (let base = 0; base < partitions; base += 100) {
      const n = Math.min(100, partitions - base);
      const res = await c.send(Produce, 9, {
        transactionalId: null,
        acks: -1,
        timeoutMs: 30_000,
        topicData: [{ name: 'scale', partitionData: Array.from({ length: n }, (_, i) => ({ index: base + i, records: batch })) }],
      });
      if (res.responses[0]!.partitionResponses.some((p) => p.errorCode !== 0)) throw new Error('produce failed');
    }
    figures.produceEachMs = Math.round(performance.now() - t);
    figures.producedRssMiB = rssMiB(b.child.pid!);
    figures.producedFds = openFds(b.child.pid!);
    await c.close();
    Object.assign(figures, await kcatAcross(dir, `127.0.0.1:${b.port}`, b.child.pid!, partitions));
    figures.cleanStopMs = await stop(b.child);
    b = await start(dir);
    figures.restartReadyMs = b.readyMs;
    figures.restartCpuMs = cpuMs(b.child.pid!);
    figures.restartRssMiB = rssMiB(b.child.pid!);
    figures.restartFds = openFds(b.child.pid!);

    // The connections, on the broker that holds the partitions.
    const conns: KafkaConnection[] = [];
    t = performance.now();
    for (let i = 0; i < connections; i += 250) {
      const opened = await Promise.all(
        Array.from({ length: Math.min(250, connections - i) }, async () => {
          const k = await KafkaConnection.open('127.0.0.1', b.port, { clientId: 'idle' });
          await k.send(ApiVersions, 3, { clientSoftwareName: 'scale-bench', clientSoftwareVersion: '0' });
          return k;
        }),
      );
      conns.push(...opened);
    }
    figures.connectionsOpenMs = Math.round(performance.now() - t);
    figures.connectionsRssMiB = rssMiB(b.child.pid!);
    figures.connectionsFds = openFds(b.child.pid!);
    figures.rssPerConnectionKiB = Math.round(((figures.connectionsRssMiB - figures.restartRssMiB) * 1024) / Math.max(1, connections));
    await Promise.all(conns.map((k) => k.close()));
    figures.secondStopMs = await stop(b.child);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

/** The soft limit on open files of this process (the broker child inherits it). */
function openFileLimit(): number {
  const m = /Max open files\s+(\d+|unlimited)/.exec(readFileSync('/proc/self/limits', 'utf8'));
  return !m || m[1] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(m[1]);
}

/** `npm run bench`'s scale phase: each BENCH_SCALE variant in turn, printed and saved. */
export async function benchScaleVariants(log: (msg: string) => void): Promise<void> {
  const spec = process.env.BENCH_SCALE ?? '2000x1000,10000x5000';
  const out: Array<{ partitions: number; connections: number; skipped?: string; figures?: Record<string, number> }> = [];
  for (const v of spec.split(',').filter((x) => x && x !== 'none')) {
    const [partitions, connections] = v.split('x').map(Number) as [number, number];
    const need = fdsNeeded(partitions, connections);
    if (need > openFileLimit()) {
      out.push({ partitions, connections, skipped: `needs ulimit -n >= ${need} (is ${openFileLimit()})` });
      log(`scale ${v}: skipped, needs ulimit -n >= ${need}`);
      continue;
    }
    log(`scale ${v}: ${partitions} partitions (create, produce, clean stop, restart), ${connections} connections`);
    out.push({ partitions, connections, figures: await benchScale(partitions, connections) });
  }
  console.log('\nScale (CLI broker, disk store)');
  for (const r of out) {
    console.log(`  ${r.partitions} partitions, ${r.connections} connections${r.skipped ? `: skipped, ${r.skipped}` : ''}`);
    for (const [k, n] of Object.entries(r.figures ?? {})) console.log(`    ${k.padEnd(24)} ${n}`);
  }
  const artifacts = join(REPO_ROOT, 'test-artifacts');
  mkdirSync(artifacts, { recursive: true });
  writeFileSync(join(artifacts, 'bench-scale.json'), `${JSON.stringify(out, null, 2)}\n`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const f = await benchScale(PARTITIONS, CONNECTIONS);
  console.log(`${PARTITIONS} partitions, ${CONNECTIONS} connections`);
  for (const [k, v] of Object.entries(f)) console.log(`${k.padEnd(24)} ${v}`);
}
