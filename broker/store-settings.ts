// Broker-level storage settings (Kafka's names) for the store's scheduler (storage/log-manager.ts).

import type { BrokerConfig } from '../config/index.js';
import type { LogManagerSettings } from '../storage/log-manager.js';

export function storeSettings(config: BrokerConfig): LogManagerSettings {
  return {
    retentionCheckIntervalMs: config.int('log.retention.check.interval.ms'),
    recoveryPointCheckpointIntervalMs: config.int('log.flush.offset.checkpoint.interval.ms'),
    startOffsetCheckpointIntervalMs: config.int('log.flush.start.offset.checkpoint.interval.ms'),
    cleanerEnable: config.bool('log.cleaner.enable'),
    cleanerBackoffMs: config.int('log.cleaner.backoff.ms'),
    cleanerDedupeBufferSize: config.int('log.cleaner.dedupe.buffer.size'),
  };
}
