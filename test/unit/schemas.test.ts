// Checks every schema in protocol/messages against Apache Kafka's own JSON message definitions,
// then round-trips every version of every API through the codec.
//
// The reference is Kafka 4.4.0: common/message/*.json from the kafka-clients-4.4.0 jar, which
// test/jvm/resolve.mjs extracts into the test cache (the test fails, saying to run it, when the
// cache is missing). Our schemas are a superset of 4.4.0:
// - every API whose JSON lists the "broker" listener has a schema, with the same top version
//   (a `latestVersionUnstable` top is defined too, and flagged unstable like Kafka's);
// - every version 4.4.0 defines matches 4.4.0's JSON exactly;
// - versions below 4.4.0's minimum, which Kafka 4.0 removed (KIP-896) but we keep for old clients,
//   match Kafka 3.9.1's JSON, from the kafka-clients-3.9.1 jar in the same test cache (rather
//   than trusting the round-trip and captured-frame tests alone: those only show that we read
//   what we write, not that the old layouts are Kafka's).
// So the test needs nothing outside the repository and its test cache.
//
// What is compared, per version (rules in test/unit/kafka-message-specs.ts): api key and name,
// whether the version is flexible and deprecated, and the fields present in it, recursively and
// in wire order (name, type, nullable, tagged and tag, flexibleVersions override, default).

import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { codecFor, encode } from '../../protocol/codec.js';
import { RequestHeader, readRequestHeader, requestHeaderVersion, responseHeaderVersion } from '../../protocol/header.js';
import { ALL_APIS, API_BY_KEY } from '../../protocol/messages/index.js';
import { Reader, Writer, ZERO_UUID } from '../../protocol/primitives.js';
import { inRange, type ApiSpec, type FieldSpec, type Fields } from '../../protocol/schema.js';
import {
  commonStructs,
  compareFieldsAt,
  fieldPaths,
  fmtRange,
  KAFKA_39_DIR,
  type JsonApi,
  loadApis,
  loadKafka44,
  nullableEverywhere,
  range,
} from './kafka-message-specs.js';

const HERE = dirname(fileURLToPath(import.meta.url));

let kafka44: Map<number, JsonApi> | undefined;
/** Kafka 4.4.0's APIs by key, loaded on first use (so a missing cache fails the tests, not the import). */
function k44(): Map<number, JsonApi> {
  kafka44 ??= loadKafka44();
  return kafka44;
}

const kafka39 = loadApis(KAFKA_39_DIR, 'kafka-clients 3.9.1');

/** The JSON that defines `v` of `api` for us: 4.4.0 from its minimum up, the 3.9.1 snapshot below. */
function referenceFor(api: ApiSpec, v: number): JsonApi {
  const now = k44().get(api.apiKey);
  assert.ok(now, `${api.name} (key ${api.apiKey}): Kafka 4.4.0 defines no such API`);
  const valid = range(now.request.validVersions);
  if (inRange(valid, v)) return now;
  assert.ok(v < valid.min, `${api.name} v${v}: above Kafka 4.4.0's ${fmtRange(valid)}`);
  const old = kafka39.get(api.apiKey);
  assert.ok(
    old && inRange(range(old.request.validVersions), v),
    `${api.name} v${v}: below Kafka 4.4.0's ${fmtRange(valid)} and not defined by kafka-clients 3.9.1 either (drop the version)`,
  );
  return old;
}

const keepsOldVersions = (api: ApiSpec): boolean => {
  const now = k44().get(api.apiKey);
  return now !== undefined && api.validVersions.min < range(now.request.validVersions).min;
};

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
    for (const [i, e] of expected.entries()) assertSame(actual[i], e, where, `${path}[${i}]`);
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

test("Kafka 4.4.0's JSON message specs are in the test cache", () => {
  const apis = k44();
  assert.ok(apis.has(0) && apis.has(18), 'no Produce or ApiVersions JSON among them');
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

test('every API Kafka 4.4.0 defines for the broker listener has a schema', () => {
  const missing = [...k44()]
    .filter(
      ([, j]) => (j.request.listeners ?? []).includes('broker') && range(j.request.validVersions).min <= range(j.request.validVersions).max,
    )
    .filter(([key]) => !API_BY_KEY.has(key))
    .map(([key, j]) => `${key} ${j.request.name.replace(/Request$/, '')}`);
  assert.deepEqual(missing, [], `no schema in protocol/messages for: ${missing.join(', ')}`);
});

test('kafka-clients 3.9.1 defines every API whose pre-4.0 versions we keep', () => {
  for (const api of ALL_APIS) {
    if (keepsOldVersions(api)) assert.ok(kafka39.has(api.apiKey), `${api.name} keeps old versions but kafka-clients 3.9.1 lacks its JSON`);
  }
});

for (const api of ALL_APIS) {
  const label = `${api.name} (key ${api.apiKey})`;

  test(`${label}: defines every version Kafka 4.4.0 defines`, () => {
    const now = k44().get(api.apiKey);
    assert.ok(now, `${label}: Kafka 4.4.0 defines no such API`);
    assert.equal(`${api.name}Request`, now.request.name, `${label}: name (Kafka 4.4.0's ${now.request.name})`);
    assert.equal(api.request.name, now.request.name, `${label}: request message name`);
    assert.equal(api.response.name, now.response.name, `${label}: response message name`);
    const valid = range(now.request.validVersions);
    assert.equal(fmtRange(range(now.response.validVersions)), fmtRange(valid), `${label}: Kafka's request/response validVersions disagree`);
    assert.equal(
      api.validVersions.max,
      valid.max,
      `${label}: top version (Kafka 4.4.0: ${fmtRange(valid)}, ours ${fmtRange(api.validVersions)})`,
    );
    assert.ok(
      api.validVersions.min <= valid.min,
      `${label}: lowest version (Kafka 4.4.0: ${fmtRange(valid)}, ours ${fmtRange(api.validVersions)})`,
    );
    assert.equal(
      api.latestVersionUnstable,
      Boolean(now.request.latestVersionUnstable || now.response.latestVersionUnstable),
      `${label}: latestVersionUnstable (Kafka 4.4.0)`,
    );
    for (const side of ['request', 'response'] as const) {
      assert.equal(fmtRange(api[side].validVersions), fmtRange(api.validVersions), `${label}: ${side} validVersions`);
      assert.equal(fmtRange(api[side].flexibleVersions), fmtRange(api.flexibleVersions), `${label}: ${side} flexibleVersions`);
    }
  });

  test(`${label}: every version matches Kafka's JSON (4.4.0, or 3.9.1 below 4.4.0's minimum)`, () => {
    const seen = { request: new Set<string>(), response: new Set<string>() };
    for (let v = api.validVersions.min; v <= api.validVersions.max; v++) {
      const ref = referenceFor(api, v);
      for (const side of ['request', 'response'] as const) {
        const json = ref[side];
        const where = `${label} v${v} ${side} vs ${ref.source}`;
        assert.equal(json.apiKey, api.apiKey, `${where}: apiKey`);
        assert.equal(json.type, side, `${where}: JSON type`);
        assert.equal(json.name, api[side].name, `${where}: message name`);
        assert.equal(
          inRange(api.flexibleVersions, v),
          inRange(range(json.flexibleVersions), v),
          `${where}: flexible (JSON ${json.flexibleVersions})`,
        );
        compareFieldsAt(where, v, json.fields, api[side].fields, commonStructs(json), '', seen[side]);
      }
      const deprecated = ref.request.deprecatedVersions ?? ref.response.deprecatedVersions;
      if (ref.request.deprecatedVersions !== undefined && ref.response.deprecatedVersions !== undefined) {
        assert.equal(
          fmtRange(range(ref.response.deprecatedVersions)),
          fmtRange(range(ref.request.deprecatedVersions)),
          `${label}: ${ref.source} deprecatedVersions disagree`,
        );
      }
      assert.equal(
        inRange(api.deprecatedVersions, v),
        inRange(range(deprecated), v),
        `${label} v${v}: deprecated (${ref.source}: ${deprecated ?? 'none'})`,
      );
    }
    for (const side of ['request', 'response'] as const) {
      const unused = fieldPaths(api[side].fields).filter((p) => !seen[side].has(p));
      assert.deepEqual(unused, [], `${label} ${side}: field(s) present in none of our versions: ${unused.join(', ')}`);
    }
  });

  test(`${label}: every version round-trips`, () => {
    for (let v = api.validVersions.min; v <= api.validVersions.max; v++) {
      for (const side of ['request', 'response'] as const) {
        for (const mode of ['defaults', 'samples', 'nulls'] as const) roundTrip(api, side, v, mode);
      }
    }
  });

  test(`${label}: header versions follow flexibleVersions`, () => {
    for (let v = api.validVersions.min; v <= api.validVersions.max; v++) {
      const flex = inRange(range(referenceFor(api, v).request.flexibleVersions), v);
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
