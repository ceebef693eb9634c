// The in-process LogStore: the disk store (disk-store.ts), with its segments, indexes, recovery,
// retention and cleaner, over a fresh in-memory file system (fs/memory-fs.ts) rooted at a fixed
// virtual data directory. So in-process brokers run the same log code as the CLI; nothing touches
// the disk. Construction is synchronous and cheap (no lock: no other process can see the files).
//
// It reports kind 'memory': its data directory is not a place on disk, so DescribeLogDirs answers
// "memory" and the broker's own state files (configs, quotas, credentials...) are not kept. The
// test kit's snapshot()/restore() (broker/testkit/state.ts) copy its file system's image.

import { SystemClock, type Clock } from './clock.js';
import { DiskStore, copyTopic } from './disk-store.js';
import { MemoryFileSystem } from './fs/memory-fs.js';
import { DEFAULT_LOG_MANAGER_SETTINGS, type LogManagerSettings } from './log-manager.js';
import { stderrLogger, type StorageLogger } from './logger.js';
import { decodeRecordTimestamps, type DecodeTimestamps } from './record-timestamps.js';
import type { TopicRecord } from './types.js';
import { randomKafkaUuid } from './uuid.js';

/** Where the in-process store's data directory lives in its memory file system. */
export const MEMORY_DATA_DIR = '/kafkalite/data';

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
  /** Partition directories put back by restoreDirs(), recovered from their first segment. */
  private readonly restored = new Set<string>();

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

  /** Topic records stay in memory: no one reopens this store (its files die with it). */
  override saveTopics(topics: TopicRecord[]): void {
    this.topics = topics.map(copyTopic);
  }

  /**
   * Put partition directories (`<topic>-<partition>`) back from an image taken with
   * memoryFs.clone(), for logs about to be opened again (their old logs must be deleted first).
   */
  restoreDirs(image: MemoryFileSystem, names: readonly string[]): void {
    for (const name of names) {
      const dir = `${MEMORY_DATA_DIR}/${name}`;
      if (!image.exists(dir)) continue;
      this.memoryFs.replaceTree(dir, image);
      this.restored.add(name);
    }
  }

  protected override ignoresCheckpoints(name: string): boolean {
    return this.restored.delete(name);
  }
}
