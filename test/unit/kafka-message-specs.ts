// Kafka's own JSON message definitions, as test/unit/schemas.test.ts reads them, and the rules
// for comparing one of our schemas with them at a single version.
//
// Two sources, both inside the repository or its test cache (nothing next to it):
// - Kafka 4.4.0: common/message/*.json from the kafka-clients-4.4.0 jar, extracted by
//   test/jvm/resolve.mjs into test/jvm/.cache/kafka-clients/common/message (KAFKA_MESSAGE_SPECS);
// - Kafka 3.9.1: the same files from the kafka-clients-3.9.1 jar, fetched and extracted by
//   test/jvm/resolve.mjs into test/jvm/.cache/kafka-clients-3.9.1/common/message
//   (KAFKA_39_MESSAGE_SPECS), for the versions Kafka 4.0 removed and we keep.
//
// The comparison is per version: at version v, the fields present in v (Kafka's "versions", or
// "taggedVersions" when "versions" is absent), in wire order, must be the same on both sides:
// name (JSON name with the first letter lower-cased), kind and primitive type, whether null is
// allowed in v, whether the field is tagged in v, its tag, the per-field flexibleVersions
// override in v, and the default value (normalised; int64 defaults compared after Number()).
// Checking every version of a range is the same as comparing the ranges over it, and it lets a
// schema that also keeps versions Kafka 4 removed be compared with 4.4.0 and with 3.9.1 where
// each is the reference. `ignorable`, `mapKey`, `entityType` and `about` are not compared.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ZERO_UUID } from '../../protocol/primitives.js';
import { inRange, parseVersions, type FieldSpec, type Fields, type VersionRange } from '../../protocol/schema.js';

const HERE = dirname(fileURLToPath(import.meta.url));

/** The repo root: dist/test/unit/../../.. when compiled; otherwise the nearest ancestor holding package.json. */
function findRepoRoot(): string {
  const compiled = resolve(HERE, '../../..');
  if (existsSync(join(compiled, 'package.json'))) return compiled;
  let dir = HERE;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) return resolve(HERE, '../../..');
    dir = up;
  }
}

export const REPO_ROOT = findRepoRoot();

/** test/jvm/resolve.mjs knows where it extracts the kafka-clients jar's JSON. */
const resolver = (await import(pathToFileURL(join(REPO_ROOT, 'test/jvm/resolve.mjs')).href)) as {
  KAFKA_MESSAGE_SPECS: string;
  KAFKA_39_MESSAGE_SPECS: string;
  KAFKA_RECORD_SCHEMAS: string;
};
export const KAFKA_44_DIR: string = resolver.KAFKA_MESSAGE_SPECS;
export const KAFKA_44_JAR = join(REPO_ROOT, 'test/jvm/.cache/lib/kafka-clients-4.4.0.jar');
export const KAFKA_39_DIR: string = resolver.KAFKA_39_MESSAGE_SPECS;
/** The coordinators' record schemas as Kafka 4.4.0's generated classes define them (JSON, see resolve.mjs). */
export const KAFKA_RECORD_SCHEMAS: string = resolver.KAFKA_RECORD_SCHEMAS;

export interface JsonField {
  name: string;
  type: string;
  versions?: string;
  nullableVersions?: string;
  taggedVersions?: string;
  tag?: number;
  flexibleVersions?: string;
  default?: string | number | boolean;
  ignorable?: boolean;
  fields?: JsonField[];
}

export interface JsonMessage {
  apiKey?: number;
  type: string;
  name: string;
  listeners?: string[];
  validVersions: string;
  flexibleVersions: string;
  deprecatedVersions?: string;
  latestVersionUnstable?: boolean;
  fields: JsonField[];
  commonStructs?: Array<{ name: string; versions?: string; fields: JsonField[] }>;
}

/** One API as a JSON source defines it. */
export interface JsonApi {
  readonly source: string;
  readonly request: JsonMessage;
  readonly response: JsonMessage;
}

/** Remove `//` line comments and `/* *\/` blocks that are outside JSON strings. */
export function stripJsonComments(text: string): string {
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

export function parseJsonFile(path: string): JsonMessage {
  try {
    return JSON.parse(stripJsonComments(readFileSync(path, 'utf8'))) as JsonMessage;
  } catch (e) {
    throw new Error(`${path}: cannot parse after stripping comments: ${(e as Error).message}`);
  }
}

/** Every request/response pair in `dir`, by api key. */
export function loadApis(dir: string, source: string): Map<number, JsonApi> {
  const halves = new Map<number, { request?: JsonMessage; response?: JsonMessage }>();
  for (const file of readdirSync(dir).filter((f) => /(Request|Response)\.json$/.test(f))) {
    const m = parseJsonFile(join(dir, file));
    if (m.apiKey === undefined || (m.type !== 'request' && m.type !== 'response')) continue;
    const h = halves.get(m.apiKey) ?? {};
    assert.equal(h[m.type], undefined, `${source}: two ${m.type} files for api key ${m.apiKey} (${file})`);
    h[m.type] = m;
    halves.set(m.apiKey, h);
  }
  const out = new Map<number, JsonApi>();
  for (const [key, h] of halves) {
    assert.ok(h.request && h.response, `${source}: api key ${key} lacks its ${h.request ? 'response' : 'request'} file`);
    out.set(key, { source, request: h.request, response: h.response });
  }
  return out;
}

/** Kafka 4.4.0's APIs; fails, saying how to get them, when the test cache was never filled. */
export function loadKafka44(): Map<number, JsonApi> {
  const hint = 'run node test/jvm/resolve.mjs (it resolves Kafka 4.4.0 with Maven and extracts the JSON from kafka-clients-4.4.0.jar)';
  assert.ok(existsSync(KAFKA_44_JAR), `${KAFKA_44_JAR} is missing: ${hint}`);
  assert.ok(existsSync(KAFKA_44_DIR), `Kafka 4.4.0's message JSON is missing from ${KAFKA_44_DIR}: ${hint}`);
  const apis = loadApis(KAFKA_44_DIR, 'kafka-clients 4.4.0');
  assert.ok(apis.size > 50, `${KAFKA_44_DIR} holds only ${apis.size} APIs: ${hint}`);
  return apis;
}

// ---------------------------------------------------------------------------------------------
// Normalisation

export const PRIMITIVES = new Set([
  'bool',
  'int8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'float64',
  'string',
  'bytes',
  'records',
  'uuid',
]);
const INTEGERS = new Set(['int8', 'int16', 'uint16', 'int32', 'uint32', 'int64']);

export function fmtRange(r: VersionRange): string {
  if (r.min > r.max) return 'none';
  if (r.max >= 32767) return `${r.min}+`;
  if (r.min === r.max) return `${r.min}`;
  return `${r.min}-${r.max}`;
}

export const range = (text: string | undefined): VersionRange => parseVersions(text ?? 'none');

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

/** A default value in comparable form. Markers stand in for "empty array", "a struct", "empty bytes". */
type NormDefault = null | boolean | number | string | { marker: 'array' | 'struct' | 'bytes'; hex?: string };

function jsonDefault(fd: JsonField, structLike: boolean, isArray: boolean): NormDefault {
  const d = fd.default;
  const t = fd.type;
  if (d === 'null') return null;
  if (isArray) {
    assert.equal(d, undefined, `arrays only take "null" defaults (${fd.name})`);
    return { marker: 'array' };
  }
  if (structLike) return { marker: 'struct' };
  if (t === 'bool') return d === undefined ? false : d === true || d === 'true';
  if (INTEGERS.has(t)) {
    if (d === undefined) return 0;
    return typeof d === 'number' ? d : Number(BigInt(String(d).trim()));
  }
  if (t === 'float64') return d === undefined ? 0 : Number(d);
  if (t === 'string') return d === undefined ? '' : String(d);
  if (t === 'bytes') return { marker: 'bytes', hex: '' };
  if (t === 'records') return null;
  if (t === 'uuid') return d === undefined ? ZERO_UUID : String(d);
  throw new Error(`unknown JSON type ${t}`);
}

export function nullableEverywhere(spec: FieldSpec): boolean {
  return spec.nullable.min === spec.versions.min && spec.nullable.max >= spec.versions.max;
}

/** Our effective default, following codec.ts: explicit default, else the implicit one. */
function ourDefault(spec: FieldSpec): NormDefault {
  const d = spec.defaultValue;
  if (d !== undefined) {
    if (d === null) return null;
    if (Buffer.isBuffer(d)) return { marker: 'bytes', hex: d.toString('hex') };
    if (Array.isArray(d)) return d.length === 0 ? { marker: 'array' } : JSON.stringify(d);
    if (typeof d === 'object') return { marker: 'struct' };
    if (typeof d === 'number' && spec.type === 'int64') return Number(d);
    return d as NormDefault;
  }
  if (spec.kind === 'array') return { marker: 'array' };
  if (spec.kind === 'struct') return nullableEverywhere(spec) ? null : { marker: 'struct' };
  switch (spec.type) {
    case 'bool':
      return false;
    case 'string':
      return '';
    case 'bytes':
      return { marker: 'bytes', hex: '' };
    case 'records':
      return null;
    case 'uuid':
      return ZERO_UUID;
    default:
      return 0;
  }
}

// ---------------------------------------------------------------------------------------------
// Comparison at one version

type Common = ReadonlyMap<string, JsonField[]>;

export function commonStructs(json: JsonMessage): Common {
  return new Map((json.commonStructs ?? []).map((c) => [c.name, c.fields] as const));
}

function jsonVersions(fd: JsonField, at: string): VersionRange {
  const versions = fd.versions ?? fd.taggedVersions;
  assert.ok(versions, `${at}: JSON field has neither versions nor taggedVersions`);
  return parseVersions(versions);
}

/**
 * Compares the fields present at version `v` on both sides, recursively. `seen` collects the
 * paths of our fields that took part, so a caller can report fields no version uses.
 */
export function compareFieldsAt(
  where: string,
  v: number,
  json: JsonField[],
  ours: Fields,
  common: Common,
  path: string,
  seen: Set<string>,
): void {
  const theirs = json.filter((fd) => inRange(jsonVersions(fd, `${where}: ${path}${fd.name}`), v));
  const mine = Object.entries(ours).filter(([, s]) => inRange(s.versions, v));
  for (let i = 0; i < theirs.length; i++) {
    const fd = theirs[i]!;
    const expectedName = lowerFirst(fd.name);
    const at = `${where}: ${path}${expectedName}`;
    const entry = mine[i];
    assert.ok(entry, `${at}: field missing on our side (JSON field "${fd.name}", #${i} present in v${v})`);
    const [name, spec] = entry;
    assert.equal(
      name,
      expectedName,
      `${where}: ${path}: field #${i} present in v${v} should be "${expectedName}" (JSON "${fd.name}"), found "${name}"`,
    );
    seen.add(`${path}${name}`);

    // Type.
    const isArray = fd.type.startsWith('[]');
    const elem = isArray ? fd.type.slice(2) : fd.type;
    const primitive = PRIMITIVES.has(elem);
    let sub: JsonField[] | undefined;
    if (!primitive) {
      sub = fd.fields ?? common.get(elem);
      assert.ok(sub, `${at}: JSON struct type ${elem} has neither inline fields nor a commonStruct`);
    }
    assert.equal(spec.kind, isArray ? 'array' : primitive ? 'primitive' : 'struct', `${at}: kind (JSON type ${fd.type})`);
    if (primitive) {
      assert.equal(spec.type, elem, `${at}: primitive type (JSON type ${fd.type})`);
      assert.equal(spec.fields, undefined, `${at}: primitive ${fd.type} must not have sub-fields`);
    } else {
      assert.ok(spec.fields, `${at}: JSON type ${fd.type} is a struct but ours has no sub-fields`);
      assert.equal(spec.type, undefined, `${at}: struct type ${fd.type} must not name a primitive`);
    }

    // What version v makes of it.
    assert.equal(
      inRange(spec.nullable, v),
      inRange(range(fd.nullableVersions), v),
      `${at}: nullable (JSON nullableVersions ${fd.nullableVersions ?? 'none'})`,
    );
    assert.equal(
      inRange(spec.tagged, v),
      inRange(range(fd.taggedVersions), v),
      `${at}: tagged (JSON taggedVersions ${fd.taggedVersions ?? 'none'})`,
    );
    assert.equal(spec.tag, fd.tag ?? -1, `${at}: tag`);
    assert.equal(
      spec.flexibleOverride === undefined ? undefined : inRange(spec.flexibleOverride, v),
      fd.flexibleVersions === undefined ? undefined : inRange(range(fd.flexibleVersions), v),
      `${at}: field-level flexibleVersions override (JSON ${fd.flexibleVersions ?? 'absent'})`,
    );
    assert.deepEqual(
      ourDefault(spec),
      jsonDefault(fd, !primitive && !isArray, isArray),
      `${at}: default (JSON ${JSON.stringify(fd.default)})`,
    );

    if (sub) compareFieldsAt(where, v, sub, spec.fields!, common, `${path}${expectedName}${isArray ? '[]' : ''}.`, seen);
  }
  if (mine.length > theirs.length) {
    const extra = mine.slice(theirs.length).map(([n]) => n);
    assert.fail(`${where}: ${path || '(top level)'}: field(s) present in v${v} on our side but not in Kafka's JSON: ${extra.join(', ')}`);
  }
}

/** Paths of all our fields, in the form compareFieldsAt records them. */
export function fieldPaths(fields: Fields, path = ''): string[] {
  const out: string[] = [];
  for (const [name, spec] of Object.entries(fields)) {
    out.push(`${path}${name}`);
    if (spec.fields) out.push(...fieldPaths(spec.fields, `${path}${name}${spec.kind === 'array' ? '[]' : ''}.`));
  }
  return out;
}
