// Log compaction (Kafka's LogCleaner / LogCleanerManager / Cleaner), the parts shared by
// the disk and memory stores: which range of a log is cleanable and how dirty it is, the
// key -> latest offset map, segment grouping, and rewriting one batch with only the records
// that survive. Offsets never change: a rewritten batch keeps its base and last offset.
//
// Rules, as Kafka's:
//   - clean head below the cleaner checkpoint (first dirty offset), dirty tail above it;
//   - never cleaned: the active segment, anything at or above the high watermark, segments
//     whose newest record is younger than min.compaction.lag.ms;
//   - a log is cleaned when dirty bytes / (clean + dirty bytes) > min.cleanable.dirty.ratio, or
//     some dirty segment's first batch is older than max.compaction.lag.ms, or tombstones it kept
//     earlier have passed their delete horizon;
//   - a record survives if it has a key and no later offset of that key is in the map; a
//     tombstone (null value) survives until its batch's delete horizon, which the first pass that
//     keeps it sets to now + delete.retention.ms (baseTimestamp + attribute bit 6).

import { createHash } from 'node:crypto';
import { INT32_MAX } from '../protocol/limits.js';
import { TimestampType, buildBatch, decodeBatchRecords, readBatchHeader, type BatchHeader } from '../protocol/records/index.js';
import type { ResolvedLogConfig } from './types.js';

/** A log's segments as the cleaner sees them (oldest first; the last one is active). */
export interface CleanerView {
  readonly segmentCount: number;
  baseOffset(i: number): number;
  sizeOf(i: number): number;
  /** Newest record time of segment i (its last-modified time without timestamps). */
  largestTimestamp(i: number): number;
  /** maxTimestamp of segment i's first batch (-1 if none). */
  firstBatchTimestamp(i: number): number;
  readonly logStartOffset: number;
  readonly logEndOffset: number;
  readonly highWatermark: number;
}

export interface CleanableRange {
  /** Where the dirty part starts (the checkpoint, clamped to the log). */
  firstDirtyOffset: number;
  /** Nothing at or above this is cleaned (a segment base). */
  firstUncleanableOffset: number;
  cleanBytes: number;
  dirtyBytes: number;
  /** dirtyBytes / (cleanBytes + dirtyBytes). */
  ratio: number;
  /** Dirty data older than max.compaction.lag.ms. */
  needCompactionNow: boolean;
}

/** Kafka's LogCleanerManager.cleanableOffsets + the dirty ratio, for one log. */
export function cleanableRange(view: CleanerView, config: ResolvedLogConfig, nowMs: number, checkpoint: number | null): CleanableRange {
  const lso = view.logStartOffset;
  const firstDirtyOffset = checkpoint === null || checkpoint < lso || checkpoint > view.logEndOffset ? lso : checkpoint;
  const last = view.segmentCount - 1;
  const upper = (i: number) => (i < last ? view.baseOffset(i + 1) : view.logEndOffset);
  let firstUncleanableOffset = Math.min(view.highWatermark, view.baseOffset(last));
  if (config.minCompactionLagMs > 0) {
    for (let i = 0; i < last; i++) {
      if (upper(i) <= firstDirtyOffset) continue;
      if (view.largestTimestamp(i) > nowMs - config.minCompactionLagMs) {
        firstUncleanableOffset = Math.min(firstUncleanableOffset, view.baseOffset(i));
        break;
      }
    }
  }
  let cleanBytes = 0;
  let dirtyBytes = 0;
  let earliestDirty = Infinity;
  for (let i = 0; i < last; i++) {
    if (upper(i) <= lso) continue;
    if (upper(i) <= firstDirtyOffset) cleanBytes += view.sizeOf(i);
    else if (view.baseOffset(i) < firstUncleanableOffset && upper(i) <= firstUncleanableOffset) {
      dirtyBytes += view.sizeOf(i);
      const ts = view.firstBatchTimestamp(i);
      if (ts >= 0) earliestDirty = Math.min(earliestDirty, ts);
    }
  }
  const total = cleanBytes + dirtyBytes;
  return {
    firstDirtyOffset,
    firstUncleanableOffset,
    cleanBytes,
    dirtyBytes,
    ratio: total === 0 ? 0 : dirtyBytes / total,
    needCompactionNow: earliestDirty < nowMs - config.maxCompactionLagMs,
  };
}

/** Whether the cleaner should clean this log now. `latestDeleteHorizon` is -1 when no tombstone waits. */
export function shouldClean(range: CleanableRange, config: ResolvedLogConfig, latestDeleteHorizon: number, nowMs: number): boolean {
  if (range.dirtyBytes > 0 && (range.needCompactionNow || range.ratio > config.minCleanableDirtyRatio)) return true;
  return latestDeleteHorizon >= 0 && latestDeleteHorizon <= nowMs;
}

/** Map key for a record key: short keys as they are, longer ones by MD5 (as Kafka's SkimpyOffsetMap). */
export function keyId(key: Buffer): string {
  return key.length <= 32 ? `k${key.toString('latin1')}` : `h${createHash('md5').update(key).digest('binary')}`;
}

/** Key -> latest offset over the dirty range, with a capacity (log.cleaner.dedupe.buffer.size). */
export class OffsetMap {
  private readonly map = new Map<string, number>();
  /** Largest offset put so far (-1 if none). */
  latestOffset = -1;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.map.size;
  }

  /** Whether `more` further keys would overflow the map. */
  wouldOverflow(more: number): boolean {
    return this.map.size + more > this.capacity;
  }

  put(key: Buffer, offset: number): void {
    this.map.set(keyId(key), offset);
    if (offset > this.latestOffset) this.latestOffset = offset;
  }

  get(key: Buffer): number | undefined {
    return this.map.get(keyId(key));
  }

  /** Add every keyed record of one batch (control batches carry no data keys). */
  addBatch(batch: Buffer): void {
    const h = readBatchHeader(batch);
    if (h.isControl) return;
    for (const r of decodeBatchRecords(batch).records) if (r.key !== null) this.put(r.key, r.offset);
  }
}

export interface FilteredBatch {
  /** The batch to keep (the original bytes when nothing changed), or null when nothing survives. */
  bytes: Buffer | null;
  /** Header of `bytes`. */
  header: BatchHeader | null;
  /** Delete horizon of a kept batch that still holds tombstones, else -1. */
  tombstoneHorizon: number;
}

/**
 * Keep the records of one batch that survive compaction (Kafka's LogCleaner.shouldRetainRecord
 * and MemoryRecords.filterTo): keyed, latest for their key, and not a tombstone past the batch's
 * delete horizon. A batch keeping tombstones without a horizon gets one (now + delete.retention.ms).
 */
export function filterBatch(batch: Buffer, map: OffsetMap, nowMs: number, deleteRetentionMs: number): FilteredBatch {
  const h = readBatchHeader(batch);
  if (h.isControl) return { bytes: batch, header: h, tombstoneHorizon: -1 };
  const { records } = decodeBatchRecords(batch);
  const retainDeletes = !h.hasDeleteHorizon || nowMs < h.baseTimestamp;
  const kept = records.filter((r) => {
    if (r.key === null) return false;
    const latest = map.get(r.key);
    if (latest !== undefined && r.offset < latest) return false;
    return r.value !== null || retainDeletes;
  });
  if (kept.length === 0) return { bytes: null, header: null, tombstoneHorizon: -1 };
  const hasTombstones = kept.some((r) => r.value === null);
  const needHorizon = hasTombstones && !h.hasDeleteHorizon;
  if (kept.length === records.length && !needHorizon) {
    return { bytes: batch, header: h, tombstoneHorizon: hasTombstones ? h.baseTimestamp : -1 };
  }
  const horizon = needHorizon ? nowMs + deleteRetentionMs : h.hasDeleteHorizon ? h.baseTimestamp : undefined;
  const out = buildBatch({
    baseOffset: h.baseOffset,
    records: kept.map((r) => ({ offset: r.offset, timestamp: r.timestamp, key: r.key, value: r.value, headers: r.headers })),
    compression: h.compression,
    timestampType: h.timestampType,
    maxTimestamp: h.timestampType === TimestampType.LOG_APPEND_TIME ? h.maxTimestamp : undefined,
    baseTimestamp: horizon,
    deleteHorizon: horizon !== undefined,
    lastOffsetDelta: h.lastOffsetDelta,
    producerId: h.producerId,
    producerEpoch: h.producerEpoch,
    baseSequence: h.baseSequence,
    transactional: h.isTransactional,
    partitionLeaderEpoch: h.partitionLeaderEpoch,
  });
  return { bytes: out, header: readBatchHeader(out), tombstoneHorizon: hasTombstones && horizon !== undefined ? horizon : -1 };
}

export interface GroupItem {
  baseOffset: number;
  /** Next segment's base (the upper bound of this one's offsets). */
  upperOffset: number;
  size: number;
  offsetIndexBytes: number;
  timeIndexBytes: number;
}

/**
 * Kafka's groupSegmentsBySize: consecutive segments merged while the sum of their sizes fits
 * segment.bytes, their indexes fit segment.index.bytes and their offsets fit an int32 relative to
 * the group's base. Returns groups of indices into `items`.
 */
export function groupSegments(items: readonly GroupItem[], maxSize: number, maxIndexSize: number): number[][] {
  const groups: number[][] = [];
  let i = 0;
  while (i < items.length) {
    const group = [i];
    const head = items[i]!;
    let logSize = head.size;
    let indexSize = head.offsetIndexBytes;
    let timeSize = head.timeIndexBytes;
    i++;
    while (i < items.length) {
      const next = items[i]!;
      if (logSize + next.size > maxSize) break;
      if (indexSize + next.offsetIndexBytes > maxIndexSize || timeSize + next.timeIndexBytes > maxIndexSize) break;
      if (next.size > 0 && next.upperOffset - 1 - head.baseOffset > INT32_MAX) break;
      group.push(i);
      logSize += next.size;
      indexSize += next.offsetIndexBytes;
      timeSize += next.timeIndexBytes;
      i++;
    }
    groups.push(group);
  }
  return groups;
}
