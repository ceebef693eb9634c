// The declarative schema language. Each API is described once, for every version Kafka
// defines, in protocol/messages/NN-name.ts; protocol/codec.ts compiles a (schema, version)
// pair into a reader and a writer the first time it is needed and caches it. An API's request
// and response fields are themselves built at their first use (`request: () => ({...})`), so
// loading every schema, as the registry does at start, costs little (issue 15).
//
// A schema mirrors Kafka's JSON message specs (clients/src/main/resources/common/message/*.json,
// described by that folder's README.md): fields in wire order, each with the versions it exists
// in, nullable versions, tagged versions and tag, and a default.
// TypeScript types for messages are inferred from the schema, so handlers get typed
// requests and responses without hand-written interfaces.

export interface VersionRange {
  readonly min: number;
  readonly max: number;
}

export const NO_VERSIONS: VersionRange = { min: 1, max: 0 };

/** Parse Kafka's version strings: "3+", "0-5", "2", "none". */
export function parseVersions(text: string): VersionRange {
  const t = text.trim();
  if (t === 'none' || t === '') return NO_VERSIONS;
  if (t.endsWith('+')) return { min: Number(t.slice(0, -1)), max: 32767 };
  const dash = t.indexOf('-');
  if (dash > 0) return { min: Number(t.slice(0, dash)), max: Number(t.slice(dash + 1)) };
  const n = Number(t);
  if (!Number.isInteger(n)) throw new RangeError(`bad version string ${JSON.stringify(text)}`);
  return { min: n, max: n };
}

export function inRange(r: VersionRange, v: number): boolean {
  return v >= r.min && v <= r.max;
}

export type PrimitiveType =
  | 'bool'
  | 'int8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'float64'
  | 'string'
  | 'bytes'
  | 'records'
  | 'uuid';

interface PrimitiveTs {
  bool: boolean;
  int8: number;
  int16: number;
  uint16: number;
  int32: number;
  uint32: number;
  int64: number;
  float64: number;
  string: string;
  bytes: Buffer;
  records: Buffer;
  uuid: string;
}

export interface FieldOptions {
  /** Versions in which null is allowed (Kafka's nullableVersions). */
  nullable?: string;
  /** Tag number, for tagged fields. */
  tag?: number;
  /** Versions in which the field is tagged (Kafka's taggedVersions). */
  tagged?: string;
  /** Value when absent from a version; also the "don't write" value for tagged fields. */
  default?: unknown;
  /** Kafka's ignorable flag (documentation here: writers drop absent fields either way). */
  ignorable?: boolean;
  /** Per-field flexibleVersions override, string/bytes only (RequestHeader.ClientId is "none"). */
  flexible?: string;
}

export interface FieldSpec<T = unknown> {
  readonly kind: 'primitive' | 'array' | 'struct';
  /** Primitive type, or element type of an array of primitives. */
  readonly type?: PrimitiveType;
  /** Sub-fields of a struct or of each element of an array of structs. */
  readonly fields?: Fields;
  readonly versions: VersionRange;
  readonly nullable: VersionRange;
  readonly tagged: VersionRange;
  readonly tag: number;
  readonly flexibleOverride?: VersionRange;
  readonly defaultValue?: unknown;
  readonly ignorable: boolean;
  /** Phantom: the TypeScript type of the decoded value. */
  readonly __type?: T;
}

export type Fields = { readonly [name: string]: FieldSpec<unknown> };

type Nullable<O, T> = O extends { nullable: string } ? T | null : T;

/** Decoded message type of a field set: every field present (absent versions get defaults). */
export type Infer<F extends Fields> = { -readonly [K in keyof F]: F[K] extends FieldSpec<infer T> ? T : never };

/** What an encoder accepts: any field may be left out (it takes its default); records may be chunks. */
export type Input<T> = T extends Buffer
  ? Buffer | Buffer[]
  : T extends (infer E)[]
    ? Input<E>[]
    : T extends object
      ? { [K in keyof T]?: Input<T[K]> }
      : T;

function spec<T>(
  kind: FieldSpec['kind'],
  versions: string,
  opts: FieldOptions | undefined,
  extra: { type?: PrimitiveType; fields?: Fields },
): FieldSpec<T> {
  const o = opts ?? {};
  return {
    kind,
    type: extra.type,
    fields: extra.fields,
    versions: parseVersions(versions),
    nullable: parseVersions(o.nullable ?? 'none'),
    tagged: parseVersions(o.tagged ?? 'none'),
    tag: o.tag ?? -1,
    flexibleOverride: o.flexible === undefined ? undefined : parseVersions(o.flexible),
    defaultValue: o.default,
    ignorable: o.ignorable ?? false,
  };
}

function prim<P extends PrimitiveType>(type: P) {
  return <O extends FieldOptions = Record<never, never>>(versions: string, opts?: O) =>
    spec<Nullable<O, PrimitiveTs[P]>>('primitive', versions, opts, { type });
}

function array<F extends Fields, O extends FieldOptions = Record<never, never>>(
  versions: string,
  element: F,
  opts?: O,
): FieldSpec<Nullable<O, Infer<F>[]>>;
function array<P extends PrimitiveType, O extends FieldOptions = Record<never, never>>(
  versions: string,
  element: P,
  opts?: O,
): FieldSpec<Nullable<O, PrimitiveTs[P][]>>;
function array(versions: string, element: Fields | PrimitiveType, opts?: FieldOptions): FieldSpec {
  return typeof element === 'string'
    ? spec('array', versions, opts, { type: element })
    : spec('array', versions, opts, { fields: element });
}

function struct<F extends Fields, O extends FieldOptions = Record<never, never>>(
  versions: string,
  fields: F,
  opts?: O,
): FieldSpec<Nullable<O, Infer<F>>> {
  return spec('struct', versions, opts, { fields });
}

/** Field builders: `f.int32('0+')`, `f.string('3+', { nullable: '3+' })`, `f.array('0+', {...})`. */
export const f = {
  bool: prim('bool'),
  int8: prim('int8'),
  int16: prim('int16'),
  uint16: prim('uint16'),
  int32: prim('int32'),
  uint32: prim('uint32'),
  int64: prim('int64'),
  float64: prim('float64'),
  string: prim('string'),
  bytes: prim('bytes'),
  records: prim('records'),
  uuid: prim('uuid'),
  array,
  struct,
};

export interface MessageSpec<F extends Fields = Fields> {
  readonly name: string;
  readonly validVersions: VersionRange;
  readonly flexibleVersions: VersionRange;
  readonly fields: F;
}

export function message<F extends Fields>(def: {
  name: string;
  validVersions: string;
  flexibleVersions: string;
  fields: F;
}): MessageSpec<F> {
  return {
    name: def.name,
    validVersions: parseVersions(def.validVersions),
    flexibleVersions: parseVersions(def.flexibleVersions),
    fields: def.fields,
  };
}

export interface ApiSpec<Req extends Fields = Fields, Res extends Fields = Fields> {
  readonly apiKey: number;
  /** Kafka's API name without the Request/Response suffix, e.g. "Produce". */
  readonly name: string;
  readonly validVersions: VersionRange;
  readonly flexibleVersions: VersionRange;
  readonly deprecatedVersions: VersionRange;
  /** Kafka marks the top version unfinished; never advertised. */
  readonly latestVersionUnstable: boolean;
  readonly request: MessageSpec<Req>;
  readonly response: MessageSpec<Res>;
}

export function api<Req extends Fields, Res extends Fields>(def: {
  apiKey: number;
  name: string;
  validVersions: string;
  flexibleVersions: string;
  deprecatedVersions?: string;
  latestVersionUnstable?: boolean;
  /** The request's fields, built at the first use of the schema (not when its module loads: issue 15). */
  request: () => Req;
  response: () => Res;
}): ApiSpec<Req, Res> {
  const validVersions = parseVersions(def.validVersions);
  const flexibleVersions = parseVersions(def.flexibleVersions);
  return {
    apiKey: def.apiKey,
    name: def.name,
    validVersions,
    flexibleVersions,
    deprecatedVersions: parseVersions(def.deprecatedVersions ?? 'none'),
    latestVersionUnstable: def.latestVersionUnstable ?? false,
    request: lazyMessage(`${def.name}Request`, validVersions, flexibleVersions, def.request),
    response: lazyMessage(`${def.name}Response`, validVersions, flexibleVersions, def.response),
  };
}

/**
 * A message whose fields are built on first read: the CLI's start imports every API's schema
 * (the registry's rows) but builds only those its requests use; codecFor() compiles each
 * (message, version) once from these fields and caches it, as before.
 */
function lazyMessage<F extends Fields>(
  name: string,
  validVersions: VersionRange,
  flexibleVersions: VersionRange,
  build: () => F,
): MessageSpec<F> {
  let fields: F | undefined;
  return {
    name,
    validVersions,
    flexibleVersions,
    get fields(): F {
      if (fields === undefined) fields = build();
      return fields;
    },
  };
}

export type RequestOf<A> = A extends { request: MessageSpec<infer Req> } ? Infer<Req> : never;
export type ResponseOf<A> = A extends { response: MessageSpec<infer Res> } ? Infer<Res> : never;
