const { Kafka, logLevel } = require('kafkajs');
const { control, unique } = require('./control');

const kafka = new Kafka({
  clientId: 'jest-faults',
  brokers: [process.env.KAFKA_BOOTSTRAP],
  logLevel: logLevel.NOTHING,
  retry: { retries: 5, initialRetryTime: 20 },
});

test('a fault injected over HTTP makes kafkajs retry, and says it fired', async () => {
  const topic = unique('faulty');
  const fault = await control('POST', '/faults', { api: 'Produce', match: { topic }, error: 'NOT_LEADER_OR_FOLLOWER', times: 2 });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ value: 'after two failures' }] });
  await producer.disconnect();
  const status = await control('GET', `/faults/${fault.id}`);
  expect(status).toMatchObject({ hits: 2, fired: true, active: false });
});

test('a non-retriable fault reaches the application', async () => {
  const topic = unique('refused');
  await control('POST', '/faults', { api: 'Produce', match: { topic }, error: 'INVALID_RECORD', times: 1 });
  const producer = kafka.producer();
  await producer.connect();
  try {
    await expect(producer.send({ topic, messages: [{ value: 'bad' }] })).rejects.toMatchObject({
      type: 'INVALID_RECORD',
      retriable: false,
    });
  } finally {
    await producer.disconnect();
  }
});
