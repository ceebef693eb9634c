// ListTransactions (key 66), v0-2.
//
// Behaviour (KIP-664, KIP-994): every transactional id this node coordinates, filtered by
// state names (unknown names come back in unknown_state_filters), producer ids and (v1)
// duration_filter: only transactions running longer than that many ms (-1: no filter), and
// (v2, KIP-1152) transactional_id_pattern, a regular expression the whole id must match (null
// or empty: no filter); one that does not compile gets INVALID_REGULAR_EXPRESSION. Only the ids
// the caller may Describe are listed (KafkaApis.handleListTransactionsRequest).

import { ErrorCode } from '../../protocol/errors.js';
import { ListTransactions } from '../../protocol/messages/index.js';
import { CoordinatorKeyType } from '../coordinator-placement.js';
import { defineHandler } from '../handler.js';
import { Op, R, authorized } from '../security/authorizer/checks.js';
import { TXN_STATE_NAMES, TxnState } from '../txn/metadata.js';

export default defineHandler({
  api: ListTransactions,
  handle(req, ctx) {
    const known = new Set<string>(TXN_STATE_NAMES);
    const states = new Set(req.stateFilters);
    const pids = new Set(req.producerIdFilters.map(Number));
    const now = ctx.broker.clock.now();
    const duration = ctx.apiVersion >= 1 ? Number(req.durationFilter) : -1;
    let pattern: RegExp | null = null;
    if (ctx.apiVersion >= 2 && req.transactionalIdPattern) {
      try {
        pattern = new RegExp(`^(?:${req.transactionalIdPattern})$`, 'u');
      } catch {
        return { throttleTimeMs: 0, errorCode: ErrorCode.INVALID_REGULAR_EXPRESSION, unknownStateFilters: [], transactionStates: [] };
      }
    }
    const transactionStates = ctx.broker.txn
      .all()
      .filter((t) => ctx.broker.placement.check(CoordinatorKeyType.TRANSACTION, t.transactionalId, ctx.node.nodeId) === ErrorCode.NONE)
      .filter((t) => states.size === 0 || states.has(TXN_STATE_NAMES[t.state] ?? ''))
      .filter((t) => pids.size === 0 || pids.has(t.producerId))
      .filter((t) => pattern === null || pattern.test(t.transactionalId))
      .filter((t) => authorized(ctx, Op.DESCRIBE, R.TRANSACTIONAL_ID, t.transactionalId))
      .filter((t) => duration < 0 || (t.state === TxnState.Ongoing && now - t.startTs > duration))
      .map((t) => ({ transactionalId: t.transactionalId, producerId: t.producerId, transactionState: TXN_STATE_NAMES[t.state] ?? 'Dead' }));
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      unknownStateFilters: req.stateFilters.filter((s) => !known.has(s)),
      transactionStates,
    };
  },
});
