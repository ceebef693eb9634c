// AddPartitionsToTxn (key 24), v0-5.
//
// Behaviour (Kafka's TransactionCoordinator.handleAddPartitionsToTransaction and
// handleVerifyPartitionsInTransaction): v0-3 (clients) carry one transaction; v4+ a batch of them,
// each possibly `verify_only` (KIP-890: is every partition already in the open transaction?
// INVALID_TXN_STATE if not). Unknown id or producer id → INVALID_PRODUCER_ID_MAPPING; wrong
// epoch → PRODUCER_FENCED (INVALID_PRODUCER_EPOCH before v2); Prepare* →
// CONCURRENT_TRANSACTIONS; unknown partitions → UNKNOWN_TOPIC_OR_PARTITION and the others
// OPERATION_NOT_ATTEMPTED, as Kafka. Otherwise the partitions join and the state is Ongoing.
//
// Versions: Kafka's broker advertises 0-5 on client listeners too and lets v4+ through for
// principals with CLUSTER_ACTION (everyone without an authorizer); kafkalite does the same:
// v4+ is served (the Java client itself caps at v3).
//
// Authorization (KafkaApis.handleAddPartitionsToTxnRequest): v4+ needs ClusterAction
// (broker/security/authorizer/gate.ts); v0-3 needs Write on the transactional id
// (TRANSACTIONAL_ID_AUTHORIZATION_FAILED for every partition, before the coordinator is asked) and
// Write on each topic: a refused topic's partitions TOPIC_AUTHORIZATION_FAILED, unknown ones
// UNKNOWN_TOPIC_OR_PARTITION, the others OPERATION_NOT_ATTEMPTED. Internal topics are never
// authorized there (Kafka filters them out before asking), so adding one is refused too.

import { ErrorCode } from '../../protocol/errors.js';
import { AddPartitionsToTxn } from '../../protocol/messages/index.js';
import { defineHandler, type RequestContext } from '../handler.js';
import { Op, R, authorized } from '../security/authorizer/checks.js';
import { INTERNAL_TOPICS } from '../topics.js';
import { downgradeFenced, txnCoordinatorError } from '../txn/errors.js';

interface OneTxn {
  transactionalId: string;
  producerId: number;
  producerEpoch: number;
  verifyOnly: boolean;
  topics: ReadonlyArray<{ name: string; partitions: readonly number[] }>;
}

function addOne(t: OneTxn, ctx: RequestContext) {
  const broker = ctx.broker;
  const results = (code: (topic: string, p: number) => number) =>
    t.topics.map((tp) => ({
      name: tp.name,
      resultsByPartition: tp.partitions.map((p) => ({ partitionIndex: p, partitionErrorCode: code(tp.name, p) })),
    }));
  const known = (topic: string, p: number) => broker.topics.get(topic)?.partitions[p] !== undefined;
  const client = ctx.apiVersion < 4;
  if (client && !authorized(ctx, Op.WRITE, R.TRANSACTIONAL_ID, t.transactionalId))
    return results(() => ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
  const writable = (topic: string) => !client || (!INTERNAL_TOPICS.has(topic) && authorized(ctx, Op.WRITE, R.TOPIC, topic));
  const refused = (topic: string, p: number) =>
    !writable(topic) ? ErrorCode.TOPIC_AUTHORIZATION_FAILED : known(topic, p) ? ErrorCode.NONE : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
  if (t.topics.some((tp) => tp.partitions.some((p) => refused(tp.name, p)))) {
    return results((topic, p) => refused(topic, p) || ErrorCode.OPERATION_NOT_ATTEMPTED);
  }
  const notHere = txnCoordinatorError(ctx, t.transactionalId);
  if (notHere !== ErrorCode.NONE) return results(() => notHere);
  const partitions = t.topics.flatMap((tp) => tp.partitions.map((p) => ({ topic: tp.name, partition: p })));
  const code = downgradeFenced(
    broker.txn.addPartitions(t.transactionalId, t.producerId, t.producerEpoch, partitions, t.verifyOnly),
    ctx.apiVersion,
    2,
  );
  return results(() => code);
}

export default defineHandler({
  api: AddPartitionsToTxn,
  handle(req, ctx) {
    if (ctx.apiVersion <= 3) {
      const topics = addOne(
        {
          transactionalId: req.v3AndBelowTransactionalId,
          producerId: req.v3AndBelowProducerId,
          producerEpoch: req.v3AndBelowProducerEpoch,
          verifyOnly: false,
          topics: req.v3AndBelowTopics,
        },
        ctx,
      );
      return { throttleTimeMs: 0, resultsByTopicV3AndBelow: topics };
    }
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      resultsByTransaction: req.transactions.map((t) => ({ transactionalId: t.transactionalId, topicResults: addOne(t, ctx) })),
    };
  },
});
