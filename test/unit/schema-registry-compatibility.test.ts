// Schema evolution verdicts of the Schema Registry's compatibility checks
// (broker/schema-registry/{avro,json-schema,protobuf,compatibility}.ts), one table per type.
// Each row: the old and new schema and the verdict under BACKWARD (the new schema reads data
// written with the old) and FORWARD (the old reads the new); FULL is both. The verdicts are the
// ones Confluent documents: the Avro specification's resolution rules for Avro ("Schema
// Evolution and Compatibility" in Confluent's docs), Confluent's JSON Schema content-model rules
// and its Protobuf rules (the compatible change sets of SchemaDiff in its json-schema-provider
// and protobuf-provider).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { avroProvider } from '../../broker/schema-registry/avro.js';
import { compatibilityMessages, type CompatibilityLevel } from '../../broker/schema-registry/compatibility.js';
import { jsonSchemaProvider } from '../../broker/schema-registry/json-schema.js';
import { protobufProvider } from '../../broker/schema-registry/protobuf.js';
import type { SchemaProvider } from '../../broker/schema-registry/types.js';

interface Row {
  name: string;
  old: unknown;
  new: unknown;
  backward: boolean;
  forward: boolean;
}

function verdict(provider: SchemaProvider, level: CompatibilityLevel, versions: unknown[], candidate: unknown): string[] {
  const text = (s: unknown) => (typeof s === 'string' ? s : JSON.stringify(s));
  const previous = versions.map((s, i) => ({ version: i + 1, parsed: provider.parse(text(s), []) }));
  return compatibilityMessages(provider, level, provider.parse(text(candidate), []), previous);
}

function runTable(provider: SchemaProvider, rows: Row[]): void {
  for (const row of rows) {
    test(`${provider.type}: ${row.name} -> BACKWARD ${row.backward ? 'ok' : 'refused'}, FORWARD ${row.forward ? 'ok' : 'refused'}`, () => {
      const b = verdict(provider, 'BACKWARD', [row.old], row.new);
      const f = verdict(provider, 'FORWARD', [row.old], row.new);
      const full = verdict(provider, 'FULL', [row.old], row.new);
      assert.equal(b.length === 0, row.backward, `BACKWARD: ${b.join('\n')}`);
      assert.equal(f.length === 0, row.forward, `FORWARD: ${f.join('\n')}`);
      assert.equal(full.length === 0, row.backward && row.forward, `FULL: ${full.join('\n')}`);
      assert.equal(verdict(provider, 'NONE', [row.old], row.new).length, 0);
    });
  }
}

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

// ---- JSON Schema ------------------------------------------------------------------------------
const obj = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: 'object', properties, ...extra });
const closed = { additionalProperties: false };

runTable(jsonSchemaProvider, [
  {
    name: 'property added to an open content model',
    old: obj({ a: { type: 'string' } }),
    new: obj({ a: { type: 'string' }, b: { type: 'integer' } }),
    backward: false,
    forward: true,
  },
  {
    name: 'optional property added to a closed content model',
    old: obj({ a: { type: 'string' } }, closed),
    new: obj({ a: { type: 'string' }, b: { type: 'integer' } }, closed),
    backward: true,
    forward: false,
  },
  {
    name: 'required property added to a closed content model',
    old: obj({ a: { type: 'string' } }, closed),
    new: obj({ a: { type: 'string' }, b: { type: 'integer' } }, { ...closed, required: ['b'] }),
    backward: false,
    forward: false,
  },
  {
    name: 'required property with a default added to a closed content model',
    old: obj({ a: { type: 'string' } }, closed),
    new: obj({ a: { type: 'string' }, b: { type: 'integer', default: 0 } }, { ...closed, required: ['b'] }),
    backward: true,
    forward: false,
  },
  {
    name: 'property with an empty schema added to an open content model',
    old: obj({ a: { type: 'string' } }),
    new: obj({ a: { type: 'string' }, b: {} }),
    backward: true,
    forward: true,
  },
  {
    name: 'property removed from an open content model',
    old: obj({ a: { type: 'string' }, b: { type: 'integer' } }),
    new: obj({ a: { type: 'string' } }),
    backward: true,
    forward: false,
  },
  {
    name: 'type extended (string -> string | null)',
    old: obj({ a: { type: 'string' } }),
    new: obj({ a: { type: ['string', 'null'] } }),
    backward: true,
    forward: false,
  },
  {
    name: 'integer widened to number',
    old: obj({ a: { type: 'integer' } }),
    new: obj({ a: { type: 'number' } }),
    backward: true,
    forward: false,
  },
  {
    name: 'string changed to integer',
    old: obj({ a: { type: 'string' } }),
    new: obj({ a: { type: 'integer' } }),
    backward: false,
    forward: false,
  },
  {
    name: 'enum extended',
    old: obj({ s: { enum: ['NEW', 'PAID'] } }),
    new: obj({ s: { enum: ['NEW', 'PAID', 'SHIPPED'] } }),
    backward: true,
    forward: false,
  },
  {
    name: 'maxLength added',
    old: obj({ a: { type: 'string' } }),
    new: obj({ a: { type: 'string', maxLength: 10 } }),
    backward: false,
    forward: true,
  },
  {
    name: 'maxLength increased',
    old: obj({ a: { type: 'string', maxLength: 10 } }),
    new: obj({ a: { type: 'string', maxLength: 20 } }),
    backward: true,
    forward: false,
  },
  {
    name: 'required attribute removed',
    old: obj({ a: { type: 'string' } }, { required: ['a'] }),
    new: obj({ a: { type: 'string' } }),
    backward: true,
    forward: false,
  },
  {
    name: 'additionalProperties false removed (closed -> open)',
    old: obj({ a: { type: 'string' } }, closed),
    new: obj({ a: { type: 'string' } }),
    backward: true,
    forward: false,
  },
  {
    name: 'oneOf gains a branch',
    old: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
    new: { oneOf: [{ type: 'string' }, { type: 'integer' }, { type: 'boolean' }] },
    backward: true,
    forward: false,
  },
  {
    name: 'array items narrowed number -> integer',
    old: { type: 'array', items: { type: 'number' } },
    new: { type: 'array', items: { type: 'integer' } },
    backward: false,
    forward: true,
  },
  {
    name: '$ref to a definition that gains a property (2020-12, $defs)',
    old: { $schema: 'https://json-schema.org/draft/2020-12/schema', $defs: { A: obj({ x: { type: 'string' } }) }, $ref: '#/$defs/A' },
    new: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $defs: { A: obj({ x: { type: 'string' }, y: { type: 'string' } }) },
      $ref: '#/$defs/A',
    },
    backward: false,
    forward: true,
  },
]);

test('JSON: drafts 4 to 2020-12 parse; an invalid schema is refused', () => {
  for (const uri of [
    'http://json-schema.org/draft-04/schema#',
    'http://json-schema.org/draft-06/schema#',
    'http://json-schema.org/draft-07/schema#',
    'https://json-schema.org/draft/2019-09/schema',
    'https://json-schema.org/draft/2020-12/schema',
  ])
    jsonSchemaProvider.parse(JSON.stringify({ $schema: uri, type: 'object', properties: { a: { type: 'string', format: 'email' } } }), []);
  assert.throws(() => jsonSchemaProvider.parse('{"type": 12}', []), /Invalid schema/);
  assert.throws(() => jsonSchemaProvider.parse('[1]', []), /Invalid schema/);
});

// ---- Protobuf ---------------------------------------------------------------------------------
const proto = (body: string, pkg = 'shop') => `syntax = "proto3";\npackage ${pkg};\n${body}\n`;

runTable(protobufProvider, [
  {
    name: 'field added',
    old: proto('message Order { int32 id = 1; }'),
    new: proto('message Order { int32 id = 1; string note = 2; }'),
    backward: true,
    forward: true,
  },
  {
    name: 'field removed',
    old: proto('message Order { int32 id = 1; string note = 2; }'),
    new: proto('message Order { int32 id = 1; }'),
    backward: true,
    forward: true,
  },
  {
    name: 'field renamed, same number',
    old: proto('message Order { int32 id = 1; }'),
    new: proto('message Order { int32 order_id = 1; }'),
    backward: true,
    forward: true,
  },
  {
    name: 'int32 -> int64 (same wire group)',
    old: proto('message Order { int32 id = 1; }'),
    new: proto('message Order { int64 id = 1; }'),
    backward: true,
    forward: true,
  },
  {
    name: 'string -> bytes',
    old: proto('message Order { string s = 1; }'),
    new: proto('message Order { bytes s = 1; }'),
    backward: true,
    forward: true,
  },
  {
    name: 'int32 -> sint32 (another wire group)',
    old: proto('message Order { int32 id = 1; }'),
    new: proto('message Order { sint32 id = 1; }'),
    backward: false,
    forward: false,
  },
  {
    name: 'int32 -> string',
    old: proto('message Order { int32 id = 1; }'),
    new: proto('message Order { string id = 1; }'),
    backward: false,
    forward: false,
  },
  {
    name: 'field number reused with another type',
    old: proto('message Order { int32 id = 1; }'),
    new: proto('message Order { string name = 1; }'),
    backward: false,
    forward: false,
  },
  {
    name: 'scalar -> message',
    old: proto('message Order { int32 a = 1; }'),
    new: proto('message Order { Money a = 1; } message Money { int64 cents = 1; }'),
    backward: false,
    forward: false,
  },
  {
    name: 'message removed',
    old: proto('message Order { int32 id = 1; } message Item { int32 n = 1; }'),
    new: proto('message Order { int32 id = 1; }'),
    backward: false,
    forward: true,
  },
  {
    name: 'message added',
    old: proto('message Order { int32 id = 1; }'),
    new: proto('message Order { int32 id = 1; } message Item { int32 n = 1; }'),
    backward: true,
    forward: false,
  },
  {
    name: 'enum value added',
    old: proto('enum S { NEW = 0; } message Order { S s = 1; }'),
    new: proto('enum S { NEW = 0; PAID = 1; } message Order { S s = 1; }'),
    backward: true,
    forward: true,
  },
  {
    name: 'package changed',
    old: proto('message Order { int32 id = 1; }'),
    new: proto('message Order { int32 id = 1; }', 'store'),
    backward: false,
    forward: false,
  },
  {
    name: 'repeated int32 -> int32',
    old: proto('message Order { repeated int32 n = 1; }'),
    new: proto('message Order { int32 n = 1; }'),
    backward: false,
    forward: false,
  },
  {
    name: 'repeated string -> string',
    old: proto('message Order { repeated string n = 1; }'),
    new: proto('message Order { string n = 1; }'),
    backward: true,
    forward: true,
  },
  {
    name: 'one field moved into a new oneof',
    old: proto('message Order { int32 a = 1; int32 b = 2; }'),
    new: proto('message Order { oneof x { int32 a = 1; } int32 b = 2; }'),
    backward: true,
    forward: true,
  },
  {
    name: 'two fields moved into a new oneof',
    old: proto('message Order { int32 a = 1; int32 b = 2; }'),
    new: proto('message Order { oneof x { int32 a = 1; int32 b = 2; } }'),
    backward: false,
    forward: true,
  },
  {
    name: 'nested message field changes kind',
    old: proto('message Order { Item i = 1; } message Item { int32 n = 1; }'),
    new: proto('message Order { Item i = 1; } message Item { string n = 1; }'),
    backward: false,
    forward: false,
  },
]);

test('PROTOBUF: a schema sent as text and as a base64 FileDescriptorProto has one normal form; bad text is refused', async () => {
  const text = proto('message Order { int32 id = 1; repeated string tags = 2; }');
  const parsed = protobufProvider.parse(text, []);
  const protobuf = (await import('protobufjs')).default;
  const descriptor = (await import('protobufjs/ext/descriptor/index.js')).default as unknown as import('protobufjs').Root;
  const root = protobuf.parse(text, { keepCase: true }).root;
  const set = (root as unknown as { toDescriptor(s: string): { file: unknown[] } }).toDescriptor('proto3');
  const bytes = descriptor
    .lookupType('FileDescriptorProto')
    .encode(set.file[0] as object)
    .finish();
  const fromDescriptor = protobufProvider.parse(Buffer.from(bytes).toString('base64'), []);
  assert.equal(fromDescriptor.canonical, parsed.canonical);
  assert.throws(() => protobufProvider.parse('syntax = "proto3"; message { }', []), /Invalid schema/);
  assert.throws(() => protobufProvider.parse(proto('message A { Missing m = 1; }'), []), /Invalid schema/);
});
