// Normalising an answer before comparing it: only what legitimately differs between two
// brokers, by field path, each rule with its reason. Record sets are decoded into batches and
// records so a divergence inside them reads as a field, not as bytes.
//
// Paths look like `responses[0].partitionResponses[1].errorCode`; globs use `*` for one name
// or index (`[*]` also matches `[name=...]`) and `**` for any depth, e.g. `**.topicId`,
// `topics[*].partitions[*].leaderEpoch`.

import { isDeepStrictEqual } from 'node:util';
import { ZERO_UUID } from '../../protocol/primitives.js';
import { isCrcValid, magicAt, readBatchHeader, decodeBatchRecords, RECORD_BATCH_OVERHEAD } from '../../protocol/records/index.js';

export interface Mismatch {
  /** `#<step index> <Api> v<version>`. */
  step?: string;
  path: string;
  kafka: unknown;
  lite: unknown;
}

/**
 * What a rule does to a value at its path:
 * - `id`: an identifier one broker assigns: replaced by `<kind#n>` in order of first
 *   appearance (per side and instance), so equal ids stay equal; sentinels (-1, null, '', the
 *   zero UUID) are kept;
 * - `uuids`: UUIDs inside a string (generated member ids) replaced like `id`;
 * - `time`: a wall-clock timestamp: -1 kept, anything else `<time>`;
 * - `zero`: replaced by 0;
 * - `times-in-text`: epoch-millisecond numbers inside a message replaced by `<time>`;
 * - `keep`: the value as it is (a scenario's rule overriding a general one for a field that only
 *   looks like one, e.g. an ACL's host);
 * - `sort`: a collection Kafka fills from a hash map, ordered by `key` (clients look entries up
 *   by that key); its elements are then normalised as usual.
 */
export interface Rule {
  path: string;
  api?: string;
  action: 'id' | 'uuids' | 'time' | 'zero' | 'times-in-text' | 'sort' | 'keep';
  /** `sort`: the field of each element to order by. */
  key?: string;
  kind?: string;
  reason: string;
}

/** Normalisation every scenario gets. */
export const NORMALISE: readonly Rule[] = [
  { path: '**throttleTimeMs', action: 'zero', reason: 'quota throttling depends on load, not on behaviour' },
  {
    path: 'finalizedFeaturesEpoch',
    api: 'ApiVersions',
    action: 'zero',
    reason: "the offset of the last feature record in Kafka's metadata log: a controller's history, not behaviour",
  },
  { path: '**clusterId', action: 'id', kind: 'cluster', reason: 'generated when the storage is formatted' },
  { path: '**.host', action: 'id', kind: 'host', reason: 'listener address of each broker' },
  { path: '**.port', action: 'id', kind: 'port', reason: 'each broker listens on a free port' },
  { path: 'host', api: 'FindCoordinator', action: 'id', kind: 'host', reason: 'listener address of each broker (v0-3)' },
  { path: 'port', api: 'FindCoordinator', action: 'id', kind: 'port', reason: 'each broker listens on a free port (v0-3)' },
  { path: '**topicId', action: 'id', kind: 'topic-id', reason: 'topic ids are random UUIDs' },
  { path: '**topicIds[*]', action: 'id', kind: 'topic-id', reason: 'topic ids are random UUIDs' },
  { path: '**memberId', action: 'uuids', kind: 'member', reason: 'member ids embed a generated UUID' },
  { path: '**leader', api: 'JoinGroup', action: 'uuids', kind: 'member', reason: 'the leader is a member id' },
  { path: '**members[*].memberId', action: 'uuids', kind: 'member', reason: 'member ids embed a generated UUID' },
  { path: '**producerId', action: 'id', kind: 'pid', reason: 'producer ids are allocated by each broker' },
  { path: '**producerIdFilters[*]', action: 'id', kind: 'pid', reason: 'producer ids are allocated by each broker' },
  { path: 'sessionId', api: 'Fetch', action: 'id', kind: 'session', reason: 'fetch session ids are random' },
  {
    path: 'topics',
    api: 'DeleteRecords',
    action: 'sort',
    key: 'name',
    reason: 'Kafka groups the answer by topic in a Scala hash map (KafkaApis.handleDeleteRecordsRequest)',
  },
  {
    path: 'results[*].configs',
    api: 'DescribeConfigs',
    action: 'sort',
    key: 'name',
    reason: 'Kafka lists configs in the order of a Scala map (ConfigHelper.allConfigs)',
  },
  { path: 'topics[*].configs', api: 'CreateTopics', action: 'sort', key: 'name', reason: 'Kafka lists configs in the order of a map' },
  {
    path: 'resultsByTopicV3AndBelow',
    api: 'AddPartitionsToTxn',
    action: 'sort',
    key: 'name',
    reason: 'Kafka answers from a hash map of partitions',
  },
  {
    path: 'resultsByTransaction[*].topicResults',
    api: 'AddPartitionsToTxn',
    action: 'sort',
    key: 'name',
    reason: 'Kafka answers from a hash map of partitions',
  },
  {
    path: 'resultsByTopicV3AndBelow[*].resultsByPartition',
    api: 'AddPartitionsToTxn',
    action: 'sort',
    key: 'partitionIndex',
    reason: 'Kafka answers from a hash map of partitions',
  },
  {
    path: 'resultsByTransaction[*].topicResults[*].resultsByPartition',
    api: 'AddPartitionsToTxn',
    action: 'sort',
    key: 'partitionIndex',
    reason: 'Kafka answers from a hash map of partitions',
  },
  { path: '**batchIndexErrorMessage', action: 'times-in-text', reason: 'timestamp bounds are computed from the broker clock' },
  { path: '**logAppendTimeMs', action: 'time', reason: 'the broker clock at append' },
  { path: '**lastTimestamp', api: 'DescribeProducers', action: 'time', reason: 'the broker clock at append' },
  { path: '**transactionStartTimeMs', action: 'time', reason: 'the broker clock when the transaction began' },
];

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') re += glob[i - 1] === '[' ? '[^\\]]*' : '[^.\\[\\]]*';
    else re += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

const globCache = new Map<string, RegExp>();
export function globMatches(glob: string, text: string): boolean {
  let re = globCache.get(glob);
  if (!re) {
    re = globToRegExp(glob);
    globCache.set(glob, re);
  }
  return re.test(text);
}

const UUID_36 = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const UUID_22 = /^[A-Za-z0-9_-]{22}$/;

type Placeholders = Map<string, Map<unknown, string>>;

function placeholder(store: Placeholders, kind: string, value: unknown): string {
  let m = store.get(kind);
  if (!m) {
    m = new Map();
    store.set(kind, m);
  }
  let p = m.get(value);
  if (!p) {
    p = `<${kind}#${m.size + 1}>`;
    m.set(value, p);
  }
  return p;
}

function apply(rule: Rule, value: unknown, store: Placeholders): unknown {
  switch (rule.action) {
    case 'zero':
      return 0;
    case 'sort':
    case 'keep':
      return value;
    case 'times-in-text':
      return typeof value === 'string' ? value.replace(/\b1\d{12}\b/g, '<time>') : value;
    case 'time':
      return value === -1 ? -1 : '<time>';
    case 'id':
      if (value === -1 || value === null || value === '' || value === ZERO_UUID) return value;
      if (rule.kind === 'session' && value === 0) return value; // no fetch session
      return placeholder(store, rule.kind ?? 'id', value);
    case 'uuids':
      if (typeof value !== 'string' || value === '') return value;
      // The placeholder keeps the id's shape: a Kafka Uuid (22 base64url characters) and a
      // Java UUID (36 characters) stay distinguishable.
      if (UUID_22.test(value)) return placeholder(store, rule.kind ?? 'uuid', value);
      return value.replace(UUID_36, (u) => placeholder(store, `${rule.kind ?? 'uuid'}-uuid36`, u));
  }
}

/** A record set as batches of records (magic 2), or its legacy form as a byte count. */
function decodeRecords(buf: Buffer): unknown {
  const batches: unknown[] = [];
  let pos = 0;
  while (pos < buf.length) {
    if (magicAt(buf, pos) !== 2 || pos + RECORD_BATCH_OVERHEAD > buf.length) {
      batches.push({ undecoded: buf.length - pos, magic: magicAt(buf, pos) });
      break;
    }
    const h = readBatchHeader(buf, pos);
    if (pos + h.sizeInBytes > buf.length) {
      batches.push({ partialBatchBytes: buf.length - pos });
      break;
    }
    const { records } = decodeBatchRecords(buf, pos);
    batches.push({
      baseOffset: h.baseOffset,
      partitionLeaderEpoch: h.partitionLeaderEpoch,
      crcValid: isCrcValid(buf, pos),
      attributes: h.attributes,
      lastOffsetDelta: h.lastOffsetDelta,
      baseTimestamp: h.baseTimestamp,
      maxTimestamp: h.maxTimestamp,
      producerId: h.producerId,
      producerEpoch: h.producerEpoch,
      baseSequence: h.baseSequence,
      records: records.map((r) => ({
        offset: r.offset,
        timestamp: r.timestamp,
        key: r.key === null ? null : r.key.toString('latin1'),
        value: r.value === null ? null : r.value.toString('latin1'),
        headers: r.headers.map((x) => [x.key, x.value === null ? null : x.value.toString('latin1')]),
      })),
    });
    pos += h.sizeInBytes;
  }
  return batches;
}

/** Returns a normalised deep copy of a decoded response. */
export function normaliseResponse(api: string, res: unknown, extra: readonly Rule[], store: Placeholders): unknown {
  const rules = [...extra, ...NORMALISE].filter((r) => r.api === undefined || r.api === api);
  const walk = (value: unknown, path: string): unknown => {
    for (const r of rules) {
      if (!globMatches(r.path, path)) continue;
      if (r.action !== 'sort') return apply(r, value, store);
      if (Array.isArray(value)) {
        const key = r.key ?? 'name';
        // An object or array key (an entity's parts) orders by its JSON text.
        const k = (x: Record<string, unknown> | null) => {
          const v = x?.[key];
          return v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
        };
        const sorted = [...value].sort((a, b) =>
          typeof k(a) === 'number' ? (k(a) as number) - (k(b) as number) : String(k(a)).localeCompare(String(k(b))),
        );
        return sorted.map((x, i) => walk(x, `${path}[${i}]`));
      }
    }
    if (Buffer.isBuffer(value)) return path.endsWith('records') ? decodeRecords(value) : `0x${value.toString('hex')}`;
    if (Array.isArray(value)) return value.map((x, i) => walk(x, `${path}[${i}]`));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(value)) out[k] = walk(x, path === '' ? k : `${path}.${k}`);
      return out;
    }
    return value;
  };
  return walk(res, '');
}

/** Field-by-field differences; arrays of different lengths are one mismatch at the array. */
export function compareValues(kafka: unknown, lite: unknown, path: string): Mismatch[] {
  if (isDeepStrictEqual(kafka, lite)) return [];
  const isObj = (x: unknown) => x !== null && typeof x === 'object' && !Array.isArray(x);
  const named = (x: unknown): x is Array<{ name: string }> =>
    Array.isArray(x) && x.length > 0 && x.every((e) => isObj(e) && typeof (e as { name?: unknown }).name === 'string');
  if (Array.isArray(kafka) && Array.isArray(lite) && kafka.length === lite.length) {
    // Entries with the same names in the same order are addressed by name (`configs[name=x]`).
    const sameNames = named(kafka) && named(lite) && kafka.every((e, i) => e.name === (lite[i] as { name: string }).name);
    return kafka.flatMap((x, i) =>
      compareValues(x, lite[i], sameNames ? `${path}[name=${(x as { name: string }).name}]` : `${path}[${i}]`),
    );
  }
  // Lists of named entries of different lengths: compared entry by entry, by name, so the
  // difference reads as the entries one side lacks.
  if (named(kafka) && named(lite) && kafka.length !== lite.length) {
    const byName = (xs: Array<{ name: string }>) => new Map(xs.map((e) => [e.name, e]));
    const [a, b] = [byName(kafka), byName(lite)];
    if (a.size === kafka.length && b.size === lite.length) {
      const names = [...new Set([...a.keys(), ...b.keys()])];
      return names.flatMap((n) => compareValues(a.get(n), b.get(n), `${path}[name=${n}]`));
    }
  }
  if (isObj(kafka) && isObj(lite)) {
    const a = kafka as Record<string, unknown>;
    const b = lite as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => compareValues(a[k], b[k], path === '' ? k : `${path}.${k}`));
  }
  return [{ path, kafka, lite }];
}
