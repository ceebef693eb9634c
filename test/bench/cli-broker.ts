// `kafkalite start` in a separate process, for the throughput benchmarks: the realistic case.

import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

// dist/test/bench/cli-broker.js -> the package root
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const MAX_OUTPUT = 256 * 1024;

export interface CliBroker {
  child: ChildProcess;
  pid: number;
  host: string;
  port: number;
  bootstrap: string;
  /** Spawn until the bootstrap.servers line appeared. */
  readyMs: number;
  /** The process's output so far (the last 256 KiB). */
  output(): string;
  exited(): boolean;
  /** SIGINT, wait for exit; resolves with the exit code and how long it took. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

export async function startCliBroker(opts: { dataDir: string; cpuProfDir?: string; timeoutMs?: number }): Promise<CliBroker> {
  const bin = join(REPO_ROOT, 'dist', 'bin', 'kafkalite.js');
  const nodeArgs = opts.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`] : [];
  const t0 = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, bin, 'start', '--port', '0', '--data-dir', opts.dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const append = (d: Buffer) => {
    text += d.toString();
    if (text.length > MAX_OUTPUT) text = text.slice(-MAX_OUTPUT);
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exitedP = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    }),
  );

  const endpoint = await new Promise<{ host: string; port: number }>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`CLI broker not ready in ${opts.timeoutMs ?? 20000} ms:\n${text}`)),
      opts.timeoutMs ?? 20_000,
    );
    const check = () => {
      const m = /bootstrap\.servers=([^\s:"]+):(\d+)/.exec(text);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        resolve({ host: m[1]!, port: Number(m[2]) });
      }
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    void exitedP.then((e) => {
      clearTimeout(timer);
      reject(new Error(`CLI broker exited (code ${e.code}, signal ${e.signal}) before it was ready:\n${text}`));
    });
  });
  const readyMs = performance.now() - t0;
  return {
    child,
    pid: child.pid!,
    host: endpoint.host,
    port: endpoint.port,
    bootstrap: `${endpoint.host}:${endpoint.port}`,
    readyMs,
    output: () => text,
    exited: () => exit !== null,
    async stop() {
      const s = performance.now();
      if (!exit) child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const e = await exitedP;
      clearTimeout(timer);
      return { ...e, ms: performance.now() - s };
    },
  };
}
