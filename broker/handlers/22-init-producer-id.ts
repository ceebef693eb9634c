// InitProducerId (key 22), v0-5.
//
// Behaviour (Kafka's TransactionCoordinator.handleInitProducerId, ProducerIdManager):
// without a transactional id, a fresh producer id with epoch 0
// (ids come from blocks logged in `__transaction_state`, so they never repeat after a restart).
// With one: INVALID_TRANSACTION_TIMEOUT above transaction.max.timeout.ms; a new id gets a new
// producer id, epoch 0; an existing one gets epoch + 1, fencing older instances; an Ongoing
// transaction is aborted with a bumped epoch and the answer is CONCURRENT_TRANSACTIONS (the
// client retries). v3+ may pass the current id/epoch; a mismatch is PRODUCER_FENCED
// (INVALID_PRODUCER_EPOCH before v4). v5 adds TRANSACTION_ABORTABLE, which is never sent here.
// NOT_COORDINATOR when another simulated node coordinates the id.

import { ErrorCode } from '../../protocol/errors.js';
import { InitProducerId } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';
import { downgradeFenced, txnCoordinatorError } from '../txn/errors.js';

export default defineHandler({
  api: InitProducerId,
  handle(req, ctx) {
    const txn = ctx.broker.txn;
    if (req.transactionalId === null) {
      return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId: txn.newProducerId(), producerEpoch: 0 };
    }
    const notHere = req.transactionalId === '' ? ErrorCode.NONE : txnCoordinatorError(ctx, req.transactionalId);
    if (notHere !== ErrorCode.NONE) return { throttleTimeMs: 0, errorCode: notHere, producerId: -1, producerEpoch: -1 };
    const expected =
      ctx.apiVersion >= 3 ? { producerId: req.producerId, producerEpoch: req.producerEpoch } : { producerId: -1, producerEpoch: -1 };
    const r = txn.initProducerId(req.transactionalId, req.transactionTimeoutMs, expected);
    return {
      throttleTimeMs: 0,
      errorCode: downgradeFenced(r.errorCode, ctx.apiVersion, 4),
      producerId: r.producerId,
      producerEpoch: r.producerEpoch,
    };
  },
});
