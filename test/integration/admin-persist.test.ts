// Admin changes on a disk store survive a restart: topic config overrides, dynamic broker
// configs, partitions added by CreatePartitions and the log start offset moved by
// DeleteRecords. DescribeLogDirs reports the data directory, sizes that match the segment
// files, and the file system's bytes.

import assert from 'node:assert/strict';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Kafka, logLevel, type Admin, type ConfigResourceTypes } from 'kafkajs';
import { startBroker, type Broker } from '../../broker/index.js';
import { AlterConfigs, DescribeConfigs, DescribeLogDirs, IncrementalAlterConfigs } from '../../protocol/messages/index.js';
import { tempDir } from './helpers.js';
import { WireClient } from './wire-client.js';

const TOPIC = 2 as ConfigResourceTypes;
const BROKER = 4;

/** Bytes of a partition's segment files, measured on disk. */
function segmentBytes(dataDir: string, topic: string, partition: number): number {
  const dir = join(dataDir, `${topic}-${partition}`);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

/** A broker on `dataDir` with a kafkajs admin and a wire client, all released after `fn`, even on failure. */
async function session(
  dataDir: string,
  fn: (s: { broker: Broker; kafka: Kafka; admin: Admin; wire: WireClient }) => Promise<void>,
): Promise<void> {
  const broker = await startBroker({ dataDir });
  const kafka = new Kafka({ clientId: 'admin-persist', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
  const admin = kafka.admin();
  let wire: WireClient | undefined;
  try {
    await admin.connect();
    wire = await WireClient.connect(broker.bootstrap);
    await fn({ broker, kafka, admin, wire });
  } finally {
    await wire?.close();
    await admin.disconnect();
    await broker.stop();
  }
}

test('topic configs, dynamic broker configs, partitions and log start offsets persist across a restart', async () => {
  const dir = tempDir('kafkalite-admin-');
  try {
    await session(dir.path, async ({ kafka, admin, wire }) => {
      await admin.createTopics({
        topics: [{ topic: 'keep', numPartitions: 1, configEntries: [{ name: 'retention.ms', value: '120000' }] }],
      });
      const inc = await wire.send(IncrementalAlterConfigs, 1, {
        resources: [
          { resourceType: 2, resourceName: 'keep', configs: [{ name: 'cleanup.policy', configOperation: 0, value: 'compact,delete' }] },
        ],
        validateOnly: false,
      });
      assert.equal(inc.responses[0]!.errorCode, 0);
      const dyn = await wire.send(AlterConfigs, 1, {
        resources: [
          { resourceType: BROKER, resourceName: '', configs: [{ name: 'log.segment.bytes', value: '5000000' }] },
          {
            resourceType: BROKER,
            resourceName: '1',
            configs: [
              { name: 'min.insync.replicas', value: '1' },
              { name: 'log.retention.bytes', value: '99999999' },
            ],
          },
        ],
        validateOnly: false,
      });
      assert.deepEqual(
        dyn.responses.map((r) => r.errorCode),
        [0, 0],
      );
      await admin.createPartitions({ topicPartitions: [{ topic: 'keep', count: 3 }] });
      const producer = kafka.producer({ allowAutoTopicCreation: false });
      await producer.connect();
      try {
        await producer.send({
          topic: 'keep',
          messages: Array.from({ length: 8 }, (_, i) => ({ key: `k${i}`, value: `v${i}`, partition: i % 2 })),
        });
      } finally {
        await producer.disconnect();
      }
      await admin.fetchTopicMetadata({ topics: ['keep'] });
      await admin.deleteTopicRecords({ topic: 'keep', partitions: [{ partition: 0, offset: '2' }] });
    });

    await session(dir.path, async ({ admin, wire }) => {
      const res = await admin.describeConfigs({
        includeSynonyms: true,
        resources: [{ type: TOPIC, name: 'keep', configNames: ['retention.ms', 'cleanup.policy', 'segment.bytes', 'retention.bytes'] }],
      });
      const byName = new Map(res.resources[0]!.configEntries.map((c) => [c.configName, [c.configValue, c.configSource]]));
      assert.deepEqual(Object.fromEntries(byName), {
        'retention.ms': ['120000', 1],
        'cleanup.policy': ['compact,delete', 1],
        'segment.bytes': ['5000000', 3],
        'retention.bytes': ['99999999', 2],
      });
      const offsets = await admin.fetchTopicOffsets('keep');
      assert.deepEqual(offsets.map((o) => [o.partition, o.low, o.high]).sort(), [
        [0, '2', '4'],
        [1, '0', '4'],
        [2, '0', '0'],
      ]);

      const b = await wire.send(DescribeConfigs, 4, {
        resources: [{ resourceType: BROKER, resourceName: '', configurationKeys: null }],
        includeSynonyms: false,
        includeDocumentation: false,
      });
      assert.deepEqual(
        b.results[0]!.configs.map((x) => [x.name, x.value, x.configSource]),
        [['log.segment.bytes', '5000000', 3]],
      );
      const dirs = await wire.send(DescribeLogDirs, 4, { topics: [{ topic: 'keep', partitions: [0, 1, 2] }] });
      const d = dirs.results[0]!;
      assert.equal(d.logDir, dir.path);
      assert.deepEqual(
        d.topics[0]!.partitions.map((p) => [p.partitionIndex, p.partitionSize]),
        [0, 1, 2].map((i) => [i, segmentBytes(dir.path, 'keep', i)]),
      );
      assert.ok(d.topics[0]!.partitions[1]!.partitionSize > 0);
      assert.ok(d.totalBytes > 0 && d.usableBytes >= 0 && d.usableBytes <= d.totalBytes, `${d.totalBytes} / ${d.usableBytes}`);
    });
  } finally {
    dir.remove();
  }
});

test('a corrupt kafkalite-broker-configs.json stops start-up with its name and frees the data dir', async () => {
  const dir = tempDir('kafkalite-admin-');
  try {
    const first = await startBroker({ dataDir: dir.path });
    await first.stop();
    writeFileSync(join(dir.path, 'kafkalite-broker-configs.json'), '{ not json');
    await assert.rejects(startBroker({ dataDir: dir.path }), /kafkalite-broker-configs\.json/);
    writeFileSync(
      join(dir.path, 'kafkalite-broker-configs.json'),
      JSON.stringify({ version: 1, clusterDefault: { 'num.partitions': '4', 'log.roll.hours': '5', 'log.roll.ms': '7200000' } }),
    );
    const again = await startBroker({ dataDir: dir.path });
    try {
      // A read-only key in the file is ignored (with a warning); the rest applies.
      assert.equal(again.config.int('num.partitions'), 1);
      assert.equal(again.config.int('log.roll.hours'), 168);
      assert.equal(again.config.int('log.roll.ms'), 7_200_000);
    } finally {
      await again.stop();
    }
  } finally {
    dir.remove();
  }
});

test('a new data dir records the cluster-level min.insync.replicas Kafka 4.4 bootstraps (ELR); an existing one keeps what it has', async () => {
  const dir = tempDir('kafkalite-admin-');
  const clusterDefault = async (wire: WireClient) =>
    (
      await wire.send(DescribeConfigs, 4, {
        resources: [{ resourceType: BROKER, resourceName: '', configurationKeys: null }],
        includeSynonyms: true,
        includeDocumentation: false,
      })
    ).results[0]!.configs.map((c) => [c.name, c.value, c.configSource, c.readOnly, c.synonyms.map((s) => s.source)]);
  try {
    await session(dir.path, async ({ admin, wire }) => {
      assert.deepEqual(await clusterDefault(wire), [['min.insync.replicas', '1', 3, false, [3]]]);
      await admin.createTopics({ topics: [{ topic: 't', numPartitions: 1 }] });
      const t = await wire.send(DescribeConfigs, 4, {
        resources: [{ resourceType: 2, resourceName: 't', configurationKeys: ['min.insync.replicas'] }],
        includeSynonyms: true,
        includeDocumentation: false,
      });
      const isr = t.results[0]!.configs[0]!;
      assert.deepEqual(
        [isr.value, isr.configSource, isr.synonyms.map((s) => [s.name, s.value, s.source])],
        [
          '1',
          3,
          [
            ['min.insync.replicas', '1', 3],
            ['min.insync.replicas', '1', 5],
          ],
        ],
      );
      const del = await wire.send(IncrementalAlterConfigs, 1, {
        resources: [
          { resourceType: BROKER, resourceName: '', configs: [{ name: 'min.insync.replicas', configOperation: 1, value: null }] },
        ],
        validateOnly: false,
      });
      assert.equal(del.responses[0]!.errorCode, 0);
    });
    // Restarted on the same data dir: no new bootstrap, the deletion stands.
    await session(dir.path, async ({ wire }) => assert.deepEqual(await clusterDefault(wire), []));
  } finally {
    dir.remove();
  }
  // The value bootstrapped is the static one, as Kafka's controller takes it from its own config; in memory too.
  const mem = await startBroker({ config: { 'min.insync.replicas': 2 } });
  const wire = await WireClient.connect(mem.bootstrap);
  try {
    assert.deepEqual(await clusterDefault(wire), [['min.insync.replicas', '2', 3, false, [3]]]);
  } finally {
    await wire.close();
    await mem.stop();
  }
});
