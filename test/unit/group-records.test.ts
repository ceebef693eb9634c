// The consumer protocol schemas (protocol/messages/consumer-protocol.ts) against Kafka 4.4.0's
// JSON specs (from the kafka-clients jar in the test cache), the exact bytes of the group
// coordinator's records as Kafka lays them out, every value version round-tripping through
// broker/groups/records.ts, and the group -> partition hash. The record schemas themselves are
// checked against Kafka's generated classes in record-schemas.test.ts.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeRecord, encodeRecord, javaStringHashCode, partitionFor } from '../../broker/groups/records.js';
import { encode } from '../../protocol/codec.js';
import { ConsumerProtocolAssignment, ConsumerProtocolSubscription, decodeSubscription } from '../../protocol/messages/consumer-protocol.js';
import {
  GroupMetadataValue,
  OffsetCommitKey,
  OffsetCommitValue,
  decodeVersioned,
  encodeVersioned,
} from '../../protocol/messages/group-records.js';
import { parseVersions, type Fields, type MessageSpec, type VersionRange } from '../../protocol/schema.js';
import { KAFKA_44_DIR } from './kafka-message-specs.js';

interface JsonField {
  name: string;
  type: string;
  versions: string;
  nullableVersions?: string;
  default?: string | number;
  fields?: JsonField[];
}

function loadSpec(rel: string): {
  name: string;
  validVersions: string;
  flexibleVersions: string;
  fields: JsonField[];
  commonStructs?: Array<{ name: string; fields: JsonField[] }>;
} {
  const path = join(KAFKA_44_DIR, rel);
  assert.ok(existsSync(path), `${path} is missing: run node test/jvm/resolve.mjs`);
  const text = readFileSync(path, 'utf8')
    .replace(/^\s*\/\/.*$/gm, '')
    .replace(/\/\/[^"\n]*$/gm, '');
  return JSON.parse(text);
}

const fmt = (r: VersionRange) =>
  r.min > r.max ? 'none' : r.max >= 32767 ? `${r.min}+` : r.min === r.max ? `${r.min}` : `${r.min}-${r.max}`;
const norm = (s: string | undefined) => fmt(parseVersions(s ?? 'none'));
const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

function compare(where: string, json: JsonField[], ours: Fields, common: Map<string, JsonField[]>): void {
  const names = Object.keys(ours);
  assert.deepEqual(
    names,
    json.map((f) => lowerFirst(f.name)),
    `${where}: field names and order`,
  );
  for (const fd of json) {
    const spec = ours[lowerFirst(fd.name)]!;
    const at = `${where}.${fd.name}`;
    const isArray = fd.type.startsWith('[]');
    const elem = isArray ? fd.type.slice(2) : fd.type;
    const sub = fd.fields ?? common.get(elem);
    assert.equal(spec.kind, isArray ? 'array' : sub ? 'struct' : 'primitive', `${at}: kind`);
    if (!sub) assert.equal(spec.type, elem, `${at}: type`);
    assert.equal(fmt(spec.versions), norm(fd.versions), `${at}: versions`);
    assert.equal(fmt(spec.nullable), norm(fd.nullableVersions), `${at}: nullableVersions`);
    if (fd.default !== undefined) {
      const expected =
        fd.default === 'null' ? null : typeof fd.default === 'string' && /^-?\d+$/.test(fd.default) ? Number(fd.default) : fd.default;
      assert.equal(spec.defaultValue, expected, `${at}: default`);
    }
    if (sub) compare(at, sub, spec.fields!, common);
  }
}

for (const [rel, msg] of [
  ['ConsumerProtocolSubscription.json', ConsumerProtocolSubscription],
  ['ConsumerProtocolAssignment.json', ConsumerProtocolAssignment],
] as Array<[string, MessageSpec]>) {
  test(`${msg.name} matches Kafka 4.4.0's ${rel}`, () => {
    const json = loadSpec(rel);
    assert.equal(msg.name, json.name);
    assert.equal(fmt(msg.validVersions), norm(json.validVersions), 'validVersions');
    assert.equal(fmt(msg.flexibleVersions), norm(json.flexibleVersions), 'flexibleVersions');
    compare(msg.name, json.fields, msg.fields, new Map((json.commonStructs ?? []).map((c) => [c.name, c.fields])));
  });
}

/** Kafka's layout, written out by hand: int16 version, then strings as int16 length + UTF-8. */
function str(s: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  const out = Buffer.alloc(2 + b.length);
  out.writeInt16BE(b.length, 0);
  b.copy(out, 2);
  return out;
}
const i16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
function i32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}
function i64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(n));
  return b;
}

test('offset commit record: key v1 {group, topic, partition}, value v4 {offset, leaderEpoch, metadata, commitTimestamp, tagged topicId}', () => {
  const rec = {
    kind: 'offset' as const,
    group: 'g',
    topic: 'orders',
    partition: 7,
    value: { offset: 42, leaderEpoch: 3, metadata: 'md', commitTimestamp: 1700000000000, expireTimestamp: null },
    topicId: 'AQEBAQEBAQEBAQEBAQEBAQ',
  };
  const { key, value } = encodeRecord(rec);
  assert.deepEqual(key, Buffer.concat([i16(1), str('g'), str('orders'), i32(7)]));
  // Flexible: compact string (length + 1), then one tagged field: tag 0, 16 bytes of uuid.
  const tagged = Buffer.concat([Buffer.from([1, 0, 16]), Buffer.alloc(16, 1)]);
  assert.deepEqual(value, Buffer.concat([i16(4), i64(42), i32(3), Buffer.from([3]), Buffer.from('md'), i64(1700000000000), tagged]));
  assert.deepEqual(decodeRecord(key, value), rec);
  const noId = encodeRecord({ ...rec, topicId: undefined });
  assert.deepEqual(
    noId.value,
    Buffer.concat([i16(4), i64(42), i32(3), Buffer.from([3]), Buffer.from('md'), i64(1700000000000), Buffer.from([0])]),
  );
});

test('offset commit with an expire timestamp is written as value v1 (no leader epoch); tombstones have no value', () => {
  const rec = {
    kind: 'offset' as const,
    group: 'g',
    topic: 't',
    partition: 0,
    value: { offset: 5, leaderEpoch: -1, metadata: '', commitTimestamp: 1000, expireTimestamp: 61000 },
  };
  const { key, value } = encodeRecord(rec);
  assert.deepEqual(value, Buffer.concat([i16(1), i64(5), str(''), i64(1000), i64(61000)]));
  assert.deepEqual(decodeRecord(key, value), rec);
  const tomb = encodeRecord({ ...rec, value: null });
  assert.equal(tomb.value, null);
  assert.deepEqual(decodeRecord(tomb.key, null), { ...rec, value: null });
});

test('every OffsetCommitValue version (0-4, and a newer flexible one) decodes', () => {
  const key = encodeRecord({ kind: 'offset', group: 'g', topic: 't', partition: 1, value: null }).key;
  for (let v = 0; v <= 4; v++) {
    const bytes = encodeVersioned(OffsetCommitValue, v, {
      offset: 9,
      leaderEpoch: 2,
      metadata: 'x',
      commitTimestamp: 77,
      expireTimestamp: 88,
    });
    const rec = decodeRecord(key, bytes);
    assert.equal(rec.kind, 'offset');
    if (rec.kind !== 'offset') return;
    assert.equal(rec.value!.offset, 9, `v${v}`);
    assert.equal(rec.value!.leaderEpoch, v >= 3 ? 2 : -1, `v${v} leader epoch`);
    assert.equal(rec.value!.expireTimestamp, v === 1 ? 88 : null, `v${v} expire timestamp`);
  }
  const v5 = Buffer.concat([i16(5), encode(OffsetCommitValue, 4, { offset: 11, leaderEpoch: 1, metadata: 'y', commitTimestamp: 5 })]);
  const rec = decodeRecord(key, v5);
  assert.equal(rec.kind === 'offset' && rec.value!.offset, 11);
  // Key v0 is the same struct.
  const k0 = encodeVersioned(OffsetCommitKey, 0, { group: 'g0', topic: 't0', partition: 2 });
  assert.deepEqual(decodeRecord(k0, null), { kind: 'offset', group: 'g0', topic: 't0', partition: 2, value: null });
});

test('group metadata record: key v2 {group}, value v3 with members; every value version decodes', () => {
  const member = {
    memberId: 'm-1',
    groupInstanceId: 'inst',
    clientId: 'c',
    clientHost: '/127.0.0.1',
    rebalanceTimeout: 300000,
    sessionTimeout: 10000,
    subscription: Buffer.from([0, 0, 0, 0, 0, 1, 0, 1, 116, 0, 0, 0, 0]),
    assignment: Buffer.from([1, 2]),
  };
  const value = {
    protocolType: 'consumer',
    generation: 4,
    protocol: 'range',
    leader: 'm-1',
    currentStateTimestamp: 123,
    members: [member],
  };
  const enc = encodeRecord({ kind: 'group', group: 'grp', value });
  assert.deepEqual(enc.key, Buffer.concat([i16(2), str('grp')]));
  const expected = Buffer.concat([
    i16(3),
    str('consumer'),
    i32(4),
    str('range'),
    str('m-1'),
    i64(123),
    i32(1),
    str('m-1'),
    str('inst'),
    str('c'),
    str('/127.0.0.1'),
    i32(300000),
    i32(10000),
    i32(member.subscription.length),
    member.subscription,
    i32(2),
    member.assignment,
  ]);
  assert.deepEqual(enc.value, expected);
  assert.deepEqual(decodeRecord(enc.key, enc.value), { kind: 'group', group: 'grp', value });
  for (let v = 0; v <= 4; v++) {
    const rec = decodeRecord(enc.key, encodeVersioned(GroupMetadataValue, v, value));
    assert.equal(rec.kind, 'group');
    if (rec.kind !== 'group') return;
    assert.equal(rec.value!.members[0]!.groupInstanceId, v >= 3 ? 'inst' : null, `v${v}`);
    assert.equal(rec.value!.members[0]!.rebalanceTimeout, v >= 1 ? 300000 : -1, `v${v}`);
    assert.equal(rec.value!.currentStateTimestamp, v >= 2 ? 123 : -1, `v${v}`);
  }
  assert.deepEqual(decodeRecord(enc.key, null), { kind: 'group', group: 'grp', value: null });
  // Key versions 3-8 are KIP-848 consumer group records (groups-kip848-persistence.test.ts); 9+ (share groups) are not replayed.
  assert.deepEqual(decodeRecord(i16(9), null), { kind: 'other', keyVersion: 9 });
});

test('consumer protocol subscription: every version decodes, a newer one with the newest format', () => {
  for (let v = 0; v <= 3; v++) {
    const bytes = encodeVersioned(ConsumerProtocolSubscription, v, {
      topics: ['a', 'b'],
      userData: null,
      ownedPartitions: [{ topic: 'a', partitions: [0] }],
      generationId: 3,
      rackId: 'r',
    });
    assert.deepEqual(decodeSubscription(bytes).topics, ['a', 'b'], `v${v}`);
  }
  const v9 = Buffer.concat([i16(9), encode(ConsumerProtocolSubscription, 3, { topics: ['z'] })]);
  assert.deepEqual(decodeSubscription(v9).topics, ['z']);
  assert.throws(() => decodeVersioned(OffsetCommitKey, Buffer.concat([i16(7), str('g')])), /unknown version 7/);
});

test('group -> __consumer_offsets partition uses Java String.hashCode (abs, MIN_VALUE counts as 0)', () => {
  assert.equal(javaStringHashCode(''), 0);
  assert.equal(javaStringHashCode('console-consumer-12345'), 158455506);
  assert.equal(partitionFor('console-consumer-12345', 50), 6);
  // Negative hash: abs.
  assert.equal(javaStringHashCode('my-group'), -1906497762);
  assert.equal(partitionFor('my-group', 50), 12);
  assert.equal(javaStringHashCode('polygenelubricants'), -2147483648);
  assert.equal(partitionFor('polygenelubricants', 50), 0);
  // UTF-16 code units, not bytes or code points.
  assert.equal(javaStringHashCode('é😀'), (((0xe9 * 31 + 0xd83d) | 0) * 31 + 0xde00) | 0);
});
