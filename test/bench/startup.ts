// Start-to-ready of an in-process broker: from calling startBroker() until the broker has
// answered ApiVersions and then Metadata over TCP (a raw socket, hand-encoded requests: what
// a client does first). Then stop() with that connection still open.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startBroker, type BrokerOptions } from '../../broker/index.js';
import { ApiVersions } from '../../protocol/messages/18-api-versions.js';
import { Metadata } from '../../protocol/messages/03-metadata.js';
import { KafkaConnection } from '../../bin/client/connection.js';
import { forceGc, round, summarize, type Summary } from './stats.js';

export interface StartSample {
  /** startBroker() resolved. */
  listeningMs: number;
  /** ApiVersions answered (connect + one round trip after listening). */
  apiVersionsMs: number;
  /** Metadata answered: ready. */
  readyMs: number;
  /** broker.stop() with one client connection open. */
  stopMs: number;
}

export interface StartupResult {
  store: 'memory' | 'disk';
  starts: number;
  /** The first start of this kind in the process (lazy imports, codec compilation, JIT): not in the statistics. */
  cold: StartSample;
  listening: Summary;
  apiVersions: Summary;
  ready: Summary;
  stop: Summary;
  /** Process memory before and after the measured starts (a leak shows as steady growth). */
  memory: { rssBeforeMiB: number; rssAfterMiB: number; heapUsedBeforeMiB: number; heapUsedAfterMiB: number };
  wallSeconds: number;
}

async function oneStart(options: () => BrokerOptions): Promise<StartSample> {
  const opts = options();
  const t0 = performance.now();
  const broker = await startBroker(opts);
  const t1 = performance.now();
  const client = await KafkaConnection.open(broker.host, broker.port, { clientId: 'kafkalite-bench' });
  const av = await client.send(ApiVersions, 3, { clientSoftwareName: 'kafkalite-bench', clientSoftwareVersion: '0.1.0' });
  const t2 = performance.now();
  const md = await client.send(Metadata, 12, { topics: null, allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false });
  const t3 = performance.now();
  if (av.errorCode !== 0 || !av.apiKeys.some((k) => k.apiKey === 3)) throw new Error(`ApiVersions answered error ${av.errorCode}`);
  if (md.brokers.length !== 1 || md.brokers[0]!.port !== broker.port)
    throw new Error(`Metadata lists brokers ${JSON.stringify(md.brokers)}`);
  await broker.stop();
  const t4 = performance.now();
  void client.close();
  return { listeningMs: t1 - t0, apiVersionsMs: t2 - t0, readyMs: t3 - t0, stopMs: t4 - t3 };
}

function mib(bytes: number): number {
  return round(bytes / 1048576, 1);
}

/**
 * `starts` measured starts after one cold start. For the disk store every start gets a new,
 * empty data directory under os.tmpdir() (made before and removed after the timed part).
 */
export async function benchStartup(store: 'memory' | 'disk', starts: number, onProgress?: (done: number) => void): Promise<StartupResult> {
  const dirs: string[] = [];
  const options = (): BrokerOptions => {
    if (store === 'memory') return {};
    const dataDir = mkdtempSync(join(tmpdir(), 'kafkalite-bench-start-'));
    dirs.push(dataDir);
    return { dataDir };
  };
  const cleanup = () => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  };
  const wall0 = performance.now();
  try {
    const cold = await oneStart(options);
    cleanup();
    forceGc();
    const before = process.memoryUsage();
    const samples: StartSample[] = [];
    for (let i = 0; i < starts; i++) {
      samples.push(await oneStart(options));
      cleanup();
      if (onProgress && (i + 1) % 100 === 0) onProgress(i + 1);
    }
    forceGc();
    const after = process.memoryUsage();
    const round3 = (s: StartSample): StartSample => ({
      listeningMs: round(s.listeningMs),
      apiVersionsMs: round(s.apiVersionsMs),
      readyMs: round(s.readyMs),
      stopMs: round(s.stopMs),
    });
    return {
      store,
      starts,
      cold: round3(cold),
      listening: summarize(samples.map((s) => s.listeningMs)),
      apiVersions: summarize(samples.map((s) => s.apiVersionsMs)),
      ready: summarize(samples.map((s) => s.readyMs)),
      stop: summarize(samples.map((s) => s.stopMs)),
      memory: {
        rssBeforeMiB: mib(before.rss),
        rssAfterMiB: mib(after.rss),
        heapUsedBeforeMiB: mib(before.heapUsed),
        heapUsedAfterMiB: mib(after.heapUsed),
      },
      wallSeconds: round((performance.now() - wall0) / 1000, 2),
    };
  } finally {
    cleanup();
  }
}
