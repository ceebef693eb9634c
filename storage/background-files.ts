// Background file work of the LogManager (log-manager.ts; issue 14, item 3): retention's
// segments renamed `.deleted` a few per turn of the event loop, and `.deleted` files removed
// file.delete.delay.ms later, asynchronously (FileSystem.removeAsync) when many fall due at once.

import type { FileSystem } from './fs/file-system.js';
import type { StorageLogger } from './logger.js';

/** `.deleted` files removed synchronously in one turn of the event loop; the rest go asynchronously. */
const SYNC_REMOVALS_PER_TURN = 32;
/** Asynchronous unlinks in flight at once. */
const ASYNC_REMOVALS = 8;
/** Segments retired (closed and renamed `.deleted`) per turn of the event loop. */
const RETIRES_PER_TURN = 16;

/** A log, as named in error lines. */
interface Named {
  readonly topic: string;
  readonly partition: number;
}

export class BackgroundFiles {
  /** Files removed synchronously in this turn of the event loop (reset by setImmediate). */
  private removedThisTurn = 0;
  private readonly removalQueue: string[] = [];
  private removalsInFlight = 0;
  /** Segment retirements still to run, per log (retireLater). */
  private readonly retiring = new Map<Named, { steps: Array<() => void>; done: Array<() => void> }>();
  private retireScheduled = false;

  constructor(
    private readonly fs: FileSystem,
    private readonly logger: StorageLogger,
  ) {}

  /** Retirements or removals still going on. */
  get busy(): boolean {
    return this.retiring.size > 0 || this.removalQueue.length > 0 || this.removalsInFlight > 0;
  }

  /** LogHooks.retireLater: `steps` at once when they are few, otherwise RETIRES_PER_TURN per turn, then `done`. */
  retireLater(log: Named, steps: Array<() => void>, done: () => void): void {
    const pending = this.retiring.get(log);
    if (!pending && steps.length <= RETIRES_PER_TURN) {
      this.runRetire(log, steps, [done]);
      return;
    }
    if (pending) {
      pending.steps.push(...steps);
      pending.done.push(done);
    } else this.retiring.set(log, { steps: [...steps], done: [done] });
    this.scheduleRetiring();
  }

  private scheduleRetiring(): void {
    if (this.retireScheduled || this.retiring.size === 0) return;
    this.retireScheduled = true;
    setImmediate(() => {
      this.retireScheduled = false;
      let budget = RETIRES_PER_TURN;
      for (const [log, pending] of this.retiring) {
        const now = pending.steps.splice(0, budget);
        budget -= now.length;
        if (pending.steps.length === 0) {
          this.retiring.delete(log);
          this.runRetire(log, now, pending.done);
        } else this.runRetire(log, now, []);
        if (budget <= 0) break;
      }
      this.scheduleRetiring();
    });
  }

  /** Run what is left of the log's retirements now. */
  finishRetiring(log: Named): void {
    const pending = this.retiring.get(log);
    if (!pending) return;
    this.retiring.delete(log);
    this.runRetire(log, pending.steps, pending.done);
  }

  private runRetire(log: Named, steps: Array<() => void>, done: Array<() => void>): void {
    for (const step of [...steps, ...done]) {
      try {
        step();
      } catch (err) {
        this.logger.error({ partition: `${log.topic}-${log.partition}`, err }, 'retiring a deleted segment failed');
      }
    }
  }

  /** Remove files now, or, past SYNC_REMOVALS_PER_TURN in this turn of the event loop, asynchronously. */
  removeSoon(files: string[]): void {
    if (this.removedThisTurn === 0) setImmediate(() => (this.removedThisTurn = 0));
    if (this.removedThisTurn + files.length <= SYNC_REMOVALS_PER_TURN && this.removalQueue.length === 0) {
      this.removedThisTurn += files.length;
      this.removeNow(files);
      return;
    }
    this.removedThisTurn += files.length;
    this.removalQueue.push(...files);
    this.pumpRemovals();
  }

  private pumpRemovals(): void {
    while (this.removalsInFlight < ASYNC_REMOVALS && this.removalQueue.length > 0) {
      const file = this.removalQueue.shift()!;
      this.removalsInFlight++;
      // On the real disk the unlink runs on libuv's thread pool (FileSystem.removeAsync).
      this.fs
        .removeAsync(file)
        .catch((err) => this.logger.error({ err, file }, 'removing a deleted segment file failed'))
        .finally(() => {
          this.removalsInFlight--;
          this.pumpRemovals();
        });
    }
  }

  /** Every log's pending retirements, now (stop). */
  finishAllRetiring(): void {
    for (const log of [...this.retiring.keys()]) this.finishRetiring(log);
  }

  removeNow(files: string[]): void {
    for (const f of files) this.fs.remove(f);
  }

  /** The files still queued for asynchronous removal, now (a clean stop). */
  removeQueuedNow(): void {
    this.removeNow(this.removalQueue.splice(0));
  }
}
