const { Kafka, logLevel } = require('kafkajs');
const { control, unique } = require('./control');

const kafka = new Kafka({
  clientId: 'jest-orders',
  brokers: [process.env.KAFKA_BOOTSTRAP],
  logLevel: logLevel.NOTHING,
  retry: { retries: 5, initialRetryTime: 20 },
});

test('the preset passes the shared broker through the environment', async () => {
  expect(process.env.KAFKA_BOOTSTRAP).toMatch(/^127\.0\.0\.1:\d+$/);
  const info = await control('GET', '/info');
  expect(info.bootstrap).toBe(process.env.KAFKA_BOOTSTRAP);
  const seeded = await control('GET', '/partitions/seeded');
  expect(seeded).toHaveLength(2);
});

test('kafkajs produces; the control API waits for the records', async () => {
  const topic = unique('orders');
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ value: 'one' }, { value: 'two' }] });
  await producer.disconnect();
  const { result } = await control('POST', '/wait/records', { args: [topic, { count: 2 }], timeoutMs: 10000 });
  expect(result.map((r) => r.value)).toEqual(['one', 'two']);
});
