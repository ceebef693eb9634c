// Apache Kafka 4.4's admin tools, run from its jars (test/jvm/tools.ts), against an in-process
// kafkalite: kafka-topics (create/list/describe/alter/delete), kafka-configs (topics, one broker,
// the cluster default), kafka-get-offsets (latest, earliest, max timestamp, by time) and
// kafka-delete-records (a JSON offsets file). The expected text is what the same commands print
// against a real Kafka 4.4 broker (checked with startKafka() from test/jvm/kafka.ts).

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { kafkaTool, kafkaToolOk } from '../jvm/tools.js';
import { tempDir } from './helpers.js';

describe('Kafka 4.4 admin tools against kafkalite', () => {
  let broker: Broker;
  let b: string[];
  const tmp = tempDir('kafka-tools-admin-');
  before(async () => {
    broker = await startBroker({ topics: { go: 2 } });
    b = ['--bootstrap-server', broker.bootstrap];
  });
  after(async () => {
    await broker?.stop();
    tmp.remove();
  });

  test('kafka-topics: create, list, describe, alter partitions, delete; an existing topic is an error', async () => {
    const created = await kafkaToolOk('kafka-topics', [
      ...b,
      '--create',
      '--topic',
      'tt-a',
      '--partitions',
      '3',
      '--config',
      'retention.ms=100000',
    ]);
    assert.equal(created.stdout.trim(), 'Created topic tt-a.');
    await kafkaToolOk('kafka-topics', [...b, '--create', '--topic', 'tt-b', '--partitions', '1', '--replication-factor', '1']);

    const listed = await kafkaToolOk('kafka-topics', [...b, '--list']);
    assert.deepEqual(listed.stdout.trim().split('\n'), ['go', 'tt-a', 'tt-b']);

    const dup = await kafkaTool('kafka-topics', [...b, '--create', '--topic', 'tt-a', '--partitions', '1']);
    assert.equal(dup.code, 1);
    assert.match(dup.stdout, /Error while executing topic command : Topic 'tt-a' already exists\./);

    const badConfig = await kafkaTool('kafka-topics', [...b, '--create', '--topic', 'tt-c', '--config', 'retention.ms=-5']);
    assert.equal(badConfig.code, 1);
    assert.match(
      badConfig.stdout,
      /Error while executing topic command : Invalid value -5 for configuration retention\.ms: Value must be at least -1/,
    );

    const altered = await kafkaToolOk('kafka-topics', [...b, '--alter', '--topic', 'tt-a', '--partitions', '4']);
    assert.equal(altered.stdout.trim(), '');
    const shrink = await kafkaTool('kafka-topics', [...b, '--alter', '--topic', 'tt-a', '--partitions', '2']);
    assert.equal(shrink.code, 1);
    assert.match(shrink.stdout, /The topic tt-a currently has 4 partition\(s\); 2 would not be an increase\./);

    const described = await kafkaToolOk('kafka-topics', [...b, '--describe', '--topic', 'tt-a']);
    const id = broker.snapshot().topics.find((t) => t.record.name === 'tt-a')!.record.id;
    const lines = described.stdout.replace(/\n$/, '').split('\n');
    // min.insync.replicas=1 is the cluster-level dynamic default a new Kafka 4.4 cluster records (KIP-966's ELR bootstrap).
    assert.equal(
      lines[0],
      `Topic: tt-a\tTopicId: ${id}\tPartitionCount: 4\tReplicationFactor: 1\tConfigs: min.insync.replicas=1,retention.ms=100000`,
    );
    assert.deepEqual(
      lines.slice(1),
      [0, 1, 2, 3].map((p) => `\tTopic: tt-a\tPartition: ${p}\tLeader: 1\tReplicas: 1\tIsr: 1\tElr: \tLastKnownElr: `),
    );

    const deleted = await kafkaToolOk('kafka-topics', [...b, '--delete', '--topic', 'tt-b']);
    assert.equal(deleted.stdout.trim(), '');
    assert.deepEqual(
      broker
        .snapshot()
        .topics.map((t) => t.record.name)
        .filter((n) => n.startsWith('tt-')),
      ['tt-a'],
    );
  });

  test('kafka-configs: topic add/delete and describe; broker 1 and the cluster default; unknown and invalid keys refused', async () => {
    broker.produce('cfg', ['x']);
    const cfg = ['--entity-type', 'topics', '--entity-name', 'cfg'];
    const added = await kafkaToolOk('kafka-configs', [...b, '--alter', ...cfg, '--add-config', 'retention.ms=5000,cleanup.policy=compact']);
    assert.equal(added.stdout.trim(), 'Completed updating config for topic cfg.');
    await kafkaToolOk('kafka-configs', [...b, '--alter', ...cfg, '--delete-config', 'retention.ms']);
    const topic = await kafkaToolOk('kafka-configs', [...b, '--describe', ...cfg]);
    assert.equal(
      topic.stdout,
      'Dynamic configs for topic cfg are:\n' +
        '  cleanup.policy=compact sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:cleanup.policy=compact, DEFAULT_CONFIG:log.cleanup.policy=delete}\n',
    );

    const unknown = await kafkaTool('kafka-configs', [...b, '--alter', ...cfg, '--add-config', 'nope.x=1']);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stdout + unknown.stderr, /InvalidConfigurationException: Unknown topic config name: nope\.x/);

    const node = ['--entity-type', 'brokers', '--entity-name', '1'];
    const perBroker = await kafkaToolOk('kafka-configs', [...b, '--alter', ...node, '--add-config', 'log.cleaner.threads=2']);
    assert.equal(perBroker.stdout.trim(), 'Completed updating config for broker 1.');
    const clusterDefault = await kafkaToolOk('kafka-configs', [
      ...b,
      '--alter',
      '--entity-type',
      'brokers',
      '--entity-default',
      '--add-config',
      'log.retention.ms=7200000',
    ]);
    assert.equal(clusterDefault.stdout.trim(), 'Completed updating default config for brokers in the cluster.');
    const negative = await kafkaTool('kafka-configs', [...b, '--alter', ...node, '--add-config', 'log.cleaner.threads=-1']);
    assert.notEqual(negative.code, 0);
    assert.match(
      negative.stderr,
      /InvalidRequestException: Invalid value -1 for configuration log\.cleaner\.threads: Value must be at least 0/,
    );

    const described = await kafkaToolOk('kafka-configs', [...b, '--describe', ...node]);
    assert.equal(
      described.stdout,
      'Dynamic configs for broker 1 are:\n' +
        '  log.cleaner.threads=2 sensitive=false synonyms={DYNAMIC_BROKER_CONFIG:log.cleaner.threads=2, DEFAULT_CONFIG:log.cleaner.threads=1}\n',
    );
    const defaults = await kafkaToolOk('kafka-configs', [...b, '--describe', '--entity-type', 'brokers', '--entity-default']);
    assert.match(
      defaults.stdout,
      /^Default configs for brokers in the cluster are:\n {2}log\.retention\.ms=7200000 sensitive=false synonyms=\{DYNAMIC_DEFAULT_BROKER_CONFIG:log\.retention\.ms=7200000\}\n/,
    );
    // The cluster-level default a new Kafka 4.4 cluster records (ActivationRecordsGenerator, KIP-966).
    assert.match(
      defaults.stdout,
      /\n {2}min\.insync\.replicas=1 sensitive=false synonyms=\{DYNAMIC_DEFAULT_BROKER_CONFIG:min\.insync\.replicas=1\}\n/,
    );
  });

  test('kafka-get-offsets: latest, earliest, max timestamp and by time, per partition; kafka-delete-records moves the earliest', async () => {
    const t0 = Date.now() - 60_000;
    for (let i = 0; i < 6; i++) broker.produce('go', [{ value: `v${i}`, partition: i % 2, timestamp: t0 + i * 1000 }]);
    broker.produce('go', [{ value: 'late', partition: 1, timestamp: t0 + 100_000 }]);
    // go-0: offsets 0..2 at t0, t0+2s, t0+4s; go-1: offsets 0..3 at t0+1s, t0+3s, t0+5s, t0+100s
    const offsets = async (...args: string[]) =>
      (await kafkaToolOk('kafka-get-offsets', [...b, '--topic', 'go', ...args])).stdout.trim().split('\n').sort();

    assert.deepEqual(await offsets(), ['go:0:3', 'go:1:4']);
    assert.deepEqual(await offsets('--time', '-2'), ['go:0:0', 'go:1:0']);
    assert.deepEqual(await offsets('--time', '-3'), ['go:0:2', 'go:1:3']);
    assert.deepEqual(await offsets('--time', String(t0 + 2500)), ['go:0:2', 'go:1:1']);

    const file = join(tmp.path, 'offsets.json');
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        partitions: [
          { topic: 'go', partition: 0, offset: 2 },
          { topic: 'go', partition: 1, offset: 9 },
        ],
      }),
    );
    const del = await kafkaToolOk('kafka-delete-records', [...b, '--offset-json-file', file]);
    assert.match(del.stdout, /^Executing records delete operation\nRecords delete operation completed:\n/);
    assert.match(del.stdout, /partition: go-0\tlow_watermark: 2\n/);
    assert.match(del.stdout, /partition: go-1\terror: org\.apache\.kafka\.common\.errors\.OffsetOutOfRangeException: /);
    assert.deepEqual(await offsets('--time', '-2'), ['go:0:2', 'go:1:0']);
  });
});
