// ApiVersions v3-5 next to Apache Kafka 4.4.0 (a real single-node KRaft broker from
// test/jvm/kafka.ts): the same feature names and shapes, only levels kafkalite implements
// finalized (broker/handlers/18-api-versions.ts), v5's cluster/node checks (KIP-1242) with
// Kafka's error codes, and Kafka's Java admin (FeatureCommand, `kafka-features describe`)
// reading our features.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { ErrorCode } from '../../protocol/errors.js';
import { ApiVersions, DescribeCluster } from '../../protocol/messages/index.js';
import { WireClient } from '../integration/wire-client.js';
import { javaOk, startKafka, type RealKafka } from '../jvm/kafka.js';

const T = { timeout: 60_000 };
const SOFTWARE = { clientSoftwareName: 'kafkalite-oracle', clientSoftwareVersion: '1.0' };

let kafka: RealKafka;
let broker: Broker;
const clients: WireClient[] = [];

before(async () => {
  [kafka, broker] = await Promise.all([startKafka(), startBroker({})]);
});
after(async () => {
  for (const c of clients) await c.close();
  await Promise.all([kafka?.stop(), broker?.stop()]);
});

async function connect(bootstrap: string): Promise<WireClient> {
  const c = await WireClient.connect(bootstrap);
  clients.push(c);
  return c;
}

async function apiVersions(bootstrap: string, v: number, extra: { clusterId?: string | null; nodeId?: number } = {}) {
  const c = await connect(bootstrap);
  return c.send(ApiVersions, v, { ...SOFTWARE, ...extra });
}

test('SupportedFeatures: Kafka 4.4 names, ranges within Kafka 4.4, min-0 features only from v4 (KAFKA-17011)', T, async () => {
  for (const v of [3, 4, 5]) {
    const [theirs, ours] = await Promise.all([apiVersions(kafka.bootstrap, v), apiVersions(broker.bootstrap, v)]);
    const kafkaRanges = new Map(theirs.supportedFeatures.map((f) => [f.name, f]));
    assert.deepEqual(ours.supportedFeatures.map((f) => f.name).sort(), [...kafkaRanges.keys()].sort(), `v${v} feature names`);
    for (const f of ours.supportedFeatures) {
      const k = kafkaRanges.get(f.name)!;
      assert.ok(
        f.minVersion >= k.minVersion && f.maxVersion <= k.maxVersion,
        `v${v} ${f.name} ${f.minVersion}-${f.maxVersion} within Kafka's`,
      );
      assert.equal(f.minVersion, k.minVersion, `v${v} ${f.name} min`);
    }
    if (v === 3)
      assert.deepEqual(
        ours.supportedFeatures.map((f) => f.name),
        ['metadata.version'],
      );
    assert.equal(ours.zkMigrationReady, theirs.zkMigrationReady);
  }
});

test('FinalizedFeatures: levels kafkalite implements, as Kafka 4.4 finalizes them (min = max, level-0 features left out)', T, async () => {
  const [theirs, ours] = await Promise.all([apiVersions(kafka.bootstrap, 4), apiVersions(broker.bootstrap, 4)]);
  const kafkaLevels = new Map(theirs.finalizedFeatures.map((f) => [f.name, f]));
  assert.deepEqual(
    ours.finalizedFeatures.map((f) => [f.name, f.minVersionLevel, f.maxVersionLevel]),
    [
      ['group.version', 1, 1],
      ['metadata.version', 33, 33],
      ['share.version', 2, 2],
      ['streams.version', 1, 1],
      ['transaction.version', 2, 2],
    ],
  );
  for (const f of ours.finalizedFeatures) assert.deepEqual(f, kafkaLevels.get(f.name), f.name);
  // Without EndTxn v5, no transactions v2: clients must then see no transaction.version >= 2.
  const capped = await startBroker({ apiVersions: { EndTxn: 4 } });
  try {
    const res = await apiVersions(capped.bootstrap, 4);
    assert.deepEqual(
      res.finalizedFeatures.map((f) => f.name),
      ['group.version', 'metadata.version', 'share.version', 'streams.version'],
    );
  } finally {
    await capped.stop();
  }
  assert.ok(ours.finalizedFeaturesEpoch >= 0 && theirs.finalizedFeaturesEpoch >= 0);
});

test('v5 cluster id and node id (KIP-1242): both or neither, else INVALID_REQUEST; a mismatch REBOOTSTRAP_REQUIRED', T, async () => {
  const ids = async (bootstrap: string) => {
    const c = await connect(bootstrap);
    const d = await c.send(DescribeCluster, 0, {});
    return { clusterId: d.clusterId, nodeId: d.brokers[0]!.brokerId };
  };
  const [k, o] = await Promise.all([ids(kafka.bootstrap), ids(broker.bootstrap)]);
  const cases = (own: { clusterId: string; nodeId: number }) => [
    { clusterId: null, nodeId: -1 },
    { ...own },
    { clusterId: own.clusterId, nodeId: -1 },
    { clusterId: null, nodeId: own.nodeId },
    { clusterId: 'another-cluster', nodeId: own.nodeId },
    { clusterId: own.clusterId, nodeId: own.nodeId + 6 },
    { clusterId: 'another-cluster', nodeId: -1 },
  ];
  const answers = async (bootstrap: string, own: { clusterId: string; nodeId: number }) => {
    const out = [];
    for (const c of cases(own)) {
      const r = await apiVersions(bootstrap, 5, c);
      out.push([r.errorCode, r.apiKeys.length > 0, r.finalizedFeatures.length > 0]);
    }
    return out;
  };
  const [theirs, ours] = await Promise.all([answers(kafka.bootstrap, k), answers(broker.bootstrap, o)]);
  assert.deepEqual(ours, theirs);
  assert.deepEqual(
    ours.map((r) => r[0]),
    [0, 0, 42, 42, ErrorCode.REBOOTSTRAP_REQUIRED, ErrorCode.REBOOTSTRAP_REQUIRED, 42],
  );
});

test('kafka-features describe (Kafka 4.4 FeatureCommand) reads our features', T, async () => {
  const out = await javaOk(['org.apache.kafka.tools.FeatureCommand', '--bootstrap-server', broker.bootstrap, 'describe']);
  // One line per feature, columns padded with spaces: "Feature: x  SupportedMinVersion: 0  ...".
  const line = (name: string) => (out.stdout.split('\n').find((l) => l.startsWith(`Feature: ${name} `)) ?? '').replace(/\s+/g, ' ');
  assert.match(line('group.version'), /SupportedMinVersion: 0 SupportedMaxVersion: 1 FinalizedVersionLevel: 1 /);
  assert.match(line('metadata.version'), /SupportedMinVersion: 3\.3-IV3 SupportedMaxVersion: 4\.4-IV2 FinalizedVersionLevel: 4\.4-IV2 /);
  assert.match(line('transaction.version'), /SupportedMaxVersion: 2 FinalizedVersionLevel: 2 /);
  assert.match(line('streams.version'), /SupportedMinVersion: 0 SupportedMaxVersion: 1 FinalizedVersionLevel: 1 /);
});

test("kafkaVersion '4.4' serves Kafka 4.4.0's ranges (within what kafkalite implements); '4.0'-'4.3' and '3.9' their own", T, async () => {
  const theirs = await apiVersions(kafka.bootstrap, 4);
  const kafkaRanges = new Map(theirs.apiKeys.map((a) => [a.apiKey, a]));
  const registry = new Map(broker.core.dispatcher.served().map((a) => [a.apiKey, a]));
  const capped = await startBroker({ kafkaVersion: '4.4' });
  try {
    const ours = await apiVersions(capped.bootstrap, 4);
    for (const a of ours.apiKeys) {
      const k = kafkaRanges.get(a.apiKey);
      const r = registry.get(a.apiKey)!;
      assert.ok(k, `key ${a.apiKey} is served by Kafka 4.4`);
      assert.deepEqual(
        [a.minVersion, a.maxVersion],
        [Math.max(k.minVersion, r.minVersion), Math.min(k.maxVersion, r.maxVersion)],
        `key ${a.apiKey}`,
      );
    }
    assert.deepEqual(
      ours.apiKeys.map((a) => a.apiKey),
      [...registry.keys()].filter((key) => kafkaRanges.has(key)),
    );
  } finally {
    await capped.stop();
  }
  const range = async (kafkaVersion: string, key: number) => {
    const b = await startBroker({ kafkaVersion });
    try {
      const r = b.core.dispatcher.served().find((a) => a.apiKey === key);
      return r ? [r.minVersion, r.maxVersion] : null;
    } finally {
      await b.stop();
    }
  };
  assert.deepEqual(await range('4.0', 11), [2, 9], 'JoinGroup v0-1 removed in 4.0 (KIP-896)');
  assert.deepEqual(await range('4.1', 11), [0, 9], 'and restored in 4.1 (KAFKA-19444)');
  assert.deepEqual(await range('4.0', 1), [4, 17]);
  assert.deepEqual(await range('4.1', 0), [0, 13]);
  assert.deepEqual(await range('4.2', 8), [2, 10]);
  assert.deepEqual(await range('3.9', 68), [0, 0]);
  assert.deepEqual(await range('3.6', 68), null);
  assert.deepEqual(await range('3.1', 1), [0, 13]);
  assert.deepEqual(await range('3.0', 1), [0, 12]);
  // Features follow the caps: no KIP-848 level where ConsumerGroupHeartbeat v1 is not served.
  const b39 = await startBroker({ kafkaVersion: '3.9' });
  try {
    const res = await apiVersions(b39.bootstrap, 4);
    assert.deepEqual(
      res.finalizedFeatures.map((f) => f.name),
      ['metadata.version'],
    );
  } finally {
    await b39.stop();
  }
});
