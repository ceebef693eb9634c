// Shared broker (from the globalSetup): kafkajs produces, the control API reads back, and a
// fault injected over HTTP makes the producer retry. Names are unique per test because other
// files run against the same broker at the same time.
import { Kafka, logLevel } from 'kafkajs';
import { expect } from 'vitest';
import { kafkaTest as test } from 'kafkalite/vitest';

function client(bootstrap: string, clientId: string): Kafka {
  return new Kafka({ clientId, brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 5, initialRetryTime: 20 } });
}

test('kafkajs produces to the shared broker', async ({ kafka }) => {
  const topic = kafka.unique('orders');
  const producer = client(kafka.bootstrap, 'orders-producer').producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: [
      { key: 'a', value: 'one' },
      { key: 'b', value: 'two' },
    ],
  });
  await producer.disconnect();
  const records = (await kafka.control.waitFor.records(topic, { count: 2 })) as Array<{ value: string }>;
  expect(records.map((r) => r.value)).toEqual(['one', 'two']);
});

test('a fault injected over HTTP is retried by kafkajs', async ({ kafka }) => {
  const topic = kafka.unique('orders-faulty');
  const fault = await kafka.control.faults.inject({ api: 'Produce', match: { topic }, error: 'NOT_LEADER_OR_FOLLOWER', times: 2 });
  const producer = client(kafka.bootstrap, 'orders-retry').producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ value: 'eventually' }] });
  await producer.disconnect();
  const status = await kafka.control.faults.get(fault.id);
  expect(status.hits).toBe(2);
  expect(status.fired).toBe(true);
});

test('the seeded topic from the config exists', async ({ kafka }) => {
  const partitions = await kafka.control.partitions.describe('seeded');
  expect(partitions.length).toBe(2);
});
