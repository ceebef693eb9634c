// What handlers call to authorize (Kafka's AuthHelper): one decision per resource, the error
// code a denial answers per resource type, KIP-430 authorized operations. The principal is the
// connection's (ConnectionInfo.principal, User:ANONYMOUS without authentication), the host its
// remote address as Java prints it. With no authorizer configured everything is allowed.

import { defaultErrorMessage } from '../../../protocol/error-messages.js';
import { ErrorCode } from '../../../protocol/errors.js';
import type { RequestContext } from '../../handler.js';
import { AclOperation as Op, CLUSTER_NAME, ResourceType as R, operationName } from './acl.js';
import { hostAddress, principalOf, type Requester } from './authorizer.js';

export { AclOperation as Op, ResourceType as R } from './acl.js';

const requester = (ctx: RequestContext): Requester => ({
  principal: principalOf(ctx.connection.principal),
  host: hostAddress(ctx.connection.remoteAddress),
});

/** AuthHelper.authorize: may this connection do `op` on the resource (a literal name)? */
export function authorized(ctx: RequestContext, op: number, type: number, name: string): boolean {
  const a = ctx.broker.authorizer;
  return !a.enabled || a.authorize(requester(ctx), op, type, name);
}

/** `op` on the cluster resource (kafka-cluster). */
export const clusterAuthorized = (ctx: RequestContext, op: number): boolean => authorized(ctx, op, R.CLUSTER, CLUSTER_NAME);

/**
 * The message of the ClusterAuthorizationException AuthHelper.authorizeClusterOperation throws in
 * Kafka 4.4, "Request <request> needs <OPERATION> permission.": Kafka prints its whole request
 * object there (processor, connection, session, buffer...), kafkalite the client id.
 */
export const clusterRefusedMessage = (ctx: RequestContext, op: number): string =>
  `Request ${ctx.header.clientId ?? ''} needs ${operationName(op)} permission.`;

/** AuthHelper.authorizeByResourceType. */
export function authorizedByType(ctx: RequestContext, op: number, type: number): boolean {
  const a = ctx.broker.authorizer;
  return !a.enabled || a.authorizeByResourceType(requester(ctx), op, type);
}

/** Whether an authorizer is configured (the ACL APIs answer SECURITY_DISABLED without one). */
export const authorizerEnabled = (ctx: RequestContext): boolean => ctx.broker.authorizer.enabled;

/** The error a denial answers, by resource type. */
export const DENIED: Readonly<Record<number, number>> = {
  [R.TOPIC]: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
  [R.GROUP]: ErrorCode.GROUP_AUTHORIZATION_FAILED,
  [R.CLUSTER]: ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
  [R.TRANSACTIONAL_ID]: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
  [R.DELEGATION_TOKEN]: ErrorCode.DELEGATION_TOKEN_AUTHORIZATION_FAILED,
};

/** 0 when allowed, else the resource type's authorization error code. */
export function deniedCode(ctx: RequestContext, op: number, type: number, name: string): number {
  return authorized(ctx, op, type, name) ? 0 : DENIED[type]!;
}

/** AclEntry.supportedOperations per resource type (KIP-430). */
const SUPPORTED: Readonly<Record<number, readonly number[]>> = {
  [R.TOPIC]: [Op.READ, Op.WRITE, Op.CREATE, Op.DESCRIBE, Op.DELETE, Op.ALTER, Op.DESCRIBE_CONFIGS, Op.ALTER_CONFIGS],
  [R.GROUP]: [Op.READ, Op.DESCRIBE, Op.DELETE, Op.DESCRIBE_CONFIGS, Op.ALTER_CONFIGS],
  [R.CLUSTER]: [Op.CREATE, Op.CLUSTER_ACTION, Op.DESCRIBE_CONFIGS, Op.ALTER_CONFIGS, Op.IDEMPOTENT_WRITE, Op.ALTER, Op.DESCRIBE],
  [R.TRANSACTIONAL_ID]: [Op.DESCRIBE, Op.WRITE, Op.TWO_PHASE_COMMIT],
  [R.DELEGATION_TOKEN]: [Op.DESCRIBE],
  [R.USER]: [Op.CREATE_TOKENS, Op.DESCRIBE_TOKENS],
};

/** AuthHelper.authorizedOperations: the bit field of the supported operations this connection may do. */
export function authorizedOperationBits(ctx: RequestContext, type: number, name: string): number {
  let bits = 0;
  for (const op of SUPPORTED[type] ?? []) if (authorized(ctx, op, type, name)) bits |= 1 << op;
  return bits;
}

/**
 * KafkaApis.handleTopicMetadataRequest for one named topic: 'describe' when the caller may not
 * Describe it (answered TOPIC_AUTHORIZATION_FAILED whether it exists or not, so its existence is
 * not disclosed), 'create' when the request would auto-create it but the caller has Create on
 * neither the cluster nor the topic, else null.
 */
export function metadataDenial(ctx: RequestContext, name: string, exists: boolean, wouldCreate: boolean): 'describe' | 'create' | null {
  if (!authorized(ctx, Op.DESCRIBE, R.TOPIC, name)) return 'describe';
  if (!exists && wouldCreate && !clusterAuthorized(ctx, Op.CREATE) && !authorized(ctx, Op.CREATE, R.TOPIC, name)) return 'create';
  return null;
}

/** Fetch (KafkaApis.handleFetchRequest): Read on each topic for consumers, ClusterAction on the cluster for followers. */
export function fetchDenied(ctx: RequestContext, follower: boolean, topic: string): number {
  if (follower) return clusterAuthorized(ctx, Op.CLUSTER_ACTION) ? 0 : ErrorCode.TOPIC_AUTHORIZATION_FAILED;
  return deniedCode(ctx, Op.READ, R.TOPIC, topic);
}

/** FindCoordinator: Describe on the group (key type 0) or the transactional id (key type 1). */
export function coordinatorDenied(ctx: RequestContext, keyType: number, key: string): number {
  if (keyType === 0) return deniedCode(ctx, Op.DESCRIBE, R.GROUP, key);
  if (keyType === 1) return deniedCode(ctx, Op.DESCRIBE, R.TRANSACTIONAL_ID, key);
  // A share-partition key (type 2) is for brokers: ClusterAction, as KafkaApis.getCoordinator asks.
  if (keyType === 2) return clusterAuthorized(ctx, Op.CLUSTER_ACTION) ? 0 : ErrorCode.CLUSTER_AUTHORIZATION_FAILED;
  return 0;
}

/** CreateTopics (ControllerApis.createTopics): Create on the cluster or on the topic. */
export const createTopicDenied = (ctx: RequestContext, name: string): boolean =>
  !clusterAuthorized(ctx, Op.CREATE) && !authorized(ctx, Op.CREATE, R.TOPIC, name);

/**
 * DeleteTopics (ControllerApis.deleteTopics), for an existing topic or a name: 'describe' when
 * the caller may not Describe it (refused before its existence is looked at when named), 'delete'
 * when it may not Delete it; Delete on the cluster allows both.
 */
export function deleteTopicDenial(ctx: RequestContext, name: string): 'describe' | 'delete' | null {
  if (clusterAuthorized(ctx, Op.DELETE)) return null;
  if (!authorized(ctx, Op.DESCRIBE, R.TOPIC, name)) return 'describe';
  return authorized(ctx, Op.DELETE, R.TOPIC, name) ? null : 'delete';
}

/** AuthHelper.partitionSeqByAuthorized: the names allowed `op`, then those refused. */
export function partitionAuthorized(ctx: RequestContext, op: number, type: number, names: readonly string[]): [string[], string[]] {
  const allowed: string[] = [];
  const refused: string[] = [];
  for (const n of names) (authorized(ctx, op, type, n) ? allowed : refused).push(n);
  return [allowed, refused];
}

/**
 * ConfigHelper (DescribeConfigs) and the controller's config checks: `op` (DescribeConfigs or
 * AlterConfigs) on the topic or group, on the cluster for brokers, broker loggers and client
 * metrics; 0 when allowed, else the resource's authorization error.
 */
export function configDenied(ctx: RequestContext, op: number, resourceType: number, name: string): number {
  // ConfigResource.Type codes: TOPIC 2, BROKER 4, BROKER_LOGGER 8, CLIENT_METRICS 16, GROUP 32.
  if (resourceType === 2) return deniedCode(ctx, op, R.TOPIC, name);
  if (resourceType === 32) return deniedCode(ctx, op, R.GROUP, name);
  return clusterAuthorized(ctx, op) ? 0 : ErrorCode.CLUSTER_AUTHORIZATION_FAILED;
}

/**
 * AlterConfigs/IncrementalAlterConfigs (ControllerApis): the resources the caller may AlterConfigs,
 * and the answers for the others (the resource's authorization error and its default message).
 */
export function splitConfigResources<T extends { resourceType: number; resourceName: string }>(
  ctx: RequestContext,
  resources: readonly T[],
): [T[], Array<{ resourceType: number; resourceName: string; errorCode: number; errorMessage: string | null }>] {
  const allowed = resources.filter((r) => !configDenied(ctx, Op.ALTER_CONFIGS, r.resourceType, r.resourceName));
  const refused = resources
    .filter((r) => configDenied(ctx, Op.ALTER_CONFIGS, r.resourceType, r.resourceName))
    .map((r) => ({
      resourceType: r.resourceType,
      resourceName: r.resourceName,
      errorCode: configDenied(ctx, Op.ALTER_CONFIGS, r.resourceType, r.resourceName),
      errorMessage: defaultErrorMessage(configDenied(ctx, Op.ALTER_CONFIGS, r.resourceType, r.resourceName)),
    }));
  return [allowed, refused];
}
