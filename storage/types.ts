// The storage contract. A LogStore owns a set of PartitionLogs plus the small amount of
// cluster metadata kafkalite persists (topic ids, partition counts, topic configs).
// Storage knows record batches, never requests: callers hand it validated magic-2 batches.
//
// Ownership: each PartitionLog is the single owner of its partition's offsets (log start,
// log end, high watermark) and files. Nothing else writes into a partition directory.

import { LONG_MAX_NUMBER } from '../protocol/limits.js';
import type { BatchHeader } from '../protocol/records/index.js';
import type { FileSystem } from './fs/file-system.js';
import type { EpochEntry } from './leader-epoch-checkpoint.js';
import type { LogDirFailureChannel } from './log-dir-failure.js';

/** A cleanup.policy entry. */
export type CleanupPolicy = 'delete' | 'compact';

/**
 * Per-log settings, with Kafka's topic-level names in the comments. The four segment settings
 * are required; the rest default to Kafka's values (DEFAULT_LOG_CONFIG) when left out.
 */
export interface LogConfig {
  /** segment.bytes: roll the active segment when an append would take it past this. */
  segmentBytes: number;
  /** segment.ms: roll when the active segment's first timestamp is older than this. */
  segmentMs: number;
  /** segment.index.bytes: offset/time index size cap; a full index forces a roll. */
  segmentIndexBytes: number;
  /** index.interval.bytes: bytes appended between two sparse index entries. */
  indexIntervalBytes: number;
  /** segment.jitter.ms: each new segment rolls up to this much before segment.ms (random). */
  segmentJitterMs?: number;
  /** retention.ms: delete old segments whose newest record is older than this (-1: never). */
  retentionMs?: number;
  /** retention.bytes: delete old segments while the log is larger than this (-1: no limit). */
  retentionBytes?: number;
  /** cleanup.policy: 'delete' (retention), 'compact' (log cleaner), or both. */
  cleanupPolicy?: readonly CleanupPolicy[];
  /** delete.retention.ms: how long tombstones survive after a cleaning pass first saw them. */
  deleteRetentionMs?: number;
  /** min.cleanable.dirty.ratio: dirty bytes / total bytes that make a compacted log cleanable. */
  minCleanableDirtyRatio?: number;
  /** min.compaction.lag.ms: records younger than this are never compacted. */
  minCompactionLagMs?: number;
  /** max.compaction.lag.ms: dirty records older than this make the log cleanable at any ratio. */
  maxCompactionLagMs?: number;
  /** file.delete.delay.ms: how long deleted segments stay as `.deleted` files. */
  fileDeleteDelayMs?: number;
  /** flush.messages: fsync once this many messages are unflushed (Long.MAX: leave it to the OS). */
  flushMessages?: number;
  /** flush.ms: fsync data older than this (Long.MAX: leave it to the OS). */
  flushMs?: number;
}

/** A LogConfig with every setting filled in. */
export type ResolvedLogConfig = Required<LogConfig>;

export const DEFAULT_LOG_CONFIG: ResolvedLogConfig = {
  segmentBytes: 1073741824,
  segmentMs: 604800000,
  segmentIndexBytes: 10485760,
  indexIntervalBytes: 4096,
  segmentJitterMs: 0,
  retentionMs: 604800000,
  retentionBytes: -1,
  cleanupPolicy: ['delete'],
  deleteRetentionMs: 86400000,
  minCleanableDirtyRatio: 0.5,
  minCompactionLagMs: 0,
  maxCompactionLagMs: LONG_MAX_NUMBER,
  fileDeleteDelayMs: 60000,
  flushMessages: LONG_MAX_NUMBER,
  flushMs: LONG_MAX_NUMBER,
};

/** Fill the settings a LogConfig leaves out with Kafka's defaults. */
export function resolveLogConfig(config: LogConfig): ResolvedLogConfig {
  if (resolvedSet.has(config)) return config as ResolvedLogConfig;
  const out: Record<string, unknown> = { ...DEFAULT_LOG_CONFIG };
  for (const [k, v] of Object.entries(config)) if (v !== undefined) out[k] = v;
  // Logs with the same settings share one frozen object (thousands of partitions, a few configs).
  const key = JSON.stringify(out);
  const known = resolvedConfigs.get(key);
  if (known) return known;
  const resolved = Object.freeze(out) as unknown as ResolvedLogConfig;
  resolvedSet.add(resolved);
  if (resolvedConfigs.size >= 256) resolvedConfigs.clear();
  resolvedConfigs.set(key, resolved);
  return resolved;
}

const resolvedConfigs = new Map<string, ResolvedLogConfig>();
/** Every object resolveLogConfig returned (frozen): resolving one again returns it unchanged. */
const resolvedSet = new WeakSet<object>();

export interface AppendResult {
  /** Offset given to the first record of the first batch. */
  baseOffset: number;
  /** Offset of the last record of the last batch. */
  lastOffset: number;
  /** Largest maxTimestamp among the appended batches (-1 if none carried one). */
  maxTimestamp: number;
}

export interface ReadOptions {
  /** Byte budget. The last batch may be cut off to respect it (clients drop the partial batch). */
  maxBytes: number;
  /** Exclusive upper bound on offsets served (the high watermark, or the LSO later). */
  maxOffset: number;
  /** Return at least the first whole batch even if it is larger than maxBytes (Fetch v3+, KIP-74). */
  minOneBatch: boolean;
  /** Stop at the end of the segment holding the first batch, as Kafka's LocalLog.read answers a fetch. */
  oneSegment?: boolean;
  /** Memory for the bytes read (default: a fresh buffer per range); broker/buffer-pool.ts lends pooled memory. */
  alloc?: (length: number) => Buffer;
}

export interface ReadResult {
  /**
   * Stored bytes, as they are: whole batches starting with the batch that contains the
   * requested offset (so it may start below it). One chunk per segment touched.
   */
  chunks: Buffer[];
  /** Sum of chunk lengths. */
  bytes: number;
  /** With oneSegment: batches below maxOffset were left for the next read, in later segments. */
  moreInLaterSegments?: boolean;
}

export interface TimestampLookup {
  offset: number;
  timestamp: number;
}

export interface PartitionLog {
  readonly topic: string;
  readonly partition: number;
  /** An I/O error took the log's data directory offline (disk store, storage/log-dir-failure.ts). */
  readonly offline?: boolean;
  /** First offset still readable. */
  readonly logStartOffset: number;
  /** Offset the next appended record will get. */
  readonly logEndOffset: number;
  /** Last committed offset + 1. On a single replica it follows the log end offset. */
  readonly highWatermark: number;
  /** Bytes stored across all segments. */
  readonly size: number;
  /** The partition directory on disk (undefined in memory); producer state files live there too. */
  readonly dir?: string;
  /** The file system `dir` lives on (storage/fs/); set whenever `dir` is. */
  readonly fs?: FileSystem;

  /**
   * Append one or more magic-2 batches that the caller has already validated (size, magic,
   * CRC, shape). The log assigns offsets by writing baseOffset (bytes 0-7) and
   * partitionLeaderEpoch (bytes 12-15) into each batch in place, rolls segments as needed,
   * writes the bytes, updates the indexes, and advances the log end offset.
   */
  append(batches: Buffer, leaderEpoch: number): AppendResult;

  /** Read stored batches from fetchOffset. fetchOffset must be within [logStartOffset, logEndOffset]. */
  read(fetchOffset: number, opts: ReadOptions): ReadResult;

  /** First record with timestamp >= ts and offset < maxOffset, or null (ListOffsets by time). */
  offsetForTimestamp(ts: number, maxOffset: number): TimestampLookup | null;

  /** Record with the largest timestamp below maxOffset (earliest such offset), or null (ListOffsets -3). */
  maxTimestamp(maxOffset: number): TimestampLookup | null;

  /**
   * DeleteRecords: move the log start offset up to `offset` (never down); records below it are
   * no longer served and whole segments below it go at the next retention check. `offset` must
   * not be above the high watermark (OffsetOutOfRangeError otherwise). Returns the log start offset.
   */
  deleteRecordsBefore(offset: number): number;

  /**
   * Cut the log back to `offset` (Kafka's UnifiedLog.truncateTo, a follower or a new leader
   * after an unclean election): every batch holding `offset` or later goes (segments wholly past
   * it, the tail of the one holding it, with their index entries) and the log end becomes
   * `offset`; at or below the log start the log is emptied and starts again at `offset`. On disk
   * the .txnindex entries and producer snapshots past it go too. The caller rebuilds its producer
   * state and leader-epoch cache. Returns whether anything was removed (false when `offset` is at
   * or past the log end).
   */
  truncateTo(offset: number): boolean;

  /**
   * The leader-epoch cache kept in the partition directory (storage/leader-epoch-checkpoint.ts):
   * the file's entries, or when it is missing or malformed the entries rebuilt from the stored
   * batches' partition leader epochs (`rebuilt`). Null in memory (nothing survives a restart).
   */
  loadLeaderEpochs(): { entries: EpochEntry[]; rebuilt: boolean } | null;

  /**
   * The headers of the stored batches from the one holding `fromOffset` to the log end, in offset
   * order (61 bytes read per batch, not the records: producer-state recovery).
   */
  batchHeaders(fromOffset: number): Iterable<BatchHeader>;

  /**
   * Save the leader-epoch cache (its owner, broker/partition.ts, calls this on every change); no-op
   * in memory. `durable` false skips the fsync, for a cache rebuilt from the batches (a file lost to
   * a crash is rebuilt the same way at the next start).
   */
  saveLeaderEpochs(entries: readonly EpochEntry[], durable?: boolean): void;

  /** Apply new settings (from a topic config change); retention, compaction and flushing follow at once. */
  updateConfig(config: LogConfig): void;

  /** Make everything appended so far durable (fsync on disk; no-op in memory); the recovery point moves to the log end. */
  flush(): void;

  /** Release file handles. The log is unusable afterwards. */
  close(): void;
}

/** What kafkalite persists about a topic besides its logs. */
export interface TopicRecord {
  name: string;
  /** Kafka's base64url text form of the 16-byte topic id. */
  id: string;
  partitions: number;
  /** Topic-level config overrides only (names as in Kafka, values as strings). */
  configs: Record<string, string>;
  /** Replica node ids per partition, preferred leader first; absent: one replica, placed by the cluster. */
  replicas?: number[][];
}

export interface LogStore {
  /** 'memory' or 'disk'. */
  readonly kind: 'memory' | 'disk';
  /** The file system a disk store's data directory lives on (storage/fs/); undefined in memory. */
  readonly fs?: FileSystem;
  /** Whether the disk store's data directory went offline, and when (storage/log-dir-failure.ts); undefined in memory. */
  readonly logDirFailure?: LogDirFailureChannel;
  /** Cluster id from meta.properties (disk) or generated (memory). */
  readonly clusterId: string;
  readonly nodeId: number;
  /**
   * True when the store started empty: a memory store, or a data directory formatted on this
   * start (no meta.properties yet). The broker then writes its bootstrap records, as Kafka's
   * controller does on an empty metadata log (ActivationRecordsGenerator).
   */
  readonly formatted?: boolean;

  /** Topics known at start-up (from disk) or since creation. */
  loadTopics(): TopicRecord[];
  /** Persist the full set of topics atomically. */
  saveTopics(topics: TopicRecord[]): void;

  /** Open (recovering if needed) or create the log of one partition. */
  openLog(topic: string, partition: number, topicId: string, config: LogConfig): PartitionLog;
  /** Close and remove a partition's log and its files. */
  deleteLog(topic: string, partition: number): void;

  /**
   * Stop the storage tasks (retention, flush, checkpoints, cleaner), flush and close every open
   * log, write the checkpoints, release the data-dir lock. Idempotent. `lastWrites` runs once,
   * before the logs close, with their fsyncs already batched: files written then through a log's
   * `fs` share that batch (the producer snapshots Kafka's UnifiedLog.close takes). Only for writes
   * nobody waits on: nothing they fsync is durable before close() resolves.
   */
  close(lastWrites?: () => void): Promise<void>;
}
