// PyPI's confluent-kafka and kafka-python (test/python/.venv) against kafkalite and against
// Apache Kafka 4.4.0 (test/jvm/kafka.ts): the same scripts on fresh names, answers compared step
// by step: both AdminClient scenarios, confluent-kafka's codecs, groups (classic and KIP-848) and
// transactions, and kafka-python's
// producer, group and transactions. Where two correct brokers may answer differently the
// comparison leaves that part out, and says why.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { startKafka, type RealKafka } from '../jvm/kafka.js';
import { venvInterpreter, venvScript } from '../python/venv.js';

type Out = Record<string, unknown>;

const GROUP_CONFIG = {
  'group.initial.rebalance.delay.ms': 0,
  'group.consumer.heartbeat.interval.ms': 500,
  'group.consumer.min.heartbeat.interval.ms': 500,
};

describe('PyPI Python clients: kafkalite answers as Apache Kafka 4.4 does', () => {
  let broker: Broker;
  let kafka: RealKafka;
  before(async () => {
    await venvInterpreter();
    [broker, kafka] = await Promise.all([startBroker({ config: GROUP_CONFIG }), startKafka({ config: GROUP_CONFIG })]);
  });
  after(async () => {
    await broker?.stop();
    await kafka?.stop();
  });

  async function both(script: string, prefix: string): Promise<[Out, Out]> {
    return Promise.all([venvScript<Out>(script, broker.bootstrap, [prefix]), venvScript<Out>(script, kafka.bootstrap, [prefix])]);
  }

  function sameSteps(ours: Out, theirs: Out): void {
    assert.deepEqual(Object.keys(ours), Object.keys(theirs));
    for (const step of Object.keys(theirs)) assert.deepEqual(ours[step], theirs[step], `step ${step}`);
  }

  test('confluent-kafka AdminClient scenario', async () => {
    sameSteps(...(await both('ck_admin.py', 'pka')));
  });

  test('confluent-kafka codecs, headers, classic and KIP-848 groups', async () => {
    const [ours, theirs] = await both('ck_clients.py', 'pkg');
    // Whether the second member got records before the first had read them all depends on timing.
    for (const o of [ours, theirs]) for (const g of ['classic', 'consumer']) delete (o[g] as Out).readByEach;
    sameSteps(ours, theirs);
  });

  test('confluent-kafka transactions', async () => {
    sameSteps(...(await both('ck_txn.py', 'pkt')));
  });

  test('kafka-python KafkaAdminClient scenario', async () => {
    const [ours, theirs] = await both('kp_admin.py', 'pkk');
    // DescribeGroups v6 (Kafka 4.4) reports GROUP_ID_NOT_FOUND for an unknown group; v5 (kafkalite today) a Dead group, no error.
    for (const o of [ours, theirs]) delete (o.describeGroups as Out)['pkk-nosuch'];
    sameSteps(ours, theirs);
  });

  test('kafka-python producer, group and transactions', async () => {
    sameSteps(...(await both('kp_clients.py', 'pkc')));
  });
});
