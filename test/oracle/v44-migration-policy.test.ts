// group.consumer.migration.policy next to Apache Kafka 4.4.0: both brokers started with the same
// policy, the scenarios of test/oracle/scenarios/migration.ts (MIGRATION_POLICY_SCENARIOS) run
// on both and compared as the oracle compares (test/oracle/oracle.ts runInstance). `disabled`:
// a KIP-848 member joining a classic group with members gets GROUP_ID_NOT_FOUND ("online
// upgrade is disabled") and a classic member joining a consumer group with members
// INCONSISTENT_GROUP_PROTOCOL; `downgrade` refuses the upgrade alike but serves classic members
// of a consumer group; `upgrade` keeps a group of classic members a consumer group when its
// last KIP-848 member leaves (scenarios of test/oracle/scenarios/migration-online.ts).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startBroker } from '../../broker/index.js';
import { ApiVersions } from '../../protocol/messages/index.js';
import { WireClient } from '../integration/wire-client.js';
import { startKafka } from '../jvm/kafka.js';
import { COMMON_CONFIG, instanceVersions, runInstance, type Scenario, type Served } from './oracle.js';
import { MIGRATION_POLICY_SCENARIOS } from './scenarios/migration.js';
import { MIGRATION_ONLINE_SCENARIOS } from './scenarios/migration-online.js';

const online = (id: string): Scenario => MIGRATION_ONLINE_SCENARIOS.find((s) => s.id === `migration-online/${id}`)!;

async function served(bootstrap: string): Promise<Served> {
  const c = await WireClient.connect(bootstrap);
  try {
    const res = await c.send(ApiVersions, 3, { clientSoftwareName: 'kafkalite-oracle', clientSoftwareVersion: '1' });
    return new Map(res.apiKeys.map((a) => [a.apiKey, { min: a.minVersion, max: a.maxVersion }]));
  } finally {
    await c.close();
  }
}

async function underPolicy(policy: string, scenarios: Scenario[]): Promise<void> {
  const config = { ...COMMON_CONFIG, 'group.consumer.migration.policy': policy };
  const [kafka, lite] = await Promise.all([startKafka({ config }), startBroker({ config: { ...config, 'node.id': 1 } })]);
  try {
    const pair = { kafka, lite, served: { kafka: await served(kafka.bootstrap), kafkalite: await served(lite.bootstrap) } };
    const problems: string[] = [];
    let compared = 0;
    for (const s of scenarios) {
      for (const v of instanceVersions(s, pair.served)) {
        const r = await runInstance(pair, s, v);
        compared += r.comparisons;
        for (const m of r.mismatches)
          problems.push(`${r.key} ${m.step} ${m.path}: kafka ${JSON.stringify(m.kafka)} kafkalite ${JSON.stringify(m.lite)}`);
      }
    }
    assert.deepEqual(problems, []);
    assert.ok(compared > 0);
  } finally {
    await Promise.all([kafka.stop(), lite.stop()]);
  }
}

describe('group.consumer.migration.policy against Kafka 4.4', { timeout: 240_000 }, () => {
  test('disabled: no upgrade of a classic group, no classic member in a consumer group', () =>
    underPolicy('disabled', [MIGRATION_POLICY_SCENARIOS.upgrade, MIGRATION_POLICY_SCENARIOS.classicJoin]));
  test('downgrade: no upgrade of a classic group; classic members join a consumer group', () =>
    underPolicy('downgrade', [MIGRATION_POLICY_SCENARIOS.upgrade, online('classic-join-to-consumer-group')]));
  test('upgrade: the group stays a consumer group when its last KIP-848 member leaves', () =>
    underPolicy('upgrade', [online('heartbeat-upgrades-classic-group'), online('last-consumer-member-leaves')]));
});
