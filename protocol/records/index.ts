// Public API of protocol/records: record batches, codecs, legacy formats (sans-I/O).

export {
  Codec,
  codecName,
  codecAvailable,
  assertCodecAvailable,
  compress,
  decompress,
  type CodecId,
  type CompressOptions,
} from './compression.js';

export {
  BASE_OFFSET_OFFSET,
  BATCH_LENGTH_OFFSET,
  PARTITION_LEADER_EPOCH_OFFSET,
  MAGIC_OFFSET,
  CRC_OFFSET,
  ATTRIBUTES_OFFSET,
  LAST_OFFSET_DELTA_OFFSET,
  BASE_TIMESTAMP_OFFSET,
  MAX_TIMESTAMP_OFFSET,
  PRODUCER_ID_OFFSET,
  PRODUCER_EPOCH_OFFSET,
  BASE_SEQUENCE_OFFSET,
  RECORDS_COUNT_OFFSET,
  RECORD_BATCH_OVERHEAD,
  LOG_OVERHEAD,
  HEADER_SIZE_UP_TO_MAGIC,
  COMPRESSION_CODEC_MASK,
  TIMESTAMP_TYPE_MASK,
  TRANSACTIONAL_FLAG_MASK,
  CONTROL_FLAG_MASK,
  DELETE_HORIZON_FLAG_MASK,
  NO_TIMESTAMP,
  NO_PRODUCER_ID,
  NO_PRODUCER_EPOCH,
  NO_SEQUENCE,
  NO_PARTITION_LEADER_EPOCH,
  TimestampType,
  readBatchHeader,
  magicAt,
  lastOffsetOf,
  computeCrc,
  isCrcValid,
  writeCrc,
  setBaseOffset,
  setLeaderEpoch,
  setMaxTimestamp,
  entrySizeAt,
  iterateEntries,
  completeEntriesLength,
  batchesUseCodec,
  type BatchHeader,
  type LogEntry,
} from './batch.js';

export {
  decodeBatchRecords,
  scanBatchRecords,
  batchRecordBytes,
  buildBatch,
  buildControlBatch,
  ControlType,
  type DecodedBatch,
  type DecodedRecord,
  type RecordHeader,
  type RecordInput,
  type BuildBatchOptions,
  type BytesLike,
} from './record.js';

export {
  decodeLegacy,
  encodeLegacy,
  legacyToBatch,
  downConvert,
  RECORD_OVERHEAD_V0,
  RECORD_OVERHEAD_V1,
  type LegacyMessage,
  type LegacyRecordInput,
  type EncodeLegacyOptions,
  type LegacyToBatchOptions,
} from './legacy.js';

export { checkProduceRequestRecords, validateProduceRecords, type ProduceValidationOptions, type ProduceBatchInfo } from './validate.js';

export { readInt64, writeInt64 } from './varint.js';
