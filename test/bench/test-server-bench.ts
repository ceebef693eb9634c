// `kafkalite test-server` exec to ready: from spawn() of `node dist/bin/kafkalite.js
// test-server --print-env` until both env lines (KAFKA_BOOTSTRAP, KAFKALITE_CONTROL) are on its
// stdout, which it prints once the Kafka listener and the control API listen. Then one control
// round trip (GET /control/v1/info) proves the URL answers, and the process is stopped by
// closing its stdin. Target: median ≤ 300 ms.
//
//   node dist/test/bench/test-server-bench.js [runs]

import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { summarize, type Summary } from './stats.js';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'kafkalite.js');

export interface TestServerBenchResult {
  runs: number;
  /** spawn until both env lines were read. */
  ready: Summary;
  /** spawn until GET /control/v1/info answered. */
  controlAnswered: Summary;
  /** stdin closed until the process exited. */
  exit: Summary;
}

async function oneRun(args: string[]): Promise<{ readyMs: number; controlMs: number; exitMs: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, 'test-server', '--print-env', ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  const env = await new Promise<Record<string, string>>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const bootstrap = /^KAFKA_BOOTSTRAP=(.+)$/m.exec(out);
      const control = /^KAFKALITE_CONTROL=(.+)$/m.exec(out);
      if (bootstrap && control) resolve({ KAFKA_BOOTSTRAP: bootstrap[1]!, KAFKALITE_CONTROL: control[1]! });
    });
    child.once('exit', (code) => reject(new Error(`test-server exited ${code} before printing its env:\n${out}`)));
  });
  const readyMs = performance.now() - t0;
  const res = await fetch(`${env.KAFKALITE_CONTROL}/control/v1/info`);
  const info = (await res.json()) as { bootstrap?: string };
  if (info.bootstrap !== env.KAFKA_BOOTSTRAP) throw new Error(`control /info names ${info.bootstrap}, env says ${env.KAFKA_BOOTSTRAP}`);
  const controlMs = performance.now() - t0;
  const t1 = performance.now();
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.stdin.end();
  const code = await exited;
  if (code !== 0) throw new Error(`test-server exited ${code} after stdin closed`);
  return { readyMs, controlMs, exitMs: performance.now() - t1 };
}

/** Measure exec-to-ready over `runs` spawns (one unmeasured warm-up first: the file cache). */
export async function benchTestServer(runs = 20, args: string[] = []): Promise<TestServerBenchResult> {
  await oneRun(args);
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(await oneRun(args));
  return {
    runs,
    ready: summarize(samples.map((s) => s.readyMs)),
    controlAnswered: summarize(samples.map((s) => s.controlMs)),
    exit: summarize(samples.map((s) => s.exitMs)),
  };
}

/** Run it and print the figures; returns the result for run.ts. */
export async function printTestServerBench(runs = 20): Promise<TestServerBenchResult> {
  const r = await benchTestServer(runs);
  console.log(
    `kafkalite test-server exec to ready (${r.runs} runs, spawn until KAFKA_BOOTSTRAP/KAFKALITE_CONTROL printed; target median <= 300 ms):`,
  );
  console.log(
    `  ready            median ${r.ready.median.toFixed(1)} ms   p95 ${r.ready.p95.toFixed(1)} ms   min ` +
      `${r.ready.min.toFixed(1)}   max ${r.ready.max.toFixed(1)}`,
  );
  console.log(`  control answers  median ${r.controlAnswered.median.toFixed(1)} ms   p95 ${r.controlAnswered.p95.toFixed(1)} ms`);
  console.log(`  exit on stdin EOF median ${r.exit.median.toFixed(1)} ms   p95 ${r.exit.p95.toFixed(1)} ms`);
  return r;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await printTestServerBench(Number(process.argv[2] ?? 20));
}
