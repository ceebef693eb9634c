// kafkalite as a peer: `kafkalite start` (the CLI, disk store) in its own process, as the
// throughput section of run.ts starts it (cli-broker.ts).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startCliBroker } from '../cli-broker.js';
import { createTopicWire, waitForMetadata, type PeerBroker } from './broker.js';

export async function startKafkalitePeer(opts: { cpuProfDir?: string } = {}): Promise<PeerBroker> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kafkalite-bench-peer-'));
  const t0 = performance.now();
  const b = await startCliBroker({ dataDir, cpuProfDir: opts.cpuProfDir });
  const t1 = await waitForMetadata(b.bootstrap, 20_000, () => !b.exited());
  return {
    name: 'kafkalite',
    describe: `kafkalite start --data-dir <tmp> (node ${process.version}, disk store${opts.cpuProfDir ? ', --cpu-prof' : ''})`,
    bootstrap: b.bootstrap,
    pid: b.pid,
    readyMs: t1 - t0,
    createTopic: (name, partitions) => createTopicWire(b.bootstrap, name, partitions),
    alive: () => !b.exited(),
    output: () => b.output(),
    async stop() {
      await b.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
