// Repeated peer measurements (BENCH_REPEAT): which cells a round repeats, the order brokers are started in, and a
// cell's median and spread over the rounds. Pure: run-peers.ts runs the rounds, report.ts prints what these give.

/** What a round after the first may repeat: a base client's produce + consume, or a kcat-only variant's. */
export const REPEAT_CELLS = ['base-kcat', 'base-java', 'base-kafkajs', 'p100', '4producers', '1k', '10k'] as const;
export type RepeatCell = (typeof REPEAT_CELLS)[number];

/** BENCH_REPEAT_CELLS: REPEAT_CELLS names, 'base' for its three clients, 'all', or 'none'. */
export function repeatCellsOf(text: string): RepeatCell[] {
  const out = new Set<RepeatCell>();
  for (const x of text.split(',').map((s) => s.trim())) {
    if (x === '' || x === 'none') continue;
    if (x === 'all') for (const c of REPEAT_CELLS) out.add(c);
    else if (x === 'base') for (const c of ['base-kcat', 'base-java', 'base-kafkajs'] as const) out.add(c);
    else if ((REPEAT_CELLS as readonly string[]).includes(x)) out.add(x as RepeatCell);
    else throw new Error(`BENCH_REPEAT_CELLS: unknown ${JSON.stringify(x)} (one of ${REPEAT_CELLS.join(', ')}, base, all, or none)`);
  }
  return REPEAT_CELLS.filter((c) => out.has(c));
}

export interface Spread {
  /** Median of the finite values (the mean of the middle two when their count is even); null when none. */
  median: number | null;
  min: number | null;
  max: number | null;
  /** How many finite values there were. */
  n: number;
}

/** Median, min and max of the finite numbers among `values` (null, undefined and NaN are left out). */
export function spread(values: readonly (number | null | undefined)[]): Spread {
  const v = values.filter((x): x is number => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return { median: null, min: null, max: null, n: 0 };
  const mid = v.length >> 1;
  const median = v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
  return { median, min: v[0]!, max: v[v.length - 1]!, n: v.length };
}

export function median(values: readonly (number | null | undefined)[]): number | null {
  return spread(values).median;
}

/**
 * The order of the broker starts for `rounds` rounds: every broker once per round, the round's order rotated by one
 * each time (A B C, B C A, C A B, A B C...), so drift over the run hits every broker alike and no broker always runs
 * first (right after the sections before) or last.
 */
export function interleavedOrder<T>(brokers: readonly T[], rounds: number): { round: number; broker: T }[] {
  const out: { round: number; broker: T }[] = [];
  const n = brokers.length;
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < n; i++) out.push({ round, broker: brokers[(i + round) % n]! });
  }
  return out;
}

/**
 * Ratio a / b of two cells: the ratio of their medians, and the spread of the ratios round by round (round r of a
 * against round r of b: the two ran close together in time). Values are indexed by round; a round missing on either
 * side is left out of the spread. null when either median is missing or b's is 0.
 */
export function pairedRatio(
  a: readonly (number | null | undefined)[],
  b: readonly (number | null | undefined)[],
): { ratio: number; min: number; max: number; n: number } | null {
  const ma = median(a);
  const mb = median(b);
  if (ma === null || mb === null || mb === 0) return null;
  const rounds: number[] = [];
  for (let r = 0; r < Math.min(a.length, b.length); r++) {
    const x = a[r];
    const y = b[r];
    if (typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y) && y !== 0) rounds.push(x / y);
  }
  const s = spread(rounds);
  return { ratio: ma / mb, min: s.min ?? ma / mb, max: s.max ?? ma / mb, n: s.n };
}
