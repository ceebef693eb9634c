// The lazy handler registry (issue 15, broker/handlers/index.ts): a broker starts and answers
// ApiVersions without importing the handler modules; each API's module loads at its first
// request (once), bringing its PartitionShape; every row loads the handler of its own schema.
// (node --test runs each file in its own process: the first test sees a fresh module cache.)

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaConnection } from '../../bin/client/connection.js';
import { REGISTRY } from '../../broker/handlers/index.js';
import { startBroker } from '../../broker/index.js';
import { ApiVersions, JoinGroup, Metadata, Produce, ShareFetch } from '../../protocol/messages/index.js';

const loadedNames = () => [...REGISTRY.values()].filter((e) => e.loaded).map((e) => e.api.name);

describe('the lazy handler registry', () => {
  it('loads a handler module at its API first request, not at start', async () => {
    const broker = await startBroker({ topics: { lazy: { partitions: 2 } } });
    try {
      assert.deepEqual(loadedNames(), [], 'startBroker() imported no handler');
      const c = await KafkaConnection.open('127.0.0.1', broker.port, { clientId: 'lazy' });
      const versions = await c.send(ApiVersions, 3, { clientSoftwareName: 'lazy', clientSoftwareVersion: '0' });
      assert.equal(versions.errorCode, 0);
      assert.equal(versions.apiKeys.length, REGISTRY.size, 'ApiVersions lists every row, loaded or not');
      assert.deepEqual(loadedNames(), ['ApiVersions']);
      await c.close();

      const kafka = new Kafka({ clientId: 'lazy-kafkajs', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 2 } });
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic: 'lazy', messages: [{ partition: 1, value: 'v' }] });
      await producer.disconnect();
      const loaded = new Set(loadedNames());
      for (const api of [ApiVersions, Metadata, Produce]) assert.ok(loaded.has(api.name), `${api.name} loaded`);
      for (const api of [JoinGroup, ShareFetch]) assert.ok(!loaded.has(api.name), `${api.name} not loaded`);
      assert.ok(REGISTRY.get(Produce.apiKey)!.loaded!.partitions, 'Produce brought its PartitionShape');
      assert.equal(REGISTRY.get(Metadata.apiKey)!.loaded!.partitions, undefined);
    } finally {
      await broker.stop();
    }
  });

  it('every row loads, once, the handler of its own schema', async () => {
    for (const entry of REGISTRY.values()) {
      const first = entry.load();
      assert.equal(entry.load(), first, `${entry.api.name}: one import`);
      const { handler } = await first;
      assert.equal(handler.api, entry.api, `${entry.api.name}: the row's schema`);
      assert.equal(entry.loaded?.handler, handler);
    }
  });
});
