// The source → target offset mapping of one mirrored partition, and translating a consumer
// group's committed offsets through it.
//
// The target's offsets are dense: every record copied gets the next offset there. The source's
// are not: transaction markers, aborted records (not copied: the mirror reads read_committed)
// and records removed by compaction leave gaps. The mapping is kept as runs
// [sourceStart, targetStart, length] of records whose offsets advance together on both sides;
// a non-transactional topic is one run per mirror pass, a transactional one a run per
// transaction, a compacted one a run per stretch of surviving records. MirrorMaker 2 keeps a
// sparse version of this (OffsetSync records, org.apache.kafka.connect.mirror.OffsetSyncStore)
// and translates approximately; keeping every run makes the translation exact.
//
// A committed offset c means "the next record to read is the first at or after c". On the
// target that is the target offset of the first copied source record at or after c; when c is
// past every copied record but not past the copy position (a marker or aborted records at the
// end), it is the target position; when c is past the copy position the records it skips have
// not been copied yet and there is no translation.

export type Run = [sourceStart: number, targetStart: number, length: number];

export class PartitionMapping {
  /** Runs in source order. */
  readonly runs: Run[] = [];
  /** Next source offset to copy (everything below is copied or skipped). */
  sourceNext: number;
  /** Next target offset the copy will produce. */
  targetNext: number;

  constructor(sourceNext: number, targetNext: number) {
    this.sourceNext = sourceNext;
    this.targetNext = targetNext;
  }

  /** Record that source offset `source` was written at target offset `target`. */
  add(source: number, target: number): void {
    const last = this.runs[this.runs.length - 1];
    if (last && source < last[0] + last[2]) return; // already known (a resumed pass re-adds what it skips)
    if (last && source === last[0] + last[2] && target === last[1] + last[2]) last[2]++;
    else this.runs.push([source, target, 1]);
  }

  /** Add a run loaded from the offset-syncs topic (record by record, so it merges with what is known). */
  addRun(run: Run): void {
    for (let i = 0; i < run[2]; i++) this.add(run[0] + i, run[1] + i);
  }

  /** Runs that start at or after `fromRun` (an index into runs), for persisting what a pass added. */
  runsSince(fromRun: number, fromLength: number): Run[] {
    const out: Run[] = [];
    for (let i = fromRun; i < this.runs.length; i++) {
      const r = this.runs[i]!;
      const skip = i === fromRun ? fromLength : 0;
      if (r[2] > skip) out.push([r[0] + skip, r[1] + skip, r[2] - skip]);
    }
    return out;
  }

  /** The target offset a consumer committed at source offset `committed` resumes from; null when not copied yet. */
  translate(committed: number): number | null {
    if (committed > this.sourceNext) return null;
    // Binary search for the first run whose end is past `committed`.
    let lo = 0;
    let hi = this.runs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const r = this.runs[mid]!;
      if (r[0] + r[2] <= committed) lo = mid + 1;
      else hi = mid;
    }
    const run = this.runs[lo];
    if (!run) return this.targetNext;
    return committed <= run[0] ? run[1] : run[1] + (committed - run[0]);
  }
}

/** Serialized runs of one partition: "s,t,n;s,t,n". */
export function encodeRuns(runs: readonly Run[]): string {
  return runs.map((r) => r.join(',')).join(';');
}

export function decodeRuns(text: string): Run[] {
  if (text === '') return [];
  return text.split(';').map((part) => {
    const [s, t, n] = part.split(',').map(Number);
    if (!Number.isSafeInteger(s) || !Number.isSafeInteger(t) || !Number.isSafeInteger(n)) throw new Error(`bad offset sync ${part}`);
    return [s!, t!, n!];
  });
}
