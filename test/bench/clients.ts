// The client programs the throughput benchmark drives: kcat (librdkafka), confluent-kafka
// through Debian's python3 (librdkafka too), and kafkajs in this process.

import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel } from 'kafkajs';
import { REPO_ROOT } from './cli-broker.js';
import { verifyFile, type Verification } from './data.js';

export const PYTHON = '/usr/bin/python3';
/** No client may take longer than this (a stuck broker fails the bench instead of hanging it). */
const CLIENT_TIMEOUT_MS = Number(process.env.BENCH_CLIENT_TIMEOUT_MS ?? 300_000);

export interface ProcResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  wallSeconds: number;
}

/**
 * Run a program; stdout goes to `stdoutFile` when given (so a big read-back costs this process nothing). stderr is
 * kept to its last 64 KiB; `onStderr` sees all of it, chunk by chunk.
 */
export function runProc(
  cmd: string,
  args: string[],
  opts: { stdoutFile?: string; timeoutMs?: number; onStderr?: (chunk: string) => void } = {},
): Promise<ProcResult> {
  return new Promise((resolve, reject) => {
    const fd = opts.stdoutFile ? openSync(opts.stdoutFile, 'w') : null;
    const t0 = performance.now();
    const child = spawn(cmd, args, { stdio: ['ignore', fd ?? 'pipe', 'pipe'] });
    if (fd !== null) closeSync(fd);
    let out = '';
    let err = '';
    child.stdout?.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => {
      opts.onStderr?.(String(d));
      err += d;
      if (err.length > 64 * 1024) err = err.slice(-64 * 1024);
    });
    const limit = opts.timeoutMs ?? CLIENT_TIMEOUT_MS;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')} timed out after ${limit} ms; stderr:\n${err}`));
    }, limit);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: out, stderr: err, wallSeconds: (performance.now() - t0) / 1000 });
    });
  });
}

export interface Measure {
  /** Seconds of the measured part (see `timed`). */
  seconds: number;
  /** Wall time of the whole client run, process start to exit, where there is a process. */
  wallSeconds: number;
  /** What `seconds` covers. */
  timed: string;
  verification?: Verification;
  detail?: Record<string, unknown>;
}

/** Both consumers: a shorter wait for the final, empty fetch that reveals the end of the partition (default 500 ms). */
export const CONSUME_CONF = { 'fetch.wait.max.ms': 100 };

// ------------------------------------------------------------------------------------------
// kcat

export const KCAT_PRODUCE_CONF = ['linger.ms=5', 'batch.num.messages=10000'];

export async function kcatProduce(bootstrap: string, topic: string, file: string): Promise<Measure> {
  const args = ['-P', '-b', bootstrap, '-t', topic, '-p', '0', ...KCAT_PRODUCE_CONF.flatMap((c) => ['-X', c]), '-l', file];
  const r = await runProc('kcat', args);
  if (r.code !== 0) throw new Error(`kcat ${args.join(' ')} exited ${r.code ?? r.signal}:\n${r.stderr}`);
  if (/fail|error/i.test(r.stderr)) throw new Error(`kcat -P reported errors:\n${r.stderr.slice(0, 4000)}`);
  return {
    seconds: r.wallSeconds,
    wallSeconds: r.wallSeconds,
    timed: 'kcat process, start to exit (includes connecting and reading the file)',
  };
}

/** kcat -C -e from the beginning into `outFile`, then check every value. */
export async function kcatConsume(bootstrap: string, topic: string, outFile: string, expected: number, lines: Buffer): Promise<Measure> {
  const args = [
    '-C',
    '-b',
    bootstrap,
    '-t',
    topic,
    '-p',
    '0',
    '-o',
    'beginning',
    '-e',
    '-q',
    ...Object.entries(CONSUME_CONF).flatMap(([k, v]) => ['-X', `${k}=${v}`]),
  ];
  rmSync(outFile, { force: true }); // a new file: see peers/clients.ts kcatConsume (ext4 writes a truncated file back on close)
  const r = await runProc('kcat', args, { stdoutFile: outFile });
  if (r.code !== 0) throw new Error(`kcat ${args.join(' ')} exited ${r.code ?? r.signal}:\n${r.stderr}`);
  const verification = verifyFile(outFile, expected, lines);
  return {
    seconds: r.wallSeconds,
    wallSeconds: r.wallSeconds,
    timed: 'kcat process, start to exit at end of partition (includes connecting)',
    verification,
    detail: r.stderr.trim() ? { stderr: r.stderr.slice(0, 2000) } : undefined,
  };
}

export function kcatVersion(): string {
  const r = spawnSync('kcat', ['-V'], { encoding: 'utf8' });
  const m = /Version (\S+) \(.*librdkafka (\S+)/.exec(r.stdout + r.stderr);
  return m ? `kcat ${m[1]}, librdkafka ${m[2]}` : ((r.stdout + r.stderr).trim().split('\n').pop() ?? 'unknown');
}

// ------------------------------------------------------------------------------------------
// confluent-kafka (python3-confluent-kafka, librdkafka)

export const PY_PRODUCE_CONF = { 'linger.ms': 5, 'batch.num.messages': 10000, acks: 'all' };

const PY_PRODUCE = `
import sys, json, time
from confluent_kafka import Producer
bs, topic, path, conf = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
with open(path, 'rb') as f:
    values = f.read().split(b'\\n')
if values and values[-1] == b'':
    values.pop()
errors = [0, None]
def on_delivery(err, msg):
    if err is not None:
        errors[0] += 1
        if errors[1] is None:
            errors[1] = str(err)
p = Producer(dict(conf, **{'bootstrap.servers': bs, 'delivery.report.only.error': True, 'on_delivery': on_delivery}))
# Connect and learn the topic first: librdkafka 2.0.2 can otherwise miss the topic in its first
# metadata round trip (the broker answers in well under a millisecond) and wait for its 1 s refresh.
p.list_topics(topic, timeout=10)
produce, poll = p.produce, p.poll
t0 = time.perf_counter()
for i, v in enumerate(values):
    try:
        produce(topic, v, partition=0)
    except BufferError:
        while True:
            poll(0.001)
            try:
                produce(topic, v, partition=0)
                break
            except BufferError:
                pass
    if i & 8191 == 0:
        poll(0)
left = p.flush(120)
t1 = time.perf_counter()
print(json.dumps({'seconds': t1 - t0, 'produced': len(values), 'errors': errors[0], 'firstError': errors[1], 'notFlushed': left}))
`;

const PY_CONSUME = `
import sys, json, time
from confluent_kafka import Consumer, TopicPartition, KafkaError, OFFSET_BEGINNING
bs, topic, path, expected, conf = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), json.loads(sys.argv[5])
# group.id is required by confluent-kafka even with assign(); no group is joined or committed to.
c = Consumer(dict(conf, **{'bootstrap.servers': bs, 'group.id': 'kafkalite-bench-unused', 'enable.auto.commit': False,
              'enable.auto.offset.store': False, 'enable.partition.eof': True}))
t0 = time.perf_counter()
c.assign([TopicPartition(topic, 0, OFFSET_BEGINNING)])
got = []
append = got.append
errors = []
eof = False
t_first = t_last = None
deadline = t0 + 240
consume = c.consume
while not eof and time.perf_counter() < deadline:
    msgs = consume(10000, 0.1)
    if not msgs:
        continue
    n = len(got)
    for m in msgs:
        e = m.error()
        if e is None:
            append(m.value())
        elif e.code() == KafkaError._PARTITION_EOF:
            eof = True
        else:
            errors.append(str(e))
    if len(got) > n:
        t_last = time.perf_counter()
        if t_first is None:
            t_first = t_last
t1 = t_last or time.perf_counter()
t_eof = time.perf_counter()
c.close()
with open(path, 'rb') as f:
    want = f.read().split(b'\\n')
want = want[:expected]
seen = bytearray(expected)
corrupt = dup = ooo = 0
last = -1
first = None
for v in got:
    try:
        i = int(v[:10])
    except ValueError:
        i = -1
    if i < 0 or i >= expected or want[i] != v:
        corrupt += 1
        first = first or 'unexpected value %r' % v[:120]
        continue
    if seen[i]:
        dup += 1
        first = first or 'value %d read twice' % i
    seen[i] = 1
    if i < last:
        ooo += 1
    last = i
missing = expected - sum(seen)
if missing and first is None:
    first = '%d values never read back, the first is %d' % (missing, seen.index(0))
ok = len(got) == expected and missing == 0 and dup == 0 and corrupt == 0 and not errors
print(json.dumps({'seconds': t1 - t0, 'firstMessageSeconds': (t_first or t1) - t0, 'eofSeconds': t_eof - t0, 'eof': eof, 'errors': errors[:5],
                  'verification': {'ok': ok, 'expected': expected, 'received': len(got), 'missing': missing, 'duplicates': dup,
                                   'corrupt': corrupt, 'outOfOrder': ooo, 'firstProblem': first or (errors[0] if errors else None)}}))
`;

function lastJson<T>(r: ProcResult, what: string): T {
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.code !== 0) throw new Error(`${what} exited ${r.code ?? r.signal}:\n${r.stderr}\n${r.stdout}`);
  try {
    return JSON.parse(line) as T;
  } catch {
    throw new Error(`${what} printed no JSON:\n${r.stdout}\n${r.stderr}`);
  }
}

export async function pythonProduce(bootstrap: string, topic: string, file: string): Promise<Measure> {
  const r = await runProc(PYTHON, ['-c', PY_PRODUCE, bootstrap, topic, file, JSON.stringify(PY_PRODUCE_CONF)]);
  const out = lastJson<{ seconds: number; produced: number; errors: number; firstError: string | null; notFlushed: number }>(
    r,
    'confluent-kafka producer',
  );
  if (out.errors > 0 || out.notFlushed > 0) {
    throw new Error(`confluent-kafka producer: ${out.errors} delivery errors (first: ${out.firstError}), ${out.notFlushed} not flushed`);
  }
  return {
    seconds: out.seconds,
    wallSeconds: r.wallSeconds,
    timed: 'first produce() to flush() returning (connected and topic metadata known before; values pre-loaded)',
  };
}

export async function pythonConsume(bootstrap: string, topic: string, file: string, expected: number): Promise<Measure> {
  const r = await runProc(PYTHON, ['-c', PY_CONSUME, bootstrap, topic, file, String(expected), JSON.stringify(CONSUME_CONF)]);
  const out = lastJson<{
    seconds: number;
    firstMessageSeconds: number;
    eofSeconds: number;
    eof: boolean;
    errors: string[];
    verification: Verification;
  }>(r, 'confluent-kafka consumer');
  return {
    seconds: out.seconds,
    wallSeconds: r.wallSeconds,
    timed: 'assign() to the last message received, consume(10000) batches',
    verification: out.verification,
    detail: {
      firstMessageSeconds: Math.round(out.firstMessageSeconds * 1000) / 1000,
      endOfPartitionSeconds: Math.round(out.eofSeconds * 1000) / 1000,
      ...(out.errors.length > 0 || !out.eof ? { errors: out.errors, reachedEof: out.eof } : {}),
    },
  };
}

export function pythonVersions(): { confluentKafka: string; librdkafka: string } | null {
  const r = spawnSync(PYTHON, ['-c', 'import confluent_kafka as c, json; print(json.dumps([c.version()[0], c.libversion()[0]]))'], {
    encoding: 'utf8',
  });
  if (r.status !== 0) return null;
  const [ck, lib] = JSON.parse(r.stdout.trim()) as [string, string];
  return { confluentKafka: ck, librdkafka: lib };
}

// ------------------------------------------------------------------------------------------
// kafkajs, in this process

// Messages per send(). kafkajs groups a send's messages by partition with an O(n^2) spread
// (src/producer/groupMessagesPerPartition.js), so big sends are slow on the client side; and
// 10,000 x 100 B makes a ~1.08 MB record batch, over message.max.bytes (1048588, Kafka's
// default): MESSAGE_TOO_LARGE, as from Kafka. 1,000 was the fastest of 200-5,000 here.
export const KAFKAJS_BATCH = Number(process.env.BENCH_KAFKAJS_BATCH ?? 1_000);
export const KAFKAJS_IN_FLIGHT = 4;
export const KAFKAJS_ACKS = -1;

export async function kafkajsProduce(bootstrap: string, topic: string, values: Buffer[]): Promise<Measure> {
  const kafka = new Kafka({ clientId: 'kafkalite-bench', brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const batches: { value: Buffer; partition: number }[][] = [];
    for (let i = 0; i < values.length; i += KAFKAJS_BATCH)
      batches.push(values.slice(i, i + KAFKAJS_BATCH).map((value) => ({ value, partition: 0 })));
    let next = 0;
    let produced = 0;
    const t0 = performance.now();
    const worker = async () => {
      while (next < batches.length) {
        const messages = batches[next++]!;
        const res = await producer.send({ topic, acks: KAFKAJS_ACKS, messages });
        if (res.some((r) => r.errorCode !== 0)) throw new Error(`kafkajs send: ${JSON.stringify(res)}`);
        produced += messages.length;
      }
    };
    await Promise.all(Array.from({ length: KAFKAJS_IN_FLIGHT }, worker));
    const seconds = (performance.now() - t0) / 1000;
    if (produced !== values.length) throw new Error(`kafkajs produced ${produced} of ${values.length}`);
    return {
      seconds,
      wallSeconds: seconds,
      timed: `first send() to last send() resolved (connected before; ${KAFKAJS_BATCH}-message sends, ${KAFKAJS_IN_FLIGHT} in flight, acks=${KAFKAJS_ACKS})`,
    };
  } finally {
    await producer.disconnect();
  }
}

export function kafkajsVersion(): string {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', 'kafkajs', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}
