// Compatibility levels as Confluent defines them (io.confluent.kafka.schemaregistry.CompatibilityLevel):
//
//   BACKWARD            the new schema reads data written with the latest registered one (default)
//   FORWARD             the latest registered schema reads data written with the new one
//   FULL                both
//   *_TRANSITIVE        the same against every registered (not deleted) version, not only the latest
//   NONE                no check
//
// The type's provider answers "can reader read writer"; this file picks the pairs and adds
// Confluent's trailing details to the messages (oldSchemaVersion, oldSchema, compatibility).

import type { ParsedSchema, SchemaProvider } from './types.js';

export const COMPATIBILITY_LEVELS = [
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
] as const;
export type CompatibilityLevel = (typeof COMPATIBILITY_LEVELS)[number];

export function isCompatibilityLevel(v: unknown): v is CompatibilityLevel {
  return typeof v === 'string' && (COMPATIBILITY_LEVELS as readonly string[]).includes(v);
}

export interface PreviousVersion {
  version: number;
  parsed: ParsedSchema;
}

/**
 * Why `candidate` may not follow `previous` (registered versions, oldest first) under `level`;
 * empty when it may.
 */
export function compatibilityMessages(
  provider: SchemaProvider,
  level: CompatibilityLevel,
  candidate: ParsedSchema,
  previous: readonly PreviousVersion[],
): string[] {
  if (level === 'NONE' || previous.length === 0) return [];
  const against = level.endsWith('_TRANSITIVE') ? [...previous].reverse() : [previous[previous.length - 1]!];
  const backward = level.startsWith('BACKWARD') || level.startsWith('FULL');
  const forward = level.startsWith('FORWARD') || level.startsWith('FULL');
  for (const old of against) {
    const messages: string[] = [];
    if (backward) messages.push(...provider.incompatibilities(candidate, old.parsed));
    if (forward) messages.push(...provider.incompatibilities(old.parsed, candidate));
    if (messages.length > 0) {
      return [...messages, `{oldSchemaVersion: ${old.version}}`, `{oldSchema: '${old.parsed.raw}'}`, `{compatibility: '${level}'}`];
    }
  }
  return [];
}
