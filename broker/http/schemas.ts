// JSON schemas shared by the routes (validation and the OpenAPI description), and the small
// conversions between Kafka's shapes and the REST API's.

import { OpType, type ConfigChange } from '../config-changes.js';
import { ConfigSource, type DescribedConfig } from '../configs.js';

const SOURCE_NAMES: Record<number, string> = Object.fromEntries(Object.entries(ConfigSource).map(([k, v]) => [v, k]));

export interface ConfigView {
  name: string;
  value: string | null;
  /** Kafka's ConfigSource name: DYNAMIC_TOPIC_CONFIG, STATIC_BROKER_CONFIG, DEFAULT_CONFIG, ... */
  source: string;
  readOnly: boolean;
  sensitive: boolean;
  documentation: string | null;
}

export function configView(c: DescribedConfig): ConfigView {
  return {
    name: c.name,
    value: c.value,
    source: SOURCE_NAMES[c.configSource] ?? 'UNKNOWN',
    readOnly: c.readOnly,
    sensitive: c.isSensitive,
    documentation: c.documentation,
  };
}

export interface ConfigPatch {
  set?: Record<string, string | number | boolean>;
  delete?: string[];
}

/** `{ set: { k: v }, delete: [k] }` as IncrementalAlterConfigs changes. */
export function configChanges(body: ConfigPatch): ConfigChange[] {
  return [
    ...Object.entries(body.set ?? {}).map(([name, value]) => ({ name, op: OpType.SET, value: String(value) })),
    ...(body.delete ?? []).map((name) => ({ name, op: OpType.DELETE, value: null })),
  ];
}

export const CONFIG_SCHEMA = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    value: { type: 'string', nullable: true },
    source: { type: 'string' },
    readOnly: { type: 'boolean' },
    sensitive: { type: 'boolean' },
    documentation: { type: 'string', nullable: true },
  },
} as const;

export const CONFIGS_SCHEMA = { type: 'object', properties: { configs: { type: 'array', items: CONFIG_SCHEMA } } } as const;

export const CONFIG_PATCH_SCHEMA = {
  type: 'object',
  properties: {
    set: {
      type: 'object',
      additionalProperties: { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
      description: 'configs to set',
    },
    delete: { type: 'array', items: { type: 'string' }, description: 'configs to remove (back to the default)' },
    validateOnly: { type: 'boolean' },
  },
  additionalProperties: false,
} as const;

export const PARTITION_SCHEMA = {
  type: 'object',
  properties: {
    partition: { type: 'integer' },
    leader: { type: 'integer' },
    leaderEpoch: { type: 'integer' },
    logStartOffset: { type: 'integer' },
    logEndOffset: { type: 'integer' },
    highWatermark: { type: 'integer' },
    sizeBytes: { type: 'integer' },
  },
} as const;

export const TOPIC_SUMMARY_SCHEMA = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    id: { type: 'string' },
    internal: { type: 'boolean' },
    partitions: { type: 'integer' },
    sizeBytes: { type: 'integer' },
    records: { type: 'integer', description: 'log end minus log start offsets, summed (an upper bound after compaction)' },
  },
} as const;

export const TOPIC_SCHEMA = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    id: { type: 'string' },
    internal: { type: 'boolean' },
    partitions: { type: 'array', items: PARTITION_SCHEMA },
    configs: { type: 'object', additionalProperties: { type: 'string' }, description: 'topic-level overrides' },
    sizeBytes: { type: 'integer' },
    records: { type: 'integer' },
  },
} as const;

const TEXT = { type: 'string', nullable: true } as const;

export const RECORD_SCHEMA = {
  type: 'object',
  properties: {
    partition: { type: 'integer' },
    offset: { type: 'integer' },
    timestamp: { type: 'integer' },
    timestampType: { type: 'string', enum: ['CreateTime', 'LogAppendTime'] },
    key: TEXT,
    value: TEXT,
    headers: { type: 'array', items: { type: 'object', properties: { key: { type: 'string' }, value: TEXT } } },
    keySize: { type: 'integer', description: '-1 for a null key' },
    valueSize: { type: 'integer', description: '-1 for a null value' },
    valueSchemaId: { type: 'integer', description: "format=schema: the Schema Registry id of a value in Confluent's wire format" },
  },
} as const;

export const FORMAT_PARAM = {
  type: 'string',
  enum: ['utf8', 'json', 'hex', 'base64', 'schema'],
  default: 'utf8',
  description:
    "how keys, values and header values are rendered ('schema': values in Confluent's wire format decoded with their registered schema, the rest as 'json')",
} as const;
