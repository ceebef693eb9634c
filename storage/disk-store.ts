// The disk LogStore: one data directory laid out like a Kafka log dir (README §8): meta.properties,
// .lock, .kafka_cleanshutdown, and a `<topic>-<partition>/` directory per partition log; plus
// kafkalite-topics.json for topic metadata.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { LogClosedError } from '../protocol/errors.js';
import { writeFileAtomic, fsyncDir, readFileIfExists } from './atomic-file.js';
import { SystemClock, type Clock } from './clock.js';
import { DataDirLock } from './data-dir-lock.js';
import { LogLoader } from './log-loader.js';
import { stderrLogger, type StorageLogger } from './logger.js';
import { ensureMetaProperties } from './meta-properties.js';
import { DiskPartitionLog } from './partition-log.js';
import { decodeRecordTimestamps, type DecodeTimestamps } from './record-timestamps.js';
import { readTopicsFile, writeTopicsFile } from './topics-file.js';
import type { LogConfig, LogStore, PartitionLog, TopicRecord } from './types.js';
import { uuidHex } from './uuid.js';

export const CLEAN_SHUTDOWN_FILE = '.kafka_cleanshutdown';
export const PARTITION_METADATA_FILE = 'partition.metadata';

export interface DiskStoreOptions {
  dataDir: string;
  nodeId: number;
  /** Expected cluster id; a new directory gets this one (or a random one if absent). */
  clusterId?: string;
  logger?: StorageLogger;
  /** Time source for segment.ms rolling of segments without timestamps. */
  clock?: Clock;
  /** Record timestamp decoder for ListOffsets by time; defaults to decodeRecordTimestamps (decompresses). */
  decodeTimestamps?: DecodeTimestamps;
}

/** Open (creating if needed) and lock a data directory. Fails fast with DataDirLockedError if in use. */
export async function openDiskStore(opts: DiskStoreOptions): Promise<DiskStore> {
  const dataDir = path.resolve(opts.dataDir);
  const logger = opts.logger ?? stderrLogger;
  fs.mkdirSync(dataDir, { recursive: true });
  const lock = await DataDirLock.acquire(dataDir, logger);
  try {
    const meta = ensureMetaProperties(dataDir, opts.nodeId, opts.clusterId);
    const markerPath = path.join(dataDir, CLEAN_SHUTDOWN_FILE);
    const hadCleanShutdown = fs.existsSync(markerPath);
    if (hadCleanShutdown) {
      fs.rmSync(markerPath, { force: true });
      fsyncDir(dataDir);
    }
    removeDeletedPartitionDirs(dataDir);
    const topics = readTopicsFile(dataDir);
    return new DiskStore(dataDir, meta.nodeId, meta.clusterId, hadCleanShutdown, topics, lock, {
      logger,
      clock: opts.clock ?? new SystemClock(),
      decode: opts.decodeTimestamps ?? decodeRecordTimestamps,
    });
  } catch (err) {
    await lock.release();
    throw err;
  }
}

/** Finish deletions interrupted by a crash (`<topic>-<partition>.<hex>-delete/`). */
function removeDeletedPartitionDirs(dataDir: string): void {
  for (const name of fs.readdirSync(dataDir)) {
    if (/\.[0-9a-f]{32}-delete$/.test(name)) fs.rmSync(path.join(dataDir, name), { recursive: true, force: true });
  }
}

export class DiskStore implements LogStore {
  readonly kind = 'disk' as const;
  private readonly logs = new Map<string, DiskPartitionLog>();
  private topics: TopicRecord[];
  private closing: Promise<void> | null = null;
  private readonly logger: StorageLogger;
  private readonly clock: Clock;
  private readonly decode: DecodeTimestamps;

  constructor(
    readonly dataDir: string,
    readonly nodeId: number,
    readonly clusterId: string,
    /** Whether `.kafka_cleanshutdown` was present at start-up (it is removed once noted). */
    readonly hadCleanShutdown: boolean,
    topics: TopicRecord[],
    private readonly lock: DataDirLock,
    deps: { logger: StorageLogger; clock: Clock; decode: DecodeTimestamps },
  ) {
    this.topics = topics;
    this.logger = deps.logger;
    this.clock = deps.clock;
    this.decode = deps.decode;
  }

  loadTopics(): TopicRecord[] {
    return this.topics.map(copyTopic);
  }

  saveTopics(topics: TopicRecord[]): void {
    this.ensureOpen();
    const copy = topics.map(copyTopic);
    writeTopicsFile(this.dataDir, copy);
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
    this.claimPartitionDir(dir, name, topicId);
    const segments = new LogLoader({
      dir,
      name,
      config,
      hadCleanShutdown: this.hadCleanShutdown,
      logStartOffset: 0,
      nowMs: this.clock.now(),
      logger: this.logger,
    }).load();
    const log = new DiskPartitionLog({ dir, topic, partition, config, clock: this.clock, decodeTimestamps: this.decode, segments });
    this.logs.set(name, log);
    return log;
  }

  /**
   * Make sure `dir` is this topic's: write partition.metadata for a new directory; a directory
   * left by an older topic of the same name (other topic id) is moved aside as `-stray`.
   */
  private claimPartitionDir(dir: string, name: string, topicId: string): void {
    const metaPath = path.join(dir, PARTITION_METADATA_FILE);
    const text = readFileIfExists(metaPath);
    const found = text === null ? null : (/^topic_id:\s*(\S+)\s*$/m.exec(text)?.[1] ?? '');
    if (found === topicId) return;
    if (found !== null) {
      const stray = `${dir}.${found ? uuidHex(found) : randomBytes(16).toString('hex')}-stray`;
      fs.renameSync(dir, stray);
      this.logger.warn({ partition: name, foundTopicId: found, topicId, movedTo: stray }, 'partition directory belongs to another topic id; moved aside');
    }
    fs.mkdirSync(dir, { recursive: true });
    writeFileAtomic(metaPath, `version: 0\ntopic_id: ${topicId}\n`, { fsync: false });
  }

  deleteLog(topic: string, partition: number): void {
    this.ensureOpen();
    const name = `${topic}-${partition}`;
    const log = this.logs.get(name);
    this.logs.delete(name);
    log?.abandon();
    const dir = path.join(this.dataDir, name);
    if (!fs.existsSync(dir)) return;
    // Rename first so a crash half-way through the removal leaves a directory start-up deletes.
    const doomed = `${dir}.${randomBytes(16).toString('hex')}-delete`;
    fs.renameSync(dir, doomed);
    fs.rmSync(doomed, { recursive: true, force: true });
  }

  /** Flush and close every log, write `.kafka_cleanshutdown`, release the lock. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutdown(true);
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

  private async shutdown(clean: boolean): Promise<void> {
    let failure: unknown;
    for (const log of this.logs.values()) {
      try {
        if (clean) log.close();
        else log.abandon();
      } catch (err) {
        failure ??= err;
        this.logger.error({ partition: `${log.topic}-${log.partition}`, err }, 'failed to close log');
      }
    }
    this.logs.clear();
    try {
      if (clean && failure === undefined) {
        writeFileAtomic(path.join(this.dataDir, CLEAN_SHUTDOWN_FILE), '{"version":0,"brokerEpoch":0}', { fsync: true });
      }
    } finally {
      await this.lock.release();
    }
    if (failure !== undefined) throw failure;
  }

  private ensureOpen(): void {
    if (this.closing) throw new LogClosedError(`disk store ${this.dataDir}`);
  }
}

function copyTopic(t: TopicRecord): TopicRecord {
  return { name: t.name, id: t.id, partitions: t.partitions, configs: { ...t.configs } };
}
