// Small helpers for the benchmarks: percentiles, number formatting, a plain-text table,
// a process's resident memory.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface Summary {
  n: number;
  min: number;
  median: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    n: sorted.length,
    min: round(sorted[0] ?? NaN),
    median: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? NaN),
    mean: round(sum / sorted.length),
  };
}

export function round(x: number, digits = 3): number {
  const m = 10 ** digits;
  return Math.round(x * m) / m;
}

/** 1234567 -> '1,234,567'. */
export function int(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

export function fixed(x: number, digits = 2): string {
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

/** A text table: right-aligns cells that look numeric. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const numeric = /^[-+]?[\d,.]+( ?[a-zA-Z%/]+)?$/;
  const line = (r: string[], header = false) =>
    r
      .map((c, i) => (!header && numeric.test(c) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const sep = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(cells[0]!, true), sep, ...cells.slice(1).map((r) => line(r))].join('\n');
}

/** VmRSS and VmHWM (peak RSS) of a process, from /proc/<pid>/status; null if gone. */
export function rssKiB(pid: number | 'self'): { rssKiB: number; hwmKiB: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /VmRSS:\s+(\d+) kB/.exec(text);
    const hwm = /VmHWM:\s+(\d+) kB/.exec(text);
    return rss ? { rssKiB: Number(rss[1]), hwmKiB: hwm ? Number(hwm[1]) : NaN } : null;
  } catch {
    return null;
  }
}

let gcFn: (() => void) | null = null;
/** A full garbage collection (without needing --expose-gc on the command line). */
export function forceGc(): void {
  if (!gcFn) {
    setFlagsFromString('--expose-gc');
    gcFn = runInNewContext('gc') as () => void;
  }
  gcFn();
}

let clockTicks: number | null = null;
/** User + system CPU seconds a process has used so far, from /proc/<pid>/stat; null if gone. */
export function cpuSeconds(pid: number | 'self'): number | null {
  if (pid === 'self') {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the ')' that ends the command name: state is field 3; utime, stime are 14, 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    return (Number(fields[11]) + Number(fields[12])) / clockTicks;
  } catch {
    return null;
  }
}
