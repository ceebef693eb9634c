// Schema evolution verdicts of the Schema Registry's compatibility checks
// (broker/schema-registry/{avro,json-schema,protobuf,compatibility}.ts), the Avro table (JSON Schema and
// Protobuf: schema-registry-compat-json-proto.test.ts).
// Each row: the old and new schema and the verdict under BACKWARD (the new schema reads data
// written with the old) and FORWARD (the old reads the new); FULL is both. The verdicts are the
// ones Confluent documents: the Avro specification's resolution rules for Avro ("Schema
// Evolution and Compatibility" in Confluent's docs), Confluent's JSON Schema content-model rules
// and its Protobuf rules (the compatible change sets of SchemaDiff in its json-schema-provider
// and protobuf-provider).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { avroProvider } from '../../broker/schema-registry/avro.js';
import { runTable, verdict } from './schema-registry-compat-table.js';

// ---- Avro -------------------------------------------------------------------------------------
const rec = (fields: unknown[], extra: Record<string, unknown> = {}) => ({
  type: 'record',
  name: 'Order',
  namespace: 'shop',
  fields,
  ...extra,
});
const id = { name: 'id', type: 'int' };

runTable(avroProvider, [
  {
    name: 'field added with a default',
    old: rec([id]),
    new: rec([id, { name: 'note', type: 'string', default: '' }]),
    backward: true,
    forward: true,
  },
  {
    name: 'field added without a default',
    old: rec([id]),
    new: rec([id, { name: 'note', type: 'string' }]),
    backward: false,
    forward: true,
  },
  {
    name: 'field with a default removed',
    old: rec([id, { name: 'note', type: 'string', default: '' }]),
    new: rec([id]),
    backward: true,
    forward: true,
  },
  {
    name: 'field without a default removed',
    old: rec([id, { name: 'note', type: 'string' }]),
    new: rec([id]),
    backward: true,
    forward: false,
  },
  { name: 'int promoted to long', old: rec([id]), new: rec([{ name: 'id', type: 'long' }]), backward: true, forward: false },
  { name: 'long narrowed to int', old: rec([{ name: 'id', type: 'long' }]), new: rec([id]), backward: false, forward: true },
  { name: 'int promoted to double', old: rec([id]), new: rec([{ name: 'id', type: 'double' }]), backward: true, forward: false },
  {
    name: 'float promoted to double',
    old: rec([{ name: 'p', type: 'float' }]),
    new: rec([{ name: 'p', type: 'double' }]),
    backward: true,
    forward: false,
  },
  {
    name: 'string to bytes',
    old: rec([{ name: 's', type: 'string' }]),
    new: rec([{ name: 's', type: 'bytes' }]),
    backward: true,
    forward: true,
  },
  { name: 'int changed to string', old: rec([id]), new: rec([{ name: 'id', type: 'string' }]), backward: false, forward: false },
  {
    name: 'field renamed with an alias',
    old: rec([id, { name: 'note', type: 'string' }]),
    new: rec([id, { name: 'comment', type: 'string', aliases: ['note'] }]),
    backward: true,
    forward: false,
  },
  {
    name: 'field renamed without an alias',
    old: rec([id, { name: 'note', type: 'string' }]),
    new: rec([id, { name: 'comment', type: 'string' }]),
    backward: false,
    forward: false,
  },
  {
    name: 'enum symbol added',
    old: rec([{ name: 's', type: { type: 'enum', name: 'Status', symbols: ['NEW', 'PAID'] } }]),
    new: rec([{ name: 's', type: { type: 'enum', name: 'Status', symbols: ['NEW', 'PAID', 'SHIPPED'] } }]),
    backward: true,
    forward: false,
  },
  {
    name: 'enum symbol added, the old enum has a default',
    old: rec([{ name: 's', type: { type: 'enum', name: 'Status', symbols: ['NEW', 'PAID'], default: 'NEW' } }]),
    new: rec([{ name: 's', type: { type: 'enum', name: 'Status', symbols: ['NEW', 'PAID', 'SHIPPED'], default: 'NEW' } }]),
    backward: true,
    forward: true,
  },
  {
    name: 'enum symbol removed',
    old: rec([{ name: 's', type: { type: 'enum', name: 'Status', symbols: ['NEW', 'PAID'] } }]),
    new: rec([{ name: 's', type: { type: 'enum', name: 'Status', symbols: ['NEW'] } }]),
    backward: false,
    forward: true,
  },
  {
    name: 'union branch added',
    old: rec([{ name: 'x', type: ['null', 'string'] }]),
    new: rec([{ name: 'x', type: ['null', 'string', 'int'] }]),
    backward: true,
    forward: false,
  },
  {
    name: 'field made nullable (string -> [null, string])',
    old: rec([{ name: 'x', type: 'string' }]),
    new: rec([{ name: 'x', type: ['null', 'string'] }]),
    backward: true,
    forward: false,
  },
  { name: 'record renamed', old: rec([id]), new: { ...rec([id]), name: 'Purchase' }, backward: false, forward: false },
  {
    name: 'record renamed with an alias',
    old: rec([id]),
    new: { ...rec([id]), name: 'Purchase', aliases: ['Order'] },
    backward: true,
    forward: false,
  },
  {
    name: 'fixed size changed',
    old: rec([{ name: 'h', type: { type: 'fixed', name: 'Hash', size: 16 } }]),
    new: rec([{ name: 'h', type: { type: 'fixed', name: 'Hash', size: 32 } }]),
    backward: false,
    forward: false,
  },
  {
    name: 'array items promoted int -> long',
    old: rec([{ name: 'a', type: { type: 'array', items: 'int' } }]),
    new: rec([{ name: 'a', type: { type: 'array', items: 'long' } }]),
    backward: true,
    forward: false,
  },
  {
    name: 'map values changed long -> string',
    old: rec([{ name: 'm', type: { type: 'map', values: 'long' } }]),
    new: rec([{ name: 'm', type: { type: 'map', values: 'string' } }]),
    backward: false,
    forward: false,
  },
  {
    name: 'nested record gains a field without a default',
    old: rec([{ name: 'addr', type: rec([{ name: 'city', type: 'string' }], { name: 'Address' }) }]),
    new: rec([
      {
        name: 'addr',
        type: rec(
          [
            { name: 'city', type: 'string' },
            { name: 'zip', type: 'string' },
          ],
          { name: 'Address' },
        ),
      },
    ]),
    backward: false,
    forward: true,
  },
  { name: 'primitive schema int -> long', old: '"int"', new: '"long"', backward: true, forward: false },
]);

test('AVRO: BACKWARD_TRANSITIVE checks every version, BACKWARD only the latest', () => {
  const v1 = rec([id]);
  const v2 = rec([id, { name: 'note', type: 'string', default: '' }]);
  const v3 = rec([id, { name: 'note', type: 'string' }]);
  assert.deepEqual(verdict(avroProvider, 'BACKWARD', [v1, v2], v3), []);
  const transitive = verdict(avroProvider, 'BACKWARD_TRANSITIVE', [v1, v2], v3);
  assert.match(transitive[0]!, /READER_FIELD_MISSING_DEFAULT_VALUE/);
  assert.ok(transitive.includes('{oldSchemaVersion: 1}'), transitive.join('\n'));
  assert.ok(transitive.includes("{compatibility: 'BACKWARD_TRANSITIVE'}"));
  // FORWARD_TRANSITIVE: v1 cannot read v3? It can (v1 ignores note); FULL_TRANSITIVE fails on the backward side.
  assert.deepEqual(verdict(avroProvider, 'FORWARD_TRANSITIVE', [v1, v2], v3), []);
  assert.notDeepEqual(verdict(avroProvider, 'FULL_TRANSITIVE', [v1, v2], v3), []);
});

test('AVRO: the same schema formatted differently has one normal form; a changed default does not', () => {
  const a = avroProvider.parse(JSON.stringify(rec([id])), []);
  const b = avroProvider.parse(
    `{ "fields": [ {"type":"int", "name":"id"} ],\n "namespace": "shop", "name": "Order", "type": "record" }`,
    [],
  );
  assert.equal(a.canonical, b.canonical);
  const c = avroProvider.parse(JSON.stringify(rec([{ ...id, default: 1 }])), []);
  assert.notEqual(a.canonical, c.canonical);
  assert.throws(() => avroProvider.parse('{"type":"record","name":"X","fields":[{"name":"a","type":"nope"}]}', []), /nope/);
});
