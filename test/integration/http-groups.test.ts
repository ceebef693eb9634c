// Consumer groups over HTTP (GroupsView over the broker's group coordinator), driven by a real
// kafkajs consumer group: list, members with their assignments, committed offsets and lag,
// the lag gauge on /metrics, resetting offsets (refused while members are active), delete.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker, type Broker } from '../../broker/index.js';
import type { BrokerCore } from '../../broker/core.js';
import { groupsViewFor, NO_GROUPS } from '../../broker/http/groups-view.js';
import { parsePrometheus, sampleValue, waitFor } from './http-helpers.js';

interface Json {
  // biome-ignore lint/suspicious/noExplicitAny: JSON bodies are walked freely and compared with assert, which takes anything
  [k: string]: any;
}

describe('consumer groups over HTTP', () => {
  let broker: Broker;
  let kafka: Kafka;
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${broker.http!.url}/api/v1${path}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as Json };
  };

  before(async () => {
    process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';
    broker = await startBroker({ http: { port: 0 }, topics: { lagged: 2 } });
    kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, clientId: 'http-groups' });
  });
  after(() => broker.stop());

  test('members, assignments, lag, reset and delete', async () => {
    assert.deepEqual((await api('GET', '/groups')).body, { available: true, groups: [] });
    assert.equal((await api('GET', '/groups/nobody')).status, 404);

    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'lagged', messages: Array.from({ length: 6 }, (_, i) => ({ partition: i % 2, value: `m${i}` })) });

    const consumer = kafka.consumer({ groupId: 'http-g', heartbeatInterval: 500, sessionTimeout: 10_000 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'lagged', fromBeginning: true });
    let seen = 0;
    await consumer.run({ autoCommitInterval: 50, eachMessage: async () => void seen++ });
    await waitFor(() => seen === 6, 'six messages consumed');
    await waitFor(
      async () =>
        (await api('GET', '/groups/http-g')).body?.totalLag === 0 && (await api('GET', '/groups/http-g')).body?.offsets.length === 2,
      'offsets committed',
    );

    const listed = (await api('GET', '/groups')).body;
    assert.deepEqual(
      listed.groups.map((g: Json) => [g.groupId, g.state, g.members]),
      [['http-g', 'Stable', 1]],
    );
    const d = (await api('GET', '/groups/http-g')).body;
    assert.equal(d.protocolType, 'consumer');
    assert.equal(d.members.length, 1);
    assert.deepEqual(d.members[0].assignment, [{ topic: 'lagged', partitions: [0, 1] }]);
    assert.deepEqual(
      d.offsets.map((o: Json) => [o.topic, o.partition, o.committedOffset, o.logEndOffset, o.lag, o.memberId]),
      [
        ['lagged', 0, 3, 3, 0, d.members[0].memberId],
        ['lagged', 1, 3, 3, 0, d.members[0].memberId],
      ],
    );

    // Resetting while the member is active is refused, as Kafka's tool refuses.
    const refused = await api('POST', '/groups/http-g/offsets/reset', { to: 'earliest' });
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    await consumer.disconnect();
    await waitFor(async () => (await api('GET', '/groups/http-g')).body?.state === 'Empty', 'group empty');

    // New records: lag shows on HTTP and on /metrics.
    await producer.send({
      topic: 'lagged',
      messages: [
        { partition: 1, value: 'late 1' },
        { partition: 1, value: 'late 2' },
      ],
    });
    await producer.disconnect();
    const lag = (await api('GET', '/groups/http-g/lag')).body;
    assert.equal(lag.totalLag, 2);
    assert.deepEqual(
      lag.offsets.map((o: Json) => [o.partition, o.lag]),
      [
        [0, 0],
        [1, 2],
      ],
    );
    const metrics = parsePrometheus(await (await fetch(`${broker.http!.url}/metrics`)).text()).samples;
    assert.equal(sampleValue(metrics, 'kafkalite_consumer_group_lag', { group: 'http-g', topic: 'lagged', partition: '1' }), 2);
    assert.equal(
      sampleValue(metrics, 'kafkalite_consumer_group_committed_offset', { group: 'http-g', topic: 'lagged', partition: '0' }),
      3,
    );

    const dry = await api('POST', '/groups/http-g/offsets/reset', { to: 'earliest', dryRun: true });
    assert.equal(dry.status, 200);
    assert.deepEqual(
      dry.body.offsets.map((o: Json) => [o.partition, o.previousOffset, o.newOffset]),
      [
        [0, 3, 0],
        [1, 3, 0],
      ],
    );
    assert.equal((await api('GET', '/groups/http-g/lag')).body.totalLag, 2, 'a dry run changes nothing');

    const shifted = await api('POST', '/groups/http-g/offsets/reset', {
      topics: [{ topic: 'lagged', partitions: [1] }],
      to: 'shift',
      by: -2,
    });
    assert.equal(shifted.status, 200, JSON.stringify(shifted.body));
    assert.deepEqual(
      shifted.body.offsets.map((o: Json) => [o.partition, o.newOffset]),
      [[1, 1]],
    );
    assert.equal((await api('GET', '/groups/http-g/lag')).body.totalLag, 4);
    const toTime = await api('POST', '/groups/http-g/offsets/reset', { to: 'latest' });
    assert.equal(toTime.status, 200);
    assert.equal((await api('GET', '/groups/http-g/lag')).body.totalLag, 0);
    assert.equal((await api('POST', '/groups/http-g/offsets/reset', { to: 'offset' })).status, 400, 'offset is required');

    assert.equal((await api('DELETE', '/groups/http-g')).status, 204);
    assert.equal((await api('GET', '/groups/http-g')).status, 404);
    assert.deepEqual((await api('GET', '/groups')).body.groups, []);
  });

  test('without a group coordinator the view is empty and every group is unknown', () => {
    const bare = Object.create(broker.core, { groups: { value: undefined } }) as BrokerCore;
    const view = groupsViewFor(bare);
    assert.equal(view, NO_GROUPS);
    assert.equal(view.available, false);
    assert.deepEqual(view.list(), []);
    assert.equal(view.describe('any'), null);
    assert.notEqual(view.resetOffsets('any', { target: { to: 'earliest' } }).errorCode, 0);
    assert.notEqual(groupsViewFor(broker.core), NO_GROUPS);
  });
});
