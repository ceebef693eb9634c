// Listeners (broker/security/listeners.ts): two listeners on every simulated node, each client
// told the addresses of the listener it connected to (Metadata, FindCoordinator,
// DescribeCluster), with the raw wire client and kafkajs and kcat (librdkafka); and the config
// validation messages of Kafka's KafkaConfig for bad listener settings.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker, type Broker } from '../../broker/index.js';
import { DescribeCluster, FindCoordinator, Metadata } from '../../protocol/messages/index.js';
import { hasCommand, requireTool, run } from './helpers.js';
import { WireClient } from './wire-client.js';

describe('two listeners on three nodes', () => {
  let broker: Broker;
  before(async () => {
    broker = await startBroker({
      nodes: 3,
      config: {
        listeners: 'PLAINTEXT://127.0.0.1:0,INTERNAL://127.0.0.1:0',
        'advertised.listeners': 'PLAINTEXT://127.0.0.1:0,INTERNAL://localhost:0',
        'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,INTERNAL:PLAINTEXT',
      },
      topics: { orders: 3 },
    });
  });
  after(() => broker?.stop());

  test('broker.listeners names each listener with its protocol and bootstrap', () => {
    assert.deepEqual(
      broker.listeners.map((l) => [l.name, l.protocol]),
      [
        ['PLAINTEXT', 'PLAINTEXT'],
        ['INTERNAL', 'PLAINTEXT'],
      ],
    );
    assert.equal(broker.bootstrap, broker.listeners[0]!.bootstrap);
    assert.notEqual(broker.listeners[0]!.port, broker.listeners[1]!.port);
  });

  test('Metadata, FindCoordinator and DescribeCluster answer with the addresses of the listener used', async () => {
    const seen: Array<Array<string>> = [];
    for (const l of broker.listeners) {
      const c = await WireClient.connect(l.bootstrap);
      try {
        const md = await c.send(Metadata, 12, { topics: null, allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false });
        const brokers = md.brokers.map((b) => `${b.host}:${b.port}`);
        assert.equal(brokers.length, 3);
        // advertised.listeners with port 0 advertises port 0 for the first node only (as given), the bound ports for the others
        const expectHost = l.name === 'INTERNAL' ? 'localhost' : '127.0.0.1';
        for (const b of md.brokers) assert.equal(b.host, expectHost);
        const fc = await c.send(FindCoordinator, 4, { keyType: 0, coordinatorKeys: ['g1'] });
        assert.ok(brokers.includes(`${fc.coordinators[0]!.host}:${fc.coordinators[0]!.port}`));
        const dc = await c.send(DescribeCluster, 1, { includeClusterAuthorizedOperations: false, endpointType: 1 });
        assert.deepEqual(
          dc.brokers.map((b) => `${b.host}:${b.port}`),
          brokers,
        );
        seen.push(brokers);
      } finally {
        c.close();
      }
    }
    assert.notDeepEqual(seen[0], seen[1]);
  });
});

describe('clients follow the listener they bootstrap from', () => {
  let broker: Broker;
  before(async () => {
    broker = await startBroker({ nodes: 2, listeners: [{ name: 'EXTERNAL' }, { name: 'REPLICATION', protocol: 'PLAINTEXT' }] });
  });
  after(() => broker?.stop());

  test('kafkajs produces and consumes on the second listener; Metadata gave it only that listener', async () => {
    const l = broker.listeners[1]!;
    const kafka = new Kafka({ brokers: [l.bootstrap], clientId: 'listeners', logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const cluster = await admin.describeCluster();
      const ports = cluster.brokers.map((b) => b.port).sort();
      const second = broker.core.cluster.nodes.map((n) => n.endpoints.get('REPLICATION')!.port).sort();
      assert.deepEqual(ports, second);
      await admin.createTopics({ topics: [{ topic: 'kjs', numPartitions: 2 }] });
    } finally {
      await admin.disconnect();
    }
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: 'kjs',
      messages: [
        { value: 'a', partition: 0 },
        { value: 'b', partition: 1 },
      ],
    });
    await producer.disconnect();
    assert.equal(broker.core.topics.get('kjs')!.partitions.length, 2);
  });

  test('kcat -L on each listener lists that listener’s addresses', async () => {
    requireTool(() => hasCommand('kcat'), 'kcat');
    for (const l of broker.listeners) {
      const r = await run('kcat', ['-b', l.bootstrap, '-L'], { timeoutMs: 30_000 });
      assert.equal(r.code, 0, r.stderr);
      for (const n of broker.core.cluster.nodes) {
        const e = n.endpoints.get(l.name)!;
        assert.ok(r.stdout.includes(`broker ${n.nodeId} at ${e.host}:${e.port}`), r.stdout);
      }
    }
  });
});

describe('listener settings are validated with Kafka’s messages', () => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [
      { listeners: 'FOO://127.0.0.1:0' },
      /Error creating broker listeners from 'FOO:\/\/127.0.0.1:0': No security protocol defined for listener FOO/,
    ],
    [{ listeners: 'PLAINTEXT:127.0.0.1:0' }, /Unable to parse PLAINTEXT:127.0.0.1:0 to a broker endpoint/],
    [
      { listeners: 'PLAINTEXT://:9092,plaintext://:9093' },
      /Each listener must have a different name, listeners: PLAINTEXT:\/\/:9092,plaintext:\/\/:9093/,
    ],
    [
      { listeners: 'PLAINTEXT://:9092,SSL://:9092' },
      /Each listener must have a different port, listeners: PLAINTEXT:\/\/:9092,SSL:\/\/:9092/,
    ],
    [
      { listeners: 'PLAINTEXT://127.0.0.1:0', 'advertised.listeners': 'PLAINTEXT://0.0.0.0:9092' },
      /advertised.listeners cannot use the nonroutable meta-address 0.0.0.0. Use a routable IP address./,
    ],
    [
      { listeners: 'PLAINTEXT://127.0.0.1:0', 'advertised.listeners': 'SSL://a:1' },
      /advertised.listeners listener names must be equal to or a subset of the ones defined in listeners. Found SSL. The valid options based on the current configuration are PLAINTEXT/,
    ],
    [
      { listeners: 'SSL://127.0.0.1:0' },
      /inter.broker.listener.name must be a listener name defined in advertised.listeners. The valid options based on currently configured listeners are SSL/,
    ],
    [
      { listeners: 'PLAINTEXT://127.0.0.1:0', 'inter.broker.listener.name': 'PLAINTEXT', 'security.inter.broker.protocol': 'PLAINTEXT' },
      /Only one of inter.broker.listener.name and security.inter.broker.protocol should be set./,
    ],
    [
      { listeners: 'PLAINTEXT://127.0.0.1:0', 'listener.security.protocol.map': 'PLAINTEXT:TLS' },
      /Invalid security protocol `TLS` defined in listener.security.protocol.map/,
    ],
  ];
  for (const [config, message] of cases) {
    test(JSON.stringify(config), async () => {
      await assert.rejects(startBroker({ config }), message);
    });
  }

  test('controller.listener.names are not opened; inter.broker.listener.name naming a client listener is accepted', async () => {
    const b = await startBroker({
      config: {
        listeners: 'CONTROLLER://127.0.0.1:0,BROKER://127.0.0.1:0',
        'controller.listener.names': 'CONTROLLER',
        'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,BROKER:PLAINTEXT',
        'inter.broker.listener.name': 'BROKER',
      },
    });
    try {
      assert.deepEqual(
        b.listeners.map((l) => l.name),
        ['BROKER'],
      );
    } finally {
      await b.stop();
    }
  });
});
