// JSON Schemas: validated with ajv for their draft ($schema: draft-06/07 with Ajv, 2019-09 with
// Ajv2019, 2020-12 with Ajv2020; draft-04, which ajv 8 does not compile, is checked as JSON only),
// compared by their sorted-key JSON, and checked for compatibility by Confluent's JSON Schema
// rules (json-schema-provider, io.confluent.kafka.schemaregistry.json.diff.SchemaDiff with its
// strict change set). The check walks the old (writer) and new (reader) schemas side by side; a
// change the reader cannot absorb is reported as `{errorType:"...", description:"..."}`:
//
//   types            TYPE_EXTENDED (integer -> number, a type added) is compatible; TYPE_NARROWED, TYPE_CHANGED are not
//   properties       added to an open content model: only with an empty schema; added to a closed or partially
//                    open one: compatible when covered; removed from an open model: compatible; from a closed one: not
//   required         REQUIRED_ATTRIBUTE_ADDED is not compatible unless the property has a default
//   additionalProps  false -> anything is compatible (ADDITIONAL_PROPERTIES_ADDED); open -> false or narrower is not
//   enum             ENUM_ARRAY_EXTENDED is compatible, ENUM_ARRAY_NARROWED is not
//   bounds           maxLength, minLength, maximum, minimum, maxItems, minItems...: relaxing or removing is
//                    compatible, adding or tightening is not; pattern added or changed is not
//   combined         oneOf/anyOf gaining branches is compatible, losing them is not; allOf the reverse
//
// $refs resolve inside the document (#/definitions/..., #/$defs/...) and to referenced schemas by name.

import { Ajv, type AnySchema } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { createRequire } from 'node:module';
import { sortedJson } from './avro.js';
import type { ParsedSchema, ResolvedReference, SchemaProvider } from './types.js';

type Json = boolean | Record<string, unknown>;

interface JsonModel {
  root: Json;
  /** Referenced documents by reference name. */
  refs: Map<string, Json>;
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => void;
const DRAFT_06 = createRequire(import.meta.url)('ajv/dist/refs/json-schema-draft-06.json') as Record<string, unknown>;

function ajvFor(schemaUri: string | undefined): Ajv | null {
  const opts = { strict: false, allErrors: false, validateFormats: true } as const;
  let ajv: Ajv;
  if (schemaUri?.includes('draft-04')) return null;
  if (schemaUri?.includes('2020-12')) ajv = new Ajv2020(opts) as unknown as Ajv;
  else if (schemaUri?.includes('2019-09')) ajv = new Ajv2019(opts) as unknown as Ajv;
  else {
    ajv = new Ajv(opts);
    if (schemaUri?.includes('draft-06')) ajv.addMetaSchema(DRAFT_06);
  }
  addFormats(ajv);
  return ajv;
}

const shared = new Map<string, Ajv | null>();

function sharedAjv(uri: string | undefined): Ajv | null {
  const key = uri?.includes('draft-04')
    ? '4'
    : uri?.includes('draft-06')
      ? '6'
      : uri?.includes('2020-12')
        ? '2020'
        : uri?.includes('2019-09')
          ? '2019'
          : '7';
  if (!shared.has(key)) shared.set(key, ajvFor(uri));
  return shared.get(key)!;
}

function collectRefs(refs: readonly ResolvedReference[], into: Map<string, Json>): void {
  for (const ref of refs) {
    collectRefs(ref.references, into);
    into.set(ref.name, JSON.parse(ref.schema) as Json);
  }
}

export function parseJsonSchema(schema: string, references: readonly ResolvedReference[]): JsonModel {
  let root: unknown;
  try {
    root = JSON.parse(schema);
  } catch (err) {
    throw new Error(`Invalid schema: ${(err as Error).message}`);
  }
  if (typeof root !== 'boolean' && (root === null || typeof root !== 'object' || Array.isArray(root)))
    throw new Error('Invalid schema: a JSON Schema is an object or a boolean');
  const refs = new Map<string, Json>();
  collectRefs(references, refs);
  const uri = typeof root === 'object' ? ((root as Record<string, unknown>).$schema as string | undefined) : undefined;
  // An Ajv with its formats costs a few hundred ms to build: schemas without references share one per draft.
  const ajv = refs.size === 0 ? sharedAjv(uri) : ajvFor(uri);
  if (ajv) {
    for (const [name, doc] of refs) {
      if (typeof doc === 'object' && !doc.$id) ajv.addSchema(doc as AnySchema, name);
      else ajv.addSchema(doc as AnySchema);
    }
    try {
      ajv.compile(root as AnySchema);
    } catch (err) {
      throw new Error(`Invalid schema: ${(err as Error).message}`);
    } finally {
      if (refs.size === 0) ajv.removeSchema(root as AnySchema);
    }
  }
  return { root: root as Json, refs };
}

const NUMBER_TYPES = ['integer', 'number'];

function typesOf(s: Record<string, unknown>): string[] | null {
  if (typeof s.type === 'string') return [s.type];
  if (Array.isArray(s.type)) return s.type as string[];
  return null;
}

function isOpen(s: Record<string, unknown>): boolean {
  return (s.additionalProperties === undefined || s.additionalProperties === true) && s.patternProperties === undefined;
}

function isEmptySchema(s: unknown): boolean {
  return s === true || (typeof s === 'object' && s !== null && Object.keys(s).length === 0);
}

export function jsonIncompatibilities(reader: JsonModel, writer: JsonModel): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const diff = (type: string, path: string, description: string) =>
    out.push(`{errorType:"${type}", description:"${description} at path '${path}'"}`);

  const resolve = (model: JsonModel, s: unknown): Json => {
    let cur = s;
    for (let hops = 0; hops < 32 && cur && typeof cur === 'object' && typeof (cur as Record<string, unknown>).$ref === 'string'; hops++) {
      const ref = (cur as Record<string, unknown>).$ref as string;
      const hash = ref.indexOf('#');
      const docName = hash < 0 ? ref : ref.slice(0, hash);
      const pointer = hash < 0 ? '' : ref.slice(hash + 1);
      let doc: unknown = docName === '' ? model.root : model.refs.get(docName);
      if (doc === undefined) return true;
      for (const part of pointer.split('/').filter(Boolean))
        doc = (doc as Record<string, unknown>)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
      cur = doc ?? true;
    }
    return cur as Json;
  };

  const bound = (
    o: Record<string, unknown>,
    u: Record<string, unknown>,
    key: string,
    path: string,
    looser: 'higher' | 'lower',
    name: string,
  ) => {
    const a = o[key];
    const b = u[key];
    if (b === undefined || typeof b !== 'number') return;
    if (a === undefined) diff(`${name}_ADDED`, path, `The new schema adds ${key}`);
    else if (typeof a === 'number' && (looser === 'higher' ? b < a : b > a))
      diff(`${name}_${looser === 'higher' ? 'DECREASED' : 'INCREASED'}`, path, `The new schema tightens ${key}`);
  };

  const compare = (oIn: unknown, uIn: unknown, path: string): void => {
    const o = resolve(writer, oIn);
    const u = resolve(reader, uIn);
    const key = `${path}|${sortedJson(o)}|${sortedJson(u)}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (isEmptySchema(u) || o === false) return;
    if (o === true || isEmptySchema(o)) {
      diff('TYPE_NARROWED', path, 'The new schema accepts less than the old schema, which accepts anything');
      return;
    }
    if (u === false) {
      diff('TYPE_NARROWED', path, 'The new schema accepts nothing');
      return;
    }
    const os = o as Record<string, unknown>;
    const us = u as Record<string, unknown>;

    for (const combiner of ['oneOf', 'anyOf', 'allOf'] as const) {
      const ob = os[combiner] as unknown[] | undefined;
      const ub = us[combiner] as unknown[] | undefined;
      if (!ob && !ub) continue;
      const fits = (a: unknown, b: unknown) =>
        jsonIncompatibilities({ ...reader, root: b as Json }, { ...writer, root: a as Json }).length === 0;
      if (ob && ub) {
        if (combiner === 'allOf') {
          if (!ub.every((b) => ob.some((a) => fits(a, b))))
            diff('PRODUCT_TYPE_EXTENDED', `${path}/${combiner}`, 'The new schema adds a constraint to allOf');
        } else if (!ob.every((a) => ub.some((b) => fits(a, b))))
          diff('SUM_TYPE_NARROWED', `${path}/${combiner}`, `The new schema drops a branch of ${combiner}`);
      } else if (ub && combiner !== 'allOf') {
        const rest = { ...os };
        if (!ub.some((b) => fits(rest, b)))
          diff('COMBINED_TYPE_CHANGED', `${path}/${combiner}`, `The new schema's ${combiner} has no branch for the old schema`);
        return;
      } else diff('COMBINED_TYPE_CHANGED', `${path}/${combiner}`, `The new schema ${ub ? 'adds' : 'removes'} ${combiner}`);
    }

    const ot = typesOf(os);
    const ut = typesOf(us);
    if (ut) {
      if (!ot) diff('TYPE_NARROWED', `${path}/type`, 'The new schema restricts the type');
      else {
        const missing = ot.filter((t) => !ut.includes(t) && !(t === 'integer' && ut.includes('number')));
        if (missing.length > 0) {
          const overlap = ot.some((t) => ut.includes(t) || (NUMBER_TYPES.includes(t) && ut.some((x) => NUMBER_TYPES.includes(x))));
          diff(overlap ? 'TYPE_NARROWED' : 'TYPE_CHANGED', `${path}/type`, `The new schema does not accept type ${missing.join(', ')}`);
          if (!overlap) return;
        }
      }
    }

    if (Array.isArray(us.enum)) {
      const uEnum = us.enum.map(sortedJson);
      if (!Array.isArray(os.enum)) diff('ENUM_ARRAY_NARROWED', `${path}/enum`, 'The new schema adds an enum');
      else if (!os.enum.every((v) => uEnum.includes(sortedJson(v))))
        diff('ENUM_ARRAY_NARROWED', `${path}/enum`, 'The new schema removes enum values');
    }
    if (us.const !== undefined && sortedJson(us.const) !== sortedJson(os.const))
      diff('TYPE_NARROWED', `${path}/const`, 'The new schema changes or adds const');

    bound(os, us, 'maxLength', path, 'higher', 'MAX_LENGTH');
    bound(os, us, 'minLength', path, 'lower', 'MIN_LENGTH');
    bound(os, us, 'maximum', path, 'higher', 'MAXIMUM');
    bound(os, us, 'minimum', path, 'lower', 'MINIMUM');
    bound(os, us, 'exclusiveMaximum', path, 'higher', 'EXCLUSIVE_MAXIMUM');
    bound(os, us, 'exclusiveMinimum', path, 'lower', 'EXCLUSIVE_MINIMUM');
    bound(os, us, 'maxItems', path, 'higher', 'MAX_ITEMS');
    bound(os, us, 'minItems', path, 'lower', 'MIN_ITEMS');
    bound(os, us, 'maxProperties', path, 'higher', 'MAX_PROPERTIES');
    bound(os, us, 'minProperties', path, 'lower', 'MIN_PROPERTIES');
    if (typeof us.pattern === 'string' && us.pattern !== os.pattern)
      diff(os.pattern === undefined ? 'PATTERN_ADDED' : 'PATTERN_CHANGED', `${path}/pattern`, 'The new schema adds or changes a pattern');
    if (typeof us.multipleOf === 'number' && !(typeof os.multipleOf === 'number' && os.multipleOf % us.multipleOf === 0))
      diff(
        os.multipleOf === undefined ? 'MULTIPLE_OF_ADDED' : 'MULTIPLE_OF_CHANGED',
        `${path}/multipleOf`,
        'The new schema adds or changes multipleOf',
      );
    if (us.uniqueItems === true && os.uniqueItems !== true)
      diff('UNIQUE_ITEMS_ADDED', `${path}/uniqueItems`, 'The new schema adds uniqueItems');

    // Objects
    const oProps = (os.properties ?? {}) as Record<string, unknown>;
    const uProps = (us.properties ?? {}) as Record<string, unknown>;
    for (const [name, schema] of Object.entries(oProps)) {
      const p = `${path}/properties/${name}`;
      if (name in uProps) compare(schema, uProps[name], p);
      else if (us.additionalProperties === false)
        diff(
          'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL',
          p,
          'The new schema has a closed content model and is missing a property present in the old schema',
        );
      else if (!isOpen(us) && typeof us.additionalProperties === 'object') compare(schema, us.additionalProperties, p);
    }
    for (const [name, schema] of Object.entries(uProps)) {
      if (name in oProps) continue;
      const p = `${path}/properties/${name}`;
      if (isOpen(os)) {
        if (!isEmptySchema(schema))
          diff(
            'PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL',
            p,
            'The old schema has an open content model and the new schema adds a property with a schema',
          );
      } else if (typeof os.additionalProperties === 'object') compare(os.additionalProperties, schema, p);
    }
    const oReq = (Array.isArray(os.required) ? os.required : []) as string[];
    for (const name of (Array.isArray(us.required) ? us.required : []) as string[]) {
      if (oReq.includes(name)) continue;
      const prop = resolve(reader, uProps[name]);
      if (typeof prop === 'object' && prop.default !== undefined) continue;
      diff('REQUIRED_ATTRIBUTE_ADDED', `${path}/required/${name}`, 'The new schema requires a property the old schema did not');
    }
    const oAdd = os.additionalProperties;
    const uAdd = us.additionalProperties;
    if (oAdd !== false && uAdd !== undefined && uAdd !== true) {
      if (uAdd === false) diff('ADDITIONAL_PROPERTIES_REMOVED', `${path}/additionalProperties`, 'The new schema closes the content model');
      else if (oAdd === undefined || oAdd === true)
        diff('ADDITIONAL_PROPERTIES_NARROWED', `${path}/additionalProperties`, 'The new schema narrows additionalProperties');
      else compare(oAdd, uAdd, `${path}/additionalProperties`);
    }

    // Arrays
    const oItems = os.prefixItems ?? os.items;
    const uItems = us.prefixItems ?? us.items;
    if (Array.isArray(oItems) && Array.isArray(uItems)) {
      for (let i = 0; i < Math.min(oItems.length, uItems.length); i++) compare(oItems[i], uItems[i], `${path}/items/${i}`);
    } else if (uItems !== undefined && !Array.isArray(uItems)) {
      if (oItems === undefined) {
        if (!isEmptySchema(uItems)) diff('ITEMS_NARROWED', `${path}/items`, 'The new schema restricts the items');
      } else if (!Array.isArray(oItems)) compare(oItems, uItems, `${path}/items`);
    }
  };
  compare(writer.root, reader.root, '#');
  return out;
}

export const jsonSchemaProvider: SchemaProvider = {
  type: 'JSON',
  parse(schema, references) {
    const model = parseJsonSchema(schema, references);
    return { type: 'JSON', raw: schema, canonical: sortedJson(JSON.parse(schema)), model } satisfies ParsedSchema;
  },
  incompatibilities(reader, writer) {
    return jsonIncompatibilities(reader.model as JsonModel, writer.model as JsonModel);
  },
};
