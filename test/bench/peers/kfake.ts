// kfake as a peer: franz-go's in-memory fake Kafka (github.com/twmb/franz-go/pkg/kfake), one
// broker, hosted by test/go/kfake (its own Go module, pinned in its go.mod). Built into
// test/go/.cache/kfake-broker when a source is newer than the binary (the first build fetches the
// modules through the Go module proxy).

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { REPO_ROOT } from '../cli-broker.js';
import { createTopicWire, PeerUnavailable, waitForMetadata, type PeerBroker } from './broker.js';
import { spawnPeer } from './proc.js';

const SRC = join(REPO_ROOT, 'test', 'go', 'kfake');
const BIN = join(REPO_ROOT, 'test', 'go', '.cache', 'kfake-broker');

export function kfakeVersion(): string {
  try {
    const mod = execFileSync('go', ['list', '-m', '-f', '{{.Version}}', 'github.com/twmb/franz-go/pkg/kfake'], {
      cwd: SRC,
      encoding: 'utf8',
      env: { ...process.env, GOFLAGS: '-mod=readonly -buildvcs=false' },
    });
    return mod.trim();
  } catch {
    return 'unknown';
  }
}

function goVersion(): string {
  return /go\d[\w.]*/.exec(spawnSync('go', ['version'], { encoding: 'utf8' }).stdout ?? '')?.[0] ?? 'go';
}

/** Builds test/go/kfake when needed; the binary's path. */
export function kfakeBinary(log: (msg: string) => void): string {
  const newest = Math.max(...readdirSync(SRC).map((f) => statSync(join(SRC, f)).mtimeMs));
  if (existsSync(BIN) && statSync(BIN).mtimeMs >= newest) return BIN;
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0) throw new PeerUnavailable('go is not on PATH (kfake needs Go 1.26+)');
  log('building test/go/kfake (franz-go kfake) into test/go/.cache (a few minutes the first time)');
  mkdirSync(join(REPO_ROOT, 'test', 'go', '.cache'), { recursive: true });
  const r = spawnSync('go', ['build', '-o', BIN, '.'], {
    cwd: SRC,
    encoding: 'utf8',
    env: { ...process.env, GOFLAGS: '-mod=readonly -buildvcs=false' },
  });
  if (r.status !== 0) throw new PeerUnavailable(`go build test/go/kfake failed:\n${r.stderr}`);
  return BIN;
}

export async function startKfakePeer(log: (msg: string) => void): Promise<PeerBroker> {
  const bin = kfakeBinary(log);
  const version = kfakeVersion();
  const t0 = performance.now();
  const p = spawnPeer(bin, ['-port', '0']);
  let bootstrap: string;
  let t1: number;
  try {
    bootstrap = (await p.waitFor(/KFAKE_BOOTSTRAP=(\S+)/, 30_000))[1]!;
    t1 = await waitForMetadata(bootstrap, 30_000, () => !p.exited());
  } catch (e) {
    await p.stop('SIGKILL');
    throw e;
  }
  return {
    name: 'kfake',
    describe: `franz-go kfake ${version}, 1 broker, in memory (test/go/kfake, ${goVersion()})`,
    bootstrap,
    pid: p.child.pid!,
    readyMs: t1 - t0,
    createTopic: (name, partitions) => createTopicWire(bootstrap, name, partitions),
    alive: () => !p.exited(),
    output: p.output,
    stop: () => p.stop('SIGTERM'),
  };
}
