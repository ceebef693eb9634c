// kill -9 rounds against the CLI broker (shared by test/integration/storage-crash.test.ts and
// test/soak/crash-soak.ts). A round: start `kafkalite start` on a data dir, check what it serves,
// run a kafka-python producer (acks=all) in its own process that prints every acknowledged
// offset and value, SIGKILL the broker at a random moment, and remember the acknowledgements.
// The check after each restart: offsets 0..end-1 are all served, in order, each value intact
// (values carry their own checksum), every acknowledged record is at its offset unchanged,
// everything served before a crash is still served, and nothing exists past the high watermark.

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { PYTHON, run, startCli, type CliBroker } from './helpers.js';

export const CRASH_TOPIC = 'crash';

/** The producer: one value per line acknowledged, `offset<TAB>value`, flushed as it comes. */
const PRODUCER = `
import sys, hashlib
from kafka import KafkaProducer
bs, topic, rnd, linger = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
p = KafkaProducer(bootstrap_servers=bs, acks='all', linger_ms=linger, retries=0, request_timeout_ms=4000,
                  max_block_ms=4000, reconnect_backoff_ms=50, reconnect_backoff_max_ms=200)
def value(seq):
    h = hashlib.sha1(('%s-%d' % (rnd, seq)).encode()).hexdigest()
    return '%s-%d-%s' % (rnd, seq, h * (1 + seq % 12))
def acked(v):
    def cb(md):
        sys.stdout.write('%d\\t%s\\n' % (md.offset, v))
        sys.stdout.flush()
    return cb
seq = 0
while True:
    v = value(seq)
    p.send(topic, value=v.encode(), partition=0).add_callback(acked(v))
    seq += 1
    if seq % 50 == 0:
        p.flush(timeout=5)
`;

/** Whether `value` is one the producer could have sent (round-seq-sha1 repeated). */
export function intactValue(value: string): boolean {
  const m = /^(\w+)-(\d+)-([0-9a-f]+)$/.exec(value);
  if (!m) return false;
  const seq = Number(m[2]);
  const h = createHash('sha1').update(`${m[1]}-${seq}`).digest('hex');
  return m[3] === h.repeat(1 + (seq % 12));
}

export interface CrashState {
  dataDir: string;
  /** offset -> value, acknowledged to the producer. */
  acked: Map<number, string>;
  /** offset -> value, served by some restart so far. */
  seen: Map<number, string>;
  /** Broker log lines that reported truncation, across rounds. */
  truncations: string[];
  rounds: number;
}

export function newCrashState(dataDir: string): CrashState {
  return { dataDir, acked: new Map(), seen: new Map(), truncations: [], rounds: 0 };
}

/** No HTTP server (its fixed default port would clash with other CLI brokers); 64 KiB segments, so rounds span many. */
const BROKER_ARGS = (dataDir: string) => [
  '--data-dir',
  dataDir,
  '--http-port',
  '0',
  '--override',
  'log.segment.bytes=65536',
  '--override',
  'log.index.interval.bytes=1024',
];

export async function startCrashBroker(state: CrashState): Promise<CliBroker> {
  return startCli(BROKER_ARGS(state.dataDir));
}

/** Consume the whole partition with kcat and check it against everything known. Returns the end offset. */
export async function verify(broker: CliBroker, state: CrashState): Promise<number> {
  const end = await latestOffset(broker);
  const served = new Map<number, string>();
  if (end > 0) {
    const r = await run(
      'kcat',
      ['-C', '-b', broker.bootstrap, '-t', CRASH_TOPIC, '-p', '0', '-o', 'beginning', '-e', '-q', '-f', '%o\t%s\n'],
      {
        timeoutMs: 60_000,
      },
    );
    if (r.code !== 0) throw new Error(`kcat failed (${r.code}): ${r.stderr}`);
    for (const line of r.stdout.split('\n')) {
      if (line === '') continue;
      const tab = line.indexOf('\t');
      served.set(Number(line.slice(0, tab)), line.slice(tab + 1));
    }
  }
  const problems: string[] = [];
  if (served.size !== end) problems.push(`served ${served.size} records, high watermark ${end}`);
  for (let o = 0; o < end; o++) {
    const v = served.get(o);
    if (v === undefined) problems.push(`offset ${o} missing`);
    else if (!intactValue(v)) problems.push(`offset ${o} has a damaged value ${JSON.stringify(v.slice(0, 60))}`);
  }
  for (const [o] of served) if (o >= end) problems.push(`offset ${o} served past the high watermark ${end}`);
  for (const [o, v] of state.acked) {
    if (served.get(o) !== v) problems.push(`acknowledged offset ${o} ${served.has(o) ? 'changed' : 'lost'}`);
  }
  for (const [o, v] of state.seen) {
    if (served.get(o) !== v) problems.push(`offset ${o}, served before the crash, ${served.has(o) ? 'changed' : 'lost'}`);
  }
  if (problems.length > 0)
    throw new Error(`after round ${state.rounds}: ${problems.slice(0, 10).join('; ')} (${problems.length} problems)`);
  for (const [o, v] of served) state.seen.set(o, v);
  return end;
}

/** ListOffsets latest (the high watermark) through kcat's query mode. */
async function latestOffset(broker: CliBroker): Promise<number> {
  const r = await run('kcat', ['-Q', '-b', broker.bootstrap, '-t', `${CRASH_TOPIC}:0:-1`], { timeoutMs: 30_000 });
  const m = /\[0\]\s+offset\s+(-?\d+)/.exec(r.stdout);
  if (r.code !== 0 || !m) {
    if (/Unknown (topic|partition)|UNKNOWN_TOPIC/i.test(r.stdout + r.stderr)) return 0;
    throw new Error(`kcat -Q failed (${r.code}): ${r.stdout} ${r.stderr}`);
  }
  return Math.max(0, Number(m[1]));
}

export interface RoundOptions {
  /** Kill this long after the first acknowledgement of the round: a random value in [min, max). */
  minDelayMs: number;
  maxDelayMs: number;
  random?: () => number;
}

/**
 * One round on a running broker: produce, SIGKILL the broker at a random moment, collect the
 * acknowledgements. Returns the next broker (restarted) after verifying it.
 */
export async function crashRound(
  broker: CliBroker,
  state: CrashState,
  opts: RoundOptions,
): Promise<{ broker: CliBroker; acked: number; end: number }> {
  const random = opts.random ?? Math.random;
  state.rounds++;
  const linger = Math.floor(random() * 5);
  const producer = spawn(PYTHON, ['-c', PRODUCER, broker.bootstrap, CRASH_TOPIC, `r${state.rounds}`, String(linger)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  producer.stdout.on('data', (d) => (out += d));
  producer.stderr.on('data', (d) => (err += d));
  const exited = new Promise<void>((resolve) => producer.once('exit', () => resolve()));
  try {
    // Wait for the first acknowledgement, then kill at a random moment after it.
    const started = Date.now();
    while (!out.includes('\n')) {
      if (producer.exitCode !== null) throw new Error(`producer exited early (${producer.exitCode}): ${err}`);
      if (Date.now() - started > 20_000) throw new Error(`no acknowledgement in 20 s: ${err}`);
      await sleep(10);
    }
    await sleep(opts.minDelayMs + random() * (opts.maxDelayMs - opts.minDelayMs));
    await new Promise<void>((resolve) => {
      broker.child.once('exit', () => resolve());
      broker.child.kill('SIGKILL');
    });
    // Callbacks already on their way are printed; then stop the producer.
    await sleep(300);
  } finally {
    producer.kill('SIGKILL');
    await exited;
  }
  let acked = 0;
  for (const line of out.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    const offset = Number(line.slice(0, tab));
    const value = line.slice(tab + 1);
    const before = state.acked.get(offset);
    if (before !== undefined && before !== value) throw new Error(`offset ${offset} acknowledged twice, for different values`);
    state.acked.set(offset, value);
    acked++;
  }
  const next = await startCrashBroker(state);
  for (const line of next.output().split('\n')) if (/truncated invalid tail/.test(line)) state.truncations.push(line);
  try {
    const end = await verify(next, state);
    return { broker: next, acked, end };
  } catch (e) {
    await next.stop();
    throw e;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
