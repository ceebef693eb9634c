// Running the example projects under examples/ with their test runners, as a user would after
// `npm install` there: examples/<name>/node_modules/kafkalite links to this package (what the
// examples' "kafkalite": "file:../.." dependency installs); kafkajs, vitest and jest resolve
// from the repository's node_modules above them.

import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './helpers.js';

export const EXAMPLES = join(REPO_ROOT, 'examples');

/** Link examples/<name>/node_modules/kafkalite to the repository (idempotent). */
export function linkExample(name: string): string {
  const dir = join(EXAMPLES, name);
  const modules = join(dir, 'node_modules');
  const link = join(modules, 'kafkalite');
  mkdirSync(modules, { recursive: true });
  let ok = false;
  try {
    ok = lstatSync(link).isSymbolicLink() && existsSync(join(link, 'package.json'));
  } catch {
    ok = false;
  }
  if (!ok) {
    rmSync(link, { force: true, recursive: true });
    try {
      symlinkSync(join('..', '..', '..'), link, 'dir');
    } catch (err) {
      // Two test files linking at once: the other one won.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return dir;
}

export interface RunnerResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Run a test runner in an example's folder with a clean environment: no node:test child marker
 * (this file runs under node --test) and no shared-broker variables from outside; `extraEnv` is
 * added after.
 */
export function runRunner(cwd: string, args: string[], timeoutMs = 240_000, extraEnv: NodeJS.ProcessEnv = {}): Promise<RunnerResult> {
  const env = { ...process.env };
  for (const k of [
    'NODE_TEST_CONTEXT',
    'NODE_OPTIONS',
    'KAFKA_BOOTSTRAP',
    'KAFKALITE_CONTROL',
    'KAFKALITE_OPTIONS',
    'VITEST',
    'JEST_WORKER_ID',
  ])
    delete env[k];
  Object.assign(env, extraEnv);
  env.CI = 'true';
  env.FORCE_COLOR = '0';
  env.NO_COLOR = '1';
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} in ${cwd} timed out:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A scratch folder (runner JSON output, jest's cache) removed by remove(). */
export function scratch(prefix: string): { path: string; file(name: string): string; read(name: string): string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    file: (n) => join(path, n),
    read: (n) => readFileSync(join(path, n), 'utf8'),
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}
