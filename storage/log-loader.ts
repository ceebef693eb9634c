// Start-up of one partition directory (Kafka's LogLoader.load / recoverLog):
//   1. leftovers: `*.deleted`, `*.cleaned`, `*.tmp` and index files without a .log are removed;
//      a `<base>.log.swap` (a cleaning interrupted after its output was complete) replaces the
//      segments it covers and its indexes are rebuilt.
//   2. segments below the recovery point (or every segment after a clean shutdown) are only
//      attached: a stat and a check of their indexes' first and last entries; nothing is read.
//      A missing or corrupt index is rebuilt from its segment.
//   3. after a crash, every segment from the one holding the recovery point on is recovered:
//      each batch's size, magic, CRC-32C and offset order are checked, the indexes rebuilt, the
//      .log truncated at the first invalid batch and later segments deleted (one log line says
//      which partition lost which bytes).
//   4. after a clean shutdown only the tail of the last segment after its last index entry is
//      validated (a few KiB), so start-up time follows the partition count, not the bytes stored.
//   5. a trusted image (an in-process store's copy of a log it had open, memory-store.ts) loads as
//      after a clean shutdown, with the offsets the image recorded instead of the checkpoints and
//      its tail's CRCs not recomputed (Kafka's clean reload reads the tail's headers only too,
//      LogSegment.readNextOffset).
//   6. the log start offset comes from its checkpoint (never below the first segment); a log
//      that ends below it starts over, empty, at the log start offset.

import path from 'node:path';
import type { FileSystem } from './fs/file-system.js';
import { nodeFs } from './fs/node-fs.js';
import type { StorageLogger } from './logger.js';
import { LogSegment, segmentPrefix, type SegmentEnd } from './segment.js';
import { headerWindow } from './segment-file.js';
import type { ResolvedLogConfig } from './types.js';

const SEGMENT_FILE = /^(\d{20})\.(log|index|timeindex|txnindex)$/;
const LEFTOVER = /\.(deleted|cleaned|tmp)$/;
const SWAP = /^(\d{20})\.(log|index|timeindex|txnindex)\.swap$/;

export interface LogLoaderOptions {
  dir: string;
  /** `<topic>-<partition>`, for log lines. */
  name: string;
  config: ResolvedLogConfig;
  /** Whether the data directory had `.kafka_cleanshutdown` at start-up. */
  hadCleanShutdown: boolean;
  /** From recovery-point-offset-checkpoint (0 when absent): everything below it was flushed. */
  recoveryPoint: number;
  /** From log-start-offset-checkpoint (0 when absent). */
  logStartOffset: number;
  nowMs: number;
  logger: StorageLogger;
  /**
   * The files are an image this process made of a log it had open (MemoryStore.image(): pending
   * index entries written first): load as after a clean shutdown, the last segment from the end the
   * image recorded (else its tail's headers, CRCs not recomputed). `recoveryPoint` and
   * `logStartOffset` are the image's.
   */
  trusted?: { end: SegmentEnd | null };
  /** Roll jitter for a segment created here. */
  rollJitterMs?: () => number;
  /** Where the partition directory lives (default: the real disk). */
  fs?: FileSystem;
}

export interface LoadedLog {
  /** In offset order, never empty; the last one is active. */
  segments: LogSegment[];
  logStartOffset: number;
  recoveryPoint: number;
}

export class LogLoader {
  private readonly fs: FileSystem;

  constructor(private readonly opts: LogLoaderOptions) {
    this.fs = opts.fs ?? nodeFs;
  }

  load(): LoadedLog {
    const { dir } = this.opts;
    this.fs.mkdir(dir);
    const bases = this.cleanAndListSegments();
    const segments: LogSegment[] = [];
    try {
      const clean = this.opts.hadCleanShutdown || this.opts.trusted !== undefined;
      // Recovery starts at the segment holding the recovery point (Kafka: segments.values(recoveryPoint, ∞)).
      let recoverFrom = Infinity;
      if (!clean) {
        recoverFrom = bases[0] ?? 0;
        for (const b of bases) if (b <= this.opts.recoveryPoint) recoverFrom = b;
      }
      for (let i = 0; i < bases.length; i++) {
        const base = bases[i]!;
        const isLast = i === bases.length - 1;
        const size = this.fs.stat(path.join(dir, `${segmentPrefix(base)}.log`)).size;
        const seg = LogSegment.existing(dir, base, size, this.opts.nowMs, { fs: this.fs });
        segments.push(seg);
        let truncated: boolean;
        if (base >= recoverFrom) truncated = this.recoverSegment(seg, isLast, null);
        else if (isLast) truncated = this.loadLastAfterCleanShutdown(seg);
        else truncated = this.attachInactive(seg, bases[i + 1]!);
        if (truncated && !isLast) {
          // Bytes were cut from this segment: everything after it is unreachable (Kafka deletes it).
          for (const later of bases.slice(i + 1)) LogSegment.existing(dir, later, 0, 0, { fs: this.fs }).delete();
          break;
        }
      }
      return this.finish(segments);
    } catch (err) {
      for (const seg of segments) seg.close(false);
      throw err;
    }
  }

  private finish(segments: LogSegment[]): LoadedLog {
    const { dir, nowMs } = this.opts;
    let logStartOffset = Math.max(this.opts.logStartOffset, segments[0]?.baseOffset ?? 0);
    const logEnd = segments.length > 0 ? segments[segments.length - 1]!.nextOffset : logStartOffset;
    if (segments.length > 0 && logEnd < logStartOffset) {
      this.opts.logger.warn(
        { partition: this.opts.name, logEndOffset: logEnd, logStartOffset },
        `log end offset ${logEnd} of ${this.opts.name} is below its log start offset ${logStartOffset}: starting empty`,
      );
      for (const seg of segments) seg.delete();
      segments.length = 0;
    }
    if (segments.length === 0) {
      logStartOffset = Math.max(logStartOffset, 0);
      segments.push(LogSegment.create(dir, logStartOffset, nowMs, { rollJitterMs: this.opts.rollJitterMs?.(), fs: this.fs }));
    }
    const last = segments[segments.length - 1]!;
    last.makeActive();
    const leo = last.nextOffset;
    const recoveryPoint = this.opts.hadCleanShutdown ? leo : Math.min(Math.max(this.opts.recoveryPoint, 0), leo);
    return { segments, logStartOffset, recoveryPoint };
  }

  /** Remove leftovers, complete interrupted swaps, and return the base offsets of the .log files, ascending. */
  private cleanAndListSegments(): number[] {
    const { dir } = this.opts;
    let names = this.fs.readdir(dir);
    for (const name of names) {
      if (LEFTOVER.test(name)) this.fs.remove(path.join(dir, name), { recursive: true });
    }
    const swaps = names.filter((n) => SWAP.exec(n)?.[2] === 'log');
    for (const swap of swaps) this.completeSwap(swap);
    names = this.fs.readdir(dir);
    const logs = new Set<string>();
    for (const name of names) {
      const m = SEGMENT_FILE.exec(name);
      if (m && m[2] === 'log') logs.add(m[1]!);
    }
    for (const name of names) {
      const m = SEGMENT_FILE.exec(name);
      if (SWAP.test(name) || (m && m[2] !== 'log' && !logs.has(m[1]!))) {
        this.fs.remove(path.join(dir, name), { recursive: true });
      }
    }
    return [...logs].map(Number).sort((a, b) => a - b);
  }

  /**
   * A `.log.swap` is a complete cleaned segment whose swap-in was interrupted: it replaces every
   * segment whose base lies in its offset range (Kafka's LogLoader.removeAndCleanupFiles/swap).
   */
  private completeSwap(swapName: string): void {
    const { dir } = this.opts;
    const base = Number(swapName.slice(0, 20));
    const swapPath = path.join(dir, swapName);
    const lastOffset = lastOffsetIn(swapPath, this.fs);
    for (const name of this.fs.readdir(dir)) {
      const m = SEGMENT_FILE.exec(name);
      if (!m) continue;
      const other = Number(m[1]);
      if (other >= base && other <= lastOffset) this.fs.remove(path.join(dir, name));
    }
    const finalPath = path.join(dir, `${segmentPrefix(base)}.log`);
    this.fs.rename(swapPath, finalPath);
    this.opts.logger.warn(
      { partition: this.opts.name, segment: path.basename(finalPath), lastOffset },
      'completed an interrupted log cleaner swap',
    );
  }

  /**
   * Recover one segment from byte 0 (rebuild its indexes, truncate an invalid tail). `indexProblem`
   * is why it is being rebuilt outside crash recovery (logged unless the tail was cut, which is
   * logged instead). Returns true if bytes were cut.
   */
  private recoverSegment(seg: LogSegment, isLast: boolean, indexProblem: string | null): boolean {
    const result = seg.recover(0, this.opts.config.indexIntervalBytes);
    return this.afterRecovery(seg, isLast, result, indexProblem);
  }

  private afterRecovery(
    seg: LogSegment,
    isLast: boolean,
    result: { truncatedBytes: number; originalSize: number; problem: string | null },
    indexProblem: string | null,
    rebuilt = true,
  ): boolean {
    const truncated = result.truncatedBytes > 0;
    if (!isLast) seg.writeFinalTimeIndexEntry(); // as the roll that made it inactive did
    if (rebuilt || truncated) {
      seg.offsetIndex.rewrite();
      seg.timeIndex.rewrite();
    }
    if (truncated) {
      this.warnTruncated(seg, result.originalSize - result.truncatedBytes, result.originalSize, result.problem, !isLast);
    } else if (indexProblem !== null) {
      this.opts.logger.warn(
        { partition: this.opts.name, segment: path.basename(seg.logPath), problem: indexProblem },
        `rebuilt the indexes of ${this.opts.name} segment ${path.basename(seg.logPath)}: ${indexProblem}`,
      );
    }
    if (!isLast || truncated) {
      seg.makeReadOnly();
      seg.offsetIndex.unload();
      seg.timeIndex.unload();
    }
    return truncated;
  }

  /** A segment before the recovery point (or any but the last after a clean shutdown): O(1) checks. */
  private attachInactive(seg: LogSegment, nextBase: number): boolean {
    const problem = seg.offsetIndex.attachChecked(seg.size, nextBase) ?? seg.timeIndex.attachChecked(nextBase);
    if (problem === null) return false;
    return this.recoverSegment(seg, false, problem);
  }

  /** The last segment after a clean shutdown: validate only what follows its last index entry. */
  private loadLastAfterCleanShutdown(seg: LogSegment): boolean {
    const end = this.opts.trusted?.end;
    if (end && seg.loadEnd(end)) return false;
    const problem = seg.offsetIndex.loadChecked(seg.size, Infinity) ?? seg.timeIndex.loadChecked(Infinity);
    if (problem !== null) return this.recoverSegment(seg, true, problem);
    const from = seg.offsetIndex.lastEntry()?.position ?? 0;
    let result = seg.recover(from, this.opts.config.indexIntervalBytes, false, this.opts.trusted === undefined);
    let rebuilt = false;
    if (result.problem !== null) {
      result = seg.recover(0, this.opts.config.indexIntervalBytes);
      rebuilt = true;
    }
    // Entries the tail scan added (or a tail cut) reach the files at the first append at the latest:
    // an index opened for appends is rewritten when its file differs from memory.
    return this.afterRecovery(seg, true, result, null, rebuilt);
  }

  private warnTruncated(seg: LogSegment, from: number, to: number, problem: string | null, laterDeleted: boolean): void {
    this.opts.logger.warn(
      {
        partition: this.opts.name,
        segment: path.basename(seg.logPath),
        lostBytes: { from, to },
        reason: problem,
        ...(laterDeleted ? { laterSegmentsDeleted: true } : {}),
      },
      `truncated invalid tail of ${this.opts.name}: bytes [${from}, ${to}) of ${path.basename(seg.logPath)} dropped`,
    );
  }
}

/** Last offset of the last whole batch of a segment file, by walking headers (base − 1 if none). */
function lastOffsetIn(file: string, fs: FileSystem): number {
  const size = fs.stat(file).size;
  const base = Number(path.basename(file).slice(0, 20));
  const seg = LogSegment.existing(path.dirname(file), base, size, 0, { suffix: '.swap', fs });
  let last = base - 1;
  try {
    for (let pos = 0, h = seg.headerAt(0); h && pos + h.sizeInBytes <= size; h = seg.headerAt(pos)) {
      last = h.lastOffset;
      pos += h.sizeInBytes;
    }
  } finally {
    seg.close(false);
    headerWindow.invalidate(seg);
  }
  return last;
}
