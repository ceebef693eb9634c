// Reading one partition for Fetch: offset checks, leader-epoch fencing, the isolation
// bound, and the version-specific shape of the bytes (stored batches as they are for v4+,
// down-converted legacy message sets for v0-3).

import { ErrorCode, KafkaStorageError } from '../protocol/errors.js';
import { batchesUseCodec, completeEntriesLength, downConvert } from '../protocol/records/index.js';
import type { Partition } from './partition.js';
import type { Topic } from './topics.js';

const ZSTD = 4;

export interface PartitionRead {
  partitionIndex: number;
  errorCode: number;
  chunks: Buffer[];
  bytes: number;
  highWatermark: number;
  lastStableOffset: number;
  logStartOffset: number;
  /** READ_COMMITTED: aborted transactions overlapping the data returned (UnifiedLog.collectAbortedTransactions), else null. */
  abortedTransactions?: Array<{ producerId: number; firstOffset: number }> | null;
  /** The read stopped at a segment's end with more to read: Kafka's DelayedFetch answers at once then. */
  moreInLaterSegments?: boolean;
  /** v12+: the fetcher's log diverges from this one (KIP-320): where its last fetched epoch ends here. Answered at once. */
  divergingEpoch?: { epoch: number; endOffset: number };
}

export interface ReadRequest {
  apiVersion: number;
  fetchOffset: number;
  currentLeaderEpoch: number;
  isolationLevel: number;
  maxBytes: number;
  minOneBatch: boolean;
  /** Read up to here instead of the partition's high watermark (a follower serving a fetch, KIP-392). */
  highWatermark?: number;
  /** A follower serving the fetch: its log end offset (the leader's log end otherwise). */
  logEndOffset?: number;
  /** v12+: epoch of the last batch the fetcher has (-1: none), checked against the leader-epoch cache (KIP-320). */
  lastFetchedEpoch?: number;
  /** Memory for the bytes read (the connection's pooled read buffers, broker/buffer-pool.ts); default fresh buffers. */
  alloc?: (length: number) => Buffer;
}

/** Leader-epoch fencing shared by Fetch (v9+) and ListOffsets (v4+); -1 skips the check. */
export function epochError(partition: Partition, requested: number): number {
  if (requested === -1) return 0;
  if (requested < partition.leaderEpoch) return ErrorCode.FENCED_LEADER_EPOCH;
  if (requested > partition.leaderEpoch) return ErrorCode.UNKNOWN_LEADER_EPOCH;
  return 0;
}

/**
 * The last stable offset (Kafka's UnifiedLog.lastStableOffset): the first offset of the earliest open transaction, or
 * the high watermark. `load` false answers the HW for a partition whose producer state was
 * never needed yet (READ_UNCOMMITTED reads), so plain fetches never scan the log for it.
 */
export function lastStableOffset(partition: Partition, load = true): number {
  if (!load && !partition.producersLoaded) return partition.highWatermark;
  return partition.producers.lastStableOffset(partition.highWatermark);
}

/**
 * KIP-320 (Kafka's Partition.readRecords with a last fetched epoch): where the fetcher's last
 * epoch ends in this log; a fetcher whose epoch is unknown here or whose position lies past that
 * end has diverged and must truncate to it. 'out-of-range' when the end is unknown or the fetch
 * offset is below the log start; null when the logs agree.
 */
function divergence(partition: Partition, r: ReadRequest): { epoch: number; endOffset: number } | 'out-of-range' | null {
  const fetchEpoch = r.lastFetchedEpoch ?? -1;
  if (fetchEpoch < 0 || r.apiVersion < 12) return null;
  const end = partition.endOffsetForEpoch(fetchEpoch);
  if (end.epoch === -1 || end.endOffset === -1 || r.fetchOffset < partition.log.logStartOffset) return 'out-of-range';
  return end.epoch < fetchEpoch || end.endOffset < r.fetchOffset ? end : null;
}

/**
 * A read's answer without records. Every PartitionRead starts here, with the same fields in the
 * same order (records, aborted transactions or a diverging epoch are set on it after): at 10,000
 * partitions a fetch builds 10,000 of them, and object spreads of a varying shape cost more than the read.
 */
function answer(partition: Partition, errorCode: number, highWatermark: number, lastStable: number, logStartOffset: number): PartitionRead {
  return {
    partitionIndex: partition.index,
    errorCode,
    chunks: [],
    bytes: 0,
    highWatermark,
    lastStableOffset: lastStable,
    logStartOffset,
  };
}

/** An error answered without offsets. */
const failed = (partition: Partition, errorCode: number) => answer(partition, errorCode, -1, -1, -1);

export function readPartition(partition: Partition, topic: Topic, r: ReadRequest): PartitionRead {
  // A log directory an I/O error took offline (storage/log-dir-failure.ts): Kafka's
  // ReplicaManager.readFromLocalLog answers KAFKA_STORAGE_ERROR without offsets.
  if (partition.log.offline) return failed(partition, ErrorCode.KAFKA_STORAGE_ERROR);
  try {
    return readLocal(partition, topic, r);
  } catch (err) {
    if (err instanceof KafkaStorageError) return failed(partition, ErrorCode.KAFKA_STORAGE_ERROR);
    throw err;
  }
}

function readLocal(partition: Partition, topic: Topic, r: ReadRequest): PartitionRead {
  const log = partition.log;
  const highWatermark = r.highWatermark ?? partition.highWatermark;
  const lastStable = Math.min(lastStableOffset(partition, r.isolationLevel === 1), r.highWatermark ?? Number.MAX_SAFE_INTEGER);
  const logStart = log.logStartOffset;
  const empty = (errorCode: number) => answer(partition, errorCode, highWatermark, lastStable, logStart);
  const fenced = epochError(partition, r.currentLeaderEpoch);
  if (fenced) return failed(partition, fenced);
  const diverging = divergence(partition, r);
  if (diverging === 'out-of-range') return failed(partition, ErrorCode.OFFSET_OUT_OF_RANGE);
  if (diverging) {
    const a = empty(0);
    a.divergingEpoch = diverging;
    return a;
  }
  if (r.fetchOffset < logStart || r.fetchOffset > (r.logEndOffset ?? log.logEndOffset))
    return failed(partition, ErrorCode.OFFSET_OUT_OF_RANGE);
  const bound = r.isolationLevel === 1 ? lastStable : highWatermark;
  if (r.fetchOffset >= bound || r.maxBytes <= 0) return empty(0);

  if (r.apiVersion < 10 && topic.effective.get('compression.type') === 'zstd') return empty(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE);
  // One segment per answer, as Kafka's LocalLog.read: a fetch from before a segment's end gets that segment's batches only.
  const read = log.read(r.fetchOffset, {
    maxBytes: r.maxBytes,
    maxOffset: bound,
    minOneBatch: r.minOneBatch,
    oneSegment: true,
    ...(r.alloc ? { alloc: r.alloc } : {}),
  });
  if (read.bytes === 0) return empty(0);
  // v3+: a partition whose first batch did not fit gets nothing rather than a fragment (Kafka's firstEntryIncomplete).
  if (r.apiVersion >= 3 && completeEntriesLength(read.chunks[0]!) === 0) return empty(0);
  if (r.apiVersion < 10 && batchesUseCodec(read.chunks, ZSTD)) return empty(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE);
  if (r.apiVersion <= 3) {
    // Legacy fetchers read magic 0 (v0-1) or magic 1 (v2-3) message sets.
    const magic = r.apiVersion <= 1 ? 0 : 1;
    let converted = downConvert(read.chunks, magic, r.fetchOffset);
    if (converted.length === 0 && r.apiVersion <= 2) {
      // v0-2 limits are hard: a first batch too big for them goes out cut off, so the client reports RecordTooLarge.
      const whole = log.read(r.fetchOffset, { maxBytes: 1, maxOffset: bound, minOneBatch: true });
      converted = downConvert(whole.chunks, magic, r.fetchOffset).subarray(0, r.maxBytes);
    }
    const a = empty(0);
    if (converted.length > 0) {
      a.chunks = [converted];
      a.bytes = converted.length;
    }
    return a;
  }
  const a = empty(0);
  a.chunks = read.chunks;
  a.bytes = read.bytes;
  a.abortedTransactions = r.isolationLevel === 1 ? partition.producers.abortedTransactions(r.fetchOffset, bound) : null;
  if (read.moreInLaterSegments !== undefined) a.moreInLaterSegments = read.moreInLaterSegments;
  return a;
}
