// Client quotas with Apache Kafka 4.4's own tools and clients against an in-process kafkalite:
// kafka-configs --alter/--describe for clients, users, user+client and ips (the printed text is
// what the same commands print against a real Kafka 4.4 broker, checked with startKafka() from
// test/jvm/kafka.ts), the Java Admin's describeClientQuotas/alterClientQuotas
// (test/jvm/programs/Quotas.java), and a Java producer and consumer held to their byte rates:
// their own throttle metrics (produce-throttle-time-max, fetch-throttle-time-max) see the
// broker's throttle_time_ms, and moving the bytes takes at least the time the quota allows.
//
// The broker keeps quota.window.num=2 (Kafka's default is 11), so a burst is measured over a
// 1-second window instead of 10 and the clients are throttled within a few hundred kilobytes.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { kafkaTool, kafkaToolOk } from '../jvm/tools.js';
import { javaProgram, line } from './java-helpers.js';

describe('client quotas with the Java tools and clients (Kafka 4.4)', { timeout: 240_000 }, () => {
  let broker: Broker;
  let b: string[];
  before(async () => {
    broker = await startBroker({ config: { 'quota.window.num': 2 }, topics: { 'q-produce': 1, 'q-consume': 1 } });
    b = ['--bootstrap-server', broker.bootstrap];
  });
  after(() => broker?.stop());

  const configs = (...args: string[]) => kafkaToolOk('kafka-configs', [...b, ...args]);

  test('kafka-configs: alter and describe client, user, user+client, default and ip quotas as Kafka prints them', async () => {
    const set = await configs(
      '--alter',
      '--entity-type',
      'clients',
      '--entity-name',
      'qp',
      '--add-config',
      'producer_byte_rate=20000,consumer_byte_rate=30000',
    );
    assert.equal(set.stdout.trim(), 'Completed updating config for client qp.');
    const both = await configs(
      '--alter',
      '--entity-type',
      'users',
      '--entity-name',
      'alice',
      '--entity-type',
      'clients',
      '--entity-name',
      'qp',
      '--add-config',
      'request_percentage=40.5',
    );
    assert.equal(both.stdout.trim(), 'Completed updating config for user alice.');
    const dflt = await configs('--alter', '--entity-type', 'users', '--entity-default', '--add-config', 'producer_byte_rate=100000000');
    assert.equal(dflt.stdout.trim(), 'Completed updating default config for users in the cluster.');
    const ip = await configs(
      '--alter',
      '--entity-type',
      'ips',
      '--entity-name',
      '192.0.2.5',
      '--add-config',
      'connection_creation_rate=10',
    );
    assert.equal(ip.stdout.trim(), 'Completed updating config for ip 192.0.2.5.');

    const bad = await kafkaTool('kafka-configs', [
      ...b,
      '--alter',
      '--entity-type',
      'clients',
      '--entity-name',
      'qp',
      '--add-config',
      'producer_byte_rate=1.5',
    ]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /InvalidRequestException: producer_byte_rate cannot be a fractional value\./);

    assert.equal(
      (await configs('--describe', '--entity-type', 'clients', '--entity-name', 'qp')).stdout.trim(),
      "Quota configs for client-id 'qp' are consumer_byte_rate=30000.0, producer_byte_rate=20000.0",
    );
    assert.equal(
      (
        await configs('--describe', '--entity-type', 'users', '--entity-name', 'alice', '--entity-type', 'clients', '--entity-name', 'qp')
      ).stdout.trim(),
      "Quota configs for user-principal 'alice', client-id 'qp' are request_percentage=40.5",
    );
    assert.equal(
      (await configs('--describe', '--entity-type', 'ips')).stdout.trim(),
      "Quota configs for ip '192.0.2.5' are connection_creation_rate=10.0",
    );
    await configs('--alter', '--entity-type', 'clients', '--entity-name', 'qp', '--delete-config', 'consumer_byte_rate');
    assert.equal(
      (await configs('--describe', '--entity-type', 'clients')).stdout.trim(),
      "Quota configs for client-id 'qp' are producer_byte_rate=20000.0",
    );

    // The Java Admin: describe by entity type, and alterations the broker refuses (validate only).
    const lines = await javaProgram('Quotas', broker.bootstrap, ['describe,client-id', 'describe,user', 'alter-invalid']);
    assert.deepEqual(lines[0]!.entries, [
      { entity: { 'client-id': 'qp', user: 'alice' }, values: { request_percentage: 40.5 } },
      { entity: { 'client-id': 'qp' }, values: { producer_byte_rate: 20000 } },
    ]);
    assert.deepEqual(lines[1]!.entries, [
      { entity: { 'client-id': 'qp', user: 'alice' }, values: { request_percentage: 40.5 } },
      { entity: { user: null }, values: { producer_byte_rate: 100000000 } },
    ]);
    assert.deepEqual(line(lines, 'scenario', 'alter-invalid').outcomes, {
      '{client-id=bad-fraction}': 'InvalidRequestException: producer_byte_rate cannot be a fractional value.',
      '{user=bad-key}': 'InvalidRequestException: Invalid configuration key connection_creation_rate',
      '{user=fine}': 'ok',
    });
    // Tidy up: the default user quota would apply to the clients below (user before client-id).
    await configs('--alter', '--entity-type', 'users', '--entity-default', '--delete-config', 'producer_byte_rate');
  });

  test('a Java producer and consumer held to producer_byte_rate and consumer_byte_rate see the throttle', async () => {
    const rate = 50_000;
    await configs('--alter', '--entity-type', 'clients', '--entity-name', 'q-producer', '--add-config', `producer_byte_rate=${rate}`);
    await configs('--alter', '--entity-type', 'clients', '--entity-name', 'q-consumer', '--add-config', `consumer_byte_rate=${rate}`);
    const value = 'c'.repeat(1000);
    broker.produce(
      'q-consume',
      Array.from({ length: 300 }, () => value),
    );
    const lines = await javaProgram('Quotas', broker.bootstrap, [
      'produce,q-produce,q-producer,300,1000',
      'consume,q-consume,q-consumer,300',
    ]);

    // About 300 kB at 50 kB/s, of which one window's worth (50 kB) passes unthrottled: the
    // last bytes can only be accepted about 5 s after the first; 3 s leaves room for rounding.
    const produced = line(lines, 'scenario', 'produce');
    assert.ok(produced.throttleMax > 0, `produce-throttle-time-max ${produced.throttleMax}`);
    assert.ok(produced.elapsedMs >= 3000, `300 kB at 50 kB/s took ${produced.elapsedMs} ms`);
    const consumed = line(lines, 'scenario', 'consume');
    assert.equal(consumed.records, 300);
    assert.ok(consumed.throttleMax > 0, `fetch-throttle-time-max ${consumed.throttleMax}`);
    assert.ok(consumed.elapsedMs >= 3000, `300 kB at 50 kB/s took ${consumed.elapsedMs} ms`);

    // The broker counted them too (Kafka's <type>ThrottleTime sensors, on /metrics).
    const figures = broker.core.throttling.figures();
    const of = (type: string, clientId: string) => figures.find((f) => f.type === type && f.clientId === clientId);
    assert.ok((of('Produce', 'q-producer')?.throttles ?? 0) > 0, JSON.stringify(figures));
    assert.ok((of('Fetch', 'q-consumer')?.throttles ?? 0) > 0, JSON.stringify(figures));
    const stored = broker.core.topics.get('q-produce')!.partitions[0]!.log.highWatermark;
    assert.equal(stored, 300, 'throttled, not refused: every record is stored');
  });
});
