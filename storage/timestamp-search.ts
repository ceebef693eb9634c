// Lookups by timestamp over a partition's segments, for ListOffsets by time (t >= 0) and max
// timestamp (-3): Kafka's UnifiedLog.fetchOffsetByTimestamp and LogSegment.findOffsetByTimestamp.
// Each segment is searched from its time index's floor entry, batch headers first; only a batch
// that may hold the answer is decoded, record by record (record-timestamps.ts).

import { firstRecordAtOrAfter, maxRecordOf, type DecodeTimestamps } from './record-timestamps.js';
import type { LogSegment } from './segment.js';
import type { TimestampLookup } from './types.js';

/** Largest batch maxTimestamp of `seg` over batches whose last offset is below maxOffset, and the last offset of the first batch reaching it ((-1, -1) if none). */
export function maxTimestampBelow(seg: LogSegment, maxOffset: number): { timestamp: number; offset: number } {
  const entry = seg.timeIndex.lastEntryBelow(maxOffset);
  let best = entry ?? { timestamp: -1, offset: -1 };
  let pos = entry ? seg.offsetIndex.lookup(entry.offset) : 0;
  for (let h = seg.headerAt(pos); h && h.lastOffset < maxOffset; h = seg.headerAt(pos)) {
    if (h.maxTimestamp > best.timestamp) best = { timestamp: h.maxTimestamp, offset: h.lastOffset };
    pos += h.sizeInBytes;
  }
  return best;
}

/**
 * First record of `seg` with timestamp >= ts at or above startingOffset (LogSegment.findOffsetByTimestamp).
 * 'bound' if a batch at or past maxOffset was reached first, null if none in this segment.
 */
function findInSegment(
  seg: LogSegment,
  ts: number,
  startingOffset: number,
  maxOffset: number,
  decode: DecodeTimestamps,
): TimestampLookup | 'bound' | null {
  const entry = seg.timeIndex.lookup(ts);
  let pos = seg.offsetIndex.lookup(Math.max(entry ? entry.offset : seg.baseOffset, startingOffset));
  for (let h = seg.headerAt(pos); h; h = seg.headerAt(pos)) {
    if (h.baseOffset >= maxOffset) return 'bound';
    pos += h.sizeInBytes;
    if (h.maxTimestamp < ts || h.lastOffset < startingOffset) continue;
    const found = firstRecordAtOrAfter(seg.read(h.position, h.sizeInBytes), h.baseOffset, ts, startingOffset, decode);
    if (found) return found;
  }
  return null;
}

/** First record with timestamp >= ts in segments[from..], at or above startingOffset and below maxOffset. */
export function offsetForTimestamp(
  segments: readonly LogSegment[],
  from: number,
  ts: number,
  startingOffset: number,
  maxOffset: number,
  decode: DecodeTimestamps,
): TimestampLookup | null {
  for (let i = from; i < segments.length; i++) {
    const seg = segments[i]!;
    if (seg.baseOffset >= maxOffset) return null;
    if (seg.maxTimestampSoFar().timestamp < ts) continue;
    const found = findInSegment(seg, ts, startingOffset, maxOffset, decode);
    if (found === 'bound') return null;
    if (found) return found.offset < maxOffset ? found : null;
  }
  return null;
}

/** The record with the largest timestamp below maxOffset (the first reaching it); `nextOffset` ends the last segment. */
export function maxTimestampRecord(
  segments: readonly LogSegment[],
  nextOffset: number,
  maxOffset: number,
  decode: DecodeTimestamps,
): TimestampLookup | null {
  let best: { timestamp: number; offset: number; seg: LogSegment } | null = null;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    if (seg.baseOffset >= maxOffset) break;
    const upper = i + 1 < segments.length ? segments[i + 1]!.baseOffset : nextOffset;
    const m = maxOffset >= upper ? seg.maxTimestampSoFar() : maxTimestampBelow(seg, maxOffset);
    if (m.offset >= 0 && (best === null || m.timestamp > best.timestamp)) best = { ...m, seg };
  }
  if (best === null || best.timestamp < 0) return null;
  const h = best.seg.translateOffset(best.offset);
  if (!h) return null;
  return maxRecordOf(best.seg.read(h.position, h.sizeInBytes), h.baseOffset, decode);
}
