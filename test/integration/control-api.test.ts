// The HTTP control API (broker/control/) through connectControl(url): every call a round trip
// over real HTTP to a control server in front of an in-process broker, with kafkajs as the
// Kafka client whose behaviour the controls change.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker, type Broker } from '../../broker/index.js';
import { connectControl, ControlApiError, startControlServer, type Control, type ControlServer } from '../../broker/control/index.js';

async function rejectsWith(p: Promise<unknown>, status: number, code: string): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof ControlApiError, `expected ControlApiError, got ${String(err)}`);
    assert.equal(err.status, status, err.message);
    assert.equal(err.code, code, err.message);
    return true;
  });
}

describe('control API over HTTP (connectControl)', () => {
  let broker: Broker;
  let server: ControlServer;
  let control: Control;
  let kafka: Kafka;
  before(async () => {
    broker = await startBroker({ nodes: 3, topics: { seeded: 3 } });
    server = await startControlServer(broker);
    control = connectControl(server.url);
    kafka = new Kafka({
      clientId: 'control-test',
      brokers: [broker.bootstrap],
      logLevel: logLevel.NOTHING,
      retry: { retries: 8, initialRetryTime: 20, maxRetryTime: 200 },
    });
  });
  after(async () => {
    await server?.close();
    await broker?.stop();
  });

  test('info names the broker, its nodes, the control URL and the kit members present', async () => {
    const info = await control.info();
    assert.equal(info.bootstrap, broker.bootstrap);
    assert.equal(info.control, server.url);
    assert.deepEqual(
      info.nodes.map((n) => n.nodeId),
      [1, 2, 3],
    );
    assert.equal(info.clock, 'system');
    assert.equal(info.kit['faults.inject'], true);
    assert.equal(info.kit.reset, true);
  });

  test('a fault injected over HTTP makes kafkajs retry; hits and fired read back over HTTP', async () => {
    const fault = await control.faults.inject({
      api: 'Produce',
      match: { topic: 'faulty', clientId: '^control-' },
      error: 'NOT_LEADER_OR_FOLLOWER',
      times: 2,
    });
    assert.equal(fault.hits, 0);
    assert.equal(fault.fired, false);
    assert.equal(fault.active, true);
    const producer = kafka.producer();
    await producer.connect();
    try {
      const [meta] = await producer.send({ topic: 'faulty', messages: [{ key: 'k', value: 'survived' }] });
      assert.equal(meta!.errorCode, 0);
    } finally {
      await producer.disconnect();
    }
    const status = await control.faults.get(fault.id);
    assert.equal(status.hits, 2, 'both failures were served');
    assert.equal(status.fired, true);
    assert.equal(status.active, false);
    assert.deepEqual(await control.faults.waitFired(fault.id, 1000), status);
    assert.ok((await control.faults.list()).some((f) => f.id === fault.id));
    await rejectsWith(control.faults.get('999999'), 404, 'NOT_FOUND');
    await rejectsWith(control.faults.inject({ api: 'NoSuchApi', error: 'NOT_LEADER_OR_FOLLOWER' }), 400, 'INVALID_FAULT');
    await rejectsWith(control.faults.inject({ api: 'Produce', error: 'NO_SUCH_ERROR' }), 400, 'INVALID_FAULT');
  });

  test('a fault that never matches has no hits; remove() disarms it', async () => {
    const fault = await control.faults.inject({
      api: 'Fetch',
      match: { clientId: '^nobody$' },
      error: 'UNKNOWN_SERVER_ERROR',
      times: null,
    });
    assert.equal(fault.times, null);
    await control.produce('quiet', [{ value: 'x' }]);
    assert.equal((await control.faults.get(fault.id)).hits, 0);
    await control.faults.remove(fault.id);
    assert.equal((await control.faults.get(fault.id)).active, false);
    await rejectsWith(control.faults.waitFired(fault.id, 50), 408, 'REQUEST_TIMEOUT');
  });

  test('recorded requests over HTTP, filtered by api, clientId and topic', async () => {
    const rec = await control.requests.record();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'recorded', messages: [{ value: 'one' }] });
    await producer.disconnect();
    const produces = await control.requests.list({ api: 'Produce', topic: 'recorded' });
    assert.equal(produces.length, 1);
    assert.equal(produces[0]!.api, 'Produce');
    assert.equal(produces[0]!.clientId, 'control-test');
    // The entry is the test kit's RecordedRequest in JSON: every field, the connection included.
    const [entry] = produces;
    assert.ok(entry!.connection > 0 && entry!.seq > 0 && entry!.correlationId >= 0, JSON.stringify(entry));
    assert.equal(entry!.apiKey, 0);
    assert.ok(entry!.answeredAt !== null && entry!.answeredAt >= entry!.time);
    assert.ok(entry!.response !== null && Array.isArray(entry!.request['topicData']), JSON.stringify(entry!.request));
    assert.ok((await control.requests.list({ recording: rec })).some((r) => r.api === 'Metadata'));
    assert.equal((await control.requests.list({ api: 'Produce', clientId: '^other' })).length, 0);
    await control.requests.stop(rec);
    await rejectsWith(control.requests.list({ recording: rec }), 404, 'NOT_FOUND');
  });

  test('produce, waitFor, leader moves, node outages and coordinator pins', async () => {
    const produced = await control.produce('seeded', [
      { key: 'a', value: 'v1', partition: 1 },
      { key: 'b', value: 'v2', partition: 1, headers: { h: 'x' } },
    ]);
    assert.deepEqual(produced, [
      { partition: 1, offset: 0 },
      { partition: 1, offset: 1 },
    ]);
    const seen = (await control.waitFor.records('seeded', { count: 2, partition: 1, timeoutMs: 5000 })) as Array<{ value: string }>;
    assert.deepEqual(
      seen.map((r) => r.value),
      ['v1', 'v2'],
    );
    await rejectsWith(control.waitFor.records('seeded', { count: 99, timeoutMs: 100 }), 408, 'REQUEST_TIMEOUT');

    const before = (await control.partitions.describe('seeded')).find((p) => p.partition === 0)!;
    const target = before.leader === 3 ? 2 : 3;
    const moved = await control.partitions.moveLeader('seeded', 0, target);
    assert.equal(moved.leader, target);
    assert.ok(moved.leaderEpoch > before.leaderEpoch);

    assert.ok((await control.nodes.down(target, { failover: true })).moved! >= 1);
    const down = await control.nodes.list();
    assert.equal(down.find((n) => n.nodeId === target)!.up, false);
    assert.notEqual(
      (await control.partitions.describe('seeded')).find((p) => p.partition === 0)!.leader,
      target,
      'failover moved the leader',
    );
    await control.nodes.up(target);
    assert.equal((await control.nodes.list()).find((n) => n.nodeId === target)!.up, true);
    await control.nodes.setRtt(2, 5);
    assert.equal((await control.nodes.list()).find((n) => n.nodeId === 2)!.rttMs, 5);
    await control.nodes.setRtt(2, 0);

    assert.equal(await control.coordinators.set('group', 'pinned-group', 3), 3);
    const rec = await control.requests.record({ api: 'DescribeGroups' });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const described = await admin.describeGroups(['pinned-group']);
      assert.equal(described.groups[0]!.groupId, 'pinned-group');
    } finally {
      await admin.disconnect();
    }
    const asked = await control.requests.list({ recording: rec });
    assert.deepEqual(
      asked.map((r) => r.node),
      [3],
      'kafkajs asked the pinned coordinator',
    );
    await control.requests.stop(rec);
    assert.notEqual(await control.coordinators.set('group', 'pinned-group', null), null);
    await rejectsWith(control.coordinators.set('group', 'g', 42), 400, 'BAD_REQUEST');
  });

  test('snapshot, reset and restore over HTTP', async () => {
    await control.produce('snap', [{ value: 'kept' }]);
    const snap = await control.snapshot();
    await control.reset();
    assert.equal(broker.core.topics.get('snap'), undefined, 'reset removed the topic');
    assert.ok(broker.core.topics.get('seeded'), 'seeded topics stay');
    await control.restore(snap);
    const back = (await control.waitFor.records('snap', { timeoutMs: 2000 })) as Array<{ value: string }>;
    assert.deepEqual(
      back.map((r) => r.value),
      ['kept'],
    );
    await rejectsWith(control.restore('nope'), 404, 'NOT_FOUND');
  });

  test('clock advance needs the virtual clock; bad requests answer 400/404 with an error name', async () => {
    await rejectsWith(control.clock.advance(1000), 409, 'NOT_VIRTUAL_CLOCK');
    const res = await fetch(`${server.url}/control/v1/nodes/1/rtt`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ms: 'slow' }),
    });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: string }).error, 'INVALID_REQUEST');
    const missing = await fetch(`${server.url}/control/v1/nope`);
    assert.equal(missing.status, 404);
  });

  test('the OpenAPI description lists every control route', async () => {
    const doc = (await control.openapi()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    assert.equal(doc.openapi, '3.0.3');
    for (const path of [
      '/control/v1/faults',
      '/control/v1/faults/{id}',
      '/control/v1/reset',
      '/control/v1/nodes/{node}/down',
      '/control/v1/requests',
      '/control/v1/wait/{what}',
      '/control/v1/clock/advance',
    ]) {
      assert.ok(doc.paths[path], `OpenAPI has ${path}`);
    }
    assert.ok(doc.paths['/control/v1/faults']!.post);
  });
});

describe('control API with a virtual clock', () => {
  test('clock.advance moves broker time', async () => {
    await using broker = await startBroker({ clock: 'virtual' });
    await using server = await startControlServer(broker);
    const control = connectControl(`${server.url}/`);
    const t0 = (await control.info()).now;
    assert.equal((await control.info()).clock, 'virtual');
    const now = await control.clock.advance('45s');
    assert.equal(now, t0 + 45_000);
    assert.equal(broker.clock.now(), t0 + 45_000);
  });

  test('connectControl refuses a URL that is not http', () => {
    assert.throws(() => connectControl('localhost:9092'), /not an http/);
  });
});

describe('control API without a test kit', () => {
  test('a broker handle lacking a kit member answers 501 NOT_AVAILABLE naming it', async () => {
    const { buildControlApp } = await import('../../broker/control/server.js');
    await using real = await startBroker();
    const bare = {
      bootstrap: real.bootstrap,
      brokers: real.brokers,
      clusterId: real.clusterId,
      clock: real.clock,
      core: real.core,
    } as unknown as Broker;
    const { app } = await buildControlApp(bare);
    try {
      const res = await app.inject({ method: 'POST', url: '/control/v1/reset' });
      assert.equal(res.statusCode, 501);
      assert.deepEqual(res.json(), { error: 'NOT_AVAILABLE', message: 'this broker has no broker.reset() (test kit not available)' });
      const info = await app.inject({ method: 'GET', url: '/control/v1/info' });
      assert.equal(info.json().kit.reset, false);
      const produced = await app.inject({
        method: 'POST',
        url: '/control/v1/records',
        payload: { topic: 'plain', records: [{ value: 'v' }] },
      });
      assert.deepEqual(produced.json(), [{ partition: 0, offset: 0 }], 'produce works without the kit (the REST API path)');
    } finally {
      await app.close();
    }
  });
});
