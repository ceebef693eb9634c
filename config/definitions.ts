// Broker and topic configuration keys: Kafka's names, types and defaults, as data.
// A topic-level key (segment.bytes) names the broker-level key it falls back to
// (log.segment.bytes). Validation happens once, at start-up or when a topic is created/altered.
// The data lives in config/broker-configs.ts and config/topic-configs.ts.

export type ConfigType = 'int' | 'long' | 'double' | 'boolean' | 'string' | 'list' | 'password';

export interface ConfigDef {
  name: string;
  type: ConfigType;
  /** Kafka's default, as the string a properties file would hold ('' with nullDefault for none). */
  default: string | null;
  doc: string;
  /** Inclusive numeric bounds. */
  min?: number;
  max?: number;
  /** Allowed values (case-sensitive, after trimming), for enumerations. */
  oneOf?: readonly string[];
  /** Not dynamically updatable, as in Kafka (DescribeConfigs read_only; AlterConfigs refuses it). */
  readOnly?: boolean;
}

export interface TopicConfigDef extends ConfigDef {
  /** Broker-level key that supplies the default when the topic does not override it. */
  brokerSynonym?: string;
}

/** Long.MAX_VALUE as long configs print it. */

import { BROKER_CONFIGS } from './broker-configs.js';
import { TOPIC_CONFIGS } from './topic-configs.js';

export { BROKER_CONFIGS, TOPIC_CONFIGS };

/** The table by name; a name defined twice is a mistake in the table, refused when it loads. */
function byName<D extends { name: string }>(table: readonly D[], what: string): ReadonlyMap<string, D> {
  const map = new Map(table.map((d) => [d.name, d]));
  if (map.size !== table.length) {
    const twice = table.filter((d, i) => table.findIndex((e) => e.name === d.name) !== i).map((d) => d.name);
    throw new Error(`${what} defines ${twice.join(', ')} more than once`);
  }
  return map;
}

export const BROKER_CONFIG_BY_NAME: ReadonlyMap<string, ConfigDef> = byName(BROKER_CONFIGS, 'config/broker-configs.ts');
export const TOPIC_CONFIG_BY_NAME: ReadonlyMap<string, TopicConfigDef> = byName(TOPIC_CONFIGS, 'config/topic-configs.ts');
