// Runs the franz program (test/go/franz: franz-go's kgo and kadm) against a broker. The binary
// is built by test/go/setup.mjs, which `npm test` runs first; calling it here again costs a
// few stat calls and lets a single test file run on its own.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../integration/helpers.js';

const SETUP = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'test', 'go', 'setup.mjs');
let binary: Promise<string> | undefined;

/** Builds test/go/franz when a source is newer than the binary; resolves to its path. */
export function franzBinary(): Promise<string> {
  // KAFKALITE_FRANZ: a binary built elsewhere (a worktree whose .go files differ from the shared test/go/.cache build).
  if (process.env.KAFKALITE_FRANZ) return Promise.resolve(process.env.KAFKALITE_FRANZ);
  binary ??= import(SETUP).then((m: { setup(): string }) => m.setup());
  return binary;
}

/** `franz <command> -b <bootstrap> ...args`; resolves to the JSON of its last stdout line, rejects on a non-zero exit. */
export async function franz<T = Record<string, unknown>>(
  command: string,
  bootstrap: string,
  args: string[] = [],
  timeoutMs = 60_000,
): Promise<T> {
  const bin = await franzBinary();
  const r = await run(bin, [command, '-b', bootstrap, '-timeout', `${Math.floor(timeoutMs / 1000) - 2}s`, ...args], { timeoutMs });
  if (r.code !== 0) throw new Error(`franz ${command} exited ${r.code}:\n${r.stderr}\n${r.stdout.slice(-2000)}`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as T;
}
