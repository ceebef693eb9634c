// The disk LogStore: one data directory laid out like a Kafka log dir (Kafka's LogManager, file
// names in LogFileUtils): meta.properties, .lock, .kafka_cleanshutdown, the four offset
// checkpoints, and a `<topic>-<partition>/` directory per partition log; plus kafkalite-topics.json
// for topic metadata. Its LogManager (log-manager.ts) runs retention, flushing, checkpoints and the
// cleaner from open until close().

import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { LogClosedError } from '../protocol/errors.js';
import { writeFileAtomic, fsyncDir, readFileIfExists } from './atomic-file.js';
import {
  CLEANER_OFFSET_CHECKPOINT,
  DataDirCheckpoints,
  LOG_START_OFFSET_CHECKPOINT,
  RECOVERY_POINT_CHECKPOINT,
  REPLICATION_OFFSET_CHECKPOINT,
  partitionKey,
  type CheckpointName,
  type OffsetMap,
} from './checkpoint-file.js';
import { SystemClock, type Clock } from './clock.js';
import { DataDirLock } from './data-dir-lock.js';
import type { FileSystem } from './fs/file-system.js';
import { DeferredSyncFs } from './fs/deferred-sync.js';
import { nodeFs } from './fs/node-fs.js';
import { LogDirFailureChannel, isIoError } from './log-dir-failure.js';
import { LogLoader } from './log-loader.js';
import { DEFAULT_LOG_MANAGER_SETTINGS, LogManager, type CheckpointSink, type LogManagerSettings, type ManagedLog } from './log-manager.js';
import { stderrLogger, type StorageLogger } from './logger.js';
import { META_PROPERTIES, ensureMetaProperties } from './meta-properties.js';
import { DiskPartitionLog } from './partition-log.js';
import type { SegmentEnd } from './segment.js';
import { decodeRecordTimestamps, type DecodeTimestamps } from './record-timestamps.js';
import { readTopicsFile, writeTopicsFile } from './topics-file.js';
import { resolveLogConfig, type LogConfig, type LogStore, type PartitionLog, type TopicRecord } from './types.js';
import { uuidHex } from './uuid.js';

/** A log's offsets in an image of its files (DiskStore.logImages): what its checkpoints would say. */
export interface LogImage {
  readonly logStartOffset: number;
  readonly recoveryPoint: number;
  readonly firstDirtyOffset: number | null;
  /** The active segment's end then (its .log is loaded without a scan when it is still that size). */
  readonly end: SegmentEnd | null;
}

export const CLEAN_SHUTDOWN_FILE = '.kafka_cleanshutdown';
export const PARTITION_METADATA_FILE = 'partition.metadata';

export interface DiskStoreOptions {
  dataDir: string;
  nodeId: number;
  /** Expected cluster id; a new directory gets this one (or a random one if absent). */
  clusterId?: string;
  logger?: StorageLogger;
  /** Time source for rolling, retention, flushing, checkpoints and the cleaner (default: system time). */
  clock?: Clock;
  /** Storage task settings (Kafka's broker-level names in LogManagerSettings); defaults are Kafka's. */
  settings?: Partial<LogManagerSettings>;
  /** Record timestamp decoder for ListOffsets by time; defaults to decodeRecordTimestamps (decompresses). */
  decodeTimestamps?: DecodeTimestamps;
  /**
   * Where the data directory lives (default: the real disk, storage/fs/node-fs.ts). Over any other
   * file system (storage/fs/memory-fs.ts) no `.lock` is taken: no other process can see it.
   */
  fs?: FileSystem;
}

/** Open (creating if needed) and lock a data directory. Fails fast with DataDirLockedError if in use. */
export async function openDiskStore(opts: DiskStoreOptions): Promise<DiskStore> {
  const dataDir = path.resolve(opts.dataDir);
  const logger = opts.logger ?? stderrLogger;
  const fs = opts.fs ?? nodeFs;
  fs.mkdir(dataDir);
  const lock = fs === nodeFs ? await DataDirLock.acquire(dataDir, logger) : null;
  try {
    const formatted = !fs.exists(path.join(dataDir, META_PROPERTIES));
    const meta = ensureMetaProperties(dataDir, opts.nodeId, opts.clusterId, fs);
    const markerPath = path.join(dataDir, CLEAN_SHUTDOWN_FILE);
    const hadCleanShutdown = fs.exists(markerPath);
    if (hadCleanShutdown) {
      fs.remove(markerPath);
      fsyncDir(dataDir, fs);
    }
    removeDeletedPartitionDirs(dataDir, fs);
    const topics = readTopicsFile(dataDir, fs);
    return new DiskStore(dataDir, meta.nodeId, meta.clusterId, hadCleanShutdown, topics, lock, {
      logger,
      clock: opts.clock ?? new SystemClock(),
      decode: opts.decodeTimestamps ?? decodeRecordTimestamps,
      settings: { ...DEFAULT_LOG_MANAGER_SETTINGS, ...opts.settings },
      formatted,
      fs,
    });
  } catch (err) {
    await lock?.release();
    throw err;
  }
}

/** Finish deletions interrupted by a crash (`<topic>-<partition>.<hex>-delete/`). */
function removeDeletedPartitionDirs(dataDir: string, fs: FileSystem): void {
  for (const name of fs.readdir(dataDir)) {
    if (/\.[0-9a-f]{32}-delete$/.test(name)) fs.remove(path.join(dataDir, name), { recursive: true });
  }
}

export class DiskStore implements LogStore, CheckpointSink {
  /** 'memory' for the in-process store (memory-store.ts: this store over a memory file system). */
  readonly kind: 'disk' | 'memory' = 'disk';
  private readonly logs = new Map<string, DiskPartitionLog>();
  protected topics: TopicRecord[];
  private closing: Promise<void> | null = null;
  private readonly logger: StorageLogger;
  private readonly clock: Clock;
  private readonly decode: DecodeTimestamps;
  private readonly checkpoints: DataDirCheckpoints;
  /** The file system the data directory lives on. */
  readonly fs: FileSystem;
  /** The logs' view of it: batches their fsyncs at a clean shutdown (deferred-sync.ts). */
  private readonly logFs: DeferredSyncFs;
  /** Takes the data directory offline at the first I/O error of a log (Kafka's LogDirFailureChannel). */
  readonly logDirFailure: LogDirFailureChannel;
  /** The storage scheduler (retention, flush, checkpoints, cleaner). */
  readonly manager: LogManager;
  /** Whether meta.properties was missing at start-up: a new data directory (LogStore.formatted). */
  readonly formatted: boolean;

  constructor(
    readonly dataDir: string,
    readonly nodeId: number,
    readonly clusterId: string,
    /** Whether `.kafka_cleanshutdown` was present at start-up (it is removed once noted). */
    readonly hadCleanShutdown: boolean,
    topics: TopicRecord[],
    private readonly lock: DataDirLock | null,
    deps: {
      logger: StorageLogger;
      clock: Clock;
      decode: DecodeTimestamps;
      settings: LogManagerSettings;
      formatted?: boolean;
      fs?: FileSystem;
    },
  ) {
    this.fs = deps.fs ?? nodeFs;
    this.logFs = new DeferredSyncFs(this.fs);
    this.logDirFailure = new LogDirFailureChannel(dataDir, deps.logger);
    this.formatted = deps.formatted ?? false;
    this.topics = topics;
    this.logger = deps.logger;
    this.clock = deps.clock;
    this.decode = deps.decode;
    this.checkpoints = new DataDirCheckpoints(dataDir, deps.logger, this.fs);
    this.manager = new LogManager(deps.clock, deps.settings, this, deps.logger, this.fs);
    this.manager.start();
  }

  loadTopics(): TopicRecord[] {
    return this.topics.map(copyTopic);
  }

  saveTopics(topics: TopicRecord[]): void {
    this.ensureOpen();
    const copy = topics.map(copyTopic);
    writeTopicsFile(this.dataDir, copy, this.fs);
    this.topics = copy;
  }

  openLog(topic: string, partition: number, topicId: string, config: LogConfig): PartitionLog {
    this.ensureOpen();
    const name = `${topic}-${partition}`;
    const existing = this.logs.get(name);
    if (existing) {
      existing.updateConfig(config);
      return existing;
    }
    const dir = path.join(this.dataDir, name);
    const fresh = this.claimPartitionDir(dir, name, topicId);
    const image = fresh ? undefined : this.imageOf(name);
    const initial = (file: Parameters<DataDirCheckpoints['initialOffset']>[0]) =>
      fresh || image !== undefined ? undefined : this.checkpoints.initialOffset(file, topic, partition);
    const loaded = new LogLoader({
      dir,
      name,
      config: resolveLogConfig(config),
      hadCleanShutdown: this.hadCleanShutdown,
      trusted: image ? { end: image.end } : undefined,
      recoveryPoint: image?.recoveryPoint ?? initial(RECOVERY_POINT_CHECKPOINT) ?? 0,
      logStartOffset: image?.logStartOffset ?? initial(LOG_START_OFFSET_CHECKPOINT) ?? 0,
      nowMs: this.clock.now(),
      logger: this.logger,
      fs: this.logFs,
    }).load();
    const log = new DiskPartitionLog({
      dir,
      topic,
      partition,
      config,
      clock: this.clock,
      decodeTimestamps: this.decode,
      segments: loaded.segments,
      logStartOffset: loaded.logStartOffset,
      recoveryPoint: loaded.recoveryPoint,
      firstDirtyOffset: image ? image.firstDirtyOffset : (initial(CLEANER_OFFSET_CHECKPOINT) ?? null),
      hooks: this.manager,
      fresh,
      logger: this.logger,
      fs: this.logFs,
      dirFailure: this.logDirFailure,
    });
    this.logs.set(name, log);
    this.manager.add(log);
    return log;
  }

  /**
   * How to open a partition directory put back from an image of this store (MemoryStore.restoreDirs):
   * undefined for any other directory (its offsets come from the data directory's checkpoints); a
   * LogImage when the image recorded the log (a trusted load, LogLoaderOptions.trusted); null when
   * it did not (no checkpoint applies: recovered from its first segment).
   */
  protected imageOf(_name: string): LogImage | null | undefined {
    return undefined;
  }

  /**
   * Every open log's offsets as a clean shutdown would checkpoint them, after writing its pending
   * index entries to their files: with a copy of the files taken now, this makes an image each log
   * reloads from without recovery (MemoryStore.image()).
   */
  protected logImages(): Map<string, LogImage> {
    const out = new Map<string, LogImage>();
    for (const [name, log] of this.logs) {
      log.writePendingIndexEntries();
      out.set(name, {
        logStartOffset: log.logStartOffset,
        recoveryPoint: log.recoveryPoint,
        firstDirtyOffset: log.firstDirtyOffset,
        end: log.activeEnd(),
      });
    }
    return out;
  }

  /**
   * Make sure `dir` is this topic's: write partition.metadata for a new directory; a directory
   * left by an older topic of the same name (other topic id) is moved aside as `-stray`.
   * Returns true when the directory is new (checkpoint entries of its name belong to no one).
   */
  private claimPartitionDir(dir: string, name: string, topicId: string): boolean {
    const metaPath = path.join(dir, PARTITION_METADATA_FILE);
    // A new partition's directory does not exist yet: no failed read to find that out.
    const text = this.fs.exists(dir) ? readFileIfExists(metaPath, this.fs) : null;
    const found = text === null ? null : (/^topic_id:\s*(\S+)\s*$/m.exec(text)?.[1] ?? '');
    if (found === topicId) return false;
    if (found !== null) {
      const stray = `${dir}.${found ? uuidHex(found) : randomBytes(16).toString('hex')}-stray`;
      this.fs.rename(dir, stray);
      this.logger.warn(
        { partition: name, foundTopicId: found, topicId, movedTo: stray },
        'partition directory belongs to another topic id; moved aside',
      );
    }
    this.fs.mkdir(dir);
    writeFileAtomic(metaPath, `version: 0\ntopic_id: ${topicId}\n`, { fsync: false }, this.fs);
    return true;
  }

  deleteLog(topic: string, partition: number): void {
    this.ensureOpen();
    const name = `${topic}-${partition}`;
    const log = this.logs.get(name);
    this.logs.delete(name);
    if (log) {
      this.manager.remove(log);
      log.abandon();
    }
    const dir = path.join(this.dataDir, name);
    if (!this.fs.exists(dir)) return;
    // Rename first so a crash half-way through the removal leaves a directory start-up deletes.
    const doomed = `${dir}.${randomBytes(16).toString('hex')}-delete`;
    this.fs.rename(dir, doomed);
    this.fs.remove(doomed, { recursive: true });
  }

  /** Flush and close every log, write `.kafka_cleanshutdown`, release the lock. Idempotent (LogStore.close). */
  close(lastWrites?: () => void): Promise<void> {
    this.closing ??= this.shutdown(true, lastWrites);
    return this.closing;
  }

  /**
   * Simulate a crash for tests: close descriptors and release the lock without flushing, final
   * index entries or the clean-shutdown marker.
   */
  abandon(): Promise<void> {
    this.closing ??= this.shutdown(false);
    return this.closing;
  }

  private async shutdown(clean: boolean, lastWrites?: () => void): Promise<void> {
    let failure: unknown;
    this.manager.stop(clean);
    // The logs' fsyncs (and those of the last writes) run together once every log is closed, before
    // any checkpoint or the marker.
    if (clean) this.logFs.defer();
    try {
      if (clean) lastWrites?.();
    } catch (err) {
      failure ??= err;
      this.logger.error({ err }, 'failed to write before closing the logs');
    }
    for (const log of this.logs.values()) {
      try {
        if (clean) log.close();
        else log.abandon();
      } catch (err) {
        failure ??= err;
        this.logger.error({ partition: `${log.topic}-${log.partition}`, err }, 'failed to close log');
      }
    }
    try {
      await this.logFs.settle();
    } catch (err) {
      failure ??= err;
      this.logger.error({ err }, 'failed to flush logs');
    }
    try {
      if (clean && failure === undefined) this.manager.writeCheckpoints();
    } catch (err) {
      failure ??= err;
      this.logger.error({ err }, 'failed to write checkpoints');
    }
    this.logs.clear();
    try {
      if (clean && failure === undefined) {
        writeFileAtomic(path.join(this.dataDir, CLEAN_SHUTDOWN_FILE), '{"version":0,"brokerEpoch":0}', { fsync: true }, this.fs);
      }
    } finally {
      await this.lock?.release();
    }
    if (failure !== undefined) throw failure;
  }

  private ensureOpen(): void {
    if (this.closing) throw new LogClosedError(`disk store ${this.dataDir}`);
  }

  // ---- checkpoints (CheckpointSink) ---------------------------------------------------------

  /** An I/O error writing a checkpoint takes the directory offline too (Kafka's LogManager.checkpointLogRecoveryOffsetsInDir). */
  private writeCheckpoint(name: CheckpointName, entries: OffsetMap): void {
    if (this.logDirFailure.offline) return;
    try {
      this.checkpoints.write(name, entries);
    } catch (err) {
      if (!isIoError(err)) throw err;
      throw this.logDirFailure.fail(`Disk error while writing ${name} in directory ${this.dataDir}`, err);
    }
  }

  writeRecoveryCheckpoints(logs: readonly ManagedLog[]): void {
    this.writeCheckpoint(
      RECOVERY_POINT_CHECKPOINT,
      offsets(logs, (l) => l.recoveryPoint),
    );
    this.writeCheckpoint(
      REPLICATION_OFFSET_CHECKPOINT,
      offsets(logs, (l) => l.highWatermark),
    );
  }

  writeLogStartCheckpoint(logs: readonly ManagedLog[]): void {
    // Kafka writes an entry only where the log start is above the first segment's base.
    this.writeCheckpoint(
      LOG_START_OFFSET_CHECKPOINT,
      offsets(logs, (l) => (l instanceof DiskPartitionLog && l.logStartOffset > l.segmentList[0]!.baseOffset ? l.logStartOffset : null)),
    );
  }

  writeCleanerCheckpoint(logs: readonly ManagedLog[]): void {
    this.writeCheckpoint(
      CLEANER_OFFSET_CHECKPOINT,
      offsets(logs, (l) => l.firstDirtyOffset),
    );
  }
}

function offsets(logs: readonly ManagedLog[], pick: (log: ManagedLog) => number | null): OffsetMap {
  const out: OffsetMap = new Map();
  for (const log of logs) {
    const v = pick(log);
    if (v !== null) out.set(partitionKey(log.topic, log.partition), v);
  }
  return out;
}

export function copyTopic(t: TopicRecord): TopicRecord {
  const copy: TopicRecord = { name: t.name, id: t.id, partitions: t.partitions, configs: { ...t.configs } };
  if (t.replicas) copy.replicas = t.replicas.map((r) => [...r]);
  return copy;
}
