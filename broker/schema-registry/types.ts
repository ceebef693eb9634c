// What the registry knows about a schema type: how to parse a schema text (with the schemas it
// references) into something comparable, and whether one schema can read data written with
// another. One provider per type: avro.ts, json-schema.ts, protobuf.ts; compatibility.ts turns
// the directed check into Confluent's compatibility levels.

export type SchemaType = 'AVRO' | 'JSON' | 'PROTOBUF';
export const SCHEMA_TYPES: readonly SchemaType[] = ['AVRO', 'JSON', 'PROTOBUF'];

/** A reference as Confluent writes it: `name` is how the referencing schema names it (an import path, a $ref URL, an Avro full name). */
export interface SchemaReference {
  name: string;
  subject: string;
  version: number;
}

/** A referenced schema's text, with its own references already resolved (depth first). */
export interface ResolvedReference {
  name: string;
  type: SchemaType;
  schema: string;
  references: ResolvedReference[];
}

export interface ParsedSchema {
  readonly type: SchemaType;
  /** The schema text as registered. */
  readonly raw: string;
  /**
   * A normal form: two registrations of the same schema (whitespace, key order of JSON...)
   * give the same string, so they get the same id.
   */
  readonly canonical: string;
  /** The type's own parsed form, for its compatibility check. */
  readonly model: unknown;
}

export interface SchemaProvider {
  readonly type: SchemaType;
  /** Parses or throws an Error whose message becomes a 42201 (invalid schema). */
  parse(schema: string, references: readonly ResolvedReference[]): ParsedSchema;
  /**
   * Why `reader` cannot read data written with `writer` (Confluent's "new schema is backward
   * compatible with old" is canRead(new, old)); empty when it can.
   */
  incompatibilities(reader: ParsedSchema, writer: ParsedSchema): string[];
}
