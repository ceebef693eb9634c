// The steps of the acls-more*.ts scenarios: deny ANONYMOUS one operation on a resource (with an ALLOW of the
// rest), wait until Kafka's authorizer holds the ACLs, and remove them again so the next scenario starts clean.

import { CreateAcls, DeleteAcls, DescribeAcls } from '../../../protocol/messages/index.js';
import type { Ctx, Step } from '../oracle.js';
import { createTopic } from '../steps.js';
import { ALL, ALLOW, ANY, DENY, LITERAL, aclCount, anon } from './acl-steps.js';

export type Name = (c: Ctx) => string;
export const cluster: Name = () => 'kafka-cluster';
export const n =
  (suffix: string): Name =>
  (c) =>
    c.name(suffix);

const acl = (type: number, name: string, op: number, permissionType: number) => ({
  resourceType: type,
  resourceName: name,
  resourcePatternType: LITERAL,
  principal: anon,
  host: '*',
  operation: op,
  permissionType,
});
/**
 * Deny ANONYMOUS `op` on the resource. Once a resource has an ACL, allow.everyone.if.no.acl.found no
 * longer applies to it: an ALLOW of everything keeps the other operations (DENY beats ALLOW).
 */
export const deny = (type: number, name: Name, op: number): Step => ({
  api: CreateAcls,
  compare: false,
  body: (c) => ({ creations: [acl(type, name(c), ALL, ALLOW), acl(type, name(c), op, DENY)] }),
});
export const filter = (type: number, name: Name) => (c: Ctx) => ({
  resourceTypeFilter: type,
  resourceNameFilter: name(c),
  patternTypeFilter: LITERAL,
  principalFilter: anon,
  hostFilter: null,
  operation: ANY,
  permissionType: ANY,
});
/** Setup: DescribeAcls until the authorizer holds `count` of the resource's ACLs. */
export const settled = (type: number, name: Name, count: number): Step => ({
  api: DescribeAcls,
  compare: false,
  body: filter(type, name),
  until: (r) => r.errorCode === 0 && aclCount(r) === count,
});
/** Cleanup: delete the resource's ACLs, then wait until they are gone. */
export const cleanup = (type: number, name: Name): Step[] => [
  { api: DeleteAcls, compare: false, body: (c) => ({ filters: [filter(type, name)(c)] }) },
  settled(type, name, 0),
];
/** Deny ANONYMOUS `op` on the resource (see deny), then wait until the authorizer holds both ACLs. */
export const denied = (type: number, name: Name, op: number): Step[] => [deny(type, name, op), settled(type, name, 2)];

/** Setup: the topics 'ok' and 'no' (the one the scenario denies something on). */
export const okAndNo = (): Step[] => [...createTopic('ok'), ...createTopic('no')];
