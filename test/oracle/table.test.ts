// The corpus and docs/DIVERGENCES.md checked without brokers: scenario ids are unique, and
// every row of the table names scenarios that exist (the per-file suites then check that each
// row still matches a divergence). Prints the corpus as a table: API, scenarios, versions.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DIVERGENCES } from './divergences.js';
import { globMatches } from './normalise.js';
import type { Scenario } from './oracle.js';
import { ADMIN_SCENARIOS } from './scenarios/admin.js';
import { CONFIG_SCENARIOS } from './scenarios/configs.js';
import { ERROR_SCENARIOS } from './scenarios/errors.js';
import { QUOTA_SCENARIOS } from './scenarios/quotas.js';
import { FUZZ_FOUND_SCENARIOS } from './scenarios/fuzz-found.js';
import { GROUP_SCENARIOS } from './scenarios/groups.js';
import { META_SCENARIOS } from './scenarios/meta.js';
import { PRODUCE_ERROR_SCENARIOS } from './scenarios/produce-errors.js';
import { PRODUCE_FETCH_SCENARIOS } from './scenarios/produce-fetch.js';
import { TOPIC_SCENARIOS } from './scenarios/topics.js';
import { TELEMETRY_SCENARIOS } from './scenarios/telemetry.js';
import { TXN_SCENARIOS } from './scenarios/txn.js';
import { GROUP_CONFIG_SCENARIOS } from './scenarios/group-configs.js';
import { TXN_MEMBER_SCENARIOS } from './scenarios/txn-members.js';
import { MIGRATION_SCENARIOS } from './scenarios/migration.js';
import { STREAMS_SCENARIOS } from './scenarios/streams.js';
import { MIGRATION_ONLINE_SCENARIOS } from './scenarios/migration-online.js';
import { REPLICATION_SCENARIOS } from './scenarios/replication.js';
import { ACL_DISABLED_SCENARIOS, ACL_SCENARIOS } from './scenarios/acls.js';
import { SHARE_FETCH_SCENARIOS } from './scenarios/share-fetch.js';
import { SASL_SCENARIOS } from './scenarios/sasl.js';
import { SHARE_GROUP_SCENARIOS } from './scenarios/share-groups.js';
import { DELEGATION_TOKEN_SCENARIOS } from './scenarios/delegation-tokens.js';
import { ACL_MORE_SCENARIOS } from './scenarios/acls-more.js';

const CORPUS: Scenario[] = [
  ...META_SCENARIOS,
  ...PRODUCE_FETCH_SCENARIOS,
  ...PRODUCE_ERROR_SCENARIOS,
  ...CONFIG_SCENARIOS,
  ...TOPIC_SCENARIOS,
  ...GROUP_SCENARIOS,
  ...TXN_SCENARIOS,
  ...ERROR_SCENARIOS,
  ...ADMIN_SCENARIOS,
  ...GROUP_CONFIG_SCENARIOS,
  ...TXN_MEMBER_SCENARIOS,
  ...MIGRATION_SCENARIOS,
  ...STREAMS_SCENARIOS,
  ...TELEMETRY_SCENARIOS,
  ...QUOTA_SCENARIOS,
  ...FUZZ_FOUND_SCENARIOS,
  ...MIGRATION_ONLINE_SCENARIOS,
  ...REPLICATION_SCENARIOS,
  ...ACL_SCENARIOS,
  ...ACL_DISABLED_SCENARIOS,
  ...SHARE_FETCH_SCENARIOS,
  ...SASL_SCENARIOS,
  ...SHARE_GROUP_SCENARIOS,
  ...DELEGATION_TOKEN_SCENARIOS,
  ...ACL_MORE_SCENARIOS,
];

test('scenario ids are unique across the corpus', () => {
  const ids = CORPUS.map((s) => s.id);
  assert.deepEqual(
    ids.filter((id, i) => ids.indexOf(id) !== i),
    [],
  );
});

test('every docs/DIVERGENCES.md row names scenarios of the corpus', () => {
  const orphans = DIVERGENCES.filter((r) => !CORPUS.some((s) => globMatches(r.scenario.split('@')[0]!, s.id))).map((r) => r.id);
  assert.deepEqual(orphans, []);
});

test('the corpus covers every API kafkalite serves', async () => {
  const { REGISTRY } = await import('../../broker/handlers/index.js');
  const covered = new Set(CORPUS.map((s) => s.api.apiKey));
  const missing = [...REGISTRY.values()].filter((e) => !covered.has(e.api.apiKey)).map((e) => e.api.name);
  assert.deepEqual(missing, []);
  const byApi = new Map<string, Scenario[]>();
  for (const s of CORPUS) byApi.set(s.api.name, [...(byApi.get(s.api.name) ?? []), s]);
  const lines = [...byApi].map(([api, ss]) => {
    const versions = [...new Set(ss.map((s) => (Array.isArray(s.versions) ? `v${s.versions.join(',')}` : (s.versions ?? 'span'))))];
    return `${api.padEnd(28)} ${String(ss.length).padStart(3)} scenario(s)  versions: ${versions.join(' | ')}`;
  });
  console.log(`oracle corpus: ${CORPUS.length} scenarios, ${DIVERGENCES.length} tabled divergences\n${lines.join('\n')}`);
});
