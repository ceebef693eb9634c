#!/usr/bin/env node
// Builds test/go/franz (franz-go's kgo and kadm, pinned in go.mod/go.sum) into
// test/go/.cache/franz for the franz-go integration tests. The binary is rebuilt only when a
// .go file, go.mod or go.sum is newer than it, so a run with nothing changed costs a few stat
// calls. The first build fetches the modules through the Go module proxy into Go's own module
// cache (GOMODCACHE); later builds work offline.
//
//   node test/go/setup.mjs            builds when needed and prints the binary's path
//
// Needs Go (the version go.mod names, or newer) on PATH.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The franz program the tests run. */
export const FRANZ = join(here, '.cache', 'franz');

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    // test/go/kfake is its own module (the bench's kfake broker, test/bench/peers/kfake.ts), not part of franz.
    if (e.isDirectory()) return e.name.startsWith('.') || e.name === 'kfake' ? [] : sources(p);
    return e.name.endsWith('.go') || e.name === 'go.mod' || e.name === 'go.sum' ? [p] : [];
  });
}

export function setup() {
  const newest = Math.max(...sources(here).map((p) => statSync(p).mtimeMs));
  if (existsSync(FRANZ) && statSync(FRANZ).mtimeMs >= newest) return FRANZ;
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0) {
    throw new Error('go is not on PATH: the franz-go tests need Go 1.26 or newer, as franz-go itself does (https://go.dev/dl/)');
  }
  console.log('building test/go/franz (franz-go) into test/go/.cache');
  mkdirSync(dirname(FRANZ), { recursive: true });
  execFileSync('go', ['build', '-o', FRANZ, './franz'], {
    cwd: here,
    stdio: 'inherit',
    env: { ...process.env, GOFLAGS: '-mod=readonly -buildvcs=false' },
  });
  return FRANZ;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(setup());
