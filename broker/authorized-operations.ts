// Authorized operations (KIP-430) as Kafka answers them without an authorizer: when a client
// asks, every operation the resource type supports (the bit of each AclOperation code,
// AclEntry.supportedOperations in Kafka); when it doesn't, Integer.MIN_VALUE. With an authorizer,
// Metadata, DescribeCluster and DescribeGroups ask broker/security/authorizer/checks.ts
// (authorizedOperationBits) instead.

/** The answer when the request did not ask for authorized operations. */
export const AUTHORIZED_OPS_NOT_REQUESTED = -2147483648;

const bits = (...codes: number[]) => codes.reduce((acc, c) => acc | (1 << c), 0);

// AclOperation codes: READ 3, WRITE 4, CREATE 5, DELETE 6, ALTER 7, DESCRIBE 8,
// CLUSTER_ACTION 9, DESCRIBE_CONFIGS 10, ALTER_CONFIGS 11, IDEMPOTENT_WRITE 12.
export const TOPIC_OPERATIONS = bits(3, 4, 5, 6, 7, 8, 10, 11);
export const GROUP_OPERATIONS = bits(3, 6, 8, 10, 11);
export const CLUSTER_OPERATIONS = bits(5, 7, 8, 9, 10, 11, 12);

/** The operations to answer for a resource type, or the not-requested marker. */
export function authorizedOperations(requested: boolean, operations: number): number {
  return requested ? operations : AUTHORIZED_OPS_NOT_REQUESTED;
}
