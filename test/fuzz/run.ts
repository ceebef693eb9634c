// The TCP frame mutator (issue 14): mutated Kafka request frames sent over many connections to a
// live in-process broker while a canary producer and consumer (kafkajs) keep working.
//
// Seeds: for every API and version the broker serves (its ApiVersions answer), frames our codec
// encodes from values generated from the schema (test/fuzz/arbitrary.ts), plus every frame in
// test/fuzz/fixtures/*.frames (frames captured from real clients by test/fuzz/record-proxy.ts).
// Each connection sends a few frames: a seed as is (decodable but usually wrong: the broker must
// answer with Kafka's error codes) or mutated (bit flips, hostile lengths and counts, truncation,
// inserts, splices of two seeds: the broker must answer or close the connection with one reason).
//
// Counted: frames sent, "crashes" (an error-level broker log line: a handler threw, 'request
// failed'; an uncaught exception), unhandled rejections, broker-closed connections and their
// reasons, RSS (start, end, peak) and event-loop delay p99 (perf_hooks.monitorEventLoopDelay).
//
// Memory stays bounded although mutated CreateTopics, CreatePartitions, Metadata and Produce
// frames create topics: the broker refuses more than 10,000 partitions in one request as Kafka's
// controller does (broker/limits/controller-batch.ts), and between rounds (every --round-ms,
// 2 s) the fuzzer deletes every topic but the canary's, as a test run would, so what a run holds
// is one round's topics. The RSS growth over the run (end after a GC minus start) is compared
// with --max-rss-growth (MiB, default 128): above it the run fails.
// At the end the broker must still answer ApiVersions and the canary must have made progress.
//
//   node dist/test/fuzz/run.js --seconds 30 --seed 7 [--connections 8] [--cli]
// (--cli: the CLI broker, `kafkalite start` in a child process: its exit is a crash, its RSS is
// read from /proc; the event-loop delay is then the fuzzer's own)
// exits 1 when a crash, an unhandled rejection or a stalled canary was seen.
// The seeded short pass in the test suite: test/integration/fuzz-tcp.test.ts (runFuzz()).

import { readdirSync, readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import * as net from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { Kafka, logLevel } from 'kafkajs';
import pino from 'pino';
import { startBroker } from '../../broker/index.js';
import { requestFrame } from '../../protocol/client-codec.js';
import { ALL_APIS, API_BY_KEY, ApiVersions, Metadata } from '../../protocol/messages/index.js';
import { startCli, tempDir } from '../integration/helpers.js';
import { WireClient } from '../integration/wire-client.js';
import { messageArbitrary } from './arbitrary.js';
import { applyMutation, prng, randomMutation } from './mutate.js';
import { deleteFuzzedTopics, topicSeeds } from './topics.js';

export interface FuzzOptions {
  seconds: number;
  seed: number;
  /** Concurrent fuzzing connections (default 8). */
  connections?: number;
  /** Fuzz the CLI broker (`kafkalite start`, a child process) instead of an in-process one. */
  cli?: boolean;
  /** Every this many ms the topics fuzzed requests created are deleted (default 2000). */
  roundMs?: number;
  /** RSS growth (MiB, end after a GC minus start) above which the run fails (default 128). */
  maxRssGrowthMiB?: number;
}

export interface FuzzStats {
  frames: number;
  connections: number;
  seeds: number;
  framesPerSecond: number;
  crashes: number;
  crashLines: string[];
  unhandledRejections: number;
  /** Close reasons the broker logged (warn level), with counts. */
  closeReasons: Map<string, number>;
  rssStartMiB: number;
  rssEndMiB: number;
  rssPeakMiB: number;
  eventLoopDelayP99Ms: number;
  /** Topics and partitions the fuzzed requests left behind (CreateTopics, auto-creation...). */
  topicsEnd: number;
  partitionsEnd: number;
  /** Topics and partitions deleted between rounds, and the most partitions seen at a round's end. */
  topicsDeleted: number;
  partitionsDeleted: number;
  partitionsPeak: number;
  rssGrowthMiB: number;
  maxRssGrowthMiB: number;
  /** The fuzzer process's heap after a GC (run with --expose-gc), MiB; in-process: the broker's too. */
  heapUsedEndMiB: number;
  canaryProduced: number;
  canaryConsumed: number;
  brokerAlive: boolean;
}

const FIXTURES = fileURLToPath(new URL('../../../test/fuzz/fixtures/', import.meta.url));

/** Frames captured from real clients (length-prefixed frames, concatenated). */
export function capturedFrames(): Buffer[] {
  const out: Buffer[] = [];
  let files: string[] = [];
  try {
    files = readdirSync(FIXTURES).filter((f) => f.endsWith('.frames'));
  } catch {
    return out;
  }
  for (const f of files) {
    const buf = readFileSync(FIXTURES + f);
    for (let pos = 0; pos + 4 <= buf.length; ) {
      const size = buf.readInt32BE(pos);
      if (size < 0 || pos + 4 + size > buf.length) break;
      out.push(buf.subarray(pos, pos + 4 + size));
      pos += 4 + size;
    }
  }
  return out;
}

/** Frames our codec encodes from generated values, `perVersion` for each served API version. */
export function generatedFrames(served: Map<number, [number, number]>, seed: number, perVersion = 2): Buffer[] {
  const out: Buffer[] = [];
  let correlationId = 1;
  for (const [key, [min, max]] of served) {
    const api = API_BY_KEY.get(key);
    if (!api) continue;
    for (let v = min; v <= max; v++) {
      const values = fc.sample(messageArbitrary(api.request, v, { maxArray: 3, maxBytes: 24 }), {
        seed: seed + key * 100 + v,
        numRuns: perVersion,
      });
      for (const value of values) {
        try {
          out.push(requestFrame(api, v, value as never, { correlationId: correlationId++, clientId: 'fuzz' }));
        } catch {
          // A generated value the encoder refuses (none expected): skip it.
        }
      }
    }
  }
  return out;
}

function toMiB(bytes: number): number {
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}

interface Target {
  bootstrap: string;
  /** The broker's resident set size, bytes. */
  rss(): number;
  stop(): Promise<void>;
}

/** An in-process broker logging into `log`, or the CLI broker whose output is fed to `log`. */
async function startTarget(cli: boolean, log: Writable): Promise<Target> {
  if (!cli) {
    const broker = await startBroker({ logger: pino({ level: 'warn' }, log) });
    return { bootstrap: broker.bootstrap, rss: () => process.memoryUsage().rss, stop: () => broker.stop() };
  }
  const dir = tempDir('kafkalite-fuzz-');
  // Info level: the start-up line names the port; the parser keeps warnings and errors.
  const broker = await startCli(['--data-dir', dir.path, '--log-level', 'info']);
  let seen = 0;
  let stopping = false;
  const feed = setInterval(() => {
    const text = broker.output();
    const end = text.lastIndexOf('\n') + 1;
    if (end > seen) log.write(text.slice(seen, end));
    seen = Math.max(seen, end);
  }, 50);
  const crashed = new Promise<void>((resolve) => broker.child.once('exit', () => resolve()));
  void crashed.then(() => {
    if (!stopping) log.write(`${JSON.stringify({ level: 60, msg: `CLI broker exited: ${broker.child.exitCode}` })}\n`);
  });
  return {
    bootstrap: broker.bootstrap,
    rss: () => {
      try {
        const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${broker.child.pid}/status`, 'utf8'));
        return m ? Number(m[1]) * 1024 : 0;
      } catch {
        return 0;
      }
    },
    stop: async () => {
      stopping = true;
      clearInterval(feed);
      await broker.stop();
      dir.remove();
    },
  };
}

/** One fuzzing connection: a few frames, then wait for the broker to answer or close. */
function fuzzConnection(port: number, frames: Buffer[], onClose: () => void): void {
  const socket = net.connect(port, '127.0.0.1');
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    socket.destroy();
    onClose();
  };
  socket.on('error', finish);
  socket.on('close', finish);
  socket.on('data', () => {});
  socket.on('connect', () => {
    for (const f of frames) socket.write(f);
    // Frames whose size field promises more than was sent leave the broker waiting: hang up.
    setTimeout(finish, 150).unref();
  });
}

export async function runFuzz(opts: FuzzOptions): Promise<FuzzStats> {
  const rand = prng(opts.seed);
  const connections = opts.connections ?? 8;
  const crashLines: string[] = [];
  const closeReasons = new Map<string, number>();
  const logStream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        let entry: { level?: number; msg?: string; err?: { message?: string } };
        try {
          entry = JSON.parse(line);
        } catch {
          continue;
        }
        if ((entry.level ?? 0) >= 50) crashLines.push(`${entry.msg}: ${entry.err?.message ?? ''}`.slice(0, 300));
        else if (entry.level === 40 && entry.msg?.startsWith('closing connection: ')) {
          const r = entry.msg.slice('closing connection: '.length).replace(/\d+/g, 'N').slice(0, 120);
          closeReasons.set(r, (closeReasons.get(r) ?? 0) + 1);
        }
      }
      cb();
    },
  });
  let unhandled = 0;
  const onUnhandled = (err: unknown) => {
    unhandled++;
    crashLines.push(`unhandled rejection: ${String(err)}`.slice(0, 300));
  };
  const onUncaught = (err: unknown) => crashLines.push(`uncaught exception: ${String(err)}`.slice(0, 300));
  process.on('unhandledRejection', onUnhandled);
  process.on('uncaughtException', onUncaught);

  const broker = await startTarget(!!opts.cli, logStream);
  const port = Number(broker.bootstrap.split(':').pop());
  const probe = await WireClient.connect(broker.bootstrap);
  const av = await probe.send(ApiVersions, 3, { clientSoftwareName: 'fuzz', clientSoftwareVersion: '1' });
  const served = new Map<number, [number, number]>(av.apiKeys.map((k) => [k.apiKey, [k.minVersion, k.maxVersion]]));
  const seeds = [...generatedFrames(served, opts.seed), ...capturedFrames(), ...topicSeeds()];
  // A few frames of APIs the broker does not serve (their versions from our schemas).
  for (const api of ALL_APIS) {
    if (served.has(api.apiKey)) continue;
    seeds.push(...generatedFrames(new Map([[api.apiKey, [api.validVersions.min, api.validVersions.min]]]), opts.seed, 1));
  }

  // The canary: a kafkajs producer and consumer on their own topic.
  const kafka = new Kafka({ clientId: 'fuzz-canary', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'canary', numPartitions: 1 }] });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  const consumer = kafka.consumer({ groupId: 'fuzz-canary', sessionTimeout: 30_000 });
  await consumer.connect();
  await consumer.subscribe({ topic: 'canary', fromBeginning: true });
  let consumed = 0;
  let produced = 0;
  await consumer.run({
    eachMessage: async () => {
      consumed++;
    },
  });
  let stop = false;
  const canary = (async () => {
    while (!stop) {
      try {
        await producer.send({ topic: 'canary', messages: [{ value: `m${produced}` }] });
        produced++;
      } catch {
        // Counted by the progress check at the end.
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  })();

  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const rssMiB = () => toMiB(broker.rss());
  const rssStart = rssMiB();
  let rssPeak = rssStart;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, rssMiB());
  }, 100);

  // Between rounds: delete what the fuzzed requests created (a connection of its own).
  const janitor = await WireClient.connect(broker.bootstrap);
  const cleaned = { topics: 0, partitions: 0, peak: 0 };
  let cleaning: Promise<void> = Promise.resolve();
  const clean = () =>
    deleteFuzzedTopics(janitor).then(
      ([t, before, p]) => {
        cleaned.topics += t;
        cleaned.partitions += p;
        cleaned.peak = Math.max(cleaned.peak, before);
      },
      () => {
        // A DeleteTopics refused mid-storm is retried next round.
      },
    );
  const rounds = setInterval(() => {
    cleaning = cleaning.then(clean);
  }, opts.roundMs ?? 2000);

  let frames = 0;
  let opened = 0;
  const started = performance.now();
  const deadline = started + opts.seconds * 1000;
  const pick = () => seeds[Math.floor(rand() * seeds.length)]!;
  await new Promise<void>((resolve) => {
    let active = 0;
    const launch = () => {
      if (performance.now() >= deadline) {
        if (active === 0) resolve();
        return;
      }
      const batch: Buffer[] = [];
      const n = 1 + Math.floor(rand() * 4);
      for (let i = 0; i < n; i++) {
        const seed = pick();
        const r = rand();
        if (r < 0.15) batch.push(seed);
        else {
          let f = seed;
          const rounds = 1 + Math.floor(rand() * 3);
          for (let k = 0; k < rounds; k++) {
            const { frac, m } = randomMutation(rand, pick());
            f = applyMutation(f, frac, m);
          }
          // Half the time keep the size prefix true to the mutated body, so the body decoder
          // (not only the framing) sees the damage.
          if (rand() < 0.5 && f.length >= 4) {
            f = Buffer.from(f);
            f.writeInt32BE(f.length - 4, 0);
          }
          batch.push(f);
        }
      }
      frames += batch.length;
      opened++;
      active++;
      fuzzConnection(port, batch, () => {
        active--;
        launch();
      });
    };
    for (let i = 0; i < connections; i++) launch();
  });
  const elapsed = (performance.now() - started) / 1000;
  clearInterval(rounds);
  await cleaning;
  clearInterval(sampler);
  delay.disable();

  // Give the canary a moment after the storm, then check the broker still answers.
  const consumedBefore = consumed;
  const until = Date.now() + 10_000;
  while (consumed <= consumedBefore && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  stop = true;
  await canary;
  let brokerAlive = false;
  try {
    const again = await probe.send(ApiVersions, 3, { clientSoftwareName: 'fuzz', clientSoftwareVersion: '1' });
    brokerAlive = again.errorCode === 0;
  } catch {
    brokerAlive = false;
  }
  let topicsEnd = -1;
  let partitionsEnd = -1;
  try {
    const md = await probe.send(Metadata, 12, { topics: null, allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false });
    topicsEnd = md.topics.length;
    partitionsEnd = md.topics.reduce((n, t) => n + t.partitions.length, 0);
  } catch {
    // Reported as -1.
  }
  // The last round's topics go too, so the RSS compared is the broker's after a run.
  await clean();
  janitor.close();
  probe.close();
  await consumer.disconnect();
  await producer.disconnect();
  (globalThis as { gc?: () => void }).gc?.();
  const heapUsedEnd = toMiB(process.memoryUsage().heapUsed);
  const rssEnd = rssMiB();
  const maxRssGrowth = opts.maxRssGrowthMiB ?? 128;
  await broker.stop();
  process.off('unhandledRejection', onUnhandled);
  process.off('uncaughtException', onUncaught);

  return {
    frames,
    connections: opened,
    seeds: seeds.length,
    framesPerSecond: Math.round(frames / elapsed),
    crashes: crashLines.length - unhandled,
    crashLines,
    unhandledRejections: unhandled,
    closeReasons,
    rssStartMiB: rssStart,
    rssEndMiB: rssEnd,
    rssPeakMiB: Math.max(rssPeak, rssEnd),
    eventLoopDelayP99Ms: Math.round((delay.percentile(99) / 1e6) * 10) / 10,
    topicsEnd,
    partitionsEnd,
    topicsDeleted: cleaned.topics,
    partitionsDeleted: cleaned.partitions,
    partitionsPeak: cleaned.peak,
    rssGrowthMiB: Math.round((rssEnd - rssStart) * 10) / 10,
    maxRssGrowthMiB: maxRssGrowth,
    heapUsedEndMiB: heapUsedEnd,
    canaryProduced: produced,
    canaryConsumed: consumed,
    brokerAlive,
  };
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const stats = await runFuzz({
    seconds: arg('seconds', 10),
    seed: arg('seed', 1),
    connections: arg('connections', 8),
    cli: process.argv.includes('--cli'),
    roundMs: arg('round-ms', 2000),
    maxRssGrowthMiB: arg('max-rss-growth', 128),
  });
  console.log(`frames: ${stats.frames} over ${stats.connections} connections from ${stats.seeds} seeds`);
  console.log(`frames/s: ${stats.framesPerSecond}`);
  console.log(`crashes: ${stats.crashes}`);
  console.log(`unhandled rejections: ${stats.unhandledRejections}`);
  for (const line of stats.crashLines.slice(0, 20)) console.log(`  ${line}`);
  console.log(`RSS MiB start/end/peak: ${stats.rssStartMiB}/${stats.rssEndMiB}/${stats.rssPeakMiB}`);
  console.log(`RSS growth: ${stats.rssGrowthMiB} MiB (bound ${stats.maxRssGrowthMiB} MiB)`);
  console.log(
    `topics deleted between rounds: ${stats.topicsDeleted} (${stats.partitionsDeleted} partitions; at most ${stats.partitionsPeak} partitions at once)`,
  );
  console.log(`left behind: ${stats.topicsEnd} topics, ${stats.partitionsEnd} partitions; heap used after GC ${stats.heapUsedEndMiB} MiB`);
  console.log(`event-loop delay p99: ${stats.eventLoopDelayP99Ms} ms`);
  console.log(`canary produced/consumed: ${stats.canaryProduced}/${stats.canaryConsumed}`);
  console.log(`broker alive: ${stats.brokerAlive}`);
  console.log('close reasons:');
  for (const [r, n] of [...stats.closeReasons].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${n}\t${r}`);
  const failed =
    stats.crashes > 0 ||
    stats.unhandledRejections > 0 ||
    !stats.brokerAlive ||
    stats.canaryConsumed === 0 ||
    stats.rssGrowthMiB > stats.maxRssGrowthMiB;
  process.exit(failed ? 1 : 0);
}
