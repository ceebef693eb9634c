// FindCoordinator (key 10), v0-6.
//
// Behaviour (Kafka's KafkaApis.handleFindCoordinatorRequest):
// the coordinator of a group is the leader of its `__consumer_offsets` partition
// (abs(javaStringHashCode(group)) % offsets.topic.num.partitions); with one node that is this node.
// The topic is created on the first lookup. key_type 1 (transaction) is answered the same way from
// `__transaction_state`'s partitioning (Kafka's TransactionStateManager.partitionFor): the leader
// of the id's partition runs its transaction coordinator (broker/txn/coordinator.ts). v0-3 look up
// one key, v4+ a batch (coordinator_keys -> coordinators[]). An unknown key type, and share groups
// (key_type 2, v6), get INVALID_REQUEST.
//
// Differences from Kafka: Kafka answers COORDINATOR_NOT_AVAILABLE while it creates the topic
// and clients retry; here the topic is ready at once and the first answer is the coordinator.

import { ErrorCode, errorName } from '../../protocol/errors.js';
import { FindCoordinator } from '../../protocol/messages/index.js';
import type { NodeInfo } from '../cluster.js';
import { CoordinatorKeyType } from '../coordinator-placement.js';
import { defineHandler } from '../handler.js';
import { advertisedAddress } from '../security/listeners.js';
import { coordinatorDenied } from '../security/authorizer/checks.js';

/** Kafka's Errors.message() for the codes answered here. */
const MESSAGES: Record<number, string> = {
  [ErrorCode.NONE]: 'NONE',
  [ErrorCode.COORDINATOR_NOT_AVAILABLE]: 'The coordinator is not available.',
  [ErrorCode.GROUP_AUTHORIZATION_FAILED]: 'Group authorization failed.',
  [ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED]: 'Transactional Id authorization failed.',
  [ErrorCode.INVALID_REQUEST]:
    'This most likely occurs because of a request being malformed by the client library or the message was sent to an incompatible broker. ' +
    'See the broker logs for more details.',
};

export default defineHandler({
  api: FindCoordinator,
  handle(req, ctx) {
    const keyType = ctx.apiVersion >= 1 ? req.keyType : CoordinatorKeyType.GROUP;
    const lookup = (key: string) => {
      let errorCode: number = ErrorCode.NONE;
      let node: NodeInfo | undefined;
      // Describe on the group or transactional id (broker/security/authorizer/checks.ts).
      const denied = coordinatorDenied(ctx, keyType, key);
      if (keyType !== CoordinatorKeyType.GROUP && keyType !== CoordinatorKeyType.TRANSACTION) {
        errorCode = ErrorCode.INVALID_REQUEST;
      } else if (denied) {
        errorCode = denied;
      } else {
        node = ctx.broker.cluster.node(ctx.broker.placement.nodeFor(keyType, key));
        if (!node?.up) errorCode = ErrorCode.COORDINATOR_NOT_AVAILABLE;
      }
      const address = node && errorCode === ErrorCode.NONE ? advertisedAddress(node, ctx.connection) : null;
      return {
        key,
        nodeId: node && errorCode === ErrorCode.NONE ? node.nodeId : -1,
        host: address ? address.host : '',
        port: address ? address.port : -1,
        errorCode,
        // Kafka answers "NONE" up to v3 and "" per key from v4 when nothing failed.
        // From v4 an authorization failure carries no message either.
        errorMessage: (errorCode === ErrorCode.NONE || denied) && ctx.apiVersion >= 4 ? '' : (MESSAGES[errorCode] ?? errorName(errorCode)),
      };
    };
    if (ctx.apiVersion >= 4) return { throttleTimeMs: 0, coordinators: req.coordinatorKeys.map(lookup) };
    const one = lookup(req.key);
    return {
      throttleTimeMs: 0,
      errorCode: one.errorCode,
      errorMessage: one.errorMessage,
      nodeId: one.nodeId,
      host: one.host,
      port: one.port,
    };
  },
});
