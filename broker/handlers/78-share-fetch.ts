// ShareFetch (key 78), v1-2 (KIP-932; v2 adds the acquire mode of KIP-1206 and renew of KIP-1222).
//
// Behaviour (Kafka's KafkaApis.handleShareFetchRequest, SharePartitionManager.newContext and
// fetchMessages): the share session of (group, member) is opened by epoch 0 (acknowledgements
// then are INVALID_REQUEST), closed by epoch -1 (which may carry acknowledgements but no
// partitions, and releases what the member still holds), and otherwise must be at the epoch
// sent (SHARE_SESSION_NOT_FOUND, INVALID_SHARE_SESSION_EPOCH), gaining the request's partitions
// and losing its forgotten ones. Piggybacked acknowledgements are applied first, each
// partition's result in acknowledge_error_code. Then records are acquired for the member from
// every partition of the session (broker/share/share-partition.ts): released or expired records
// first, then new ones, at most max_records (record_limit mode stops there exactly; batch_optimized
// takes whole batches), within max_bytes and the in-flight window; the response carries the
// stored batches holding them and their AcquiredRecords ranges with delivery counts. With nothing
// acquired, max_wait_ms parks the request until appends, a release or a lock expiry make records
// available (or the wait ends on the broker clock). A full (epoch 0) fetch answers every partition
// requested; later ones answer only partitions with records, errors or acknowledgements.
//
// Differences from Kafka: min_bytes is met by any acquired record (records once acquired are
// answered rather than held); batch_size does not split AcquiredRecords ranges (contiguous
// records of equal delivery count form one range).

import { ErrorCode } from '../../protocol/errors.js';
import { ShareFetch } from '../../protocol/messages/index.js';
import type { RequestOf } from '../../protocol/schema.js';
import { defineHandler, type RequestContext } from '../handler.js';
import { acknowledgeAll, type AckResult, refusedShareRequest, resolveShare } from '../share/requests.js';
import { FINAL_EPOCH, INITIAL_EPOCH, type ShareSession, ShareSessionError } from '../share/sessions.js';
import type { AcquiredRange } from '../share/share-partition.js';

type ShareFetchRequest = RequestOf<typeof ShareFetch>;

const EMPTY = Buffer.alloc(0);
// Kafka answers LeaderIdAndEpoch's zero values when the leader did not move.
const NO_LEADER = { leaderId: 0, leaderEpoch: 0 };

interface PartitionAnswer {
  topicId: string;
  partitionIndex: number;
  errorCode: number;
  errorMessage: string | null;
  ack?: AckResult;
  ranges: AcquiredRange[];
  chunks: Buffer[];
  bytes: number;
}

const handler = defineHandler({
  api: ShareFetch,
  async handle(req, ctx) {
    const share = ctx.broker.share;
    const groupId = req.groupId ?? '';
    const memberId = req.memberId ?? '';
    const lockMs = share.settings(groupId).lockDurationMs;
    const fail = refusedShareRequest;
    const requested = req.topics.flatMap((t) => t.partitions.map((p) => ({ topicId: t.topicId, partition: p.partitionIndex })));
    const forgotten = req.forgottenTopicsData.flatMap((t) => t.partitions.map((partition) => ({ topicId: t.topicId, partition })));
    const hasAcks = req.topics.some((t) => t.partitions.some((p) => p.acknowledgementBatches.length > 0));
    const epoch = req.shareSessionEpoch;
    let session: ShareSession | undefined;
    try {
      if (epoch === FINAL_EPOCH) {
        if (requested.length > 0 && !hasAcks) return fail(ErrorCode.INVALID_REQUEST);
        if (!share.sessions.get(groupId, memberId)) return fail(ErrorCode.SHARE_SESSION_NOT_FOUND);
      } else if (epoch === INITIAL_EPOCH) {
        if (hasAcks) return fail(ErrorCode.INVALID_REQUEST);
        session = share.sessions.open(groupId, memberId, ctx.connection.id, requested);
        endWithConnection(ctx, session);
      } else {
        session = share.sessions.update(groupId, memberId, epoch, requested, forgotten);
      }
    } catch (e) {
      if (e instanceof ShareSessionError) return fail(e.errorCode);
      throw e;
    }
    const renewAllowed = ctx.apiVersion >= 2;
    const acks = hasAcks ? acknowledgeAll(ctx, groupId, memberId, req.topics, { renewAllowed, isRenewAck: req.isRenewAck }) : new Map();

    if (!session) {
      // Final epoch: acknowledge, then release what the member still holds and end the session.
      share.sessions.remove(groupId, memberId);
      share.releaseMember(groupId, memberId);
      return respond(req, lockMs, ackOnly(acks));
    }
    if (req.isRenewAck) return respond(req, lockMs, ackOnly(acks));

    const full = epoch === INITIAL_EPOCH;
    let answers = gather(req, ctx, session, groupId, memberId);
    const acquired = () => answers.some((a) => a.ranges.length > 0 || a.errorCode !== 0);
    if (!acquired() && req.maxWaitMs > 0 && !ctx.connection.signal.aborted) {
      const deadline = ctx.broker.clock.now() + req.maxWaitMs;
      while (!acquired() && ctx.broker.clock.now() < deadline && !ctx.connection.signal.aborted) {
        await park(ctx, session, groupId, deadline - ctx.broker.clock.now());
        if (ctx.connection.signal.aborted) break;
        answers = gather(req, ctx, session, groupId, memberId);
      }
    }
    if (ctx.connection.signal.aborted) {
      // Nobody will read these: give them back at once rather than at lock expiry.
      for (const a of answers) if (a.ranges.length > 0) share.releaseMember(groupId, memberId);
      return null;
    }
    for (const a of answers) {
      const ack = acks.get(`${a.topicId}:${a.partitionIndex}`);
      if (ack) a.ack = ack;
    }
    // Acknowledged partitions that were not fetched (forgotten in this request) still answer.
    const seen = new Set(answers.map((a) => `${a.topicId}:${a.partitionIndex}`));
    for (const a of ackOnly(acks)) if (!seen.has(`${a.topicId}:${a.partitionIndex}`)) answers.push(a);
    const shown = full ? answers : answers.filter((a) => a.ranges.length > 0 || a.errorCode !== 0 || a.ack);
    return respond(req, lockMs, shown);
  },
});
export default handler;

function ackOnly(acks: Map<string, AckResult>): PartitionAnswer[] {
  return [...acks].map(([key, ack]) => {
    const i = key.lastIndexOf(':');
    return {
      topicId: key.slice(0, i),
      partitionIndex: Number(key.slice(i + 1)),
      errorCode: 0,
      errorMessage: null,
      ack,
      ranges: [],
      chunks: [],
      bytes: 0,
    };
  });
}

/** A session opened on a connection ends with it, its records released (Kafka 4.1+ ShareSessionCache). */
function endWithConnection(ctx: RequestContext, session: ShareSession): void {
  const signal = ctx.connection.signal;
  const share = ctx.broker.share;
  const onClose = () => {
    if (share.sessions.get(session.groupId, session.memberId) !== session) return;
    share.sessions.remove(session.groupId, session.memberId);
    share.releaseMember(session.groupId, session.memberId);
  };
  if (signal.aborted) onClose();
  else signal.addEventListener('abort', onClose, { once: true });
}

function gather(req: ShareFetchRequest, ctx: RequestContext, session: ShareSession, groupId: string, memberId: string): PartitionAnswer[] {
  const share = ctx.broker.share;
  const settings = share.settings(groupId);
  let budget = Math.min(req.maxBytes > 0 ? req.maxBytes : 0x7fffffff, ctx.broker.config.int('fetch.max.bytes'));
  let records = Math.max(1, req.maxRecords);
  const batchOptimized = ctx.apiVersion < 2 || req.shareAcquireMode !== 1;
  const out: PartitionAnswer[] = [];
  for (const { topicId, partition: index } of session.partitions.values()) {
    const r = resolveShare(ctx, topicId, index);
    const answer: PartitionAnswer = {
      topicId,
      partitionIndex: index,
      errorCode: r.errorCode,
      errorMessage: null,
      ranges: [],
      chunks: [],
      bytes: 0,
    };
    out.push(answer);
    if (!r.partition || records <= 0 || budget <= 0) continue;
    const sp = share.partition(groupId, topicId, index);
    share.ensureInitialised(sp, r.partition);
    const got = sp.acquire(r.partition, memberId, { maxRecords: records, maxBytes: budget, batchOptimized }, settings);
    answer.ranges = got.ranges;
    answer.chunks = got.chunks;
    answer.bytes = got.bytes;
    records -= got.count;
    budget -= got.bytes;
  }
  return out;
}

/** Until an append to a session partition, a release in the group, the deadline, or the connection's end. */
function park(ctx: RequestContext, session: ShareSession, groupId: string, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const undo: Array<() => void> = [];
    let timer: { cancel(): void } | null = null;
    const done = () => {
      timer?.cancel();
      for (const u of undo) u();
      ctx.connection.signal.removeEventListener('abort', done);
      resolve();
    };
    for (const { topicId, partition } of session.partitions.values()) {
      const p = ctx.broker.topics.getById(topicId)?.partitions[partition];
      if (p) undo.push(p.onChange(done));
    }
    undo.push(ctx.broker.share.onAvailable(groupId, done));
    ctx.connection.signal.addEventListener('abort', done);
    timer = ctx.broker.clock.setTimeout(done, Math.max(0, ms));
  });
}

function respond(req: ShareFetchRequest, lockMs: number, answers: PartitionAnswer[]) {
  const byTopic = new Map<string, PartitionAnswer[]>();
  for (const a of answers) {
    let list = byTopic.get(a.topicId);
    if (!list) {
      list = [];
      byTopic.set(a.topicId, list);
    }
    list.push(a);
  }
  void req;
  return {
    throttleTimeMs: 0,
    errorCode: 0,
    errorMessage: null,
    acquisitionLockTimeoutMs: lockMs,
    responses: [...byTopic].map(([topicId, parts]) => ({
      topicId,
      partitions: parts.map((a) => ({
        partitionIndex: a.partitionIndex,
        errorCode: a.errorCode,
        errorMessage: a.errorMessage,
        acknowledgeErrorCode: a.ack?.errorCode ?? 0,
        acknowledgeErrorMessage: a.ack?.errorMessage ?? null,
        currentLeader: NO_LEADER,
        records: a.chunks.length === 0 ? EMPTY : a.chunks,
        acquiredRecords: a.ranges,
      })),
    })),
    nodeEndpoints: [],
  };
}
