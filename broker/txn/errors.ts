// Error-code downgrades by request version (as KafkaApis does them): PRODUCER_FENCED (90)
// reaches only versions that know it, older ones get INVALID_PRODUCER_EPOCH (47).
import { ErrorCode } from '../../protocol/errors.js';
import { CoordinatorKeyType, type CoordinatorPlacement } from '../coordinator-placement.js';

export function downgradeFenced(errorCode: number, apiVersion: number, firstVersionWithFenced: number): number {
  return errorCode === ErrorCode.PRODUCER_FENCED && apiVersion < firstVersionWithFenced ? ErrorCode.INVALID_PRODUCER_EPOCH : errorCode;
}

/** NONE when this node coordinates the transactional id, else NOT_COORDINATOR (COORDINATOR_NOT_AVAILABLE once stopped). */
export function txnCoordinatorError(
  ctx: { broker: { placement: Pick<CoordinatorPlacement, 'check'> }; node: { nodeId: number } },
  transactionalId: string,
): number {
  return ctx.broker.placement.check(CoordinatorKeyType.TRANSACTION, transactionalId, ctx.node.nodeId);
}
