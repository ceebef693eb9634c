// franz-go's share consumer (kgo.ShareGroup, franz-go 1.22, KIP-932) against kafkalite: even
// offsets accepted, odd ones released on their first delivery and accepted when they come back
// with delivery count 2 (test/go/franz/share.go); the broker's share partition agrees.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startBroker } from '../../broker/index.js';
import { IncrementalAlterConfigs } from '../../protocol/messages/index.js';
import { franz } from '../go/franz.js';
import { WireClient } from './wire-client.js';

test('franz-go share consumer: accept, release and redelivery', { timeout: 120_000 }, async () => {
  const broker = await startBroker({ topics: { fz: 1 } });
  try {
    broker.produce(
      'fz',
      Array.from({ length: 6 }, (_, i) => `f${i}`),
    );
    const w = await WireClient.connect(broker.bootstrap);
    const res = await w.send(IncrementalAlterConfigs, 1, {
      resources: [
        { resourceType: 32, resourceName: 'gfz', configs: [{ name: 'share.auto.offset.reset', configOperation: 0, value: 'earliest' }] },
      ],
      validateOnly: false,
    });
    assert.equal(res.responses[0]!.errorCode, 0);
    w.close();
    const out = await franz<{ log: string[]; accepted: number }>('share', broker.bootstrap, ['-topic', 'fz', '-group', 'gfz', '-n', '6']);
    assert.equal(out.accepted, 6);
    assert.deepEqual(out.log, [
      '0:1:accept',
      '1:1:release',
      '2:1:accept',
      '3:1:release',
      '4:1:accept',
      '5:1:release',
      '1:2:accept',
      '3:2:accept',
      '5:2:accept',
    ]);
    const [sp] = broker.core.share.describe('gfz');
    assert.deepEqual([sp!.startOffset, sp!.acknowledged, sp!.released, sp!.inFlight], [6, 6, 3, 0]);
  } finally {
    await broker.stop();
  }
});
