// Which old segments retention deletes (Kafka's UnifiedLog.deleteOldSegments),
// as a pure decision over a view of a log's segments, shared by the disk and memory stores.
//
// Three rules, applied in Kafka's order, each from the oldest remaining segment forward and
// stopping at the first segment that does not qualify:
//   - log start offset (always): the next segment's base is at or below the log start offset;
//   - retention.bytes (cleanup.policy has delete, >= 0): while size − segment >= retention.bytes;
//   - retention.ms (cleanup.policy has delete, >= 0): now − newest record time > retention.ms.
// A segment whose upper bound (next base) is above the high watermark stays. The active segment
// is never deleted (the rule; Kafka would roll a new one and delete the old when every
// segment qualifies).

import type { ResolvedLogConfig } from './types.js';

export interface RetentionView {
  /** Segments, oldest first; the last one is active. */
  readonly segmentCount: number;
  baseOffset(i: number): number;
  sizeOf(i: number): number;
  /** Newest record timestamp of segment i (or its last-modified time without timestamps). */
  largestTimestamp(i: number): number;
  readonly totalSize: number;
  readonly highWatermark: number;
  readonly logStartOffset: number;
}

export interface RetentionDecision {
  /** How many of the oldest segments to delete. */
  count: number;
  /** The rules that claimed them, e.g. ['retention.ms']. */
  reasons: string[];
}

export function segmentsToDelete(view: RetentionView, config: ResolvedLogConfig, nowMs: number): RetentionDecision {
  const last = view.segmentCount - 1; // the active segment: never a candidate
  let count = 0;
  const reasons: string[] = [];
  const deletable = (i: number) => i < last && view.baseOffset(i + 1) <= view.highWatermark;

  const apply = (reason: string, predicate: (i: number) => boolean) => {
    const before = count;
    while (deletable(count) && predicate(count)) count++;
    if (count > before) reasons.push(reason);
  };

  apply('log start offset', (i) => view.baseOffset(i + 1) <= view.logStartOffset);
  if (config.cleanupPolicy.includes('delete')) {
    if (config.retentionBytes >= 0) {
      let remaining = view.totalSize;
      for (let i = 0; i < count; i++) remaining -= view.sizeOf(i);
      apply('retention.bytes', (i) => {
        if (remaining - view.sizeOf(i) < config.retentionBytes) return false;
        remaining -= view.sizeOf(i);
        return true;
      });
    }
    if (config.retentionMs >= 0) {
      apply('retention.ms', (i) => nowMs - view.largestTimestamp(i) > config.retentionMs);
    }
  }
  return { count, reasons };
}
