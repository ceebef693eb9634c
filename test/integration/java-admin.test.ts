// The Java AdminClient (kafka-clients 4.4.0, test/jvm/programs/AdminApi.java) against kafkalite
// (in process, on disk) and against a real Kafka 4.4 broker: every Admin method kafkalite
// serves (topics, partitions, configs incl. incremental, deleteRecords, log dirs, groups and
// their offsets, transactions, producers, cluster, features, leader election), each step's
// outcome (values, error classes and messages) compared line by line. With Kafka up anyway,
// some producer, consumer and transaction scenarios of the other java-*.test.ts files run
// against both too, proving those tests' expectations on the real thing.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { startKafka, type RealKafka } from '../jvm/kafka.js';
import { tempDir } from './helpers.js';
import { javaProgram, line, type Json } from './java-helpers.js';

/** Steps whose outcome differs between the two brokers for reasons other than kafkalite being wrong. */
const NOT_COMPARED = new Set([
  // Kafka also supports and finalizes eligible.leader.replicas.version (and supports kraft.version 1),
  // which kafkalite does not serve (docs/DIVERGENCES.md D2/D3).
  'describeFeatures',
]);

let broker: Broker;
let kafka: RealKafka;
const dir = tempDir('kafkalite-java-admin-');
before(async () => {
  [broker, kafka] = await Promise.all([startBroker({ dataDir: dir.path }), startKafka()]);
});
after(async () => {
  await Promise.all([broker?.stop(), kafka?.stop()]);
  dir.remove();
});

/** Runs a program against kafkalite and Kafka at once: [kafkalite's lines, Kafka's lines]. */
function both(program: string, args: string[]): Promise<[Json[], Json[]]> {
  return Promise.all([javaProgram(program, broker.bootstrap, args), javaProgram(program, kafka.bootstrap, args)]);
}

describe('Java AdminClient (kafka-clients 4.4.0): kafkalite and Kafka 4.4 answer alike', { timeout: 180_000 }, () => {
  const steps = { kafkalite: new Map<string, unknown>(), kafka: new Map<string, unknown>() };
  before(async () => {
    const [ours, theirs] = await both('AdminApi', ['ja']);
    for (const l of ours) steps.kafkalite.set(l.step, l.value);
    for (const l of theirs) steps.kafka.set(l.step, l.value);
  });

  test('both ran every step', () => {
    assert.ok(steps.kafka.size >= 60, `${steps.kafka.size} steps against Kafka`);
    assert.deepEqual([...steps.kafkalite.keys()], [...steps.kafka.keys()]);
  });

  test('every step has the same outcome: values, error classes, error messages', () => {
    const differ: string[] = [];
    for (const [step, theirs] of steps.kafka) {
      if (NOT_COMPARED.has(step)) continue;
      let ours = steps.kafkalite.get(step);
      if (step === 'describeCluster') ours = { ...(ours as Json), clusterIdLength: (theirs as Json).clusterIdLength };
      try {
        assert.deepEqual(ours, theirs);
      } catch {
        differ.push(`${step}:\n  kafkalite ${JSON.stringify(ours)}\n  kafka     ${JSON.stringify(theirs)}`);
      }
    }
    assert.deepEqual(differ, [], differ.join('\n'));
  });

  test('kafkalite: the outcomes the comparison rests on', () => {
    const s = steps.kafkalite;
    assert.deepEqual(s.get('createPartitions.described'), 5);
    assert.deepEqual(s.get('deleteRecords'), 4);
    assert.deepEqual(s.get('listConsumerGroupOffsets.altered'), { 'ja-t-0': [2, 'two'], 'ja-t-1': [1, ''] });
    assert.deepEqual(s.get('describeTransactions.ongoing'), { state: 'Ongoing', partitions: ['ja-t-2'], timeoutMs: 60000, hasStart: true });
    assert.deepEqual(
      (s.get('createTopics.badConfig') as Json).message,
      'Invalid value sideways for configuration cleanup.policy: String must be one of: compact, delete',
    );
    // DescribeGroups v6 (Kafka 4.4): a deleted group is GROUP_ID_NOT_FOUND, not a Dead group.
    assert.equal((s.get('describeConsumerGroups.deleted') as Json).error, 'GroupIdNotFoundException');
    // Finalized as Kafka 4.4 does for what kafkalite serves (KIP-848, share and streams groups, transactions v2).
    assert.deepEqual((s.get('describeFeatures') as Json).finalized, {
      'group.version': [1, 1],
      'metadata.version': [33, 33],
      'share.version': [2, 2],
      'streams.version': [1, 1],
      'transaction.version': [2, 2],
    });
  });
});

describe('producer, consumer and transaction scenarios: the same outcome on kafkalite and Kafka 4.4', { timeout: 180_000 }, () => {
  let producer: [Json[], Json[]];
  let consumer: [Json[], Json[]];
  let txn: [Json[], Json[]];
  before(async () => {
    producer = await both('Producer', ['partitioner,jk-part,12', 'acks,jk-acks']);
    consumer = await both('Consumer', ['offsets,classic,jk-off-c,g-off-c', 'offsets,consumer,jk-off-n,g-off-n']);
    txn = await both('Transactions', ['abort,jk-abort', 'fence,jk-fence', 'ctp,jk-in,jk-out,jk-group,100,consumer']);
  });

  test('producer: custom partitioner placement and acks 0/1/all', () => {
    const [ours, theirs] = producer;
    assert.deepEqual(line(ours, 'scenario', 'partitioner'), line(theirs, 'scenario', 'partitioner'));
    const strip = (l: Json) => ({ ...l, producers: l.producers.length });
    assert.deepEqual(strip(line(ours, 'scenario', 'acks')), strip(line(theirs, 'scenario', 'acks')));
  });

  test('consumer: offsetsForTimes, seek, commitSync/commitAsync, committed, with both group protocols', () => {
    const [ours, theirs] = consumer;
    assert.equal(ours.length, 2);
    assert.deepEqual(ours, theirs);
  });

  test('transactions: abort visibility and LSO, fencing, consume-transform-produce', () => {
    const [ours, theirs] = txn;
    assert.deepEqual(line(ours, 'scenario', 'abort'), line(theirs, 'scenario', 'abort'));
    // Kafka 4.4 runs transactions v2 (an epoch bump per transaction): compare all but the epochs.
    const fence = (l: Json) => ({ ...l, producers: l.producers.map((p: Json) => p.currentTransactionStartOffset) });
    assert.deepEqual(fence(line(ours, 'scenario', 'fence')), fence(line(theirs, 'scenario', 'fence')));
    const ctp = (l: Json) => ({ ...l, transactions: l.transactions > 0 });
    assert.deepEqual(ctp(line(ours, 'scenario', 'ctp')), ctp(line(theirs, 'scenario', 'ctp')));
  });
});
