// Runs Python programs with test/python/.venv's interpreter: PyPI's newest confluent-kafka
// (with its bundled librdkafka) and kafka-python, as pinned in test/python/requirements.txt.
// The venv is made by test/python/setup.mjs, which `npm test` runs first; calling it here again
// costs a hash of requirements.txt and lets a single test file run on its own. Debian's older
// clients stay behind python() in test/integration/helpers.ts.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../integration/helpers.js';

const SETUP = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'test', 'python', 'setup.mjs');
let interpreter: Promise<string> | undefined;

/** Creates or updates the venv when requirements.txt changed; resolves to its python. */
export function venvInterpreter(): Promise<string> {
  interpreter ??= import(SETUP).then((m: { setup(): string }) => m.setup());
  return interpreter;
}

/** Like python() in helpers.ts, with the venv's interpreter: argv[1] is the bootstrap address; resolves to the JSON of stdout's last line. */
export async function venvPython<T = unknown>(script: string, bootstrap: string, timeoutMs = 60_000): Promise<T> {
  const r = await run(await venvInterpreter(), ['-c', script, bootstrap], { timeoutMs });
  if (r.code !== 0) throw new Error(`venv python exited ${r.code}:\n${r.stderr}\n${r.stdout}`);
  const lines = r.stdout.trim().split('\n');
  try {
    return JSON.parse(lines[lines.length - 1]!) as T;
  } catch {
    throw new Error(`venv python printed no JSON:\n${r.stdout}\n${r.stderr}`);
  }
}

const SCRIPTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'test', 'python', 'scripts');

/** Runs test/python/scripts/<name> with the venv's python: argv[1] is the bootstrap address, then `args`; resolves to the JSON of stdout's last line. */
export async function venvScript<T = Record<string, unknown>>(
  name: string,
  bootstrap: string,
  args: string[] = [],
  timeoutMs = 90_000,
): Promise<T> {
  const r = await run(await venvInterpreter(), [join(SCRIPTS, name), bootstrap, ...args], { timeoutMs });
  if (r.code !== 0) throw new Error(`${name} exited ${r.code}:\n${r.stderr}\n${r.stdout}`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as T;
}
