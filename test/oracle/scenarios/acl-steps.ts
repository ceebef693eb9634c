// The steps and constants of the ACL scenarios (acls.ts, acls-handlers.ts): ACL tuples and filters as the
// wire's codes (AclOperation, AclPermissionType, ResourceType, PatternType), CreateAcls/DescribeAcls/DeleteAcls
// steps, the wait until Kafka's authorizer holds them, and the sorting of its HashMap-ordered answers.

import { CreateAcls, DeleteAcls, DescribeAcls, OffsetCommit } from '../../../protocol/messages/index.js';
import type { Ctx, Res, Step } from '../oracle.js';
import type { Rule } from '../normalise.js';

export const TOPIC = 2;
export const GROUP = 3;
export const CLUSTER = 4;
export const TRANSACTIONAL_ID = 5;
export const CREATE = 5;
export const DELETE = 6;
export const DESCRIBE_CONFIGS = 10;
export const ALTER_CONFIGS = 11;
export const ALTER = 7;
export const ANY = 1;
export const MATCH = 2;
export const LITERAL = 3;
export const PREFIXED = 4;
export const READ = 3;
export const WRITE = 4;
export const DESCRIBE = 8;
export const ALL = 2;
export const DENY = 2;
export const ALLOW = 3;

export type Acl = [type: number, name: (c: Ctx) => string, pattern: number, principal: string, host: string, op: number, perm: number];
export const n = (suffix: string) => (c: Ctx) => c.name(suffix);
export const fixed = (name: string) => () => name;

export const create = (acls: Acl[], o: { compare?: boolean } = {}): Step => ({
  api: CreateAcls,
  compare: o.compare,
  body: (c) => ({
    creations: acls.map(([resourceType, name, resourcePatternType, principal, host, operation, permissionType]) => ({
      resourceType,
      resourceName: name(c),
      resourcePatternType,
      principal,
      host,
      operation,
      permissionType,
    })),
  }),
});

export type Filter = [
  type: number,
  name: ((c: Ctx) => string) | null,
  pattern: number,
  principal: string | null,
  host: string | null,
  op: number,
  perm: number,
];
const filterBody = (
  [resourceTypeFilter, name, patternTypeFilter, principalFilter, hostFilter, operation, permissionType]: Filter,
  c: Ctx,
) => ({
  resourceTypeFilter,
  resourceNameFilter: name ? name(c) : null,
  patternTypeFilter,
  principalFilter,
  hostFilter,
  operation,
  permissionType,
});

export const describe = (f: Filter, o: Partial<Step> = {}): Step => ({ api: DescribeAcls, body: (c) => filterBody(f, c), ...o });
export const aclCount = (r: Res) => (r.resources ?? []).reduce((sum: number, x: Res) => sum + x.acls.length, 0);
/** Setup: describe until the broker's authorizer holds `count` ACLs matching `f`. */
export const settled = (f: Filter, count: number): Step => describe(f, { compare: false, until: (r) => aclCount(r) === count });
export const remove = (filters: Filter[], o: Partial<Step> = {}): Step => ({
  api: DeleteAcls,
  body: (c) => ({ filters: filters.map((f) => filterBody(f, c)) }),
  ...o,
});

const key = (x: Res) => JSON.stringify(x);
/** Kafka groups ACLs through HashMaps: compare them sorted. */
export function sortAcls(kafka: Res, lite: Res): void {
  for (const side of [kafka, lite]) {
    if (Array.isArray(side?.resources)) {
      for (const r of side.resources) if (Array.isArray(r.acls)) r.acls.sort((a: Res, b: Res) => key(a).localeCompare(key(b)));
      side.resources.sort((a: Res, b: Res) => key(a).localeCompare(key(b)));
    }
    for (const f of side?.filterResults ?? [])
      if (Array.isArray(f.matchingAcls)) f.matchingAcls.sort((a: Res, b: Res) => key(a).localeCompare(key(b)));
  }
}

export const anon = 'User:ANONYMOUS';

/** ACL hosts are ACL data, not listener addresses: compared as they are. */
export const KEEP_HOSTS: Rule[] = [
  { path: 'resources[*].acls[*].host', action: 'keep', reason: 'an ACL host, not a listener address' },
  { path: 'filterResults[*].matchingAcls[*].host', action: 'keep', reason: 'an ACL host, not a listener address' },
];

/** Offset 1 of partition 0 of each topic (suffixes), as OffsetCommit and TxnOffsetCommit carry them. */
export const offsets = (c: Ctx, topics: string[]) =>
  topics.map((t) => ({
    name: c.name(t),
    partitions: [{ partitionIndex: 0, committedOffset: 1, committedLeaderEpoch: -1, committedMetadata: null }],
  }));

/** OffsetCommit v9 of offset 1 on partition 0 of each topic by the group 'g', outside any generation. */
export const commit = (topics: string[]): Step => ({
  api: OffsetCommit,
  v: 9,
  body: (c) => ({
    groupId: c.name('g'),
    generationIdOrMemberEpoch: -1,
    memberId: '',
    groupInstanceId: null,
    topics: offsets(c, topics),
  }),
});
