// The coordinators' record schemas (protocol/messages/group-records.ts,
// protocol/messages/consumer-group-records.ts, broker/txn/state-log.ts) against Kafka 4.4.0's
// own wire layouts: the generated classes of kafka-group-coordinator-4.4.0.jar and
// kafka-transaction-coordinator-4.4.0.jar (what Kafka writes), whose schemas test/jvm/resolve.mjs
// dumps once into the test cache (test/jvm/programs/DumpMessageSchemas.java). Compared per version, in
// wire order: field names, wire types (compact or not, nullable or not), arrays, nested structs,
// and tagged fields with their tags. So the test needs nothing outside the repository and its
// test cache.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import * as ConsumerRecords from '../../protocol/messages/consumer-group-records.js';
import * as GroupRecords from '../../protocol/messages/group-records.js';
import * as ShareRecords from '../../protocol/messages/share-group-records.js';
import * as StreamsRecords from '../../protocol/messages/streams-group-records.js';
import * as ShareStateRecords from '../../protocol/messages/share-state-records.js';
import { inRange, type FieldSpec, type Fields, type MessageSpec, type PrimitiveType } from '../../protocol/schema.js';
import { TransactionLogKey, TransactionLogValue } from '../../broker/txn/state-log.js';
import { KAFKA_RECORD_SCHEMAS } from './kafka-message-specs.js';

/** Kafka's description of one wire type (DumpMessageSchemas.java). */
type KType =
  | string
  | { struct: KField[]; nullable: boolean }
  | { array: KType; compact: boolean; nullable: boolean }
  | { tagged: Array<{ tag: number; name: string; type: KType }> };
interface KField {
  name: string;
  type: KType;
}
type KSchemas = Record<string, { lowest: number; highest: number; versions: Record<string, KField[]> }>;

function kafka(): KSchemas {
  assert.ok(existsSync(KAFKA_RECORD_SCHEMAS), `${KAFKA_RECORD_SCHEMAS} is missing: run node test/jvm/resolve.mjs`);
  return JSON.parse(readFileSync(KAFKA_RECORD_SCHEMAS, 'utf8')) as KSchemas;
}

const PRIMITIVE: Record<PrimitiveType, string> = {
  bool: 'BOOLEAN',
  int8: 'INT8',
  int16: 'INT16',
  uint16: 'UINT16',
  int32: 'INT32',
  uint32: 'UINT32',
  int64: 'INT64',
  float64: 'FLOAT64',
  string: 'STRING',
  bytes: 'BYTES',
  records: 'RECORDS',
  uuid: 'UUID',
};
const VARIABLE = new Set(['STRING', 'BYTES', 'RECORDS']);

function primitive(type: PrimitiveType, nullable: boolean, compact: boolean): string {
  const base = PRIMITIVE[type];
  if (!VARIABLE.has(base)) return base;
  return `${compact ? 'COMPACT_' : ''}${nullable ? 'NULLABLE_' : ''}${base}`;
}

/** Our fields at version v, described as Kafka describes its own (a tagged section last when flexible). */
function describe(fields: Fields, v: number, flexible: boolean): KField[] {
  const out: KField[] = [];
  const tagged: Array<{ tag: number; name: string; type: KType }> = [];
  for (const [name, spec] of Object.entries(fields)) {
    if (!inRange(spec.versions, v)) continue;
    const isTagged = inRange(spec.tagged, v);
    const type = typeOf(spec, v, flexible);
    if (isTagged) tagged.push({ tag: spec.tag, name, type });
    else out.push({ name, type });
  }
  if (flexible) out.push({ name: '_tagged_fields', type: { tagged: tagged.sort((a, b) => a.tag - b.tag) } });
  return out;
}

function typeOf(spec: FieldSpec, v: number, flexible: boolean): KType {
  const nullable = inRange(spec.nullable, v);
  const compact = spec.flexibleOverride ? inRange(spec.flexibleOverride, v) : flexible;
  if (spec.kind === 'primitive') return primitive(spec.type!, nullable, compact);
  if (spec.kind === 'array') {
    const elem: KType = spec.fields
      ? { struct: describe(spec.fields, v, flexible), nullable: false }
      : primitive(spec.type!, false, compact);
    return { array: elem, compact, nullable };
  }
  return { struct: describe(spec.fields!, v, flexible), nullable };
}

/** Kafka names fields in snake case: compare without case or underscores. */
function canonical(fields: KField[]): KField[] {
  return fields.map((f) => ({ name: canon(f.name), type: canonType(f.type) }));
}
const canon = (name: string) => (name === '_tagged_fields' ? name : name.replaceAll('_', '').toLowerCase());
function canonType(t: KType): KType {
  if (typeof t === 'string') return t;
  if ('struct' in t) return { struct: canonical(t.struct), nullable: t.nullable };
  if ('array' in t) return { array: canonType(t.array), compact: t.compact, nullable: t.nullable };
  return { tagged: t.tagged.map((x) => ({ tag: x.tag, name: canon(x.name), type: canonType(x.type) })) };
}

const OURS: MessageSpec[] = [
  GroupRecords.OffsetCommitKey,
  GroupRecords.OffsetCommitValue,
  GroupRecords.GroupMetadataKey,
  GroupRecords.GroupMetadataValue,
  ...(Object.values(ConsumerRecords) as unknown[]).filter(
    (x): x is MessageSpec => typeof x === 'object' && x !== null && 'validVersions' in x,
  ),
  ...(Object.values(StreamsRecords) as unknown[]).filter(
    (x): x is MessageSpec => typeof x === 'object' && x !== null && 'validVersions' in x,
  ),
  ...(Object.values(ShareRecords) as unknown[]).filter(
    (x): x is MessageSpec => typeof x === 'object' && x !== null && 'validVersions' in x,
  ),
  TransactionLogKey,
  TransactionLogValue,
  ShareStateRecords.ShareSnapshotKey,
  ShareStateRecords.ShareSnapshotValue,
  ShareStateRecords.ShareUpdateKey,
  ShareStateRecords.ShareUpdateValue,
];

test('the record schemas compared here are the ones our coordinators write', () => {
  assert.deepEqual(
    OURS.filter((m) => m.name.startsWith('ConsumerGroup')).length,
    12,
    'ConsumerGroup*Key/Value: metadata, partition metadata, member, target assignment (metadata and member), current assignment',
  );
  assert.equal(OURS.filter((m) => m.name.startsWith('ShareGroup')).length, 12, 'ShareGroup*Key/Value: the six KIP-932 record types');
});

for (const ours of OURS) {
  test(`${ours.name} matches Kafka 4.4.0's generated ${ours.name} in every version`, () => {
    const theirs = kafka()[ours.name];
    assert.ok(theirs, `Kafka 4.4.0 has no record schema named ${ours.name}`);
    if (ours.name.endsWith('Key')) {
      // Since Kafka 4.0 a key's version prefix is its record type (CoordinatorRecordType), and each
      // key class has the one schema v0: every version we write must lay out as that one.
      assert.deepEqual([theirs.lowest, theirs.highest], [0, 0], `${ours.name}: one key schema`);
      for (let v = ours.validVersions.min; v <= ours.validVersions.max; v++) {
        const mine = describe(ours.fields, v, inRange(ours.flexibleVersions, v));
        assert.deepEqual(canonical(mine), canonical(theirs.versions['0']!), `${ours.name} written as v${v}`);
      }
      return;
    }
    // Ours may keep reading versions Kafka no longer lists; every version Kafka defines must be ours.
    assert.ok(ours.validVersions.min <= theirs.lowest, `${ours.name}: lowest version ${theirs.lowest} served`);
    assert.ok(ours.validVersions.max >= theirs.highest, `${ours.name}: highest version ${theirs.highest} served`);
    for (const [v, fields] of Object.entries(theirs.versions)) {
      const version = Number(v);
      const mine = describe(ours.fields, version, inRange(ours.flexibleVersions, version));
      assert.deepEqual(canonical(mine), canonical(fields), `${ours.name} v${version}`);
    }
  });
}
