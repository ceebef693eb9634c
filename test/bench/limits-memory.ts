// Memory under hostile connections (issue 14, item 4), broker in a child process so the clients'
// own buffers do not count. Run: node dist/test/bench/limits-memory.js
//   incoming: 200 connections each send 1 MB of a frame announced as 100 MB, with the request
//             pool off (queued.max.request.bytes=-1, Kafka's default) and on (104857600);
//   outgoing: 100 connections each pipeline 20 Fetch requests of up to 1 MB and never read.
// Prints the broker's RSS growth, and for the fetchers how many Fetch requests it handled.

import { fork } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Fetch } from '../../protocol/messages/index.js';
import { requestFrame } from '../integration/wire-client.js';

type Msg = { bootstrap?: string; rss?: number; fetches?: number; used?: number };

if (process.argv[2] === '--broker') {
  const { startBroker } = await import('../../broker/index.js');
  const config = JSON.parse(process.argv[3]!) as Record<string, string | number>;
  const broker = await startBroker({ config, topics: { f: 1 } });
  let fetches = 0;
  broker.core.dispatcher.interceptors.push((req, next) => {
    if (req.api.apiKey === Fetch.apiKey) fetches++;
    return next();
  });
  const value = 'x'.repeat(64 * 1024);
  for (let i = 0; i < 16; i++)
    broker.produce(
      'f',
      Array.from({ length: 1 }, () => value),
    );
  process.on('message', () => {
    (globalThis as { gc?: () => void }).gc?.();
    process.send!({ rss: process.memoryUsage().rss, fetches, used: broker.core.limits.pool.used } satisfies Msg);
  });
  process.send!({ bootstrap: broker.bootstrap } satisfies Msg);
} else {
  const MiB = 1024 * 1024;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  async function withChild<T>(config: Record<string, string | number>, fn: (bootstrap: string, ask: () => Promise<Msg>) => Promise<T>) {
    const child = fork(fileURLToPath(import.meta.url), ['--broker', JSON.stringify(config)], { execArgv: ['--expose-gc'] });
    const first = await new Promise<Msg>((r) => child.once('message', (m) => r(m as Msg)));
    const ask = () =>
      new Promise<Msg>((r) => {
        child.once('message', (m) => r(m as Msg));
        child.send('rss');
      });
    try {
      return await fn(first.bootstrap!, ask);
    } finally {
      child.kill();
    }
  }

  async function sockets(bootstrap: string, n: number): Promise<Socket[]> {
    const [host, port] = bootstrap.split(':');
    const out: Socket[] = [];
    for (let i = 0; i < n; i++) {
      const s = connect({ host: host!, port: Number(port) });
      s.on('error', () => {});
      await new Promise((r) => s.once('connect', r));
      out.push(s);
    }
    return out;
  }

  async function incoming(pool: number) {
    return withChild({ 'queued.max.request.bytes': pool }, async (bootstrap, ask) => {
      await sleep(500);
      const before = await ask();
      const socks = await sockets(bootstrap, 200);
      const piece = Buffer.alloc(MiB, 1);
      piece.writeInt32BE(100 * MiB - 4, 0);
      for (const s of socks) s.write(piece);
      await sleep(5000);
      const after = await ask();
      for (const s of socks) s.destroy();
      return { grown: (after.rss! - before.rss!) / MiB, poolUsed: after.used! / MiB };
    });
  }

  async function outgoing() {
    return withChild({}, async (bootstrap, ask) => {
      await sleep(500);
      const before = await ask();
      const socks = await sockets(bootstrap, 100);
      const body = {
        replicaId: -1,
        maxWaitMs: 0,
        minBytes: 0,
        maxBytes: MiB,
        isolationLevel: 0,
        topics: [{ topic: 'f', partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: MiB }] }],
      };
      for (const s of socks) {
        s.pause(); // never read
        for (let i = 0; i < 20; i++) s.write(requestFrame(Fetch, 4, body, { correlationId: i }));
      }
      await sleep(5000);
      const after = await ask();
      for (const s of socks) s.destroy();
      return { grown: (after.rss! - before.rss!) / MiB, fetches: after.fetches! };
    });
  }

  const off = await incoming(-1);
  console.log(`incoming, pool off: broker RSS +${off.grown.toFixed(1)} MiB`);
  const on = await incoming(100 * MiB);
  console.log(
    `incoming, queued.max.request.bytes=104857600: broker RSS +${on.grown.toFixed(1)} MiB (pool holds ${on.poolUsed.toFixed(0)} MiB)`,
  );
  const out = await outgoing();
  console.log(
    `outgoing, 100 fetchers x 20 pipelined 1 MB Fetches, never read: broker RSS +${out.grown.toFixed(1)} MiB, ${out.fetches} of 2000 Fetches handled`,
  );
}
