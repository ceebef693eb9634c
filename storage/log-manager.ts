// The storage scheduler (Kafka's LogManager tasks plus the log cleaner thread), on the injected
// Clock so tests advance time instead of sleeping. A store creates one, adds its logs, starts it,
// and stops it in close(). It owns every storage timer:
//   - retention, every log.retention.check.interval.ms;
//   - the recovery-point and high-watermark checkpoints, every log.flush.offset.checkpoint.interval.ms;
//   - the log-start-offset checkpoint, every log.flush.start.offset.checkpoint.interval.ms;
//   - the log cleaner, every log.cleaner.backoff.ms (log.cleaner.enable);
//   - flush.ms (one timer per log with unflushed data) and flush.messages (checked on append);
//   - the background flush of a segment that just rolled;
//   - removal of `.deleted` files file.delete.delay.ms after a segment was deleted or cleaned.
// Large work gives the event loop back (issue 14, item 3). On the real disk a cleaning pass over a
// large log runs in the cleaner's worker thread (cleaner-worker.ts), which writes the `.cleaned`
// segments; this thread only swaps them in. Elsewhere (the memory FS, small logs) a pass runs in
// steps of at most CLEANER_SLICE_MS (once past its first CLEANER_MIN_STEPS batches or
// CLEANER_MIN_BYTES), continued with setImmediate (a yield, not a timer: the virtual clock need not
// move). Retention's renames to `.deleted` run RETIRES_PER_TURN segments per turn, and when many
// `.deleted` files fall due in one turn, those past SYNC_REMOVALS_PER_TURN are unlinked
// asynchronously (FileSystem.removeAsync), a few at a time. Small work (every test's) still
// finishes within the timer callback that started it. A truncation abandons a pass over its log.
// Logs own their offsets; the manager only decides when things happen.

import { performance } from 'node:perf_hooks';
import type { Clock, TimerHandle } from './clock.js';
import type { FileSystem } from './fs/file-system.js';
import { nodeFs } from './fs/node-fs.js';
import { BackgroundFiles } from './background-files.js';
import type { CleanableRange } from './compaction.js';
import { CleanerWorker } from './cleaner-worker.js';
import type { CleanRequest, CleanResult } from './log-cleaner.js';
import type { StorageLogger } from './logger.js';
import type { ResolvedLogConfig } from './types.js';

export interface LogManagerSettings {
  /** log.retention.check.interval.ms */
  retentionCheckIntervalMs: number;
  /** log.flush.offset.checkpoint.interval.ms */
  recoveryPointCheckpointIntervalMs: number;
  /** log.flush.start.offset.checkpoint.interval.ms */
  startOffsetCheckpointIntervalMs: number;
  /** log.cleaner.enable */
  cleanerEnable: boolean;
  /** log.cleaner.backoff.ms */
  cleanerBackoffMs: number;
  /** log.cleaner.dedupe.buffer.size: bounds the cleaner's key map (one key per 128 bytes). */
  cleanerDedupeBufferSize: number;
  /** How long a cleaning step may run before giving the event loop back (not a Kafka config; tests set 0 to step a pass turn by turn). */
  cleanerSliceMs?: number;
}

export const DEFAULT_LOG_MANAGER_SETTINGS: LogManagerSettings = {
  retentionCheckIntervalMs: 300000,
  recoveryPointCheckpointIntervalMs: 60000,
  startOffsetCheckpointIntervalMs: 60000,
  cleanerEnable: true,
  cleanerBackoffMs: 15000,
  cleanerDedupeBufferSize: 134217728,
};

/** Bytes of dedupe buffer per key the cleaner's map may hold. */
const BYTES_PER_KEY = 128;
/** Timers longer than this never fire (setTimeout's limit; Long.MAX means "never"). */
const MAX_TIMER_MS = 2147483647;
/** The longest a cleaning step runs before the cleaner gives the event loop back. */
const CLEANER_SLICE_MS = 5;
/** A pass gives the loop back only after this many steps (batches) or bytes, so a small log is always cleaned at once. */
const CLEANER_MIN_STEPS = 256;
const CLEANER_MIN_BYTES = 1024 * 1024;

/** A cleaning pass in progress: its steps, the logs after it in the round, logs cleaned so far, steps and bytes done. */
interface CleanerJob {
  log: ManagedLog;
  /** The stepped pass (null: the pass runs in the worker thread). */
  steps: Generator<number, boolean> | null;
  /** Abandon the pass (a truncation, the log's removal, stop()). */
  abort(): void;
  rest: ManagedLog[];
  cleaned: number;
  done: number;
  bytes: number;
}

/** A log as the manager drives it. Both stores' logs implement it. */
export interface ManagedLog {
  readonly topic: string;
  readonly partition: number;
  readonly logStartOffset: number;
  readonly logEndOffset: number;
  readonly highWatermark: number;
  /** Everything below it is flushed (fsynced). */
  readonly recoveryPoint: number;
  /** The cleaner checkpoint: first offset not cleaned yet (null: never cleaned). */
  readonly firstDirtyOffset: number | null;
  /** Largest delete horizon of kept tombstones (-1: none waiting). */
  readonly latestDeleteHorizon: number;
  /** Messages appended since the last flush. */
  readonly unflushedMessages: number;
  readonly logConfig: ResolvedLogConfig;
  flush(): void;
  /** Flush the segments below the active one (after a roll); the recovery point moves to the active base. */
  flushInactive(): void;
  /** Retention: delete old segments; returns how many went. */
  deleteOldSegments(nowMs: number): number;
  /** How dirty the log is (compacted logs). */
  cleanableRange(nowMs: number): CleanableRange;
  /** One cleaning pass if the log is cleanable; returns whether it cleaned. */
  clean(nowMs: number, mapCapacity: number): boolean;
  /** A pass for the cleaner's worker thread (the real disk, a large log); null: clean in steps. */
  offloadCleaning?(nowMs: number, mapCapacity: number): OffloadedPass | null;
  /** clean() in steps; the cleaner gives the event loop back between them. */
  cleaning?(nowMs: number, mapCapacity: number): Generator<number, boolean>;
}

/** A cleaning pass run by the worker thread (storage/cleaner-worker.ts). */
export interface OffloadedPass {
  readonly request: CleanRequest;
  /** Swap the result in (main thread); returns whether the log was cleaned. */
  complete(result: CleanResult): boolean;
  /** Remove the result's files (the pass was abandoned). */
  discard(result: CleanResult): void;
}

/** What a log tells the manager. */
export interface LogHooks {
  /** After every append (flush policy). */
  appended(log: ManagedLog): void;
  /** A segment rolled: flush it in the background. */
  rolled(log: ManagedLog): void;
  /** Remove these files `delayMs` from now. */
  deleteLater(files: string[], delayMs: number): void;
  /** The log's config changed (flush timers follow). */
  configChanged(log: ManagedLog): void;
  /** The log is about to be truncated: a cleaning pass over it is abandoned first. */
  truncating(log: ManagedLog): void;
  /**
   * Run `steps` (each retiring one segment already out of the log's list: close, rename `.deleted`,
   * deleteLater) and then `done` (the directory fsync): at once when they are few, otherwise
   * RETIRES_PER_TURN per turn of the event loop. A truncation or removal of the log, and stop(),
   * finish the rest first.
   */
  retireLater(log: ManagedLog, steps: Array<() => void>, done: () => void): void;
}

/** Where checkpoints go (the disk store writes files; the memory store has none). */
export interface CheckpointSink {
  /** recovery-point-offset-checkpoint and replication-offset-checkpoint. */
  writeRecoveryCheckpoints(logs: readonly ManagedLog[]): void;
  /** log-start-offset-checkpoint. */
  writeLogStartCheckpoint(logs: readonly ManagedLog[]): void;
  /** cleaner-offset-checkpoint. */
  writeCleanerCheckpoint(logs: readonly ManagedLog[]): void;
}

export class LogManager implements LogHooks {
  private readonly logs = new Set<ManagedLog>();
  private readonly tasks: TimerHandle[] = [];
  private readonly flushTimers = new Map<ManagedLog, TimerHandle>();
  private readonly rollFlushes = new Map<ManagedLog, TimerHandle>();
  private readonly deletions = new Map<number, { timer: TimerHandle; files: string[] }>();
  private nextDeletion = 0;
  private running = false;
  private stopped = false;
  /** The cleaning pass in progress (continued on later turns of the event loop), if any. */
  private cleanerJob: CleanerJob | null = null;
  /** Files removed synchronously in this turn of the event loop (reset by setImmediate). */
  /** Segment retirements still to run, per log (retireLater). */
  private readonly files: BackgroundFiles;
  /** The cleaner's worker thread, started by the first large pass on the real disk. */
  private worker: CleanerWorker | null = null;

  constructor(
    private readonly clock: Clock,
    readonly settings: LogManagerSettings,
    private readonly sink: CheckpointSink | null,
    private readonly logger: StorageLogger,
    fs: FileSystem = nodeFs,
  ) {
    this.files = new BackgroundFiles(fs, logger);
  }

  add(log: ManagedLog): void {
    this.logs.add(log);
  }

  /** Forget a log (deleted or closed); its timers go with it. */
  remove(log: ManagedLog): void {
    this.files.finishRetiring(log);
    this.logs.delete(log);
    if (this.cleanerJob?.log === log) this.cleanerJob.abort();
    this.flushTimers.get(log)?.cancel();
    this.flushTimers.delete(log);
    this.rollFlushes.get(log)?.cancel();
    this.rollFlushes.delete(log);
  }

  get all(): ManagedLog[] {
    return [...this.logs];
  }

  start(): void {
    if (this.running || this.stopped) return;
    this.running = true;
    const s = this.settings;
    this.every(s.retentionCheckIntervalMs, () => this.runRetention());
    if (this.sink) {
      this.every(s.recoveryPointCheckpointIntervalMs, () => this.sink!.writeRecoveryCheckpoints(this.all));
      this.every(s.startOffsetCheckpointIntervalMs, () => this.sink!.writeLogStartCheckpoint(this.all));
    }
    if (s.cleanerEnable) this.every(s.cleanerBackoffMs, () => this.runCleaner());
  }

  /**
   * Cancel every timer. With `finishDeletions`, pending `.deleted` files are removed now (a clean
   * stop); otherwise they stay for the next start-up to remove (a crash).
   */
  stop(finishDeletions: boolean): void {
    this.stopped = true;
    this.running = false;
    this.cleanerJob?.abort();
    this.cleanerJob = null;
    this.worker?.stop();
    this.files.finishAllRetiring();
    for (const t of this.tasks) t.cancel();
    this.tasks.length = 0;
    for (const t of this.flushTimers.values()) t.cancel();
    this.flushTimers.clear();
    for (const t of this.rollFlushes.values()) t.cancel();
    this.rollFlushes.clear();
    for (const { timer, files } of this.deletions.values()) {
      timer.cancel();
      if (finishDeletions) this.files.removeNow(files);
    }
    this.deletions.clear();
    if (finishDeletions) this.files.removeQueuedNow();
  }

  private every(ms: number, task: () => void): void {
    if (!(ms > 0) || ms > MAX_TIMER_MS) return;
    this.tasks.push(this.clock.setInterval(() => this.guard(task), ms));
  }

  private guard(task: () => void): void {
    try {
      task();
    } catch (err) {
      this.logger.error({ err }, 'storage task failed');
    }
  }

  /** Retention over every log (also run by the retention timer). Returns segments deleted. */
  runRetention(): number {
    const now = this.clock.now();
    let deleted = 0;
    for (const log of this.logs) {
      // A log being cleaned keeps its segments until the pass ends (the next retention run gets them).
      if (this.cleanerJob?.log === log) continue;
      try {
        deleted += log.deleteOldSegments(now);
      } catch (err) {
        this.logger.error({ partition: `${log.topic}-${log.partition}`, err }, 'retention failed');
      }
    }
    return deleted;
  }

  /**
   * One cleaner round (also run by the cleaner timer): every compacted log that is cleanable
   * gets one pass, dirtiest first. Returns how many logs were cleaned before it returned; a pass
   * longer than CLEANER_SLICE_MS goes on in later turns of the event loop (and the round with it:
   * see busy()). A round does not start while one is still going.
   */
  runCleaner(): number {
    if (this.cleanerJob) return 0;
    const now = this.clock.now();
    const candidates = [...this.logs]
      .filter((l) => l.logConfig.cleanupPolicy.includes('compact'))
      .map((log) => ({ log, ratio: log.cleanableRange(now).ratio }))
      .sort((a, b) => b.ratio - a.ratio)
      .map((c) => c.log);
    return this.cleanLogs(candidates, now, 0);
  }

  /** Clean `logs` in order until a pass runs out of its slice; returns how many were cleaned in this turn. */
  private cleanLogs(logs: ManagedLog[], now: number, cleanedBefore: number): number {
    const capacity = Math.max(1, Math.floor(this.settings.cleanerDedupeBufferSize / BYTES_PER_KEY));
    let cleaned = cleanedBefore;
    const start = performance.now();
    while (logs.length > 0) {
      const log = logs.shift()!;
      if (!this.logs.has(log)) continue;
      try {
        if (!log.cleaning) {
          if (log.clean(now, capacity)) cleaned++;
          continue;
        }
        const pass = log.offloadCleaning?.(now, capacity) ?? null;
        if (pass) {
          this.offload(log, pass, logs, cleaned, now);
          return cleaned - cleanedBefore;
        }
        const steps = log.cleaning(now, capacity);
        const job: CleanerJob = { log, steps, abort: () => steps.return(false), rest: logs, cleaned, done: 0, bytes: 0 };
        this.cleanerJob = job;
        if (this.step(job, start)) {
          if (job.cleaned > cleaned) cleaned = job.cleaned;
          this.cleanerJob = null;
          continue;
        }
        // Out of time: go on after the event loop has served what is waiting.
        setImmediate(() => this.resume(job, now));
        return cleaned - cleanedBefore;
      } catch (err) {
        this.cleanerJob = null;
        this.logger.error({ partition: `${log.topic}-${log.partition}`, err }, 'log cleaning failed');
      }
    }
    if (cleaned > 0) this.sink?.writeCleanerCheckpoint(this.all);
    return cleaned - cleanedBefore;
  }

  /** Run `pass` in the worker thread; when it is over, swap its result in and go on with the round's `rest`. */
  private offload(log: ManagedLog, pass: OffloadedPass, rest: ManagedLog[], cleanedBefore: number, now: number): void {
    let aborted = false;
    const abort = () => {
      aborted = true;
    };
    const job: CleanerJob = { log, steps: null, abort, rest, cleaned: cleanedBefore, done: 0, bytes: 0 };
    this.cleanerJob = job;
    this.worker ??= new CleanerWorker();
    this.worker.run(pass.request).then(
      (result) => {
        if (this.cleanerJob !== job || aborted || this.stopped) {
          this.guard(() => pass.discard(result));
        } else {
          try {
            if (pass.complete(result)) job.cleaned++;
          } catch (err) {
            this.logger.error({ partition: `${log.topic}-${log.partition}`, err }, 'log cleaning failed');
          }
        }
        this.afterOffload(job, now);
      },
      (err) => {
        // An abandoned pass may fail on files a truncation renamed under it: nothing to report.
        if (!this.stopped && !aborted) this.logger.error({ partition: `${log.topic}-${log.partition}`, err }, 'log cleaning failed');
        this.afterOffload(job, now);
      },
    );
  }

  private afterOffload(job: CleanerJob, now: number): void {
    if (this.cleanerJob !== job) return;
    this.cleanerJob = null;
    if (!this.stopped) this.cleanLogs(job.rest, now, job.cleaned);
  }

  /** Runs steps of `job` until it is done (true) or CLEANER_SLICE_MS since `start` have passed (false). */
  private step(job: CleanerJob, start: number): boolean {
    for (;;) {
      const r = job.steps!.next();
      if (r.done) {
        if (r.value) job.cleaned++;
        return true;
      }
      job.done++;
      job.bytes += r.value;
      if (
        (job.done >= CLEANER_MIN_STEPS || job.bytes >= CLEANER_MIN_BYTES) &&
        performance.now() - start >= (this.settings.cleanerSliceMs ?? CLEANER_SLICE_MS)
      )
        return false;
    }
  }

  private resume(job: CleanerJob, now: number): void {
    if (this.cleanerJob !== job) return; // stopped, or the log went
    try {
      if (!this.step(job, performance.now())) {
        setImmediate(() => this.resume(job, now));
        return;
      }
      this.cleanerJob = null;
    } catch (err) {
      this.cleanerJob = null;
      this.logger.error({ partition: `${job.log.topic}-${job.log.partition}`, err }, 'log cleaning failed');
    }
    this.cleanLogs(job.rest, now, job.cleaned);
  }

  /** Whether a cleaning pass or file removals are still going on (for the bench and tests). */
  busy(): boolean {
    return this.cleanerJob !== null || this.files.busy;
  }

  /** Write every checkpoint now (also done by the timers and at close). */
  writeCheckpoints(): void {
    if (!this.sink) return;
    const logs = this.all;
    this.sink.writeRecoveryCheckpoints(logs);
    this.sink.writeLogStartCheckpoint(logs);
    this.sink.writeCleanerCheckpoint(logs);
  }

  // ---- hooks -----------------------------------------------------------------------------

  appended(log: ManagedLog): void {
    const cfg = log.logConfig;
    if (log.unflushedMessages >= cfg.flushMessages) {
      log.flush();
      this.flushTimers.get(log)?.cancel();
      this.flushTimers.delete(log);
      return;
    }
    if (this.stopped || cfg.flushMs > MAX_TIMER_MS || this.flushTimers.has(log)) return;
    this.flushTimers.set(
      log,
      this.clock.setTimeout(() => {
        this.flushTimers.delete(log);
        if (this.logs.has(log)) this.guard(() => log.flush());
      }, cfg.flushMs),
    );
  }

  rolled(log: ManagedLog): void {
    if (this.stopped || this.rollFlushes.has(log)) return;
    this.rollFlushes.set(
      log,
      this.clock.setTimeout(() => {
        this.rollFlushes.delete(log);
        if (this.logs.has(log)) this.guard(() => log.flushInactive());
      }, 0),
    );
  }

  deleteLater(files: string[], delayMs: number): void {
    if (this.stopped || delayMs <= 0) {
      this.files.removeNow(files);
      return;
    }
    const id = this.nextDeletion++;
    const timer = this.clock.setTimeout(
      () => {
        this.deletions.delete(id);
        this.files.removeSoon(files);
      },
      Math.min(delayMs, MAX_TIMER_MS),
    );
    this.deletions.set(id, { timer, files });
  }

  configChanged(log: ManagedLog): void {
    // A changed flush.ms takes effect from the next append; flush.messages at once.
    this.flushTimers.get(log)?.cancel();
    this.flushTimers.delete(log);
    if (log.unflushedMessages > 0) this.appended(log);
  }

  /**
   * A truncation (PartitionLog.truncateTo, an unclean election or a follower's divergence) ends a
   * cleaning pass over the log before it changes the segment list: the pass's half-written
   * `.cleaned` segment is dropped and its checkpoint not moved, and the rest of the round goes on
   * (Kafka's LogCleanerManager.abortAndPauseCleaning; the truncation here is synchronous, so the
   * pause ends with it, and the next round cleans the truncated log afresh).
   */
  truncating(log: ManagedLog): void {
    this.files.finishRetiring(log);
    const job = this.cleanerJob;
    if (job?.log !== log) return;
    job.abort();
    this.logger.info({ partition: `${log.topic}-${log.partition}` }, `aborted cleaning of ${log.topic}-${log.partition} for a truncation`);
  }

  retireLater(log: ManagedLog, steps: Array<() => void>, done: () => void): void {
    this.files.retireLater(log, steps, done);
  }

  /** Number of `.deleted` file sets waiting (for tests). */
  get pendingDeletions(): number {
    return this.deletions.size;
  }
}
