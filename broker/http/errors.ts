// Kafka error codes as HTTP answers: a status and `{ error, message }` with Kafka's error name.

import { ErrorCode, errorName } from '../../protocol/errors.js';

export interface ErrorBody {
  error: string;
  message: string;
}

const STATUS: Record<number, number> = {
  [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]: 404,
  [ErrorCode.GROUP_ID_NOT_FOUND]: 404,
  [ErrorCode.TOPIC_ALREADY_EXISTS]: 409,
  [ErrorCode.NON_EMPTY_GROUP]: 409,
  [ErrorCode.UNKNOWN_MEMBER_ID]: 409,
  [ErrorCode.REBALANCE_IN_PROGRESS]: 409,
  [ErrorCode.COORDINATOR_NOT_AVAILABLE]: 503,
  [ErrorCode.COORDINATOR_LOAD_IN_PROGRESS]: 503,
  [ErrorCode.NOT_COORDINATOR]: 503,
  [ErrorCode.TOPIC_DELETION_DISABLED]: 403,
  [ErrorCode.MESSAGE_TOO_LARGE]: 413,
  [ErrorCode.RECORD_LIST_TOO_LARGE]: 413,
};

/** HTTP status for a Kafka error code (400 for the rest of the client errors). */
export function statusFor(errorCode: number): number {
  return STATUS[errorCode] ?? (errorCode === ErrorCode.UNKNOWN_SERVER_ERROR ? 500 : 400);
}

export function errorBody(errorCode: number, message?: string | null): ErrorBody {
  return { error: errorName(errorCode), message: message ?? errorName(errorCode) };
}

/** Shared OpenAPI schema of error answers. */
export const ERROR_SCHEMA = {
  type: 'object',
  properties: {
    error: { type: 'string', description: "Kafka's error name, or NOT_FOUND / BAD_REQUEST / INVALID_REQUEST" },
    message: { type: 'string' },
  },
} as const;
