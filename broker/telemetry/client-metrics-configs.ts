// CLIENT_METRICS config resources (resource type 16, KIP-714): named subscriptions saying which
// metrics matching clients push and how often. What DescribeConfigs (32), AlterConfigs (33),
// IncrementalAlterConfigs (44) and ListConfigResources (74) see of them; the ConfigAdmin
// (broker/configs.ts) hands type 16 over here. Kafka's ClientMetricsConfigs
// (server/src/main/java/org/apache/kafka/server/metrics/ClientMetricsConfigs.java) defines the keys:
//
//   metrics       list of metric name prefixes ("*" = all), default empty (none)
//   interval.ms   push interval, 100 .. 3600000, default 300000
//   match         list of `selector=regex` (client_instance_id, client_id, client_software_name,
//                 client_software_version, client_source_address, client_source_port), default
//                 empty (every client)
//
// Persisted in `kafkalite-client-metrics.json` in the data directory (a kafkalite file; Kafka
// keeps them in its metadata log); with the memory store they live as long as the broker. A
// resource whose configs are all deleted stops existing, as in Kafka.

import type { Logger } from 'pino';
import { ErrorCode } from '../../protocol/errors.js';
import type { LogStore } from '../../storage/types.js';
import { OP_NAMES, OpType, type ConfigChange } from '../config-changes.js';
import type { AlterResult, DescribedConfig, ResourceResult } from '../configs.js';
import { BrokerStateFile } from '../state-file.js';

export const RESOURCE_CLIENT_METRICS = 16;
export const CLIENT_METRICS_FILE = 'kafkalite-client-metrics.json';

/** DescribeConfigsResponse.ConfigSource.CLIENT_METRICS_CONFIG. */
const SOURCE_CLIENT_METRICS = 7;
const SOURCE_DEFAULT = 5;
/** DescribeConfigsResponse.ConfigType ids. */
const TYPE_INT = 3;
const TYPE_LIST = 7;

export const DEFAULT_INTERVAL_MS = 300_000;
const MIN_INTERVAL_MS = 100;
const MAX_INTERVAL_MS = 3_600_000;
export const ALL_METRICS = '*';

/** The selectors a `match` entry may name (ClientMetricsConfigs.ALLOWED_MATCH_PARAMS). */
export const MATCH_SELECTORS = [
  'client_instance_id',
  'client_id',
  'client_software_name',
  'client_software_version',
  'client_source_address',
  'client_source_port',
] as const;
export type MatchSelector = (typeof MATCH_SELECTORS)[number];

interface KeyDef {
  name: string;
  type: 'list' | 'int';
  default: string;
  doc: string;
}
/** In the order Kafka describes them (by name). */
const KEYS: readonly KeyDef[] = [
  { name: 'interval.ms', type: 'int', default: String(DEFAULT_INTERVAL_MS), doc: 'Metrics push interval in milliseconds' },
  { name: 'match', type: 'list', default: '', doc: 'Client match criteria' },
  { name: 'metrics', type: 'list', default: '', doc: 'Telemetry metric name prefix list' },
];
const KEY_BY_NAME = new Map(KEYS.map((k) => [k.name, k]));

/** A subscription as the telemetry manager uses it. */
export interface Subscription {
  name: string;
  metrics: string[];
  intervalMs: number;
  match: Map<MatchSelector, RegExp>;
}

type Problem = { errorCode: number; errorMessage: string };
const fail = (errorCode: number, errorMessage: string): Problem => ({ errorCode, errorMessage });
const OK: AlterResult = { errorCode: ErrorCode.NONE, errorMessage: null };

/** Kafka's ConfigDef list parsing: comma-separated, trimmed; "" is the empty list. */
function splitList(value: string): string[] {
  return value.trim() === '' ? [] : value.split(',').map((v) => v.trim());
}

/**
 * Java regular expressions as JavaScript ones, for the common subset (Kafka compiles `match`
 * values with java.util.regex.Pattern and matches the whole value).
 */
function compileMatch(regex: string): RegExp | null {
  try {
    return new RegExp(`^(?:${regex})$`, 'u');
  } catch {
    return null;
  }
}

/** ClientMetricsConfigs.parseMatchingPatterns: `selector=regex`, split at every '=' (exactly two parts). */
export function parseMatch(entries: readonly string[]): Map<MatchSelector, RegExp> | Problem {
  const out = new Map<MatchSelector, RegExp>();
  for (const entry of entries) {
    const parts = entry.split('=');
    // Java's String.split drops trailing empty strings: "a=" splits to one part.
    while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
    const bad = fail(ErrorCode.INVALID_CONFIG, `Illegal client matching pattern: ${entry}`);
    if (parts.length !== 2) return bad;
    const selector = parts[0]!.trim() as MatchSelector;
    if (!MATCH_SELECTORS.includes(selector)) return bad;
    const re = compileMatch(parts[1]!.trim());
    if (!re) return bad;
    out.set(selector, re);
  }
  return out;
}

/** ClientMetricsConfigs.validate on the resulting config set of a resource. */
export function validateClientMetrics(name: string, configs: ReadonlyMap<string, string>): Problem | null {
  if (name === '') return fail(ErrorCode.INVALID_REQUEST, "Subscription name can't be empty");
  for (const key of configs.keys()) {
    if (!KEY_BY_NAME.has(key)) return fail(ErrorCode.INVALID_REQUEST, `Unknown client metrics configuration: ${key}`);
  }
  for (const key of ['metrics', 'match']) {
    const value = configs.get(key);
    if (value === undefined) continue;
    const items = splitList(value);
    // Duplicates are accepted and dropped (ConfigDef.ValidList in Kafka 4.4 only warns).
    if (items.some((v) => v === '')) return fail(ErrorCode.INVALID_CONFIG, `Configuration '${key}' values must not be empty.`);
  }
  const interval = configs.get('interval.ms');
  if (interval !== undefined) {
    const trimmed = interval.trim();
    const n = /^[-+]?\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
    if (!Number.isInteger(n) || n < -(2 ** 31) || n >= 2 ** 31)
      return fail(ErrorCode.INVALID_CONFIG, `Invalid value ${interval} for configuration interval.ms: Not a number of type INT`);
    if (n < MIN_INTERVAL_MS || n > MAX_INTERVAL_MS)
      return fail(ErrorCode.INVALID_REQUEST, `Invalid value ${n} for interval.ms, interval must be between 100 and 3600000 (1 hour)`);
  }
  const match = configs.get('match');
  if (match !== undefined) {
    const parsed = parseMatch(splitList(match));
    if ('errorCode' in parsed) return parsed;
  }
  return null;
}

/** The CLIENT_METRICS resources: their configs, persistence, and the subscriptions they make. */
export class ClientMetricsConfigs {
  private readonly resources = new Map<string, Map<string, string>>();
  /** Bumped on every change, so client instances re-evaluate their subscription (Kafka's subscriptionUpdateVersion). */
  private version = 0;

  /** Where this state persists (broker/state-file.ts). */
  private readonly file: BrokerStateFile<{ resources: Record<string, Record<string, string>> }>;

  constructor(
    store: LogStore,
    private readonly log: Logger,
  ) {
    this.file = new BrokerStateFile(store, CLIENT_METRICS_FILE);
  }

  get updateVersion(): number {
    return this.version;
  }

  /** Resource names, sorted. */
  names(): string[] {
    return [...this.resources.keys()].sort();
  }

  /** True while no CLIENT_METRICS resource exists (kafkalite's default subscription applies). */
  get empty(): boolean {
    return this.resources.size === 0;
  }

  subscriptions(): Subscription[] {
    return [...this.resources].map(([name, configs]) => {
      const match = parseMatch(splitList(configs.get('match') ?? ''));
      return {
        name,
        metrics: splitList(configs.get('metrics') ?? ''),
        intervalMs: Number(configs.get('interval.ms') ?? DEFAULT_INTERVAL_MS),
        match: 'errorCode' in match ? new Map() : match,
      };
    });
  }

  /** DescribeConfigs of one resource: every key, set ones with source CLIENT_METRICS_CONFIG (Kafka's ConfigHelper). */
  describe(name: string, keys: readonly string[] | null, docs: boolean): ResourceResult {
    if (name === '')
      return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Client metrics subscription name must not be empty', configs: [] };
    const set = this.resources.get(name) ?? new Map<string, string>();
    const wanted = keys && keys.length > 0 ? new Set(keys) : null;
    const configs: DescribedConfig[] = KEYS.filter((k) => !wanted || wanted.has(k.name)).map((k) => {
      const value = set.get(k.name);
      return {
        name: k.name,
        value: value ?? k.default,
        readOnly: false,
        configSource: value === undefined ? SOURCE_DEFAULT : SOURCE_CLIENT_METRICS,
        isSensitive: false,
        synonyms: value === undefined ? [] : [{ name: k.name, value, source: SOURCE_CLIENT_METRICS }],
        configType: k.type === 'int' ? TYPE_INT : TYPE_LIST,
        documentation: docs ? k.doc : null,
      };
    });
    return { errorCode: 0, errorMessage: '', configs };
  }

  /** AlterConfigs (replace) or IncrementalAlterConfigs of one resource. */
  alter(name: string, changes: readonly ConfigChange[], opts: { replace: boolean; validateOnly: boolean }): AlterResult {
    const current = this.resources.get(name) ?? new Map<string, string>();
    const next = opts.replace ? new Map(changes.map((c) => [c.name, c.value!])) : new Map(current);
    if (!opts.replace) {
      for (const c of changes) {
        if (c.op === OpType.SET) next.set(c.name, c.value!);
        else if (c.op === OpType.DELETE) next.delete(c.name);
        else {
          // Kafka 4.4 looks APPEND/SUBTRACT keys up among broker configs only
          // (ConfigAdminManager.prepareIncrementalConfigs), so it refuses them for every
          // client-metrics key, list-typed ones included.
          return fail(ErrorCode.INVALID_CONFIG, `Can't ${OP_NAMES[c.op]} to key ${c.name} because its type is not LIST.`);
        }
      }
    }
    const problem = validateClientMetrics(name, next);
    if (problem) return problem;
    if (opts.validateOnly) return OK;
    for (const key of ['metrics', 'match']) {
      const value = next.get(key);
      if (value !== undefined) next.set(key, [...new Set(splitList(value))].join(','));
    }
    if (next.size === 0) this.resources.delete(name);
    else this.resources.set(name, next);
    this.version++;
    this.save();
    this.log.info({ clientMetrics: name, configs: Object.fromEntries(next) }, 'altered client metrics subscription');
    return OK;
  }

  // ---------------------------------------------------------------------------------------
  // Persistence

  /** Read the persisted subscriptions (start-up). Entries no longer valid are dropped with a warning. */
  load(): void {
    this.resources.clear();
    const parsed = this.file.read();
    if (parsed === null) return;
    const file = this.file.path;
    for (const [name, values] of Object.entries(parsed.resources ?? {})) {
      const configs = new Map(Object.entries(values ?? {}).filter(([, v]) => typeof v === 'string'));
      if (configs.size === 0 || validateClientMetrics(name, configs)) {
        this.log.warn({ file, clientMetrics: name }, 'ignoring a stored client metrics subscription that is no longer valid');
        continue;
      }
      this.resources.set(name, configs);
    }
    this.version++;
  }

  private save(): void {
    const resources = Object.fromEntries([...this.resources].map(([n, c]) => [n, Object.fromEntries(c)]));
    this.file.write({ resources });
  }
}
