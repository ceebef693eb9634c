// Kafka 4.4's client-metrics tools against Apache Kafka 4.4.0 and kafkalite side by side:
// kafka-client-metrics (--alter, --describe, --list, --delete) and kafka-configs
// --entity-type client-metrics, each command's output and exit code compared. The tools talk
// IncrementalAlterConfigs, DescribeConfigs and ListConfigResources on CLIENT_METRICS resources;
// Kafka applies a change a moment after acknowledging it, so each side waits until its
// ListConfigResources shows the change before the next command.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ListConfigResources } from '../../protocol/messages/index.js';
import { kafkaTool, type KafkaToolName } from '../jvm/tools.js';
import { startPair, type Pair, type Side } from './v44-pair.js';

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Until the side lists exactly `names` as client-metrics resources. */
async function settle(side: Side, names: string[]): Promise<void> {
  const c = await side.client();
  for (let i = 0; i < 100; i++) {
    const r = await c.send(ListConfigResources, 1, { resourceTypes: [16] });
    const listed = r.configResources.map((x) => x.resourceName).sort();
    if (JSON.stringify(listed) === JSON.stringify([...names].sort())) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${side.name}: client-metrics resources never became ${names.join(', ')}`);
}

describe('kafka-client-metrics and kafka-configs client-metrics: Kafka 4.4 vs kafkalite', { timeout: 240_000 }, () => {
  let pair: Pair;
  before(async () => {
    pair = await startPair();
  });
  after(() => pair?.stop());

  /** The same command on both sides. */
  async function both(tool: KafkaToolName, args: string[]): Promise<Record<'kafka' | 'kafkalite', Outcome>> {
    const run = async (side: Side) => {
      const r = await kafkaTool(tool, ['--bootstrap-server', side.bootstrap, ...args]);
      // The error lines, the broker address left out (Java stack frames differ by nature).
      const stderr = r.stderr
        .split('\n')
        .filter((l) => l.trim() !== '' && !/^\s+at /.test(l))
        .slice(0, 3)
        .map((l) => l.replaceAll(side.bootstrap, '<bootstrap>'))
        .join('\n');
      return { code: r.code ?? -1, stdout: r.stdout, stderr };
    };
    const [kafka, kafkalite] = [await run(pair.kafka), await run(pair.kafkalite)];
    return { kafka, kafkalite };
  }

  async function same(tool: KafkaToolName, args: string[], expectCode = 0): Promise<Outcome> {
    const r = await both(tool, args);
    assert.deepEqual(r.kafkalite, r.kafka, `${tool} ${args.join(' ')}`);
    assert.equal(r.kafka.code, expectCode, `${tool} ${args.join(' ')}: ${r.kafka.stderr}`);
    return r.kafka;
  }

  test('alter, describe, list and delete with kafka-client-metrics', async () => {
    const altered = await same('kafka-client-metrics', [
      '--alter',
      '--name',
      'cm1',
      '--metrics',
      'org.apache.kafka.producer.,org.apache.kafka.consumer.',
      '--interval',
      '1000',
      '--match',
      'client_id=abc.*,client_software_name=apache-kafka-java',
    ]);
    assert.match(altered.stdout, /cm1/);
    await Promise.all([settle(pair.kafka, ['cm1']), settle(pair.kafkalite, ['cm1'])]);
    const described = await same('kafka-client-metrics', ['--describe', '--name', 'cm1']);
    assert.match(described.stdout, /interval\.ms=1000/);
    await same('kafka-client-metrics', ['--alter', '--name', 'cm2', '--metrics', '*']);
    await Promise.all([settle(pair.kafka, ['cm1', 'cm2']), settle(pair.kafkalite, ['cm1', 'cm2'])]);
    const listed = await both('kafka-client-metrics', ['--list']);
    // The order of names is a hash set's in Kafka.
    const sorted = (o: Outcome) => o.stdout.trim().split('\n').sort();
    assert.deepEqual(sorted(listed.kafkalite), sorted(listed.kafka));
    assert.deepEqual(sorted(listed.kafka), ['cm1', 'cm2']);
    await same('kafka-client-metrics', ['--alter', '--name', 'cm1', '--interval', '']);
    await same('kafka-client-metrics', ['--delete', '--name', 'cm2']);
    await Promise.all([settle(pair.kafka, ['cm1']), settle(pair.kafkalite, ['cm1'])]);
    await same('kafka-client-metrics', ['--describe', '--name', 'cm1']);
    await same('kafka-client-metrics', ['--describe', '--name', 'nope']);
  });

  test('kafka-configs --entity-type client-metrics: describe, alter, refused values', async () => {
    await same('kafka-configs', ['--describe', '--entity-type', 'client-metrics', '--entity-name', 'cm1']);
    await same('kafka-configs', [
      '--alter',
      '--entity-type',
      'client-metrics',
      '--entity-name',
      'cm3',
      '--add-config',
      'metrics=a.,interval.ms=200',
    ]);
    await Promise.all([settle(pair.kafka, ['cm1', 'cm3']), settle(pair.kafkalite, ['cm1', 'cm3'])]);
    await same('kafka-configs', ['--describe', '--entity-type', 'client-metrics', '--entity-name', 'cm3']);
    await same('kafka-configs', ['--describe', '--entity-type', 'client-metrics', '--entity-name', 'cm3', '--all']);
    const refused = await both('kafka-configs', [
      '--alter',
      '--entity-type',
      'client-metrics',
      '--entity-name',
      'cm3',
      '--add-config',
      'interval.ms=50',
    ]);
    assert.deepEqual(refused.kafkalite, refused.kafka);
    assert.notEqual(refused.kafka.code, 0);
    await same('kafka-configs', [
      '--alter',
      '--entity-type',
      'client-metrics',
      '--entity-name',
      'cm3',
      '--delete-config',
      'metrics,interval.ms',
    ]);
    await Promise.all([settle(pair.kafka, ['cm1']), settle(pair.kafkalite, ['cm1'])]);
  });
});
