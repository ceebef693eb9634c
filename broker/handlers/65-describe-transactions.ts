// DescribeTransactions (key 65), v0.
//
// Behaviour (KIP-664): the coordinator's view of each transactional id: state name (Kafka's:
// Empty, Ongoing, PrepareCommit, ...), timeout, start time (-1 when none), producer id/epoch and
// the partitions of the open transaction. Unknown ids → TRANSACTIONAL_ID_NOT_FOUND;
// NOT_COORDINATOR when another simulated node coordinates the id. Authorization
// (KafkaApis.handleDescribeTransactionsRequest): an id the caller may not Describe →
// TRANSACTIONAL_ID_AUTHORIZATION_FAILED (before the coordinator is asked); the topics listed are
// those the caller may Describe.

import { ErrorCode } from '../../protocol/errors.js';
import { DescribeTransactions } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';
import { Op, R, authorized, deniedCode } from '../security/authorizer/checks.js';
import { txnCoordinatorError } from '../txn/errors.js';
import { TXN_STATE_NAMES } from '../txn/metadata.js';

export default defineHandler({
  api: DescribeTransactions,
  handle(req, ctx) {
    return {
      throttleTimeMs: 0,
      transactionStates: req.transactionalIds.map((id) => {
        // An id answered with an error carries the schema's defaults (zeros), as in Kafka.
        const empty = {
          transactionalId: id,
          transactionState: '',
          transactionTimeoutMs: 0,
          transactionStartTimeMs: 0,
          producerId: 0,
          producerEpoch: 0,
          topics: [],
        };
        const refused = deniedCode(ctx, Op.DESCRIBE, R.TRANSACTIONAL_ID, id);
        if (refused) return { ...empty, errorCode: refused };
        const notHere = txnCoordinatorError(ctx, id);
        if (notHere !== ErrorCode.NONE) return { ...empty, errorCode: notHere };
        const t = ctx.broker.txn.transaction(id);
        if (!t) return { ...empty, errorCode: ErrorCode.TRANSACTIONAL_ID_NOT_FOUND };
        const byTopic = new Map<string, number[]>();
        for (const p of t.partitions.values())
          if (authorized(ctx, Op.DESCRIBE, R.TOPIC, p.topic)) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p.partition]);
        return {
          errorCode: ErrorCode.NONE,
          transactionalId: id,
          transactionState: TXN_STATE_NAMES[t.state] ?? 'Dead',
          transactionTimeoutMs: t.timeoutMs,
          transactionStartTimeMs: t.startTs,
          producerId: t.producerId,
          producerEpoch: t.producerEpoch,
          topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions: partitions.sort((a, b) => a - b) })),
        };
      }),
    };
  },
});
