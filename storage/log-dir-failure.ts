// A log directory that failed (Kafka's LogDirFailureChannel): the first I/O error of any log
// operation in the directory takes it offline. The error is logged once, with the path; every
// later append, flush or read in it fails with KafkaStorageError at once, so a failed fsync is
// never retried and then acknowledged (what Kafka does rather than trust the page cache after
// an fsync error). Listeners hear of it once (the broker stops, as Kafka does when no log
// directory is left: it has only this one).

import { KafkaStorageError } from '../protocol/errors.js';
import type { StorageLogger } from './logger.js';

export interface LogDirFailure {
  dir: string;
  /** Kafka's message for the operation that failed. */
  message: string;
  cause: unknown;
}

export class LogDirFailureChannel {
  private failure: LogDirFailure | null = null;
  private readonly listeners: Array<(failure: LogDirFailure) => void> = [];

  constructor(
    readonly dir: string,
    private readonly logger: StorageLogger,
  ) {}

  get offline(): LogDirFailure | null {
    return this.failure;
  }

  /** Hear of the failure (at once if it already happened). */
  onFailure(listener: (failure: LogDirFailure) => void): void {
    if (this.failure) listener(this.failure);
    else this.listeners.push(listener);
  }

  /** Throw if the directory is offline (Kafka: the partition is on an offline log directory). */
  check(partition: string): void {
    if (this.failure) throw new KafkaStorageError(`Partition ${partition} is on an offline log directory`, this.dir);
  }

  /**
   * Run `op`; an I/O error (an error with a string errno `code`) takes the directory offline and
   * becomes a KafkaStorageError with `message`. Other errors pass through.
   */
  guard<T>(partition: string, message: () => string, op: () => T): T {
    this.check(partition);
    try {
      return op();
    } catch (err) {
      if (!isIoError(err)) throw err;
      throw this.fail(message(), err);
    }
  }

  /** Take the directory offline (once) and return the error to throw. */
  fail(message: string, cause: unknown): KafkaStorageError {
    if (!this.failure) {
      this.failure = { dir: this.dir, message, cause };
      const path = (cause as NodeJS.ErrnoException).path;
      this.logger.error({ dir: this.dir, path, err: cause }, `${message}; log directory ${this.dir} is offline`);
      for (const l of this.listeners.splice(0)) l(this.failure);
    }
    return new KafkaStorageError(message, this.dir, { cause });
  }
}

export function isIoError(err: unknown): boolean {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string' && 'syscall' in err;
}
