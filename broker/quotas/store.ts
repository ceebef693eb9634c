// ClientQuotaStore: the one owner of client quota values (KIP-546), changed only by alter().
// Validation follows Kafka's controller (ClientQuotaControlManager): allowed entity types and
// combinations, allowed keys per combination (QuotaConfig), positive values, integral values for
// long/int keys, duplicate keys and entities; validate_only answers without changing anything.
// Describe follows ClientQuotasImage.describe: exact, default and "specified" filter components,
// strict matching, and its errors. Which quota applies to a connection follows Kafka's
// DefaultQuotaCallback (ClientQuotaManager.scala): /users/<u>/clients/<c>, /users/<u>/clients/<default>,
// /users/<u>, /users/<default>/clients/<c>, /users/<default>/clients/<default>, /users/<default>,
// /clients/<c>, /clients/<default>.
//
// Quotas persist in `kafkalite-client-quotas.json` in the data directory (a kafkalite file, as
// kafkalite-broker-configs.json: Kafka keeps ClientQuotaRecords in its metadata log); with the
// memory store they live as long as the broker.

import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Logger } from 'pino';
import { ErrorCode } from '../../protocol/errors.js';
import type { LogStore } from '../../storage/types.js';
import {
  CLIENT_ID,
  CONNECTION_CREATION_RATE,
  IP,
  IP_KEYS,
  USER,
  USER_CLIENT_KEYS,
  entityFromKey,
  entityKey,
  entityText,
  javaOrder,
  type Entity,
  type QuotaKeyType,
} from './entity.js';
import { BrokerStateFile } from '../state-file.js';

export const CLIENT_QUOTAS_FILE = 'kafkalite-client-quotas.json';

export interface AlterEntry {
  entity: ReadonlyArray<{ entityType: string; entityName: string | null }>;
  ops: ReadonlyArray<{ key: string; value: number; remove: boolean }>;
}

export interface AlterResult {
  entity: Entity;
  errorCode: number;
  errorMessage: string | null;
}

export interface FilterComponent {
  entityType: string;
  matchType: number;
  match: string | null;
}

export interface DescribeResult {
  errorCode: number;
  errorMessage: string | null;
  entries: Array<{ entity: Entity; values: Array<{ key: string; value: number }> }> | null;
}

/** DescribeClientQuotasRequest match types. */
export const MATCH_EXACT = 0;
export const MATCH_DEFAULT = 1;
export const MATCH_SPECIFIED = 2;

/** Which entity shapes set a quota key (Kafka's QuotaTypes bits). */
export interface Shapes {
  any: boolean;
  clientOnly: boolean;
  userOnly: boolean;
  both: boolean;
  /** An ip entity sets it. */
  ip: boolean;
}

type Problem = { errorCode: number; errorMessage: string };
const invalid = (errorMessage: string): Problem => ({ errorCode: ErrorCode.INVALID_REQUEST, errorMessage });

/** ClientQuotaEntity.hashCode: Objects.hash over its map, whose hash is the sum of key ^ value hashes. */
function entityHash(entity: Entity): number {
  const hash = (s: string | null) => {
    if (s === null) return 0;
    let h = 0;
    for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
    return h;
  };
  let sum = 0;
  for (const [k, v] of entity) sum = (sum + (hash(k) ^ hash(v))) | 0;
  // Objects.hash(entries): 31 x 1 + the map's hash.
  return (31 + sum) | 0;
}

/** Order entities as a java.util.HashMap keyed by ClientQuotaEntity iterates them. */
function hashMapOrder<T>(items: T[], entity: (t: T) => Entity): T[] {
  let capacity = 16;
  while (items.length > capacity * 0.75) capacity *= 2;
  const bucket = (t: T) => {
    const h = entityHash(entity(t));
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  return items
    .map((t, i) => ({ t, i, b: bucket(t) }))
    .sort((a, b) => a.b - b.b || a.i - b.i)
    .map((x) => x.t);
}

/** InetAddress.getByName: an IP literal, or a name that resolves. */
async function validIpEntity(ip: string | null): Promise<boolean> {
  if (ip === null || isIP(ip) !== 0) return true;
  try {
    await lookup(ip);
    return true;
  } catch {
    return false;
  }
}

export class ClientQuotaStore {
  /** entityKey → quota key → value. */
  private readonly quotas = new Map<string, Map<string, number>>();
  /** shapes() per quota key, dropped on every change. */
  private readonly shapeCache = new Map<string, Shapes>();

  /** Where this state persists (broker/state-file.ts). */
  private readonly file: BrokerStateFile<{ entities: Array<{ entity: Array<[string, string | null]>; quotas: Record<string, number> }> }>;

  constructor(
    store: LogStore,
    private readonly log: Logger,
  ) {
    this.file = new BrokerStateFile(store, CLIENT_QUOTAS_FILE);
  }

  // ---------------------------------------------------------------------------------------
  // AlterClientQuotas

  async alter(entries: readonly AlterEntry[], validateOnly: boolean): Promise<AlterResult[]> {
    const results = new Map<string, AlterResult>();
    const changes: Array<{ key: string; values: Map<string, number | null> }> = [];
    for (const e of entries) {
      // AlterClientQuotasRequest.entries() builds a HashMap: a type named twice keeps its last name.
      const entity = new Map<string, string | null>();
      for (const p of e.entity) entity.set(p.entityType, p.entityName);
      const key = entityKey(entity);
      const values = new Map<string, number | null>();
      let duplicateKey = false;
      for (const op of e.ops) {
        if (values.has(op.key)) duplicateKey = true;
        else values.set(op.key, op.remove ? null : op.value);
      }
      if (duplicateKey || results.has(key)) {
        results.set(key, { entity, ...invalid(`Ignoring duplicate entity ${entityText(entity)}`) });
        continue;
      }
      const problem = await this.check(entity, values);
      results.set(key, { entity, errorCode: problem?.errorCode ?? 0, errorMessage: problem?.errorMessage ?? null });
      if (!problem) changes.push({ key, values });
    }
    if (!validateOnly && changes.length > 0) {
      for (const c of changes) this.apply(c.key, c.values);
      this.shapeCache.clear();
      this.save();
    }
    return hashMapOrder([...results.values()], (r) => r.entity);
  }

  /** ClientQuotaControlManager's checks of one entity and its new values (null: remove). */
  private async check(entity: Entity, values: ReadonlyMap<string, number | null>): Promise<Problem | null> {
    if (entity.size === 0) return invalid('Invalid empty client quota entity');
    for (const [type, name] of entity) {
      if (type !== USER && type !== CLIENT_ID && type !== IP) return invalid(`Unhandled client quota entity type: ${type}`);
      if (name === '') return invalid(`Empty ${type} not supported`);
    }
    let keys: ReadonlyMap<string, QuotaKeyType>;
    if (entity.has(IP)) {
      // Kafka's message runs "should" and "not" together.
      if (entity.has(USER) || entity.has(CLIENT_ID))
        return invalid('Invalid quota entity combination, IP entity shouldnot be combined with User or ClientId');
      const ip = entity.get(IP) ?? null;
      if (!(await validIpEntity(ip))) return invalid(`${ip} is not a valid IP or resolvable host.`);
      keys = IP_KEYS;
    } else {
      keys = USER_CLIENT_KEYS;
    }
    for (const [key, value] of values) {
      if (value === null) continue;
      const type = keys.get(key);
      if (!type) return invalid(`Invalid configuration key ${key}`);
      if (value <= 0) return invalid(`Quota ${key} must be greater than 0`);
      if (type === 'double') continue;
      if (type === 'int' && value > 2147483647) return invalid(`Proposed value for ${key} is too large for an INT.`);
      // Java compares with (double) Long.MAX_VALUE, which is 2^63.
      if (type === 'long' && value > 2 ** 63) return invalid(`Proposed value for ${key} is too large for a LONG.`);
      if (Math.abs(value % 1) > 1e-6) return invalid(`${key} cannot be a fractional value.`);
    }
    return null;
  }

  private apply(key: string, values: ReadonlyMap<string, number | null>): void {
    const current = this.quotas.get(key) ?? new Map<string, number>();
    for (const [k, v] of values) {
      if (v === null) current.delete(k);
      else current.set(k, v);
    }
    if (current.size === 0) this.quotas.delete(key);
    else this.quotas.set(key, current);
    this.log.info({ entity: entityText(entityFromKey(key)), quotas: Object.fromEntries(current) }, 'client quotas changed');
  }

  // ---------------------------------------------------------------------------------------
  // DescribeClientQuotas

  describe(components: readonly FilterComponent[], strict: boolean): DescribeResult {
    const exact = new Map<string, string | null>();
    const typed = new Set<string>();
    for (const c of components) {
      const fail = (errorCode: number, errorMessage: string): DescribeResult => ({ errorCode, errorMessage, entries: null });
      if (c.entityType === '') return fail(ErrorCode.INVALID_REQUEST, 'Invalid empty entity type.');
      if (exact.has(c.entityType) || typed.has(c.entityType))
        return fail(ErrorCode.INVALID_REQUEST, `Entity type ${c.entityType} cannot appear more than once in the filter.`);
      if (c.entityType !== IP && c.entityType !== USER && c.entityType !== CLIENT_ID)
        return fail(ErrorCode.UNSUPPORTED_VERSION, `Unsupported entity type ${c.entityType}`);
      if (c.matchType === MATCH_EXACT) {
        if (c.match === null) return fail(ErrorCode.INVALID_REQUEST, 'Request specified MATCH_TYPE_EXACT, but set match string to null.');
        exact.set(c.entityType, c.match);
      } else if (c.matchType === MATCH_DEFAULT) {
        if (c.match !== null)
          return fail(ErrorCode.INVALID_REQUEST, 'Request specified MATCH_TYPE_DEFAULT, but also specified a match string.');
        exact.set(c.entityType, null);
      } else if (c.matchType === MATCH_SPECIFIED) {
        if (c.match !== null)
          return fail(ErrorCode.INVALID_REQUEST, 'Request specified MATCH_TYPE_SPECIFIED, but also specified a match string.');
        typed.add(c.entityType);
      } else {
        return fail(ErrorCode.INVALID_REQUEST, `Unknown match type ${c.matchType}`);
      }
    }
    const uses = (t: string) => exact.has(t) || typed.has(t);
    if (uses(IP) && (uses(USER) || uses(CLIENT_ID))) {
      return {
        errorCode: ErrorCode.INVALID_REQUEST,
        errorMessage:
          'Invalid entity filter component combination. IP filter component should not be used with user or clientId filter component.',
        entries: null,
      };
    }
    const entries: NonNullable<DescribeResult['entries']> = [];
    for (const [key, values] of this.quotas) {
      const entity = entityFromKey(key);
      if (strict && entity.size !== exact.size + typed.size) continue;
      if ([...exact].some(([t, name]) => !entity.has(t) || entity.get(t) !== name)) continue;
      if ([...typed].some((t) => !entity.has(t))) continue;
      entries.push({
        entity,
        values: javaOrder(
          [...values].map(([k, value]) => ({ key: k, value })),
          (v) => v.key,
        ),
      });
    }
    // Kafka's generated default for the unset message is "", not null.
    return { errorCode: 0, errorMessage: '', entries: hashMapOrder(entries, (e) => e.entity) };
  }

  // ---------------------------------------------------------------------------------------
  // Enforcement: which quota applies to a connection

  /** Whether any entity sets `key`, and which entity shapes do (Kafka's QuotaTypes bits). */
  shapes(key: string): Shapes {
    const cached = this.shapeCache.get(key);
    if (cached) return cached;
    const out = { any: false, clientOnly: false, userOnly: false, both: false, ip: false };
    this.shapeCache.set(key, out);
    for (const [k, values] of this.quotas) {
      if (!values.has(key)) continue;
      const entity = entityFromKey(k);
      if (entity.has(IP)) {
        out.ip = true;
        continue;
      }
      out.any = true;
      if (entity.has(USER) && entity.has(CLIENT_ID)) out.both = true;
      else if (entity.has(USER)) out.userOnly = true;
      else out.clientOnly = true;
    }
    return out;
  }

  /** The value of `key` set on exactly this user/client-id entity (undefined: none). */
  value(key: string, user: string | null | undefined, clientId: string | null | undefined): number | undefined {
    const entity = new Map<string, string | null>();
    if (user !== undefined) entity.set(USER, user);
    if (clientId !== undefined) entity.set(CLIENT_ID, clientId);
    return this.quotas.get(entityKey(entity))?.get(key);
  }

  /** Whether any ip entity has a quota (connection_creation_rate). */
  hasIpQuotas(): boolean {
    return this.shapes(CONNECTION_CREATION_RATE).ip;
  }

  /** connection_creation_rate of this ip entity (null: the default ip), or undefined. */
  ipValue(ip: string | null): number | undefined {
    return this.quotas.get(entityKey(new Map([[IP, ip]])))?.get(CONNECTION_CREATION_RATE);
  }

  /** Drop every quota (the test kit's reset). */
  clear(): void {
    this.quotas.clear();
    this.shapeCache.clear();
    this.save();
  }

  // ---------------------------------------------------------------------------------------
  // Persistence

  /** Read the persisted quotas (start-up). */
  load(): void {
    this.quotas.clear();
    this.shapeCache.clear();
    const parsed = this.file.read();
    if (parsed === null) return;
    for (const e of parsed.entities ?? []) {
      const values = new Map(Object.entries(e.quotas).filter(([, v]) => typeof v === 'number' && v > 0));
      if (values.size > 0) this.quotas.set(entityKey(new Map(e.entity)), values);
    }
    this.shapeCache.clear();
  }

  private save(): void {
    const entities = [...this.quotas].map(([key, values]) => ({ entity: [...entityFromKey(key)], quotas: Object.fromEntries(values) }));
    this.file.write({ entities });
  }
}
