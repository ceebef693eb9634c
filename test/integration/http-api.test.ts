// The HTTP API of an in-process broker: through fastify.inject() (no socket) for topics,
// configs, partitions, records and the broker, and over a real socket for health, records
// produced by kafkajs, the live tail (Server-Sent Events) and the OpenAPI document.

import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker, type Broker } from '../../broker/index.js';

interface Json {
  // biome-ignore lint/suspicious/noExplicitAny: JSON bodies are walked freely and compared with assert, which takes anything
  [k: string]: any;
}

describe('HTTP API through fastify.inject()', () => {
  let broker: Broker;
  const inject = async (method: string, url: string, payload?: unknown) => {
    const res = await broker.http!.app.inject({ method: method as 'GET', url, payload: payload as Json });
    return { status: res.statusCode, body: res.body ? (res.json() as Json) : null, headers: res.headers };
  };

  before(async () => {
    broker = await startBroker({ http: { port: 0 }, topics: { existing: 2 } });
  });
  after(() => broker.stop());

  test('health and readiness', async () => {
    assert.deepEqual((await inject('GET', '/health')).body, { status: 'ok' });
    const ready = await inject('GET', '/ready');
    assert.equal(ready.status, 200);
    assert.equal(ready.body!.status, 'ready');
  });

  test('topics: create, list, describe, delete, with Kafka error names', async () => {
    const created = await inject('POST', '/api/v1/topics', { name: 'orders', partitions: 3, configs: { 'retention.ms': 3600000 } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body!.partitions.length, 3);
    assert.deepEqual(created.body!.configs, { 'retention.ms': '3600000' });
    assert.ok(broker.core.topics.get('orders'), 'the topic exists in the broker');

    const again = await inject('POST', '/api/v1/topics', { name: 'orders' });
    assert.equal(again.status, 409);
    assert.equal(again.body!.error, 'TOPIC_ALREADY_EXISTS');
    const bad = await inject('POST', '/api/v1/topics', { name: 'bad name!' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body!.error, 'INVALID_TOPIC_EXCEPTION');
    const noName = await inject('POST', '/api/v1/topics', { partitions: 1 });
    assert.equal(noName.status, 400);

    const list = await inject('GET', '/api/v1/topics');
    assert.deepEqual(
      list.body!.topics.map((t: Json) => [t.name, t.partitions]),
      [
        ['existing', 2],
        ['orders', 3],
      ],
    );

    const described = await inject('GET', '/api/v1/topics/orders');
    assert.equal(described.body!.name, 'orders');
    assert.deepEqual(
      described.body!.partitions.map((p: Json) => [p.partition, p.logStartOffset, p.logEndOffset]),
      [
        [0, 0, 0],
        [1, 0, 0],
        [2, 0, 0],
      ],
    );
    assert.equal((await inject('GET', '/api/v1/topics/nope')).status, 404);

    assert.equal((await inject('DELETE', '/api/v1/topics/orders')).status, 204);
    assert.equal(broker.core.topics.get('orders'), undefined);
    const gone = await inject('DELETE', '/api/v1/topics/orders');
    assert.equal(gone.status, 404);
    assert.equal(gone.body!.error, 'UNKNOWN_TOPIC_OR_PARTITION');
  });

  test('topic configs: describe with sources, set and delete overrides', async () => {
    await inject('POST', '/api/v1/topics', { name: 'configured', partitions: 1 });
    const patched = await inject('PATCH', '/api/v1/topics/configured/configs', {
      set: { 'cleanup.policy': 'compact', 'retention.ms': 1000 },
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    const byName = new Map((patched.body!.configs as Json[]).map((c) => [c.name, c]));
    assert.equal(byName.get('cleanup.policy')!.value, 'compact');
    assert.equal(byName.get('cleanup.policy')!.source, 'DYNAMIC_TOPIC_CONFIG');
    assert.deepEqual(broker.core.topics.get('configured')!.configs, { 'cleanup.policy': 'compact', 'retention.ms': '1000' });

    await inject('PATCH', '/api/v1/topics/configured/configs', { delete: ['retention.ms'] });
    const all = await inject('GET', '/api/v1/topics/configured/configs');
    const retention = (all.body!.configs as Json[]).find((c) => c.name === 'retention.ms')!;
    assert.equal(retention.source, 'DEFAULT_CONFIG');
    assert.equal(retention.value, '604800000');

    const invalid = await inject('PATCH', '/api/v1/topics/configured/configs', { set: { 'cleanup.policy': 'sometimes' } });
    assert.equal(invalid.status, 400);
    assert.equal(invalid.body!.error, 'INVALID_CONFIG');
    assert.equal((await inject('GET', '/api/v1/topics/missing/configs')).status, 404);
  });

  test('records: produce by key and partition, read by offset and by timestamp, in every format', async () => {
    await inject('POST', '/api/v1/topics', { name: 'rec', partitions: 4 });
    const json = await inject('POST', '/api/v1/topics/rec/records', {
      partition: 1,
      key: 'user-1',
      value: '{"n":1,"tags":["a"]}',
      headers: { source: 'test', empty: null },
      timestamp: 1_000,
    });
    assert.equal(json.status, 201, JSON.stringify(json.body));
    assert.deepEqual([json.body!.partition, json.body!.offset], [1, 0]);
    await inject('POST', '/api/v1/topics/rec/records', { partition: 1, value: 'plain text', timestamp: 2_000 });
    await inject('POST', '/api/v1/topics/rec/records', { partition: 1, value: null, key: 'dead', timestamp: 3_000 });
    const b64 = await inject('POST', '/api/v1/topics/rec/records', {
      partition: 1,
      value: Buffer.from([0, 255, 16]).toString('base64'),
      encoding: 'base64',
      timestamp: 4_000,
    });
    assert.equal(b64.body!.offset, 3);

    // The same key lands on the same partition as Kafka's clients put it (murmur2).
    const keyed = await Promise.all([1, 2, 3].map(() => inject('POST', '/api/v1/topics/rec/records', { key: 'sticky-key', value: 'x' })));
    assert.equal(new Set(keyed.map((r) => r.body!.partition)).size, 1);

    const utf8 = await inject('GET', '/api/v1/topics/rec/partitions/1/records');
    assert.equal(utf8.status, 200);
    assert.equal(utf8.body!.records.length, 4);
    assert.equal(utf8.body!.highWatermark, 4);
    const [first, second, third, fourth] = utf8.body!.records as Json[];
    assert.deepEqual([first.offset, first.key, first.value, first.timestamp], [0, 'user-1', '{"n":1,"tags":["a"]}', 1000]);
    assert.deepEqual(first.headers, [
      { key: 'source', value: 'test' },
      { key: 'empty', value: null },
    ]);
    assert.deepEqual([second.key, second.value], [null, 'plain text']);
    assert.deepEqual([third.key, third.value, third.valueSize], ['dead', null, -1]);
    assert.equal(fourth.valueSize, 3);

    const pretty = await inject('GET', '/api/v1/topics/rec/partitions/1/records?format=json&limit=2');
    assert.equal(pretty.body!.records[0].value, '{\n  "n": 1,\n  "tags": [\n    "a"\n  ]\n}');
    assert.equal(pretty.body!.records[1].value, 'plain text', 'text that is not JSON stays text');
    assert.equal(pretty.body!.nextOffset, 2);
    const hex = await inject('GET', '/api/v1/topics/rec/partitions/1/records?format=hex&offset=3');
    assert.equal(hex.body!.records[0].value, '00ff10');
    assert.equal(hex.body!.records.length, 1);

    const byTime = await inject('GET', '/api/v1/topics/rec/partitions/1/records?timestamp=2500');
    assert.deepEqual(
      byTime.body!.records.map((r: Json) => r.offset),
      [2, 3],
    );
    const offsets = await inject('GET', '/api/v1/topics/rec/partitions/1/offsets?timestamp=1500');
    assert.deepEqual([offsets.body!.logStartOffset, offsets.body!.logEndOffset, offsets.body!.offsetForTimestamp], [0, 4, 1]);
    const last = await inject('GET', '/api/v1/topics/rec/partitions/1/records?offset=-1');
    assert.deepEqual(
      last.body!.records.map((r: Json) => r.offset),
      [3],
    );

    assert.equal((await inject('GET', '/api/v1/topics/rec/partitions/9/records')).status, 404);
    const noPartition = await inject('POST', '/api/v1/topics/rec/records', { partition: 9, value: 'x' });
    assert.equal(noPartition.status, 404);
    const internal = await inject('POST', '/api/v1/topics/rec/records', { value: 'x', encoding: 'nope' });
    assert.equal(internal.status, 400);
  });

  test('broker description, broker configs and the runtime log level', async () => {
    const b = await inject('GET', '/api/v1/broker');
    assert.equal(b.body!.clusterId, broker.clusterId);
    assert.equal(b.body!.nodes[0].port, broker.port);
    assert.equal(b.body!.store, 'memory');

    const cfg = await inject('GET', '/api/v1/broker/config');
    const numPartitions = (cfg.body!.configs as Json[]).find((c) => c.name === 'num.partitions');
    assert.equal(numPartitions!.value, '1');
    const changed = await inject('PATCH', '/api/v1/broker/config', { set: { 'message.max.bytes': 2000000 } });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.equal(changed.body!.configs[0].source, 'DYNAMIC_BROKER_CONFIG');
    assert.equal(broker.config.int('message.max.bytes'), 2000000);
    const readOnly = await inject('PATCH', '/api/v1/broker/config', { set: { 'num.partitions': 3 } });
    assert.equal(readOnly.status, 400);

    assert.equal((await inject('GET', '/api/v1/log-level')).body!.level, 'silent');
    const set = await inject('PUT', '/api/v1/log-level', { level: 'debug' });
    assert.equal(set.body!.level, 'debug');
    assert.equal(broker.log.level, 'debug');
    assert.equal((await inject('PUT', '/api/v1/log-level', { level: 'loud' })).status, 400);
    await inject('PUT', '/api/v1/log-level', { level: 'silent' });
  });

  test('OpenAPI document describes every route', async () => {
    const doc = await inject('GET', '/openapi.json');
    assert.equal(doc.body!.openapi, '3.0.3');
    const paths = Object.keys(doc.body!.paths);
    for (const p of [
      '/api/v1/topics',
      '/api/v1/topics/{topic}/partitions/{partition}/records',
      '/api/v1/groups/{group}/offsets/reset',
      '/api/v1/broker/config',
      '/metrics',
    ]) {
      assert.ok(paths.includes(p), `${p} in the OpenAPI document`);
    }
    const docs = await broker.http!.app.inject({ method: 'GET', url: '/docs/' });
    assert.equal(docs.statusCode, 200);
    assert.match(docs.body, /swagger/i);
  });

  test('unknown routes get a JSON 404', async () => {
    const res = await inject('GET', '/api/v1/nothing-here');
    assert.equal(res.status, 404);
    assert.equal(res.body!.error, 'NOT_FOUND');
  });
});

describe('HTTP API over a real socket', () => {
  let broker: Broker;
  let kafka: Kafka;
  before(async () => {
    process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';
    broker = await startBroker({ http: { port: 0 }, topics: { live: 2 } });
    kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, clientId: 'http-socket' });
  });
  after(() => broker.stop());

  test('serves JSON, the console page, and records kafkajs produced', async () => {
    assert.match(broker.http!.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${broker.http!.url}/health`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });
    const page = await fetch(`${broker.http!.url}/`);
    assert.match(page.headers.get('content-type')!, /text\/html/);
    assert.match(await page.text(), /kafkalite console/);
    const script = await fetch(`${broker.http!.url}/console/app.js`);
    assert.match(script.headers.get('content-type')!, /javascript/);
    assert.equal((await fetch(`${broker.http!.url}/console/..%2Fpackage.json`)).status, 404);
    // Sizes: one implementation (broker/console/format.ts), compiled and served to the page, also used by the CLI.
    assert.match(await script.text(), /^import \{ humanBytes \} from '\.\/format\.js';$/m);
    const format = await fetch(`${broker.http!.url}/console/format.js`);
    assert.equal(format.status, 200);
    assert.match(format.headers.get('content-type')!, /javascript/);
    const served = (await import(
      `data:text/javascript,${encodeURIComponent(await format.text())}`
    )) as typeof import('../../broker/console/format.js');
    assert.deepEqual([0, 1023, 1536, 10 * 1024, 12.25 * 1024 * 1024, 3 * 1024 ** 4, 5000 * 1024 ** 4].map(served.humanBytes), [
      '0 B',
      '1023 B',
      '1.5 KiB',
      '10.0 KiB',
      '12.3 MiB',
      '3.0 TiB',
      '5000.0 TiB',
    ]);

    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: 'live',
      messages: [{ partition: 0, key: 'from-kafkajs', value: 'hello over tcp', headers: { trace: 'abc' } }],
    });
    await producer.disconnect();
    const res = await fetch(`${broker.http!.url}/api/v1/topics/live/partitions/0/records`);
    const body = (await res.json()) as Json;
    assert.equal(body.records.length, 1);
    assert.deepEqual(
      [body.records[0].key, body.records[0].value, body.records[0].headers],
      ['from-kafkajs', 'hello over tcp', [{ key: 'trace', value: 'abc' }]],
    );
  });

  test('live tail streams records as they are produced, and ends when the topic is deleted', async () => {
    const url = new URL(`${broker.http!.url}/api/v1/topics/live/tail?format=utf8`);
    const events: Array<{ event: string; data: Json }> = [];
    let ended = false;
    const req = request(url, (res) => {
      assert.match(res.headers['content-type']!, /text\/event-stream/);
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) as Json });
        }
      });
      res.on('end', () => (ended = true));
    });
    req.end();
    const until = async (check: () => boolean, what: string) => {
      for (let i = 0; i < 2000 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
      assert.ok(check(), what);
    };
    await until(() => events.some((e) => e.event === 'ready'), 'ready event');
    const ready = events.find((e) => e.event === 'ready')!;
    assert.deepEqual(ready.data.positions, { 0: 1, 1: 0 }, 'the tail starts at the end');

    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'live', messages: [{ partition: 1, key: 'k1', value: 'tailed one' }] });
    await producer.send({ topic: 'live', messages: [{ partition: 0, key: 'k2', value: 'tailed two' }] });
    await producer.disconnect();
    await until(() => events.filter((e) => e.event === 'records').flatMap((e) => e.data.records).length === 2, 'two tailed records');
    const tailed = events.filter((e) => e.event === 'records').flatMap((e) => e.data.records as Json[]);
    assert.deepEqual(tailed.map((r) => [r.partition, r.offset, r.key, r.value]).sort(), [
      [0, 1, 'k2', 'tailed two'],
      [1, 0, 'k1', 'tailed one'],
    ]);

    const del = await fetch(`${broker.http!.url}/api/v1/topics/live`, { method: 'DELETE' });
    assert.equal(del.status, 204);
    await until(() => ended, 'stream ended');
    assert.ok(events.some((e) => e.event === 'deleted'));
  });

  test('stop() ends open tails and frees the HTTP port', async () => {
    const b = await startBroker({ http: { port: 0 }, topics: { t: 1 } });
    const url = b.http!.url;
    const res = await fetch(`${url}/api/v1/topics/t/tail`);
    const reader = res.body!.getReader();
    await reader.read(); // the ready event
    await b.stop();
    for (;;) if ((await reader.read()).done) break;
    await assert.rejects(fetch(`${url}/health`));
  });
});
