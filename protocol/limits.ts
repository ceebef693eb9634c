// Java's integer limits, as Kafka uses them: int32 fields and offset deltas inside a segment
// (Integer.MAX_VALUE), and the "no limit" default of long configs (Long.MAX_VALUE).

/** Integer.MAX_VALUE. */
export const INT32_MAX = 2_147_483_647;

/** Long.MAX_VALUE (2^63 − 1), exact; long configs print it as their default. */
export const LONG_MAX = 9_223_372_036_854_775_807n;

/**
 * Long.MAX_VALUE as a JavaScript number. No double holds 2^63 − 1: this is 2^63, the double a
 * long config of "9223372036854775807" parses to, so `value < LONG_MAX_NUMBER` means a limit is set.
 */
export const LONG_MAX_NUMBER = Number(LONG_MAX);
