// fast-check arbitraries generated FROM our declarative schemas (protocol/schema.ts): one walker
// turns a (message, version) into an arbitrary of the values its codec accepts — integers in
// their type's range, strings (non-ASCII too), null where the version allows it, arrays, nested
// structs, tagged fields, uuids and `records` bytes — so every API and version in
// protocol/messages/ is fuzzed without a hand-written generator.
//
// `presentOnly` mirrors what a decoder returns for the fields of one version, so a round trip can
// be compared field by field (absent fields decode to their defaults).

import fc from 'fast-check';
import { inRange, type FieldSpec, type Fields, type MessageSpec, type PrimitiveType } from '../../protocol/schema.js';

export interface ArbitraryOptions {
  /** Longest generated array (default 3). */
  maxArray?: number;
  /** Longest generated string in characters and bytes field (default 12). */
  maxBytes?: number;
}

const cache = new WeakMap<MessageSpec, Map<string, fc.Arbitrary<Record<string, unknown>>>>();

/** An arbitrary of `msg`'s values at `version`, fields of other versions left out. */
export function messageArbitrary(msg: MessageSpec, version: number, opts: ArbitraryOptions = {}): fc.Arbitrary<Record<string, unknown>> {
  let byKey = cache.get(msg);
  if (!byKey) {
    byKey = new Map();
    cache.set(msg, byKey);
  }
  const key = `${version}/${opts.maxArray ?? 3}/${opts.maxBytes ?? 12}`;
  let arb = byKey.get(key);
  if (!arb) {
    arb = structArbitrary(msg.fields, version, { maxArray: opts.maxArray ?? 3, maxBytes: opts.maxBytes ?? 12 }, 0);
    byKey.set(key, arb);
  }
  return arb;
}

function structArbitrary(
  fields: Fields,
  v: number,
  opts: Required<ArbitraryOptions>,
  depth: number,
): fc.Arbitrary<Record<string, unknown>> {
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, spec] of Object.entries(fields)) {
    if (!inRange(spec.versions, v)) continue;
    shape[name] = fieldArbitrary(spec, v, opts, depth);
  }
  return fc.record(shape, { noNullPrototype: true }) as fc.Arbitrary<Record<string, unknown>>;
}

function fieldArbitrary(spec: FieldSpec, v: number, opts: Required<ArbitraryOptions>, depth: number): fc.Arbitrary<unknown> {
  const nullable = inRange(spec.nullable, v);
  let arb: fc.Arbitrary<unknown>;
  if (spec.kind === 'primitive') {
    arb = primitiveArbitrary(spec.type!, opts);
  } else if (spec.kind === 'array') {
    // Deep nesting multiplies sizes: shorter arrays below the top levels.
    const maxLength = depth >= 2 ? 1 : opts.maxArray;
    const elem = spec.fields ? structArbitrary(spec.fields, v, opts, depth + 1) : primitiveArbitrary(spec.type!, opts);
    arb = fc.array(elem, { maxLength });
  } else {
    arb = structArbitrary(spec.fields!, v, opts, depth + 1);
  }
  return nullable ? fc.option(arb, { nil: null, freq: 4 }) : arb;
}

const INT64_SAFE = fc.oneof(
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  fc.constantFrom(-1, 0, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 32, -(2 ** 32)),
  fc.maxSafeInteger(),
);

function primitiveArbitrary(type: PrimitiveType, opts: Required<ArbitraryOptions>): fc.Arbitrary<unknown> {
  switch (type) {
    case 'bool':
      return fc.boolean();
    case 'int8':
      return fc.integer({ min: -128, max: 127 });
    case 'int16':
      return fc.integer({ min: -32768, max: 32767 });
    case 'uint16':
      return fc.integer({ min: 0, max: 65535 });
    case 'int32':
      return fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
    case 'uint32':
      return fc.integer({ min: 0, max: 2 ** 32 - 1 });
    case 'int64':
      // Numbers are exact up to 2^53 (protocol/primitives.ts Reader.int64).
      return INT64_SAFE;
    case 'float64':
      return fc.double();
    case 'string':
      return fc.oneof(fc.string({ maxLength: opts.maxBytes }), fc.string({ maxLength: opts.maxBytes, unit: 'grapheme' }));
    case 'bytes':
    case 'records':
      return fc.uint8Array({ maxLength: opts.maxBytes }).map((a) => Buffer.from(a));
    case 'uuid':
      return fc.uint8Array({ minLength: 16, maxLength: 16 }).map((a) => Buffer.from(a).toString('base64url'));
  }
}

/** The fields of `value` that exist at `version` (what a generated value holds), recursively. */
export function presentOnly(fields: Fields, v: number, value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(fields)) {
    if (!inRange(spec.versions, v)) continue;
    const x = obj[name];
    if (spec.fields && Array.isArray(x)) out[name] = x.map((e) => presentOnly(spec.fields!, v, e));
    else if (spec.fields && spec.kind === 'struct') out[name] = presentOnly(spec.fields, v, x);
    else out[name] = x;
  }
  return out;
}
