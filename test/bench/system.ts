// The machine around a measurement: dirty page cache still being written back (proc(5): /proc/meminfo Dirty and
// Writeback), bytes written to the block devices (/proc/diskstats), and the 1-minute load average sampled while a
// section runs. settle() is what every peer measurement waits for first (peers/run-peers.ts), so a broker is not
// measured while the kernel flushes what an earlier section or broker wrote.

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { spread, type Spread } from './peers/repeat.js';
import { round } from './stats.js';

/** Dirty and Writeback of /proc/meminfo, MiB; null where there is no /proc. */
export function dirtyMiB(): { dirty: number; writeback: number } | null {
  try {
    const text = readFileSync('/proc/meminfo', 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
    return { dirty: round(kb('Dirty') / 1024, 1), writeback: round(kb('Writeback') / 1024, 1) };
  } catch {
    return null;
  }
}

let disks: string[] | null = null;
/** Sectors (512 B) written so far to the whole disks (/sys/block, without loop, ram and zram devices), as MiB; null without /proc. */
export function diskWrittenMiB(): number | null {
  try {
    disks ??= readdirSync('/sys/block').filter((d) => !/^(loop|ram|zram)/.test(d));
    let sectors = 0;
    for (const line of readFileSync('/proc/diskstats', 'utf8').split('\n')) {
      const f = line.trim().split(/\s+/);
      if (f[2] && disks.includes(f[2])) sectors += Number(f[9]);
    }
    return round((sectors * 512) / 1048576, 1);
  } catch {
    return null;
  }
}

/** CPU seconds the whole machine spent busy (every state but idle and iowait) and in iowait so far, from /proc/stat; null without /proc. */
export function machineCpu(): { busy: number; iowait: number } | null {
  try {
    const f = /^cpu\s+(.*)$/m.exec(readFileSync('/proc/stat', 'utf8'))![1]!.split(/\s+/).map(Number);
    // user nice system idle iowait irq softirq steal (guest and guest_nice are inside user and nice)
    const [user, nice, system, , iowait, irq, softirq, steal] = f as [number, number, number, number, number, number, number, number];
    const ticks = 100; // USER_HZ, 100 on every Linux architecture Node runs on
    return { busy: (user + nice + system + irq + softirq + steal) / ticks, iowait: iowait / ticks };
  } catch {
    return null;
  }
}

export interface Settled {
  /** Dirty + Writeback before `sync`, and when the wait ended, MiB. */
  dirtyBeforeMiB: number | null;
  dirtyAfterMiB: number | null;
  /** `sync` plus the wait for Dirty + Writeback to fall under the bound. */
  ms: number;
  /** The bound was not reached in time (another process keeps writing). */
  timedOut: boolean;
}

/** BENCH_SETTLE=0 turns settle() into a no-op (the figures are then taken with whatever the kernel is flushing). */
export const SETTLE = process.env.BENCH_SETTLE !== '0';
const SETTLE_DIRTY_MIB = Number(process.env.BENCH_SETTLE_DIRTY_MB ?? 32);
const SETTLE_TIMEOUT_MS = 15_000;

/**
 * `sync` (every dirty page of the machine written and waited for), then waits until Dirty + Writeback is under
 * BENCH_SETTLE_DIRTY_MB (default 32 MiB) or 15 s passed. Other processes may keep writing: the figures say how much.
 */
export async function settle(): Promise<Settled> {
  const sum = () => {
    const d = dirtyMiB();
    return d ? round(d.dirty + d.writeback, 1) : null;
  };
  const dirtyBeforeMiB = sum();
  if (!SETTLE) return { dirtyBeforeMiB, dirtyAfterMiB: dirtyBeforeMiB, ms: 0, timedOut: false };
  const t0 = performance.now();
  spawnSync('sync', [], { stdio: 'ignore', timeout: SETTLE_TIMEOUT_MS });
  let now = sum();
  while (now !== null && now > SETTLE_DIRTY_MIB && performance.now() - t0 < SETTLE_TIMEOUT_MS) {
    await new Promise((r) => setTimeout(r, 100));
    now = sum();
  }
  const ms = performance.now() - t0;
  return { dirtyBeforeMiB, dirtyAfterMiB: now, ms: round(ms, 0), timedOut: now !== null && now > SETTLE_DIRTY_MIB };
}

/** The 1-minute load average, sampled every `everyMs` from start() until stop(): median, min and max. */
export class LoadSampler {
  private readonly samples: number[] = [];
  private timer: NodeJS.Timeout | null = null;
  constructor(private readonly everyMs = 2000) {}

  start(): this {
    this.samples.push(loadavg()[0]!);
    this.timer = setInterval(() => this.samples.push(loadavg()[0]!), this.everyMs);
    this.timer.unref();
    return this;
  }

  stop(): LoadFigure {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.samples.push(loadavg()[0]!);
    return loadFigure(this.samples);
  }
}

export type LoadFigure = Spread;

export function loadFigure(samples: number[]): LoadFigure {
  const s = spread(samples);
  const r = (x: number | null) => (x === null ? null : round(x, 2));
  return { median: r(s.median), min: r(s.min), max: r(s.max), n: s.n };
}

/** Several sampled loads as one: the median of their medians, the lowest min and the highest max. */
export function combineLoad(figures: readonly (LoadFigure | undefined)[]): LoadFigure {
  const f = figures.filter((x): x is LoadFigure => x !== undefined && x.n > 0);
  const lo = spread(f.map((x) => x.min));
  const hi = spread(f.map((x) => x.max));
  const r = (x: number | null) => (x === null ? null : round(x, 2));
  return { median: r(spread(f.map((x) => x.median)).median), min: lo.min, max: hi.max, n: f.reduce((a, x) => a + x.n, 0) };
}
