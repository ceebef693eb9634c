// A bad config value at start-up, kafkalite next to Apache Kafka 4.4: both refuse to start, and
// kafkalite's error is Kafka's ConfigException message word for word. Broker-wide keys fail in
// KafkaConfig; listener.name.<l>.<key> values when the listener's channel and connection quotas are
// built (ChannelBuilders, ConnectionQuotas), named without the listener prefix. A prefix for a
// listener the broker does not have is not read by either (its max.connections and
// max.connection.creation.rate neither: Kafka starts, with no warning).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startBroker } from '../../broker/index.js';
import { ConfigError } from '../../protocol/errors.js';
import { startKafka } from '../jvm/kafka.js';

/** What Kafka says when it will not start with `config`, or 'started'. */
async function kafkaSays(config: Record<string, string>): Promise<string> {
  try {
    const k = await startKafka({ config, timeoutMs: 60_000 });
    await k.stop();
    return 'started';
  } catch (e) {
    return /ConfigException: (.*)/.exec((e as Error).message)?.[1] ?? (e as Error).message;
  }
}

/** What kafkalite says when it will not start with `config`, or 'started'. */
async function kafkaliteSays(config: Record<string, string>): Promise<string> {
  try {
    const b = await startBroker({ config: { listeners: 'PLAINTEXT://127.0.0.1:0', ...config } });
    await b.stop();
    return 'started';
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e.message;
  }
}

test('bad values at start-up, broker-wide and per listener: the same ConfigException message', { timeout: 300_000 }, async () => {
  const cases: Array<Record<string, string>> = [
    { 'max.connections': 'many' },
    { 'listener.name.plaintext.max.connections': 'many' },
    { 'listener.name.plaintext.max.connection.creation.rate': '-3' },
    { 'listener.name.plaintext.connections.max.reauth.ms': 'abc' },
    // A listener this broker does not have: its prefix is not read, its connection limits neither
    // (Kafka builds a ConnectionQuotas entry only for the listeners it opens).
    { 'listener.name.other.connections.max.reauth.ms': 'abc' },
    { 'listener.name.debts.max.connections': 'abc' },
    { 'listener.name.debts.max.connections': '10', 'listener.name.debts.max.connection.creation.rate': '-3' },
  ];
  const got: Array<{ config: Record<string, string>; kafka: string; kafkalite: string }> = [];
  for (const config of cases) got.push({ config, kafka: await kafkaSays(config), kafkalite: await kafkaliteSays(config) });
  console.log(JSON.stringify(got, null, 1));
  for (const g of got) assert.equal(g.kafkalite, g.kafka, JSON.stringify(g.config));
  assert.equal(got[3]!.kafka, 'Invalid value abc for configuration connections.max.reauth.ms: Not a number of type LONG');
  for (const g of got.slice(4)) assert.equal(g.kafka, 'started', JSON.stringify(g.config));
});
