// The storage contract. A LogStore owns a set of PartitionLogs plus the small amount of
// cluster metadata kafkalite persists (topic ids, partition counts, topic configs).
// Storage knows record batches, never requests: callers hand it validated magic-2 batches.
//
// Ownership: each PartitionLog is the single owner of its partition's offsets (log start,
// log end, high watermark) and files. Nothing else writes into a partition directory.

/** Per-log settings, with Kafka's topic-level names in the comments. */
export interface LogConfig {
  /** segment.bytes: roll the active segment when an append would take it past this. */
  segmentBytes: number;
  /** segment.ms: roll when the active segment's first timestamp is older than this. */
  segmentMs: number;
  /** segment.index.bytes: offset/time index size cap; a full index forces a roll. */
  segmentIndexBytes: number;
  /** index.interval.bytes: bytes appended between two sparse index entries. */
  indexIntervalBytes: number;
}

export const DEFAULT_LOG_CONFIG: LogConfig = {
  segmentBytes: 1073741824,
  segmentMs: 604800000,
  segmentIndexBytes: 10485760,
  indexIntervalBytes: 4096,
};

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
}

export interface ReadResult {
  /**
   * Stored bytes, as they are: whole batches starting with the batch that contains the
   * requested offset (so it may start below it). One chunk per segment touched.
   */
  chunks: Buffer[];
  /** Sum of chunk lengths. */
  bytes: number;
}

export interface TimestampLookup {
  offset: number;
  timestamp: number;
}

export interface PartitionLog {
  readonly topic: string;
  readonly partition: number;
  /** First offset still readable. */
  readonly logStartOffset: number;
  /** Offset the next appended record will get. */
  readonly logEndOffset: number;
  /** Last committed offset + 1. On a single replica it follows the log end offset. */
  readonly highWatermark: number;
  /** Bytes stored across all segments. */
  readonly size: number;

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

  /** Apply new settings (from a topic config change). */
  updateConfig(config: LogConfig): void;

  /** Make everything appended so far durable (fsync on disk; no-op in memory). */
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
}

export interface LogStore {
  /** 'memory' or 'disk'. */
  readonly kind: 'memory' | 'disk';
  /** Cluster id from meta.properties (disk) or generated (memory). */
  readonly clusterId: string;
  readonly nodeId: number;

  /** Topics known at start-up (from disk) or since creation. */
  loadTopics(): TopicRecord[];
  /** Persist the full set of topics atomically. */
  saveTopics(topics: TopicRecord[]): void;

  /** Open (recovering if needed) or create the log of one partition. */
  openLog(topic: string, partition: number, topicId: string, config: LogConfig): PartitionLog;
  /** Close and remove a partition's log and its files. */
  deleteLog(topic: string, partition: number): void;

  /** Flush and close every open log, release the data-dir lock. Idempotent. */
  close(): Promise<void>;
}
