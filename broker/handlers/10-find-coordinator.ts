// FindCoordinator (key 10), v0-6.
//
// Behaviour (Kafka's KafkaApis.handleFindCoordinatorRequest):
// the coordinator of a group is the leader of its `__consumer_offsets` partition
// (abs(javaStringHashCode(group)) % offsets.topic.num.partitions); with one node that is this node.
// The topic is created on the first lookup. key_type 1 (transaction) is answered the same way from
// `__transaction_state`'s partitioning (Kafka's TransactionStateManager.partitionFor): the leader
// of the id's partition runs its transaction coordinator (broker/txn/coordinator.ts). v0-3 look up
// one key, v4+ a batch (coordinator_keys -> coordinators[]). key_type 2 (v6, KIP-932) names a
// share-partition, `groupId:topicId:partition` (Kafka's SharePartitionKey): the share coordinator
// that keeps its state (broker/share/ when it serves that key type, else the share group's
// coordinator, the same node with one node); a key of another shape gets INVALID_REQUEST with an
// empty message, as in Kafka 4.4. An unknown key type gets INVALID_REQUEST.
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
      // Describe on the group or transactional id, ClusterAction for a share-partition key (broker/security/authorizer/checks.ts).
      const denied = coordinatorDenied(ctx, keyType, key);
      if (denied) {
        errorCode = denied;
      } else if (keyType === CoordinatorKeyType.SHARE) {
        const groupId = sharePartitionGroup(key);
        if (groupId === null) return { key, nodeId: -1, host: '', port: -1, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: '' };
        const placement = ctx.broker.placement;
        const id = placement.serves(keyType) ? placement.nodeFor(keyType, key) : placement.nodeFor(CoordinatorKeyType.GROUP, groupId);
        node = ctx.broker.cluster.node(id);
        if (!node?.up) errorCode = ErrorCode.COORDINATOR_NOT_AVAILABLE;
      } else if (keyType !== CoordinatorKeyType.GROUP && keyType !== CoordinatorKeyType.TRANSACTION) {
        errorCode = ErrorCode.INVALID_REQUEST;
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

/** The group of a share-partition key `groupId:topicId:partition` (Kafka's SharePartitionKey.validate), null when malformed. */
function sharePartitionGroup(key: string): string | null {
  const parts = key.split(':');
  if (parts.length !== 3 || parts[0] === '') return null;
  if (!/^[A-Za-z0-9_-]{22}$/.test(parts[1]!)) return null;
  if (!/^-?\d+$/.test(parts[2]!) || Number(parts[2]) < 0 || Number(parts[2]) > 2 ** 31 - 1) return null;
  return parts[0]!;
}
