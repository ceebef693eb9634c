// Shared pieces of the integration tests: running real client programs (kafka-python and
// confluent-kafka through Debian's /usr/bin/python3, kcat) against a broker, and starting
// the CLI broker as a separate process.

import { spawn, spawnSync, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const PYTHON = '/usr/bin/python3';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run a program to completion, feeding `input`; rejects on timeout. */
export function run(
  cmd: string,
  args: string[],
  opts: { input?: string | Buffer; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')} timed out; stderr: ${Buffer.concat(err).toString()}`));
    }, opts.timeoutMs ?? 60_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Run a Python program with Debian's interpreter; it gets the bootstrap address as argv[1]. Returns parsed JSON from stdout's last line. */
export async function python<T = unknown>(script: string, bootstrap: string, timeoutMs = 60_000): Promise<T> {
  const r = await run(PYTHON, ['-c', script, bootstrap], { timeoutMs });
  if (r.code !== 0) throw new Error(`python exited ${r.code}:\n${r.stderr}\n${r.stdout}`);
  const lines = r.stdout.trim().split('\n');
  try {
    return JSON.parse(lines[lines.length - 1]!) as T;
  } catch {
    throw new Error(`python printed no JSON:\n${r.stdout}\n${r.stderr}`);
  }
}

/** Fails with a clear message when a client tool is missing (npm test installs them as root). */
export function requireTool(check: () => boolean, what: string): void {
  if (!check()) throw new Error(`${what} is not installed; run npm test as root to install it, or apt-get install it`);
}

export function hasPythonModule(mod: string): boolean {
  return spawnSync(PYTHON, ['-c', `import ${mod}`]).status === 0;
}

export function hasCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

export function pythonModuleVersion(mod: string): string {
  const r = spawnSync(PYTHON, ['-c', `import ${mod} as m; print(getattr(m, '__version__', None) or m.version())`], { encoding: 'utf8' });
  return r.stdout.trim();
}

export function tempDir(prefix = 'kafkalite-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A `kafkalite start` process. */
export interface CliBroker {
  child: ChildProcess;
  port: number;
  bootstrap: string;
  output(): string;
  /** SIGINT and wait for exit; returns the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startCli(args: string[], timeoutMs = 20_000, env?: NodeJS.ProcessEnv): Promise<CliBroker> {
  const bin = join(REPO_ROOT, 'dist', 'bin', 'kafkalite.js');
  // Tests run several CLI brokers at once: no fixed ports unless a test asks for one.
  const http = args.includes('--http-port') ? [] : ['--http-port', '0'];
  // Nor the Schema Registry's default 8081: off unless a test names it.
  const registry = args.some((a) => a.includes('schema-registry')) ? [] : ['--no-schema-registry'];
  const child = spawn(process.execPath, [bin, 'start', '--port', '0', ...http, ...registry, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: env ? { ...process.env, ...env } : undefined,
  });
  let text = '';
  child.stdout!.on('data', (d) => (text += d));
  child.stderr!.on('data', (d) => (text += d));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`CLI broker not ready in ${timeoutMs} ms:\n${text}`)), timeoutMs);
    const check = () => {
      const m = /bootstrap\.servers=[^:\s]+:(\d+)/.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`CLI broker exited with ${code}:\n${text}`));
    });
  });
  return {
    child,
    port,
    bootstrap: `127.0.0.1:${port}`,
    output: () => text,
    stop: (signal = 'SIGINT') =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      }),
  };
}

export interface TestServer {
  child: ChildProcessWithoutNullStreams;
  /** The first two lines it printed: KAFKA_BOOTSTRAP=... and KAFKALITE_CONTROL=... */
  lines: string[];
  env: { KAFKA_BOOTSTRAP: string; KAFKALITE_CONTROL: string };
  /** Close stdin (test-server stops at its EOF); resolves with the exit code. */
  closeStdin(): Promise<number | null>;
  /** closeStdin(), and SIGKILL when it has not exited 10 s later; resolves once it has. */
  stop(): Promise<void>;
}

/** `kafkalite test-server --print-env ...args`, once it has printed its env lines (rejects if it exits first). */
export async function startTestServer(args: string[]): Promise<TestServer> {
  const bin = join(REPO_ROOT, 'dist', 'bin', 'kafkalite.js');
  const child = spawn(process.execPath, [bin, 'test-server', '--print-env', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const closeStdin = () => {
    child.stdin.end();
    return exited;
  };
  const stop = async () => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await closeStdin();
    clearTimeout(timer);
  };
  let lines: string[];
  try {
    lines = await new Promise<string[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`test-server printed no env in 20 s:\n${out}\n${err}`)), 20_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d;
        const ls = out.split('\n');
        if (ls.length >= 3) {
          clearTimeout(timer);
          resolve(ls.slice(0, 2));
        }
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`test-server exited ${code}:\n${out}\n${err}`));
      });
    });
  } catch (e) {
    await stop();
    throw e;
  }
  const env = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])) as TestServer['env'];
  return { child, lines, env, closeStdin, stop };
}

/**
 * Python for a test-server script: `call(method, path, body=None)` on the control API, JSON in and
 * out, at `control` (a variable the script sets: KAFKALITE_CONTROL).
 */
export const PY_CONTROL_CALL = `def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(control + '/control/v1' + path, data=data, method=method, headers={'content-type': 'application/json'})
    with urllib.request.urlopen(req) as res:
        return json.loads(res.read())
`;
