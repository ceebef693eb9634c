// Kafka's VerifiableShareConsumer (org.apache.kafka.tools.VerifiableShareConsumer, kafka-tools
// 4.4.0) against kafkalite: it sets share.auto.offset.reset through the Admin client, consumes
// with explicit synchronous acknowledgement cycling accept, release, reject (--ack-pattern), and
// reports what it consumed and what the broker acknowledged; the broker's share partition
// (the operator surface's figures, broker/share/manager.ts describe()) agrees.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startBroker } from '../../broker/index.js';
import { java } from '../jvm/kafka.js';

test('VerifiableShareConsumer: accept/release/reject cycle, every acknowledgement answered', { timeout: 120_000 }, async () => {
  const broker = await startBroker({ topics: { vs: 1 } });
  try {
    broker.produce(
      'vs',
      Array.from({ length: 30 }, (_, i) => `v${i}`),
    );
    const r = await java(
      [
        'org.apache.kafka.tools.VerifiableShareConsumer',
        ...['--bootstrap-server', broker.bootstrap, '--topic', 'vs', '--group-id', 'gvs', '--max-messages', '30'],
        ...['--acknowledgement-mode', 'sync', '--offset-reset-strategy', 'earliest', '--ack-pattern', 'accept,release,reject'],
      ],
      { timeoutMs: 90_000 },
    );
    assert.equal(r.code, 0, r.stderr.slice(-2000));
    const events = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    const names = events.map((e) => e.name);
    assert.ok(names.includes('offset_reset_strategy_set'));
    const consumed = events.filter((e) => e.name === 'records_consumed').reduce((n, e) => n + e.count, 0);
    assert.equal(consumed, 30);
    const acked = events.filter((e) => e.name === 'offsets_acknowledged');
    assert.ok(acked.length > 0 && acked.every((e) => e.success === true), JSON.stringify(acked));
    const types: Record<string, number> = {};
    for (const e of acked) for (const [k, v] of Object.entries(e.ackTypeCounts as Record<string, number>)) types[k] = (types[k] ?? 0) + v;
    assert.deepEqual(types, { ACCEPT: 10, RELEASE: 10, REJECT: 10 });
    const [sp] = broker.core.share.describe('gvs');
    assert.deepEqual(
      {
        startOffset: sp!.startOffset,
        acknowledged: sp!.acknowledged,
        released: sp!.released,
        archived: sp!.archived,
        inFlight: sp!.inFlight,
      },
      { startOffset: 1, acknowledged: 10, released: 10, archived: 10, inFlight: 0 },
    );
  } finally {
    await broker.stop();
  }
});
