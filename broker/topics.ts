// The topic table. TopicManager is the single owner of which topics exist, their ids,
// partition counts and config overrides; it persists them through the LogStore and opens
// each partition's log. Handlers ask it; nothing else creates or deletes topics.

import { randomBytes } from 'node:crypto';
import { type BrokerConfig, checkTopicConfigs, effectiveTopicConfig } from '../config/index.js';
import { ErrorCode } from '../protocol/errors.js';
import { ZERO_UUID } from '../protocol/primitives.js';
import {
  resolveLogConfig,
  type CleanupPolicy,
  type LogConfig,
  type LogStore,
  type PartitionLog,
  type TopicRecord,
} from '../storage/types.js';
import { Partition } from './partition.js';
import type { Replication } from './replication/replication.js';

/** The group coordinator's log (Kafka's name). */
export const GROUP_METADATA_TOPIC = '__consumer_offsets';
/** The transaction coordinator's log (Kafka's name). */
export const TRANSACTION_STATE_TOPIC = '__transaction_state';

export const INTERNAL_TOPICS: ReadonlySet<string> = new Set([GROUP_METADATA_TOPIC, TRANSACTION_STATE_TOPIC, '__share_group_state']);

export interface Topic {
  readonly name: string;
  readonly id: string;
  readonly internal: boolean;
  partitions: Partition[];
  /** Topic-level overrides only. */
  configs: Record<string, string>;
  /** Overrides on top of broker defaults: the values in force. */
  effective: Map<string, string>;
}

/** Outcome of a topic operation, as Kafka reports it. */
export interface TopicResult {
  errorCode: number;
  errorMessage: string | null;
  topic?: Topic;
}

const LEGAL = /^[a-zA-Z0-9._-]+$/;
const MAX_NAME = 249;

/** Kafka's Topic.validate: returns its message when the name is illegal. */
export function invalidTopicName(name: string): string | null {
  const reason =
    name.length === 0
      ? 'the empty string is not allowed'
      : name === '.' || name === '..'
        ? `'${name}' is not allowed`
        : name.length > MAX_NAME
          ? `the length of '${name}' is longer than the max allowed length ${MAX_NAME}`
          : !LEGAL.test(name)
            ? `'${name}' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'`
            : null;
  return reason === null ? null : `Topic name is invalid: ${reason}`;
}

/** Kafka's Uuid.randomUuid: never all-zero, never the reserved …0001, never text starting with '-'. */
export function newTopicId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (id !== ZERO_UUID && id !== 'AAAAAAAAAAAAAAAAAAAAAQ' && !id.startsWith('-')) return id;
  }
}

export interface PlacementPolicy {
  /** Node that leads partition `index` of a new topic. */
  leaderFor(topic: string, index: number): number;
}

/**
 * Kafka's words for a manual replica assignment it refuses, or null (ReplicationControlManager's
 * validateManualPartitionAssignment, node ids checked in sorted order, then the fenced check).
 * `expectedRf` is the topic's replication factor (CreatePartitions); null takes the first list's.
 */
export function assignmentProblem(
  assignments: ReadonlyArray<readonly number[]>,
  known: (id: number) => boolean,
  live: (id: number) => boolean,
  expectedRf: number | null,
  firstIndex = 0,
): string | null {
  let rf = expectedRf;
  for (const [i, ids] of assignments.entries()) {
    if (ids.length === 0) return 'The manual partition assignment includes an empty replica list.';
    let prev: number | null = null;
    for (const id of [...ids].sort((a, b) => a - b)) {
      if (!known(id)) return `The manual partition assignment includes broker ${id}, but no such broker is registered.`;
      if (id === prev) return `The manual partition assignment includes the broker ${id} more than once.`;
      prev = id;
    }
    if (rf !== null && ids.length !== rf) {
      return (
        `The manual partition assignment includes a partition with ${ids.length} replica(s), but this is not consistent ` +
        `with previous partitions, which have ${rf} replica(s).`
      );
    }
    rf = ids.length;
    if (!ids.some(live)) {
      return `All brokers specified in the manual partition assignment for partition ${firstIndex + i} are fenced or in controlled shutdown.`;
    }
  }
  return null;
}

export class TopicManager {
  private readonly byName = new Map<string, Topic>();
  private readonly byId = new Map<string, Topic>();
  /** Inside batched(): persist() only notes that the topics changed. */
  private batching = 0;
  private persistPending = false;

  constructor(
    private readonly store: LogStore,
    private readonly config: BrokerConfig,
    private readonly placement: PlacementPolicy,
    /** Replica placement and the follower model (broker/replication/); null: one replica per partition. */
    private readonly replication: Replication | null = null,
  ) {}

  /** Open every topic the store knows (start-up). */
  load(): void {
    for (const rec of this.store.loadTopics()) this.open(rec);
  }

  get(name: string): Topic | undefined {
    return this.byName.get(name);
  }
  getById(id: string): Topic | undefined {
    return this.byId.get(id);
  }
  all(): IterableIterator<Topic> {
    return this.byName.values();
  }
  get size(): number {
    return this.byName.size;
  }

  partition(topic: string, index: number): Partition | undefined {
    return this.byName.get(topic)?.partitions[index];
  }

  /**
   * Create a topic, or only check that it could be created (validateOnly). Errors are Kafka's:
   * INVALID_TOPIC_EXCEPTION, TOPIC_ALREADY_EXISTS, INVALID_PARTITIONS, INVALID_REPLICATION_FACTOR,
   * INVALID_CONFIG.
   */
  create(
    name: string,
    opts: {
      partitions?: number;
      replicationFactor?: number;
      /** Manual replica assignment, one node list per partition (checked by the caller). */
      assignments?: number[][];
      configs?: Record<string, string | null>;
      validateOnly?: boolean;
    },
  ): TopicResult {
    const bad = invalidTopicName(name);
    if (bad) return { errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION, errorMessage: bad };
    if (this.byName.has(name)) {
      return { errorCode: ErrorCode.TOPIC_ALREADY_EXISTS, errorMessage: `Topic '${name}' already exists.` };
    }
    const collision = this.collidingTopic(name);
    if (collision) {
      return {
        errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION,
        errorMessage: `Topic '${name}' collides with existing topic: ${collision}`,
      };
    }
    const partitions = opts.partitions === undefined || opts.partitions === -1 ? this.config.int('num.partitions') : opts.partitions;
    if (partitions <= 0) {
      return { errorCode: ErrorCode.INVALID_PARTITIONS, errorMessage: 'Number of partitions was set to an invalid non-positive value.' };
    }
    const rf =
      opts.assignments?.[0]?.length ??
      (opts.replicationFactor === undefined || opts.replicationFactor === -1
        ? this.config.int('default.replication.factor')
        : opts.replicationFactor);
    if (rf <= 0) {
      return {
        errorCode: ErrorCode.INVALID_REPLICATION_FACTOR,
        errorMessage: 'Replication factor must be larger than 0, or -1 to use the default value.',
      };
    }
    const unreachable = opts.assignments ? null : rfProblem(rf, this.replication);
    if (unreachable) return { errorCode: ErrorCode.INVALID_REPLICATION_FACTOR, errorMessage: unreachable };
    const configs = opts.configs ?? {};
    const problem = checkTopicConfigs(configs);
    if (problem) return { errorCode: ErrorCode.INVALID_CONFIG, errorMessage: problem[1] };
    if (opts.validateOnly) return { errorCode: ErrorCode.NONE, errorMessage: null };

    const replicas =
      opts.assignments ??
      (rf > 1
        ? Array.from({ length: partitions }, (_, i) => this.replication?.place(name, i, rf) ?? [this.placement.leaderFor(name, i)])
        : undefined);
    const rec: TopicRecord = {
      name,
      id: newTopicId(),
      partitions,
      configs: configs as Record<string, string>,
      ...(replicas ? { replicas } : {}),
    };
    const topic = this.open(rec);
    this.persist();
    return { errorCode: ErrorCode.NONE, errorMessage: null, topic };
  }

  /** Open a topic exactly as recorded (id included) and persist: test kit restore. */
  restoreTopic(rec: TopicRecord): Topic {
    if (this.byName.has(rec.name)) this.delete(rec.name);
    const topic = this.open(rec);
    this.persist();
    return topic;
  }

  delete(name: string): TopicResult {
    const topic = this.byName.get(name);
    if (!topic) {
      return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: 'This server does not host this topic-partition.' };
    }
    this.byName.delete(name);
    this.byId.delete(topic.id);
    for (const p of topic.partitions) {
      this.store.deleteLog(name, p.index);
      p.notify();
    }
    this.persist();
    return { errorCode: ErrorCode.NONE, errorMessage: null, topic };
  }

  /**
   * Replace a topic's config overrides (AlterConfigs; IncrementalAlterConfigs computes the full
   * set first), or only check them (validateOnly). The new values apply to its logs at once.
   */
  alterConfigs(name: string, configs: Record<string, string>, validateOnly = false): TopicResult {
    const topic = this.byName.get(name);
    if (!topic) return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `The topic '${name}' does not exist.` };
    const problem = checkTopicConfigs(configs);
    if (problem) return { errorCode: ErrorCode.INVALID_CONFIG, errorMessage: problem[1] };
    if (validateOnly) return { errorCode: ErrorCode.NONE, errorMessage: null, topic };
    topic.configs = { ...configs };
    this.applyEffective(topic);
    this.persist();
    return { errorCode: ErrorCode.NONE, errorMessage: null, topic };
  }

  /** Recompute every topic's settings after a broker-level (dynamic) default changed. */
  refreshConfigs(): void {
    for (const topic of this.byName.values()) this.applyEffective(topic);
  }

  /**
   * Grow a topic to `count` partitions (CreatePartitions), or only check (validateOnly). New
   * partitions get the topic's settings and the given leaders, else the placement policy's.
   */
  createPartitions(name: string, count: number, opts: { assignments?: number[][]; validateOnly?: boolean } = {}): TopicResult {
    const topic = this.byName.get(name);
    // Kafka's controller answers an unknown topic here without a message.
    if (!topic) return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: null };
    const current = topic.partitions.length;
    if (count === current) return { errorCode: ErrorCode.INVALID_PARTITIONS, errorMessage: `Topic already has ${current} partition(s).` };
    if (count < current) {
      return {
        errorCode: ErrorCode.INVALID_PARTITIONS,
        errorMessage: `The topic ${name} currently has ${current} partition(s); ${count} would not be an increase.`,
      };
    }
    if (opts.assignments && opts.assignments.length !== count - current) {
      return {
        errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT,
        errorMessage: `Attempted to add ${count - current} additional partition(s), but only ${opts.assignments.length} assignment(s) were specified.`,
      };
    }
    // New partitions keep the topic's replication factor (Kafka's createPartitions).
    const rf = topic.partitions[0]?.replicaSet.replicas.length ?? 1;
    const unreachable = opts.assignments ? null : rfProblem(rf, this.replication);
    if (unreachable) return { errorCode: ErrorCode.INVALID_REPLICATION_FACTOR, errorMessage: unreachable };
    if (opts.validateOnly) return { errorCode: ErrorCode.NONE, errorMessage: null, topic };
    const logConfig = this.logConfig(topic.effective);
    for (let i = current; i < count; i++) {
      const log = this.store.openLog(name, i, topic.id, logConfig);
      const replicas = opts.assignments?.[i - current] ?? this.replication?.place(name, i, rf) ?? [this.placement.leaderFor(name, i)];
      topic.partitions.push(this.newPartition(name, i, log, replicas));
    }
    this.persist();
    return { errorCode: ErrorCode.NONE, errorMessage: null, topic };
  }

  private applyEffective(topic: Topic): void {
    topic.effective = effectiveTopicConfig(this.config, topic.configs);
    const logConfig = this.logConfig(topic.effective);
    for (const p of topic.partitions) p.log.updateConfig(logConfig);
  }

  /** Log settings in force for a topic. */
  logConfig(effective: Map<string, string>): LogConfig {
    return {
      segmentBytes: Number(effective.get('segment.bytes')),
      segmentMs: Number(effective.get('segment.ms')),
      segmentIndexBytes: Number(effective.get('segment.index.bytes')),
      indexIntervalBytes: Number(effective.get('index.interval.bytes')),
      segmentJitterMs: Number(effective.get('segment.jitter.ms')),
      retentionMs: Number(effective.get('retention.ms')),
      retentionBytes: Number(effective.get('retention.bytes')),
      cleanupPolicy: (effective.get('cleanup.policy') ?? 'delete').split(',').map((p) => p.trim() as CleanupPolicy),
      deleteRetentionMs: Number(effective.get('delete.retention.ms')),
      minCleanableDirtyRatio: Number(effective.get('min.cleanable.dirty.ratio')),
      minCompactionLagMs: Number(effective.get('min.compaction.lag.ms')),
      maxCompactionLagMs: Number(effective.get('max.compaction.lag.ms')),
      fileDeleteDelayMs: Number(effective.get('file.delete.delay.ms')),
      flushMessages: Number(effective.get('flush.messages')),
      flushMs: Number(effective.get('flush.ms')),
    };
  }

  private open(rec: TopicRecord): Topic {
    const effective = effectiveTopicConfig(this.config, rec.configs);
    // Resolved once: the topic's logs share it (resolveLogConfig returns a resolved config as it is).
    const logConfig = resolveLogConfig(this.logConfig(effective));
    const partitions: Partition[] = [];
    for (let i = 0; i < rec.partitions; i++) {
      const log = this.store.openLog(rec.name, i, rec.id, logConfig);
      partitions.push(this.newPartition(rec.name, i, log, rec.replicas?.[i] ?? [this.placement.leaderFor(rec.name, i)]));
    }
    const topic: Topic = {
      name: rec.name,
      id: rec.id,
      internal: INTERNAL_TOPICS.has(rec.name),
      partitions,
      configs: { ...rec.configs },
      effective,
    };
    this.byName.set(rec.name, topic);
    this.byId.set(rec.id, topic);
    return topic;
  }

  /** A partition led by the first of its replicas that is up (the preferred leader). */
  private newPartition(name: string, index: number, log: PartitionLog, replicas: readonly number[]): Partition {
    const leader = replicas.length > 1 && this.replication ? (this.replication.firstLive(replicas) ?? replicas[0]!) : replicas[0]!;
    return new Partition(name, index, log, leader, replicas, this.replication);
  }

  /** Nodes up now (the most replicas a new partition can get). */
  liveNodeCount(): number {
    return this.replication?.liveCount ?? 1;
  }

  /**
   * Run `change` with the topics saved once at the end instead of after each step (the test kit's
   * reset() and restore() delete and reopen every topic).
   */
  batched<T>(change: () => T): T {
    this.batching++;
    try {
      return change();
    } finally {
      if (--this.batching === 0 && this.persistPending) {
        this.persistPending = false;
        this.persist();
      }
    }
  }

  /** Persist every topic (also after a reassignment changed replicas). */
  persist(): void {
    if (this.batching > 0) {
      this.persistPending = true;
      return;
    }
    this.store.saveTopics(
      [...this.byName.values()].map((t) => {
        const rec: TopicRecord = { name: t.name, id: t.id, partitions: t.partitions.length, configs: t.configs };
        // Replica lists are kept only when some partition has more than one replica (files of one-replica topics unchanged).
        if (t.partitions.some((p) => !p.replicaSet.single)) rec.replicas = t.partitions.map((p) => [...p.replicaSet.replicas]);
        return rec;
      }),
    );
  }

  /** Kafka forbids topics whose names differ only by '.' versus '_'. */
  private collidingTopic(name: string): string | null {
    if (!name.includes('.') && !name.includes('_')) return null;
    const norm = name.replace(/\./g, '_');
    for (const other of this.byName.keys()) {
      if (other !== name && other.replace(/\./g, '_') === norm) return other;
    }
    return null;
  }
}

/** INVALID_REPLICATION_FACTOR's message when the live nodes cannot hold `rf` replicas, or null. */
function rfProblem(rf: number, replication: Replication | null): string | null {
  if (replication) return replication.replicationFactorProblem(rf);
  if (rf <= 1) return null;
  return (
    `Unable to replicate the partition ${rf} time(s): The target replication factor of ${rf} cannot be reached ` +
    'because only 1 broker(s) are registered or some brokers have all their log directories cordoned.'
  );
}
