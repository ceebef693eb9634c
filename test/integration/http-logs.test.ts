// Logs: one JSON line per connection opened and closed (info, with client address and node),
// a line per failed request, per-request lines only at debug, and the level changed at run
// time over HTTP. Then the CLI broker: --http-port serves the API and /metrics (with process
// metrics) over a real socket, --http-port 0 turns HTTP off, and its JSON log has the
// connection lines.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker } from '../../broker/index.js';
import { freePort, memoryLogger, parsePrometheus, sampleValue, waitFor } from './http-helpers.js';
import { startCli } from './helpers.js';

test('connection open/close at info, per-request lines only after switching to debug over HTTP', async () => {
  const log = memoryLogger('info');
  const broker = await startBroker({ http: { port: 0 }, logger: log.logger, topics: { logged: 1 } });
  try {
    const kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, clientId: 'log-test' });
    const admin = kafka.admin();
    await admin.connect();
    await admin.listTopics();
    await admin.disconnect();
    await waitFor(() => log.lines().some((l) => l.msg === 'connection closed'), 'a connection closed line');
    const opened = log.lines().filter((l) => l.msg === 'connection opened');
    const closed = log.lines().filter((l) => l.msg === 'connection closed');
    assert.ok(opened.length >= 1);
    assert.equal(opened[0]!.level, 30, 'info');
    assert.match(String(opened[0]!.client), /^127\.0\.0\.1:\d+$/);
    assert.equal(opened[0]!.node, 1);
    assert.equal(closed[0]!.level, 30);
    assert.equal(closed[0]!.client, opened.find((o) => o.conn === closed[0]!.conn)!.client);
    assert.equal(log.lines().filter((l) => l.msg === 'request').length, 0, 'no per-request lines at info');

    const res = await fetch(`${broker.http!.url}/api/v1/log-level`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ level: 'debug' }),
    });
    assert.deepEqual(await res.json(), { level: 'debug' });
    assert.ok(log.lines().some((l) => l.msg === 'log level changed over HTTP' && l.to === 'debug'));
    const again = kafka.admin();
    await again.connect();
    await again.listTopics();
    await again.disconnect();
    const requests = log.lines().filter((l) => l.msg === 'request');
    assert.ok(
      requests.some((l) => l.apiKey === 3),
      'a Metadata request line at debug',
    );
    assert.equal(requests[0]!.level, 20);

    await fetch(`${broker.http!.url}/api/v1/log-level`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ level: 'warn' }),
    });
    const before = log.lines().length;
    const quiet = kafka.admin();
    await quiet.connect();
    await quiet.disconnect();
    assert.equal(
      log
        .lines()
        .slice(before)
        .filter((l) => l.msg === 'connection opened').length,
      0,
      'nothing at info once the level is warn',
    );
  } finally {
    await broker.stop();
  }
});

test('a request that fails inside the broker is logged as an error and counted', async () => {
  const log = memoryLogger('info');
  const broker = await startBroker({ http: { port: 0 }, logger: log.logger });
  try {
    broker.core.dispatcher.interceptors.push(async (req, next) => {
      if (req.api.name === 'Metadata') throw new Error('injected failure');
      return next();
    });
    const kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 2000 });
    const admin = kafka.admin();
    await assert.rejects(admin.connect().then(() => admin.listTopics()));
    await admin.disconnect();
    await waitFor(() => log.lines().some((l) => l.msg === 'request failed'), 'the error line');
    const failed = log.lines().find((l) => l.msg === 'request failed')!;
    assert.equal(failed.level, 50);
    const metrics = parsePrometheus(await (await fetch(`${broker.http!.url}/metrics`)).text()).samples;
    assert.ok((sampleValue(metrics, 'kafkalite_request_errors_total', { api: 'Metadata', error: 'UNKNOWN_SERVER_ERROR' }) ?? 0) >= 1);
  } finally {
    await broker.stop();
  }
});

test('kafkalite start --http-port serves the API and process metrics; its JSON log has connection lines', async () => {
  const httpPort = await freePort();
  const cli = await startCli(['--http-port', String(httpPort), '--log-level', 'info']);
  try {
    assert.match(cli.output(), new RegExp(`console=http://[^\\s]+:${httpPort}/`));
    const base = `http://127.0.0.1:${httpPort}`;
    assert.equal((await fetch(`${base}/ready`)).status, 200);
    const kafka = new Kafka({ brokers: [cli.bootstrap], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'cli-http', messages: [{ value: 'v' }] });
    await producer.disconnect();
    const samples = parsePrometheus(await (await fetch(`${base}/metrics`)).text()).samples;
    assert.equal(sampleValue(samples, 'kafkalite_topic_records_in_total', { topic: 'cli-http' }), 1);
    assert.ok((sampleValue(samples, 'process_resident_memory_bytes') ?? 0) > 0, 'process metrics from the CLI');
    const topics = (await (await fetch(`${base}/api/v1/topics`)).json()) as { topics: Array<{ name: string }> };
    assert.ok(topics.topics.some((t) => t.name === 'cli-http'));
    await waitFor(() => /"msg":"connection closed"/.test(cli.output()), 'connection closed line');
    const lines = cli
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(lines.some((l) => l.msg === 'connection opened' && l.level === 30));
  } finally {
    assert.equal(await cli.stop(), 0);
  }
  const off = await startCli(['--http-port', '0']);
  try {
    assert.doesNotMatch(off.output(), /console=/);
  } finally {
    await off.stop();
  }
});
