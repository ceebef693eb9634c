// Protobuf schemas: `.proto` text (or, as confluent-kafka-python sends it, a base64
// FileDescriptorProto) parsed with protobufjs; imports resolve to the referenced schemas by
// their reference name, and to protobufjs' copies of Google's well-known types
// (google/protobuf/timestamp.proto, ...) when no reference names them, as Confluent's registry
// knows those itself. Compared by the main file's definitions as sorted JSON, so a schema sent
// as text and as a descriptor is the same schema.
//
// Compatibility follows Confluent's Protobuf rules (protobuf-provider,
// io.confluent.kafka.schemaregistry.protobuf.diff.SchemaDiff): its compatible changes are
// MESSAGE_ADDED, ENUM_ADDED/REMOVED, ENUM_CONST_ADDED/CHANGED/REMOVED, FIELD_ADDED, FIELD_REMOVED,
// FIELD_NAME_CHANGED, FIELD_STRING_OR_BYTES_LABEL_CHANGED, ONEOF_ADDED/REMOVED, ONEOF_FIELD_ADDED
// and ONEOF_FIELD_MOVED_TO_TOP_LEVEL; anything else found is incompatible: PACKAGE_CHANGED,
// MESSAGE_REMOVED, FIELD_KIND_CHANGED (scalar, message, enum, map), FIELD_SCALAR_KIND_CHANGED
// (outside its wire group: int32 int64 uint32 uint64 bool | sint32 sint64 | fixed32 sfixed32 |
// fixed64 sfixed64 | float | double | string bytes), FIELD_NAMED_TYPE_CHANGED,
// FIELD_NUMERIC_LABEL_CHANGED, REQUIRED_FIELD_ADDED/REMOVED, MULTIPLE_FIELDS_MOVED_TO_ONEOF,
// FIELD_MOVED_TO_EXISTING_ONEOF. Fields are matched by number, so reusing a removed field's
// number with another type shows as a kind change.

import protobuf from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor/index.js';
import { sortedJson } from './avro.js';
import type { ParsedSchema, ResolvedReference, SchemaProvider } from './types.js';

interface ProtoModel {
  /** Everything: the main file, its references, well-known types; resolved. */
  root: protobuf.Root;
  /** Full names (without the leading dot) of the messages the main file declares. */
  messages: string[];
  packageName: string;
}

const FileDescriptorProto = (descriptor as unknown as protobuf.Root).lookupType('FileDescriptorProto');

/** True when `text` looks like base64 (a serialized FileDescriptorProto) rather than .proto source. */
function isBase64Descriptor(text: string): boolean {
  return /^[A-Za-z0-9+/=\s]+$/.test(text) && !/\b(syntax|message|package|enum)\b/.test(text);
}

/** Parses one file into `root`; returns its package and imports. */
function parseInto(text: string, root: protobuf.Root, fileName: string): { pkg: string; imports: string[] } {
  if (isBase64Descriptor(text)) {
    const fdp = FileDescriptorProto.decode(Buffer.from(text, 'base64')) as unknown as {
      name?: string;
      package?: string;
      dependency?: string[];
    };
    // fromDescriptor() resolves the file's types at its end, which fails while the types it
    // imports are elsewhere (they are in `root`): resolution waits for parseProtobuf's resolveAll.
    const resolveAll = protobuf.Root.prototype.resolveAll;
    protobuf.Root.prototype.resolveAll = function (this: protobuf.Root) {
      return this;
    };
    let fromDesc: protobuf.Root;
    try {
      fromDesc = (protobuf.Root as unknown as { fromDescriptor(d: unknown): protobuf.Root }).fromDescriptor({ file: [fdp] });
    } finally {
      protobuf.Root.prototype.resolveAll = resolveAll;
    }
    const json = fromDesc.toJSON().nested;
    if (json) root.addJSON(json);
    return { pkg: fdp.package ?? '', imports: fdp.dependency ?? [] };
  }
  const parsed = protobuf.parse(text, root, { keepCase: true, alternateCommentMode: true });
  (parsed as { filename?: string }).filename = fileName;
  return { pkg: parsed.package ?? '', imports: [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])] };
}

function collectTypes(ns: protobuf.NamespaceBase, out: string[]): void {
  for (const nested of ns.nestedArray) {
    if (nested instanceof protobuf.Type) out.push(nested.fullName.slice(1));
    if (nested instanceof protobuf.Namespace || nested instanceof protobuf.Type) collectTypes(nested as protobuf.NamespaceBase, out);
  }
}

export function parseProtobuf(schema: string, references: readonly ResolvedReference[]): { model: ProtoModel; canonical: string } {
  const root = new protobuf.Root();
  const loaded = new Set<string>();
  const addRefs = (refs: readonly ResolvedReference[]) => {
    for (const ref of refs) {
      if (loaded.has(ref.name)) continue;
      loaded.add(ref.name);
      addRefs(ref.references);
      const { imports } = parseInto(ref.schema, root, ref.name);
      addKnown(imports);
    }
  };
  const addKnown = (imports: string[]) => {
    for (const imp of imports) {
      if (loaded.has(imp)) continue;
      const known = protobuf.common.get(imp) as { nested?: Record<string, unknown> } | null;
      if (known?.nested) {
        loaded.add(imp);
        root.addJSON(known.nested as Record<string, protobuf.AnyNestedObject>);
      }
    }
  };
  addRefs(references);
  const alone = new protobuf.Root();
  let pkg: string;
  try {
    const { imports } = parseInto(schema, root, 'main.proto');
    pkg = parseInto(schema, alone, 'main.proto').pkg;
    addKnown(imports);
    root.resolveAll();
  } catch (err) {
    throw new Error(`Invalid schema: ${(err as Error).message}`);
  }
  const messages: string[] = [];
  collectTypes(alone, messages);
  return { model: { root, messages, packageName: pkg }, canonical: sortedJson(withoutOptions(alone.toJSON())) };
}

/** The definitions without their options: a descriptor spells out defaults (packed=false) that the text leaves implicit. */
function withoutOptions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutOptions);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (k !== 'options') out[k] = withoutOptions(v);
  return out;
}

const SCALAR_GROUPS: Record<string, string> = {
  int32: 'GENERAL_NUMBER',
  int64: 'GENERAL_NUMBER',
  uint32: 'GENERAL_NUMBER',
  uint64: 'GENERAL_NUMBER',
  bool: 'GENERAL_NUMBER',
  sint32: 'SIGNED_NUMBER',
  sint64: 'SIGNED_NUMBER',
  fixed32: 'FIXED32',
  sfixed32: 'FIXED32',
  fixed64: 'FIXED64',
  sfixed64: 'FIXED64',
  float: 'FLOAT',
  double: 'DOUBLE',
  string: 'STRING_OR_BYTES',
  bytes: 'STRING_OR_BYTES',
};

function fieldKind(f: protobuf.Field): string {
  if ((f as unknown as protobuf.MapField).map) return 'MAP';
  if (f.resolvedType instanceof protobuf.Enum) return 'ENUM';
  if (f.resolvedType instanceof protobuf.Type) return 'MESSAGE';
  return 'SCALAR';
}

export function protobufIncompatibilities(reader: ProtoModel, writer: ProtoModel): string[] {
  const out: string[] = [];
  const diff = (type: string, path: string, description: string) =>
    out.push(`{errorType:"${type}", description:"${description} at path '${path}'"}`);
  if (reader.packageName !== writer.packageName)
    diff('PACKAGE_CHANGED', '#/', 'The package in the new schema does not match the package in the old schema');
  const local = (model: ProtoModel, fullName: string) =>
    model.packageName && fullName.startsWith(`${model.packageName}.`) ? fullName.slice(model.packageName.length + 1) : fullName;
  const seen = new Set<string>();

  const compareMessage = (o: protobuf.Type, u: protobuf.Type, path: string): void => {
    const key = `${o.fullName}|${u.fullName}`;
    if (seen.has(key)) return;
    seen.add(key);
    const uById = new Map(u.fieldsArray.map((f) => [f.id, f]));
    const oById = new Map(o.fieldsArray.map((f) => [f.id, f]));
    for (const of of o.fieldsArray) {
      const fp = `${path}/${of.id}`;
      const uf = uById.get(of.id);
      if (!uf) {
        if (of.required) diff('REQUIRED_FIELD_REMOVED', fp, 'A required field in the old schema is missing in the new schema');
        continue;
      }
      if (of.required !== uf.required)
        diff(uf.required ? 'REQUIRED_FIELD_ADDED' : 'REQUIRED_FIELD_REMOVED', fp, 'The required label changed');
      compareField(of, uf, fp);
      if (of.partOf && !uf.partOf) continue; // ONEOF_FIELD_MOVED_TO_TOP_LEVEL
      if (!of.partOf && uf.partOf) {
        const movedTogether = uf.partOf.fieldsArray.filter((f) => oById.has(f.id) && !oById.get(f.id)!.partOf);
        const oneofExisted = o.oneofsArray.some((x) => x.name === uf.partOf!.name);
        if (oneofExisted) diff('FIELD_MOVED_TO_EXISTING_ONEOF', fp, 'A field in the old schema is in an existing oneof in the new schema');
        else if (movedTogether.length > 1)
          diff('MULTIPLE_FIELDS_MOVED_TO_ONEOF', fp, 'Multiple fields in the old schema are in a new oneof in the new schema');
      }
    }
    for (const uf of u.fieldsArray) {
      if (!oById.has(uf.id) && uf.required) diff('REQUIRED_FIELD_ADDED', `${path}/${uf.id}`, 'The new schema adds a required field');
    }
  };

  const compareField = (of: protobuf.Field, uf: protobuf.Field, path: string): void => {
    const ok = fieldKind(of);
    const uk = fieldKind(uf);
    if (ok !== uk) {
      diff('FIELD_KIND_CHANGED', path, 'The kind of a field in the old schema does not match its kind in the new schema');
      return;
    }
    if (ok === 'SCALAR') {
      if (SCALAR_GROUPS[of.type] !== SCALAR_GROUPS[uf.type])
        diff(
          'FIELD_SCALAR_KIND_CHANGED',
          path,
          'The scalar kind of a field in the old schema does not match its scalar kind in the new schema',
        );
      else if (of.repeated !== uf.repeated && SCALAR_GROUPS[of.type] !== 'STRING_OR_BYTES')
        diff(
          'FIELD_NUMERIC_LABEL_CHANGED',
          path,
          'The label of a numeric field in the old schema does not match its label in the new schema',
        );
      return;
    }
    if (ok === 'MAP') {
      const om = of as unknown as protobuf.MapField;
      const um = uf as unknown as protobuf.MapField;
      if (SCALAR_GROUPS[om.keyType] !== SCALAR_GROUPS[um.keyType])
        diff('FIELD_SCALAR_KIND_CHANGED', `${path}/key`, 'The map key kind changed');
      if (om.resolvedType || um.resolvedType) {
        if (
          !om.resolvedType ||
          !um.resolvedType ||
          local(writer, om.resolvedType.fullName.slice(1)) !== local(reader, um.resolvedType.fullName.slice(1))
        )
          diff('FIELD_NAMED_TYPE_CHANGED', `${path}/value`, 'The map value type changed');
      } else if (SCALAR_GROUPS[om.type] !== SCALAR_GROUPS[um.type])
        diff('FIELD_SCALAR_KIND_CHANGED', `${path}/value`, 'The map value kind changed');
      return;
    }
    const ot = of.resolvedType!;
    const ut = uf.resolvedType!;
    if (local(writer, ot.fullName.slice(1)) !== local(reader, ut.fullName.slice(1))) {
      diff('FIELD_NAMED_TYPE_CHANGED', path, 'The type of a field in the old schema does not match its type in the new schema');
      return;
    }
    if (ot instanceof protobuf.Type && ut instanceof protobuf.Type) compareMessage(ot, ut, `#/${local(writer, ot.fullName.slice(1))}`);
  };

  for (const name of writer.messages) {
    const o = writer.root.lookupType(name);
    const localName = local(writer, name);
    const uName = reader.packageName ? `${reader.packageName}.${localName}` : localName;
    const u = reader.messages.includes(uName) ? reader.root.lookupType(uName) : null;
    if (!u) {
      diff('MESSAGE_REMOVED', `#/${localName}`, 'The new schema is missing a message present in the old schema');
      continue;
    }
    compareMessage(o, u, `#/${localName}`);
  }
  return out;
}

export const protobufProvider: SchemaProvider = {
  type: 'PROTOBUF',
  parse(schema, references) {
    const { model, canonical } = parseProtobuf(schema, references);
    return { type: 'PROTOBUF', raw: schema, canonical, model } satisfies ParsedSchema;
  },
  incompatibilities(reader, writer) {
    return protobufIncompatibilities(reader.model as ProtoModel, writer.model as ProtoModel);
  },
};
