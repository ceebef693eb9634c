// Per-group dynamic configs: the GROUP config resource (type 32) of DescribeConfigs,
// AlterConfigs and IncrementalAlterConfigs (KIP-848, KIP-932, KIP-1071), as Kafka 4.4's
// GroupConfig (group-coordinator) defines and validates them. A key left unset inherits its
// broker-level synonym (consumer.session.timeout.ms <- group.consumer.session.timeout.ms), and
// a set value must lie within the broker's group.*.min/max bounds. Configs may be set for a
// group that does not exist (yet), and DeleteGroups leaves them in place: Kafka 4.4 keeps a
// group's ConfigRecords when the group is deleted (test/oracle/scenarios/group-configs.ts).
//
// GroupConfigs owns the per-group overrides. They persist in `kafkalite-group-configs.json` in
// the data directory (a kafkalite file, next to kafkalite-broker-configs.json; Kafka keeps them
// as ConfigRecords in its metadata log); with the memory store they live as long as the broker.
// The coordinators read the values in force through sessionTimeoutMs / heartbeatIntervalMs / value.

import path from 'node:path';
import type { Logger } from 'pino';
import { BROKER_CONFIG_BY_NAME, checkValue, type BrokerConfig, type ConfigDef } from '../../config/index.js';
import { ErrorCode, StorageCorruptError } from '../../protocol/errors.js';
import { readFileIfExists, writeFileAtomic } from '../../storage/atomic-file.js';
import type { LogStore } from '../../storage/types.js';
import { OP_NAMES, OpType, type ConfigChange } from '../config-changes.js';

export const RESOURCE_GROUP = 32;
/** DescribeConfigsResponse.ConfigSource DYNAMIC_GROUP_CONFIG. */
export const DYNAMIC_GROUP_CONFIG = 8;
export const GROUP_CONFIGS_FILE = 'kafkalite-group-configs.json';

export interface GroupConfigDef extends ConfigDef {
  /** The broker key whose value a group inherits (Kafka's GroupConfig.brokerSynonym). */
  brokerSynonym?: string;
  /** Settable but never described (Kafka's GroupConfig.isInternal). */
  internal?: boolean;
}

const int = (name: string, dflt: string, min: number, doc: string, brokerSynonym?: string, internal?: boolean): GroupConfigDef => ({
  name,
  type: 'int',
  default: dflt,
  min,
  doc,
  brokerSynonym,
  internal,
});
const bool = (name: string, dflt: string, doc: string, brokerSynonym?: string, internal?: boolean): GroupConfigDef => ({
  name,
  type: 'boolean',
  default: dflt,
  doc,
  brokerSynonym,
  internal,
});

/** Kafka 4.4's GroupConfig.CONFIG_DEF, in its definition order (ConfigDef.parse checks in this order). */
export const GROUP_CONFIGS: readonly GroupConfigDef[] = [
  int(
    'consumer.session.timeout.ms',
    '45000',
    1,
    'The timeout to detect client failures when using the consumer group protocol.',
    'group.consumer.session.timeout.ms',
  ),
  int(
    'consumer.heartbeat.interval.ms',
    '5000',
    1,
    'The heartbeat interval given to the members of a consumer group.',
    'group.consumer.heartbeat.interval.ms',
  ),
  int(
    'consumer.assignment.interval.ms',
    '1000',
    0,
    'The interval between assignment updates for a consumer group.',
    'group.consumer.assignment.interval.ms',
  ),
  bool(
    'consumer.assignor.offload.enable',
    'true',
    'Whether to offload consumer group assignment to a group coordinator background thread.',
    undefined,
    true,
  ),
  int(
    'share.session.timeout.ms',
    '45000',
    1,
    'The timeout to detect client failures when using the share group protocol.',
    'group.share.session.timeout.ms',
  ),
  int(
    'share.heartbeat.interval.ms',
    '5000',
    1,
    'The heartbeat interval given to the members of a share group.',
    'group.share.heartbeat.interval.ms',
  ),
  int(
    'share.record.lock.duration.ms',
    '30000',
    1000,
    'The record acquisition lock duration in milliseconds for share groups.',
    'group.share.record.lock.duration.ms',
  ),
  int(
    'share.delivery.count.limit',
    '5',
    2,
    'The maximum number of delivery attempts for a record delivered to a share group.',
    'group.share.delivery.count.limit',
  ),
  int(
    'share.partition.max.record.locks',
    '2000',
    100,
    'Share-group record lock limit per share-partition.',
    'group.share.partition.max.record.locks',
  ),
  {
    name: 'share.auto.offset.reset',
    type: 'string',
    default: 'latest',
    doc:
      'The strategy to initialize the share-partition start offset. <ul><li>earliest: automatically reset the offset to the earliest offset</li>' +
      '<li>latest: automatically reset the offset to the latest offset</li><li>by_duration:&lt;duration&gt;: automatically reset the offset to a ' +
      'configured duration from the current timestamp. &lt;duration&gt; must be specified in ISO8601 format (PnDTnHnMn.nS). Negative duration is ' +
      'not allowed.</li><li>anything else: throw exception to the share consumer.</li></ul>',
  },
  {
    name: 'share.isolation.level',
    type: 'string',
    default: 'read_uncommitted',
    oneOf: ['read_committed', 'read_uncommitted'],
    doc:
      'Controls how to read records written transactionally. If set to "read_committed", the share group will only deliver transactional ' +
      'records which have been committed. If set to "read_uncommitted", the share group will return all messages, even transactional ' +
      'messages which have been aborted. Non-transactional records will be returned unconditionally in either mode.',
  },
  bool('share.renew.acknowledge.enable', 'true', 'Whether the renew acknowledge type is enabled for the share group.'),
  int(
    'share.assignment.interval.ms',
    '1000',
    0,
    'The interval between assignment updates for a share group.',
    'group.share.assignment.interval.ms',
  ),
  bool(
    'share.assignor.offload.enable',
    'true',
    'Whether to offload share group assignment to a group coordinator background thread.',
    undefined,
    true,
  ),
  int(
    'streams.session.timeout.ms',
    '45000',
    1,
    'The timeout to detect client failures when using the streams group protocol.',
    'group.streams.session.timeout.ms',
  ),
  int('streams.heartbeat.interval.ms', '5000', 1, 'The heartbeat interval given to the members.', 'group.streams.heartbeat.interval.ms'),
  int('streams.num.standby.replicas', '0', 0, 'The number of standby replicas for each task.', 'group.streams.num.standby.replicas'),
  int(
    'streams.initial.rebalance.delay.ms',
    '3000',
    0,
    'The amount of time the group coordinator will wait for more streams clients to join a new group before performing the first rebalance. ' +
      'A longer delay means potentially fewer rebalances.',
    'group.streams.initial.rebalance.delay.ms',
  ),
  int(
    'streams.assignment.interval.ms',
    '1000',
    0,
    'The interval between assignment updates for a streams group.',
    'group.streams.assignment.interval.ms',
  ),
  bool(
    'streams.assignor.offload.enable',
    'true',
    'Whether to offload streams group assignment to a group coordinator background thread.',
    undefined,
    true,
  ),
  int(
    'streams.task.offset.interval.ms',
    '60000',
    1,
    'The interval in which the warmup task changelog offsets on a client are updated on the broker.',
    undefined,
    true,
  ),
  int('streams.num.warmup.replicas', '2', 0, 'The maximum number of warmup task replicas.', undefined, true),
  {
    name: 'streams.rack.aware.assignment.tags',
    type: 'list',
    default: '',
    brokerSynonym: 'group.streams.rack.aware.assignment.tags',
    doc:
      'List of client tag keys used to distribute standby replicas across Kafka Streams instances. When configured, and the used ' +
      'broker-side assignor supports it, it will make a best-effort to distribute standby tasks over each client tag dimension.',
  },
  {
    name: 'streams.acceptable.recovery.lag',
    type: 'long',
    default: '10000',
    min: 0,
    internal: true,
    doc: 'The maximum acceptable lag (number of offsets to catch up) for a client to be considered caught-up enough to receive an active task assignment.',
  },
  {
    name: 'streams.assignor.name',
    type: 'string',
    default: null,
    brokerSynonym: 'group.streams.assignors',
    doc: 'The task assignor to use for this streams group, selected by short name from the assignors registered via the broker configuration group.streams.assignors.',
  },
  {
    name: 'errors.deadletterqueue.topic.name',
    type: 'string',
    default: '',
    doc: 'The name of the topic to be used as the dead-letter queue (DLQ) topic for this share group. If blank (the default), the group does not have a DLQ topic.',
  },
  bool(
    'errors.deadletterqueue.copy.record.enable',
    'false',
    'When writing onto the dead-letter queue topic, whether to copy the original record onto the DLQ topic, or just write a record containing the context information headers.',
  ),
];

export const GROUP_CONFIG_BY_NAME: ReadonlyMap<string, GroupConfigDef> = new Map(GROUP_CONFIGS.map((d) => [d.name, d]));

/**
 * Kafka's GroupConfig.validateValues, in its order: [key, broker min key, broker max key]. The
 * internal bounds group.streams.min.task.offset.interval.ms (15000) and
 * group.streams.max.warmup.replicas (20) are constants here: kafkalite does not expose them.
 */
const RANGES: ReadonlyArray<[string, string | number | null, string | number | null]> = [
  ['consumer.heartbeat.interval.ms', 'group.consumer.min.heartbeat.interval.ms', 'group.consumer.max.heartbeat.interval.ms'],
  ['consumer.session.timeout.ms', 'group.consumer.min.session.timeout.ms', 'group.consumer.max.session.timeout.ms'],
  ['consumer.assignment.interval.ms', 'group.consumer.min.assignment.interval.ms', 'group.consumer.max.assignment.interval.ms'],
  ['share.heartbeat.interval.ms', 'group.share.min.heartbeat.interval.ms', 'group.share.max.heartbeat.interval.ms'],
  ['share.session.timeout.ms', 'group.share.min.session.timeout.ms', 'group.share.max.session.timeout.ms'],
  ['share.record.lock.duration.ms', 'group.share.min.record.lock.duration.ms', 'group.share.max.record.lock.duration.ms'],
  ['share.delivery.count.limit', 'group.share.min.delivery.count.limit', 'group.share.max.delivery.count.limit'],
  ['share.partition.max.record.locks', 'group.share.min.partition.max.record.locks', 'group.share.max.partition.max.record.locks'],
  ['share.assignment.interval.ms', 'group.share.min.assignment.interval.ms', 'group.share.max.assignment.interval.ms'],
  ['streams.heartbeat.interval.ms', 'group.streams.min.heartbeat.interval.ms', 'group.streams.max.heartbeat.interval.ms'],
  ['streams.session.timeout.ms', 'group.streams.min.session.timeout.ms', 'group.streams.max.session.timeout.ms'],
  ['streams.num.standby.replicas', null, 'group.streams.max.standby.replicas'],
  ['streams.assignment.interval.ms', 'group.streams.min.assignment.interval.ms', 'group.streams.max.assignment.interval.ms'],
  ['streams.task.offset.interval.ms', 15000, null],
  ['streams.num.warmup.replicas', null, 20],
];

/** Session timeouts that must exceed their heartbeat interval (Kafka's validateSessionExceedsHeartbeat). */
const SESSION_OVER_HEARTBEAT: ReadonlyArray<[string, string]> = [
  ['consumer.session.timeout.ms', 'consumer.heartbeat.interval.ms'],
  ['share.session.timeout.ms', 'share.heartbeat.interval.ms'],
  ['streams.session.timeout.ms', 'streams.heartbeat.interval.ms'],
];

/** Java's Duration.parse grammar (PnDTnHnMn.nS), for share.auto.offset.reset=by_duration:<duration>. */
const ISO_DURATION = /^[-+]?P(?:[-+]?\d+D)?(?:T(?:[-+]?\d+H)?(?:[-+]?\d+M)?(?:[-+]?\d+(?:[.,]\d{0,9})?S)?)?$/i;

function autoOffsetResetProblem(value: string): string | null {
  const v = value.trim().toLowerCase();
  if (v === 'earliest' || v === 'latest') return null;
  if (v.startsWith('by_duration:')) {
    const d = value.trim().slice('by_duration:'.length);
    // Duration.parse needs at least one field after P (and after T), and Kafka refuses a negative one.
    if (ISO_DURATION.test(d) && /\d/.test(d) && !/T$/i.test(d) && !d.startsWith('-')) return null;
  }
  return (
    `Invalid value \`${value}\` for configuration share.auto.offset.reset. ` +
    "The value must be either 'earliest', 'latest' or of the format 'by_duration:<PnDTnHnMn.nS>'."
  );
}

type Problem = { errorCode: number; errorMessage: string };
const invalid = (errorMessage: string): Problem => ({ errorCode: ErrorCode.INVALID_CONFIG, errorMessage });

export interface GroupConfigEntry {
  name: string;
  value: string | null;
  readOnly: boolean;
  configSource: number;
  isSensitive: boolean;
  synonyms: Array<{ name: string; value: string | null; source: number }>;
  /** DescribeConfigsResponse.ConfigType: boolean 1, string 2, int 3, long 5, list 7. */
  configType: number;
  documentation: string | null;
}

const CONFIG_TYPE: Record<string, number> = { boolean: 1, string: 2, int: 3, long: 5, double: 6, list: 7, password: 9 };

export class GroupConfigs {
  /** Overrides by group id (owner: this class). */
  private readonly byGroup = new Map<string, Map<string, string>>();

  constructor(
    private readonly config: BrokerConfig,
    private readonly store: LogStore,
    private readonly log: Logger,
  ) {}

  /** A broker key's value and ConfigSource: STATIC_BROKER_CONFIG (4) when set (the group.* keys are not dynamic), else DEFAULT_CONFIG (5). */
  private brokerEntry(key: string): { value: string | null; source: number } {
    return { value: this.config.raw(key), source: this.config.has(key) ? 4 : 5 };
  }

  // ---- what the coordinators read ---------------------------------------------------------------

  /** The value in force for `group`: its override, else the broker synonym's, else the default. */
  /** Groups with dynamic configs (what ListConfigResources v1 lists for GROUP). */
  names(): string[] {
    return [...this.byGroup.keys()];
  }

  value(groupId: string, key: string): string | null {
    const set = this.byGroup.get(groupId)?.get(key);
    if (set !== undefined) return set;
    return this.inherited(GROUP_CONFIG_BY_NAME.get(key)!).value;
  }

  sessionTimeoutMs(groupId: string, kind: 'consumer' | 'share' | 'streams'): number {
    return Number(this.value(groupId, `${kind}.session.timeout.ms`));
  }

  heartbeatIntervalMs(groupId: string, kind: 'consumer' | 'share' | 'streams'): number {
    return Number(this.value(groupId, `${kind}.heartbeat.interval.ms`));
  }

  /** The group's overrides (a copy). */
  overrides(groupId: string): Record<string, string> {
    return Object.fromEntries(this.byGroup.get(groupId) ?? []);
  }

  // ---- DescribeConfigs --------------------------------------------------------------------------

  describe(groupId: string, keys: ReadonlySet<string> | null, docs: boolean): Problem | GroupConfigEntry[] {
    if (groupId === '') return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Group name must not be empty' };
    const set = this.byGroup.get(groupId);
    const out: GroupConfigEntry[] = [];
    for (const def of GROUP_CONFIGS) {
      if (def.internal || (keys && !keys.has(def.name))) continue;
      const inherited = this.inherited(def);
      const synonyms = [{ name: def.brokerSynonym ?? def.name, value: inherited.value, source: inherited.source }];
      const override = set?.get(def.name);
      if (override !== undefined) synonyms.unshift({ name: def.name, value: override, source: DYNAMIC_GROUP_CONFIG });
      out.push({
        name: def.name,
        value: synonyms[0]!.value,
        readOnly: false,
        configSource: synonyms[0]!.source,
        isSensitive: false,
        synonyms,
        configType: CONFIG_TYPE[def.type]!,
        documentation: docs ? def.doc : null,
      });
    }
    return out;
  }

  /** A key's value without a group override: the broker synonym's (group.streams.assignors: its first name), else the default. */
  private inherited(def: GroupConfigDef): { value: string | null; source: number } {
    if (!def.brokerSynonym || !BROKER_CONFIG_BY_NAME.has(def.brokerSynonym)) return { value: def.default, source: 5 };
    const entry = this.brokerEntry(def.brokerSynonym);
    if (def.brokerSynonym === 'group.streams.assignors') return { ...entry, value: (entry.value ?? '').split(',')[0]!.trim() || null };
    return entry;
  }

  // ---- AlterConfigs / IncrementalAlterConfigs ---------------------------------------------------

  /**
   * Change one group's configs (Kafka's ConfigAdminManager then GroupConfig.validate on the
   * resulting set): `replace` (AlterConfigs) makes `changes` the whole set.
   */
  alter(groupId: string, changes: readonly ConfigChange[], opts: { replace: boolean; validateOnly: boolean }): Problem | null {
    if (groupId === '') return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Default group resources are not allowed.' };
    const next = new Map(opts.replace ? [] : (this.byGroup.get(groupId) ?? []));
    for (const c of changes) {
      if (c.op === OpType.SET) next.set(c.name, c.value!);
      else if (c.op === OpType.DELETE) next.delete(c.name);
      // Kafka 4.4 answers so even for streams.rack.aware.assignment.tags, a LIST.
      else return invalid(`Can't ${OP_NAMES[c.op]} to key ${c.name} because its type is not LIST.`);
    }
    const problem = this.validate(next);
    if (problem) return problem;
    if (opts.validateOnly) return null;
    if (next.size === 0) this.byGroup.delete(groupId);
    else this.byGroup.set(groupId, next);
    this.save();
    this.log.info({ group: groupId, configs: Object.fromEntries(next) }, 'altered group configs');
    return null;
  }

  /** Kafka's GroupConfig.validate: names, duplicate rack tags, types and static bounds, then the broker bounds. */
  private validate(values: ReadonlyMap<string, string>): Problem | null {
    for (const key of values.keys()) if (!GROUP_CONFIG_BY_NAME.has(key)) return invalid(`Unknown group config name: ${key}`);
    const tags = values.get('streams.rack.aware.assignment.tags');
    if (tags !== undefined && tags.trim() !== '') {
      const list = tags.trim().split(/\s*,\s*/);
      if (new Set(list).size !== list.length) return invalid('streams.rack.aware.assignment.tags must not contain duplicate tag keys.');
    }
    for (const def of GROUP_CONFIGS) {
      const v = values.get(def.name);
      if (v === undefined) continue;
      const problem = def.name === 'share.auto.offset.reset' ? autoOffsetResetProblem(v) : checkValue(def, v);
      if (problem) return invalid(`Invalid value ${v} for configuration ${def.name}: ${problem}`);
    }
    const bound = (b: string | number | null): number | null => (b === null ? null : typeof b === 'number' ? b : this.config.int(b));
    for (const [key, minKey, maxKey] of RANGES) {
      const raw = values.get(key);
      if (raw === undefined) continue;
      const n = Number(raw.trim());
      const [min, max] = [bound(minKey), bound(maxKey)];
      if (min !== null && max !== null) {
        if (n < min || n > max) return invalid(`${key} must be in the range ${min} to ${max} inclusive.`);
      } else if (max !== null && n > max) return invalid(`${key} must be less than or equal to ${max}`);
      else if (min !== null && n < min) return invalid(`${key} must be greater than or equal to ${min}`);
    }
    const assignor = values.get('streams.assignor.name');
    if (assignor !== undefined) {
      const names = this.config.list('group.streams.assignors');
      if (!names.includes(assignor))
        return invalid(
          `streams.assignor.name '${assignor}' is not a registered task assignor. Registered assignors are: [${names.join(', ')}].`,
        );
    }
    for (const [session, heartbeat] of SESSION_OVER_HEARTBEAT) {
      if (!values.has(session) && !values.has(heartbeat)) continue;
      const s = Number(values.get(session) ?? this.config.int(`group.${session}`));
      const h = Number(values.get(heartbeat) ?? this.config.int(`group.${heartbeat}`));
      if (s <= h) return invalid(`${session} must be greater than ${heartbeat}`);
    }
    const dlq = values.get('errors.deadletterqueue.topic.name');
    if (dlq !== undefined && dlq !== '' && dlq.startsWith('__'))
      return invalid("errors.deadletterqueue.topic.name: DLQ topic name must not start with '__'");
    return null;
  }

  // ---- persistence ------------------------------------------------------------------------------

  private get file(): string | null {
    const dir = this.store.kind === 'disk' ? (this.store as LogStore & { dataDir?: string }).dataDir : undefined;
    return dir ? path.join(dir, GROUP_CONFIGS_FILE) : null;
  }

  /** Read the persisted group configs (start-up); a stored value no longer valid is dropped with a warning. */
  load(): void {
    this.byGroup.clear();
    const file = this.file;
    const text = file ? readFileIfExists(file, this.store.fs) : null;
    if (text === null) return;
    let parsed: { version?: number; groups?: Record<string, Record<string, string>> };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch (err) {
      throw new StorageCorruptError(`${file} is not valid JSON`, { cause: err });
    }
    if (parsed?.version !== 1) throw new StorageCorruptError(`${file} has an unknown layout (version ${String(parsed?.version)})`);
    for (const [groupId, values] of Object.entries(parsed.groups ?? {})) {
      const layer = new Map<string, string>();
      for (const [k, v] of Object.entries(values ?? {})) {
        if (typeof v === 'string' && GROUP_CONFIG_BY_NAME.has(k) && !this.validate(new Map([[k, v]]))) layer.set(k, v);
        else this.log.warn({ file, group: groupId, key: k, value: v }, 'ignoring a stored group config that is no longer valid');
      }
      if (layer.size > 0) this.byGroup.set(groupId, layer);
    }
  }

  private save(): void {
    const file = this.file;
    if (!file) return;
    const groups: Record<string, Record<string, string>> = {};
    for (const [groupId, layer] of this.byGroup) groups[groupId] = Object.fromEntries(layer);
    writeFileAtomic(file, `${JSON.stringify({ version: 1, groups }, null, 2)}\n`, { fsync: true }, this.store.fs);
  }
}
