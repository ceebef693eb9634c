// Storage's own failures, as KafkaliteError subclasses with stable codes.

import { KafkaliteError } from '../protocol/errors.js';

/** A read asked for an offset outside [logStartOffset, logEndOffset] (Kafka: OFFSET_OUT_OF_RANGE). */
export class OffsetOutOfRangeError extends KafkaliteError {
  constructor(
    readonly offset: number,
    readonly logStartOffset: number,
    readonly logEndOffset: number,
    where: string,
  ) {
    super('KL_OFFSET_OUT_OF_RANGE', `offset ${offset} is outside [${logStartOffset}, ${logEndOffset}] of ${where}`);
  }
}

/** The log or store was used after close(). */
export class LogClosedError extends KafkaliteError {
  constructor(what: string) {
    super('KL_LOG_CLOSED', `${what} is closed`);
  }
}

/** A kafkalite-owned file in the data directory cannot be parsed. */
export class StorageCorruptError extends KafkaliteError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('KL_STORAGE_CORRUPT', message, options);
  }
}
