// "Did you mean ...?" for names a user typed: the known name closest to an unknown one, by
// optimal-string-alignment distance (Levenshtein plus swapping two neighbours) over the names
// lowercased and stripped of separators, so `numPartitions`, `num_partitions` and
// `num.partiitons` all find `num.partitions`. Used for startBroker() options
// (broker/options.ts) and for Kafka config keys (config/index.ts).

/** Lowercased, without '.', '-', '_' and spaces: the form names are compared in. */
function normalize(name: string): string {
  return name.toLowerCase().replace(/[-_.\s]/g, '');
}

/** Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  // Three rows of the dynamic-programming table: two back (for swaps), previous, current.
  let before = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      cur[j] = d;
    }
    [before, prev, cur] = [prev, cur, before];
  }
  return prev[b.length]!;
}

/** How many edits a name of this (normalized) length may be away and still count as a typo. */
function tolerance(length: number): number {
  return length <= 4 ? 1 : length <= 12 ? 2 : 3;
}

/** The known name closest to `name`, when it is close enough to be what was meant; else undefined. */
export function nearestName(name: string, known: Iterable<string>): string | undefined {
  const n = normalize(name);
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const d = editDistance(n, normalize(candidate));
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= tolerance(n.length) ? best : undefined;
}

/** ` (did you mean 'name'?)` when a known name is close to `name`, else ''. */
export function didYouMean(name: string, known: Iterable<string>, prefix = ''): string {
  const near = nearestName(name, known);
  return near === undefined ? '' : ` (did you mean '${prefix}${near}'?)`;
}
