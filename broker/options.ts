// startBroker()'s options checked by name before anything starts: a key the broker does not
// know (at the top, in `http`, in a topic spec, a topic config, an API name in `apiVersions`, a
// Kafka key in `config` close to a real one) is refused with the nearest valid name, so a typo
// fails loudly instead of being ignored:
//
//   startBroker({ topics: { t: { partitions: 3, config: {} } } })
//   -> ConfigError "startBroker: unknown option 'topics.t.config' (did you mean 'topics.t.configs'?)"
//
// Values are checked where they are used (config/index.ts, broker/http/options.ts, ...). The
// same check serves `kafkalite test-server --options` and the test-runner presets.

import { misspeltConfigKey } from '../config/index.js';
import { TOPIC_CONFIG_BY_NAME } from '../config/definitions.js';
import { didYouMean } from '../config/suggest.js';
import { ConfigError } from '../protocol/errors.js';
import { API_BY_KEY } from '../protocol/messages/index.js';
import type { HttpOption } from './http/options.js';
import type { BrokerOptions, SchemaRegistryOption } from './index.js';
import type { SeedSchema } from './schema-registry/store.js';
import type { ListenerOption } from './security/listeners.js';
import { SASL_PRESETS } from './security/sasl/test-kit.js';
import type { SecurityOption, SecurityPreset } from './security/testkit-tls.js';
import { apiKeyOf } from './testkit/versions.js';

// `satisfies` keeps these lists equal to the option types: a new option must be added here.
const BROKER_OPTION_NAMES = Object.keys({
  port: 1,
  host: 1,
  listeners: 1,
  nodePorts: 1,
  security: 1,
  advertisedHost: 1,
  advertisedPort: 1,
  dataDir: 1,
  store: 1,
  fs: 1,
  nodes: 1,
  racks: 1,
  nodeId: 1,
  clusterId: 1,
  config: 1,
  configFile: 1,
  topics: 1,
  autoCreateTopics: 1,
  clock: 1,
  logger: 1,
  http: 1,
  kafkaVersion: 1,
  apiVersions: 1,
  testKit: 1,
  strictFaults: 1,
  schemaRegistry: 1,
  schemas: 1,
} satisfies Record<keyof BrokerOptions, 1>);

// startBroker({ security }): the presets and their detail keys (broker/security/testkit-tls.ts).
const SECURITY_PRESET_NAMES: readonly string[] = [...(['ssl', 'mtls'] satisfies SecurityPreset[]), ...SASL_PRESETS];
const SECURITY_OPTION_NAMES = Object.keys({ preset: 1, clientSubject: 1, dir: 1 } satisfies Record<keyof SecurityOption, 1>);

const HTTP_OPTION_NAMES = Object.keys({ port: 1, host: 1, processMetrics: 1, lazy: 1 } satisfies Record<keyof HttpOption, 1>);

const LISTENER_OPTION_NAMES = Object.keys({
  name: 1,
  protocol: 1,
  port: 1,
  host: 1,
  advertisedHost: 1,
  advertisedPort: 1,
} satisfies Record<keyof ListenerOption, 1>);

const SCHEMA_REGISTRY_OPTION_NAMES = Object.keys({ port: 1, host: 1, optional: 1, lazy: 1 } satisfies Record<
  keyof SchemaRegistryOption,
  1
>);
const SEED_SCHEMA_NAMES = Object.keys({ type: 1, schema: 1, references: 1 } satisfies Record<keyof SeedSchema, 1>);
const SCHEMA_TYPE_NAMES = ['AVRO', 'JSON', 'PROTOBUF'];

type TopicSpec = Exclude<NonNullable<BrokerOptions['topics']>[string], number>;
const TOPIC_SPEC_NAMES = Object.keys({ partitions: 1, replicationFactor: 1, configs: 1 } satisfies Record<keyof TopicSpec, 1>);

const CLOCKS = ['system', 'virtual'];

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Refuses a key of `obj` not in `known`, naming it by its path and the nearest valid name. */
function checkKeys(where: string, path: string, obj: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (known.includes(key)) continue;
    const hint = didYouMean(key, known, path);
    throw new ConfigError(where, `unknown option '${path}${key}'${hint || ` (valid: ${known.map((k) => path + k).join(', ')})`}`);
  }
}

/**
 * Throws a ConfigError for the first option not known by name. `where` starts the message:
 * 'startBroker', or '--options' for the test-server's JSON.
 */
export function checkBrokerOptions(options: unknown, where = 'startBroker'): asserts options is BrokerOptions {
  if (options === undefined) return;
  if (!isPlainObject(options)) throw new ConfigError(where, 'expected an object of options');
  checkKeys(where, '', options, BROKER_OPTION_NAMES);
  const { http, topics, config, apiVersions, clock, schemaRegistry, schemas, listeners, security } = options;
  if (security !== undefined) {
    const preset = isPlainObject(security) ? security.preset : security;
    if (isPlainObject(security)) checkKeys(where, 'security.', security, SECURITY_OPTION_NAMES);
    if (typeof preset !== 'string' || !SECURITY_PRESET_NAMES.includes(preset))
      throw new ConfigError(
        where,
        `security must be one of ${SECURITY_PRESET_NAMES.join(', ')} (or { preset, ... }), got '${String(preset)}'${didYouMean(String(preset), SECURITY_PRESET_NAMES)}`,
      );
  }
  if (listeners !== undefined && !Array.isArray(listeners))
    throw new ConfigError(where, 'listeners must be an array of { name, protocol, port, host }');
  if (Array.isArray(listeners))
    listeners.forEach((l, i) => {
      if (!isPlainObject(l)) throw new ConfigError(where, `listeners[${i}] must be { name, protocol, port, host }`);
      checkKeys(where, `listeners[${i}].`, l, LISTENER_OPTION_NAMES);
    });
  if (isPlainObject(http)) checkKeys(where, 'http.', http, HTTP_OPTION_NAMES);
  if (isPlainObject(schemaRegistry)) checkKeys(where, 'schemaRegistry.', schemaRegistry, SCHEMA_REGISTRY_OPTION_NAMES);
  if (schemas !== undefined && schemaRegistry === false)
    throw new ConfigError(where, 'schemas are registered in the Schema Registry: drop schemaRegistry: false or the schemas');
  if (isPlainObject(schemas)) {
    for (const [subject, spec] of Object.entries(schemas)) {
      if (!isPlainObject(spec)) throw new ConfigError(where, `schemas.${subject} must be { type, schema, references? }`);
      checkKeys(where, `schemas.${subject}.`, spec, SEED_SCHEMA_NAMES);
      if (spec.type !== undefined && !SCHEMA_TYPE_NAMES.includes(spec.type as string))
        throw new ConfigError(
          where,
          `schemas.${subject}.type must be AVRO, JSON or PROTOBUF, got '${String(spec.type)}'${didYouMean(String(spec.type), SCHEMA_TYPE_NAMES)}`,
        );
    }
  }
  if (isPlainObject(topics)) {
    for (const [name, spec] of Object.entries(topics)) {
      if (!isPlainObject(spec)) continue;
      checkKeys(where, `topics.${name}.`, spec, TOPIC_SPEC_NAMES);
      if (!isPlainObject(spec.configs)) continue;
      for (const key of Object.keys(spec.configs)) {
        if (TOPIC_CONFIG_BY_NAME.has(key)) continue;
        throw new ConfigError(
          where,
          `unknown topic config '${key}' in topics.${name}.configs${didYouMean(key, TOPIC_CONFIG_BY_NAME.keys())}`,
        );
      }
    }
  }
  if (isPlainObject(config)) {
    const typo = misspeltConfigKey(Object.keys(config));
    if (typo) throw new ConfigError(where, `unknown broker config '${typo.key}' in config (did you mean '${typo.meant}'?)`);
  }
  if (isPlainObject(apiVersions)) {
    for (const api of Object.keys(apiVersions)) {
      if (apiKeyOf(api) !== undefined) continue;
      const names = [...API_BY_KEY.values()].map((a) => a.name);
      throw new ConfigError(where, `unknown API '${api}' in apiVersions${didYouMean(api, names)}`);
    }
  }
  if (typeof clock === 'string' && !CLOCKS.includes(clock)) {
    throw new ConfigError(where, `clock must be 'system' or 'virtual', got '${clock}'${didYouMean(clock, CLOCKS)}`);
  }
}
