// Config admin: what DescribeConfigs (32), AlterConfigs (33) and IncrementalAlterConfigs (44)
// see and change. ConfigAdmin owns the dynamic broker configs (cluster-wide default and
// per-node layers, Kafka's KIP-226), layers them over the static BrokerConfig, and describes
// topic, broker and broker-logger resources with Kafka's names, sources and synonyms
// (ConfigHelper.scala). Topic overrides stay with the TopicManager.
//
// Dynamic broker configs persist in `kafkalite-broker-configs.json` in the data directory (a
// kafkalite file; Kafka keeps them in its metadata log); with the memory store they live
// as long as the broker. Only the first node's per-broker layer and the cluster default
// drive the running broker (simulated nodes share one process); other nodes' layers are
// kept and described.

import type { Logger } from 'pino';
import {
  BROKER_CONFIG_BY_NAME,
  BROKER_CONFIGS,
  TOPIC_CONFIG_BY_NAME,
  TOPIC_CONFIGS,
  checkValue,
  effectiveTopicConfig,
  type BrokerConfig,
  type ConfigDef,
  type ConfigType,
} from '../config/index.js';
import { ErrorCode } from '../protocol/errors.js';
import type { LogStore } from '../storage/types.js';
import { OP_NAMES, OpType, applyChanges, type ConfigChange } from './config-changes.js';
import { defaultErrorMessage } from '../protocol/error-messages.js';
import { RESOURCE_CLIENT_METRICS, type ClientMetricsConfigs } from './telemetry/client-metrics-configs.js';
import { invalidTopicName, type TopicManager } from './topics.js';
import { RESOURCE_GROUP, type GroupConfigs } from './groups/group-configs.js';
import { listenerLimitProblem } from './limits/connection-quotas.js';
import { BrokerStateFile } from './state-file.js';

export const RESOURCE_TOPIC = 2;
export const RESOURCE_BROKER = 4;
export const RESOURCE_BROKER_LOGGER = 8;

/** DescribeConfigsResponse.ConfigSource. */
export const ConfigSource = {
  DYNAMIC_TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
  DYNAMIC_BROKER_LOGGER_CONFIG: 6,
  DYNAMIC_GROUP_CONFIG: 8,
} as const;

/** DescribeConfigsResponse.ConfigType ids. */
const CONFIG_TYPE: Record<ConfigType, number> = { boolean: 1, string: 2, int: 3, long: 5, double: 6, list: 7, password: 9 };

export const BROKER_CONFIGS_FILE = 'kafkalite-broker-configs.json';
/** The one logger a BROKER_LOGGER resource names, and Kafka's log4j levels mapped to pino's. */
export const LOGGER_NAME = 'kafkalite';
const LOG_LEVELS: Record<string, string> = {
  OFF: 'silent',
  FATAL: 'fatal',
  ERROR: 'error',
  WARN: 'warn',
  INFO: 'info',
  DEBUG: 'debug',
  TRACE: 'trace',
};

export interface Synonym {
  name: string;
  value: string | null;
  source: number;
}

export interface DescribedConfig {
  name: string;
  value: string | null;
  readOnly: boolean;
  configSource: number;
  isSensitive: boolean;
  synonyms: Synonym[];
  configType: number;
  documentation: string | null;
}

export interface ResourceResult {
  errorCode: number;
  errorMessage: string | null;
  configs: DescribedConfig[];
}

export interface AlterResult {
  errorCode: number;
  errorMessage: string | null;
}

type Layer = Map<string, string>;
type Problem = { errorCode: number; errorMessage: string };

const fail = (errorCode: number, errorMessage: string): Problem => ({ errorCode, errorMessage });
const OK: AlterResult = { errorCode: ErrorCode.NONE, errorMessage: null };

/** Kafka's DynamicBrokerConfig.brokerConfigSynonyms: keys that set the same thing, most specific first. */
function brokerSynonyms(name: string): string[] {
  if (name === 'log.roll.ms' || name === 'log.roll.hours') return ['log.roll.ms', 'log.roll.hours'];
  if (name === 'log.retention.ms' || name === 'log.retention.minutes' || name === 'log.retention.hours') {
    return ['log.retention.ms', 'log.retention.minutes', 'log.retention.hours'];
  }
  return [name];
}

function isSensitive(def: ConfigDef | undefined): boolean {
  return def?.type === 'password';
}

export class ConfigAdmin {
  private readonly clusterDefault: Layer = new Map();
  private readonly perBroker = new Map<number, Layer>();
  /** server.properties and startBroker({ config }) values (Kafka's STATIC_BROKER_CONFIG). */
  private readonly staticValues: ReadonlyMap<string, string>;

  /** Where this state persists (broker/state-file.ts). */
  private readonly file: BrokerStateFile<{ clusterDefault: Record<string, string>; brokers: Record<string, Record<string, string>> }>;

  constructor(
    private readonly config: BrokerConfig,
    private readonly store: LogStore,
    private readonly topics: TopicManager,
    private readonly log: Logger,
    /** The node whose per-broker layer drives this process (the first node). */
    private readonly runtimeNodeId: number,
    /** GROUP resources (type 32): broker/groups/group-configs.ts. */
    private readonly groupConfigs: GroupConfigs,
    /** CLIENT_METRICS (16) resources, owned by the telemetry manager (broker/telemetry/). */
    private readonly clientMetrics: ClientMetricsConfigs,
  ) {
    this.file = new BrokerStateFile(store, BROKER_CONFIGS_FILE);
    const values = new Map(config.entries());
    // Kafka's KafkaConfig copies node.id into broker.id, so it describes as static too.
    const nodeId = values.get('node.id');
    if (nodeId !== undefined && !values.has('broker.id')) values.set('broker.id', nodeId);
    this.staticValues = values;
  }

  // ---------------------------------------------------------------------------------------
  // Describe

  describe(type: number, name: string, keys: readonly string[] | null, nodeId: number, docs: boolean): ResourceResult {
    const wanted = keys && keys.length > 0 ? new Set(keys) : null;
    // Kafka's ConfigHelper answers "" (the generated default) where no exception was raised.
    const pick = (all: DescribedConfig[]): ResourceResult => ({
      errorCode: 0,
      errorMessage: '',
      configs: wanted ? all.filter((c) => wanted.has(c.name)) : all,
    });
    switch (type) {
      case RESOURCE_TOPIC: {
        const bad = invalidTopicName(name);
        if (bad) return { errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION, errorMessage: bad, configs: [] };
        const topic = this.topics.get(name);
        if (!topic)
          // Kafka's ConfigHelper sets only the code: the message stays the schema's default "".
          return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: '', configs: [] };
        return pick(
          TOPIC_CONFIGS.map((def) => {
            const chain = def.brokerSynonym && BROKER_CONFIG_BY_NAME.has(def.brokerSynonym) ? this.synonyms(def.brokerSynonym, nodeId) : [];
            const override = topic.configs[def.name];
            if (override !== undefined) chain.unshift({ name: def.name, value: override, source: ConfigSource.DYNAMIC_TOPIC_CONFIG });
            return this.entry(def, topic.effective.get(def.name) ?? null, chain, false, docs);
          }),
        );
      }
      case RESOURCE_BROKER: {
        if (name === '') {
          return pick(
            [...this.clusterDefault].map(([key, value]) => {
              const def = BROKER_CONFIG_BY_NAME.get(key);
              const chain = this.synonyms(key, nodeId).filter((s) => s.source === ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
              return this.entry(def ?? key, value, chain, def ? (def.readOnly ?? false) : true, docs);
            }),
          );
        }
        const bad = this.checkNodeName(name, nodeId, 'or empty string, ');
        if (bad) return { ...bad, configs: [] };
        const unknownStatic = [...this.staticValues].filter(([key]) => !BROKER_CONFIG_BY_NAME.has(key));
        return pick([
          ...BROKER_CONFIGS.map((def) =>
            this.entry(def, this.brokerValue(def.name, nodeId), this.synonyms(def.name, nodeId), def.readOnly ?? false, docs),
          ),
          ...unknownStatic.map(([key, value]) =>
            this.entry(key, value, [{ name: key, value, source: ConfigSource.STATIC_BROKER_CONFIG }], true, docs),
          ),
        ]);
      }
      case RESOURCE_BROKER_LOGGER: {
        const bad = name === '' ? fail(ErrorCode.INVALID_REQUEST, 'Broker id must not be empty') : this.checkNodeName(name, nodeId, '');
        if (bad) return { ...bad, configs: [] };
        const level = Object.keys(LOG_LEVELS).find((k) => LOG_LEVELS[k] === this.log.level) ?? this.log.level.toUpperCase();
        return pick([
          {
            name: LOGGER_NAME,
            value: level,
            readOnly: false,
            configSource: ConfigSource.DYNAMIC_BROKER_LOGGER_CONFIG,
            isSensitive: false,
            synonyms: [],
            configType: 0,
            documentation: null,
          },
        ]);
      }
      case RESOURCE_GROUP: {
        const result = this.groupConfigs.describe(name, wanted, docs);
        return Array.isArray(result) ? { errorCode: 0, errorMessage: '', configs: result } : { ...result, configs: [] };
      }
      case RESOURCE_CLIENT_METRICS:
        return this.clientMetrics.describe(name, keys, docs);
      default:
        // Kafka rejects a type it has no ConfigResource.Type for while parsing: the error's default message.
        return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: defaultErrorMessage(ErrorCode.INVALID_REQUEST), configs: [] };
    }
  }

  /** The configs a topic created with these overrides would describe (CreateTopics validate_only). */
  describeNewTopic(overrides: Readonly<Record<string, string>>, nodeId: number): DescribedConfig[] {
    const effective = effectiveTopicConfig(this.config, { ...overrides });
    return TOPIC_CONFIGS.map((def) => {
      const chain = def.brokerSynonym && BROKER_CONFIG_BY_NAME.has(def.brokerSynonym) ? this.synonyms(def.brokerSynonym, nodeId) : [];
      if (overrides[def.name] !== undefined)
        chain.unshift({ name: def.name, value: overrides[def.name]!, source: ConfigSource.DYNAMIC_TOPIC_CONFIG });
      return this.entry(def, effective.get(def.name) ?? null, chain, false, false);
    });
  }

  private entry(def: ConfigDef | string, value: string | null, chain: Synonym[], readOnly: boolean, docs: boolean): DescribedConfig {
    const d = typeof def === 'string' ? undefined : def;
    const sensitive = isSensitive(d);
    return {
      name: typeof def === 'string' ? def : def.name,
      value: sensitive ? null : value,
      readOnly,
      configSource: chain[0]?.source ?? ConfigSource.DEFAULT_CONFIG,
      isSensitive: sensitive,
      synonyms: sensitive ? chain.map((s) => ({ ...s, value: null })) : chain,
      configType: d ? CONFIG_TYPE[d.type] : 0,
      documentation: docs ? (d?.doc ?? null) : null,
    };
  }

  /**
   * Kafka's ConfigHelper.configSynonyms: every layer's value of `name` and its synonyms, in
   * precedence order (per-broker dynamic, cluster-default dynamic, static, default), dropping
   * entries before the first one named `name` (so retention.ms, whose broker key
   * log.retention.ms has no default, lists nothing until log.retention.ms is set; as in Kafka).
   */
  private synonyms(name: string, nodeId: number): Synonym[] {
    const names = brokerSynonyms(name);
    const out: Synonym[] = [];
    const layers: Array<[(key: string) => string | null | undefined, number]> = [
      [(k) => this.perBroker.get(nodeId)?.get(k), ConfigSource.DYNAMIC_BROKER_CONFIG],
      [(k) => this.clusterDefault.get(k), ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG],
      [(k) => this.staticValue(k), ConfigSource.STATIC_BROKER_CONFIG],
      [(k) => BROKER_CONFIG_BY_NAME.get(k)?.default, ConfigSource.DEFAULT_CONFIG],
    ];
    for (const [get, source] of layers) {
      for (const n of names) {
        const value = get(n);
        if (value !== undefined && value !== null) out.push({ name: n, value, source });
      }
    }
    const first = out.findIndex((s) => s.name === name);
    return first < 0 ? [] : out.slice(first);
  }

  /** A broker key's value as node `nodeId` sees it: its dynamic layer, the default layer, static, default. */
  private brokerValue(name: string, nodeId: number): string | null {
    return (
      this.perBroker.get(nodeId)?.get(name) ??
      this.clusterDefault.get(name) ??
      this.staticValue(name) ??
      BROKER_CONFIG_BY_NAME.get(name)?.default ??
      null
    );
  }

  private staticValue(name: string): string | undefined {
    return this.staticValues.get(name);
  }

  /** Kafka's check that a broker resource names the receiving node. */
  private checkNodeName(name: string, nodeId: number, alsoAllowed: string): Problem | null {
    if (!/^-?\d+$/.test(name)) return fail(ErrorCode.INVALID_REQUEST, `Broker id must be an integer, but it is: ${name}`);
    if (Number(name) !== nodeId)
      return fail(ErrorCode.INVALID_REQUEST, `Unexpected broker id, expected ${nodeId} ${alsoAllowed}but received ${name}`);
    return null;
  }

  // ---------------------------------------------------------------------------------------
  // Alter

  /**
   * Change one resource. `replace` (AlterConfigs) makes `changes` the resource's whole set of
   * dynamic configs; otherwise (IncrementalAlterConfigs) each change is applied by its op.
   */
  alter(
    type: number,
    name: string,
    changes: readonly ConfigChange[],
    opts: { replace: boolean; validateOnly: boolean; nodeId: number },
  ): AlterResult {
    const names = changes.map((c) => c.name);
    if (new Set(names).size !== names.length) return fail(ErrorCode.INVALID_REQUEST, 'Error due to duplicate config keys');
    // Kafka has no OpType for it and fails unexpectedly (UNKNOWN_SERVER_ERROR, no message).
    const badOp = changes.find((c) => !(c.op in OP_NAMES));
    if (badOp) return { errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, errorMessage: null };
    const nulls = changes.filter((c) => c.op !== OpType.DELETE && c.value === null).map((c) => c.name);
    if (nulls.length > 0) return fail(ErrorCode.INVALID_REQUEST, `Null value not supported for : ${nulls.join(', ')}`);
    switch (type) {
      case RESOURCE_TOPIC:
        return this.alterTopic(name, changes, opts);
      case RESOURCE_BROKER:
        return this.alterBroker(name, changes, opts);
      case RESOURCE_BROKER_LOGGER:
        // AlterConfigs has no BROKER_LOGGER (KIP-412 only added it to the incremental API).
        return opts.replace ? fail(ErrorCode.INVALID_REQUEST, `Unknown resource type ${type}`) : this.alterLogger(name, changes, opts);
      case RESOURCE_GROUP:
        return this.groupConfigs.alter(name, changes, opts) ?? OK;
      case RESOURCE_CLIENT_METRICS:
        return this.clientMetrics.alter(name, changes, opts);
      default:
        return fail(ErrorCode.INVALID_REQUEST, `Unknown resource type ${type}`);
    }
  }

  private alterTopic(name: string, changes: readonly ConfigChange[], opts: { replace: boolean; validateOnly: boolean }): AlterResult {
    if (name === '') return fail(ErrorCode.INVALID_REQUEST, 'Default topic resources are not allowed.');
    const bad = invalidTopicName(name);
    if (bad) return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, bad);
    const topic = this.topics.get(name);
    if (!topic) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `The topic '${name}' does not exist.`);
    const next = applyChanges(new Map(Object.entries(topic.configs)), changes, opts.replace, (k) => TOPIC_CONFIG_BY_NAME.get(k), 'topic');
    if ('errorCode' in next) return next;
    for (const [key, value] of next) {
      const def = TOPIC_CONFIG_BY_NAME.get(key);
      if (!def) return fail(ErrorCode.INVALID_CONFIG, `Unknown topic config name: ${key}`);
      const problem = checkValue(def, value);
      if (problem) return fail(ErrorCode.INVALID_CONFIG, `Invalid value ${value} for configuration ${key}: ${problem}`);
    }
    const result = this.topics.alterConfigs(name, Object.fromEntries(next), opts.validateOnly);
    if (result.errorCode === 0 && !opts.validateOnly)
      this.log.info({ topic: name, configs: Object.fromEntries(next) }, 'altered topic configs');
    return { errorCode: result.errorCode, errorMessage: result.errorMessage };
  }

  /**
   * Broker resources: Kafka answers INVALID_REQUEST for every validation failure here (a
   * read-only key, a bad value; KAFKA-13609), unlike topics' INVALID_CONFIG.
   */
  private alterBroker(
    name: string,
    changes: readonly ConfigChange[],
    opts: { replace: boolean; validateOnly: boolean; nodeId: number },
  ): AlterResult {
    if (name !== '') {
      if (!/^-?\d+$/.test(name)) return fail(ErrorCode.INVALID_REQUEST, `Node id must be an integer, but it is: ${name}`);
      if (Number(name) !== opts.nodeId)
        return fail(ErrorCode.INVALID_REQUEST, `Unexpected broker id, expected ${opts.nodeId}, but received ${name}`);
    }
    const layer = name === '' ? this.clusterDefault : (this.perBroker.get(opts.nodeId) ?? new Map<string, string>());
    const next = applyChanges(layer, changes, opts.replace, (k) => BROKER_CONFIG_BY_NAME.get(k), 'broker');
    if ('errorCode' in next) return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: next.errorMessage };
    // Keys kafkalite doesn't know are kept, as Kafka's controller keeps broker configs it
    // doesn't validate; they change nothing here.
    const known = [...next.keys()].filter((k) => BROKER_CONFIG_BY_NAME.has(k));
    const readOnly = known.filter((k) => BROKER_CONFIG_BY_NAME.get(k)!.readOnly);
    if (readOnly.length > 0) return fail(ErrorCode.INVALID_REQUEST, `Cannot update these configs dynamically: [${readOnly.join(', ')}]`);
    for (const key of known) {
      const value = next.get(key)!;
      const problem = checkValue(BROKER_CONFIG_BY_NAME.get(key)!, value);
      if (problem) return fail(ErrorCode.INVALID_REQUEST, `Invalid value ${value} for configuration ${key}: ${problem}`);
    }
    // listener.name.<l>.max.connections / .max.connection.creation.rate: ints, as the broker-wide keys.
    for (const [key, value] of next) {
      const problem = listenerLimitProblem(key, value);
      if (problem) return fail(ErrorCode.INVALID_REQUEST, problem);
    }
    if (opts.validateOnly) return OK;
    if (name === '') {
      this.clusterDefault.clear();
      for (const [k, v] of next) this.clusterDefault.set(k, v);
    } else {
      this.perBroker.set(opts.nodeId, next);
    }
    this.applyRuntime();
    this.save();
    this.log.info({ broker: name === '' ? '<default>' : name, configs: Object.fromEntries(next) }, 'altered dynamic broker configs');
    return OK;
  }

  /** BROKER_LOGGER (incremental only): the `kafkalite` logger's level, with log4j's level names. */
  private alterLogger(name: string, changes: readonly ConfigChange[], opts: { validateOnly: boolean; nodeId: number }): AlterResult {
    const bad = name === '' ? fail(ErrorCode.INVALID_REQUEST, 'Broker id must not be empty') : this.checkNodeName(name, opts.nodeId, '');
    if (bad) return bad;
    let level: string | null = null;
    for (const c of changes) {
      if (c.name !== LOGGER_NAME) return fail(ErrorCode.INVALID_CONFIG, `Logger ${c.name} does not exist!`);
      if (c.op === OpType.DELETE)
        return fail(ErrorCode.INVALID_REQUEST, `Removing the log level of the ${LOGGER_NAME} logger is not allowed`);
      if (c.op !== OpType.SET)
        return fail(ErrorCode.INVALID_REQUEST, `${OP_NAMES[c.op]} operation is not allowed for the BROKER_LOGGER resource`);
      if (!(c.value! in LOG_LEVELS)) {
        return fail(
          ErrorCode.INVALID_CONFIG,
          `Cannot set the log level of ${c.name} to ${c.value} as it is not a supported log level. Valid log levels are ${Object.keys(LOG_LEVELS).join(', ')}`,
        );
      }
      level = LOG_LEVELS[c.value!]!;
    }
    if (level !== null && !opts.validateOnly) this.log.level = level;
    return OK;
  }

  // ---------------------------------------------------------------------------------------
  // Runtime and persistence

  /** Make the running broker see the dynamic layers, and re-derive every topic's settings. */
  private applyRuntime(): void {
    this.config.setDynamic(new Map([...this.clusterDefault, ...(this.perBroker.get(this.runtimeNodeId) ?? [])]));
    this.topics.refreshConfigs();
  }

  /** Read the persisted dynamic broker configs (start-up, before the topics load). */
  load(): void {
    this.groupConfigs.load();
    this.clusterDefault.clear();
    this.perBroker.clear();
    this.readFile();
    if (this.store.formatted) this.bootstrap();
    this.applyRuntime();
  }

  /**
   * A new cluster's dynamic configs. Kafka 4.4 formats storage with eligible.leader.replicas.version=1
   * (KIP-966), and its controller, activating on the empty metadata log, writes a cluster-level
   * min.insync.replicas holding the static (or default) value (ActivationRecordsGenerator,
   * ConfigurationControlManager.maybeGenerateElrSafetyRecords): `kafka-configs --describe
   * --entity-type brokers --entity-default` lists it and topics inherit it as DYNAMIC_DEFAULT_BROKER_CONFIG.
   */
  private bootstrap(): void {
    const key = 'min.insync.replicas';
    if (this.clusterDefault.has(key)) return;
    const value = this.staticValue(key) ?? BROKER_CONFIG_BY_NAME.get(key)?.default;
    if (value === undefined || value === null) return;
    this.clusterDefault.set(key, String(Number.parseInt(value, 10)));
    this.save();
  }

  private readFile(): void {
    const parsed = this.file.read();
    if (parsed === null) return;
    const file = this.file.path;
    const keep = (values: Record<string, string> | undefined): Layer => {
      const layer: Layer = new Map();
      for (const [k, v] of Object.entries(values ?? {})) {
        const def = BROKER_CONFIG_BY_NAME.get(k);
        if (def && !def.readOnly && typeof v === 'string' && !checkValue(def, v)) layer.set(k, v);
        else this.log.warn({ file, key: k, value: v }, 'ignoring a stored dynamic broker config that is no longer valid');
      }
      return layer;
    };
    for (const [k, v] of keep(parsed.clusterDefault)) this.clusterDefault.set(k, v);
    for (const [id, values] of Object.entries(parsed.brokers ?? {})) this.perBroker.set(Number(id), keep(values));
  }

  private save(): void {
    const brokers: Record<string, Record<string, string>> = {};
    for (const [id, layer] of this.perBroker) if (layer.size > 0) brokers[String(id)] = Object.fromEntries(layer);
    const body = { clusterDefault: Object.fromEntries(this.clusterDefault), brokers };
    this.file.write(body);
  }
}
