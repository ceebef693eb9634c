// The peer comparison as text: one table per metric (kafkalite, each peer, and the ratio), and
// the goals of issue 15 marked met / not met.

import { fixed, int, table } from '../stats.js';
import type { PeerName } from './broker.js';
import type { PeerResult, PeerRow } from './run-peers.js';

const PEERS: PeerName[] = ['kafka', 'kfake', 'mock'];
const LABEL: Record<PeerName, string> = { kafkalite: 'kafkalite', kafka: 'Kafka 4.4', kfake: 'kfake', mock: 'rdkafka mock' };

export interface Goal {
  goal: string;
  met: boolean | null;
  detail: string;
}

function rowKey(r: PeerRow): string {
  return `${r.variant} | ${r.client}`;
}

function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined || b === null || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return null;
  return a / b;
}

const x = (r: number | null) => (r === null ? '-' : `${fixed(r, 2)}x`);

/**
 * A table of one metric: a row per key, kafkalite's figure, then each peer's figure and the ratio.
 * lowerIsBetter: the ratio is peer / kafkalite (so > 1 always means kafkalite is better).
 */
function metricTable(
  results: PeerResult[],
  keys: string[],
  get: (p: PeerResult, key: string) => number | null,
  digits: number,
  lowerIsBetter: boolean,
): string {
  const lite = results.find((r) => r.peer === 'kafkalite');
  const others = PEERS.filter((p) => results.some((r) => r.peer === p && !r.skipped));
  const headers = ['', 'kafkalite', ...others.flatMap((p) => [LABEL[p], lowerIsBetter ? `${p}/lite` : `lite/${p}`])];
  const fmt = (v: number | null) => (v === null || !Number.isFinite(v) ? '-' : digits === 0 ? int(v) : fixed(v, digits));
  const rows = keys.map((k) => {
    const mine = lite ? get(lite, k) : null;
    return [
      k,
      fmt(mine),
      ...others.flatMap((p) => {
        const theirs = get(results.find((r) => r.peer === p)!, k);
        return [fmt(theirs), x(lowerIsBetter ? ratio(theirs, mine) : ratio(mine, theirs))];
      }),
    ];
  });
  return table(headers, rows);
}

function rowOf(p: PeerResult, key: string, op: 'produce' | 'consume'): PeerRow | undefined {
  // A read-back that could only be the tail a broker kept (the mock) is not comparable: left out ('-').
  return p.rows.find((r) => rowKey(r) === key && r.op === op && !r.error && !r.check.startsWith('tail only'));
}

export function peerGoals(results: PeerResult[]): Goal[] {
  const lite = results.find((r) => r.peer === 'kafkalite');
  const goals: Goal[] = [];
  if (!lite) return goals;
  const get = (name: PeerName) => results.find((r) => r.peer === name && !r.skipped && !r.error);
  const baseKeys = [...new Set(lite.rows.filter((r) => r.variant === 'base').map(rowKey))];
  const throughputGoal = (peer: PeerName, min: number) => {
    const p = get(peer);
    for (const op of ['produce', 'consume'] as const) {
      const parts: string[] = [];
      let met: boolean | null = p ? true : null;
      let measured = 0;
      for (const k of baseKeys) {
        const r = p ? ratio(rowOf(lite, k, op)?.messagesPerSec, rowOf(p, k, op)?.messagesPerSec) : null;
        parts.push(`${k.split(' | ')[1]} ${x(r)}`);
        if (r !== null) measured++;
        if (r !== null && r < min) met = false;
      }
      // Judged on the clients measured against this peer (the Java clients cannot run against the mock); n/a when none was.
      if (measured === 0) met = null;
      goals.push({ goal: `${op} msg/s >= ${fixed(min, 1)}x ${LABEL[peer]}'s`, met, detail: p ? parts.join(', ') : `${peer} not measured` });
    }
  };
  throughputGoal('kafka', 1.0);
  throughputGoal('kfake', 1.0);
  throughputGoal('mock', 0.9);
  {
    const p = get('kafka');
    const parts: string[] = [];
    let met: boolean | null = p ? true : null;
    for (const k of baseKeys) {
      // kafkalite / Kafka: at most 0.5
      const r = p ? ratio(rowOf(lite, k, 'produce')?.cpuSecondsPerMillion, rowOf(p, k, 'produce')?.cpuSecondsPerMillion) : null;
      parts.push(`${k.split(' | ')[1]} ${x(r)}`);
      if (r === null) met = met === true ? null : met;
      else if (r > 0.5) met = false;
    }
    goals.push({
      goal: "broker CPU per million records produced <= 0.5x Kafka's (kafkalite / Kafka)",
      met,
      detail: p ? parts.join(', ') : 'kafka not measured',
    });
  }
  const p99 = lite.latency?.ms?.p99 ?? null;
  goals.push({
    goal: 'p99 end-to-end <= 5 ms at 1,000 msg/s',
    met: p99 === null ? null : p99 <= 5,
    detail: p99 === null ? 'not measured' : `${fixed(p99, 2)} ms (Java client)`,
  });
  const k = get('kafka');
  const rr = k ? ratio(lite.rssIdleMiB, k.rssIdleMiB) : null;
  goals.push({
    goal: "idle RSS <= 0.25x Kafka's (kafkalite / Kafka)",
    met: rr === null ? null : rr <= 0.25,
    detail: rr === null ? 'not measured' : `${lite.rssIdleMiB} MiB / ${k!.rssIdleMiB} MiB = ${x(rr)}`,
  });
  return goals;
}

export function formatPeers(results: PeerResult[]): string {
  const out: string[] = [];
  out.push('7. Peers, side by side (one broker at a time, the same clients and data)');
  for (const r of results) {
    out.push(
      `   ${LABEL[r.peer].padEnd(12)} ${r.skipped ? `SKIPPED: ${r.skipped}` : r.error && !r.describe ? `FAILED: ${r.error.split('\n')[0]}` : `${r.describe}; ${r.wallSeconds} s in all; load average ${r.loadAverage.start.join(' ')} -> ${r.loadAverage.end.join(' ')}`}`,
    );
    for (const n of r.notes) out.push(`   ${''.padEnd(12)} ${n}`);
  }
  const ran = results.filter((r) => r.describe);
  if (ran.length === 0) return out.join('\n');
  const keys = [...new Set(ran.flatMap((r) => r.rows.map(rowKey)))];
  const opKeys = (op: 'produce' | 'consume') => keys.filter((k) => ran.some((p) => p.rows.some((r) => rowKey(r) === k && r.op === op)));
  const section = (title: string, body: string) => out.push('', `   ${title}`, body.replace(/^/gm, '   '));
  section(
    'produce msg/s (ratio kafkalite / peer: > 1 = kafkalite faster)',
    metricTable(ran, opKeys('produce'), (p, k) => rowOf(p, k, 'produce')?.messagesPerSec ?? null, 0, false),
  );
  section(
    'produce MB/s (values)',
    metricTable(ran, opKeys('produce'), (p, k) => rowOf(p, k, 'produce')?.megabytesPerSec ?? null, 1, false),
  );
  section(
    'consume msg/s (ratio kafkalite / peer: > 1 = kafkalite faster)',
    metricTable(ran, opKeys('consume'), (p, k) => rowOf(p, k, 'consume')?.messagesPerSec ?? null, 0, false),
  );
  section(
    'consume MB/s (values)',
    metricTable(ran, opKeys('consume'), (p, k) => rowOf(p, k, 'consume')?.megabytesPerSec ?? null, 1, false),
  );
  section(
    'broker CPU seconds per million records produced (ratio peer / kafkalite: > 1 = kafkalite uses less)',
    metricTable(ran, opKeys('produce'), (p, k) => rowOf(p, k, 'produce')?.cpuSecondsPerMillion ?? null, 3, true),
  );
  section(
    'broker CPU seconds per million records consumed (ratio peer / kafkalite: > 1 = kafkalite uses less)',
    metricTable(ran, opKeys('consume'), (p, k) => rowOf(p, k, 'consume')?.cpuSecondsPerMillion ?? null, 3, true),
  );
  const single = (get: (p: PeerResult) => number | null | undefined) => (p: PeerResult) => get(p) ?? null;
  const one = (title: string, rows: [string, (p: PeerResult) => number | null][], digits: number, lowerIsBetter: boolean) =>
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
      'end-to-end latency, ms, Java producer (acks=all, linger.ms=0) -> Java consumer, 1,000 msg/s (ratio peer / kafkalite: > 1 = kafkalite lower)',
      [
        ['p50', single((p) => p.latency?.ms?.p50)],
        ['p99', single((p) => p.latency?.ms?.p99)],
        ['p99.9', single((p) => p.latency?.ms?.p999)],
        ['max', single((p) => p.latency?.ms?.max)],
      ],
      2,
      true,
    );
  }
  one(
    'memory (RSS MiB of the broker process; the mock: its python3 host) and start (ratio peer / kafkalite: > 1 = kafkalite lower)',
    [
      ['RSS idle (2 s after ready)', single((p) => p.rssIdleMiB)],
      ['RSS peak (VmHWM, whole run)', single((p) => p.rssPeakMiB)],
      ...(ran.some((r) => r.idle)
        ? ([
            ['RSS with 1,000 idle connections', single((p) => p.idle?.rssWithMiB)],
            ['CPU s while they sit 5 s', single((p) => p.idle?.cpuSecondsSitting)],
          ] as [string, (p: PeerResult) => number | null][])
        : []),
      ['start: exec to Metadata answered, ms', single((p) => p.readyMs)],
    ],
    2,
    true,
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
  out.push('');
  out.push("   Goals of issue 15 (in this run, on this machine's load):");
  for (const g of peerGoals(ran)) out.push(`   [${g.met === null ? 'n/a' : g.met ? 'met' : 'NOT met'}] ${g.goal}: ${g.detail}`);
  return out.join('\n');
}
