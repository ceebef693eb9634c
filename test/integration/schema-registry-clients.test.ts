// Real Schema Registry clients against kafkalite's registry, their records through kafkalite
// topics: confluent-kafka-python 2.16.2 (PyPI, test/python/requirements.txt) with its
// SchemaRegistryClient and Avro, JSON Schema and Protobuf serializers; kafkajs 2 with
// @kafkajs/confluent-schema-registry 4.1.0 (npm) for the three types; and a Java program with
// Apache Avro 1.12.2 that registers and decodes by hand over the REST API
// (test/jvm/programs/AvroRegistry.java), reading what the Node client wrote and the other way round.

import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker, type Broker } from '../../broker/index.js';
import { JAVA_PROGRAMS, KAFKA_CLASSPATH, LOG4J_CONFIG } from '../jvm/kafka.js';
import { venvInterpreter } from '../python/venv.js';
import { run } from './helpers.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

describe('Schema Registry clients', () => {
  let broker: Broker;
  let kafka: Kafka;
  before(async () => {
    broker = await startBroker({ schemaRegistry: { port: 0 } });
    kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
  });
  after(() => broker.stop());

  /** Produce encoded values with kafkajs and read them back from offset 0. */
  async function throughTopic(topic: string, values: Buffer[]): Promise<Buffer[]> {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: values.map((value) => ({ value })) });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: `${topic}-reader` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const got: Buffer[] = [];
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          got.push(message.value!);
          if (got.length === values.length) resolve();
        },
      });
    });
    await consumer.disconnect();
    return got;
  }

  test('@kafkajs/confluent-schema-registry 4.1.0 with kafkajs: Avro, JSON Schema and Protobuf round trips', async () => {
    const registry = new SchemaRegistry({ host: broker.schemaRegistry!.url });
    const avro: { type: SchemaType.AVRO; schema: string } = {
      type: SchemaType.AVRO,
      schema: JSON.stringify({
        type: 'record',
        name: 'Order',
        namespace: 'shop',
        fields: [
          { name: 'id', type: 'long' },
          { name: 'item', type: 'string' },
          { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['NEW', 'PAID'] } },
        ],
      }),
    };
    const { id: avroId } = await registry.register(avro, { subject: 'js-orders-value' });
    const again = await registry.register(avro, { subject: 'js-orders-value' });
    assert.equal(again.id, avroId);
    const orders = [
      { id: 1, item: 'widget', status: 'NEW' },
      { id: 2, item: 'gadget', status: 'PAID' },
    ];
    const encoded = await Promise.all(orders.map((o) => registry.encode(avroId, o)));
    assert.equal(encoded[0]![0], 0, 'magic byte');
    assert.equal(encoded[0]!.readInt32BE(1), avroId);
    const back = await throughTopic('js-orders', encoded);
    assert.deepEqual(await Promise.all(back.map(async (b) => ({ ...(await registry.decode(b)) }))), orders);
    assert.equal(await registry.getLatestSchemaId('js-orders-value'), avroId);
    assert.equal(await registry.getRegistryIdBySchema('js-orders-value', avro), avroId);
    assert.equal(await registry.getRegistryId('js-orders-value', 1), avroId);

    // An incompatible evolution is refused with the registry's message.
    const bad: { type: SchemaType.AVRO; schema: string } = {
      type: SchemaType.AVRO,
      schema: JSON.stringify({ type: 'record', name: 'Order', namespace: 'shop', fields: [{ name: 'id', type: 'string' }] }),
    };
    await assert.rejects(registry.register(bad, { subject: 'js-orders-value' }), /incompatible with an earlier schema/);

    const json: { type: SchemaType.JSON; schema: string } = {
      type: SchemaType.JSON,
      schema: JSON.stringify({
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        properties: { name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } },
        required: ['name'],
      }),
    };
    const { id: jsonId } = await registry.register(json, { subject: 'js-customers-value' });
    const customers = [{ name: 'Ada', tags: ['x'] }, { name: 'Grace' }];
    const jsonBack = await throughTopic('js-customers', await Promise.all(customers.map((c) => registry.encode(jsonId, c))));
    assert.deepEqual(await Promise.all(jsonBack.map((b) => registry.decode(b))), customers);
    await assert.rejects(registry.encode(jsonId, { tags: [] }), /invalid payload|required|validation/i);

    const proto: { type: SchemaType.PROTOBUF; schema: string } = {
      type: SchemaType.PROTOBUF,
      schema:
        'syntax = "proto3";\npackage shop;\nmessage Payment {\n  string id = 1;\n  int64 cents = 2;\n  repeated string tags = 3;\n}\n',
    };
    const { id: protoId } = await registry.register(proto, { subject: 'js-payments-value' });
    const payments = [{ id: 'p1', cents: 1200, tags: ['a'] }];
    const protoBack = await throughTopic('js-payments', await Promise.all(payments.map((p) => registry.encode(protoId, p))));
    const decoded = await registry.decode(protoBack[0]!);
    assert.equal(decoded.id, 'p1');
    assert.equal(Number(decoded.cents), 1200);
    assert.deepEqual(decoded.tags, ['a']);
  });

  test('confluent-kafka-python 2.16.2: SchemaRegistryClient, Avro, JSON Schema and Protobuf serializers through kafkalite topics', async () => {
    const python = await venvInterpreter();
    const r = await run(
      python,
      [join(ROOT, 'test', 'python', 'scripts', 'ck_schema_registry.py'), broker.bootstrap, broker.schemaRegistry!.url, 'py'],
      {
        timeoutMs: 180_000,
      },
    );
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    assert.equal(out.version, '2.16.2');
    const orders = [0, 1, 2].map((i) => ({ id: i, item: `widget-${i}`, qty: i * 2 }));
    assert.deepEqual(out.avro, orders);
    const id = out.avroLatest.id - 1;
    assert.deepEqual(
      out.avroWire,
      orders.map(() => `00${id.toString(16).padStart(8, '0')}`),
      'magic 0 and the 4-byte id',
    );
    assert.deepEqual(
      out.avroEvolved,
      orders.map((o) => ({ ...o, note: 'none' })),
      'read with an evolved reader schema',
    );
    assert.deepEqual(out.avroVersions, [1, 2]);
    assert.deepEqual(out.avroLatest, { id: out.avroV2Id, version: 2, type: 'AVRO' });
    assert.deepEqual(out.avroLookup, { id, version: 1 });
    assert.equal(out.incompatible.http, 409);
    assert.equal(out.incompatible.code, 40901);
    assert.equal(out.compatV1, false, 'v1 cannot read v2 data (qty long -> int)');
    assert.equal(out.getConfig, 'FULL');
    assert.deepEqual(out.json, [{ name: 'Ada', age: 36, email: 'ada@example.com' }, { name: 'Linus' }]);
    assert.equal(out.jsonType, 'JSON');
    assert.deepEqual(out.proto, [
      { id: 'pay-0', cents: 1000, currency: 'EUR', at: 1700000000, tags: ['a', 'b0'] },
      { id: 'pay-1', cents: 1001, currency: 'EUR', at: 1700000001, tags: ['a', 'b1'] },
    ]);
    assert.match(out.protoWire[0], /^00[0-9a-f]{8}00$/, 'magic, id, then the message-index array [0] as one zero byte');
    assert.deepEqual(out.protoLatest, { type: 'PROTOBUF', refs: [{ name: 'shop/money.proto', subject: 'shop/money.proto', version: 1 }] });
    assert.deepEqual(out.subjects, ['py-avro-value', 'py-json-value', 'py-proto-value', 'shop/money.proto']);
    assert.deepEqual([out.deleted, out.deletedPermanent], [[1], [1]]);
  });

  test('Java with Apache Avro 1.12.2 by hand over the REST API, reading what @kafkajs/confluent-schema-registry wrote and back', async () => {
    const { resolveAvroJars } = (await import(join(ROOT, 'test', 'jvm', 'resolve.mjs'))) as { resolveAvroJars(): string };
    const avroClasspath = resolveAvroJars();
    const registry = new SchemaRegistry({ host: broker.schemaRegistry!.url });
    // Node writes with a schema whose qty is an int and that has an extra field with a default.
    const nodeSchema: { type: SchemaType.AVRO; schema: string } = {
      type: SchemaType.AVRO,
      schema: JSON.stringify({
        type: 'record',
        name: 'Order',
        namespace: 'shop',
        fields: [
          { name: 'id', type: 'long' },
          { name: 'item', type: 'string' },
          { name: 'qty', type: 'int' },
          { name: 'origin', type: 'string', default: 'node' },
        ],
      }),
    };
    const { id: nodeId } = await registry.register(nodeSchema, { subject: 'java-orders-value' });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: 'java-orders',
      messages: [{ value: await registry.encode(nodeId, { id: 1, item: 'from-node', qty: 5, origin: 'node' }) }],
    });
    await producer.disconnect();

    const r = await run(
      'java',
      [
        '-XX:+UseSerialGC',
        '-XX:TieredStopAtLevel=1',
        `-Dlog4j2.configurationFile=${LOG4J_CONFIG}`,
        '-cp',
        `${KAFKA_CLASSPATH}:${avroClasspath}`,
        join(JAVA_PROGRAMS, 'AvroRegistry.java'),
        broker.bootstrap,
        broker.schemaRegistry!.url,
        'java-orders',
        '2',
      ],
      { timeoutMs: 180_000 },
    );
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { id: number; records: Array<Record<string, unknown>> };
    assert.notEqual(out.id, nodeId, "Java's schema (no origin field) is a second version");
    assert.deepEqual(out.records, [
      { schemaId: nodeId, id: 1, item: 'from-node', qty: 5 },
      { schemaId: out.id, id: 100, item: 'java-0', qty: 1 },
      { schemaId: out.id, id: 101, item: 'java-1', qty: 2 },
    ]);
    // And Node decodes Java's records with the schema Java registered.
    const consumer = kafka.consumer({ groupId: 'java-orders-node' });
    await consumer.connect();
    await consumer.subscribe({ topic: 'java-orders', fromBeginning: true });
    const decoded: unknown[] = [];
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          decoded.push({ ...(await registry.decode(message.value!)) });
          if (decoded.length === 3) resolve();
        },
      });
    });
    await consumer.disconnect();
    assert.deepEqual(decoded.slice(1), [
      { id: 100, item: 'java-0', qty: 1 },
      { id: 101, item: 'java-1', qty: 2 },
    ]);
  });
});
