// The schema type providers by name; GET /schemas/types lists their keys.

import { avroProvider } from './avro.js';
import { errors } from './errors.js';
import { jsonSchemaProvider } from './json-schema.js';
import { protobufProvider } from './protobuf.js';
import type { SchemaProvider, SchemaType } from './types.js';

const PROVIDERS: Record<SchemaType, SchemaProvider> = { AVRO: avroProvider, JSON: jsonSchemaProvider, PROTOBUF: protobufProvider };

export function providerFor(type: string): SchemaProvider {
  const p = PROVIDERS[type as SchemaType];
  if (!p) throw errors.invalidSchema(`Invalid schema type ${type}`);
  return p;
}
