// Apache Kafka 4.4's client tools, run from its jars (test/jvm/tools.ts), against an in-process
// kafkalite: the verifiable producer → verifiable consumer (both group protocols; every acked
// record consumed), producer-perf-test and consumer-perf-test (finish with sane figures), and
// kafka-transactions (list, describe, describe-producers, find-hanging) while a kafkajs
// transactional producer holds a transaction open.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker, type Broker } from '../../broker/index.js';
import { kafkaToolOk } from '../jvm/tools.js';

/** The JSON lines a verifiable tool prints, one event each. */
function events(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Rows of a tab-separated table the transactions tool prints (header first). */
function table(stdout: string): string[][] {
  return stdout
    .trim()
    .split('\n')
    .map((l) => l.split('\t').map((c) => c.trim()))
    .map((r) => (r[r.length - 1] === '' ? r.slice(0, -1) : r));
}

describe('Kafka 4.4 client tools against kafkalite', () => {
  let broker: Broker;
  let b: string[];
  before(async () => {
    broker = await startBroker({ topics: { vt: 3, perf: 2, otx: 2 }, config: { 'group.initial.rebalance.delay.ms': 0 } });
    b = ['--bootstrap-server', broker.bootstrap];
  });
  after(() => broker?.stop());

  test('verifiable producer → verifiable consumers (classic and consumer group protocols): every acked record is consumed', async () => {
    const produced = await kafkaToolOk('kafka-verifiable-producer', [
      ...b,
      '--topic',
      'vt',
      '--max-messages',
      '300',
      '--throughput',
      '-1',
      '--acks',
      '-1',
      '--repeating-keys',
      '7',
    ]);
    const sent = events(produced.stdout);
    const acked = sent.filter((e) => e.name === 'producer_send_success');
    assert.equal(acked.length, 300);
    assert.deepEqual(sent.at(-1), { ...sent.at(-1), name: 'tool_data', sent: 300, acked: 300 });
    assert.equal(new Set(acked.map((e) => e.partition)).size, 3, 'keys spread the records over the 3 partitions');
    const ackedKeys = acked.map((e) => `${e.partition}:${e.offset}:${e.value}`).sort();

    const consume = (protocol: string) =>
      kafkaToolOk('kafka-verifiable-consumer', [
        ...b,
        '--topic',
        'vt',
        '--group-id',
        `vc-${protocol}`,
        '--group-protocol',
        protocol,
        '--max-messages',
        '300',
        '--reset-policy',
        'earliest',
        '--verbose',
      ]);
    const results = await Promise.all(['classic', 'consumer'].map(consume));
    for (const [i, r] of results.entries()) {
      const ev = events(r.stdout);
      const records = ev.filter((e) => e.name === 'record_data');
      assert.deepEqual(records.map((e) => `${e.partition}:${e.offset}:${e.value}`).sort(), ackedKeys, `protocol ${i}`);
      const assigned = ev.find((e) => e.name === 'partitions_assigned') as { partitions: Array<{ partition: number }> };
      assert.deepEqual(assigned.partitions.map((p) => p.partition).sort(), [0, 1, 2]);
      const commits = ev.filter((e) => e.name === 'offsets_committed') as Array<{ success: boolean }>;
      assert.ok(commits.length > 0 && commits.every((c) => c.success), r.stdout);
      assert.ok(ev.some((e) => e.name === 'shutdown_complete'));
    }
    for (const g of ['vc-classic', 'vc-consumer'])
      for (const p of [0, 1, 2]) await broker.waitFor.committed(g, 'vt', p, broker.core.topics.get('vt')!.partitions[p]!.log.logEndOffset);
  });

  test('producer-perf-test and consumer-perf-test finish with sane figures', async () => {
    const produced = await kafkaToolOk('kafka-producer-perf-test', [
      '--topic',
      'perf',
      '--num-records',
      '20000',
      '--record-size',
      '100',
      '--throughput',
      '-1',
      '--command-property', // one option, several values (a repeated option keeps only the last)
      `bootstrap.servers=${broker.bootstrap}`,
      'acks=all',
    ]);
    const summary =
      /^(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency, ([\d.]+) ms max latency/m.exec(
        produced.stdout,
      );
    assert.ok(summary, produced.stdout);
    assert.equal(summary[1], '20000');
    assert.ok(Number(summary[2]) > 0 && Number(summary[4]) >= 0 && Number(summary[5]) >= Number(summary[4]), summary[0]);
    const ends = [0, 1].map((p) => broker.core.topics.get('perf')!.partitions[p]!.log.logEndOffset);
    assert.equal(ends[0]! + ends[1]!, 20000);

    const consumed = await kafkaToolOk('kafka-consumer-perf-test', [
      ...b,
      '--topic',
      'perf',
      '--num-records',
      '20000',
      '--group',
      'perf-g',
    ]);
    const lines = consumed.stdout.trim().split('\n');
    const header = lines.findIndex((l) => l.startsWith('start.time, end.time'));
    assert.ok(header >= 0, consumed.stdout);
    const cols = lines[header]!.split(', ');
    const vals = lines[header + 1]!.split(', ');
    const stat = (name: string) => Number(vals[cols.indexOf(name)]);
    assert.equal(stat('data.consumed.in.nMsg'), 20000);
    assert.equal(stat('data.consumed.in.MB'), 1.9073); // 20000 × 100 bytes, in MiB to 4 places
    assert.ok(stat('nMsg.sec') > 0 && stat('MB.sec') > 0, lines[header + 1]);
  });

  test('kafka-transactions: list, describe, describe-producers and find-hanging with a transaction left open', async () => {
    const kafka = new Kafka({ clientId: 'tools-txn', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
    const producer = kafka.producer({ transactionalId: 'open-txn', idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      const txn = await producer.transaction();
      await txn.send({ topic: 'otx', messages: [{ value: 'open', partition: 1 }] });

      const listed = table((await kafkaToolOk('kafka-transactions', [...b, 'list'])).stdout);
      assert.deepEqual(listed[0], ['TransactionalId', 'Coordinator', 'ProducerId', 'TransactionState']);
      const row = listed.find((r) => r[0] === 'open-txn')!;
      assert.deepEqual([row[1], row[3]], ['1', 'Ongoing']);
      const producerId = row[2]!;

      const described = table((await kafkaToolOk('kafka-transactions', [...b, 'describe', '--transactional-id', 'open-txn'])).stdout);
      assert.deepEqual(described[0], [
        'CoordinatorId',
        'TransactionalId',
        'ProducerId',
        'ProducerEpoch',
        'TransactionState',
        'TransactionTimeoutMs',
        'CurrentTransactionStartTimeMs',
        'TransactionDurationMs',
        'TopicPartitions',
      ]);
      const d = described[1]!;
      assert.deepEqual([d[0], d[1], d[2], d[3], d[4], d[5], d[8]], ['1', 'open-txn', producerId, '0', 'Ongoing', '60000', 'otx-1']);
      assert.ok(Number(d[6]) > Date.now() - 120_000 && Number(d[7]) >= 0, described[1]!.join(' '));

      const producers = table(
        (await kafkaToolOk('kafka-transactions', [...b, 'describe-producers', '--topic', 'otx', '--partition', '1'])).stdout,
      );
      assert.deepEqual(producers[0], [
        'ProducerId',
        'ProducerEpoch',
        'LatestCoordinatorEpoch',
        'LastSequence',
        'LastTimestamp',
        'CurrentTransactionStartOffset',
      ]);
      // Kafka reports coordinator epoch -1 until a marker has been written for the producer.
      assert.deepEqual(
        [producers[1]![0], producers[1]![1], producers[1]![2], producers[1]![3], producers[1]![5]],
        [producerId, '0', '-1', '0', '0'],
      );

      const hanging = table((await kafkaToolOk('kafka-transactions', [...b, 'find-hanging', '--broker-id', '1'])).stdout);
      assert.deepEqual(hanging, [
        ['Topic', 'Partition', 'ProducerId', 'ProducerEpoch', 'CoordinatorEpoch', 'StartOffset', 'LastTimestamp', 'Duration(min)'],
      ]);

      await txn.commit();
      const after = table((await kafkaToolOk('kafka-transactions', [...b, 'list'])).stdout);
      assert.equal(after.find((r) => r[0] === 'open-txn')![3], 'CompleteCommit');
    } finally {
      await producer.disconnect();
    }
  });
});
