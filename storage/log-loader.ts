// Start-up of one partition directory (LogLoader.load, README §8.12), reduced to what this
// version needs:
//   1. drop leftovers (`*.deleted`, `*.cleaned`, `*.swap`, `*.tmp`, index files with no .log);
//   2. open every segment in offset order; a segment whose index is missing or fails its sanity
//      check is recovered (validated, indexes rebuilt); if that cut bytes, later segments go;
//   3. recover the last segment: after a clean shutdown from its last offset-index entry, else
//      from byte 0 (checking size, magic, CRC-32C, offset order) and truncate an invalid tail;
//   4. an empty directory gets one empty segment at the log start offset.
// Later (recovery point, log-start-offset checkpoint, producer state, leader epochs) slots in here.

import fs from 'node:fs';
import path from 'node:path';
import type { StorageLogger } from './logger.js';
import { LogSegment, segmentPrefix } from './segment.js';
import type { LogConfig } from './types.js';

const SEGMENT_FILE = /^(\d{20})\.(log|index|timeindex|txnindex)$/;
const LEFTOVER = /\.(deleted|cleaned|swap|tmp)$/;

export interface LogLoaderOptions {
  dir: string;
  /** `<topic>-<partition>`, for log lines. */
  name: string;
  config: LogConfig;
  /** Whether the data directory had `.kafka_cleanshutdown` at start-up. */
  hadCleanShutdown: boolean;
  /** First offset of the log when it has no segments yet. */
  logStartOffset: number;
  nowMs: number;
  logger: StorageLogger;
}

export class LogLoader {
  constructor(private readonly opts: LogLoaderOptions) {}

  /** Segments in offset order; the last one is active (writable). Never empty. */
  load(): LogSegment[] {
    const { dir } = this.opts;
    fs.mkdirSync(dir, { recursive: true });
    const bases = this.cleanAndListSegments();
    const segments: LogSegment[] = [];
    try {
      for (let i = 0; i < bases.length; i++) {
        const base = bases[i]!;
        const isLast = i === bases.length - 1;
        const size = fs.statSync(path.join(dir, `${segmentPrefix(base)}.log`)).size;
        const seg = LogSegment.existing(dir, base, size, this.opts.nowMs);
        segments.push(seg);
        if (isLast) {
          this.recoverLast(seg);
          break;
        }
        if (this.loadInactive(seg, bases[i + 1]!)) {
          // Bytes were cut from this segment: everything after it is unreachable (Kafka deletes it).
          for (const later of bases.slice(i + 1)) LogSegment.existing(dir, later, 0, 0).delete();
          seg.makeActive();
          break;
        }
      }
      if (segments.length === 0) segments.push(LogSegment.create(dir, this.opts.logStartOffset, this.opts.nowMs));
      return segments;
    } catch (err) {
      for (const seg of segments) seg.close(false);
      throw err;
    }
  }

  /** Remove leftovers and return the base offsets of the .log files, ascending. */
  private cleanAndListSegments(): number[] {
    const { dir } = this.opts;
    const names = fs.readdirSync(dir);
    const logs = new Set<string>();
    for (const name of names) {
      const m = SEGMENT_FILE.exec(name);
      if (m && m[2] === 'log') logs.add(m[1]!);
    }
    for (const name of names) {
      const m = SEGMENT_FILE.exec(name);
      if (LEFTOVER.test(name) || (m && m[2] !== 'log' && !logs.has(m[1]!))) {
        fs.rmSync(path.join(dir, name), { force: true, recursive: true });
      }
    }
    return [...logs].map(Number).sort((a, b) => a - b);
  }

  /** Load the indexes of a segment that is not the last; recover it if they look wrong. Returns true if bytes were cut. */
  private loadInactive(seg: LogSegment, nextBase: number): boolean {
    const indexProblem = seg.offsetIndex.loadChecked(seg.size, nextBase);
    const timeProblem = seg.timeIndex.loadChecked(nextBase);
    if (indexProblem === null && timeProblem === null) return false;
    this.opts.logger.warn(
      { partition: this.opts.name, segment: seg.logPath, problem: indexProblem ?? timeProblem },
      'rebuilding segment indexes',
    );
    const result = seg.recover(0, this.opts.config.indexIntervalBytes);
    seg.writeFinalTimeIndexEntry(); // as the roll that made it inactive did
    seg.offsetIndex.rewrite();
    seg.timeIndex.rewrite();
    if (result.truncatedBytes > 0) {
      this.warnTruncated(seg, result.originalSize - result.truncatedBytes, result.originalSize, result.problem, true);
      return true;
    }
    seg.makeReadOnly();
    return false;
  }

  private recoverLast(seg: LogSegment): void {
    const indexProblem = seg.offsetIndex.loadChecked(seg.size, Infinity);
    const timeProblem = seg.timeIndex.loadChecked(Infinity);
    const sane = indexProblem === null && timeProblem === null;
    if (!sane && indexProblem !== 'missing' && timeProblem !== 'missing') {
      this.opts.logger.warn({ partition: this.opts.name, segment: seg.logPath, problem: indexProblem ?? timeProblem }, 'rebuilding segment indexes');
    }
    const from = sane && this.opts.hadCleanShutdown ? (seg.offsetIndex.lastEntry()?.position ?? 0) : 0;
    let result = seg.recover(from, this.opts.config.indexIntervalBytes);
    if (from > 0 && result.problem !== null) result = seg.recover(0, this.opts.config.indexIntervalBytes);
    if (result.truncatedBytes > 0) {
      this.warnTruncated(seg, result.originalSize - result.truncatedBytes, result.originalSize, result.problem, false);
    }
    seg.offsetIndex.rewrite();
    seg.timeIndex.rewrite();
    seg.makeActive();
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
