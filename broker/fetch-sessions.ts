// Incremental fetch sessions (KIP-227), as Kafka's FetchManager, FetchSessionCacheShard and
// FetchSession (core/src/main/scala/kafka/server/FetchSession.scala) keep them, one cache per
// node. A fetch (v7+) with session epoch 0 is a full fetch that asks for a session: its answer
// carries a new session id when the cache has room (max.incremental.fetch.session.cache.slots)
// or can evict a less valuable session. Later fetches name the session and its epoch and list
// only the partitions whose fetch position changed (the session remembers the others) and the
// partitions to forget; their answers list only partitions with records, a new high watermark
// or log start offset, an error, a preferred read replica or a diverging epoch. Epoch -1 (and
// every fetch below v7) is sessionless: any session it names is closed, none is created.
//
// Kafka shards the cache by num.io.threads (slots divided among shards); kafkalite has one
// shard per node with all the slots, so which session an eviction picks can differ when the
// shards are unevenly filled.

import { ErrorCode } from '../protocol/errors.js';
import type { RequestContext } from './handler.js';

/** Kafka's FetchMetadata: 0 asks for a new session, -1 is sessionless, the rest name a step of a session. */
const INITIAL_EPOCH = 0;
const FINAL_EPOCH = -1;
const INVALID_SESSION_ID = 0;
/** MIN_INCREMENTAL_FETCH_SESSION_EVICTION_MS: a session unused this long may be evicted by any other. */
export const SESSION_EVICTION_MS = 120_000;

/** A partition as a fetch request lists it (Fetch v7+ fields; the topic by name below v13, by id from v13). */
export interface SessionPartitionData {
  partition: number;
  currentLeaderEpoch: number;
  fetchOffset: number;
  lastFetchedEpoch: number;
  logStartOffset: number;
  partitionMaxBytes: number;
  replicaDirectoryId?: string;
  highWatermark?: number;
}

export interface SessionTopicData {
  topic: string;
  topicId: string;
  partitions: SessionPartitionData[];
}

/** What a fetch response says of one partition, as far as the session cares (CachedPartition.maybeUpdateResponseData). */
export interface SessionPartitionResult {
  errorCode: number;
  highWatermark: number;
  logStartOffset: number;
  recordBytes: number;
  preferredReadReplica: number;
  diverging: boolean;
}

interface CachedPartition {
  readonly key: string;
  readonly topic: string;
  readonly topicId: string;
  data: SessionPartitionData;
  /** The high watermark and log start offset last answered (-1: answer the partition next time). */
  highWatermark: number;
  logStartOffset: number;
}

interface Session {
  readonly id: number;
  /** From a follower (replica fetch): Kafka's privileged sessions. */
  readonly privileged: boolean;
  readonly usesTopicIds: boolean;
  readonly creationMs: number;
  lastUsedMs: number;
  epoch: number;
  /** In fetch order: a partition answered with records moves to the end (Kafka's fairness rule). */
  readonly partitions: Map<string, CachedPartition>;
}

/** How one fetch request is served. */
export type FetchContext =
  /** Epoch -1, or v0-6: answered in full, session id 0. */
  | { kind: 'sessionless'; topics: SessionTopicData[] }
  /** Epoch 0: answered in full; a session is offered with the answer (createSession). */
  | { kind: 'full'; topics: SessionTopicData[] }
  /** An existing session: read every partition it holds; answer only what changed (select). */
  | { kind: 'incremental'; topics: SessionTopicData[]; session: Session }
  /** FETCH_SESSION_ID_NOT_FOUND, INVALID_FETCH_SESSION_EPOCH or FETCH_SESSION_TOPIC_ID_ERROR: an empty answer with session id 0. */
  | { kind: 'error'; errorCode: number };

/** Kafka's FetchMetadata.nextEpoch. */
function nextEpoch(epoch: number): number {
  if (epoch < 0) return FINAL_EPOCH;
  return epoch === 0x7fffffff ? 1 : epoch + 1;
}

function partitionKey(usesTopicIds: boolean, topic: string, topicId: string, partition: number): string {
  return `${usesTopicIds ? topicId : topic}\u0000${partition}`;
}

/** The session cache of one node (Kafka's FetchSessionCacheShard plus FetchManager.newContext). */
export class FetchSessionCache {
  private readonly sessions = new Map<number, Session>();

  constructor(
    private readonly maxEntries: () => number,
    private readonly now: () => number,
    private readonly random: () => number = Math.random,
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  /** Partitions cached over all sessions (Kafka's NumIncrementalFetchPartitionsCached). */
  get partitionsCached(): number {
    let n = 0;
    for (const s of this.sessions.values()) n += s.partitions.size;
    return n;
  }

  /** FetchManager.newContext. */
  newContext(
    version: number,
    req: {
      sessionId: number;
      sessionEpoch: number;
      topics: SessionTopicData[];
      forgottenTopicsData: Array<{ topic: string; topicId: string; partitions: number[] }>;
    },
  ): FetchContext {
    const epoch = version >= 7 ? req.sessionEpoch : FINAL_EPOCH;
    const sessionId = version >= 7 ? req.sessionId : INVALID_SESSION_ID;
    if (epoch === INITIAL_EPOCH || epoch === FINAL_EPOCH) {
      // Any session named in a full fetch is closed.
      if (sessionId !== INVALID_SESSION_ID) this.sessions.delete(sessionId);
      return { kind: epoch === FINAL_EPOCH ? 'sessionless' : 'full', topics: req.topics };
    }
    const session = this.sessions.get(sessionId);
    if (!session) return { kind: 'error', errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND };
    if (session.epoch !== epoch) return { kind: 'error', errorCode: ErrorCode.INVALID_FETCH_SESSION_EPOCH };
    const usesTopicIds = version >= 13;
    if (session.usesTopicIds !== usesTopicIds) return { kind: 'error', errorCode: ErrorCode.FETCH_SESSION_TOPIC_ID_ERROR };
    // FetchSession.update: listed partitions are added or take the request's positions; forgotten ones go.
    for (const t of req.topics) {
      for (const p of t.partitions) {
        const key = partitionKey(usesTopicIds, t.topic, t.topicId, p.partition);
        const cached = session.partitions.get(key);
        if (cached) cached.data = p;
        else session.partitions.set(key, { key, topic: t.topic, topicId: t.topicId, data: p, highWatermark: -1, logStartOffset: -1 });
      }
    }
    for (const t of req.forgottenTopicsData) {
      for (const p of t.partitions) session.partitions.delete(partitionKey(usesTopicIds, t.topic, t.topicId, p));
    }
    if (session.partitions.size === 0) {
      this.sessions.delete(session.id);
      return { kind: 'sessionless', topics: req.topics };
    }
    session.lastUsedMs = this.now();
    session.epoch = nextEpoch(session.epoch);
    return { kind: 'incremental', topics: this.sessionTopics(session), session };
  }

  /**
   * FullFetchContext: a session for the partitions just answered in full, or 0 when the cache is
   * full and holds nothing it may evict. `answered` is in response order, with what each answer said.
   */
  createSession(
    privileged: boolean,
    usesTopicIds: boolean,
    topics: SessionTopicData[],
    answered: (topicIndex: number, partitionIndex: number) => SessionPartitionResult | undefined,
  ): number {
    let size = 0;
    for (const t of topics) size += t.partitions.length;
    const now = this.now();
    if (this.sessions.size >= this.maxEntries() && !this.tryEvict(privileged, size, now)) return INVALID_SESSION_ID;
    const partitions = new Map<string, CachedPartition>();
    topics.forEach((t, ti) => {
      for (const p of t.partitions) {
        const key = partitionKey(usesTopicIds, t.topic, t.topicId, p.partition);
        const r = answered(ti, p.partition);
        partitions.set(key, {
          key,
          topic: t.topic,
          topicId: t.topicId,
          data: p,
          highWatermark: r?.highWatermark ?? -1,
          logStartOffset: r?.logStartOffset ?? -1,
        });
      }
    });
    const id = this.newSessionId();
    this.sessions.set(id, { id, privileged, usesTopicIds, creationMs: now, lastUsedMs: now, epoch: nextEpoch(INITIAL_EPOCH), partitions });
    return id;
  }

  /**
   * Forget a session createSession just made for a full fetch that is answered throttled instead:
   * Kafka's FullFetchContext.getThrottledResponse creates none (session id 0), so none may hold a
   * slot. (A session createSession evicted to make room stays evicted; Kafka would have kept it.)
   */
  discard(id: number): void {
    this.sessions.delete(id);
  }

  /**
   * IncrementalFetchContext's PartitionIterator: whether the partition goes in the answer; the
   * session remembers what it answered, and a partition answered with records moves to the end.
   */
  select(session: Session, topic: SessionTopicData, partition: number, r: SessionPartitionResult): boolean {
    const cached = session.partitions.get(partitionKey(session.usesTopicIds, topic.topic, topic.topicId, partition));
    if (!cached) return true;
    let must = r.recordBytes > 0 || r.preferredReadReplica >= 0 || r.diverging;
    if (cached.highWatermark !== r.highWatermark) {
      must = true;
      cached.highWatermark = r.highWatermark;
    }
    if (cached.logStartOffset !== r.logStartOffset) {
      must = true;
      cached.logStartOffset = r.logStartOffset;
    }
    if (r.errorCode !== ErrorCode.NONE) {
      // Answered again once the error goes away.
      cached.highWatermark = -1;
      must = true;
    }
    if (must && r.recordBytes > 0) {
      session.partitions.delete(cached.key);
      session.partitions.set(cached.key, cached);
    }
    return must;
  }

  /** The session's partitions as request topics (consecutive partitions of a topic grouped), in fetch order. */
  private sessionTopics(session: Session): SessionTopicData[] {
    const topics: SessionTopicData[] = [];
    let last: SessionTopicData | undefined;
    for (const c of session.partitions.values()) {
      if (!last || last.topic !== c.topic || last.topicId !== c.topicId) {
        last = { topic: c.topic, topicId: c.topicId, partitions: [] };
        topics.push(last);
      }
      last.partitions.push(c.data);
    }
    return topics;
  }

  private newSessionId(): number {
    let id: number;
    do id = 1 + Math.floor(this.random() * 0x7ffffffe);
    while (this.sessions.has(id));
    return id;
  }

  /**
   * FetchSessionCacheShard.tryEvict: the least recently used session if it is stale (unused for
   * SESSION_EVICTION_MS); else the least valuable evictable one (unprivileged before privileged,
   * then fewer partitions, then lower id) if the new session is worth at least as much. A session
   * is evictable by all once older than SESSION_EVICTION_MS, and by a follower's when unprivileged.
   */
  private tryEvict(privileged: boolean, size: number, now: number): boolean {
    let lru: Session | undefined;
    for (const s of this.sessions.values()) {
      if (!lru || s.lastUsedMs < lru.lastUsedMs || (s.lastUsedMs === lru.lastUsedMs && s.id < lru.id)) lru = s;
    }
    if (!lru) return false;
    if (now - lru.lastUsedMs > SESSION_EVICTION_MS) {
      this.sessions.delete(lru.id);
      return true;
    }
    let victim: Session | undefined;
    const value = (s: Session) => [s.privileged ? 1 : 0, s.partitions.size, s.id] as const;
    const less = (a: readonly number[], b: readonly number[]) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!;
    for (const s of this.sessions.values()) {
      // Kafka decides evictability at a session's last use (FetchSessionCacheShard.touch): its age then.
      const old = s.lastUsedMs - s.creationMs > SESSION_EVICTION_MS;
      const evictable = privileged ? !s.privileged || old : old;
      if (evictable && (!victim || less(value(s), value(victim)) < 0)) victim = s;
    }
    if (!victim || less([privileged ? 1 : 0, size, 0], value(victim)) < 0) return false;
    this.sessions.delete(victim.id);
    return true;
  }
}

const caches = new WeakMap<object, Map<number, FetchSessionCache>>();

/** The fetch session cache of the node that received the request. */
export function fetchSessions(ctx: RequestContext): FetchSessionCache {
  let perNode = caches.get(ctx.broker);
  if (!perNode) {
    perNode = new Map();
    caches.set(ctx.broker, perNode);
  }
  let cache = perNode.get(ctx.node.nodeId);
  if (!cache) {
    const broker = ctx.broker;
    cache = new FetchSessionCache(
      () => broker.config.int('max.incremental.fetch.session.cache.slots'),
      () => broker.clock.now(),
    );
    perNode.set(ctx.node.nodeId, cache);
  }
  return cache;
}
