// useBroker(t): a broker for one test, stopped when the test ends.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { useBroker } from 'kafkalite/node-test';

let previous;

test('useBroker starts a broker for this test, with the in-process test kit', async (t) => {
  const broker = await useBroker(t, { topics: { orders: 3 } });
  previous = broker;
  const admin = new Kafka({ clientId: 'own-broker', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const [meta] = (await admin.fetchTopicMetadata({ topics: ['orders'] })).topics;
  await admin.disconnect();
  assert.equal(meta.partitions.length, 3);
  assert.notEqual(broker.bootstrap, process.env.KAFKA_BOOTSTRAP, 'not the shared broker');
});

test('the previous test broker was stopped when its test ended', async () => {
  const refused = await new Promise((resolve) => {
    const socket = connect({ host: previous.host, port: previous.port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
  assert.equal(refused, true);
});
