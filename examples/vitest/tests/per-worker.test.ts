// Per-worker mode: this worker's own in-process broker, reset before each test, so each test
// starts empty and can use fixed names and the whole in-process test kit.
import { Kafka, logLevel } from 'kafkajs';
import { expect } from 'vitest';
import { workerKafkaTest as test } from 'kafkalite/vitest';

test('a test creates a topic on the worker broker', async ({ kafka }) => {
  kafka.broker.produce('fresh', ['a', 'b']);
  const admin = new Kafka({ clientId: 'per-worker', brokers: [kafka.bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  expect(await admin.listTopics()).toContain('fresh');
  await admin.disconnect();
});

test('the next test starts after a reset: the topic is gone', async ({ kafka }) => {
  expect(kafka.broker.core.topics.get('fresh')).toBeUndefined();
  const fault = kafka.broker.faults.inject({ api: 'Metadata', error: 'UNKNOWN_SERVER_ERROR', times: 1 });
  const admin = new Kafka({
    clientId: 'per-worker',
    brokers: [kafka.bootstrap],
    logLevel: logLevel.NOTHING,
    retry: { retries: 3, initialRetryTime: 20 },
  }).admin();
  await admin.connect();
  await admin.listTopics();
  await admin.disconnect();
  expect(fault.hits).toBe(1);
});
