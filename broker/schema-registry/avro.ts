// Avro schemas: parsed with avsc (references are parsed first into the same registry of named
// types, so `"type": "com.acme.Address"` resolves), compared by a normal form (the JSON with keys
// sorted and whitespace dropped: like Confluent's AvroSchema.canonicalString, docs, defaults and
// custom properties count, formatting does not), and checked for compatibility by the Avro
// specification's schema resolution rules ("Schema Resolution", avro.apache.org/docs/current/specification):
//
//   - primitives match, or the writer's promotes: int -> long, float, double; long -> float, double;
//     float -> double; string <-> bytes
//   - records, enums and fixed match by full name, or the writer's name is one of the reader's aliases
//   - a reader field matches a writer field by name or by one of its aliases; a reader field with
//     no writer field needs a default; writer fields the reader lacks are skipped
//   - every writer enum symbol is a reader symbol, unless the reader enum has a default
//   - fixed sizes are equal; arrays and maps compare their items and values
//   - a writer union: each branch must be readable; a reader union: some branch reads the writer
//
// The messages name Confluent's error types (READER_FIELD_MISSING_DEFAULT_VALUE, NAME_MISMATCH,
// TYPE_MISMATCH, MISSING_ENUM_SYMBOLS, FIXED_SIZE_MISMATCH, MISSING_UNION_BRANCH) and a path.

import avro from 'avsc';
import type { ParsedSchema, ResolvedReference, SchemaProvider } from './types.js';

type AvroType = avro.Type & Record<string, unknown>;

/** JSON with object keys sorted at every level: the normal form of a JSON document. */
export function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${sortedJson(obj[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`Invalid schema: ${(err as Error).message}`);
  }
}

function addReferences(refs: readonly ResolvedReference[], registry: Record<string, avro.Type>): void {
  for (const ref of refs) {
    addReferences(ref.references, registry);
    avro.Type.forSchema(parseJson(ref.schema) as avro.Schema, { registry, wrapUnions: true });
  }
}

/** Parses an Avro schema text (with its references) into an avsc Type. */
export function parseAvro(schema: string, references: readonly ResolvedReference[] = []): avro.Type {
  const registry: Record<string, avro.Type> = {};
  addReferences(references, registry);
  return avro.Type.forSchema(parseJson(schema) as avro.Schema, { registry, wrapUnions: true });
}

const PROMOTIONS: Record<string, readonly string[]> = {
  int: ['int', 'long', 'float', 'double'],
  long: ['long', 'float', 'double'],
  float: ['float', 'double'],
  string: ['string', 'bytes'],
  bytes: ['bytes', 'string'],
};

/** The kind of an avsc type: 'record', 'enum', 'union', 'int', ... (wrapped unions and logical types folded). */
function kind(t: avro.Type): string {
  const name = t.typeName;
  if (name.startsWith('union')) return 'union';
  if (name === 'error') return 'record';
  return name;
}

function namesMatch(reader: AvroType, writer: AvroType): boolean {
  const aliases = (reader.aliases as string[] | undefined) ?? [];
  return reader.name === writer.name || aliases.includes(writer.name as string);
}

/** Why `reader` cannot read what `writer` wrote, one message per problem. */
export function avroIncompatibilities(reader: avro.Type, writer: avro.Type): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const check = (r: AvroType, w: AvroType, path: string): void => {
    const rk = kind(r);
    const wk = kind(w);
    if (wk === 'union') {
      for (const branch of w.types as AvroType[]) check(r, branch, path);
      return;
    }
    if (rk === 'union') {
      for (const branch of r.types as AvroType[]) if (avroIncompatibilities(branch, w).length === 0) return;
      out.push(
        `{errorType:'MISSING_UNION_BRANCH', description:'The new schema is missing a type inside a union field at path '${path}' in the old schema', additionalInfo:'reader union lacking writer type: ${wk.toUpperCase()}'}`,
      );
      return;
    }
    if (rk !== wk && !(PROMOTIONS[wk]?.includes(rk) ?? false)) {
      out.push(
        `{errorType:'TYPE_MISMATCH', description:'The type (path '${path}') of a field in the new schema does not match with the old schema', additionalInfo:'reader type: ${rk.toUpperCase()} not compatible with writer type: ${wk.toUpperCase()}'}`,
      );
      return;
    }
    if (rk === 'record' || rk === 'enum' || rk === 'fixed') {
      if (!namesMatch(r, w)) {
        out.push(
          `{errorType:'NAME_MISMATCH', description:'The name of the schema has changed (path '${path}/name')', additionalInfo:'expected: ${w.name as string}'}`,
        );
        return;
      }
    }
    switch (rk) {
      case 'record': {
        const key = `${r.name as string}<-${w.name as string}`;
        if (seen.has(key)) return;
        seen.add(key);
        const writerFields = w.fields as Array<{ name: string; type: AvroType }>;
        (r.fields as Array<{ name: string; aliases: string[]; type: AvroType; defaultValue(): unknown }>).forEach((field, i) => {
          const wf = writerFields.find((f) => f.name === field.name) ?? writerFields.find((f) => field.aliases.includes(f.name));
          const fieldPath = `${path}/fields/${i}`;
          if (wf) check(field.type, wf.type, `${fieldPath}/type`);
          else if (field.defaultValue() === undefined)
            out.push(
              `{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field '${field.name}' at path '${fieldPath}' in the new schema has no default value and is missing in the old schema', additionalInfo:'${field.name}'}`,
            );
        });
        return;
      }
      case 'enum': {
        const symbols = r.symbols as string[];
        const missing = (w.symbols as string[]).filter((s) => !symbols.includes(s));
        if (missing.length > 0 && r.default === undefined)
          out.push(
            `{errorType:'MISSING_ENUM_SYMBOLS', description:'The new schema is missing enum symbols '${missing.join(', ')}' at path '${path}/symbols' in the old schema', additionalInfo:'[${missing.join(', ')}]'}`,
          );
        return;
      }
      case 'fixed':
        if (r.size !== w.size)
          out.push(
            `{errorType:'FIXED_SIZE_MISMATCH', description:'The size of FIXED type field at path '${path}/size' in the new schema does not match with the old schema', additionalInfo:'expected: ${w.size as number}, found: ${r.size as number}'}`,
          );
        return;
      case 'array':
        check(r.itemsType as AvroType, w.itemsType as AvroType, `${path}/items`);
        return;
      case 'map':
        check(r.valuesType as AvroType, w.valuesType as AvroType, `${path}/values`);
        return;
      default:
        return;
    }
  };
  check(reader as AvroType, writer as AvroType, '');
  return out;
}

export const avroProvider: SchemaProvider = {
  type: 'AVRO',
  parse(schema, references) {
    const type = parseAvro(schema, references);
    return { type: 'AVRO', raw: schema, canonical: sortedJson(JSON.parse(schema)), model: type } satisfies ParsedSchema;
  },
  incompatibilities(reader, writer) {
    return avroIncompatibilities(reader.model as avro.Type, writer.model as avro.Type);
  },
};
