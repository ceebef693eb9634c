// docs/DIVERGENCES.md as data: the one table of answers in which kafkalite knowingly differs
// from Kafka 4.4. The oracle allows a mismatch only when a row covers it (scenario glob, with
// an optional `@vN`, and field path glob), and fails on rows that cover nothing.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Divergence {
  id: string;
  /** Scenario id glob, e.g. `groups/join-*` or `meta/api-versions@v0`. */
  scenario: string;
  /** Field path glob, e.g. `responses[*].partitionResponses[*].errorMessage`. */
  path: string;
  api: string;
  kafka: string;
  kafkalite: string;
  reason: string;
}

/** dist/test/oracle/ -> the repository root. */
export const DIVERGENCES_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs', 'DIVERGENCES.md');

const COLUMNS = ['id', 'scenario', 'path', 'api', 'kafka', 'kafkalite', 'reason'] as const;

function cells(line: string): string[] {
  const parts = line
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/);
  return parts.map((c) => c.trim().replace(/\\\|/g, '|').replace(/^`|`$/g, ''));
}

export function parseDivergences(text: string): Divergence[] {
  const lines = text.split('\n').filter((l) => l.trim().startsWith('|'));
  if (lines.length < 2) return [];
  const header = cells(lines[0]!).map((h) => h.toLowerCase());
  const expected = ['id', 'scenario', 'field path', 'api', 'kafka answers', 'kafkalite answers', 'reason'];
  if (header.join('|') !== expected.join('|')) throw new Error(`DIVERGENCES.md: header must be | ${expected.join(' | ')} |`);
  const rows = lines.slice(2).map((l) => {
    const c = cells(l);
    if (c.length !== COLUMNS.length) throw new Error(`DIVERGENCES.md: ${c.length} cells in: ${l}`);
    const row = Object.fromEntries(COLUMNS.map((k, i) => [k, c[i]!])) as unknown as Divergence;
    if (!row.reason) throw new Error(`DIVERGENCES.md: row ${row.id} has no reason`);
    return row;
  });
  const ids = new Set<string>();
  for (const r of rows) {
    if (ids.has(r.id)) throw new Error(`DIVERGENCES.md: duplicate id ${r.id}`);
    ids.add(r.id);
  }
  return rows;
}

export const DIVERGENCES: readonly Divergence[] = parseDivergences(readFileSync(DIVERGENCES_FILE, 'utf8'));
