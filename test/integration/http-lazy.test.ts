// The lazy HTTP server (broker/http/lazy.ts; the CLI's, issue 15): the port is bound at start, the
// app is built at the first request, concurrent first requests all wait for the same build, and
// later requests go straight to fastify. Clients: node's fetch (undici) and node:http.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startBroker } from '../../broker/index.js';
import { createCa } from '../../broker/security/testkit-tls.js';

function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

test('http: { lazy: true } binds at start and builds the app at the first request', async () => {
  const broker = await startBroker({ http: { port: 0, lazy: true } });
  try {
    const url = broker.http!.url;
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.throws(() => broker.http!.app, /no app before its first request/);
    assert.throws(() => broker.http!.metrics, /no metrics before its first request/);
    // Two first requests at once, one per client: both wait for the one build.
    const [health, ready] = await Promise.all([fetch(`${url}/health`), httpGet(`${url}/ready`)]);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });
    assert.equal(ready.status, 200);
    assert.deepEqual(JSON.parse(ready.body), { status: 'ready' });
    // Built now: the same app answers inject() and the socket, metrics count from here.
    assert.equal((await broker.http!.app.inject({ method: 'GET', url: '/health' })).statusCode, 200);
    assert.ok(broker.http!.metrics);
    const created = await fetch(`${url}/api/v1/topics`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'lazy-orders', partitions: 2 }),
    });
    assert.equal(created.status, 201, await created.clone().text());
    const topics = await httpGet(`${url}/api/v1/topics`);
    assert.equal(topics.status, 200);
    assert.ok(topics.body.includes('lazy-orders'), topics.body);
    const metrics = await httpGet(`${url}/metrics`);
    assert.match(metrics.body, /kafkalite_partition_log_end_offset\{[^}]*topic="lazy-orders"/);
    assert.equal((await fetch(`${url}/no-such-route`)).status, 404);
  } finally {
    await broker.stop();
  }
  await assert.rejects(fetch(`${broker.http!.url}/health`));
});

test('a lazy HTTP server never asked closes with the broker, its app never built', async () => {
  const broker = await startBroker({ http: { port: 0, lazy: true } });
  const url = broker.http!.url;
  await broker.stop();
  await assert.rejects(httpGet(`${url}/health`));
  assert.throws(() => broker.http!.app, /no app before its first request/);
});

test('schemaRegistry: { lazy: true } makes its store at the first request, to its port or to the console', async () => {
  const schema = { type: 'record', name: 'Order', fields: [{ name: 'id', type: 'long' }] };
  const broker = await startBroker({
    http: { port: 0, lazy: true },
    schemaRegistry: { port: 0, lazy: true },
    schemas: { 'orders-value': { type: 'AVRO', schema } },
  });
  try {
    const registry = broker.schemaRegistry!;
    assert.throws(() => registry.store, /no store before its first request/);
    // The console's schema routes make the registry's store too.
    const viaConsole = await httpGet(`${broker.http!.url}/api/v1/schemas`);
    assert.equal(viaConsole.status, 200, viaConsole.body);
    assert.ok(viaConsole.body.includes('orders-value'), viaConsole.body);
    assert.ok(registry.store);
    const subjects = await fetch(`${registry.url}/subjects`);
    assert.equal(subjects.status, 200);
    assert.deepEqual(await subjects.json(), ['orders-value']);
    const registered = await fetch(`${registry.url}/subjects/orders-value/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({
        schema: JSON.stringify({ ...schema, fields: [...schema.fields, { name: 'note', type: 'string', default: '' }] }),
      }),
    });
    assert.equal(registered.status, 200, await registered.clone().text());
    const versions = await httpGet(`${registry.url}/subjects/orders-value/versions`);
    assert.deepEqual(JSON.parse(versions.body), [1, 2]);
  } finally {
    await broker.stop();
  }
});

test('a lazy HTTP server serves https and asks for authentication like the eager one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kafkalite-http-lazy-'));
  const authority = await createCa(dir);
  const server = await authority.issue('CN=localhost', { server: true, name: 'http' });
  const broker = await startBroker({
    http: { port: 0, lazy: true },
    config: {
      'http.ssl.enabled': true,
      'http.ssl.keystore.location': server.keystoreFile,
      'http.auth.type': 'basic',
      'http.auth.users': 'alice:s3cret',
    },
  });
  const httpsGet = (path: string, auth?: string) =>
    new Promise<number>((resolve, reject) => {
      const url = `https://localhost:${broker.http!.port}${path}`;
      request(url, { ca: authority.certPem, headers: auth ? { authorization: auth } : {} }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
        .on('error', reject)
        .end();
    });
  try {
    assert.match(broker.http!.url, /^https:/);
    assert.equal(await httpsGet('/health'), 401);
    assert.equal(await httpsGet('/health', `Basic ${Buffer.from('alice:s3cret').toString('base64')}`), 200);
  } finally {
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
