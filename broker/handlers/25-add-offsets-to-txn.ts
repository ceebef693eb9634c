// AddOffsetsToTxn (key 25), v0-4.
//
// Behaviour (Kafka's KafkaApis.handleAddOffsetsToTxnRequest):
// the group's `__consumer_offsets` partition joins the
// transaction, with AddPartitionsToTxn's checks and codes (PRODUCER_FENCED becomes
// INVALID_PRODUCER_EPOCH before v2); TxnOffsetCommit then goes to the group coordinator.

import { ErrorCode } from '../../protocol/errors.js';
import { AddOffsetsToTxn } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';
import { downgradeFenced, txnCoordinatorError } from '../txn/errors.js';

export default defineHandler({
  api: AddOffsetsToTxn,
  handle(req, ctx) {
    const notHere = txnCoordinatorError(ctx, req.transactionalId);
    if (notHere !== ErrorCode.NONE) return { throttleTimeMs: 0, errorCode: notHere };
    const code = ctx.broker.txn.addOffsets(req.transactionalId, req.producerId, req.producerEpoch, req.groupId);
    return { throttleTimeMs: 0, errorCode: downgradeFenced(code, ctx.apiVersion, 2) };
  },
});
