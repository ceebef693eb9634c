// Error-code downgrades by request version (as KafkaApis does them): PRODUCER_FENCED (90)
// reaches only versions that know it, older ones get INVALID_PRODUCER_EPOCH (47).
import { ErrorCode } from '../../protocol/errors.js';

export function downgradeFenced(errorCode: number, apiVersion: number, firstVersionWithFenced: number): number {
  return errorCode === ErrorCode.PRODUCER_FENCED && apiVersion < firstVersionWithFenced ? ErrorCode.INVALID_PRODUCER_EPOCH : errorCode;
}

/** NONE when this node coordinates the transactional id, else NOT_COORDINATOR. */
export function txnCoordinatorError(
  ctx: { broker: { coordinatorFor(keyType: number, key: string): number }; node: { nodeId: number } },
  transactionalId: string,
): number {
  const node = ctx.broker.coordinatorFor(1, transactionalId);
  if (node === -1) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
  return node === ctx.node.nodeId ? ErrorCode.NONE : ErrorCode.NOT_COORDINATOR;
}
