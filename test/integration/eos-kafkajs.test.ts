// kafkajs transactions (issue 5, part 2): commit makes records visible to a
// readUncommitted: false consumer, abort hides them from it while a read_uncommitted consumer
// sees them; sendOffsets commits the group's offsets inside the transaction; and a
// consume-transform-produce loop that crashes mid-transaction and is resumed by a new
// instance (same transactional id, which fences the old one) ends with each input record
// reflected exactly once in the output topic.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel, type Consumer, type KafkaMessage } from 'kafkajs';
import { startBroker, type Broker } from '../../broker/index.js';
import { committedValues } from './eos-helpers.js';
import { WireClient } from './wire-client.js';

/** Consume `topic` from the beginning until `until` holds; returns the values seen. */
async function consumeUntil(
  kafka: Kafka,
  topic: string,
  readUncommitted: boolean,
  until: (values: string[]) => boolean,
): Promise<string[]> {
  const consumer = kafka.consumer({ groupId: `read-${topic}-${readUncommitted}-${Math.random()}`, readUncommitted, maxWaitTimeInMs: 100 });
  const values: string[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ message }) => {
            values.push(message.value!.toString());
            if (until(values)) resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return values;
}

describe('kafkajs transactions', () => {
  let broker: Broker;
  let kafka: Kafka;
  before(async () => {
    broker = await startBroker({ topics: { 'js-tx': 1, 'ctp-in': 2, 'ctp-out': 1 }, config: { 'group.initial.rebalance.delay.ms': 0 } });
    kafka = new Kafka({
      clientId: 'eos-kafkajs',
      brokers: [broker.bootstrap],
      logLevel: logLevel.NOTHING,
      retry: { retries: 8, initialRetryTime: 50 },
    });
  });
  after(() => broker?.stop());

  test('commit is visible to read_committed, abort only to read_uncommitted', async () => {
    const producer = kafka.producer({ transactionalId: 'js-tx-1', idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      const aborted = await producer.transaction();
      await aborted.send({ topic: 'js-tx', messages: [{ value: 'aborted-1' }, { value: 'aborted-2' }] });
      await aborted.abort();
      const committed = await producer.transaction();
      await committed.send({ topic: 'js-tx', messages: [{ value: 'committed-1' }] });
      await committed.send({ topic: 'js-tx', messages: [{ value: 'committed-2' }] });
      await committed.commit();
    } finally {
      await producer.disconnect();
    }
    const readCommitted = await consumeUntil(kafka, 'js-tx', false, (v) => v.includes('committed-2'));
    assert.deepEqual(readCommitted, ['committed-1', 'committed-2']);
    const readUncommitted = await consumeUntil(kafka, 'js-tx', true, (v) => v.includes('committed-2'));
    assert.deepEqual(readUncommitted, ['aborted-1', 'aborted-2', 'committed-1', 'committed-2']);
  });

  test('consume-transform-produce with sendOffsets survives a crash mid-transaction: each input exactly once', async () => {
    const input = Array.from({ length: 20 }, (_, i) => `in-${i}`);
    const plain = kafka.producer();
    await plain.connect();
    await plain.send({ topic: 'ctp-in', messages: input.map((value, i) => ({ value, partition: i % 2 })) });
    await plain.disconnect();

    const processed = new Set<string>();
    /** One instance of the loop; stops (without committing) when `crashAfter` inputs were committed, or at the end. */
    const instance = async (crashAfter: number | null) => {
      const producer = kafka.producer({ transactionalId: 'ctp', idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      const consumer: Consumer = kafka.consumer({ groupId: 'ctp-group', readUncommitted: false, maxWaitTimeInMs: 100 });
      await consumer.connect();
      await consumer.subscribe({ topic: 'ctp-in', fromBeginning: true });
      let committedHere = 0;
      let crashed = false;
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            autoCommit: false,
            eachMessage: async ({ topic, partition, message }: { topic: string; partition: number; message: KafkaMessage }) => {
              if (crashed) return;
              const value = message.value!.toString();
              const txn = await producer.transaction();
              await txn.send({ topic: 'ctp-out', messages: [{ value: value.replace('in-', 'out-') }] });
              if (crashAfter !== null && committedHere === crashAfter) {
                crashed = true; // crash: the transaction stays open, nothing more is done
                resolve();
                return;
              }
              await txn.sendOffsets({
                consumerGroupId: 'ctp-group',
                topics: [{ topic, partitions: [{ partition, offset: String(Number(message.offset) + 1) }] }],
              });
              await txn.commit();
              processed.add(value);
              committedHere++;
              if (processed.size === input.length) resolve();
            },
          })
          .catch(reject);
      });
      await consumer.disconnect().catch(() => undefined);
      await producer.disconnect().catch(() => undefined);
    };
    await instance(7);
    assert.equal(processed.size, 7);
    await instance(null);
    assert.equal(processed.size, input.length);

    const c = await WireClient.connect(broker.bootstrap);
    try {
      const out = await committedValues(c, 'ctp-out', 0);
      assert.deepEqual([...out].sort(), input.map((v) => v.replace('in-', 'out-')).sort(), 'each input exactly once');
      assert.equal(out.length, input.length);
    } finally {
      c.close();
    }
  });
});
