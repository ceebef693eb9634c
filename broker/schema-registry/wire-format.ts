// Confluent's wire format, read for the console's message browser: a value written by
// Confluent's serializers (and @kafkajs/confluent-schema-registry, ...) is
//
//   byte 0: magic 0 | bytes 1-4: the schema id, big-endian | the payload
//
// where a Protobuf payload starts with the message indexes (a zigzag varint count, then that
// many zigzag varint indexes; a count of 0 means [0], the first message of the file);
// @kafkajs/confluent-schema-registry 4.1.0 leaves them out, so a payload that does not decode
// with them is read again as the file's first message. The
// payload is decoded with the registered schema: Avro binary with avsc, JSON as is, Protobuf with
// protobufjs. Anything else (no magic byte, an unknown id, bytes that do not decode) gives null.

import type avro from 'avsc';
import protobuf from 'protobufjs';
import type { SchemaStore } from './store.js';
import type { SchemaType } from './types.js';

export interface DecodedValue {
  schemaId: number;
  schemaType: SchemaType;
  /** The value as JSON-ready data. */
  value: unknown;
}

function zigzagVarint(buf: Buffer, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    if (pos >= buf.length) throw new RangeError('truncated varint');
    const b = buf[pos++]!;
    result |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) break;
    shift += 7;
  }
  return [(result >>> 1) ^ -(result & 1), pos];
}

/** JSON-ready data from an avsc value: longs as numbers, bytes as base64. */
function plain(v: unknown): unknown {
  if (Buffer.isBuffer(v)) return v.toString('base64');
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

export function decodeWireFormat(store: SchemaStore, bytes: Buffer | null): DecodedValue | null {
  if (!bytes || bytes.length < 5 || bytes[0] !== 0) return null;
  const schemaId = bytes.readInt32BE(1);
  try {
    const schema = store.schemaById(schemaId);
    const parsed = store.parsedById(schemaId);
    const payload = bytes.subarray(5);
    switch (schema.schemaType) {
      case 'AVRO':
        return { schemaId, schemaType: 'AVRO', value: plain((parsed.model as avro.Type).fromBuffer(payload)) };
      case 'JSON':
        return { schemaId, schemaType: 'JSON', value: JSON.parse(payload.toString('utf8')) };
      case 'PROTOBUF': {
        const model = parsed.model as { root: protobuf.Root; messages: string[] };
        const value = decodeProtobuf(model, payload, true) ?? decodeProtobuf(model, payload, false);
        return value === null ? null : { schemaId, schemaType: 'PROTOBUF', value };
      }
      default:
        return null;
    }
  } catch {
    return null;
  }
}

/** The message a Protobuf payload holds, with or without Confluent's message indexes in front; null when it does not decode. */
function decodeProtobuf(model: { root: protobuf.Root; messages: string[] }, payload: Buffer, withIndexes: boolean): unknown {
  try {
    let pos = 0;
    const path: number[] = [];
    if (withIndexes) {
      let count: number;
      [count, pos] = zigzagVarint(payload, 0);
      if (count < 0 || count > 16) return null;
      for (; count > 0; count--) {
        let index: number;
        [index, pos] = zigzagVarint(payload, pos);
        path.push(index);
      }
    }
    // The path walks the file's top-level messages in order, then nested ones by index.
    let type: protobuf.Type | undefined;
    let scope: protobuf.ReflectionObject[] = model.messages
      .map((m) => model.root.lookupType(m))
      .filter((t) => !(t.parent instanceof protobuf.Type));
    for (const i of path.length === 0 ? [0] : path) {
      type = scope[i] as protobuf.Type | undefined;
      if (!type) return null;
      scope = type.nestedArray.filter((n) => n instanceof protobuf.Type);
    }
    return type!.toObject(type!.decode(payload.subarray(pos)), { longs: String, enums: String, bytes: String });
  } catch {
    return null;
  }
}
