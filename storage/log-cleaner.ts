// One cleaning pass over one log (Kafka's Cleaner.doClean), for both stores: build the offset
// map over the dirty range, group the segments below its end, and rewrite each group into one
// segment holding only surviving records. The store supplies how to read a segment's batches
// and how to write a group's replacement: in memory it swaps arrays; on disk (DiskGroupWriter)
// it writes `<base>.log.cleaned` (+ indexes), renames it `.swap`, renames the old segments
// `.deleted` (removed file.delete.delay.ms later) and the swap to its final name.

import { fsyncDir } from './atomic-file.js';
import type { FileSystem } from './fs/file-system.js';
import {
  OffsetMap,
  cleanableRange,
  filterBatch,
  groupSegments,
  shouldClean,
  type CleanerView,
  type FilteredBatch,
  type GroupItem,
} from './compaction.js';
import { LogSegment } from './segment.js';
import type { ResolvedLogConfig } from './types.js';

/** Receives the surviving batches of one group, in offset order. */
export interface GroupWriter {
  add(batch: FilteredBatch): void;
  /** Put the new segment in place of the group's segments. */
  finish(): void;
  /** Drop the replacement being written (a pass ended early); the group's segments stay. */
  abort?(): void;
}

export interface CleanableLog extends CleanerView {
  /** Batches of segment i, oldest first. */
  batchesOf(i: number): Iterable<Buffer>;
  groupItem(i: number): GroupItem;
  /** Start replacing segments [first, first + count) with one segment. */
  beginGroup(first: number, count: number): GroupWriter;
}

export interface CleanOutcome {
  /** The new first dirty offset (cleaner checkpoint). */
  endOffset: number;
  /** Largest delete horizon of batches that still hold tombstones (-1 if none). */
  latestDeleteHorizon: number;
  segmentsCleaned: number;
  batchesRemoved: number;
}

/**
 * One cleaning pass's settings: `checkpoint` is the first dirty offset recorded so far (null:
 * never cleaned), `mapCapacity` the most keys the offset map may hold.
 */
export interface CleaningPass {
  config: ResolvedLogConfig;
  nowMs: number;
  checkpoint: number | null;
  mapCapacity: number;
  latestDeleteHorizon: number;
}

/** Clean `log` if it is cleanable now; null when it is not. */
export function runCleaning(log: CleanableLog, pass: CleaningPass): CleanOutcome | null {
  const steps = cleaningSteps(log, pass);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * runCleaning as steps: it yields the size of every batch it reads or filters after doing so, so that a caller with a
 * time budget (LogManager's cleaner, storage/log-manager.ts) can give the event loop back in
 * between and go on later. Between steps the log may grow (appends, rolls: only past the range
 * cleaned); retention and closing wait for the pass or end it (`return()` runs the `finally`,
 * which drops the half-written group).
 */
export function* cleaningSteps(log: CleanableLog, pass: CleaningPass): Generator<number, CleanOutcome | null> {
  const { config, nowMs, checkpoint, mapCapacity, latestDeleteHorizon } = pass;
  const range = cleanableRange(log, config, nowMs, checkpoint);
  if (!shouldClean(range, config, latestDeleteHorizon, nowMs)) return null;
  const last = log.segmentCount - 1;
  const upper = (i: number) => (i < last ? log.baseOffset(i + 1) : log.logEndOffset);

  // The map covers whole dirty segments, as many as fit (at least one).
  const map = new OffsetMap(mapCapacity);
  let endOffset = range.firstDirtyOffset;
  for (let i = 0; i < last; i++) {
    if (upper(i) <= range.firstDirtyOffset) continue;
    if (upper(i) > range.firstUncleanableOffset) break;
    if (map.size > 0 && map.size >= mapCapacity) break;
    for (const batch of log.batchesOf(i)) {
      map.addBatch(batch);
      yield batch.length;
    }
    endOffset = upper(i);
  }

  // Every segment below endOffset that still holds offsets at or above the log start.
  const chosen: number[] = [];
  for (let i = 0; i < last && upper(i) <= endOffset; i++) if (upper(i) > log.logStartOffset) chosen.push(i);
  if (chosen.length === 0) return { endOffset, latestDeleteHorizon: -1, segmentsCleaned: 0, batchesRemoved: 0 };
  const groups = groupSegments(
    chosen.map((i) => log.groupItem(i)),
    config.segmentBytes,
    config.segmentIndexBytes,
  );
  let horizon = -1;
  let removed = 0;
  // Last group first, so that replacing a group does not move the indices of the earlier ones.
  for (let g = groups.length - 1; g >= 0; g--) {
    const group = groups[g]!.map((k) => chosen[k]!);
    const writer = log.beginGroup(group[0]!, group.length);
    let finished = false;
    try {
      for (const i of group) {
        for (const batch of log.batchesOf(i)) {
          const kept = filterBatch(batch, map, nowMs, config.deleteRetentionMs);
          if (kept.bytes === null) removed++;
          else {
            writer.add(kept);
            if (kept.tombstoneHorizon > horizon) horizon = kept.tombstoneHorizon;
          }
          yield batch.length;
        }
      }
      writer.finish();
      finished = true;
    } finally {
      if (!finished) writer.abort?.();
    }
  }
  return { endOffset, latestDeleteHorizon: horizon, segmentsCleaned: chosen.length, batchesRemoved: removed };
}

/** What a disk log gives the group writer. */
export interface DiskCleanTarget {
  readonly dir: string;
  readonly fs: FileSystem;
  readonly segmentList: readonly LogSegment[];
  readonly indexIntervalBytes: number;
  readonly nowMs: number;
  /** Rename a replaced segment's files `.deleted` and remove them later. */
  retire(seg: LogSegment): void;
  /** Put `replacement` in place of segments [first, first + count) in the log's list. */
  replace(first: number, count: number, replacement: LogSegment): void;
}

/** Builds one cleaned segment on disk and swaps it in (Kafka's Cleaner.cleanSegments; `.cleaned` / `.swap` files). */
export class DiskGroupWriter implements GroupWriter {
  private readonly out: LogSegment;
  private readonly old: LogSegment[];

  constructor(
    private readonly target: DiskCleanTarget,
    private readonly first: number,
    count: number,
  ) {
    this.old = target.segmentList.slice(first, first + count);
    this.out = LogSegment.create(target.dir, this.old[0]!.baseOffset, this.old[0]!.createdMs, { suffix: '.cleaned', fs: target.fs });
  }

  add(batch: FilteredBatch): void {
    const h = batch.header!;
    this.out.append(batch.bytes!, h.lastOffset, h.maxTimestamp, h.lastOffset, this.target.indexIntervalBytes);
  }

  abort(): void {
    this.out.delete();
  }

  finish(): void {
    this.out.onBecomeInactive();
    this.out.flush();
    swapIn(this.target, this.first, this.old, this.out);
  }
}

/** Put the flushed `.cleaned` segment `out` in place of `old` (segments [first, first + old.length)): `.swap`, retire, final name. */
export function swapIn(target: DiskCleanTarget, first: number, old: readonly LogSegment[], out: LogSegment): void {
  out.changeSuffix('.swap');
  fsyncDir(target.dir, target.fs);
  for (const seg of old) target.retire(seg);
  out.changeSuffix('');
  fsyncDir(target.dir, target.fs);
  target.replace(first, old.length, out);
}

/** Every whole batch of a segment, read one at a time. */
export function* segmentBatches(seg: LogSegment): Generator<Buffer> {
  let pos = 0;
  for (let h = seg.headerAt(0); h; h = seg.headerAt(pos)) {
    yield seg.read(h.position, h.sizeInBytes);
    pos += h.sizeInBytes;
  }
}

// ---- a pass in a worker thread (the real disk: storage/cleaner-worker.ts) ------------------------

/** One segment as the worker sees it: its view values, frozen when the pass starts. */
export interface SegmentSnapshot extends GroupItem {
  sizeBytes: number;
  createdMs: number;
  largestTimestamp: number;
  firstBatchTimestamp: number;
}

/** Everything a worker needs to run one pass over a log's files (structured-cloneable). */
export interface CleanRequest extends CleaningPass {
  dir: string;
  logStartOffset: number;
  logEndOffset: number;
  highWatermark: number;
  /** Every segment, the active one last (never cleaned). */
  segments: SegmentSnapshot[];
}

/** A group the worker wrote: `<base>.log.cleaned` (+ indexes), flushed, to replace segments [first, first + count). */
export interface CleanedGroup {
  first: number;
  count: number;
  baseOffset: number;
  size: number;
}

export interface CleanResult {
  outcome: CleanOutcome | null;
  /** In the order written: last group first. */
  groups: CleanedGroup[];
}

/** runCleaning over the files a CleanRequest names (run by the worker, on the real disk). */
export function cleanFiles(req: CleanRequest, fs: FileSystem): CleanResult {
  const segs = req.segments;
  const groups: CleanedGroup[] = [];
  const log: CleanableLog = {
    segmentCount: segs.length,
    baseOffset: (i) => segs[i]!.baseOffset,
    sizeOf: (i) => segs[i]!.sizeBytes,
    largestTimestamp: (i) => segs[i]!.largestTimestamp,
    firstBatchTimestamp: (i) => segs[i]!.firstBatchTimestamp,
    highWatermark: req.highWatermark,
    logStartOffset: req.logStartOffset,
    logEndOffset: req.logEndOffset,
    *batchesOf(i) {
      const s = segs[i]!;
      const seg = LogSegment.existing(req.dir, s.baseOffset, s.sizeBytes, s.createdMs, { fs });
      try {
        yield* segmentBatches(seg);
      } finally {
        seg.close(false);
      }
    },
    groupItem: (i) => {
      const { baseOffset, upperOffset, size, offsetIndexBytes, timeIndexBytes } = segs[i]!;
      return { baseOffset, upperOffset, size, offsetIndexBytes, timeIndexBytes };
    },
    beginGroup(first, count): GroupWriter {
      const base = segs[first]!;
      const out = LogSegment.create(req.dir, base.baseOffset, base.createdMs, { suffix: '.cleaned', fs });
      return {
        add: (b) => out.append(b.bytes!, b.header!.lastOffset, b.header!.maxTimestamp, b.header!.lastOffset, req.config.indexIntervalBytes),
        abort: () => out.delete(),
        finish() {
          out.onBecomeInactive();
          out.close(true);
          groups.push({ first, count, baseOffset: base.baseOffset, size: out.size });
        },
      };
    },
  };
  try {
    const outcome = runCleaning(log, req);
    return { outcome, groups };
  } catch (err) {
    for (const g of groups) LogSegment.existing(req.dir, g.baseOffset, g.size, 0, { suffix: '.cleaned', fs }).delete();
    throw err;
  }
}

/** The request for a worker pass over a disk log, with each segment's view values taken now. */
export function cleanRequest(log: CleanableLog, segs: readonly LogSegment[], dir: string, pass: CleaningPass): CleanRequest {
  return {
    ...pass,
    dir,
    logStartOffset: log.logStartOffset,
    logEndOffset: log.logEndOffset,
    highWatermark: log.highWatermark,
    segments: segs.map((seg, i) => ({
      ...log.groupItem(i),
      sizeBytes: seg.size,
      createdMs: seg.createdMs,
      largestTimestamp: log.largestTimestamp(i),
      firstBatchTimestamp: log.firstBatchTimestamp(i),
    })),
  };
}

/**
 * Swap a worker pass's cleaned segments in, on the main thread. The log may only have grown past
 * the pass since it began (retention skips a log being cleaned; a truncation or close abandons the
 * pass first): a group whose segments are not the ones the worker read fails the whole result.
 */
export function completeCleaning(target: DiskCleanTarget, req: CleanRequest, result: CleanResult): void {
  const list = target.segmentList;
  for (const g of result.groups) {
    for (let k = 0; k < g.count; k++) {
      if (list[g.first + k]?.baseOffset !== req.segments[g.first + k]!.baseOffset || g.first + g.count >= list.length)
        throw new Error(`the segments of ${target.dir} changed during a cleaning pass`);
    }
  }
  const swaps = result.groups.map((g) => {
    const old = list.slice(g.first, g.first + g.count);
    const out = LogSegment.existing(target.dir, g.baseOffset, g.size, old[0]!.createdMs, { suffix: '.cleaned', fs: target.fs });
    const problem = out.offsetIndex.attach() ?? out.timeIndex.attach();
    if (problem) throw new Error(`cleaned segment ${out.logPath}: index ${problem}`);
    return { first: g.first, old, out };
  });
  // swapIn's steps for every group at once: two directory fsyncs in all, not two per group.
  for (const s of swaps) s.out.changeSuffix('.swap');
  fsyncDir(target.dir, target.fs);
  for (const s of swaps) for (const seg of s.old) target.retire(seg);
  for (const s of swaps) s.out.changeSuffix('');
  fsyncDir(target.dir, target.fs);
  // Last group first, so each replacement leaves the earlier groups' indices alone.
  for (const s of swaps) target.replace(s.first, s.old.length, s.out);
}

/** Remove the `.cleaned` files of a worker pass that is not swapped in. */
export function discardCleaned(dir: string, fs: FileSystem, result: CleanResult): void {
  for (const g of result.groups) LogSegment.existing(dir, g.baseOffset, g.size, 0, { suffix: '.cleaned', fs }).delete();
}
