// Summarize a V8 .cpuprofile (from `node --cpu-prof`): the functions with the most self time
// and the most total time, with file:line.
//
//   node dist/test/bench/profile-top.js <file.cpuprofile> [count]

import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from './cli-broker.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface HotSpot {
  function: string;
  location: string;
  selfMs: number;
  selfPct: number;
  totalMs: number;
  totalPct: number;
}

const maps = new Map<string, SourceMap | null>();
function sourceMapOf(file: string): SourceMap | null {
  let m = maps.get(file);
  if (m === undefined) {
    m = existsSync(`${file}.map`) ? new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8'))) : null;
    maps.set(file, m);
  }
  return m;
}

/** file:line (1-based) of a call frame, mapped back to the .ts source when dist/ has a source map. */
function location(cf: ProfileNode['callFrame']): string {
  if (!cf.url) return '(native)';
  if (!cf.url.startsWith('file://')) return `${cf.url}:${cf.lineNumber + 1}`;
  const file = fileURLToPath(cf.url);
  const map = sourceMapOf(file);
  const entry = map?.findEntry(cf.lineNumber, cf.columnNumber) as { originalSource?: string; originalLine?: number } | undefined;
  if (entry?.originalSource && entry.originalLine !== undefined) {
    const src = entry.originalSource.startsWith('file://')
      ? fileURLToPath(entry.originalSource)
      : resolve(dirname(file), entry.originalSource);
    return `${relative(REPO_ROOT, src)}:${entry.originalLine + 1}`;
  }
  return `${relative(REPO_ROOT, file)}:${cf.lineNumber + 1}`;
}

export function hotSpots(path: string, count = 25): { durationMs: number; sampledMs: number; bySelf: HotSpot[]; byTotal: HotSpot[] } {
  const prof = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  // Self time per node from samples and time deltas (microseconds).
  const selfUs = new Map<number, number>();
  const samples = prof.samples ?? [];
  const deltas = prof.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const dt = deltas[i + 1] ?? deltas[i] ?? 0;
    selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + dt);
  }
  const sampledUs = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'}\u0000${location(n.callFrame)}`;
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  for (const n of prof.nodes) {
    const us = selfUs.get(n.id) ?? 0;
    if (us === 0) continue;
    self.set(key(n), (self.get(key(n)) ?? 0) + us);
    // Inclusive: credit every distinct function on the stack once.
    const onStack = new Set<string>();
    for (let id: number | undefined = n.id; id !== undefined; id = parent.get(id)) {
      const k = key(byId.get(id)!);
      if (onStack.has(k)) continue;
      onStack.add(k);
      total.set(k, (total.get(k) ?? 0) + us);
    }
  }
  const spot = (k: string): HotSpot => {
    const [fn, loc] = k.split('\u0000') as [string, string];
    const s = self.get(k) ?? 0;
    const t = total.get(k) ?? 0;
    return {
      function: fn,
      location: loc,
      selfMs: Math.round(s / 1000),
      selfPct: Math.round((1000 * s) / sampledUs) / 10,
      totalMs: Math.round(t / 1000),
      totalPct: Math.round((1000 * t) / sampledUs) / 10,
    };
  };
  const skip = (k: string) => /^\((root|program|idle)\)/.test(k);
  const bySelf = [...self.keys()]
    .sort((a, b) => self.get(b)! - self.get(a)!)
    .slice(0, count)
    .map(spot);
  const byTotal = [...total.keys()]
    .filter((k) => !skip(k))
    .sort((a, b) => total.get(b)! - total.get(a)!)
    .slice(0, count)
    .map(spot);
  return { durationMs: Math.round((prof.endTime - prof.startTime) / 1000), sampledMs: Math.round(sampledUs / 1000), bySelf, byTotal };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node dist/test/bench/profile-top.js <file.cpuprofile> [count]');
    process.exit(2);
  }
  const r = hotSpots(file, Number(process.argv[3] ?? 25));
  console.log(`profile: ${r.durationMs} ms, ${r.sampledMs} ms sampled`);
  const show = (title: string, rows: HotSpot[]) => {
    console.log(`\n${title}`);
    for (const h of rows) {
      console.log(
        `${String(h.selfMs).padStart(7)} ms ${h.selfPct.toFixed(1).padStart(5)}% self  ${String(h.totalMs).padStart(7)} ms ` +
          `${h.totalPct.toFixed(1).padStart(5)}% total  ${h.function}  ${h.location}`,
      );
    }
  };
  show('by self time', r.bySelf);
  show('by total time', r.byTotal);
}
