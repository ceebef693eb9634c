// Public surface of the storage layer.

export * from './types.js';
export * from './clock.js';
export { MemoryStore, MEMORY_DATA_DIR, type MemoryStoreOptions } from './memory-store.js';
export { openDiskStore, DiskStore, type DiskStoreOptions, CLEAN_SHUTDOWN_FILE, PARTITION_METADATA_FILE } from './disk-store.js';
export { DiskPartitionLog } from './partition-log.js';
export { OffsetOutOfRangeError, LogClosedError, StorageCorruptError } from '../protocol/errors.js';
export { decodeRecordTimestamps, type DecodeTimestamps, type RecordTimestamp } from './record-timestamps.js';
export type { StorageLogger } from './logger.js';
export { randomKafkaUuid } from './uuid.js';
export { LogManager, DEFAULT_LOG_MANAGER_SETTINGS, type LogManagerSettings, type ManagedLog } from './log-manager.js';
export { scanCounters } from './segment-file.js';
