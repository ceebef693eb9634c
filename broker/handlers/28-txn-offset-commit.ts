// TxnOffsetCommit (key 28), v0-6.
//
// Behaviour (Kafka's KafkaApis.handleTxnOffsetCommitRequest, OffsetMetadataManager.commitTransactionalOffset):
// sent to the group coordinator (NOT_COORDINATOR otherwise);
// the offsets stay pending in the transaction (invisible to OffsetFetch) and are committed to
// `__consumer_offsets` when the transaction commits, dropped when it aborts. The group's
// partition must have been added with AddOffsetsToTxn (INVALID_TXN_STATE otherwise, from v4
// TRANSACTION_ABORTABLE as Kafka's verification answers), except from v5 (transactions v2,
// KIP-890 part 2), which adds it itself as AddOffsetsToTxn would; unknown
// producer id → INVALID_PRODUCER_ID_MAPPING; wrong epoch → PRODUCER_FENCED (v0-4 all know
// INVALID_PRODUCER_EPOCH only, as Kafka sends). Unknown partitions → UNKNOWN_TOPIC_OR_PARTITION;
// metadata over offset.metadata.max.bytes → OFFSET_METADATA_TOO_LARGE. v6 (KIP-1319) names
// topics by id: an unknown id gets UNKNOWN_TOPIC_ID (listed first, as from Kafka).
//
// The offsets are appended to the group's `__consumer_offsets` partition as a transactional
// batch of the producer (Kafka's format), so a restart before the marker keeps them pending.
//
// v3+ member checks (Kafka's OffsetMetadataManager.validateTransactionalOffsetCommit), after the
// transaction's, failing every partition alike: an unknown group with generation_id >= 0
// GROUP_ID_NOT_FOUND (v6+) or ILLEGAL_GENERATION (-1 commits as a simple group); a classic
// group checks the member (UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID for another member's instance
// id) and the generation (ILLEGAL_GENERATION), whatever its state; a KIP-848 consumer group
// accepts empty member fields, else checks the member (UNKNOWN_MEMBER_ID) and its epoch
// (STALE_MEMBER_EPOCH from v6, ILLEGAL_GENERATION before).
//
// Authorization (KafkaApis.handleTxnOffsetCommitRequest): Write on the transactional id, then Read
// on the group, refuse the whole request (broker/security/authorizer/gate.ts); a topic without
// Read has its partitions answered TOPIC_AUTHORIZATION_FAILED before its existence is looked at,
// listed before the partitions that reach the coordinator, as Kafka's response builder does.
//
// Difference from Kafka: a consumer group member's older epoch is refused for every partition;
// Kafka 4.4 accepts it for partitions assigned to the member at or before that epoch.

import { ErrorCode } from '../../protocol/errors.js';
import { TxnOffsetCommit } from '../../protocol/messages/index.js';
import { validateTxnOffsetCommit } from '../groups/commits.js';
import { defineHandler } from '../handler.js';
import { Op, R, authorized } from '../security/authorizer/checks.js';
import type { PendingOffset } from '../txn/metadata.js';

export default defineHandler({
  api: TxnOffsetCommit,
  handle(req, ctx) {
    const broker = ctx.broker;
    const v = ctx.apiVersion;
    // v6 names topics by id: resolved to names here ('' and UNKNOWN_TOPIC_ID when unknown).
    const byId = v >= 6;
    const topics = byId ? req.topics.map((t) => ({ ...t, name: broker.topics.getById(t.topicId)?.name ?? '' })) : req.topics;
    const codes = req.topics.map((t) => t.partitions.map(() => ErrorCode.NONE as number));
    const notHere = req.groupId === '' ? ErrorCode.INVALID_GROUP_ID : broker.groups.checkCoordinator(req.groupId, ctx.node.nodeId);
    // Partitions that reach the coordinator (KafkaApis answers unknown topics itself).
    const valid: Array<[number, number]> = [];
    const readable = topics.map((t) => (byId && t.name === '') || authorized(ctx, Op.READ, R.TOPIC, t.name));
    topics.forEach((t, i) => {
      t.partitions.forEach((p, j) => {
        if (!readable[i]) codes[i]![j] = ErrorCode.TOPIC_AUTHORIZATION_FAILED;
        else if (notHere !== ErrorCode.NONE) codes[i]![j] = notHere;
        else if (byId && t.name === '') codes[i]![j] = ErrorCode.UNKNOWN_TOPIC_ID;
        else if (!broker.topics.get(t.name)?.partitions[p.partitionIndex]) codes[i]![j] = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        else valid.push([i, j]);
      });
    });
    if (valid.length > 0) {
      // The transaction first (v5 adds the group to it), then the member (v3+ fields), then the offsets.
      const { transactionalId, producerId, producerEpoch, groupId } = req;
      let code = v >= 5 ? broker.txn.addOffsets(transactionalId, producerId, producerEpoch, groupId) : ErrorCode.NONE;
      if (code === ErrorCode.NONE) code = broker.txn.verifyOffsetCommit(transactionalId, producerId, producerEpoch, groupId);
      if (code === ErrorCode.PRODUCER_FENCED) code = ErrorCode.INVALID_PRODUCER_EPOCH;
      // The group is not in the transaction: from v4 Kafka's verification says TRANSACTION_ABORTABLE.
      if (code === ErrorCode.INVALID_TXN_STATE && v >= 4) code = ErrorCode.TRANSACTION_ABORTABLE;
      if (code === ErrorCode.NONE)
        code = validateTxnOffsetCommit(broker.groups, { ...req, generationId: req.generationIdOrMemberEpoch }, v);
      const pending: PendingOffset[] = [];
      const maxMetadata = broker.config.int('offset.metadata.max.bytes');
      for (const [i, j] of valid) {
        const p = topics[i]!.partitions[j]!;
        if (code !== ErrorCode.NONE) codes[i]![j] = code;
        else if (p.committedMetadata !== null && p.committedMetadata.length > maxMetadata)
          codes[i]![j] = ErrorCode.OFFSET_METADATA_TOO_LARGE;
        else
          pending.push({
            topic: topics[i]!.name,
            partition: p.partitionIndex,
            offset: p.committedOffset,
            leaderEpoch: p.committedLeaderEpoch,
            metadata: p.committedMetadata ?? '',
          });
      }
      const written = pending.length > 0 ? broker.txn.pendingOffsetCommit(transactionalId, producerId, producerEpoch, groupId, pending) : 0;
      if (written !== ErrorCode.NONE) for (const [i, j] of valid) if (codes[i]![j] === ErrorCode.NONE) codes[i]![j] = written;
    }
    return {
      throttleTimeMs: 0,
      // Unknown topic ids and refused topics first, as Kafka's KafkaApis lists them.
      topics: topics
        .map((t, i) => ({
          name: t.name,
          topicId: t.topicId,
          partitions: t.partitions.map((p, j) => ({ partitionIndex: p.partitionIndex, errorCode: codes[i]![j]! })),
        }))
        .map((t, i) => ({ t, first: (byId && t.name === '') || !readable[i] }))
        .sort((a, b) => Number(b.first) - Number(a.first))
        .map(({ t }) => t),
    };
  },
});
