// Shared broker: records produced through the control API, read by a kafkajs consumer group.
import { Kafka, logLevel } from 'kafkajs';
import { expect } from 'vitest';
import { kafkaTest as test } from 'kafkalite/vitest';

test('a kafkajs consumer group reads what the control API produced', async ({ kafka }) => {
  const topic = kafka.unique('payments');
  await kafka.control.produce(topic, [
    { key: 'p1', value: '10.00' },
    { key: 'p2', value: '20.00' },
  ]);
  const consumer = new Kafka({ clientId: 'payments', brokers: [kafka.bootstrap], logLevel: logLevel.NOTHING }).consumer({
    groupId: kafka.unique('payments-group'),
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const seen: string[] = [];
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        seen.push(message.value!.toString());
        if (seen.length === 2) resolve();
      },
    });
  });
  await done;
  await consumer.disconnect();
  expect(seen.sort()).toEqual(['10.00', '20.00']);
});

test('recorded requests show what kafkajs sent', async ({ kafka }) => {
  const topic = kafka.unique('audit');
  const clientId = kafka.unique('auditor');
  const recording = await kafka.control.requests.record({ clientId: `^${clientId}$` });
  const producer = new Kafka({ clientId, brokers: [kafka.bootstrap], logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ value: 'x' }] });
  await producer.disconnect();
  const produces = await kafka.control.requests.list({ recording, api: 'Produce' });
  await kafka.control.requests.stop(recording);
  expect(produces.length).toBe(1);
});
