// In-memory LogStore: same offsets, read slicing, timestamp answers, retention and compaction as
// the disk store, no files. Construction is a few object allocations, so test suites can make
// thousands of them. Its LogManager runs retention and the cleaner on the injected clock.

import { LogClosedError } from '../protocol/errors.js';
import { SystemClock, type Clock } from './clock.js';
import { DEFAULT_LOG_MANAGER_SETTINGS, LogManager, type LogManagerSettings } from './log-manager.js';
import { stderrLogger, type StorageLogger } from './logger.js';
import { MemoryPartitionLog } from './memory-log.js';
import { decodeRecordTimestamps, type DecodeTimestamps } from './record-timestamps.js';
import type { LogConfig, LogStore, PartitionLog, TopicRecord } from './types.js';
import { randomKafkaUuid } from './uuid.js';

export { MemoryPartitionLog, lowerBound } from './memory-log.js';

export interface MemoryStoreOptions {
  nodeId?: number;
  clusterId?: string;
  /** Record timestamp decoder for ListOffsets by time; defaults to decodeRecordTimestamps (decompresses). */
  decodeTimestamps?: DecodeTimestamps;
  /** Time source for rolling, retention and the cleaner (default: system time). */
  clock?: Clock;
  /** Storage task settings; the checkpoint intervals do not apply in memory. */
  settings?: Partial<LogManagerSettings>;
  logger?: StorageLogger;
}

export class MemoryStore implements LogStore {
  readonly kind = 'memory' as const;
  readonly formatted = true;
  readonly clusterId: string;
  readonly nodeId: number;
  /** The storage scheduler (retention, cleaner). */
  readonly manager: LogManager;
  private readonly decode: DecodeTimestamps;
  private readonly clock: Clock;
  private topics: TopicRecord[] = [];
  private readonly logs = new Map<string, MemoryPartitionLog>();
  private closed = false;

  constructor(opts: MemoryStoreOptions = {}) {
    this.nodeId = opts.nodeId ?? 1;
    this.clusterId = opts.clusterId ?? randomKafkaUuid();
    this.decode = opts.decodeTimestamps ?? decodeRecordTimestamps;
    this.clock = opts.clock ?? new SystemClock();
    this.manager = new LogManager(this.clock, { ...DEFAULT_LOG_MANAGER_SETTINGS, ...opts.settings }, null, opts.logger ?? stderrLogger);
    this.manager.start();
  }

  loadTopics(): TopicRecord[] {
    return this.topics.map(copyTopic);
  }

  saveTopics(topics: TopicRecord[]): void {
    this.topics = topics.map(copyTopic);
  }

  openLog(topic: string, partition: number, _topicId: string, config: LogConfig): PartitionLog {
    if (this.closed) throw new LogClosedError('memory store');
    const key = `${topic}-${partition}`;
    let log = this.logs.get(key);
    if (log) {
      log.updateConfig(config);
      return log;
    }
    log = new MemoryPartitionLog(topic, partition, config, this.decode, this.clock, this.manager);
    this.logs.set(key, log);
    this.manager.add(log);
    return log;
  }

  deleteLog(topic: string, partition: number): void {
    const key = `${topic}-${partition}`;
    const log = this.logs.get(key);
    if (log) {
      this.manager.remove(log);
      log.close();
    }
    this.logs.delete(key);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.manager.stop(true);
    for (const log of this.logs.values()) log.close();
    this.logs.clear();
  }
}

function copyTopic(t: TopicRecord): TopicRecord {
  const copy: TopicRecord = { name: t.name, id: t.id, partitions: t.partitions, configs: { ...t.configs } };
  if (t.replicas) copy.replicas = t.replicas.map((r) => [...r]);
  return copy;
}
