// Config admin over TCP with real clients: DescribeConfigs, AlterConfigs and
// IncrementalAlterConfigs for topics, the broker and the broker logger (kafkajs,
// confluent-kafka 1.7.0, and the raw wire client for what those clients don't send:
// IncrementalAlterConfigs, DescribeConfigs v0/v3/v4 fields, error cases).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel, type Admin, type ConfigResourceTypes } from 'kafkajs';
import { startBroker, type Broker } from '../../broker/index.js';
import { ErrorCode } from '../../protocol/errors.js';
import { AlterConfigs, CreateTopics, DescribeConfigs, IncrementalAlterConfigs } from '../../protocol/messages/index.js';
import { hasPythonModule, python, requireTool } from './helpers.js';
import { WireClient } from './wire-client.js';

const TOPIC = 2;
const BROKER = 4;
const BROKER_LOGGER = 8;
const SET = 0;
const DELETE = 1;
const APPEND = 2;
const SUBTRACT = 3;
// kafkajs' ConfigResourceTypes enum is not importable at run time (CommonJS): plain numbers.
type ResourceType = ConfigResourceTypes;

describe('admin configs', () => {
  let broker: Broker;
  let kafka: Kafka;
  let admin: Admin;
  let wire: WireClient;

  before(async () => {
    broker = await startBroker({ config: { 'log.retention.hours': 24 } });
    kafka = new Kafka({ clientId: 'admin-configs', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    admin = kafka.admin();
    await admin.connect();
    wire = await WireClient.connect(broker.bootstrap);
  });
  after(async () => {
    await admin?.disconnect();
    await wire?.close();
    await broker?.stop();
  });

  /** One resource through DescribeConfigs at `version`, as a map by name. */
  async function describeOne(version: number, resourceType: number, resourceName: string, keys: string[] | null = null, extra = {}) {
    const res = await wire.send(DescribeConfigs, version, {
      resources: [{ resourceType, resourceName, configurationKeys: keys }],
      includeSynonyms: true,
      ...extra,
    });
    assert.equal(res.results.length, 1);
    const r = res.results[0]!;
    return { ...r, byName: new Map(r.configs.map((c) => [c.name, c])) };
  }

  async function incremental(
    resourceType: number,
    resourceName: string,
    configs: Array<{ name: string; configOperation: number; value: string | null }>,
    validateOnly = false,
  ) {
    const res = await wire.send(IncrementalAlterConfigs, 1, { resources: [{ resourceType, resourceName, configs }], validateOnly });
    return res.responses[0]!;
  }

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

  test('broker dynamic configs: cluster default and per-broker layers, sources, live effect on topics', async () => {
    await admin.createTopics({ topics: [{ topic: 'cfg-dyn' }] });
    // The cluster-wide default resource ("") through AlterConfigs (kafkajs refuses an empty name).
    const set = await wire.send(AlterConfigs, 2, {
      resources: [
        {
          resourceType: BROKER,
          resourceName: '',
          configs: [
            { name: 'log.retention.ms', value: '7200000' },
            { name: 'message.max.bytes', value: '300' },
          ],
        },
      ],
      validateOnly: false,
    });
    assert.equal(set.responses[0]!.errorCode, 0);
    let t = await describeOne(1, TOPIC, 'cfg-dyn', ['retention.ms', 'max.message.bytes']);
    assert.equal(t.byName.get('retention.ms')!.value, '7200000');
    assert.equal(t.byName.get('retention.ms')!.configSource, 3, 'DYNAMIC_DEFAULT_BROKER_CONFIG');
    assert.deepEqual(
      t.byName.get('retention.ms')!.synonyms.map((s) => [s.name, s.value, s.source]),
      [
        ['log.retention.ms', '7200000', 3],
        ['log.retention.hours', '24', 4],
        ['log.retention.hours', '168', 5],
      ],
    );
    assert.equal(t.byName.get('max.message.bytes')!.value, '300');
    // Per-broker layer wins over the default one.
    assert.equal((await incremental(BROKER, '1', [{ name: 'log.retention.ms', configOperation: SET, value: '3600000' }])).errorCode, 0);
    t = await describeOne(1, TOPIC, 'cfg-dyn', ['retention.ms']);
    assert.equal(t.byName.get('retention.ms')!.value, '3600000');
    assert.deepEqual(
      t.byName.get('retention.ms')!.synonyms.map((s) => [s.name, s.source]),
      [
        ['log.retention.ms', 2],
        ['log.retention.ms', 3],
        ['log.retention.hours', 4],
        ['log.retention.hours', 5],
      ],
    );
    const b = await describeOne(1, BROKER, '1', ['log.retention.ms', 'message.max.bytes']);
    assert.equal(b.byName.get('log.retention.ms')!.value, '3600000');
    assert.equal(b.byName.get('log.retention.ms')!.configSource, 2, 'DYNAMIC_BROKER_CONFIG');
    assert.equal(b.byName.get('message.max.bytes')!.configSource, 3);
    const d = await describeOne(1, BROKER, '');
    assert.deepEqual(
      [...d.byName.keys()].sort(),
      ['log.retention.ms', 'message.max.bytes'],
      'the default resource lists only what is set there',
    );
    assert.ok(d.configs.every((c) => c.configSource === 3));
    // The dynamic message.max.bytes applies to produce on topics without an override.
    const producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
    await producer.connect();
    try {
      await assert.rejects(
        producer.send({ topic: 'cfg-dyn', messages: [{ value: 'y'.repeat(600) }] }),
        (err: Error & { type?: string }) => {
          assert.match(`${err.message} ${err.type ?? ''}`, /MESSAGE_TOO_LARGE|larger than/i);
          return true;
        },
      );
    } finally {
      await producer.disconnect();
    }
    // Back to static: AlterConfigs with an empty set clears a layer.
    const cleared = await wire.send(AlterConfigs, 0, {
      resources: [{ resourceType: BROKER, resourceName: '', configs: [] }],
      validateOnly: false,
    });
    assert.equal(cleared.responses[0]!.errorCode, 0);
    assert.equal((await incremental(BROKER, '1', [{ name: 'log.retention.ms', configOperation: DELETE, value: null }])).errorCode, 0);
    t = await describeOne(1, TOPIC, 'cfg-dyn', ['retention.ms', 'max.message.bytes']);
    assert.equal(t.byName.get('retention.ms')!.value, String(24 * 3_600_000));
    assert.equal(t.byName.get('max.message.bytes')!.value, '1048588');
    assert.equal(broker.config.int('message.max.bytes'), 1048588);
  });

  test('broker config errors: read-only keys, bad values, unknown keys, another node id (INVALID_REQUEST as Kafka)', async () => {
    const readOnly = await incremental(BROKER, '1', [{ name: 'num.partitions', configOperation: SET, value: '3' }]);
    assert.equal(readOnly.errorCode, ErrorCode.INVALID_REQUEST);
    assert.match(readOnly.errorMessage ?? '', /Cannot update these configs dynamically: \[num\.partitions\]/);
    await assert.rejects(
      admin.alterConfigs({
        validateOnly: false,
        resources: [{ type: BROKER as ResourceType, name: '1', configEntries: [{ name: 'auto.create.topics.enable', value: 'false' }] }],
      }),
      (err: Error & { type?: string }) => {
        assert.equal(err.type, 'INVALID_REQUEST');
        return true;
      },
    );
    const bad = await incremental(BROKER, '', [{ name: 'log.segment.bytes', configOperation: SET, value: 'big' }]);
    assert.equal(bad.errorCode, ErrorCode.INVALID_REQUEST);
    assert.match(bad.errorMessage ?? '', /log\.segment\.bytes/);
    // Keys the broker doesn't know are stored, as Kafka's controller stores them.
    const unknown = await incremental(BROKER, '', [{ name: 'log.no.such', configOperation: SET, value: '1' }]);
    assert.equal(unknown.errorCode, 0);
    const other = await incremental(BROKER, '7', [{ name: 'log.retention.ms', configOperation: SET, value: '1000' }]);
    assert.equal(other.errorCode, ErrorCode.INVALID_REQUEST);
    assert.match(other.errorMessage ?? '', /expected 1/);
    const otherDescribe = await describeOne(1, BROKER, '7');
    assert.equal(otherDescribe.errorCode, ErrorCode.INVALID_REQUEST);
    const legacy = await wire.send(AlterConfigs, 0, {
      resources: [{ resourceType: BROKER, resourceName: '1', configs: [{ name: 'log.roll.hours', value: '0' }] }],
      validateOnly: false,
    });
    assert.equal(legacy.responses[0]!.errorCode, ErrorCode.INVALID_REQUEST);
    const b = await describeOne(1, BROKER, '1', ['num.partitions', 'log.segment.bytes', 'log.roll.hours']);
    assert.ok(
      b.configs.every((c) => c.configSource !== 2 && c.configSource !== 3),
      'nothing was stored',
    );
  });

  test('DescribeConfigs versions: v0 is_default, v3/v4 config_type and documentation, no synonyms unless asked', async () => {
    await admin.createTopics({ topics: [{ topic: 'cfg-ver', configEntries: [{ name: 'retention.ms', value: '1234' }] }] });
    const v0 = await describeOne(0, TOPIC, 'cfg-ver', ['retention.ms', 'segment.bytes']);
    assert.equal(v0.byName.get('retention.ms')!.isDefault, false);
    assert.equal(v0.byName.get('segment.bytes')!.isDefault, true);
    for (const v of [3, 4]) {
      const r = await describeOne(
        v,
        TOPIC,
        'cfg-ver',
        ['retention.ms', 'cleanup.policy', 'preallocate', 'min.cleanable.dirty.ratio', 'max.message.bytes'],
        { includeDocumentation: true },
      );
      assert.deepEqual(
        ['retention.ms', 'cleanup.policy', 'preallocate', 'min.cleanable.dirty.ratio', 'max.message.bytes'].map(
          (k) => r.byName.get(k)!.configType,
        ),
        [5, 7, 1, 6, 3],
        'LONG, LIST, BOOLEAN, DOUBLE, INT',
      );
      assert.ok((r.byName.get('retention.ms')!.documentation ?? '').length > 0);
    }
    const noDocs = await describeOne(3, TOPIC, 'cfg-ver', ['retention.ms'], { includeDocumentation: false, includeSynonyms: false });
    assert.equal(noDocs.byName.get('retention.ms')!.documentation, null);
    assert.deepEqual(noDocs.byName.get('retention.ms')!.synonyms, []);
  });

  test('broker logger: describe the kafkalite logger, set its level with IncrementalAlterConfigs', async () => {
    let r = await describeOne(1, BROKER_LOGGER, '1');
    assert.deepEqual([...r.byName.keys()], ['kafkalite']);
    assert.equal(r.byName.get('kafkalite')!.value, 'OFF', 'in-process brokers are silent');
    assert.equal(r.byName.get('kafkalite')!.configSource, 6);
    assert.equal((await incremental(BROKER_LOGGER, '1', [{ name: 'kafkalite', configOperation: SET, value: 'ERROR' }])).errorCode, 0);
    r = await describeOne(1, BROKER_LOGGER, '1');
    assert.equal(r.byName.get('kafkalite')!.value, 'ERROR');
    assert.equal(broker.log.level, 'error');
    const badLevel = await incremental(BROKER_LOGGER, '1', [{ name: 'kafkalite', configOperation: SET, value: 'LOUD' }]);
    assert.equal(badLevel.errorCode, ErrorCode.INVALID_CONFIG);
    const badLogger = await incremental(BROKER_LOGGER, '1', [{ name: 'kafka.server', configOperation: SET, value: 'INFO' }]);
    assert.equal(badLogger.errorCode, ErrorCode.INVALID_CONFIG);
    const del = await incremental(BROKER_LOGGER, '1', [{ name: 'kafkalite', configOperation: DELETE, value: null }]);
    assert.equal(del.errorCode, ErrorCode.INVALID_REQUEST);
    assert.equal((await incremental(BROKER_LOGGER, '1', [{ name: 'kafkalite', configOperation: SET, value: 'OFF' }])).errorCode, 0);
    assert.equal(broker.log.level, 'silent');
    const legacy = await wire.send(AlterConfigs, 1, {
      resources: [{ resourceType: BROKER_LOGGER, resourceName: '1', configs: [{ name: 'kafkalite', value: 'INFO' }] }],
      validateOnly: false,
    });
    assert.equal(legacy.responses[0]!.errorCode, ErrorCode.INVALID_REQUEST, 'AlterConfigs has no broker logger resource');
  });

  test('confluent-kafka (librdkafka) describe_configs and alter_configs for a topic and the broker', async () => {
    requireTool(() => hasPythonModule('confluent_kafka'), 'python3-confluent-kafka');
    await admin.createTopics({ topics: [{ topic: 'cfg-ck', configEntries: [{ name: 'retention.ms', value: '90000' }] }] });
    const out = await python<{
      before: Record<string, [string | null, number, boolean]>;
      after: Record<string, [string | null, number, boolean]>;
      broker: Record<string, [string | null, number, boolean]>;
      bad: string;
    }>(
      `
import sys, json
from confluent_kafka.admin import AdminClient, ConfigResource
a = AdminClient({'bootstrap.servers': sys.argv[1]})
def describe(res, keys):
    (r, f), = a.describe_configs([res]).items()
    c = f.result(timeout=20)
    return {k: [c[k].value, int(getattr(c[k].source, 'value', c[k].source)), c[k].is_read_only] for k in keys}
keys = ['retention.ms', 'segment.bytes', 'cleanup.policy']
before = describe(ConfigResource('topic', 'cfg-ck'), keys)
(r, f), = a.alter_configs([ConfigResource('topic', 'cfg-ck', set_config={'cleanup.policy': 'compact', 'segment.bytes': '1048576'})]).items()
f.result(timeout=20)
after = describe(ConfigResource('topic', 'cfg-ck'), keys)
brk = describe(ConfigResource('broker', '1'), ['log.retention.hours', 'num.partitions'])
(r, f), = a.alter_configs([ConfigResource('topic', 'cfg-ck', set_config={'segment.bytes': 'tiny'})]).items()
try:
    f.result(timeout=20)
    bad = 'accepted'
except Exception as e:
    bad = e.args[0].name() if hasattr(e.args[0], 'name') else str(e)
print(json.dumps({'before': before, 'after': after, 'broker': brk, 'bad': bad}))
`,
      broker.bootstrap,
    );
    assert.deepEqual(out.before, {
      'retention.ms': ['90000', 1, false],
      'segment.bytes': ['1073741824', 5, false],
      'cleanup.policy': ['delete', 5, false],
    });
    assert.deepEqual(out.after, {
      'retention.ms': [String(24 * 3_600_000), 5, false],
      'segment.bytes': ['1048576', 1, false],
      'cleanup.policy': ['compact', 1, false],
    });
    assert.deepEqual(out.broker, { 'log.retention.hours': ['24', 4, true], 'num.partitions': ['1', 5, true] });
    assert.equal(out.bad, 'INVALID_CONFIG');
  });
});
