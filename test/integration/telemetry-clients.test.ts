// Real clients pushing their metrics (KIP-714) to kafkalite: the Java producer, consumer and admin
// client of kafka-clients 4.4.0 (test/jvm/programs/Telemetry.java) and confluent-kafka 2.16 with
// its bundled librdkafka 2.16 (test/python/scripts/ck_telemetry.py). A CLIENT_METRICS resource made
// with Kafka 4.4's kafka-client-metrics tool gives them a 500 ms push interval; each client then
// stays open until the broker's HTTP API shows its push. The pushes are checked on
// /api/v1/clients, /api/v1/clients/:id and /metrics. The broker runs on the system clock: the
// clients' push timers are real time, and a consumer's long-poll fetch (max.wait.ms on the broker
// clock) would otherwise hold its connection's later requests, the push among them.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { kafkaToolOk } from '../jvm/tools.js';
import { venvInterpreter, venvScript } from '../python/venv.js';
import { parsePrometheus } from './http-helpers.js';
import { javaProgram } from './java-helpers.js';

interface ClientSummary {
  clientInstanceId: string;
  clientId: string;
  clientSoftwareName: string;
  clientSoftwareVersion: string;
  pushIntervalMs: number;
  metricCount: number;
  compression: string;
}
interface ClientDetail extends ClientSummary {
  resource: Record<string, string>;
  metrics: Array<{ name: string; kind: string; value: number | null; attributes: Record<string, string> }>;
}

describe('client telemetry from the Java client 4.4 and librdkafka 2.16', { timeout: 240_000 }, () => {
  let broker: Broker;
  let http: string;
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${http}${path}`);
    assert.equal(res.status, 200, path);
    return (await res.json()) as T;
  };

  before(async () => {
    await venvInterpreter();
    broker = await startBroker({ http: { port: 0 }, topics: { 'tc-java': 1, 'tc-rdk': 1 } });
    http = broker.http!.url;
    await kafkaToolOk('kafka-configs', [
      '--bootstrap-server',
      broker.bootstrap,
      '--alter',
      '--entity-type',
      'client-metrics',
      '--entity-name',
      'fast',
      '--add-config',
      'metrics=*,interval.ms=500',
    ]);
  });
  after(() => broker?.stop());

  test('Java producer, consumer and admin client: subscribed, pushed, shown', async () => {
    const lines = await javaProgram('Telemetry', broker.bootstrap, ['tc-java', 'jtel', '20', http]);
    assert.deepEqual(
      lines.map((l) => l.client),
      ['producer', 'consumer', 'admin'],
    );
    const clients = await get<ClientSummary[]>('/api/v1/clients');
    for (const l of lines) {
      const c = clients.find((x) => x.clientInstanceId === l.instanceId);
      assert.ok(c, `client ${l.clientId} (${l.instanceId}) is listed`);
      assert.deepEqual(
        [c.clientId, c.clientSoftwareName, c.clientSoftwareVersion, c.pushIntervalMs],
        [l.clientId, 'apache-kafka-java', '4.4.0', 500],
      );
      assert.ok(c.metricCount > 0, `${l.clientId} pushed metrics`);
      const detail = await get<ClientDetail>(`/api/v1/clients/${l.instanceId}`);
      const domain = `org.apache.kafka.${l.client}.`;
      assert.ok(
        detail.metrics.some((m) => m.name.startsWith(domain)),
        `${l.clientId}: metrics named ${domain}*: ${detail.metrics.map((m) => m.name).join(' ')}`,
      );
      assert.ok(
        detail.metrics.every((m) => m.name.startsWith('org.apache.kafka.')),
        'Java clients name their metrics org.apache.kafka.*',
      );
    }
    const producer = lines.find((l) => l.client === 'producer')!;
    const { samples } = parsePrometheus(await (await fetch(`${http}/metrics`)).text());
    const mine = samples.filter((s) => s.labels['client_instance_id'] === producer.instanceId);
    assert.ok(
      mine.some((s) => s.name.startsWith('kafkalite_client_org_apache_kafka_producer_')),
      'the producer has kafkalite_client_org_apache_kafka_producer_* samples',
    );
    for (const s of mine) {
      assert.match(s.name, /^kafkalite_client_org_apache_kafka_/);
      assert.deepEqual(
        [s.labels['client_id'], s.labels['client_software_name'], s.labels['client_software_version']],
        ['jtel-producer', 'apache-kafka-java', '4.4.0'],
      );
    }
  });

  test('confluent-kafka producer and consumer (librdkafka): subscribed, pushed, shown', async () => {
    const out = await venvScript<{
      libversion: string;
      read: number;
      producer: ClientSummary;
      consumer: ClientSummary;
    }>('ck_telemetry.py', broker.bootstrap, ['tc-rdk', 'rdk', http]);
    console.log(`librdkafka ${out.libversion}`);
    assert.equal(out.read, 10);
    for (const [role, c] of [
      ['producer', out.producer],
      ['consumer', out.consumer],
    ] as const) {
      assert.equal(c.clientId, `rdk-${role}`);
      assert.equal(c.clientSoftwareName, 'confluent-kafka-python');
      assert.match(c.clientSoftwareVersion, /-rdkafka-2\.\d+\.\d+$/);
      assert.equal(c.pushIntervalMs, 500);
      const detail = await get<ClientDetail>(`/api/v1/clients/${c.clientInstanceId}`);
      assert.ok(detail.metrics.length > 0);
      // librdkafka names its metrics as the Java client does (KIP-714's standard client metrics).
      assert.ok(
        detail.metrics.some((m) => m.name.startsWith(`org.apache.kafka.${role}.`)),
        detail.metrics.map((m) => m.name).join(' '),
      );
    }
    const { samples } = parsePrometheus(await (await fetch(`${http}/metrics`)).text());
    const latency = samples.find(
      (s) => s.name === 'kafkalite_client_org_apache_kafka_producer_node_request_latency_avg' && s.labels['client_id'] === 'rdk-producer',
    );
    assert.ok(latency, 'per-node request latency of the librdkafka producer');
    assert.equal(latency.labels['node_id'], '1');
  });
});
