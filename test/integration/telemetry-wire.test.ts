// Client telemetry (KIP-714) over the wire against an in-process broker on the virtual clock:
// kafkalite's default subscription, a subscription taking over once a CLIENT_METRICS resource
// exists, push timing driven by advancing the clock (no sleeping), compressed payloads, the
// latest push on /metrics (Prometheus), /api/v1/clients and the control API, instance expiry, subscriptions
// persisted across a restart, and the bounds on what is kept.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connectControl, startControlServer } from '../../broker/control/index.js';
import { startBroker, type Broker } from '../../broker/index.js';
import { encodeMetrics } from '../../broker/telemetry/otlp.js';
import { ApiVersions, GetTelemetrySubscriptions, IncrementalAlterConfigs, PushTelemetry } from '../../protocol/messages/index.js';
import { ZERO_UUID } from '../../protocol/primitives.js';
import { Codec, compress } from '../../protocol/records/compression.js';
import type { VirtualClock } from '../../storage/clock.js';
import { parsePrometheus, sampleValue } from './http-helpers.js';
import { WireClient } from './wire-client.js';

const THROTTLING_QUOTA_EXCEEDED = 89;
const UNKNOWN_SUBSCRIPTION_ID = 117;
const INVALID_RECORD = 87;

/** A producer-like payload: a gauge, a delta counter and a histogram, with attributes. */
function payload(sent: number): Buffer {
  return encodeMetrics({
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'client_rack', value: { stringValue: 'r1' } }] },
        scopeMetrics: [
          {
            metrics: [
              {
                name: 'org.apache.kafka.producer.record.queue.time.avg',
                description: 'The average time in ms record batches spent in the send buffer.',
                gauge: { dataPoints: [{ asDouble: 2.5, timeUnixNano: '1700000000000000000' }] },
              },
              {
                name: 'org.apache.kafka.producer.topic.record.send',
                sum: {
                  aggregationTemporality: 1,
                  isMonotonic: true,
                  dataPoints: [{ asInt: String(sent), attributes: [{ key: 'topic', value: { stringValue: 'orders' } }] }],
                },
              },
              {
                name: 'request.latency',
                histogram: { aggregationTemporality: 2, dataPoints: [{ count: '4', sum: 10 }] },
              },
            ],
          },
        ],
      },
    ],
  });
}

async function scrape(broker: Broker) {
  const res = await fetch(`${broker.http!.url}/metrics`);
  assert.equal(res.status, 200);
  return parsePrometheus(await res.text());
}

describe('client telemetry over the wire', () => {
  let dir: string;
  let broker: Broker;
  let clock: VirtualClock;
  let client: WireClient;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kafkalite-telemetry-'));
    broker = await startBroker({ dataDir: dir, clock: 'virtual', http: { port: 0 } });
    clock = broker.clock as VirtualClock;
    client = await WireClient.connect(broker.bootstrap);
    await client.send(ApiVersions, 3, { clientSoftwareName: 'wire-tests', clientSoftwareVersion: '9.9' });
  });
  after(async () => {
    client.close();
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('default subscription: all metrics every 30 s; pushes throttled until the interval passes on the broker clock', async () => {
    const sub = await client.send(GetTelemetrySubscriptions, 0, { clientInstanceId: ZERO_UUID });
    assert.equal(sub.errorCode, 0);
    assert.notEqual(sub.clientInstanceId, ZERO_UUID);
    assert.deepEqual(sub.requestedMetrics, ['*']);
    assert.equal(sub.pushIntervalMs, 30_000);
    assert.equal(sub.telemetryMaxBytes, 1_048_576);
    assert.equal(sub.deltaTemporality, true);
    assert.ok(sub.acceptedCompressionTypes.includes(Codec.GZIP));
    const body = (metrics: Buffer, compressionType = 0) => ({
      clientInstanceId: sub.clientInstanceId,
      subscriptionId: sub.subscriptionId,
      terminating: false,
      compressionType,
      metrics,
    });
    assert.equal((await client.send(PushTelemetry, 0, body(payload(3)))).errorCode, 0);
    assert.equal((await client.send(PushTelemetry, 0, body(payload(3)))).errorCode, THROTTLING_QUOTA_EXCEEDED);
    await clock.advance(29_999);
    assert.equal((await client.send(PushTelemetry, 0, body(payload(3)))).errorCode, THROTTLING_QUOTA_EXCEEDED);
    await clock.advance(1);
    assert.equal((await client.send(PushTelemetry, 0, body(compress(Codec.GZIP, payload(4)), Codec.GZIP))).errorCode, 0);
    assert.equal(
      (await client.send(PushTelemetry, 0, { ...body(payload(1)), subscriptionId: sub.subscriptionId ^ 1 })).errorCode,
      THROTTLING_QUOTA_EXCEEDED,
    );
    await clock.advance(30_000);
    assert.equal((await client.send(PushTelemetry, 0, body(Buffer.from('garbage')))).errorCode, INVALID_RECORD);

    const { samples, types } = await scrape(broker);
    const labels = {
      client_instance_id: sub.clientInstanceId,
      client_id: 'wire-test',
      client_software_name: 'wire-tests',
      client_software_version: '9.9',
    };
    assert.equal(types.get('kafkalite_client_org_apache_kafka_producer_record_queue_time_avg'), 'gauge');
    assert.equal(sampleValue(samples, 'kafkalite_client_org_apache_kafka_producer_record_queue_time_avg', labels), 2.5);
    // Delta pushes add up: 3 then 4.
    assert.equal(types.get('kafkalite_client_org_apache_kafka_producer_topic_record_send_total'), 'counter');
    assert.equal(
      sampleValue(samples, 'kafkalite_client_org_apache_kafka_producer_topic_record_send_total', { ...labels, topic: 'orders' }),
      7,
    );
    assert.equal(sampleValue(samples, 'kafkalite_client_request_latency_count', labels), 4);
    assert.equal(sampleValue(samples, 'kafkalite_client_request_latency_sum', labels), 10);
    assert.equal(sampleValue(samples, 'kafkalite_telemetry_clients', {}), 1);

    const list = (await (await fetch(`${broker.http!.url}/api/v1/clients`)).json()) as Array<Record<string, unknown>>;
    assert.equal(list.length, 1);
    assert.equal(list[0]!['clientInstanceId'], sub.clientInstanceId);
    assert.equal(list[0]!['clientSoftwareName'], 'wire-tests');
    assert.equal(list[0]!['pushes'], 2);
    assert.equal(list[0]!['compression'], 'gzip');
    const one = (await (await fetch(`${broker.http!.url}/api/v1/clients/${sub.clientInstanceId}`)).json()) as {
      resource: Record<string, string>;
      metrics: Array<{ name: string; value: number; attributes: Record<string, string> }>;
    };
    assert.deepEqual(one.resource, { client_rack: 'r1' });
    const sent = one.metrics.find((m) => m.name === 'org.apache.kafka.producer.topic.record.send')!;
    assert.deepEqual([sent.value, sent.attributes], [7, { topic: 'orders' }]);
    assert.equal((await fetch(`${broker.http!.url}/api/v1/clients/AAAAAAAAAAAAAAAAAAAAAB`)).status, 404);

    // Not heard from for three intervals (and a minute): gone from /metrics.
    await clock.advance(90_001);
    const later = await scrape(broker);
    assert.equal(sampleValue(later.samples, 'kafkalite_client_org_apache_kafka_producer_record_queue_time_avg', labels), undefined);
    assert.equal(sampleValue(later.samples, 'kafkalite_telemetry_clients', {}), 0);
  });

  test('the control API lists the latest pushes; its clock advance opens the next interval', async () => {
    const server = await startControlServer(broker);
    try {
      const control = connectControl(server.url);
      const sub = await client.send(GetTelemetrySubscriptions, 0, { clientInstanceId: ZERO_UUID });
      const push = (sent: number) =>
        client.send(PushTelemetry, 0, {
          clientInstanceId: sub.clientInstanceId,
          subscriptionId: sub.subscriptionId,
          terminating: false,
          compressionType: 0,
          metrics: payload(sent),
        });
      const sentTotal = async () => {
        const c = (await control.clients()).find((x) => x.clientInstanceId === sub.clientInstanceId);
        return c?.metrics.find((m) => m.name === 'org.apache.kafka.producer.topic.record.send')?.value;
      };
      assert.equal((await push(5)).errorCode, 0);
      assert.equal(await sentTotal(), 5);
      assert.equal((await push(5)).errorCode, THROTTLING_QUOTA_EXCEEDED);
      await control.clock.advance('30s');
      assert.equal((await push(6)).errorCode, 0);
      assert.equal(await sentTotal(), 11);
      // The test kit's reset forgets the pushes and the instance. As in Kafka, a push from an
      // instance the broker forgot starts it again (same subscription, so the same id).
      await control.reset();
      assert.deepEqual(await control.clients(), []);
      assert.equal((await push(1)).errorCode, 0);
      assert.equal(await sentTotal(), 1);
    } finally {
      await server.close();
    }
  });

  test('a CLIENT_METRICS resource replaces the default; a subscription change makes the old id unknown', async () => {
    const first = await client.send(GetTelemetrySubscriptions, 0, { clientInstanceId: ZERO_UUID });
    assert.deepEqual(first.requestedMetrics, ['*']);
    const alter = (configs: Array<[string, string]>) =>
      client.send(IncrementalAlterConfigs, 1, {
        resources: [
          { resourceType: 16, resourceName: 'producers', configs: configs.map(([name, value]) => ({ name, configOperation: 0, value })) },
        ],
        validateOnly: false,
      });
    assert.equal(
      (
        await alter([
          ['metrics', 'org.apache.kafka.producer.'],
          ['interval.ms', '1000'],
          ['match', 'client_software_name=wire-.*'],
        ])
      ).responses[0]!.errorCode,
      0,
    );
    // The subscription changed: the instance is re-evaluated on its next request.
    const push = await client.send(PushTelemetry, 0, {
      clientInstanceId: first.clientInstanceId,
      subscriptionId: first.subscriptionId,
      terminating: false,
      compressionType: 0,
      metrics: payload(1),
    });
    assert.equal(push.errorCode, UNKNOWN_SUBSCRIPTION_ID);
    const again = await client.send(GetTelemetrySubscriptions, 0, { clientInstanceId: first.clientInstanceId });
    assert.equal(again.errorCode, 0);
    assert.equal(again.clientInstanceId, first.clientInstanceId);
    assert.deepEqual(again.requestedMetrics, ['org.apache.kafka.producer.']);
    assert.equal(again.pushIntervalMs, 1000);
    assert.notEqual(again.subscriptionId, first.subscriptionId);
    // Within the interval a second Get is throttled.
    assert.equal(
      (await client.send(GetTelemetrySubscriptions, 0, { clientInstanceId: first.clientInstanceId })).errorCode,
      THROTTLING_QUOTA_EXCEEDED,
    );

    // A client the match does not select is asked for nothing (Kafka's rule once a resource exists).
    const other = await WireClient.connect(broker.bootstrap);
    try {
      const sub = await other.send(GetTelemetrySubscriptions, 0, { clientInstanceId: ZERO_UUID });
      assert.deepEqual(sub.requestedMetrics, []);
      assert.equal(sub.pushIntervalMs, 300_000);
    } finally {
      other.close();
    }
  });

  test('subscriptions persist across a restart', async () => {
    client.close();
    await broker.stop();
    broker = await startBroker({ dataDir: dir, clock: 'virtual', http: { port: 0 } });
    clock = broker.clock as VirtualClock;
    client = await WireClient.connect(broker.bootstrap);
    await client.send(ApiVersions, 3, { clientSoftwareName: 'wire-tests', clientSoftwareVersion: '9.9' });
    const sub = await client.send(GetTelemetrySubscriptions, 0, { clientInstanceId: ZERO_UUID });
    assert.deepEqual(sub.requestedMetrics, ['org.apache.kafka.producer.']);
    assert.equal(sub.pushIntervalMs, 1000);
  });
});
