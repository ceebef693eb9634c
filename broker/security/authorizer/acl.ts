// ACL bindings and filters as Kafka's clients library defines them (org.apache.kafka.common.acl
// and org.apache.kafka.common.resource): the wire codes of resource types, pattern types,
// operations and permission types, their Java names (error messages print them), and the
// matching rules of AclBindingFilter (ResourcePatternFilter.matches, AccessControlEntryFilter.matches)
// that DescribeAcls and DeleteAcls apply.

/** ResourceType codes. */
export const ResourceType = {
  UNKNOWN: 0,
  ANY: 1,
  TOPIC: 2,
  GROUP: 3,
  CLUSTER: 4,
  TRANSACTIONAL_ID: 5,
  DELEGATION_TOKEN: 6,
  USER: 7,
} as const;
export type ResourceTypeCode = (typeof ResourceType)[keyof typeof ResourceType];

/** PatternType codes. */
export const PatternType = { UNKNOWN: 0, ANY: 1, MATCH: 2, LITERAL: 3, PREFIXED: 4 } as const;

/** AclOperation codes. */
export const AclOperation = {
  UNKNOWN: 0,
  ANY: 1,
  ALL: 2,
  READ: 3,
  WRITE: 4,
  CREATE: 5,
  DELETE: 6,
  ALTER: 7,
  DESCRIBE: 8,
  CLUSTER_ACTION: 9,
  DESCRIBE_CONFIGS: 10,
  ALTER_CONFIGS: 11,
  IDEMPOTENT_WRITE: 12,
  CREATE_TOKENS: 13,
  DESCRIBE_TOKENS: 14,
  TWO_PHASE_COMMIT: 15,
} as const;
export type AclOperationCode = (typeof AclOperation)[keyof typeof AclOperation];

/** AclPermissionType codes. */
export const Permission = { UNKNOWN: 0, ANY: 1, DENY: 2, ALLOW: 3 } as const;

/** Java enum names by code; a code Java does not know reads as UNKNOWN (fromCode). */
const nameOf = (table: Record<string, number>) => {
  const names = new Map(Object.entries(table).map(([k, v]) => [v, k]));
  return (code: number): string => names.get(code) ?? 'UNKNOWN';
};
export const resourceTypeName = nameOf(ResourceType);
export const patternTypeName = nameOf(PatternType);
export const operationName = nameOf(AclOperation);
export const permissionName = nameOf(Permission);

/** fromCode: an unknown code becomes UNKNOWN (0). */
const known = (table: Record<string, number>) => {
  const codes = new Set(Object.values(table));
  return (code: number) => (codes.has(code) ? code : 0);
};
export const knownResourceType = known(ResourceType);
export const knownPatternType = known(PatternType);
export const knownOperation = known(AclOperation);
export const knownPermission = known(Permission);

/** The only name of the CLUSTER resource (Kafka's CLUSTER_NAME). */
export const CLUSTER_NAME = 'kafka-cluster';
/** The wildcard resource name and host ('*'); the wildcard principal is User:*. */
export const WILDCARD = '*';
export const WILDCARD_PRINCIPAL = 'User:*';
/** The principal of a connection without authentication (KafkaPrincipal.ANONYMOUS). */
export const ANONYMOUS = 'User:ANONYMOUS';

/** One ACL: a resource pattern and an access control entry (AclBinding). */
export interface AclBinding {
  resourceType: number;
  resourceName: string;
  patternType: number;
  principal: string;
  host: string;
  operation: number;
  permissionType: number;
}

/** AclBindingFilter: null strings match anything; ANY codes match anything. */
export interface AclFilter {
  resourceType: number;
  resourceName: string | null;
  patternType: number;
  principal: string | null;
  host: string | null;
  operation: number;
  permissionType: number;
}

/** ResourcePatternFilter.matches. */
export function patternMatches(f: AclFilter, b: AclBinding): boolean {
  if (f.resourceType !== ResourceType.ANY && f.resourceType !== b.resourceType) return false;
  if (f.patternType !== PatternType.ANY && f.patternType !== PatternType.MATCH && f.patternType !== b.patternType) return false;
  if (f.resourceName === null) return true;
  if (f.patternType === PatternType.ANY || f.patternType === b.patternType) return f.resourceName === b.resourceName;
  // MATCH: the ACLs that would apply to a resource of that name.
  if (b.patternType === PatternType.LITERAL) return f.resourceName === b.resourceName || b.resourceName === WILDCARD;
  if (b.patternType === PatternType.PREFIXED) return f.resourceName.startsWith(b.resourceName);
  return false;
}

/** AccessControlEntryFilter.matches. */
export function entryMatches(f: AclFilter, b: AclBinding): boolean {
  if (f.principal !== null && f.principal !== b.principal) return false;
  if (f.host !== null && f.host !== b.host) return false;
  if (f.operation !== AclOperation.ANY && f.operation !== b.operation) return false;
  return f.permissionType === Permission.ANY || f.permissionType === b.permissionType;
}

export const filterMatches = (f: AclFilter, b: AclBinding): boolean => patternMatches(f, b) && entryMatches(f, b);

/** ResourcePatternFilter.isUnknown / AccessControlEntryFilter.isUnknown. */
export const patternFilterUnknown = (f: AclFilter): boolean =>
  knownResourceType(f.resourceType) === ResourceType.UNKNOWN || knownPatternType(f.patternType) === PatternType.UNKNOWN;
export const entryFilterUnknown = (f: AclFilter): boolean =>
  knownOperation(f.operation) === AclOperation.UNKNOWN || knownPermission(f.permissionType) === Permission.UNKNOWN;

/** StandardAcl's order (compareTo): resource type, name, pattern type, principal, host, operation, permission. */
export function compareAcls(a: AclBinding, b: AclBinding): number {
  const str = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return (
    a.resourceType - b.resourceType ||
    str(a.resourceName, b.resourceName) ||
    a.patternType - b.patternType ||
    str(a.principal, b.principal) ||
    str(a.host, b.host) ||
    a.operation - b.operation ||
    a.permissionType - b.permissionType
  );
}

export const aclKey = (b: AclBinding): string =>
  [b.resourceType, b.resourceName, b.patternType, b.principal, b.host, b.operation, b.permissionType].join('\u0000');
