// The table runner of the Schema Registry's compatibility tests
// (schema-registry-compat-avro.test.ts, schema-registry-compat-json-proto.test.ts): each row, an
// old and a new schema with the verdicts under BACKWARD (the new schema reads data written with
// the old) and FORWARD (the old reads the new); FULL must be both and NONE accepts anything.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compatibilityMessages, type CompatibilityLevel } from '../../broker/schema-registry/compatibility.js';
import type { SchemaProvider } from '../../broker/schema-registry/types.js';

export interface Row {
  name: string;
  old: unknown;
  new: unknown;
  backward: boolean;
  forward: boolean;
}

export function verdict(provider: SchemaProvider, level: CompatibilityLevel, versions: unknown[], candidate: unknown): string[] {
  const text = (s: unknown) => (typeof s === 'string' ? s : JSON.stringify(s));
  const previous = versions.map((s, i) => ({ version: i + 1, parsed: provider.parse(text(s), []) }));
  return compatibilityMessages(provider, level, provider.parse(text(candidate), []), previous);
}

export function runTable(provider: SchemaProvider, rows: Row[]): void {
  for (const row of rows) {
    test(`${provider.type}: ${row.name} -> BACKWARD ${row.backward ? 'ok' : 'refused'}, FORWARD ${row.forward ? 'ok' : 'refused'}`, () => {
      const b = verdict(provider, 'BACKWARD', [row.old], row.new);
      const f = verdict(provider, 'FORWARD', [row.old], row.new);
      const full = verdict(provider, 'FULL', [row.old], row.new);
      assert.equal(b.length === 0, row.backward, `BACKWARD: ${b.join('\n')}`);
      assert.equal(f.length === 0, row.forward, `FORWARD: ${f.join('\n')}`);
      assert.equal(full.length === 0, row.backward && row.forward, `FULL: ${full.join('\n')}`);
      assert.equal(verdict(provider, 'NONE', [row.old], row.new).length, 0);
    });
  }
}
