// The peer comparison as text: one table per metric (kafkalite, each peer, and the ratio), and
// the goals of issue 15 marked met / not met.

import { fixed, int, table } from '../stats.js';
import type { LoadFigure } from '../system.js';
import type { PeerName } from './broker.js';
import { KCAT_DEEP_QUEUE, KCAT_DEEP_QUEUE_CLIENT } from './clients.js';
import { median, pairedRatio, spread } from './repeat.js';
import type { PeerResult, PeerRow, PeerRun, PeersSettings } from './run-peers.js';

const PEERS: PeerName[] = ['kafka', 'kfake', 'mock'];
const LABEL: Record<PeerName, string> = { kafkalite: 'kafkalite', kafka: 'Kafka 4.4', kfake: 'kfake', mock: 'rdkafka mock' };

export interface Goal {
  goal: string;
  met: boolean | null;
  detail: string;
}

/** A figure per round (index = round; null where that round did not measure it). */
type ByRound = (number | null)[];

function rowKey(r: PeerRow): string {
  return `${r.variant} | ${r.client}`;
}

/** f of each run of p, indexed by round. */
function byRound(p: PeerResult | undefined, f: (run: PeerRun) => number | null | undefined): ByRound {
  const out: ByRound = [];
  for (const run of p?.runs ?? []) {
    const v = f(run);
    out[run.round] = typeof v === 'number' && Number.isFinite(v) ? v : null;
  }
  return Array.from(out, (v) => v ?? null);
}

/** "1.62x", with the round-by-round spread when there was more than one round: "1.62x (1.40-1.80)". */
function ratioText(a: ByRound, b: ByRound): string {
  const r = pairedRatio(a, b);
  if (!r) return '-';
  return r.n > 1 ? `${fixed(r.ratio, 2)}x (${fixed(r.min, 2)}-${fixed(r.max, 2)})` : `${fixed(r.ratio, 2)}x`;
}

function loadText(l: LoadFigure | undefined): string {
  return !l || l.median === null ? '-' : `${fixed(l.median, 2)} (${fixed(l.min!, 2)}-${fixed(l.max!, 2)})`;
}

/**
 * A table of one metric: a row per key, kafkalite's figure (median over the rounds), then each peer's and the ratio
 * of the medians with the spread of the round-by-round ratios.
 * lowerIsBetter: the ratio is peer / kafkalite (so > 1 always means kafkalite is better).
 */
function metricTable(
  results: PeerResult[],
  keys: string[],
  get: (p: PeerResult | undefined, key: string) => ByRound,
  digits: number,
  lowerIsBetter: boolean,
): string {
  const lite = results.find((r) => r.peer === 'kafkalite');
  const others = PEERS.filter((p) => results.some((r) => r.peer === p && !r.skipped));
  const headers = ['', 'kafkalite', ...others.flatMap((p) => [LABEL[p], lowerIsBetter ? `${p}/lite` : `lite/${p}`])];
  const fmt = (v: number | null) => (v === null || !Number.isFinite(v) ? '-' : digits === 0 ? int(v) : fixed(v, digits));
  const rows = keys.map((k) => {
    const mine = get(lite, k);
    return [
      k,
      fmt(median(mine)),
      ...others.flatMap((p) => {
        const theirs = get(
          results.find((r) => r.peer === p),
          k,
        );
        return [fmt(median(theirs)), lowerIsBetter ? ratioText(theirs, mine) : ratioText(mine, theirs)];
      }),
    ];
  });
  return table(headers, rows);
}

function rowOf(run: PeerRun, key: string, op: 'produce' | 'consume'): PeerRow | undefined {
  // A read-back that could only be the tail a broker kept (the mock) is not comparable: left out ('-').
  return run.rows.find((r) => rowKey(r) === key && r.op === op && !r.error && !r.check.startsWith('tail only'));
}

/** A cell's figure round by round. */
function cell(p: PeerResult | undefined, key: string, op: 'produce' | 'consume', f: (r: PeerRow) => number | null): ByRound {
  return byRound(p, (run) => {
    const r = rowOf(run, key, op);
    return r ? f(r) : null;
  });
}

export function peerGoals(results: PeerResult[]): Goal[] {
  const lite = results.find((r) => r.peer === 'kafkalite');
  const goals: Goal[] = [];
  if (!lite) return goals;
  const get = (name: PeerName) => results.find((r) => r.peer === name && !r.skipped && !r.error);
  // The goals' clients as they come; kcat with its queue raised is a figure beside them (peers/clients.ts KCAT_DEEP_QUEUE).
  const goalRow = (r: PeerRow) => r.variant === 'base' && r.client !== KCAT_DEEP_QUEUE_CLIENT;
  const baseKeys = [...new Set(lite.runs.flatMap((run) => run.rows.filter(goalRow).map(rowKey)))];
  // Judged on the ratio of the medians over the rounds; the detail gives the round-by-round spread.
  const ratioGoal = (
    goal: string,
    peer: PeerName,
    f: (r: PeerRow) => number | null,
    op: 'produce' | 'consume',
    ok: (r: number) => boolean,
  ) => {
    const p = get(peer);
    const parts: string[] = [];
    let met: boolean | null = p ? true : null;
    let measured = 0;
    for (const k of baseKeys) {
      const mine = cell(lite, k, op, f);
      const theirs = cell(p, k, op, f);
      const r = p ? pairedRatio(mine, theirs) : null;
      parts.push(`${k.split(' | ')[1]} ${p ? ratioText(mine, theirs) : '-'}`);
      if (r === null) continue;
      measured++;
      if (!ok(r.ratio)) met = false;
    }
    // Judged on the clients measured against this peer (the Java clients cannot run against the mock); n/a when none was.
    if (measured === 0) met = null;
    goals.push({ goal, met, detail: p ? parts.join(', ') : `${peer} not measured` });
  };
  const throughputGoal = (peer: PeerName, min: number) => {
    for (const op of ['produce', 'consume'] as const)
      ratioGoal(
        `${op} msg/s >= ${fixed(min, 1)}x ${LABEL[peer]}'s`,
        peer,
        (r) => r.messagesPerSec,
        op,
        (r) => r >= min,
      );
  };
  throughputGoal('kafka', 1.0);
  throughputGoal('kfake', 1.0);
  throughputGoal('mock', 0.9);
  ratioGoal(
    "broker CPU per million records produced <= 0.5x Kafka's (kafkalite / Kafka)",
    'kafka',
    (r) => r.cpuSecondsPerMillion,
    'produce',
    (r) => r <= 0.5,
  );
  const p99 = lite.latency?.ms?.p99 ?? null;
  goals.push({
    goal: 'p99 end-to-end <= 5 ms at 1,000 msg/s',
    met: p99 === null ? null : p99 <= 5,
    detail: p99 === null ? 'not measured' : `${fixed(p99, 2)} ms (Java client, first round)`,
  });
  const k = get('kafka');
  const mine = byRound(lite, (run) => run.rssIdleMiB);
  const theirs = byRound(k, (run) => run.rssIdleMiB);
  const rr = k ? pairedRatio(mine, theirs) : null;
  goals.push({
    goal: "idle RSS <= 0.25x Kafka's (kafkalite / Kafka)",
    met: rr === null ? null : rr.ratio <= 0.25,
    detail: rr === null ? 'not measured' : `${median(mine)} MiB / ${median(theirs)} MiB = ${ratioText(mine, theirs)}`,
  });
  return goals;
}

/**
 * kcat consume cells round by round: "0.62 s, 1.31 s [1: 0.74 s]": a round that met librdkafka's queue-full pause
 * (peers/kcat-pauses.ts) is slower by up to a second per pause whatever the broker, so its msg/s is the client's mode.
 */
function kcatPausesTable(results: PeerResult[], keys: string[]): string | null {
  const kcatKeys = keys.filter((k) => k.endsWith('| kcat'));
  const rows: string[][] = [];
  for (const k of kcatKeys)
    for (const p of results) {
      const rounds = p.runs.map((run) => {
        const r = rowOf(run, k, 'consume');
        if (!r) return '-';
        const n = r.detail?.queueFullPauses;
        return typeof n === 'number' && n > 0
          ? `${fixed(r.seconds, 2)} [${n}: ${fixed(Number(r.detail!.queueFullSeconds), 2)} s]`
          : fixed(r.seconds, 2);
      });
      if (rounds.some((x) => x !== '-')) rows.push([k, LABEL[p.peer], rounds.join(', ')]);
    }
  return rows.length > 0 ? table(['', '', 'seconds by round [queue-full pauses: seconds paused]'], rows) : null;
}

/** What the machine was doing around each broker's timed cells: a quiet run shows small waits and no other work. */
function conditionsTable(results: PeerResult[]): string {
  const rows = results.map((p) => {
    const sys = p.runs.flatMap((run) => run.rows.map((r) => r.system)).filter((x) => x !== undefined);
    const s = (f: (x: (typeof sys)[number]) => number | null, digits: number) => {
      const v = spread(sys.map(f));
      return v.median === null ? '-' : `${fixed(v.median, digits)} (${fixed(v.max!, digits)})`;
    };
    const load = spread(sys.map((x) => x.load1));
    return [
      LABEL[p.peer],
      String(sys.length),
      s((x) => x.settle.ms, 0),
      s((x) => x.settle.dirtyBeforeMiB, 1),
      s((x) => x.diskWrittenMiB, 1),
      s((x) => x.machineIowaitSeconds, 2),
      s((x) => x.benchCpuSeconds, 2),
      load.median === null ? '-' : `${fixed(load.median, 2)} (${fixed(load.min!, 2)}-${fixed(load.max!, 2)})`,
    ];
  });
  return table(['', 'cells', 'settle ms', 'dirty MiB before', 'disk MiB written', 'iowait s', 'bench CPU s', '1-min load'], rows);
}

function heading(s: PeersSettings | undefined): string[] {
  const out = ['7. Peers, side by side (one broker at a time, the same clients and data)'];
  if (!s) return out;
  out.push(
    s.warmup > 0
      ? `   Warm: every broker, after each start, gets the same untimed produce + consume of ${int(s.warmup)} x 100 B records with each client it is timed with (kcat, the Java perf tools, kafkajs) before its timed cells (BENCH_WARMUP=0: cold).`
      : '   Cold: no warm-up pass (BENCH_WARMUP=0); each broker meets the timed cells right after its start, as on a first run.',
  );
  out.push(
    s.repeat > 1
      ? `   ${s.repeat} rounds (BENCH_REPEAT), brokers interleaved (A B C, B C A, ...), each started afresh per round; ${s.repeatCells.join(', ') || 'no cell'} every round (BENCH_REPEAT_CELLS), ` +
          'the rest in the first. A figure is the median over the rounds; a ratio is the ratio of the medians, (min-max) of the ratios round by round.'
      : '   One round (BENCH_REPEAT=1): every figure measured once, no spread.',
  );
  out.push('   Before every timed cell: `sync`, and a wait for Dirty + Writeback (/proc/meminfo) to drain (BENCH_SETTLE=0: none).');
  return out;
}

export function formatPeers(results: PeerResult[], settings?: PeersSettings): string {
  const out: string[] = heading(settings);
  for (const r of results) {
    const ready = median(byRound(r, (run) => run.readyMs ?? null));
    out.push(
      `   ${LABEL[r.peer].padEnd(12)} ${
        r.skipped
          ? `SKIPPED: ${r.skipped}`
          : r.error
            ? `FAILED: ${r.error.split('\n')[0]}`
            : `${r.describe}; ${r.runs.length} start(s), ${r.wallSeconds} s in all; ready in ${ready} ms (median); 1-min load during its runs ${loadText(r.load)}`
      }`,
    );
    for (const n of r.notes) out.push(`   ${''.padEnd(12)} ${n}`);
    for (const run of r.runs.filter((x) => x.error)) out.push(`   ${''.padEnd(12)} round ${run.round + 1}: ${run.error!.split('\n')[0]}`);
  }
  const ran = results.filter((r) => r.describe);
  if (ran.length === 0) return out.join('\n');
  const keys = [...new Set(ran.flatMap((r) => r.runs.flatMap((run) => run.rows.map(rowKey))))];
  const opKeys = (op: 'produce' | 'consume') =>
    keys.filter((k) => ran.some((p) => p.runs.some((run) => run.rows.some((r) => rowKey(r) === k && r.op === op))));
  const section = (title: string, body: string) => out.push('', `   ${title}`, body.replace(/^/gm, '   '));
  const cells = (op: 'produce' | 'consume', f: (r: PeerRow) => number | null) => (p: PeerResult | undefined, k: string) =>
    cell(p, k, op, f);
  section(
    'produce msg/s (ratio kafkalite / peer: > 1 = kafkalite faster)',
    metricTable(
      ran,
      opKeys('produce'),
      cells('produce', (r) => r.messagesPerSec),
      0,
      false,
    ),
  );
  section(
    'produce MB/s (values)',
    metricTable(
      ran,
      opKeys('produce'),
      cells('produce', (r) => r.megabytesPerSec),
      1,
      false,
    ),
  );
  section(
    'consume msg/s (ratio kafkalite / peer: > 1 = kafkalite faster)',
    metricTable(
      ran,
      opKeys('consume'),
      cells('consume', (r) => r.messagesPerSec),
      0,
      false,
    ),
  );
  const pauses = kcatPausesTable(ran, opKeys('consume'));
  if (pauses)
    section(
      'kcat consume round by round: seconds, and [pauses] where librdkafka 2.0.2 stopped fetching on its full queue ' +
        '(up to 1 s each: the client, not the broker; peers/kcat-pauses.ts)',
      pauses,
    );
  section(
    'consume MB/s (values)',
    metricTable(
      ran,
      opKeys('consume'),
      cells('consume', (r) => r.megabytesPerSec),
      1,
      false,
    ),
  );
  section(
    'broker CPU seconds per million records produced (ratio peer / kafkalite: > 1 = kafkalite uses less)',
    metricTable(
      ran,
      opKeys('produce'),
      cells('produce', (r) => r.cpuSecondsPerMillion),
      3,
      true,
    ),
  );
  section(
    'broker CPU seconds per million records consumed (ratio peer / kafkalite: > 1 = kafkalite uses less)',
    metricTable(
      ran,
      opKeys('consume'),
      cells('consume', (r) => r.cpuSecondsPerMillion),
      3,
      true,
    ),
  );
  // A figure of the peer as a whole: per round where each start measures it, else the first round's alone.
  const once = (f: (p: PeerResult) => number | null | undefined) => (p: PeerResult | undefined) => {
    const v = p ? f(p) : null;
    return [typeof v === 'number' ? v : null];
  };
  const perRun = (f: (run: PeerRun) => number | null | undefined) => (p: PeerResult | undefined) => byRound(p, f);
  const one = (title: string, rows: [string, (p: PeerResult | undefined) => ByRound][], digits: number, lowerIsBetter: boolean) =>
    section(
      title,
      metricTable(
        ran,
        rows.map(([k]) => k),
        (p, k) => rows.find(([kk]) => kk === k)![1](p),
        digits,
        lowerIsBetter,
      ),
    );
  if (ran.some((r) => r.latency)) {
    one(
      'end-to-end latency, ms, Java producer (acks=all, linger.ms=0) -> Java consumer, 1,000 msg/s, first round (ratio peer / kafkalite: > 1 = kafkalite lower)',
      [
        ['p50', once((p) => p.latency?.ms?.p50)],
        ['p99', once((p) => p.latency?.ms?.p99)],
        ['p99.9', once((p) => p.latency?.ms?.p999)],
        ['max', once((p) => p.latency?.ms?.max)],
      ],
      2,
      true,
    );
  }
  one(
    'memory (RSS MiB of the broker process; the mock: its python3 host) and start (ratio peer / kafkalite: > 1 = kafkalite lower)',
    [
      ['RSS idle (2 s after ready, before the warm-up)', perRun((run) => run.rssIdleMiB)],
      ['RSS peak (VmHWM, whole run)', perRun((run) => run.rssPeakMiB)],
      ...(ran.some((r) => r.idle)
        ? ([
            [
              `RSS with ${(ran.find((r) => r.idle)?.idle?.connections ?? 0).toLocaleString('en-US')} idle connections`,
              once((p) => p.idle?.rssWithMiB),
            ],
            ['CPU s while they sit 5 s', once((p) => p.idle?.cpuSecondsSitting)],
          ] as [string, (p: PeerResult | undefined) => ByRound][])
        : []),
      ['start: exec to Metadata answered, ms', perRun((run) => run.readyMs)],
    ],
    2,
    true,
  );
  section(
    "the machine around the timed cells (median over each broker's cells, max in brackets; load: median, min-max at the cells' starts)",
    conditionsTable(ran),
  );
  out.push('');
  out.push(
    '   Clients: kcat -P -X acks=all -X linger.ms=5 -X batch.num.messages=10000 -l <file> (-p 0 except p100); kcat -C -o beginning -e,',
  );
  out.push('   timed process start to exit; java perf = Kafka 4.4 ProducerPerformance (acks=all linger.ms=5, its own records/sec) and');
  out.push('   ConsumerPerformance (its fetch.nMsg time, group join excluded), one JVM each; kafkajs 1,000-message sends x4 in flight');
  out.push(
    '   acks=-1 (no linger in kafkajs), consumer in a group, first batch to last. Every kcat and kafkajs read-back is checked value by value.',
  );
  out.push("   rdkafka mock: it keeps only the newest few MB of a partition, so its consume rows are left out ('-'; the JSON has them).");
  out.push('   Variants: p100 = 100 partitions; 4producers = 4 kcat -P at once; 1k / 10k = values of that size, same total bytes.');
  out.push(`   kcat deep queue: the same read with ${KCAT_DEEP_QUEUE.filter((a) => a !== '-X').join(' ')}, so librdkafka 2.0.2`);
  out.push('   never pauses on its full queue; beside the goals, which are judged on kcat as it comes.');
  out.push('');
  out.push("   Goals of issue 15 (in this run, on this machine's load; judged on the medians):");
  for (const g of peerGoals(ran)) out.push(`   [${g.met === null ? 'n/a' : g.met ? 'met' : 'NOT met'}] ${g.goal}: ${g.detail}`);
  return out.join('\n');
}
