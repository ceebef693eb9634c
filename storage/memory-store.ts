// The in-process LogStore: the disk store (disk-store.ts), with its segments, indexes, recovery,
// retention and cleaner, over a fresh in-memory file system (fs/memory-fs.ts) rooted at a fixed
// virtual data directory. So in-process brokers run the same log code as the CLI; nothing touches
// the disk. Construction is synchronous and cheap (no lock: no other process can see the files).
//
// It reports kind 'memory': its data directory is not a place on disk, so DescribeLogDirs answers
// "memory" and the broker's own state files (configs, quotas, credentials...) are not kept. The
// test kit's snapshot()/restore() (broker/testkit/state.ts) go through image() and restoreDirs():
// a copy of the file system plus each open log's offsets, as a clean shutdown would leave them,
// so a restored log reloads without recovery (LogLoaderOptions.trusted).

import { SystemClock, type Clock } from './clock.js';
import { DiskStore, type LogImage } from './disk-store.js';
import { MemoryFileSystem } from './fs/memory-fs.js';
import { DEFAULT_LOG_MANAGER_SETTINGS, type LogManagerSettings } from './log-manager.js';
import { stderrLogger, type StorageLogger } from './logger.js';
import { decodeRecordTimestamps, type DecodeTimestamps } from './record-timestamps.js';
import type { TopicRecord } from './types.js';
import { randomKafkaUuid } from './uuid.js';

/** Where the in-process store's data directory lives in its memory file system. */
export const MEMORY_DATA_DIR = '/kafkalite/data';

/** A copy of a memory store's data at one moment (MemoryStore.image()). Never changed once made. */
export interface StoreImage {
  /** The file system, copied (buffers shared until either side writes). */
  readonly files: MemoryFileSystem;
  /** Each log open then, by `<topic>-<partition>`: its offsets, as its checkpoints would say. */
  readonly logs: ReadonlyMap<string, LogImage>;
}

export interface MemoryStoreOptions {
  nodeId?: number;
  clusterId?: string;
  /** Record timestamp decoder for ListOffsets by time; defaults to decodeRecordTimestamps (decompresses). */
  decodeTimestamps?: DecodeTimestamps;
  /** Time source for rolling, retention, the cleaner and file times (default: system time). */
  clock?: Clock;
  /** Storage task settings (Kafka's broker-level names in LogManagerSettings). */
  settings?: Partial<LogManagerSettings>;
  logger?: StorageLogger;
}

export class MemoryStore extends DiskStore {
  override readonly kind = 'memory' as const;
  /** Partition directories put back by restoreDirs() and not yet reopened, with what the image says of them. */
  private readonly restored = new Map<string, LogImage | null>();

  constructor(opts: MemoryStoreOptions = {}) {
    const clock = opts.clock ?? new SystemClock();
    const fs = new MemoryFileSystem(() => clock.now());
    fs.mkdir(MEMORY_DATA_DIR);
    // No meta.properties: no one reads this directory back.
    super(MEMORY_DATA_DIR, opts.nodeId ?? 1, opts.clusterId ?? randomKafkaUuid(), false, [], null, {
      logger: opts.logger ?? stderrLogger,
      clock,
      decode: opts.decodeTimestamps ?? decodeRecordTimestamps,
      settings: { ...DEFAULT_LOG_MANAGER_SETTINGS, ...opts.settings },
      formatted: true,
      fs,
    });
  }

  /** The memory file system the data directory lives on. */
  get memoryFs(): MemoryFileSystem {
    return this.fs as MemoryFileSystem;
  }

  /**
   * Close without the clean-shutdown work (final fsyncs, checkpoints, the marker): nothing will
   * read these files again.
   */
  override close(): Promise<void> {
    return this.abandon();
  }

  /**
   * Topic records stay in memory: no one reopens this store (its files die with it). Kept as given
   * (TopicManager.persist builds a fresh list each time); loadTopics() copies.
   */
  override saveTopics(topics: TopicRecord[]): void {
    this.topics = topics;
  }

  /**
   * The data as it is now: every open log's pending index entries are written to its files, then
   * the file system is copied with each log's offsets (the image a clean shutdown would leave).
   */
  image(): StoreImage {
    const logs = this.logImages();
    return { files: this.memoryFs.clone(), logs };
  }

  /**
   * Put partition directories (`<topic>-<partition>`) back from an image, for logs about to be
   * opened again (their old logs must be deleted first). A log the image recorded reloads as after
   * a clean shutdown, with the image's offsets; another directory is recovered from its first segment.
   */
  restoreDirs(image: StoreImage, names: readonly string[]): void {
    for (const name of names) {
      const dir = `${MEMORY_DATA_DIR}/${name}`;
      if (!image.files.exists(dir)) continue;
      this.memoryFs.replaceTree(dir, image.files);
      this.restored.set(name, image.logs.get(name) ?? null);
    }
  }

  protected override imageOf(name: string): LogImage | null | undefined {
    const found = this.restored.get(name);
    this.restored.delete(name);
    return found;
  }
}
