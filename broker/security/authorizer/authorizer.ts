// The authorizer: Kafka's StandardAuthorizer (org.apache.kafka.metadata.authorizer.StandardAuthorizer
// and StandardAuthorizerData in kafka-metadata-4.4.0.jar), the one owner of the ACL table.
//
// Enabled by `authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer`;
// unset (Kafka's default) every action is allowed and the ACL APIs answer SECURITY_DISABLED.
// A decision (authorize):
//   - a principal named in `super.users` (semicolon-separated) is allowed everything;
//   - the ACLs of the action's resource type that apply to its name: LITERAL with the same name,
//     LITERAL `*`, PREFIXED with a prefix of the name; of those, the ones whose principal is the
//     caller's or `User:*` and whose host is the caller's address, `*` or a CIDR range holding it
//     (Kafka 4.4, KIP-1209 CIDR hosts);
//   - any DENY for the operation (or ALL) wins; else any ALLOW for it (or ALL, or one implying
//     it: Describe from Read/Write/Delete/Alter, DescribeConfigs from AlterConfigs) allows;
//   - no ACL at all on the resource: `allow.everyone.if.no.acl.found` (default false) decides;
//     ACLs on the resource but none allowing: denied.
// authorizeByResourceType is the Authorizer interface's default method (used by InitProducerId
// for idempotent producers: Write on any topic).
//
// ACLs persist in `kafkalite-acls.json` in the data directory (Kafka keeps AccessControlEntryRecords
// in its metadata log); with the memory store they live as long as the broker.

import { BlockList, isIP } from 'node:net';
import path from 'node:path';
import type { Logger } from 'pino';
import type { BrokerConfig } from '../../../config/index.js';
import { ConfigError, StorageCorruptError } from '../../../protocol/errors.js';
import { readFileIfExists, writeFileAtomic } from '../../../storage/atomic-file.js';
import type { LogStore } from '../../../storage/types.js';
import {
  ANONYMOUS,
  AclOperation,
  type AclBinding,
  type AclFilter,
  PatternType,
  Permission,
  WILDCARD,
  WILDCARD_PRINCIPAL,
  aclKey,
  compareAcls,
  filterMatches,
} from './acl.js';

export const ACLS_FILE = 'kafkalite-acls.json';
export const STANDARD_AUTHORIZER = 'org.apache.kafka.metadata.authorizer.StandardAuthorizer';

/** Who asks: the principal (`Type:name`) and the client's address. */
export interface Requester {
  principal: string;
  host: string;
}

const IMPLIES_DESCRIBE: ReadonlySet<number> = new Set([
  AclOperation.DESCRIBE,
  AclOperation.READ,
  AclOperation.WRITE,
  AclOperation.DELETE,
  AclOperation.ALTER,
]);
const IMPLIES_DESCRIBE_CONFIGS: ReadonlySet<number> = new Set([AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS]);

/** Strip an IPv4-mapped IPv6 prefix, as Java's InetAddress prints such an address. */
export function hostAddress(remote: string): string {
  return remote.startsWith('::ffff:') && isIP(remote.slice(7)) === 4 ? remote.slice(7) : remote;
}

/** CidrUtils.isInRange: a host inside an ACL host in CIDR notation (an invalid one matches nothing). */
function inCidr(host: string, cidr: string): boolean {
  const slash = cidr.indexOf('/');
  if (slash < 0) return false;
  const base = cidr.slice(0, slash);
  const bits = Number(cidr.slice(slash + 1));
  const family = isIP(base);
  if (family === 0 || !/^\d+$/.test(cidr.slice(slash + 1)) || bits > (family === 4 ? 32 : 128)) return false;
  const hostFamily = isIP(host);
  if (hostFamily !== family) return false;
  const list = new BlockList();
  list.addSubnet(base, bits, family === 4 ? 'ipv4' : 'ipv6');
  return list.check(host, family === 4 ? 'ipv4' : 'ipv6');
}

export class Authorizer {
  /** aclKey → binding. */
  private readonly acls = new Map<string, AclBinding>();
  readonly enabled: boolean;
  readonly superUsers: ReadonlySet<string>;
  readonly allowIfNoAcl: boolean;

  constructor(
    config: BrokerConfig,
    private readonly store: LogStore,
    private readonly log: Logger,
  ) {
    const cls = (config.get('authorizer.class.name') ?? '').trim();
    if (cls !== '' && cls !== STANDARD_AUTHORIZER && cls !== 'kafka.security.authorizer.AclAuthorizer')
      throw new ConfigError('authorizer.class.name', `kafkalite serves ${STANDARD_AUTHORIZER} only (or none), not ${cls}`);
    if (cls === 'kafka.security.authorizer.AclAuthorizer')
      throw new ConfigError('authorizer.class.name', `AclAuthorizer needs ZooKeeper, removed in Kafka 4.0: use ${STANDARD_AUTHORIZER}`);
    this.enabled = cls === STANDARD_AUTHORIZER;
    // StandardAuthorizer.getConfiguredSuperUsers: split on ';', trimmed, empty entries dropped.
    this.superUsers = new Set(
      (config.get('super.users') ?? '')
        .split(';')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    );
    this.allowIfNoAcl = (config.get('allow.everyone.if.no.acl.found') ?? 'false').trim().toLowerCase() === 'true';
  }

  get count(): number {
    return this.acls.size;
  }

  /** Whether `who` may do `operation` on the resource (type, literal name). */
  authorize(who: Requester, operation: number, resourceType: number, name: string): boolean {
    if (!this.enabled) return true;
    if (this.superUsers.has(who.principal)) return true;
    let found = false;
    let allowed = false;
    for (const acl of this.acls.values()) {
      if (acl.resourceType !== resourceType) continue;
      const applies =
        acl.patternType === PatternType.LITERAL
          ? acl.resourceName === name || acl.resourceName === WILDCARD
          : acl.patternType === PatternType.PREFIXED && name.startsWith(acl.resourceName);
      if (!applies) continue;
      found = true;
      const result = this.decide(who, operation, acl);
      if (result === 'deny') return false;
      if (result === 'allow') allowed = true;
    }
    return allowed || (!found && this.allowIfNoAcl);
  }

  /** StandardAuthorizerData.findResult: what one ACL says of the action, or null when it says nothing. */
  private decide(who: Requester, operation: number, acl: AclBinding): 'allow' | 'deny' | null {
    if (acl.principal !== who.principal && acl.principal !== WILDCARD_PRINCIPAL) return null;
    if (acl.host !== WILDCARD && acl.host !== who.host && !inCidr(who.host, acl.host)) return null;
    if (acl.operation !== AclOperation.ALL) {
      if (acl.permissionType === Permission.ALLOW) {
        if (operation === AclOperation.DESCRIBE) {
          if (!IMPLIES_DESCRIBE.has(acl.operation)) return null;
        } else if (operation === AclOperation.DESCRIBE_CONFIGS) {
          if (!IMPLIES_DESCRIBE_CONFIGS.has(acl.operation)) return null;
        } else if (operation !== acl.operation) return null;
      } else if (operation !== acl.operation) return null;
    }
    return acl.permissionType === Permission.ALLOW ? 'allow' : 'deny';
  }

  /**
   * Authorizer.authorizeByResourceType (the interface's default method): allowed if a resource
   * named "hardcode" would be, else if some ALLOW (literal or prefixed) for the operation is not
   * dominated by a DENY; a DENY on literal `*` denies. Hosts match as in authorize (`*`, equal, CIDR),
   * as Kafka 4.4's default method does.
   */
  authorizeByResourceType(who: Requester, operation: number, resourceType: number): boolean {
    if (this.authorize(who, operation, resourceType, 'hardcode')) return true;
    const deny = { literal: new Set<string>(), prefixed: new Set<string>() };
    const allow = { literal: new Set<string>(), prefixed: new Set<string>() };
    let wildcardAllow = false;
    for (const b of this.sorted()) {
      if (b.resourceType !== resourceType) continue;
      if (b.host !== who.host && b.host !== WILDCARD && !inCidr(who.host, b.host)) continue;
      if (b.principal !== who.principal && b.principal !== WILDCARD_PRINCIPAL) continue;
      if (b.operation !== operation && b.operation !== AclOperation.ALL) continue;
      const literal = b.patternType === PatternType.LITERAL;
      if (b.permissionType === Permission.DENY) {
        if (literal && b.resourceName === WILDCARD) return false;
        (literal ? deny.literal : deny.prefixed).add(b.resourceName);
        continue;
      }
      if (literal && b.resourceName === WILDCARD) wildcardAllow = true;
      else (literal ? allow.literal : allow.prefixed).add(b.resourceName);
    }
    if (wildcardAllow) return true;
    const dominated = (name: string) => {
      for (let i = 1; i <= name.length; i++) if (deny.prefixed.has(name.slice(0, i))) return true;
      return false;
    };
    for (const name of allow.literal) if (!deny.literal.has(name) && !dominated(name)) return true;
    for (const name of allow.prefixed) if (!dominated(name)) return true;
    return false;
  }

  /** The ACLs a filter matches, in StandardAcl order. */
  describe(filter: AclFilter): AclBinding[] {
    return this.sorted().filter((b) => filterMatches(filter, b));
  }

  /** Add validated bindings (duplicates are no-ops, as AclControlManager's existingAcls). */
  create(bindings: readonly AclBinding[]): void {
    let changed = false;
    for (const b of bindings) {
      const key = aclKey(b);
      if (this.acls.has(key)) continue;
      this.acls.set(key, { ...b });
      changed = true;
    }
    if (changed) this.save();
  }

  /** Remove what each filter matches (every filter sees the table as it was); returns the matches per filter. */
  delete(filters: ReadonlyArray<AclFilter | null>): AclBinding[][] {
    const before = this.sorted();
    const out = filters.map((f) => (f ? before.filter((b) => filterMatches(f, b)) : []));
    let changed = false;
    for (const matched of out) for (const b of matched) changed = this.acls.delete(aclKey(b)) || changed;
    if (changed) this.save();
    return out;
  }

  private sorted(): AclBinding[] {
    return [...this.acls.values()].sort(compareAcls);
  }

  // ---------------------------------------------------------------------------------------
  // Persistence (as broker/quotas/store.ts)

  private get file(): string | null {
    const dir = this.store.kind === 'disk' ? (this.store as LogStore & { dataDir?: string }).dataDir : undefined;
    return dir ? path.join(dir, ACLS_FILE) : null;
  }

  /** Read the persisted ACLs (start-up). */
  load(): void {
    this.acls.clear();
    const file = this.file;
    const text = file ? readFileIfExists(file, this.store.fs) : null;
    if (text === null) return;
    let parsed: { version?: number; acls?: AclBinding[] };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch (err) {
      throw new StorageCorruptError(`${file} is not valid JSON`, { cause: err });
    }
    if (parsed?.version !== 1) throw new StorageCorruptError(`${file} has an unknown layout (version ${String(parsed?.version)})`);
    for (const b of parsed.acls ?? []) this.acls.set(aclKey(b), b);
    if (this.acls.size > 0) this.log.info({ acls: this.acls.size }, 'loaded ACLs');
  }

  private save(): void {
    const file = this.file;
    if (!file) return;
    writeFileAtomic(file, `${JSON.stringify({ version: 1, acls: this.sorted() }, null, 2)}\n`, { fsync: true }, this.store.fs);
  }
}

/** The principal of a connection: ConnectionInfo.principal, User:ANONYMOUS without authentication. */
export const principalOf = (p: string | undefined): string => p ?? ANONYMOUS;
