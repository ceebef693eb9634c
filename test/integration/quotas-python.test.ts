// Client quotas seen by librdkafka: PyPI's confluent-kafka (test/python/.venv,
// test/python/scripts/ck_quotas.py) producing and consuming under producer_byte_rate and
// consumer_byte_rate quotas set with AlterClientQuotas. Its throttle_cb fires for responses
// carrying throttle_time_ms, and moving the bytes takes at least the time the quota allows.
// The broker keeps quota.window.num=2 (Kafka's default 11) so a burst is throttled soon.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { AlterClientQuotas } from '../../protocol/messages/index.js';
import { venvInterpreter, venvScript } from '../python/venv.js';
import { WireClient } from './wire-client.js';

interface Side {
  elapsedMs: number;
  events: number;
  maxMs: number;
}

let broker: Broker;
before(async () => {
  await venvInterpreter();
  broker = await startBroker({ config: { 'quota.window.num': 2 }, topics: { 'ck-q-in': 1, 'ck-q-out': 1 } });
});
after(() => broker?.stop());

test('confluent-kafka: throttle_cb fires for a producer and a consumer over their byte rates', { timeout: 180_000 }, async () => {
  const rate = 50_000;
  const c = await WireClient.connect(broker.bootstrap);
  const set = await c.send(AlterClientQuotas, 1, {
    entries: [
      {
        entity: [{ entityType: 'client-id', entityName: 'ck-quota-producer' }],
        ops: [{ key: 'producer_byte_rate', value: rate, remove: false }],
      },
      {
        entity: [{ entityType: 'client-id', entityName: 'ck-quota-consumer' }],
        ops: [{ key: 'consumer_byte_rate', value: rate, remove: false }],
      },
    ],
    validateOnly: false,
  });
  assert.deepEqual(
    set.entries.map((e) => e.errorCode),
    [0, 0],
  );
  await c.close();
  broker.produce(
    'ck-q-out',
    Array.from({ length: 300 }, () => 'c'.repeat(1000)),
  );

  const out = await venvScript<{ producer: Side & { unsent: number }; consumer: Side & { read: number } }>(
    'ck_quotas.py',
    broker.bootstrap,
    ['ck-q-in', 'ck-q-out', '300'],
    150_000,
  );
  assert.equal(out.producer.unsent, 0);
  assert.equal(broker.core.topics.get('ck-q-in')!.partitions[0]!.log.highWatermark, 300);
  assert.ok(out.producer.events > 0 && out.producer.maxMs > 0, JSON.stringify(out.producer));
  // About 300 kB at 50 kB/s, one window's worth (50 kB) unthrottled: about 5 s; 3 s leaves room for rounding.
  assert.ok(out.producer.elapsedMs >= 3000, JSON.stringify(out.producer));
  assert.equal(out.consumer.read, 300);
  assert.ok(out.consumer.events > 0 && out.consumer.maxMs > 0, JSON.stringify(out.consumer));
  assert.ok(out.consumer.elapsedMs >= 3000, JSON.stringify(out.consumer));
});
