// Checks every schema in protocol/messages against Kafka's own JSON message specs, read at
// test time from ../shared/kafka-protocol/messages (next to the repo), then round-trips every
// version of every API through the codec.
//
// What is compared (the keys of Kafka's clients/src/main/resources/common/message/README.md):
// apiKey, validVersions, flexibleVersions, deprecatedVersions, latestVersionUnstable, and for every
// field, recursively and in wire order: name (JSON name with the first letter lower-cased), kind
// and primitive type, versions (defaulting to taggedVersions), nullableVersions, taggedVersions,
// tag, the per-field flexibleVersions override and the default value (normalised; int64 defaults
// compared after Number()). `ignorable`, `mapKey`, `entityType` and `about` are not compared.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { codecFor, encode } from '../../protocol/codec.js';
import { readRequestHeader, RequestHeader, requestHeaderVersion, responseHeaderVersion } from '../../protocol/header.js';
import { ALL_APIS, API_BY_KEY } from '../../protocol/messages/index.js';
import { Reader, Writer, ZERO_UUID } from '../../protocol/primitives.js';
import { inRange, parseVersions, type ApiSpec, type FieldSpec, type Fields, type VersionRange } from '../../protocol/schema.js';

// ---------------------------------------------------------------------------------------------
// Locating and parsing Kafka's JSON specs

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

const MESSAGES_DIR = process.env['KAFKA_PROTOCOL_MESSAGES'] ?? resolve(findRepoRoot(), '../shared/kafka-protocol/messages');

function requireMessagesDir(): void {
  assert.ok(
    existsSync(MESSAGES_DIR),
    `Kafka's JSON message specs were not found at ${MESSAGES_DIR}. ` +
      'The schema test needs ../shared/kafka-protocol/messages next to the repo root ' +
      '(or KAFKA_PROTOCOL_MESSAGES pointing at that folder); it refuses to pass without them.',
  );
}

/** Remove `//` line comments and `/* *\/` blocks that are outside JSON strings. */
function stripJsonComments(text: string): string {
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

interface JsonField {
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

interface JsonMessage {
  apiKey?: number;
  type: string;
  name: string;
  validVersions: string;
  flexibleVersions: string;
  deprecatedVersions?: string;
  latestVersionUnstable?: boolean;
  fields: JsonField[];
  commonStructs?: Array<{ name: string; versions?: string; fields: JsonField[] }>;
}

function loadJson(file: string): JsonMessage {
  requireMessagesDir();
  const path = join(MESSAGES_DIR, file);
  assert.ok(existsSync(path), `${file} is missing from ${MESSAGES_DIR}`);
  try {
    return JSON.parse(stripJsonComments(readFileSync(path, 'utf8'))) as JsonMessage;
  } catch (e) {
    throw new Error(`${file}: cannot parse after stripping comments: ${(e as Error).message}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Normalisation helpers

const PRIMITIVES = new Set([
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

function fmtRange(r: VersionRange): string {
  if (r.min > r.max) return 'none';
  if (r.max >= 32767) return `${r.min}+`;
  if (r.min === r.max) return `${r.min}`;
  return `${r.min}-${r.max}`;
}

const norm = (text: string | undefined): string => fmtRange(parseVersions(text ?? 'none'));

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

function nullableEverywhere(spec: FieldSpec): boolean {
  return spec.nullable.min === spec.versions.min && spec.nullable.max >= spec.versions.max;
}

// ---------------------------------------------------------------------------------------------
// Schema comparison

function compareFields(where: string, json: JsonField[], ours: Fields, common: ReadonlyMap<string, JsonField[]>, path: string): void {
  const entries = Object.entries(ours);
  for (let i = 0; i < json.length; i++) {
    const fd = json[i]!;
    const expectedName = lowerFirst(fd.name);
    const at = `${where}: ${path}${expectedName}`;
    const mine = entries[i];
    assert.ok(mine, `${at}: field missing on our side (JSON field #${i} "${fd.name}")`);
    const [name, spec] = mine;
    assert.equal(name, expectedName, `${where}: ${path}: field #${i} should be "${expectedName}" (JSON "${fd.name}"), found "${name}"`);

    // Type.
    const isArray = fd.type.startsWith('[]');
    const elem = isArray ? fd.type.slice(2) : fd.type;
    const primitive = PRIMITIVES.has(elem);
    let sub: JsonField[] | undefined;
    if (!primitive) {
      sub = fd.fields ?? common.get(elem);
      assert.ok(sub, `${at}: JSON struct type ${elem} has neither inline fields nor a commonStruct`);
    }
    const expectedKind = isArray ? 'array' : primitive ? 'primitive' : 'struct';
    assert.equal(spec.kind, expectedKind, `${at}: kind (JSON type ${fd.type})`);
    if (primitive) {
      assert.equal(spec.type, elem, `${at}: primitive type (JSON type ${fd.type})`);
      assert.equal(spec.fields, undefined, `${at}: primitive ${fd.type} must not have sub-fields`);
    } else {
      assert.ok(spec.fields, `${at}: JSON type ${fd.type} is a struct but ours has no sub-fields`);
      assert.equal(spec.type, undefined, `${at}: struct type ${fd.type} must not name a primitive`);
    }

    // Versions.
    const versions = fd.versions ?? fd.taggedVersions;
    assert.ok(versions, `${at}: JSON field has neither versions nor taggedVersions`);
    assert.equal(fmtRange(spec.versions), norm(versions), `${at}: versions`);
    assert.equal(fmtRange(spec.nullable), norm(fd.nullableVersions), `${at}: nullableVersions`);
    assert.equal(fmtRange(spec.tagged), norm(fd.taggedVersions), `${at}: taggedVersions`);
    assert.equal(spec.tag, fd.tag ?? -1, `${at}: tag`);
    assert.equal(
      spec.flexibleOverride === undefined ? undefined : fmtRange(spec.flexibleOverride),
      fd.flexibleVersions === undefined ? undefined : norm(fd.flexibleVersions),
      `${at}: field-level flexibleVersions override`,
    );

    // Default.
    assert.deepEqual(
      ourDefault(spec),
      jsonDefault(fd, !primitive && !isArray, isArray),
      `${at}: default (JSON ${JSON.stringify(fd.default)})`,
    );

    if (sub) compareFields(where, sub, spec.fields!, common, `${path}${expectedName}${isArray ? '[]' : ''}.`);
  }
  if (entries.length > json.length) {
    const extra = entries.slice(json.length).map(([n]) => n);
    assert.fail(`${where}: ${path || '(top level)'}: extra field(s) not in Kafka's JSON: ${extra.join(', ')}`);
  }
}

function compareMessage(api: ApiSpec, side: 'request' | 'response', json: JsonMessage): void {
  const where = `${api.name} (key ${api.apiKey}) ${side}`;
  assert.equal(json.type, side, `${where}: JSON type`);
  assert.equal(json.name, `${api.name}${side === 'request' ? 'Request' : 'Response'}`, `${where}: JSON name`);
  assert.equal(json.apiKey, api.apiKey, `${where}: apiKey`);
  assert.equal(fmtRange(api.validVersions), norm(json.validVersions), `${where}: validVersions`);
  assert.equal(fmtRange(api.flexibleVersions), norm(json.flexibleVersions), `${where}: flexibleVersions`);
  const msg = api[side];
  assert.equal(msg.name, json.name, `${where}: message name`);
  assert.equal(fmtRange(msg.validVersions), norm(json.validVersions), `${where}: message validVersions`);
  assert.equal(fmtRange(msg.flexibleVersions), norm(json.flexibleVersions), `${where}: message flexibleVersions`);
  const common = new Map((json.commonStructs ?? []).map((c) => [c.name, c.fields] as const));
  compareFields(where, json.fields, msg.fields, common, '');
}

// ---------------------------------------------------------------------------------------------
// Round-trip values

type Mode = 'defaults' | 'samples' | 'nulls';

class Samples {
  private n = 0;
  next(): number {
    return ++this.n;
  }
}

function defaultValueOf(spec: FieldSpec): unknown {
  if (spec.defaultValue !== undefined) return spec.defaultValue;
  if (spec.kind === 'array') return [];
  if (spec.kind === 'struct') {
    if (nullableEverywhere(spec)) return null;
    return Object.fromEntries(Object.entries(spec.fields!).map(([k, s]) => [k, defaultValueOf(s)]));
  }
  switch (spec.type) {
    case 'bool':
      return false;
    case 'string':
      return '';
    case 'bytes':
      return Buffer.alloc(0);
    case 'records':
      return null;
    case 'uuid':
      return ZERO_UUID;
    default:
      return 0;
  }
}

function samplePrimitive(type: string, def: unknown, s: Samples): unknown {
  const k = s.next();
  let v: unknown;
  switch (type) {
    case 'bool':
      return def !== true;
    case 'int8':
      v = (k % 120) + 1;
      break;
    case 'int16':
      v = 1000 + k;
      break;
    case 'uint16':
      v = 40000 + k;
      break;
    case 'int32':
      v = 100000 + k;
      break;
    case 'uint32':
      v = 3000000000 + k;
      break;
    case 'int64':
      v = 2 ** 40 + k;
      break;
    case 'float64':
      v = k + 0.5;
      break;
    case 'string':
      v = `s${k}-é`;
      break;
    case 'bytes':
    case 'records':
      return Buffer.from([k & 0xff, 0xca, 0xfe, 0x00, 0x01]);
    case 'uuid': {
      const b = Buffer.alloc(16, 0x11);
      b.writeUInt32BE(k, 12);
      return b.toString('base64url');
    }
    default:
      throw new Error(`no sample for ${type}`);
  }
  return v === def ? (v as number) + 1 : v;
}

/**
 * Builds an input value for `fields` at version `v` and the value decoding must produce.
 * 'defaults' leaves every field out; 'samples' fills every present field with a non-default
 * value; 'nulls' is 'samples' but puts null wherever the version allows it.
 */
function build(fields: Fields, v: number, mode: Mode, s: Samples): { input: Record<string, unknown>; expected: Record<string, unknown> } {
  const input: Record<string, unknown> = {};
  const expected: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(fields)) {
    if (!inRange(spec.versions, v) || mode === 'defaults') {
      expected[name] = defaultValueOf(spec);
      continue;
    }
    if (mode === 'nulls' && inRange(spec.nullable, v)) {
      input[name] = null;
      expected[name] = null;
      continue;
    }
    if (spec.kind === 'primitive') {
      const val = samplePrimitive(spec.type!, defaultValueOf(spec), s);
      input[name] = val;
      expected[name] = val;
    } else if (spec.kind === 'array' && !spec.fields) {
      const a = samplePrimitive(spec.type!, undefined, s);
      const b = samplePrimitive(spec.type!, undefined, s);
      input[name] = [a, b];
      expected[name] = [a, b];
    } else if (spec.kind === 'array') {
      // One element full of samples, one left empty (all defaults).
      const full = build(spec.fields!, v, mode, s);
      const empty = build(spec.fields!, v, 'defaults', s);
      input[name] = [full.input, empty.input];
      expected[name] = [full.expected, empty.expected];
    } else {
      const inner = build(spec.fields!, v, mode, s);
      input[name] = inner.input;
      expected[name] = inner.expected;
    }
  }
  return { input, expected };
}

function roundTrip(api: ApiSpec, side: 'request' | 'response', v: number, mode: Mode): void {
  const msg = api[side];
  const { input, expected } = build(msg.fields, v, mode, new Samples());
  const where = `${api.name} (key ${api.apiKey}) v${v} ${side}, ${mode}`;
  let bytes: Buffer;
  try {
    bytes = encode(msg, v, input);
  } catch (e) {
    throw new Error(`${where}: encode failed: ${(e as Error).message}`, { cause: e });
  }
  const reader = new Reader(bytes);
  let back: unknown;
  try {
    back = codecFor(msg, v).read(reader);
  } catch (e) {
    throw new Error(`${where}: decode failed: ${(e as Error).message}`, { cause: e });
  }
  assertSame(back, expected, where, '');
  assert.equal(reader.remaining, 0, `${where}: ${reader.remaining} byte(s) left after decoding`);
  // Encoding the decoded value again gives the same bytes.
  assert.equal(
    encode(msg, v, back as Record<string, unknown>).toString('hex'),
    bytes.toString('hex'),
    `${where}: re-encoding the decoded value`,
  );
}

/** deepEqual with a message naming the first differing field path. */
function assertSame(actual: unknown, expected: unknown, where: string, path: string): void {
  if (Buffer.isBuffer(expected)) {
    assert.ok(Buffer.isBuffer(actual), `${where}: ${path || '(root)'}: expected bytes, got ${typeof actual}`);
    assert.equal(actual.toString('hex'), expected.toString('hex'), `${where}: ${path}`);
    return;
  }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${where}: ${path}: expected an array, got ${JSON.stringify(actual)}`);
    assert.equal(actual.length, expected.length, `${where}: ${path}: array length`);
    expected.forEach((e, i) => {
      assertSame(actual[i], e, where, `${path}[${i}]`);
    });
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    assert.ok(actual !== null && typeof actual === 'object', `${where}: ${path}: expected a struct, got ${JSON.stringify(actual)}`);
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    assert.deepEqual(Object.keys(a).sort(), Object.keys(e).sort(), `${where}: ${path || '(root)'}: field set`);
    for (const k of Object.keys(e)) assertSame(a[k], e[k], where, path ? `${path}.${k}` : k);
    return;
  }
  assert.equal(actual, expected, `${where}: ${path}`);
}

// ---------------------------------------------------------------------------------------------
// Tests

test('Kafka JSON message specs are available', () => {
  requireMessagesDir();
  assert.ok(
    readdirSync(MESSAGES_DIR).some((f) => f.endsWith('Request.json')),
    `${MESSAGES_DIR} holds no *Request.json`,
  );
});

test('ALL_APIS: unique keys, API_BY_KEY agrees', () => {
  assert.ok(ALL_APIS.length > 0, 'ALL_APIS is empty');
  const keys = ALL_APIS.map((a) => a.apiKey);
  assert.equal(new Set(keys).size, keys.length, `duplicate api keys in ALL_APIS: ${keys.join(',')}`);
  for (const a of ALL_APIS) assert.equal(API_BY_KEY.get(a.apiKey), a, `API_BY_KEY[${a.apiKey}]`);
});

test('every protocol/messages/NN-*.js module is registered in ALL_APIS under key NN', async () => {
  const dir = resolve(HERE, '../../protocol/messages');
  const files = readdirSync(dir).filter((f) => /^\d+-.*\.js$/.test(f));
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as Record<string, unknown>;
    const specs = Object.values(mod).filter((x): x is ApiSpec => typeof x === 'object' && x !== null && 'apiKey' in x);
    assert.equal(specs.length, 1, `${file}: should export exactly one api(...) spec`);
    const spec = specs[0]!;
    assert.equal(spec.apiKey, Number(file.split('-')[0]), `${file}: file number vs apiKey ${spec.apiKey}`);
    assert.ok(ALL_APIS.includes(spec), `${file}: ${spec.name} is not registered in protocol/messages/index.ts ALL_APIS`);
  }
});

for (const api of ALL_APIS) {
  const label = `${api.name} (key ${api.apiKey})`;

  test(`${label}: schema matches Kafka's JSON`, () => {
    const req = loadJson(`${api.name}Request.json`);
    const res = loadJson(`${api.name}Response.json`);
    compareMessage(api, 'request', req);
    compareMessage(api, 'response', res);

    // Deprecation and instability are declared on the request (sometimes on both files).
    if (req.deprecatedVersions !== undefined && res.deprecatedVersions !== undefined) {
      assert.equal(norm(res.deprecatedVersions), norm(req.deprecatedVersions), `${label}: request/response deprecatedVersions disagree`);
    }
    assert.equal(fmtRange(api.deprecatedVersions), norm(req.deprecatedVersions ?? res.deprecatedVersions), `${label}: deprecatedVersions`);
    assert.equal(
      api.latestVersionUnstable,
      Boolean(req.latestVersionUnstable || res.latestVersionUnstable),
      `${label}: latestVersionUnstable`,
    );
  });

  test(`${label}: every version round-trips`, () => {
    for (let v = api.validVersions.min; v <= api.validVersions.max; v++) {
      for (const side of ['request', 'response'] as const) {
        for (const mode of ['defaults', 'samples', 'nulls'] as const) roundTrip(api, side, v, mode);
      }
    }
  });

  test(`${label}: header versions follow flexibleVersions`, () => {
    const json = loadJson(`${api.name}Request.json`);
    const flexible = parseVersions(json.flexibleVersions);
    for (let v = api.validVersions.min; v <= api.validVersions.max; v++) {
      const flex = inRange(flexible, v);
      const expReq = api.apiKey === 7 && v === 0 ? 0 : flex ? 2 : 1;
      const expRes = api.apiKey === 18 ? 0 : flex ? 1 : 0;
      const reqHv = requestHeaderVersion(api.apiKey, v, api);
      assert.equal(reqHv, expReq, `${label} v${v}: request header version`);
      assert.equal(responseHeaderVersion(api.apiKey, v, api), expRes, `${label} v${v}: response header version`);

      // A whole request frame: header at that version, then a body; both parse back.
      const { input, expected } = build(api.request.fields, v, 'samples', new Samples());
      const w = new Writer();
      codecFor(RequestHeader, reqHv).write(w, {
        requestApiKey: api.apiKey,
        requestApiVersion: v,
        correlationId: 4242,
        clientId: 'client-é',
      });
      codecFor(api.request, v).write(w, input);
      const frame = w.toBuffer();
      const { header, reader } = readRequestHeader(frame, reqHv);
      assert.equal(header.requestApiKey, api.apiKey, `${label} v${v}: header api key`);
      assert.equal(header.requestApiVersion, v, `${label} v${v}: header api version`);
      assert.equal(header.correlationId, 4242, `${label} v${v}: header correlation id`);
      if (reqHv >= 1) assert.equal(header.clientId, 'client-é', `${label} v${v}: header client id`);
      const body = codecFor(api.request, v).read(reader);
      assertSame(body, expected, `${label} v${v} request after header v${reqHv}`, '');
      assert.equal(reader.remaining, 0, `${label} v${v}: bytes left after request body`);
    }
  });
}
