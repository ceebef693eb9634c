// Loading and validating configuration: server.properties (Kafka's format and names),
// then overrides (CLI --override, startBroker({ config })). Validated once at start-up;
// everything downstream reads typed values from BrokerConfig.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../protocol/errors.js';
import { BROKER_CONFIG_BY_NAME, TOPIC_CONFIG_BY_NAME, type ConfigDef, type TopicConfigDef } from './definitions.js';
import { KAFKA_BROKER_CONFIG_NAMES } from './kafka-broker-config-names.js';
import { nearestName } from './suggest.js';

export * from './definitions.js';
export { reviewProperties, reviewLines, type PropertiesReview } from './server-properties.js';

export type ConfigValue = string | number | boolean;

/** Path of the default server.properties shipped with the package. */
export function defaultPropertiesPath(): string {
  // dist/config/index.js -> <package>/config/server.properties
  const here = dirname(fileURLToPath(import.meta.url));
  return join(here, '..', '..', 'config', 'server.properties');
}

/** Parse Java-properties text: `key=value` or `key: value` lines, `#`/`!` comments, `\` continuations. */
export function parseProperties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.trimStart();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    while (line.endsWith('\\') && i + 1 < lines.length) line = line.slice(0, -1) + lines[++i]!.trimStart();
    const m = /^([^=:\s]+)\s*[=:\s]\s*(.*)$/.exec(line);
    if (m) out.set(m[1]!, m[2]!.trim());
    else out.set(line.trim(), '');
  }
  return out;
}

const TRUE_FALSE = new Set(['true', 'false']);

/** Check one value against its definition; returns the problem or null, in the words of Kafka's ConfigDef. */
export function checkValue(def: ConfigDef, raw: string): string | null {
  // Kafka's ConfigDef.parseType and its validators (Range, ValidString, ValidList) word these.
  const v = raw.trim();
  switch (def.type) {
    case 'int':
    case 'long': {
      const notANumber = `Not a number of type ${def.type === 'int' ? 'INT' : 'LONG'}`;
      if (!/^[-+]?\d+$/.test(v)) return notANumber;
      const n = Number(v);
      if (def.type === 'int' && (n < -2147483648 || n > 2147483647)) return notANumber;
      return checkRange(def, n, String);
    }
    case 'double': {
      const n = Number(v);
      if (v === '' || !Number.isFinite(n)) return 'Not a number of type DOUBLE';
      return checkRange(def, n, javaDouble);
    }
    case 'boolean':
      return TRUE_FALSE.has(v.toLowerCase()) ? null : 'Expected value to be either true or false';
    default:
      if (def.oneOf && !def.oneOf.includes(v)) return `String must be one of: ${def.oneOf.join(', ')}`;
      if (def.name === 'cleanup.policy' || def.name === 'log.cleanup.policy') {
        const parts = v.split(',').map((p) => p.trim());
        // An empty list is valid: neither deletion nor compaction (Kafka 4.x accepts it too).
        if (v !== '' && parts.some((p) => p !== 'delete' && p !== 'compact')) {
          return 'String must be one of: compact, delete';
        }
      }
      // Kafka's getMap: "key:value" entries (broker/limits/connection-quotas.ts parses them).
      if (def.name === 'max.connections.per.ip.overrides') {
        const bad = v.split(',').find((e) => e.trim() !== '' && !/^.+:\s*\d+$/.test(e.trim()));
        if (bad !== undefined) return `Map entry '${bad.trim()}' is not of the form key:value`;
      }
      return null;
  }
}

function checkRange(def: ConfigDef, n: number, show: (n: number) => string): string | null {
  if (def.min !== undefined && n < def.min) return `Value must be at least ${show(def.min)}`;
  if (def.max !== undefined && n > def.max) return `Value must be no more than ${show(def.max)}`;
  return null;
}

/** A double as Java's Double.toString prints it in these ranges (0.5, 1.0). */
function javaDouble(n: number): string {
  return Number.isInteger(n) ? `${n}.0` : String(n);
}

/** Kafka's ConfigException message for a value its ConfigDef refuses (ConfigDef.parseType, the validators). */
function invalidValue(key: string, raw: string, problem: string): string {
  return `Invalid value ${raw} for configuration ${key}: ${problem}`;
}

/**
 * `listener.name.<l>.<key>` for a listener of this broker and a key Kafka's broker ConfigDef knows:
 * Kafka parses these when it builds the listener's channel (ChannelBuilders, through
 * AbstractConfig.valuesWithPrefixOverride, and ConnectionQuotas' ListenerConfig for max.connections)
 * and stops at start-up on a bad value, with ConfigException's words naming the key without its
 * prefix ("Invalid value abc for configuration connections.max.reauth.ms: Not a number of type LONG").
 */
function checkListenerOverrides(values: Map<string, string>, unknown: readonly string[]): void {
  const names = new Set(
    [
      ...(values.get('listeners') ?? BROKER_CONFIG_BY_NAME.get('listeners')?.default ?? '')
        .split(',')
        .map((l) => l.trim().split('://')[0]!),
      ...(values.get('controller.listener.names') ?? '').split(','),
    ]
      .map((n) => n.trim().toLowerCase())
      .filter((n) => n !== ''),
  );
  for (const key of unknown) {
    const m = /^listener\.name\.([^.]+)\.(.+)$/.exec(key);
    if (!m || !names.has(m[1]!)) continue;
    const def = BROKER_CONFIG_BY_NAME.get(m[2]!);
    const raw = values.get(key)!;
    const problem = def ? checkValue(def, raw) : null;
    if (problem) throw new ConfigError(key, invalidValue(m[2]!, raw, problem), true);
  }
}

/** Validated broker configuration. Unknown keys are kept (Kafka warns and ignores them). */
export class BrokerConfig {
  private readonly values: Map<string, string>;
  readonly unknownKeys: readonly string[];

  constructor(values: Map<string, string>) {
    const unknown: string[] = [];
    for (const [key, raw] of values) {
      const def = BROKER_CONFIG_BY_NAME.get(key);
      if (!def) {
        unknown.push(key);
        continue;
      }
      const problem = checkValue(def, raw);
      if (problem) throw new ConfigError(key, invalidValue(key, raw, problem), true);
    }
    checkListenerOverrides(values, unknown);
    this.values = values;
    this.unknownKeys = unknown;
  }

  /** Dynamic broker configs (AlterConfigs, broker/configs.ts): win over the static values. */
  private dynamic: ReadonlyMap<string, string> = new Map();

  /** Replace the dynamic layer (per-broker over cluster-default values, already merged and validated). */
  setDynamic(values: ReadonlyMap<string, string>): void {
    this.dynamic = new Map(values);
  }

  /** The explicitly set value (dynamic, else static), if any. */
  get(key: string): string | undefined {
    return this.dynamic.get(key) ?? this.values.get(key);
  }

  has(key: string): boolean {
    return this.dynamic.has(key) || this.values.has(key);
  }

  /** The value in force: explicit, else the definition's default. */
  raw(key: string): string | null {
    const v = this.get(key);
    if (v !== undefined) return v;
    const def = BROKER_CONFIG_BY_NAME.get(key);
    if (!def) throw new ConfigError(key, 'unknown configuration key');
    return def.default;
  }

  str(key: string): string {
    return this.raw(key) ?? '';
  }
  int(key: string): number {
    return Number(this.raw(key));
  }
  bool(key: string): boolean {
    return (this.raw(key) ?? 'false').toLowerCase() === 'true';
  }
  list(key: string): string[] {
    const v = this.raw(key);
    return v
      ? v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [];
  }

  /** Every statically set key (file and overrides; not the dynamic layer), for DescribeConfigs. */
  entries(): IterableIterator<[string, string]> {
    return this.values.entries();
  }

  /** log.retention.ms, else minutes, else hours (Kafka's precedence). */
  retentionMs(): number {
    if (this.has('log.retention.ms')) return this.int('log.retention.ms');
    if (this.has('log.retention.minutes')) return minutesOrNever(this.int('log.retention.minutes'));
    const hours = this.int('log.retention.hours');
    return hours < 0 ? -1 : hours * 3_600_000;
  }

  /** log.roll.ms, else log.roll.hours. */
  rollMs(): number {
    return this.has('log.roll.ms') ? this.int('log.roll.ms') : this.int('log.roll.hours') * 3_600_000;
  }

  nodeId(): number {
    return this.has('node.id') || this.int('broker.id') < 0 ? this.int('node.id') : this.int('broker.id');
  }

  dataDir(): string {
    return this.list('log.dirs')[0] ?? this.str('log.dir');
  }

  /** The broker-level value a topic config falls back to (as a string). */
  topicDefault(def: TopicConfigDef): string | null {
    switch (def.name) {
      case 'retention.ms':
        return String(this.retentionMs());
      case 'segment.ms':
        return String(this.rollMs());
      case 'flush.ms':
        return this.get('log.flush.interval.ms') ?? def.default;
    }
    return def.brokerSynonym && BROKER_CONFIG_BY_NAME.has(def.brokerSynonym) ? this.raw(def.brokerSynonym) : def.default;
  }
}

function minutesOrNever(minutes: number): number {
  return minutes < 0 ? -1 : minutes * 60_000;
}

export interface LoadConfigOptions {
  /** A server.properties file to read; null for none (in-process default). */
  file?: string | null;
  /** Values applied on top (Kafka key names). */
  overrides?: Record<string, ConfigValue | undefined>;
}

export function loadConfig(opts: LoadConfigOptions = {}): BrokerConfig {
  const values = opts.file ? parseProperties(readFileSync(opts.file, 'utf8')) : new Map<string, string>();
  for (const [k, v] of Object.entries(opts.overrides ?? {})) {
    if (v !== undefined) values.set(k, String(v));
  }
  return new BrokerConfig(values);
}

const KNOWN_BROKER_KEYS: ReadonlySet<string> = new Set([...BROKER_CONFIG_BY_NAME.keys(), ...KAFKA_BROKER_CONFIG_NAMES]);

/**
 * Broker config keys given explicitly (startBroker's `config`, test-server's --override): a key
 * neither kafkalite nor Kafka knows but close to one is a typo. Returns the first such key and
 * the name meant, or null. Keys far from every name (a plugin's own settings) pass, as Kafka
 * passes them on.
 */
export function misspeltConfigKey(keys: Iterable<string>): { key: string; meant: string } | null {
  for (const key of keys) {
    if (KNOWN_BROKER_KEYS.has(key)) continue;
    const meant = nearestName(key, KNOWN_BROKER_KEYS);
    if (meant !== undefined) return { key, meant };
  }
  return null;
}

/** Validate topic-level overrides (CreateTopics, AlterConfigs): returns [key, Kafka's message] or null. */
export function checkTopicConfigs(configs: Record<string, string | null>): [string, string] | null {
  for (const [key, value] of Object.entries(configs)) {
    const def = TOPIC_CONFIG_BY_NAME.get(key);
    if (!def) return [key, `Unknown topic config name: ${key}`];
    if (value === null) return [key, `Null value not supported for topic configs: ${key}`];
    const problem = checkValue(def, value);
    if (problem) return [key, `Invalid value ${value} for configuration ${key}: ${problem}`];
  }
  return null;
}

/** Effective topic settings: overrides on top of the broker-level defaults. */
export function effectiveTopicConfig(broker: BrokerConfig, overrides: Record<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const def of TOPIC_CONFIG_BY_NAME.values()) {
    const v = overrides[def.name] ?? broker.topicDefault(def);
    if (v !== null) out.set(def.name, v);
  }
  return out;
}

/** Host and port of the first PLAINTEXT listener: 'PLAINTEXT://localhost:9092' -> localhost, 9092. */
export function parseListener(listener: string): { name: string; host: string; port: number } {
  const m = /^([A-Za-z0-9_]+):\/\/(\[[^\]]*\]|[^:]*):(\d+)$/.exec(listener.trim());
  if (!m) throw new ConfigError('listeners', `cannot parse listener ${JSON.stringify(listener)} (expected NAME://host:port)`);
  const host = m[2]!.replace(/^\[|\]$/g, '');
  return { name: m[1]!, host, port: Number(m[3]) };
}

/** Where to bind and what to advertise, from listeners / advertised.listeners. */
export function listenerEndpoints(config: BrokerConfig): {
  bindHost: string;
  port: number;
  advertisedHost: string;
  advertisedPort: number;
} {
  // A KRaft server.properties lists the controller's listener too (CONTROLLER://:9093); clients
  // are served on the first other one, advertised under the same name when it is listed.
  const controllers = new Set(config.list('controller.listener.names'));
  const clientListeners = (key: string) =>
    config
      .list(key)
      .map(parseListener)
      .filter((x) => !controllers.has(x.name));
  const l = clientListeners('listeners')[0] ?? parseListener('PLAINTEXT://localhost:9092');
  const advertised = clientListeners('advertised.listeners');
  const a = advertised.find((x) => x.name === l.name) ?? advertised[0] ?? l;
  // An empty host or 0.0.0.0 binds every interface; then advertise this machine's name for
  // clients elsewhere unless advertised.listeners says otherwise (Kafka does the same).
  const bindHost = l.host === '' ? '0.0.0.0' : l.host;
  const advertisedHost = a.host === '' || a.host === '0.0.0.0' ? 'localhost' : a.host;
  return { bindHost, port: l.port, advertisedHost, advertisedPort: a.port };
}
