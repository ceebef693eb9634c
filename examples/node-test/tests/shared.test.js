// The broker started once by `--import kafkalite/node-test/preload`, shared by every test file
// (each file runs in its own process, in parallel): names are unique per test.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { sharedBroker, uniqueName } from 'kafkalite/node-test';

const { bootstrap, control } = sharedBroker();
const kafka = new Kafka({
  clientId: 'node-test-shared',
  brokers: [bootstrap],
  logLevel: logLevel.NOTHING,
  retry: { retries: 5, initialRetryTime: 20 },
});

test('kafkajs produces to the shared broker; the control API sees the records', async (t) => {
  t.diagnostic(`shared broker ${bootstrap}`);
  const topic = uniqueName('events');
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ value: 'hello' }] });
  await producer.disconnect();
  const records = await control.waitFor.records(topic, { count: 1 });
  assert.deepEqual(
    records.map((r) => r.value),
    ['hello'],
  );
});

test('a fault over the control API is retried, and reported as fired', async () => {
  const topic = uniqueName('flaky');
  const fault = await control.faults.inject({ api: 'Produce', match: { topic }, error: 'REQUEST_TIMED_OUT', times: 1 });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ value: 'retried' }] });
  await producer.disconnect();
  assert.equal((await control.faults.get(fault.id)).fired, true);
});
