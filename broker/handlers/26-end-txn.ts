// EndTxn (key 26), v0-5.
//
// Behaviour (Kafka's TransactionCoordinator.handleEndTransaction):
// Ongoing → Prepare* (logged) → COMMIT/ABORT markers on every
// partition of the transaction, pending offsets applied (commit) or dropped → Complete*
// (logged), then the answer. Retries: Complete* with the same result → NONE, the opposite →
// INVALID_TXN_STATE; Empty → INVALID_TXN_STATE; unknown producer id →
// INVALID_PRODUCER_ID_MAPPING; wrong epoch (e.g. fenced by a timeout) → PRODUCER_FENCED
// (INVALID_PRODUCER_EPOCH before v2).
//
// v5 is transactions v2 (KIP-890 part 2, TransactionCoordinator.endTransaction with
// TV_2): each commit or abort bumps the producer epoch, the markers carry the bumped epoch,
// and the answer returns producer_id / producer_epoch for the next transaction (a new producer
// id when the epoch runs out); an abort with no transaction open bumps as well; a retry with
// the epoch it was sent with, once complete, gets the same answer (the other outcome:
// INVALID_TXN_STATE). See broker/txn/coordinator.ts endTxnV2.

import { ErrorCode } from '../../protocol/errors.js';
import { EndTxn } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';
import { downgradeFenced, txnCoordinatorError } from '../txn/errors.js';

export default defineHandler({
  api: EndTxn,
  handle(req, ctx) {
    const notHere = txnCoordinatorError(ctx, req.transactionalId);
    if (notHere !== ErrorCode.NONE) return { throttleTimeMs: 0, errorCode: notHere };
    if (ctx.apiVersion >= 5) {
      return { throttleTimeMs: 0, ...ctx.broker.txn.endTxnV2(req.transactionalId, req.producerId, req.producerEpoch, req.committed) };
    }
    const code = ctx.broker.txn.endTxn(req.transactionalId, req.producerId, req.producerEpoch, req.committed);
    return { throttleTimeMs: 0, errorCode: downgradeFenced(code, ctx.apiVersion, 2) };
  },
});
