// Fetch (key 1), v0-18.
//
// Behaviour (Kafka's KafkaApis.handleFetchRequest, ReplicaManager.fetchMessages):
// serves stored batches as they are, from the batch holding
// fetch_offset, up to the high watermark (READ_UNCOMMITTED) or the last stable offset
// (READ_COMMITTED); partition_max_bytes and max_bytes (capped by fetch.max.bytes) are byte
// budgets filled in request order, and from v3 the first partition with data may exceed them
// so one whole batch always gets through (KIP-74). min_bytes/max_wait_ms long-polling parks
// the request until appends bring enough bytes, max_wait_ms passes on the broker clock, or
// the connection closes. v0-3 get legacy message sets (magic 0 for v0-1, magic 1 for v2-3)
// down-converted from the stored batches; zstd data to a fetcher below v10 is refused with
// UNSUPPORTED_COMPRESSION_TYPE. v13+ names topics by id. v18's tagged follower high watermark
// (KIP-1166) is for replicas; consumers leave it at its default and it is ignored.
//
// Client quotas (broker/quotas/enforce.ts): a consumer_byte_rate quota caps max_bytes; a fetch
// over its byte or request quota is answered empty with throttle_time_ms, and the connection muted.
//
// Replication (KIP-392, broker/replication/follower-reads.ts): from v11 a consumer may fetch from
// a follower on its node, which serves up to what it has replicated (at most the high
// watermark); with replica.selector.class=RackAwareReplicaSelector the leader answers a consumer
// whose rack_id has an in-sync follower with preferred_read_replica and no records, at once.
//
// Truncation detection (KIP-320, broker/fetch-reader.ts): from v12 a fetch carrying
// last_fetched_epoch whose epoch ends before fetch_offset in the leader-epoch cache (or is not in
// it) is answered at once with diverging_epoch (that epoch's end offset) and no records; an epoch
// newer than the leader's is OFFSET_OUT_OF_RANGE, as Kafka's Partition.readRecords answers.
//
// Fetch sessions (KIP-227, v7+; broker/fetch-sessions.ts): epoch 0 is answered in full with a
// new session id when the node's cache has a slot; an incremental fetch reads every partition
// of its session and answers only those with something new; session errors answer an empty
// response with the error at the top level.

import { ErrorCode } from '../../protocol/errors.js';
import { Fetch } from '../../protocol/messages/index.js';
import { ZERO_UUID } from '../../protocol/primitives.js';
import type { RequestOf } from '../../protocol/schema.js';
import { defineHandler, type RequestContext } from '../handler.js';
import { currentLeader, nodeEndpoints } from '../leadership.js';
import { partitionShape, resolveTopic } from '../partitions.js';
import { lastStableOffset, readPartition, type PartitionRead } from '../fetch-reader.js';
import type { Partition } from '../partition.js';
import type { Topic } from '../topics.js';
import { fromFollower } from '../quotas/enforce.js';
import { fetchDenied } from '../security/authorizer/checks.js';
import { fetchablePartition, preferredReadReplica } from '../replication/follower-reads.js';
import { type FetchContext, fetchSessions, type SessionTopicData } from '../fetch-sessions.js';

type FetchRequest = RequestOf<typeof Fetch>;

const EMPTY = Buffer.alloc(0);

export const partitions = partitionShape(Fetch, {
  req: { topics: 'topics', name: 'topic', id: 'topicId', partitions: 'partitions', index: 'partition' },
  res: { topics: 'responses', name: 'topic', id: 'topicId', partitions: 'partitions', index: 'partitionIndex' },
  failed: { highWatermark: -1, lastStableOffset: -1, logStartOffset: -1, abortedTransactions: null, records: EMPTY },
});

const handler = defineHandler({
  api: Fetch,
  async handle(request, ctx) {
    const session = fetchSessions(ctx).newContext(ctx.apiVersion, request);
    if (session.kind === 'error') return { throttleTimeMs: 0, errorCode: session.errorCode, sessionId: 0, responses: [] };
    // An incremental fetch reads what its session holds, in the session's order.
    const req = session.kind === 'incremental' ? { ...request, topics: session.topics as FetchRequest['topics'] } : request;
    let result = gather(req, ctx);
    const partitions = result.reads.length;
    const minBytes = Math.max(0, req.minBytes);
    if (req.maxWaitMs > 0 && partitions > 0 && !result.error && result.bytes < minBytes) {
      await park(req, ctx, minBytes);
      if (ctx.connection.signal.aborted) return null;
      result = gather(req, ctx);
    }
    return respond(req, ctx, result.reads, result.topics, session);
  },
});
export default handler;

interface Gathered {
  reads: Array<PartitionRead & { topicIndex: number; preferredReadReplica?: number }>;
  topics: Array<{ name: string; id: string; topic: Topic | undefined }>;
  bytes: number;
  error: boolean;
}

function gather(req: FetchRequest, ctx: RequestContext): Gathered {
  const broker = ctx.broker;
  const v = ctx.apiVersion;
  const hardLimit = v <= 2;
  // A consumer_byte_rate quota caps the fetch to what one quota window lets through (broker/quotas/manager.ts).
  let budget = Math.min(
    v >= 3 ? req.maxBytes : 0x7fffffff,
    broker.config.int('fetch.max.bytes'),
    broker.throttling.fetchMaxBytes(ctx, fromFollower(req)),
  );
  if (hardLimit) budget = 0x7fffffff;
  const reads: Gathered['reads'] = [];
  const topics: Gathered['topics'] = [];
  let bytes = 0;
  let error = false;
  const consumerV11 = v >= 11 && !fromFollower(req);
  // File ranges are read into the connection's pooled memory, given back once the response is
  // written (broker/buffer-pool.ts). A gather's reads replace the previous one's (park()), so the
  // memory is reused from its start.
  const buffers = ctx.readBuffers;
  buffers?.rewind();
  const alloc = buffers ? (length: number) => buffers.alloc(length) : undefined;
  for (const t of req.topics) {
    const resolved = resolveTopic(partitions, ctx, t);
    const topic = resolved.topic;
    const topicIndex = topics.push({ name: resolved.name, id: resolved.id, topic }) - 1;
    const denied = topic || resolved.unknownError !== ErrorCode.UNKNOWN_TOPIC_ID ? fetchDenied(ctx, fromFollower(req), resolved.name) : 0;
    for (const p of t.partitions) {
      const { found, readBound, logEnd } = fetchablePartition(ctx, topic, p.partition, consumerV11);
      if (denied || !found.partition) {
        const errorCode = denied || (topic ? found.errorCode : resolved.unknownError);
        reads.push({
          topicIndex,
          partitionIndex: p.partition,
          errorCode,
          chunks: [],
          bytes: 0,
          highWatermark: -1,
          lastStableOffset: -1,
          logStartOffset: -1,
          // Kafka answers a partition it doesn't know before reading (KafkaApis), with an empty list.
          abortedTransactions: [],
        });
        error = true;
        continue;
      }
      const preferred = consumerV11 ? preferredReadReplica(ctx, found, req.rackId, p.fetchOffset) : -1;
      const read = readPartition(found.partition, found.topic, {
        apiVersion: v,
        fetchOffset: p.fetchOffset,
        currentLeaderEpoch: p.currentLeaderEpoch,
        lastFetchedEpoch: p.lastFetchedEpoch,
        isolationLevel: req.isolationLevel,
        maxBytes: preferred >= 0 ? 0 : Math.min(p.partitionMaxBytes, budget),
        minOneBatch: preferred < 0 && !hardLimit && bytes === 0,
        highWatermark: readBound,
        logEndOffset: logEnd,
        alloc,
      });
      if (preferred >= 0 && read.errorCode === 0) {
        // Sent to a follower: no records here, answered at once (ReplicaManager.fetchMessages).
        reads.push({ ...read, chunks: [], bytes: 0, topicIndex, preferredReadReplica: preferred });
        error = true;
        continue;
      }
      // An error, or a fetch position on an older segment, answers at once (Kafka's DelayedFetch).
      if (read.errorCode !== 0 || read.moreInLaterSegments || read.divergingEpoch) error = true;
      bytes += read.bytes;
      budget = Math.max(0, budget - read.bytes);
      // readPartition's answer is this request's own: tagged in place rather than copied.
      const tagged = read as Gathered['reads'][number];
      tagged.topicIndex = topicIndex;
      reads.push(tagged);
    }
  }
  return { reads, topics, bytes, error };
}

/** Wait until appends could satisfy min_bytes, max_wait_ms passes, or the client goes away. */
function park(req: FetchRequest, ctx: RequestContext, minBytes: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const unsubscribe: Array<() => void> = [];
    let timer: { cancel(): void } | null = null;
    const done = () => {
      timer?.cancel();
      for (const u of unsubscribe) u();
      ctx.connection.signal.removeEventListener('abort', done);
      resolve();
    };
    // What this fetch may read up to: the high watermark, or the last stable offset at READ_COMMITTED.
    const readBound = (partition: Partition) => (req.isolationLevel === 1 ? lastStableOffset(partition) : partition.highWatermark);
    // Re-reading every partition on each append is wasted work when one byte will do.
    const check = () => {
      const r = gather(req, ctx);
      if (r.error || r.bytes >= minBytes) done();
    };
    for (const t of req.topics) {
      const topic = resolveTopic(partitions, ctx, t).topic;
      for (const p of t.partitions) {
        const partition = topic?.partitions[p.partition];
        if (!partition) continue;
        const onChange =
          minBytes <= 1
            ? () => {
                if (readBound(partition) > p.fetchOffset || ctx.broker.topics.get(partition.topic)?.partitions[p.partition] !== partition)
                  done();
              }
            : check;
        unsubscribe.push(partition.onChange(onChange));
      }
    }
    ctx.connection.signal.addEventListener('abort', done);
    timer = ctx.broker.clock.setTimeout(done, req.maxWaitMs);
  });
}

function respond(req: FetchRequest, ctx: RequestContext, reads: Gathered['reads'], topics: Gathered['topics'], session: FetchContext) {
  const moved: number[] = [];
  const all = topics.map((t, i) => ({
    topic: t.name,
    topicId: t.id ?? ZERO_UUID,
    partitions: reads
      .filter((r) => r.topicIndex === i)
      .map((r) => {
        const leader =
          r.errorCode === ErrorCode.NOT_LEADER_OR_FOLLOWER || r.errorCode === ErrorCode.FENCED_LEADER_EPOCH
            ? currentLeader(t.topic, r.partitionIndex)
            : undefined;
        if (leader) moved.push(leader.leaderId);
        return {
          partitionIndex: r.partitionIndex,
          errorCode: r.errorCode,
          highWatermark: r.highWatermark,
          lastStableOffset: r.lastStableOffset,
          logStartOffset: r.logStartOffset,
          // Errors answer what the read set (Kafka's schema default [] for unknown topics and
          // partitions, and for unknown topic ids, answered before its replica manager).
          abortedTransactions:
            r.errorCode === ErrorCode.UNKNOWN_TOPIC_ID
              ? []
              : r.errorCode !== 0
                ? (r.abortedTransactions ?? null)
                : req.isolationLevel === 1
                  ? (r.abortedTransactions ?? [])
                  : null,
          preferredReadReplica: r.preferredReadReplica ?? -1,
          records: r.chunks.length === 0 ? EMPTY : r.chunks,
          ...(leader ? { currentLeader: leader } : {}),
          ...(r.divergingEpoch ? { divergingEpoch: r.divergingEpoch } : {}),
        };
      }),
  }));
  const sessionId = sessionAnswer(req, ctx, session, all);
  // An incremental answer leaves out the topics none of whose partitions changed.
  const responses = session.kind === 'incremental' ? all.filter((t) => t.partitions.length > 0) : all;
  return {
    throttleTimeMs: 0,
    errorCode: 0,
    sessionId,
    responses,
    nodeEndpoints: moved.length > 0 ? nodeEndpoints(ctx, moved) : [],
  };
}

type Answered = Array<{
  partitions: Array<{
    partitionIndex: number;
    errorCode: number;
    highWatermark: number;
    logStartOffset: number;
    preferredReadReplica: number;
    records: Buffer | Buffer[];
  }>;
}>;

const recordBytes = (records: Buffer | Buffer[]) => (Array.isArray(records) ? records.reduce((n, b) => n + b.length, 0) : records.length);

/**
 * The session side of the answer: a full fetch (epoch 0) offers a new session for what it
 * answered; an incremental one drops the partitions with nothing new (in place) and keeps its id.
 */
function sessionAnswer(req: FetchRequest, ctx: RequestContext, session: FetchContext, answered: Answered): number {
  const result = (p: Answered[number]['partitions'][number]) => ({
    errorCode: p.errorCode,
    highWatermark: p.highWatermark,
    logStartOffset: p.logStartOffset,
    recordBytes: recordBytes(p.records),
    preferredReadReplica: p.preferredReadReplica,
    diverging: ((p as { divergingEpoch?: { epoch: number } }).divergingEpoch?.epoch ?? -1) >= 0,
  });
  if (session.kind === 'full') {
    const byTopic = answered.map((t) => new Map(t.partitions.map((p) => [p.partitionIndex, p])));
    return fetchSessions(ctx).createSession(fromFollower(req), ctx.apiVersion >= 13, req.topics as SessionTopicData[], (ti, pi) => {
      const p = byTopic[ti]?.get(pi);
      return p && result(p);
    });
  }
  if (session.kind !== 'incremental') return 0;
  const cache = fetchSessions(ctx);
  answered.forEach((t, ti) => {
    const topic = req.topics[ti] as SessionTopicData;
    t.partitions = t.partitions.filter((p) => cache.select(session.session, topic, p.partitionIndex, result(p)));
  });
  return session.session.id;
}
