// OffsetFetch (key 9), v0-10.
//
// Behaviour (Kafka's OffsetMetadataManager.fetchOffsets / fetchAllOffsets):
// committed offsets of the requested partitions; a partition never
// committed gets offset -1, metadata "" and NONE (so does every partition of an unknown
// group). v2+ take topics = null for every committed offset of the group and carry a
// top-level error (NOT_COORDINATOR); v0-1 put such an error on each partition. v5+ return
// leader epochs, v7+ require_stable (UNSTABLE_OFFSET_COMMIT on partitions with offsets pending
// in an open transaction, broker/txn/), v8+ several groups at once, v9 member id/epoch
// (KIP-848: checked against consumer groups, STALE_MEMBER_EPOCH / FENCED_MEMBER_EPOCH /
// UNKNOWN_MEMBER_ID as the group's error; ignored for classic groups). v10 names topics by id:
// an unknown id gets UNKNOWN_TOPIC_ID on its partitions, in request order as from Kafka.
//
// Authorization (KafkaApis.handleOffsetFetchRequestFromCoordinator, every version through its
// groups): Describe on the group, else GROUP_AUTHORIZATION_FAILED (the top-level error before v8,
// no topics from v2, on each requested partition before); requested topics the caller may not Describe are not looked up and come last with
// TOPIC_AUTHORIZATION_FAILED on each partition, and a request for every topic leaves them out;
// v10 (topics by id) checks Describe on the topics its ids name the same way, as Kafka 4.4 does
// (test/oracle/scenarios/acls-more-offsets.ts).

import { ErrorCode } from '../../protocol/errors.js';
import { OffsetFetch } from '../../protocol/messages/index.js';
import { ZERO_UUID } from '../../protocol/primitives.js';
import { fetchOffsets } from '../groups/commits.js';
import { defineHandler } from '../handler.js';
import { Op, R, authorized, partitionAuthorized } from '../security/authorizer/checks.js';
import { partitionShape } from '../partitions.js';

/** The v0-7 layout (v8+ nest topics under groups: faults there set the group's error). */
export const partitions = partitionShape(OffsetFetch, {
  req: { topics: 'topics', name: 'name', partitions: 'partitionIndexes', index: null },
  res: { topics: 'topics', name: 'name', partitions: 'partitions', index: 'partitionIndex' },
  failed: { committedOffset: -1, committedLeaderEpoch: -1, metadata: '' },
});

type Topics = Array<{ name: string; partitionIndexes: number[] }> | null;

/** A requested topic answered with `errorCode` on each of its partitions (no offset). */
function failedTopic(t: { name: string; partitionIndexes: number[] }, errorCode: number) {
  return {
    name: t.name,
    partitions: t.partitionIndexes.map((partitionIndex) => ({
      partitionIndex,
      committedOffset: -1,
      committedLeaderEpoch: -1,
      metadata: '',
      errorCode,
    })),
  };
}

/** The requested topics the caller may Describe, and the answers for the others. */
function describable(ctx: Parameters<typeof authorized>[0], topics: Topics) {
  const [allowed, refused] = partitionAuthorized(ctx, Op.DESCRIBE, R.TOPIC, topics?.map((t) => t.name) ?? []);
  const denied = (topics ?? []).filter((t) => refused.includes(t.name)).map((t) => failedTopic(t, ErrorCode.TOPIC_AUTHORIZATION_FAILED));
  return { topics: topics === null ? null : topics.filter((t) => allowed.includes(t.name)), denied };
}

/** fetchOffsets with the topics filtered by Describe (appended refused, or left out of a fetch of all). */
function fetchAuthorized(ctx: Parameters<typeof authorized>[0], requested: Topics, fetch: (topics: Topics) => Fetched) {
  const { topics, denied } = describable(ctx, requested);
  const res = fetch(topics);
  if (res.errorCode !== ErrorCode.NONE) return res;
  if (requested === null) return { ...res, topics: res.topics.filter((t) => authorized(ctx, Op.DESCRIBE, R.TOPIC, t.name)) };
  return { ...res, topics: [...res.topics, ...denied] };
}
type Fetched = ReturnType<typeof fetchOffsets>;

export default defineHandler({
  api: OffsetFetch,
  handle(req, ctx) {
    const coord = ctx.broker.groups;
    const nodeId = ctx.node.nodeId;
    const unstable = <R extends ReturnType<typeof fetchOffsets>>(res: R, groupId: string): R => {
      if (ctx.apiVersion < 7 || !req.requireStable) return res;
      for (const t of res.topics)
        for (const p of t.partitions)
          if (ctx.broker.txn.hasPendingOffsets(groupId, t.name, p.partitionIndex)) p.errorCode = ErrorCode.UNSTABLE_OFFSET_COMMIT;
      return res;
    };
    if (ctx.apiVersion >= 8) {
      const groups = req.groups.map((g) => {
        const member = ctx.apiVersion >= 9 ? { memberId: g.memberId, memberEpoch: g.memberEpoch } : null;
        if (!authorized(ctx, Op.DESCRIBE, R.GROUP, g.groupId))
          return { groupId: g.groupId, errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED, topics: [] };
        if (ctx.apiVersion < 10) {
          const res = fetchAuthorized(ctx, g.topics, (ts) => unstable(fetchOffsets(coord, g.groupId, ts, nodeId, member), g.groupId));
          return { groupId: g.groupId, topics: res.topics, errorCode: res.errorCode };
        }
        const topics = ctx.broker.topics;
        const named = g.topics?.map((t) => ({ ...t, name: topics.getById(t.topicId)?.name })) ?? null;
        const known = named?.flatMap((t) => (t.name === undefined ? [] : [{ ...t, name: t.name }])) ?? null;
        // Describe on each topic, as v0-9 (refused topics answered last, left out of a fetch of all).
        const { topics: allowed, denied } = describable(ctx, known);
        const res = unstable(fetchOffsets(coord, g.groupId, allowed, nodeId, member), g.groupId);
        if (res.errorCode !== ErrorCode.NONE || named === null) {
          const all = res.topics
            .filter((t) => named !== null || authorized(ctx, Op.DESCRIBE, R.TOPIC, t.name))
            .map((t) => ({ ...t, topicId: topics.get(t.name)?.id ?? ZERO_UUID }));
          return { groupId: g.groupId, errorCode: res.errorCode, topics: all };
        }
        const missing = (partitionIndex: number) => ({
          partitionIndex,
          committedOffset: -1,
          committedLeaderEpoch: -1,
          metadata: '',
          errorCode: ErrorCode.UNKNOWN_TOPIC_ID,
        });
        // In request order, unknown ids in place, then the refused topics.
        const refused = new Set(denied.map((t) => t.name));
        let next = 0;
        const inOrder = named.flatMap((t) =>
          t.name === undefined
            ? [{ topicId: t.topicId, partitions: t.partitionIndexes.map(missing) }]
            : refused.has(t.name)
              ? []
              : [{ ...res.topics[next++]!, topicId: t.topicId }],
        );
        const refusedById = denied.map((t) => ({ ...t, topicId: topics.get(t.name)?.id ?? ZERO_UUID }));
        return { groupId: g.groupId, errorCode: res.errorCode, topics: [...inOrder, ...refusedById] };
      });
      return { throttleTimeMs: 0, groups };
    }
    const groupRefused = !authorized(ctx, Op.DESCRIBE, R.GROUP, req.groupId);
    const res = groupRefused
      ? { errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED, topics: [] }
      : fetchAuthorized(ctx, req.topics, (ts) => unstable(fetchOffsets(coord, req.groupId, ts, nodeId), req.groupId));
    if (ctx.apiVersion >= 2 || res.errorCode === ErrorCode.NONE) return { throttleTimeMs: 0, topics: res.topics, errorCode: res.errorCode };
    return { throttleTimeMs: 0, topics: (req.topics ?? []).map((t) => failedTopic(t, res.errorCode)) };
  },
});
