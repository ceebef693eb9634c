// Broker and topic configuration keys: Kafka's names, types and defaults, as data.
// A topic-level key (segment.bytes) names the broker-level key it falls back to
// (log.segment.bytes). Validation happens once, at start-up or when a topic is created/altered.

export type ConfigType = 'int' | 'long' | 'double' | 'boolean' | 'string' | 'list' | 'password';

export interface ConfigDef {
  name: string;
  type: ConfigType;
  /** Kafka's default, as the string a properties file would hold ('' with nullDefault for none). */
  default: string | null;
  doc: string;
  /** Inclusive numeric bounds. */
  min?: number;
  max?: number;
  /** Allowed values (case-sensitive, after trimming), for enumerations. */
  oneOf?: readonly string[];
  /** Not dynamically updatable, as in Kafka (DescribeConfigs read_only; AlterConfigs refuses it). */
  readOnly?: boolean;
}

export interface TopicConfigDef extends ConfigDef {
  /** Broker-level key that supplies the default when the topic does not override it. */
  brokerSynonym?: string;
}

const LONG_MAX = '9223372036854775807';

export const BROKER_CONFIGS: readonly ConfigDef[] = [
  { name: 'node.id', type: 'int', default: '1', min: 0, doc: 'Id of this node', readOnly: true },
  { name: 'broker.id', type: 'int', default: '-1', min: -1, doc: 'Legacy name of node.id (used when set)', readOnly: true },
  { name: 'listeners', type: 'list', default: 'PLAINTEXT://localhost:9092', doc: 'Listeners to bind (one PLAINTEXT listener is served)', readOnly: true },
  { name: 'advertised.listeners', type: 'list', default: null, doc: 'Address clients are told to use (defaults to listeners)', readOnly: true },
  { name: 'log.dirs', type: 'list', default: null, doc: 'Data directory (the first entry is used)', readOnly: true },
  { name: 'log.dir', type: 'string', default: 'data', doc: 'Data directory when log.dirs is not set', readOnly: true },
  { name: 'num.partitions', type: 'int', default: '1', min: 1, doc: 'Partitions of auto-created topics', readOnly: true },
  { name: 'default.replication.factor', type: 'int', default: '1', min: 1, max: 1, doc: 'Replication factor of auto-created topics', readOnly: true },
  { name: 'auto.create.topics.enable', type: 'boolean', default: 'true', doc: 'Create topics on first Metadata/Produce reference', readOnly: true },
  { name: 'delete.topic.enable', type: 'boolean', default: 'true', doc: 'Allow DeleteTopics', readOnly: true },
  { name: 'message.max.bytes', type: 'int', default: '1048588', min: 0, doc: 'Largest record batch accepted' },
  { name: 'socket.request.max.bytes', type: 'int', default: '104857600', min: 1, doc: 'Largest request frame accepted', readOnly: true },
  { name: 'fetch.max.bytes', type: 'int', default: '57671680', min: 1024, doc: 'Cap on a fetch response', readOnly: true },
  { name: 'connections.max.idle.ms', type: 'long', default: '600000', doc: 'Close connections idle for this long', readOnly: true },
  { name: 'log.segment.bytes', type: 'int', default: '1073741824', min: 14, doc: 'Segment file size' },
  { name: 'log.roll.ms', type: 'long', default: null, min: 1, doc: 'Roll segments this old (overrides log.roll.hours)' },
  { name: 'log.roll.hours', type: 'int', default: '168', min: 1, doc: 'Roll segments this old' },
  { name: 'log.index.size.max.bytes', type: 'int', default: '10485760', min: 4, doc: 'Offset index size cap' },
  { name: 'log.index.interval.bytes', type: 'int', default: '4096', min: 0, doc: 'Bytes between offset index entries' },
  { name: 'log.retention.ms', type: 'long', default: null, min: -1, doc: 'Delete segments older than this (-1: never)' },
  { name: 'log.retention.minutes', type: 'int', default: null, min: -1, doc: 'Retention in minutes (if log.retention.ms unset)' },
  { name: 'log.retention.hours', type: 'int', default: '168', min: -1, doc: 'Retention in hours (if ms and minutes unset)' },
  { name: 'log.retention.bytes', type: 'long', default: '-1', doc: 'Delete oldest segments past this size (-1: no limit)' },
  { name: 'log.retention.check.interval.ms', type: 'long', default: '300000', min: 1, doc: 'How often retention runs', readOnly: true },
  { name: 'log.cleanup.policy', type: 'list', default: 'delete', doc: 'delete, compact, or both' },
  { name: 'log.cleaner.delete.retention.ms', type: 'long', default: '86400000', min: 0, doc: 'How long tombstones survive compaction' },
  { name: 'log.cleaner.min.compaction.lag.ms', type: 'long', default: '0', min: 0, doc: 'Minimum age before compaction' },
  { name: 'log.cleaner.max.compaction.lag.ms', type: 'long', default: LONG_MAX, min: 1, doc: 'Maximum age before compaction' },
  { name: 'log.cleaner.min.cleanable.ratio', type: 'double', default: '0.5', min: 0, max: 1, doc: 'Dirty ratio that triggers compaction' },
  { name: 'log.message.timestamp.type', type: 'string', default: 'CreateTime', oneOf: ['CreateTime', 'LogAppendTime'], doc: 'Timestamp kept on records' },
  { name: 'log.message.timestamp.before.max.ms', type: 'long', default: LONG_MAX, min: 0, doc: 'Oldest record timestamp accepted, relative to now' },
  { name: 'log.message.timestamp.after.max.ms', type: 'long', default: LONG_MAX, min: 0, doc: 'Newest record timestamp accepted, relative to now' },
  { name: 'log.flush.interval.messages', type: 'long', default: LONG_MAX, min: 1, doc: 'fsync after this many messages' },
  { name: 'log.flush.interval.ms', type: 'long', default: null, min: 0, doc: 'fsync at this interval' },
  { name: 'log.flush.offset.checkpoint.interval.ms', type: 'int', default: '60000', min: 0, doc: 'How often the recovery-point and high-watermark checkpoints are written', readOnly: true },
  { name: 'log.flush.start.offset.checkpoint.interval.ms', type: 'int', default: '60000', min: 0, doc: 'How often the log-start-offset checkpoint is written', readOnly: true },
  { name: 'log.cleaner.enable', type: 'boolean', default: 'true', doc: 'Run the log cleaner for compacted topics', readOnly: true },
  { name: 'log.cleaner.backoff.ms', type: 'long', default: '15000', min: 0, doc: 'Pause between log cleaner rounds', readOnly: true },
  { name: 'log.cleaner.dedupe.buffer.size', type: 'long', default: '134217728', min: 0, doc: 'Memory for the log cleaner key map', readOnly: true },
  { name: 'log.segment.delete.delay.ms', type: 'long', default: '60000', min: 0, doc: 'Delay before deleted segment files are removed' },
  { name: 'log.preallocate', type: 'boolean', default: 'false', doc: 'Preallocate segment files (ignored)' },
  { name: 'compression.type', type: 'string', default: 'producer', oneOf: ['producer', 'uncompressed', 'gzip', 'snappy', 'lz4', 'zstd'], doc: 'Compression of stored batches' },
  { name: 'min.insync.replicas', type: 'int', default: '1', min: 1, doc: 'ISR size needed for acks=all' },
  { name: 'unclean.leader.election.enable', type: 'boolean', default: 'false', doc: 'Meaningless on one node' },
  { name: 'offsets.topic.num.partitions', type: 'int', default: '50', min: 1, doc: '__consumer_offsets partitions', readOnly: true },
  { name: 'offsets.topic.replication.factor', type: 'int', default: '1', min: 1, doc: '__consumer_offsets replication', readOnly: true },
  { name: 'transaction.state.log.num.partitions', type: 'int', default: '50', min: 1, doc: '__transaction_state partitions', readOnly: true },
  { name: 'transaction.state.log.replication.factor', type: 'int', default: '1', min: 1, doc: '__transaction_state replication', readOnly: true },
  // Transaction coordinator (broker/txn/).
  { name: 'transaction.max.timeout.ms', type: 'int', default: '900000', min: 1, doc: 'Largest transaction timeout a producer may ask for', readOnly: true },
  { name: 'transaction.abort.timed.out.transaction.cleanup.interval.ms', type: 'int', default: '10000', min: 1, doc: 'How often timed-out transactions are aborted', readOnly: true },
  { name: 'transaction.state.log.segment.bytes', type: 'int', default: '104857600', min: 1, doc: '__transaction_state segment size', readOnly: true },
  { name: 'group.initial.rebalance.delay.ms', type: 'int', default: '3000', min: 0, doc: 'Wait for more members before the first rebalance', readOnly: true },
  // Group coordinator (broker/groups/): Kafka's names and defaults; none is dynamic in Kafka.
  { name: 'group.min.session.timeout.ms', type: 'int', default: '6000', min: 0, doc: 'Smallest session timeout a classic member may ask for', readOnly: true },
  { name: 'group.max.session.timeout.ms', type: 'int', default: '1800000', min: 0, doc: 'Largest session timeout a classic member may ask for', readOnly: true },
  { name: 'group.max.size', type: 'int', default: '2147483647', min: 1, doc: 'Members a classic group may hold', readOnly: true },
  { name: 'group.consumer.session.timeout.ms', type: 'int', default: '45000', min: 1, doc: 'Session timeout of consumer-protocol (KIP-848) members', readOnly: true },
  { name: 'group.consumer.min.session.timeout.ms', type: 'int', default: '45000', min: 1, doc: 'Smallest consumer-protocol session timeout', readOnly: true },
  { name: 'group.consumer.max.session.timeout.ms', type: 'int', default: '60000', min: 1, doc: 'Largest consumer-protocol session timeout', readOnly: true },
  { name: 'group.consumer.heartbeat.interval.ms', type: 'int', default: '5000', min: 1, doc: 'Heartbeat interval given to consumer-protocol members', readOnly: true },
  { name: 'group.consumer.min.heartbeat.interval.ms', type: 'int', default: '5000', min: 1, doc: 'Smallest consumer-protocol heartbeat interval', readOnly: true },
  { name: 'group.consumer.max.heartbeat.interval.ms', type: 'int', default: '15000', min: 1, doc: 'Largest consumer-protocol heartbeat interval', readOnly: true },
  { name: 'group.consumer.max.size', type: 'int', default: '2147483647', min: 1, doc: 'Members a consumer-protocol group may hold', readOnly: true },
  { name: 'offsets.retention.minutes', type: 'int', default: '10080', min: 1, doc: 'Committed offsets of groups without members expire after this', readOnly: true },
  { name: 'offsets.retention.check.interval.ms', type: 'long', default: '600000', min: 1, doc: 'How often expired offsets are removed', readOnly: true },
  { name: 'offset.metadata.max.bytes', type: 'int', default: '4096', doc: 'Largest metadata string accepted with a committed offset', readOnly: true },
  { name: 'offsets.topic.segment.bytes', type: 'int', default: '104857600', min: 1, doc: '__consumer_offsets segment size', readOnly: true },
  { name: 'offsets.topic.compression.codec', type: 'int', default: '0', min: 0, max: 4, doc: 'Compression of __consumer_offsets batches (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd)', readOnly: true },
  { name: 'offsets.load.buffer.size', type: 'int', default: '5242880', min: 1, doc: 'Bytes read at a time when loading __consumer_offsets', readOnly: true },
  { name: 'offsets.commit.timeout.ms', type: 'int', default: '5000', min: 1, doc: 'Accepted for compatibility (commits are written at once)', readOnly: true },
  { name: 'num.network.threads', type: 'int', default: '3', min: 1, doc: 'Accepted for compatibility; unused' },
  { name: 'num.io.threads', type: 'int', default: '8', min: 1, doc: 'Accepted for compatibility; unused' },
  { name: 'num.recovery.threads.per.data.dir', type: 'int', default: '1', min: 1, doc: 'Accepted for compatibility; unused' },
  { name: 'socket.send.buffer.bytes', type: 'int', default: '102400', doc: 'Accepted for compatibility; unused', readOnly: true },
  { name: 'socket.receive.buffer.bytes', type: 'int', default: '102400', doc: 'Accepted for compatibility; unused', readOnly: true },
  { name: 'process.roles', type: 'list', default: 'broker,controller', doc: 'Accepted for compatibility (single combined node)', readOnly: true },
  { name: 'controller.quorum.voters', type: 'list', default: null, doc: 'Accepted for compatibility; unused', readOnly: true },
  { name: 'controller.listener.names', type: 'list', default: null, doc: 'Accepted for compatibility; unused', readOnly: true },
  { name: 'inter.broker.listener.name', type: 'string', default: null, doc: 'Accepted for compatibility; unused', readOnly: true },
  { name: 'listener.security.protocol.map', type: 'list', default: null, doc: 'Accepted for compatibility; unused', readOnly: true },
  // kafkalite's own keys: the HTTP server (health, /metrics, REST API, web console; broker/http/).
  { name: 'http.port', type: 'int', default: '9192', min: 0, max: 65535, doc: 'kafkalite: port of the HTTP server (health, metrics, REST API, console); 0 turns it off', readOnly: true },
  { name: 'http.host', type: 'string', default: null, doc: 'kafkalite: address the HTTP server binds (default: the Kafka listener host)', readOnly: true },
];

export const TOPIC_CONFIGS: readonly TopicConfigDef[] = [
  { name: 'cleanup.policy', type: 'list', default: 'delete', brokerSynonym: 'log.cleanup.policy', doc: 'delete, compact, or both' },
  { name: 'compression.type', type: 'string', default: 'producer', brokerSynonym: 'compression.type', oneOf: ['producer', 'uncompressed', 'gzip', 'snappy', 'lz4', 'zstd'], doc: 'Compression of stored batches' },
  { name: 'delete.retention.ms', type: 'long', default: '86400000', min: 0, brokerSynonym: 'log.cleaner.delete.retention.ms', doc: 'How long tombstones survive compaction' },
  { name: 'file.delete.delay.ms', type: 'long', default: '60000', min: 0, brokerSynonym: 'log.segment.delete.delay.ms', doc: 'Delay before deleting files' },
  { name: 'flush.messages', type: 'long', default: LONG_MAX, min: 1, brokerSynonym: 'log.flush.interval.messages', doc: 'fsync after this many messages' },
  { name: 'flush.ms', type: 'long', default: LONG_MAX, min: 0, brokerSynonym: 'log.flush.interval.ms', doc: 'fsync at this interval' },
  { name: 'index.interval.bytes', type: 'int', default: '4096', min: 0, brokerSynonym: 'log.index.interval.bytes', doc: 'Bytes between index entries' },
  { name: 'max.compaction.lag.ms', type: 'long', default: LONG_MAX, min: 1, brokerSynonym: 'log.cleaner.max.compaction.lag.ms', doc: 'Maximum age before compaction' },
  { name: 'max.message.bytes', type: 'int', default: '1048588', min: 0, brokerSynonym: 'message.max.bytes', doc: 'Largest record batch accepted' },
  { name: 'message.timestamp.type', type: 'string', default: 'CreateTime', oneOf: ['CreateTime', 'LogAppendTime'], brokerSynonym: 'log.message.timestamp.type', doc: 'Timestamp kept on records' },
  { name: 'message.timestamp.before.max.ms', type: 'long', default: LONG_MAX, min: 0, brokerSynonym: 'log.message.timestamp.before.max.ms', doc: 'Oldest timestamp accepted' },
  { name: 'message.timestamp.after.max.ms', type: 'long', default: LONG_MAX, min: 0, brokerSynonym: 'log.message.timestamp.after.max.ms', doc: 'Newest timestamp accepted' },
  { name: 'min.cleanable.dirty.ratio', type: 'double', default: '0.5', min: 0, max: 1, brokerSynonym: 'log.cleaner.min.cleanable.ratio', doc: 'Dirty ratio that triggers compaction' },
  { name: 'min.compaction.lag.ms', type: 'long', default: '0', min: 0, brokerSynonym: 'log.cleaner.min.compaction.lag.ms', doc: 'Minimum age before compaction' },
  { name: 'min.insync.replicas', type: 'int', default: '1', min: 1, brokerSynonym: 'min.insync.replicas', doc: 'ISR size needed for acks=all' },
  { name: 'preallocate', type: 'boolean', default: 'false', brokerSynonym: 'log.preallocate', doc: 'Preallocate segment files (ignored)' },
  { name: 'retention.bytes', type: 'long', default: '-1', brokerSynonym: 'log.retention.bytes', doc: 'Size limit per partition (-1: none)' },
  { name: 'retention.ms', type: 'long', default: '604800000', min: -1, brokerSynonym: 'log.retention.ms', doc: 'Age limit (-1: none)' },
  { name: 'segment.bytes', type: 'int', default: '1073741824', min: 14, brokerSynonym: 'log.segment.bytes', doc: 'Segment file size' },
  { name: 'segment.index.bytes', type: 'int', default: '10485760', min: 4, brokerSynonym: 'log.index.size.max.bytes', doc: 'Index size cap' },
  { name: 'segment.jitter.ms', type: 'long', default: '0', min: 0, doc: 'Random jitter subtracted from segment.ms' },
  { name: 'segment.ms', type: 'long', default: '604800000', min: 1, brokerSynonym: 'log.roll.ms', doc: 'Roll segments this old' },
  { name: 'unclean.leader.election.enable', type: 'boolean', default: 'false', brokerSynonym: 'unclean.leader.election.enable', doc: 'Meaningless on one node' },
  { name: 'message.downconversion.enable', type: 'boolean', default: 'true', doc: 'Down-convert for old fetchers' },
  { name: 'local.retention.ms', type: 'long', default: '-2', doc: 'Tiered storage (unused)' },
  { name: 'local.retention.bytes', type: 'long', default: '-2', doc: 'Tiered storage (unused)' },
  { name: 'remote.storage.enable', type: 'boolean', default: 'false', doc: 'Tiered storage (unsupported)' },
];

export const BROKER_CONFIG_BY_NAME: ReadonlyMap<string, ConfigDef> = new Map(BROKER_CONFIGS.map((d) => [d.name, d]));
export const TOPIC_CONFIG_BY_NAME: ReadonlyMap<string, TopicConfigDef> = new Map(TOPIC_CONFIGS.map((d) => [d.name, d]));
