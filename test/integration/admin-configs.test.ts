// Config admin over TCP with real clients: DescribeConfigs, AlterConfigs and
// IncrementalAlterConfigs for topics, the broker and the broker logger (kafkajs,
// confluent-kafka 1.7.0, and the raw wire client for what those clients don't send:
// IncrementalAlterConfigs, DescribeConfigs v0/v3/v4 fields, error cases).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Kafka, Admin } from 'kafkajs';
import type { Broker } from '../../broker/index.js';
import { ErrorCode } from '../../protocol/errors.js';
import { AlterConfigs, CreateTopics, IncrementalAlterConfigs } from '../../protocol/messages/index.js';
import type { WireClient } from './wire-client.js';
import { APPEND, BROKER, DELETE, SET, SUBTRACT, TOPIC, type ResourceType, useAdminConfigs } from './admin-configs-helpers.js';

describe('admin configs: topics', () => {
  let broker: Broker;
  let kafka: Kafka;
  let admin: Admin;
  let wire: WireClient;
  const { describeOne, incremental } = useAdminConfigs((b) => ({ broker, kafka, admin, wire } = b));

  test('kafkajs describeConfigs of a topic: values in force, sources and synonyms with Kafka names', async () => {
    await admin.createTopics({ topics: [{ topic: 'cfg-a', numPartitions: 1, configEntries: [{ name: 'retention.ms', value: '60000' }] }] });
    const res = await admin.describeConfigs({
      includeSynonyms: true,
      resources: [{ type: TOPIC as ResourceType, name: 'cfg-a' }],
    });
    const r = res.resources[0]!;
    assert.equal(r.errorCode, 0);
    const byName = new Map(r.configEntries.map((c) => [c.configName, c]));
    assert.ok(byName.size >= 20, `every topic config is listed (got ${byName.size})`);
    const retention = byName.get('retention.ms')!;
    assert.equal(retention.configValue, '60000');
    assert.equal(retention.configSource, 1, 'DYNAMIC_TOPIC_CONFIG');
    assert.equal(retention.isDefault, false);
    assert.deepEqual(
      retention.configSynonyms.map((s) => [s.configName, s.configValue, s.configSource]),
      [['retention.ms', '60000', 1]],
    );
    const segment = byName.get('segment.bytes')!;
    assert.equal(segment.configValue, '1073741824');
    assert.equal(segment.configSource, 5, 'DEFAULT_CONFIG');
    assert.deepEqual(
      segment.configSynonyms.map((s) => [s.configName, s.configValue, s.configSource]),
      [['log.segment.bytes', '1073741824', 5]],
    );
    assert.equal(byName.get('cleanup.policy')!.configValue, 'delete');
    assert.equal(byName.get('max.message.bytes')!.configValue, '1048588');
  });

  test('a topic without an override takes static broker values; configuration_keys filters', async () => {
    await admin.createTopics({ topics: [{ topic: 'cfg-static' }] });
    const r = await describeOne(1, TOPIC, 'cfg-static', ['retention.ms', 'segment.bytes', 'no.such.key']);
    assert.deepEqual([...r.byName.keys()].sort(), ['retention.ms', 'segment.bytes']);
    // log.retention.hours=24 is static: the value follows it; as in Kafka the synonym chain of
    // retention.ms starts at log.retention.ms, which is unset, so it is empty.
    assert.equal(r.byName.get('retention.ms')!.value, String(24 * 3_600_000));
    assert.deepEqual(r.byName.get('retention.ms')!.synonyms, []);
  });

  test('kafkajs describeConfigs of the broker: static and default sources, read-only flags', async () => {
    const res = await admin.describeConfigs({
      includeSynonyms: true,
      resources: [
        { type: BROKER as ResourceType, name: '1', configNames: ['log.retention.hours', 'num.partitions', 'log.retention.ms', 'node.id'] },
      ],
    });
    const byName = new Map(res.resources[0]!.configEntries.map((c) => [c.configName, c]));
    const hours = byName.get('log.retention.hours')!;
    assert.equal(hours.configValue, '24');
    assert.equal(hours.configSource, 4, 'STATIC_BROKER_CONFIG');
    // Kafka 4.4 updates only log.retention.ms dynamically (DynamicLogConfig): the hours are read-only.
    assert.equal(hours.readOnly, true);
    assert.equal(byName.get('log.retention.ms')!.readOnly, false);
    assert.deepEqual(
      hours.configSynonyms.map((s) => [s.configName, s.configValue, s.configSource]),
      [
        ['log.retention.hours', '24', 4],
        ['log.retention.hours', '168', 5],
      ],
    );
    assert.equal(byName.get('num.partitions')!.configSource, 5);
    assert.equal(byName.get('num.partitions')!.readOnly, true);
    assert.equal(byName.get('log.retention.ms')!.configValue, null, 'unset key without a default');
    assert.equal(byName.get('node.id')!.readOnly, true);
  });

  test("kafkajs alterConfigs replaces a topic's overrides and applies them to produce at once", async () => {
    await admin.createTopics({ topics: [{ topic: 'cfg-alter', configEntries: [{ name: 'retention.ms', value: '60000' }] }] });
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: TOPIC as ResourceType,
          name: 'cfg-alter',
          configEntries: [
            { name: 'max.message.bytes', value: '200' },
            { name: 'cleanup.policy', value: 'compact,delete' },
          ],
        },
      ],
    });
    const r = await describeOne(1, TOPIC, 'cfg-alter', ['retention.ms', 'max.message.bytes', 'cleanup.policy']);
    assert.equal(r.byName.get('retention.ms')!.configSource, 5, 'left out of AlterConfigs: back to the default');
    assert.equal(r.byName.get('max.message.bytes')!.value, '200');
    assert.equal(r.byName.get('max.message.bytes')!.configSource, 1);
    assert.equal(r.byName.get('cleanup.policy')!.value, 'compact,delete');
    const producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
    await producer.connect();
    try {
      await assert.rejects(
        producer.send({ topic: 'cfg-alter', messages: [{ key: 'k', value: 'x'.repeat(500) }] }),
        (err: Error & { type?: string }) => {
          assert.match(`${err.message} ${err.type ?? ''}`, /MESSAGE_TOO_LARGE|larger than/i);
          return true;
        },
      );
      const ok = await producer.send({ topic: 'cfg-alter', messages: [{ key: 'k', value: 'small' }] });
      assert.equal(ok[0]!.errorCode, 0);
    } finally {
      await producer.disconnect();
    }
  });

  test('kafkajs alterConfigs errors: bad value and unknown key INVALID_CONFIG naming the key, unknown topic', async () => {
    await admin.createTopics({ topics: [{ topic: 'cfg-bad' }] });
    const attempt = async (name: string, value: string, topic = 'cfg-bad') => {
      try {
        await admin.alterConfigs({
          validateOnly: false,
          resources: [{ type: TOPIC as ResourceType, name: topic, configEntries: [{ name, value }] }],
        });
      } catch (err) {
        return err as Error & { type?: string };
      }
      assert.fail(`alterConfigs ${name}=${value} on ${topic} succeeded`);
    };
    const bad = await attempt('retention.ms', 'soon');
    assert.equal(bad.type, 'INVALID_CONFIG');
    const unknown = await attempt('retention.forever', '1');
    assert.equal(unknown.type, 'INVALID_CONFIG');
    const enumBad = await attempt('compression.type', 'brotli');
    assert.equal(enumBad.type, 'INVALID_CONFIG');
    const missing = await attempt('retention.ms', '1000', 'cfg-nope');
    assert.equal(missing.type, 'UNKNOWN_TOPIC_OR_PARTITION');
    const described = await admin
      .describeConfigs({ includeSynonyms: false, resources: [{ type: TOPIC as ResourceType, name: 'cfg-nope' }] })
      .catch((e: Error & { type?: string }) => e);
    assert.equal((described as { type?: string }).type, 'UNKNOWN_TOPIC_OR_PARTITION');
    // kafkajs drops error_message; the wire shows it names the key.
    const messages = await wire.send(AlterConfigs, 1, {
      resources: [
        { resourceType: TOPIC, resourceName: 'cfg-bad', configs: [{ name: 'retention.ms', value: 'soon' }] },
        { resourceType: TOPIC, resourceName: 'cfg-bad-2', configs: [{ name: 'retention.forever', value: '1' }] },
      ],
      validateOnly: false,
    });
    assert.equal(messages.responses[0]!.errorCode, ErrorCode.INVALID_CONFIG);
    assert.match(messages.responses[0]!.errorMessage ?? '', /Invalid value soon for configuration retention\.ms/);
    assert.equal(messages.responses[1]!.errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'unknown topic before unknown key');
    const unknownKey = await wire.send(AlterConfigs, 1, {
      resources: [{ resourceType: TOPIC, resourceName: 'cfg-bad', configs: [{ name: 'retention.forever', value: '1' }] }],
      validateOnly: true,
    });
    assert.equal(unknownKey.responses[0]!.errorCode, ErrorCode.INVALID_CONFIG);
    assert.match(unknownKey.responses[0]!.errorMessage ?? '', /Unknown topic config name: retention\.forever/);
    const r = await describeOne(1, TOPIC, 'cfg-bad', ['retention.ms']);
    assert.equal(r.byName.get('retention.ms')!.configSource, 5, 'failed alters changed nothing');
  });

  test("rejected topic config values are worded as Kafka's ConfigDef words them (CreateTopics, IncrementalAlterConfigs)", async () => {
    // The texts Apache Kafka 4.4.0 answers with (seen by franz-go's kadm and confluent-kafka 2.16 in pypi-vs-kafka).
    const created = await wire.send(CreateTopics, 7, {
      topics: [
        ['cfg-words-1', 'cleanup.policy', 'sometimes'],
        ['cfg-words-2', 'retention.ms', 'soon'],
        ['cfg-words-3', 'min.insync.replicas', '0'],
        ['cfg-words-4', 'preallocate', 'maybe'],
        ['cfg-words-5', 'min.cleanable.dirty.ratio', '2'],
        ['cfg-words-6', 'no.such.config', '1'],
      ].map(([name, key, value]) => ({
        name: name!,
        numPartitions: 1,
        replicationFactor: 1,
        assignments: [],
        configs: [{ name: key!, value: value! }],
      })),
      timeoutMs: 5000,
      validateOnly: false,
    });
    assert.deepEqual(
      created.topics.map((t) => [t.errorCode, t.errorMessage]),
      [
        [ErrorCode.INVALID_CONFIG, 'Invalid value sometimes for configuration cleanup.policy: String must be one of: compact, delete'],
        [ErrorCode.INVALID_CONFIG, 'Invalid value soon for configuration retention.ms: Not a number of type LONG'],
        [ErrorCode.INVALID_CONFIG, 'Invalid value 0 for configuration min.insync.replicas: Value must be at least 1'],
        [ErrorCode.INVALID_CONFIG, 'Invalid value maybe for configuration preallocate: Expected value to be either true or false'],
        [ErrorCode.INVALID_CONFIG, 'Invalid value 2 for configuration min.cleanable.dirty.ratio: Value must be no more than 1.0'],
        [ErrorCode.INVALID_CONFIG, 'Unknown topic config name: no.such.config'],
      ],
    );
    assert.ok(
      created.topics.every((t) => Array.isArray(t.configs) && t.configs.length === 0),
      'a failed topic lists no configs: an empty list, as Kafka sends, not null',
    );
    await admin.createTopics({ topics: [{ topic: 'cfg-words' }] });
    const altered = await incremental(TOPIC, 'cfg-words', [{ name: 'retention.ms', configOperation: SET, value: 'soon' }]);
    assert.deepEqual(
      [altered.errorCode, altered.errorMessage],
      [ErrorCode.INVALID_CONFIG, 'Invalid value soon for configuration retention.ms: Not a number of type LONG'],
    );
  });

  test('IncrementalAlterConfigs SET, DELETE, APPEND, SUBTRACT on a topic; validate_only changes nothing', async () => {
    await admin.createTopics({ topics: [{ topic: 'cfg-inc', configEntries: [{ name: 'retention.ms', value: '60000' }] }] });
    assert.equal((await incremental(TOPIC, 'cfg-inc', [{ name: 'segment.ms', configOperation: SET, value: '3600000' }])).errorCode, 0);
    let r = await describeOne(1, TOPIC, 'cfg-inc', ['retention.ms', 'segment.ms', 'cleanup.policy']);
    assert.equal(r.byName.get('retention.ms')!.value, '60000', 'SET keeps the other overrides');
    assert.equal(r.byName.get('segment.ms')!.value, '3600000');
    assert.equal(
      (await incremental(TOPIC, 'cfg-inc', [{ name: 'cleanup.policy', configOperation: APPEND, value: 'compact' }])).errorCode,
      0,
    );
    r = await describeOne(1, TOPIC, 'cfg-inc', ['cleanup.policy']);
    assert.equal(r.byName.get('cleanup.policy')!.value, 'delete,compact', 'APPEND starts from the default');
    assert.equal(
      (await incremental(TOPIC, 'cfg-inc', [{ name: 'cleanup.policy', configOperation: SUBTRACT, value: 'delete' }])).errorCode,
      0,
    );
    r = await describeOne(1, TOPIC, 'cfg-inc', ['cleanup.policy', 'retention.ms']);
    assert.equal(r.byName.get('cleanup.policy')!.value, 'compact');
    assert.equal((await incremental(TOPIC, 'cfg-inc', [{ name: 'retention.ms', configOperation: DELETE, value: null }])).errorCode, 0);
    r = await describeOne(1, TOPIC, 'cfg-inc', ['retention.ms']);
    assert.equal(r.byName.get('retention.ms')!.configSource, 5);
    assert.equal(r.byName.get('retention.ms')!.value, String(24 * 3_600_000));
    const dry = await incremental(TOPIC, 'cfg-inc', [{ name: 'retention.ms', configOperation: SET, value: '5000' }], true);
    assert.equal(dry.errorCode, 0);
    r = await describeOne(1, TOPIC, 'cfg-inc', ['retention.ms']);
    assert.equal(r.byName.get('retention.ms')!.configSource, 5, 'validate_only left it alone');
  });

  test('IncrementalAlterConfigs errors: APPEND on a non-list key, bad values, nulls, duplicates, unknown ops', async () => {
    await admin.createTopics({ topics: [{ topic: 'cfg-inc-bad' }] });
    const append = await incremental(TOPIC, 'cfg-inc-bad', [{ name: 'retention.ms', configOperation: APPEND, value: '1' }]);
    assert.equal(append.errorCode, ErrorCode.INVALID_CONFIG);
    assert.match(append.errorMessage ?? '', /Can't APPEND to key retention\.ms because its type is not LIST\./);
    const bad = await incremental(TOPIC, 'cfg-inc-bad', [{ name: 'min.cleanable.dirty.ratio', configOperation: SET, value: '2' }]);
    assert.equal(bad.errorCode, ErrorCode.INVALID_CONFIG);
    assert.match(bad.errorMessage ?? '', /min\.cleanable\.dirty\.ratio/);
    const nul = await incremental(TOPIC, 'cfg-inc-bad', [{ name: 'retention.ms', configOperation: SET, value: null }]);
    assert.equal(nul.errorCode, ErrorCode.INVALID_REQUEST);
    const dup = await incremental(TOPIC, 'cfg-inc-bad', [
      { name: 'retention.ms', configOperation: SET, value: '1' },
      { name: 'retention.ms', configOperation: DELETE, value: null },
    ]);
    assert.equal(dup.errorCode, ErrorCode.INVALID_REQUEST);
    const op = await incremental(TOPIC, 'cfg-inc-bad', [{ name: 'retention.ms', configOperation: 9, value: '1' }]);
    assert.equal(op.errorCode, ErrorCode.UNKNOWN_SERVER_ERROR); // Kafka has no OpType 9 and fails unexpectedly
    const twice = await wire.send(IncrementalAlterConfigs, 0, {
      resources: [
        { resourceType: TOPIC, resourceName: 'cfg-inc-bad', configs: [] },
        { resourceType: TOPIC, resourceName: 'cfg-inc-bad', configs: [] },
      ],
    });
    assert.deepEqual(
      twice.responses.map((x) => x.errorCode),
      [ErrorCode.INVALID_REQUEST, ErrorCode.INVALID_REQUEST],
    );
    const missing = await incremental(TOPIC, 'cfg-inc-none', [{ name: 'retention.ms', configOperation: SET, value: '1' }]);
    assert.equal(missing.errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });
});
