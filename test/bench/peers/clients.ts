// The clients every peer gets, the same for all: kcat (librdkafka), Kafka 4.4's Java perf tools
// (ProducerPerformance / ConsumerPerformance, one JVM per run, the JVM's default flags, not the
// tests' C1-only ones) and kafkajs in this process; plus the end-to-end latency probe.

import { rmSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel } from 'kafkajs';
import { KAFKA_CLASSPATH, LOG4J_CONFIG } from '../../jvm/kafka.js';
import { join } from 'node:path';
import { REPO_ROOT } from '../cli-broker.js';
import { runProc } from '../clients.js';
import { checkFile, checkValues, type Check } from './data.js';
import { QueuePauseLog } from './kcat-pauses.js';

export interface Run {
  /** Seconds of the measured part (see `timed`). */
  seconds: number;
  messages: number;
  timed: string;
  check?: Check;
  detail?: Record<string, unknown>;
}

export const PRODUCE_CONF = { acks: 'all', 'linger.ms': 5 };
const KCAT_PRODUCE = ['-X', 'acks=all', '-X', 'linger.ms=5', '-X', 'batch.num.messages=10000'];
const KCAT_CONSUME = ['-X', 'fetch.wait.max.ms=100'];
/**
 * librdkafka's local queue raised past a million 100 B records (queued.min.messages, and queued.max.messages.kbytes to
 * its maximum), so the fetcher never meets the full-queue pause (peers/kcat-pauses.ts): kcat's read without its own
 * stalls, the same for every broker. An extra row beside the default one; the goals are judged on the default.
 */
export const KCAT_DEEP_QUEUE_CLIENT = 'kcat deep queue';
export const KCAT_DEEP_QUEUE = ['-X', 'queued.min.messages=10000000', '-X', 'queued.max.messages.kbytes=2097151'];

/** kcat -P from `files` (one kcat process per file, all at once); partition 0 when `partition0`, else librdkafka's partitioner. */
export async function kcatProduce(bootstrap: string, topic: string, files: string[], messages: number, partition0: boolean): Promise<Run> {
  const t0 = performance.now();
  const rs = await Promise.all(
    files.map((f) => runProc('kcat', ['-P', '-b', bootstrap, '-t', topic, ...(partition0 ? ['-p', '0'] : []), ...KCAT_PRODUCE, '-l', f])),
  );
  const seconds = (performance.now() - t0) / 1000;
  for (const r of rs) {
    if (r.code !== 0 || /fail|error/i.test(r.stderr)) throw new Error(`kcat -P exited ${r.code ?? r.signal}:\n${r.stderr.slice(0, 4000)}`);
  }
  return { seconds, messages, timed: `${files.length} kcat -P process(es), start to the last exit` };
}

export async function kcatConsume(
  bootstrap: string,
  topic: string,
  outFile: string,
  lines: Buffer,
  size: number,
  expected: number,
  extra: string[] = [],
): Promise<Run> {
  // -d fetch: librdkafka logs when a partition stops fetching on a full local queue (kcat-pauses.ts), a few lines per fetch.
  const args = ['-C', '-b', bootstrap, '-t', topic, '-o', 'beginning', '-e', '-q', '-d', 'fetch', ...KCAT_CONSUME, ...extra];
  const pauses = new QueuePauseLog();
  // A new file, not the last read-back truncated: ext4 (auto_da_alloc) starts writing a truncated-and-rewritten file
  // back when it is closed, so each consume after the first would end in a burst of disk writes the first one lacks.
  rmSync(outFile, { force: true });
  const r = await runProc('kcat', args, { stdoutFile: outFile, onStderr: (c) => pauses.add(c) });
  if (r.code !== 0) throw new Error(`kcat ${args.join(' ')} exited ${r.code ?? r.signal}:\n${r.stderr}`);
  const queueFull = pauses.done();
  return {
    seconds: r.wallSeconds,
    messages: expected,
    timed: 'kcat -C -e process, start to exit at the end of every partition',
    check: checkFile(outFile, lines, size, expected),
    detail: { queueFullPauses: queueFull.count, queueFullSeconds: queueFull.seconds },
  };
}

/** A Java perf tool that has not finished in this long has stalled (seen with librdkafka 2.0.2's mock). */
const JAVA_TIMEOUT_MS = Number(process.env.BENCH_JAVA_TIMEOUT_MS ?? 180_000);
const JVM = ['-Xmx512m', `-Dlog4j2.configurationFile=${LOG4J_CONFIG}`, '-cp', KAFKA_CLASSPATH];

/** kafka-producer-perf-test: random payloads of `size` bytes, acks=all, linger.ms=5, as fast as it goes. */
export async function javaProduce(bootstrap: string, topic: string, messages: number, size: number): Promise<Run> {
  const args = [
    ...JVM,
    'org.apache.kafka.tools.ProducerPerformance',
    '--bootstrap-server',
    bootstrap,
    '--topic',
    topic,
    '--num-records',
    String(messages),
    '--record-size',
    String(size),
    '--throughput',
    '-1',
    '--command-property',
    'acks=all',
    '--command-property',
    'linger.ms=5',
  ];
  const r = await runProc('java', args);
  const m =
    /(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency, ([\d.]+) ms max latency, (\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th/.exec(
      r.stdout,
    );
  if (r.code !== 0 || !m)
    throw new Error(`ProducerPerformance exited ${r.code ?? r.signal}:\n${r.stderr.slice(-3000)}\n${r.stdout.slice(-2000)}`);
  const sent = Number(m[1]);
  if (sent !== messages) throw new Error(`ProducerPerformance sent ${sent} of ${messages}`);
  return {
    seconds: sent / Number(m[2]),
    messages,
    timed: "ProducerPerformance's own figure (first send to the last acknowledgement)",
    detail: {
      avgLatencyMs: Number(m[4]),
      maxLatencyMs: Number(m[5]),
      p50Ms: Number(m[6]),
      p99Ms: Number(m[8]),
      wallSeconds: r.wallSeconds,
    },
  };
}

/** kafka-consumer-perf-test in a fresh group from the earliest offset. */
export async function javaConsume(bootstrap: string, topic: string, messages: number): Promise<Run> {
  const args = [
    ...JVM,
    'org.apache.kafka.tools.ConsumerPerformance',
    '--bootstrap-server',
    bootstrap,
    '--topic',
    topic,
    '--num-records',
    String(messages),
    '--group',
    `bench-${topic}-${Date.now()}`,
    '--timeout',
    '30000',
  ];
  const r = await runProc('java', args, { timeoutMs: JAVA_TIMEOUT_MS });
  // start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
  const line = r.stdout
    .trim()
    .split('\n')
    .reverse()
    .find((l) => /^\d{4}-/.test(l));
  if (r.code !== 0 || !line)
    throw new Error(`ConsumerPerformance exited ${r.code ?? r.signal}:\n${r.stderr.slice(-3000)}\n${r.stdout.slice(-2000)}`);
  const f = line.split(',').map((s) => s.trim());
  const got = Number(f[4]);
  const fetchMs = Number(f[7]);
  return {
    seconds: fetchMs / 1000,
    messages: got,
    timed: "ConsumerPerformance's fetch.time.ms (joined the group before; rebalance time excluded)",
    check: {
      ok: got >= messages,
      expected: messages,
      received: got,
      missing: Math.max(0, messages - got),
      duplicates: 0,
      corrupt: 0,
      firstProblem: got >= messages ? null : 'count only',
    },
    detail: { rebalanceMs: Number(f[6]), wallSeconds: r.wallSeconds },
  };
}

const KAFKAJS_BATCH = 1000;
const KAFKAJS_IN_FLIGHT = 4;

export async function kafkajsProduce(bootstrap: string, topic: string, values: Buffer[]): Promise<Run> {
  const kafka = new Kafka({ clientId: 'kafkalite-bench', brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    let next = 0;
    const t0 = performance.now();
    const worker = async () => {
      while (next < values.length) {
        const from = next;
        next += KAFKAJS_BATCH;
        const messages = values.slice(from, from + KAFKAJS_BATCH).map((value) => ({ value, partition: 0 }));
        await producer.send({ topic, acks: -1, messages });
      }
    };
    await Promise.all(Array.from({ length: KAFKAJS_IN_FLIGHT }, worker));
    return {
      seconds: (performance.now() - t0) / 1000,
      messages: values.length,
      timed: `first send() to the last resolved (${KAFKAJS_BATCH}-message sends, ${KAFKAJS_IN_FLIGHT} in flight, acks=-1; kafkajs has no linger)`,
    };
  } finally {
    await producer.disconnect();
  }
}

/** kafkajs consumer in a fresh group from the beginning until `expected` values arrived; timed from the first batch to the last. */
export async function kafkajsConsume(bootstrap: string, topic: string, lines: Buffer, size: number, expected: number): Promise<Run> {
  const kafka = new Kafka({ clientId: 'kafkalite-bench', brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `bench-${topic}-${Date.now()}`, maxWaitTimeInMs: 100, maxBytes: 50 * 1048576 });
  const got: Buffer[] = [];
  let t1 = 0;
  let tFirst = 0;
  const t0 = performance.now();
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`kafkajs consumer: ${got.length} of ${expected} after 300 s`)), 300_000);
      // A broker that kept fewer than `expected` (librdkafka's mock drops old segments) ends the run after 3 s without data.
      const idle = setInterval(() => {
        if (t1 !== 0 && performance.now() - t1 > 3000) {
          clearTimeout(timer);
          clearInterval(idle);
          resolve();
        }
      }, 500);
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            if (tFirst === 0) tFirst = performance.now();
            for (const m of batch.messages) got.push(m.value!);
            if (batch.messages.length > 0) t1 = performance.now();
            if (got.length >= expected) {
              clearTimeout(timer);
              clearInterval(idle);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return {
    seconds: (t1 - tFirst) / 1000,
    messages: expected,
    timed: 'first batch to the last value (group join excluded: it is in detail.toFirstBatchSeconds)',
    check: checkValues(got, lines, size, expected),
    detail: { toFirstBatchSeconds: Math.round(tFirst - t0) / 1000 },
  };
}

const LATENCY_PROGRAM = join(REPO_ROOT, 'test', 'jvm', 'programs', 'BenchLatency.java');

/** test/jvm/programs/BenchLatency.java: Java producer (acks=all, linger.ms=0) -> Java consumer in one JVM, at `rate` msg/s. */
export async function javaLatency(
  bootstrap: string,
  topic: string,
  rate: number,
  seconds: number,
): Promise<{ sent: number; received: number; p50Ms: number; p99Ms: number; p999Ms: number; maxMs: number; meanMs: number }> {
  const r = await runProc('java', [...JVM, LATENCY_PROGRAM, bootstrap, topic, String(rate), String(seconds)], {
    timeoutMs: 60_000 + seconds * 1000,
  });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.code !== 0 || !line.startsWith('{'))
    throw new Error(`BenchLatency exited ${r.code ?? r.signal}:\n${r.stderr.slice(-3000)}\n${r.stdout.slice(-1000)}`);
  return JSON.parse(line.replace(/NaN/g, 'null'));
}

/** Splits a lines buffer into `n` files of whole lines. */
export function splitLines(lines: Buffer, size: number, n: number, pathOf: (i: number) => string): string[] {
  const count = lines.length / (size + 1);
  const per = Math.ceil(count / n);
  const files: string[] = [];
  for (let i = 0; i < n; i++) {
    const from = Math.min(count, i * per);
    const to = Math.min(count, from + per);
    files.push(pathOf(i));
    writeFileSync(files[i]!, lines.subarray(from * (size + 1), to * (size + 1)));
  }
  return files;
}
