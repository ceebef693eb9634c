// GET /metrics: Prometheus text format parsed line by line, counters that move when real
// clients produce and fetch (kafkajs, the CLI's own client), per-partition gauges that match
// the logs, error counts by Kafka error name, separate registries for brokers in one process,
// process metrics only when asked, and no handles left after start/stop cycles with HTTP on.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker, type Broker } from '../../broker/index.js';
import { Produce } from '../../protocol/messages/index.js';
import { buildBatch } from '../../protocol/records/index.js';
import { KafkaClient } from '../../bin/client/client.js';
import { Consumer } from '../../bin/client/consumer.js';
import { parsePrometheus, sampleValue, type Sample } from './http-helpers.js';

async function scrape(broker: Broker): Promise<{ samples: Sample[]; types: Map<string, string> }> {
  const res = await fetch(`${broker.http!.url}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type')!, /^text\/plain; version=0\.0\.4/);
  return parsePrometheus(await res.text());
}

describe('/metrics', () => {
  let broker: Broker;
  let kafka: Kafka;
  before(async () => {
    process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';
    broker = await startBroker({ http: { port: 0 }, topics: { metered: 2, other: 1 } });
    kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, clientId: 'metrics-test' });
  });
  after(() => broker.stop());

  test('declares counters, gauges and a histogram', async () => {
    const { types } = await scrape(broker);
    assert.equal(types.get('kafkalite_requests_total'), 'counter');
    assert.equal(types.get('kafkalite_request_errors_total'), 'counter');
    assert.equal(types.get('kafkalite_request_duration_seconds'), 'histogram');
    assert.equal(types.get('kafkalite_topic_bytes_in_total'), 'counter');
    assert.equal(types.get('kafkalite_topic_records_out_total'), 'counter');
    assert.equal(types.get('kafkalite_partition_log_end_offset'), 'gauge');
    assert.equal(types.get('kafkalite_partition_size_bytes'), 'gauge');
    assert.equal(types.get('kafkalite_consumer_group_lag'), 'gauge');
    assert.equal(types.get('kafkalite_connections_open'), 'gauge');
  });

  test('a kafkajs producer moves requests, bytes and records in, log end offsets and sizes', async () => {
    const before = (await scrape(broker)).samples;
    assert.equal(sampleValue(before, 'kafkalite_topic_records_in_total', { topic: 'metered' }), 0);
    assert.equal(sampleValue(before, 'kafkalite_partition_log_end_offset', { topic: 'metered', partition: '1' }), 0);
    const producesBefore = sampleValue(before, 'kafkalite_requests_total', { api: 'Produce' }) ?? 0;

    const producer = kafka.producer();
    await producer.connect();
    const during = (await scrape(broker)).samples;
    assert.ok((sampleValue(during, 'kafkalite_connections_open', { node: '1' }) ?? 0) >= 1, 'the producer connection is counted');
    await producer.send({
      topic: 'metered',
      messages: Array.from({ length: 5 }, (_, i) => ({ partition: 1, key: `k${i}`, value: `value ${i}` })),
    });
    await producer.send({ topic: 'metered', messages: [{ partition: 0, value: 'one more' }] });
    await producer.disconnect();

    const { samples } = await scrape(broker);
    assert.equal(sampleValue(samples, 'kafkalite_requests_total', { api: 'Produce' }), producesBefore + 2);
    assert.ok((sampleValue(samples, 'kafkalite_requests_total', { api: 'Metadata' }) ?? 0) >= 1);
    assert.equal(sampleValue(samples, 'kafkalite_topic_records_in_total', { topic: 'metered' }), 6);
    const p0 = broker.core.topics.partition('metered', 0)!;
    const p1 = broker.core.topics.partition('metered', 1)!;
    assert.equal(sampleValue(samples, 'kafkalite_topic_bytes_in_total', { topic: 'metered' }), p0.log.size + p1.log.size);
    assert.equal(sampleValue(samples, 'kafkalite_partition_log_end_offset', { topic: 'metered', partition: '1' }), 5);
    assert.equal(sampleValue(samples, 'kafkalite_partition_log_end_offset', { topic: 'metered', partition: '0' }), 1);
    assert.equal(sampleValue(samples, 'kafkalite_partition_size_bytes', { topic: 'metered', partition: '1' }), p1.log.size);
    assert.equal(sampleValue(samples, 'kafkalite_topic_records_in_total', { topic: 'other' }), 0);
    assert.equal(sampleValue(samples, 'kafkalite_request_duration_seconds_count', { api: 'Produce' }), producesBefore + 2);
    assert.equal(sampleValue(samples, 'kafkalite_request_duration_seconds_bucket', { api: 'Produce', le: '+Inf' }), producesBefore + 2);
  });

  test('fetching moves bytes and records out; error codes are counted by name', async () => {
    const client = await KafkaClient.connect({ bootstrap: broker.bootstrap, clientId: 'metrics-fetch' });
    try {
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({
        topic: 'other',
        messages: [
          { partition: 0, value: 'a' },
          { partition: 0, value: 'b' },
          { partition: 0, value: 'c' },
        ],
      });
      await producer.disconnect();
      const before = (await scrape(broker)).samples;
      assert.equal(sampleValue(before, 'kafkalite_topic_records_out_total', { topic: 'other' }), undefined);

      const consumer = new Consumer(client, await client.topic('other'));
      consumer.assign(new Map([[0, 0]]));
      const polled = await consumer.poll(0);
      assert.equal(polled.records.length, 3);
      const after = (await scrape(broker)).samples;
      assert.equal(sampleValue(after, 'kafkalite_topic_records_out_total', { topic: 'other' }), 3);
      assert.equal(
        sampleValue(after, 'kafkalite_topic_bytes_out_total', { topic: 'other' }),
        broker.core.topics.partition('other', 0)!.log.size,
      );

      const batch = buildBatch({ records: [{ value: 'nowhere' }] });
      const { response } = await client.send(Produce, () => ({
        acks: 1,
        timeoutMs: 1000,
        transactionalId: null,
        topicData: [{ name: 'other', partitionData: [{ index: 7, records: batch }] }],
      }));
      assert.equal(response.responses[0]!.partitionResponses[0]!.errorCode, 3);
      const errors = (await scrape(broker)).samples;
      assert.equal(sampleValue(errors, 'kafkalite_request_errors_total', { api: 'Produce', error: 'UNKNOWN_TOPIC_OR_PARTITION' }), 1);
    } finally {
      client.close();
    }
  });

  test('brokers in one process keep separate registries; process metrics only when asked', async () => {
    const a = await startBroker({ http: { port: 0 }, topics: { shared: 1 } });
    const b = await startBroker({ http: { port: 0, processMetrics: true }, topics: { shared: 1 } });
    try {
      const k = new Kafka({ brokers: [a.bootstrap], logLevel: logLevel.NOTHING });
      const p = k.producer();
      await p.connect();
      await p.send({ topic: 'shared', messages: [{ value: 'only on a' }] });
      await p.disconnect();
      const sa = (await scrape(a)).samples;
      const sb = (await scrape(b)).samples;
      assert.equal(sampleValue(sa, 'kafkalite_topic_records_in_total', { topic: 'shared' }), 1);
      assert.equal(sampleValue(sb, 'kafkalite_topic_records_in_total', { topic: 'shared' }), 0);
      assert.equal(sampleValue(sb, 'kafkalite_requests_total', { api: 'Produce' }), undefined);
      assert.equal(sampleValue(sa, 'process_cpu_seconds_total'), undefined);
      assert.ok((sampleValue(sb, 'process_cpu_seconds_total') ?? -1) >= 0, 'process metrics on b');
      assert.ok((sampleValue(sb, 'nodejs_heap_size_used_bytes') ?? 0) > 0);
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  test('30 start/stop cycles with HTTP on, scraped and with a client, leave no open handles', async () => {
    const resources = () => {
      const counts = new Map<string, number>();
      for (const r of process.getActiveResourcesInfo()) if (r !== 'TTYWrap' && r !== 'Timeout') counts.set(r, (counts.get(r) ?? 0) + 1);
      return counts;
    };
    await new Promise((r) => setImmediate(r));
    const baseline = resources();
    for (let i = 0; i < 30; i++) {
      const b = await startBroker({ http: { port: 0 }, topics: { cyc: 1 } });
      await (await fetch(`${b.http!.url}/metrics`)).text();
      if (i % 10 === 0) {
        const res = await fetch(`${b.http!.url}/api/v1/topics/cyc/tail`);
        await res.body!.getReader().read();
      }
      await b.stop();
    }
    await new Promise((r) => setTimeout(r, 50));
    for (const [type, n] of resources())
      assert.ok(n <= (baseline.get(type) ?? 0), `${n} ${type} open after the cycles, ${baseline.get(type) ?? 0} before`);
  });
});
