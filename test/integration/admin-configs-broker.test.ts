// Broker config admin over TCP with real clients: dynamic broker configs (cluster default and per-broker
// layers), their errors, DescribeConfigs versions, the broker logger, and confluent-kafka's describe_configs/
// alter_configs (kafkajs, confluent-kafka, and the raw wire client). Topics: admin-configs.test.ts.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Kafka, Admin } from 'kafkajs';
import type { Broker } from '../../broker/index.js';
import { ErrorCode } from '../../protocol/errors.js';
import { AlterConfigs } from '../../protocol/messages/index.js';
import { hasPythonModule, python, requireTool } from './helpers.js';
import type { WireClient } from './wire-client.js';
import { BROKER, BROKER_LOGGER, DELETE, SET, TOPIC, type ResourceType, useAdminConfigs } from './admin-configs-helpers.js';

describe('admin configs: broker', () => {
  let broker: Broker;
  let kafka: Kafka;
  let admin: Admin;
  let wire: WireClient;
  const { describeOne, incremental } = useAdminConfigs((b) => ({ broker, kafka, admin, wire } = b));

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
