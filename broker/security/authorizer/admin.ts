// The ACL admin requests (DescribeAcls 29, CreateAcls 30, DeleteAcls 31) as Kafka's AclApis and
// its controller (AclControlManager) answer them: the checks and messages, per binding or filter.
// Handlers in broker/handlers/29-31 call these.

import { ErrorCode } from '../../../protocol/errors.js';
import type { RequestContext } from '../../handler.js';
import {
  type AclBinding,
  type AclFilter,
  AclOperation,
  CLUSTER_NAME,
  PatternType,
  Permission,
  ResourceType,
  entryFilterUnknown,
  knownOperation,
  knownPatternType,
  knownPermission,
  knownResourceType,
  operationName,
  patternFilterUnknown,
  patternTypeName,
  permissionName,
  resourceTypeName,
} from './acl.js';
import { authorizerEnabled, clusterAuthorized, clusterRefusedMessage } from './checks.js';

export interface Outcome {
  errorCode: number;
  errorMessage: string | null;
}
const ok: Outcome = { errorCode: 0, errorMessage: null };
const invalid = (errorMessage: string): Outcome => ({ errorCode: ErrorCode.INVALID_REQUEST, errorMessage });

/** Why the whole request is refused before looking at its entries, or null. */
export function refusal(ctx: RequestContext, op: number, disabledMessage: string): Outcome | null {
  if (!authorizerEnabled(ctx)) return { errorCode: ErrorCode.SECURITY_DISABLED, errorMessage: disabledMessage };
  // AuthHelper.authorizeClusterOperation throws ClusterAuthorizationException("Request <request> needs <OP> permission.").
  if (!clusterAuthorized(ctx, op))
    return { errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: clusterRefusedMessage(ctx, op) };
  return null;
}

/** The request parsers refuse elements coded UNKNOWN (0; other unknown codes pass): Kafka closes the connection. */
export const hasUnknownCode = (codes: number[]): boolean => codes.some((c) => c === 0);

/**
 * CreateAclsRequest.aclBinding builds ResourcePattern and AccessControlEntry, whose constructors
 * refuse ANY resource types, ANY/MATCH patterns, ANY operations and permissions: the whole request
 * then fails (UNKNOWN_SERVER_ERROR without a message for every creation).
 */
export const unbuildable = (b: AclBinding): boolean =>
  b.resourceType === ResourceType.ANY ||
  b.patternType === PatternType.ANY ||
  b.patternType === PatternType.MATCH ||
  b.operation === AclOperation.ANY ||
  b.permissionType === Permission.ANY;

/** AclApis.handleCreateAcls then AclControlManager.validateNewAcl (4.4, CIDR hosts allowed). */
export function checkNewAcl(b: AclBinding): Outcome {
  const type = knownResourceType(b.resourceType);
  if (type === ResourceType.CLUSTER && b.resourceName !== CLUSTER_NAME)
    return invalid(`The only valid name for the CLUSTER resource is ${CLUSTER_NAME}`);
  if (b.resourceName === '') return invalid('Invalid empty resource name');
  if (type === ResourceType.UNKNOWN || type === ResourceType.ANY) return invalid(`Invalid resourceType ${resourceTypeName(type)}`);
  const pattern = knownPatternType(b.patternType);
  if (pattern !== PatternType.LITERAL && pattern !== PatternType.PREFIXED)
    return invalid(`Invalid patternType ${patternTypeName(pattern)}`);
  const op = knownOperation(b.operation);
  if (op === AclOperation.UNKNOWN || op === AclOperation.ANY) return invalid(`Invalid operation ${operationName(op)}`);
  const perm = knownPermission(b.permissionType);
  if (perm !== Permission.ALLOW && perm !== Permission.DENY) return invalid(`Invalid permissionType ${permissionName(perm)}`);
  if (!b.principal.includes(':'))
    return invalid(
      `Could not parse principal from \`${b.principal}\` (no colon is present separating the principal type from the principal name)`,
    );
  if (b.host === '') return invalid('Host pattern cannot be null or empty');
  return ok;
}

/** AclControlManager.validateFilter. */
export function checkFilter(f: AclFilter): Outcome {
  if (patternFilterUnknown(f)) return invalid('Unknown patternFilter.');
  if (entryFilterUnknown(f)) return invalid('Unknown entryFilter.');
  return ok;
}

/** DescribeAclsResponse.aclsResources: bindings grouped by resource pattern. */
export function groupByResource(bindings: readonly AclBinding[]) {
  const out: Array<{
    resourceType: number;
    resourceName: string;
    patternType: number;
    acls: Array<{ principal: string; host: string; operation: number; permissionType: number }>;
  }> = [];
  for (const b of bindings) {
    let last = out[out.length - 1];
    if (!last || last.resourceType !== b.resourceType || last.resourceName !== b.resourceName || last.patternType !== b.patternType) {
      last = { resourceType: b.resourceType, resourceName: b.resourceName, patternType: b.patternType, acls: [] };
      out.push(last);
    }
    last.acls.push({ principal: b.principal, host: b.host, operation: b.operation, permissionType: b.permissionType });
  }
  return out;
}
