// Memory as the log grows (issue 15): a `kafkalite start` process takes BENCH_GROWTH_GB of 1-10 KB
// records from several producer connections (acks=1, 1 MiB requests), then serves all of it to a
// consumer reading from offset 0; the broker's RSS is sampled every 2 s throughout. RSS must stay
// flat: nothing per record or per segment is kept beyond the inactive segments' (unloaded) index
// metadata. Prints figures and the samples; asserts nothing; the data is deleted afterwards.
//
//   node dist/test/bench/log-growth-bench.js
//   BENCH_GROWTH_GB             gigabytes produced (default 10)
//   BENCH_GROWTH_SEGMENT_BYTES  segment.bytes of the topic (default Kafka's 1 GiB)
//   BENCH_GROWTH_PRODUCERS      producer connections (default 4, one partition each)
//   npm run bench: BENCH_GROWTH=<GB> runs it (see the line in run.ts); figures also go to
//   test-artifacts/bench-growth.json.

import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { KafkaConnection } from '../../bin/client/connection.js';
import { CreateTopics, Fetch, Produce } from '../../protocol/messages/index.js';
import { buildBatch, readBatchHeader } from '../../protocol/records/index.js';
import { REPO_ROOT } from './cli-broker.js';
import { cpuMs, openFds, rssMiB, start, stop } from './scale-bench.js';

const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';
const MiB = 1024 * 1024;

interface Sample {
  s: number;
  phase: 'produce' | 'consume';
  gb: number;
  rssMiB: number;
}

/** Batches of 1-10 KB records, about 1 MiB each (a few distinct ones, reused: offsets are the broker's). */
function batches(): Buffer[] {
  let seed = 7;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  return Array.from({ length: 8 }, () => {
    const records = [];
    for (let size = 0; size < MiB - 10_240; ) {
      const n = 1024 + Math.floor(rand() * 9 * 1024);
      records.push({ timestamp: Date.now(), key: null, value: Buffer.alloc(n, 97 + (n % 26)) });
      size += n;
    }
    return buildBatch({ records });
  });
}

export async function benchLogGrowth(
  gb: number,
  segmentBytes: number,
  producers: number,
): Promise<{ figures: Record<string, number>; samples: Sample[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'kafkalite-growth-'));
  const figures: Record<string, number> = {};
  const samples: Sample[] = [];
  const t0 = performance.now();
  let bytes = 0;
  let phase: Sample['phase'] = 'produce';
  const b = await start(dir);
  const pid = b.child.pid!;
  const sampler = setInterval(() => {
    samples.push({
      s: Math.round((performance.now() - t0) / 100) / 10,
      phase,
      gb: Math.round((bytes / 1024 ** 3) * 100) / 100,
      rssMiB: rssMiB(pid),
    });
  }, 2000);
  try {
    figures.idleRssMiB = rssMiB(pid);
    const admin = await KafkaConnection.open('127.0.0.1', b.port, { clientId: 'growth' });
    const created = await admin.send(CreateTopics, 7, {
      topics: [
        {
          name: 'growth',
          numPartitions: producers,
          replicationFactor: 1,
          assignments: [],
          configs: [{ name: 'segment.bytes', value: String(segmentBytes) }],
        },
      ],
      timeoutMs: 60_000,
      validateOnly: false,
    });
    if (created.topics[0]!.errorCode !== 0) throw new Error(`CreateTopics: error ${created.topics[0]!.errorCode}`);

    // Produce: each connection appends to its own partition until the total is reached.
    const data = batches();
    const target = gb * 1024 ** 3;
    let cpu = cpuMs(pid);
    let t = performance.now();
    await Promise.all(
      Array.from({ length: producers }, async (_, p) => {
        const c = await KafkaConnection.open('127.0.0.1', b.port, { clientId: `growth-${p}` });
        for (let i = p; bytes < target; i++) {
          const records = data[i % data.length]!;
          const res = await c.send(Produce, 9, {
            transactionalId: null,
            acks: 1,
            timeoutMs: 30_000,
            topicData: [{ name: 'growth', partitionData: [{ index: p, records }] }],
          });
          if (res.responses[0]!.partitionResponses[0]!.errorCode !== 0) throw new Error('produce failed');
          bytes += records.length;
        }
        await c.close();
      }),
    );
    const produceS = (performance.now() - t) / 1000;
    figures.producedMiB = Math.round(bytes / MiB);
    figures.produceMiBs = Math.round(bytes / MiB / produceS);
    figures.produceCpuSPerGiB = Math.round(((cpuMs(pid) - cpu) / 1000 / (bytes / 1024 ** 3)) * 100) / 100;
    figures.segments = readdirSync(join(dir, 'growth-0')).filter((n) => n.endsWith('.log')).length * producers;
    figures.producedRssMiB = rssMiB(pid);
    figures.producedFds = openFds(pid);

    // Consume everything from offset 0, every partition in each Fetch.
    phase = 'consume';
    const produced = bytes;
    bytes = 0;
    const offsets = Array.from({ length: producers }, () => 0);
    const done = Array.from({ length: producers }, () => false);
    cpu = cpuMs(pid);
    t = performance.now();
    while (done.includes(false)) {
      const res = await admin.send(Fetch, 11, {
        replicaId: -1,
        maxWaitMs: 0,
        minBytes: 0,
        maxBytes: 16 * MiB,
        isolationLevel: 0,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [
          {
            topic: 'growth',
            topicId: ZERO_UUID,
            partitions: offsets.map((fetchOffset, partition) => ({
              partition,
              fetchOffset,
              partitionMaxBytes: 4 * MiB,
              currentLeaderEpoch: -1,
            })),
          },
        ],
        forgottenTopicsData: [],
        rackId: '',
      } as never);
      for (const part of res.responses[0]!.partitions) {
        const records = part.records as Buffer | null;
        if (!records || records.length === 0) {
          if (offsets[part.partitionIndex]! >= Number(part.highWatermark)) done[part.partitionIndex] = true;
          continue;
        }
        bytes += records.length;
        for (let pos = 0; pos + 61 <= records.length; ) {
          const h = readBatchHeader(records, pos);
          if (pos + h.sizeInBytes > records.length) break;
          offsets[part.partitionIndex] = h.baseOffset + h.lastOffsetDelta + 1;
          pos += h.sizeInBytes;
        }
      }
    }
    const consumeS = (performance.now() - t) / 1000;
    figures.consumedMiB = Math.round(bytes / MiB);
    figures.consumeMiBs = Math.round(bytes / MiB / consumeS);
    figures.consumeCpuSPerGiB = Math.round(((cpuMs(pid) - cpu) / 1000 / (bytes / 1024 ** 3)) * 100) / 100;
    figures.consumedRssMiB = rssMiB(pid);
    figures.consumedFds = openFds(pid);
    if (bytes < produced) throw new Error(`consumed ${bytes} of ${produced} bytes`);
    await admin.close();
    clearInterval(sampler);
    const inPhase = (p: Sample['phase']) => samples.filter((s) => s.phase === p).map((s) => s.rssMiB);
    for (const p of ['produce', 'consume'] as const) {
      const rss = inPhase(p);
      if (rss.length === 0) continue;
      figures[`${p}RssMinMiB`] = Math.min(...rss);
      figures[`${p}RssMaxMiB`] = Math.max(...rss);
      // The last quarter's mean minus the first quarter's: growth over the phase.
      const q = Math.max(1, Math.floor(rss.length / 4));
      const mean = (xs: number[]) => Math.round((xs.reduce((a, x) => a + x, 0) / xs.length) * 10) / 10;
      figures[`${p}RssDriftMiB`] = Math.round((mean(rss.slice(-q)) - mean(rss.slice(0, q))) * 10) / 10;
    }
    figures.stopMs = await stop(b.child);
  } finally {
    clearInterval(sampler);
    if (b.child.exitCode === null) await stop(b.child);
    rmSync(dir, { recursive: true, force: true });
  }
  return { figures, samples };
}

/** `npm run bench`'s growth phase: BENCH_GROWTH gigabytes with 1 GiB segments and with 100 MiB ones. */
export async function benchLogGrowthVariants(log: (msg: string) => void): Promise<void> {
  const gb = Number(process.env.BENCH_GROWTH ?? 10);
  const out = [];
  for (const segmentBytes of [1024 * MiB, 100 * MiB]) {
    log(`log growth: ${gb} GB, segment.bytes ${segmentBytes}`);
    const r = await benchLogGrowth(gb, segmentBytes, Number(process.env.BENCH_GROWTH_PRODUCERS ?? 4));
    out.push({ gb, segmentBytes, ...r });
    console.log(`\nLog growth to ${gb} GB, segment.bytes ${segmentBytes}`);
    for (const [k, n] of Object.entries(r.figures)) console.log(`  ${k.padEnd(24)} ${n}`);
  }
  const artifacts = join(REPO_ROOT, 'test-artifacts');
  mkdirSync(artifacts, { recursive: true });
  writeFileSync(join(artifacts, 'bench-growth.json'), `${JSON.stringify(out, null, 2)}\n`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const gb = Number(process.env.BENCH_GROWTH_GB ?? 10);
  const segmentBytes = Number(process.env.BENCH_GROWTH_SEGMENT_BYTES ?? 1024 * MiB);
  const { figures, samples } = await benchLogGrowth(gb, segmentBytes, Number(process.env.BENCH_GROWTH_PRODUCERS ?? 4));
  console.log(`${gb} GB, segment.bytes ${segmentBytes}`);
  for (const [k, v] of Object.entries(figures)) console.log(`${k.padEnd(24)} ${v}`);
  console.log('samples (s phase GB rssMiB):');
  console.log(samples.map((s) => `${s.s} ${s.phase} ${s.gb} ${s.rssMiB}`).join('\n'));
}
