// EndTxn (key 26), v0-4 (v5, unstable in Kafka, is not served).
//
// Behaviour (README §10.3 step 6): Ongoing → Prepare* (logged) → COMMIT/ABORT markers on every
// partition of the transaction, pending offsets applied (commit) or dropped → Complete*
// (logged), then the answer. Retries: Complete* with the same result → NONE, the opposite →
// INVALID_TXN_STATE; Empty → INVALID_TXN_STATE; unknown producer id →
// INVALID_PRODUCER_ID_MAPPING; wrong epoch (e.g. fenced by a timeout) → PRODUCER_FENCED
// (INVALID_PRODUCER_EPOCH before v2).

import { ErrorCode } from '../../protocol/errors.js';
import { EndTxn } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';
import { downgradeFenced, txnCoordinatorError } from '../txn/errors.js';

export default defineHandler({
  api: EndTxn,
  handle(req, ctx) {
    const notHere = txnCoordinatorError(ctx, req.transactionalId);
    if (notHere !== ErrorCode.NONE) return { throttleTimeMs: 0, errorCode: notHere };
    const code = ctx.broker.txn.endTxn(req.transactionalId, req.producerId, req.producerEpoch, req.committed);
    return { throttleTimeMs: 0, errorCode: downgradeFenced(code, ctx.apiVersion, 2) };
  },
});
