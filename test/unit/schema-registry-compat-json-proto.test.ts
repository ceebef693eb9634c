// Schema evolution verdicts of the Schema Registry's compatibility checks
// (broker/schema-registry/{avro,json-schema,protobuf,compatibility}.ts), the JSON Schema and Protobuf
// tables (Avro: schema-registry-compat-avro.test.ts).
// Each row: the old and new schema and the verdict under BACKWARD (the new schema reads data
// written with the old) and FORWARD (the old reads the new); FULL is both. The verdicts are the
// ones Confluent documents: the Avro specification's resolution rules for Avro ("Schema
// Evolution and Compatibility" in Confluent's docs), Confluent's JSON Schema content-model rules
// and its Protobuf rules (the compatible change sets of SchemaDiff in its json-schema-provider
// and protobuf-provider).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonSchemaProvider } from '../../broker/schema-registry/json-schema.js';
import { protobufProvider } from '../../broker/schema-registry/protobuf.js';
import { runTable } from './schema-registry-compat-table.js';

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
