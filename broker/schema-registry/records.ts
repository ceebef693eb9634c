// The `_schemas` topic's record formats, as Confluent's registry writes them (core,
// io.confluent.kafka.schemaregistry.storage: SchemaKey, ConfigKey, ModeKey, DeleteSubjectKey,
// SchemaValue, ConfigValue, ...), so either registry can read the other's topic. Keys and values
// are JSON; empty fields are left out (Jackson's NON_EMPTY) and key fields keep Confluent's order:
//
//   {"keytype":"SCHEMA","subject":"orders-value","version":1,"magic":1}
//     -> {"subject":"orders-value","version":1,"id":1,"schemaType":"PROTOBUF","references":[...],"schema":"...","deleted":false}
//        (no schemaType for AVRO; a null value is a hard delete of that version)
//   {"keytype":"CONFIG","magic":0} | {"keytype":"CONFIG","subject":"s","magic":0}  -> {"compatibilityLevel":"FULL"} | null
//   {"keytype":"MODE","magic":0}   | {"keytype":"MODE","subject":"s","magic":0}    -> {"mode":"READONLY"} | null
//   {"keytype":"DELETE_SUBJECT","subject":"s","magic":0} -> {"subject":"s","version":3}   (soft delete up to version 3)
//   {"keytype":"NOOP","magic":0}   (Confluent writes it to find the end of the log; read and skipped)

import type { SchemaReference, SchemaType } from './types.js';

export type RegistryKey =
  | { keytype: 'SCHEMA'; subject: string; version: number }
  | { keytype: 'CONFIG' | 'MODE'; subject: string | null }
  | { keytype: 'DELETE_SUBJECT' | 'CLEAR_SUBJECT'; subject: string }
  | { keytype: 'NOOP' };

export interface SchemaValue {
  subject: string;
  version: number;
  id: number;
  schemaType: SchemaType;
  references: SchemaReference[];
  schema: string;
  deleted: boolean;
}

export interface ConfigValue {
  compatibilityLevel: string;
}

export interface ModeValue {
  mode: string;
}

export interface DeleteSubjectValue {
  subject: string;
  version: number;
}

export function encodeKey(key: RegistryKey): Buffer {
  let obj: Record<string, unknown>;
  switch (key.keytype) {
    case 'SCHEMA':
      obj = { keytype: key.keytype, subject: key.subject, version: key.version, magic: 1 };
      break;
    case 'NOOP':
      obj = { keytype: key.keytype, magic: 0 };
      break;
    default:
      obj = key.subject === null ? { keytype: key.keytype, magic: 0 } : { keytype: key.keytype, subject: key.subject, magic: 0 };
  }
  return Buffer.from(JSON.stringify(obj));
}

export function encodeSchemaValue(v: SchemaValue): Buffer {
  const obj: Record<string, unknown> = { subject: v.subject, version: v.version, id: v.id };
  if (v.schemaType !== 'AVRO') obj.schemaType = v.schemaType;
  if (v.references.length > 0) obj.references = v.references;
  obj.schema = v.schema;
  obj.deleted = v.deleted;
  return Buffer.from(JSON.stringify(obj));
}

export function encodeValue(v: object): Buffer {
  return Buffer.from(JSON.stringify(v));
}

/** A key of `_schemas`, or null for one this registry does not know (skipped on replay, as Confluent skips unknown key types). */
export function decodeKey(buf: Buffer): RegistryKey | null {
  let obj: Record<string, unknown>;
  try {
    obj = JSON.parse(buf.toString('utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
  const subject = typeof obj.subject === 'string' ? obj.subject : null;
  switch (obj.keytype) {
    case 'SCHEMA':
      return subject !== null && typeof obj.version === 'number' ? { keytype: 'SCHEMA', subject, version: obj.version } : null;
    case 'CONFIG':
    case 'MODE':
      return { keytype: obj.keytype, subject };
    case 'DELETE_SUBJECT':
    case 'CLEAR_SUBJECT':
      return subject !== null ? { keytype: obj.keytype, subject } : null;
    case 'NOOP':
      return { keytype: 'NOOP' };
    default:
      return null;
  }
}

export function decodeSchemaValue(buf: Buffer): SchemaValue {
  const obj = JSON.parse(buf.toString('utf8')) as Partial<SchemaValue>;
  return {
    subject: obj.subject ?? '',
    version: obj.version ?? 0,
    id: obj.id ?? 0,
    schemaType: obj.schemaType ?? 'AVRO',
    references: obj.references ?? [],
    schema: obj.schema ?? '',
    deleted: obj.deleted ?? false,
  };
}

export function decodeJson<T>(buf: Buffer): T {
  return JSON.parse(buf.toString('utf8')) as T;
}
