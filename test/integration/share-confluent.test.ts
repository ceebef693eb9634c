// confluent-kafka's ShareConsumer (PyPI confluent-kafka 2.16 with its bundled librdkafka 2.16,
// KIP-932 "Preview") against kafkalite: explicit acknowledgement, released records coming back
// with delivery count 2, then a second consumer of the group (implicit acknowledgement) getting
// nothing (test/python/scripts/ck_share.py).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startBroker } from '../../broker/index.js';
import { IncrementalAlterConfigs } from '../../protocol/messages/index.js';
import { venvInterpreter, venvScript } from '../python/venv.js';
import { WireClient } from './wire-client.js';

test('confluent-kafka ShareConsumer: explicit accept and release, redelivery, nothing left', { timeout: 120_000 }, async () => {
  await venvInterpreter();
  const broker = await startBroker({ topics: { ck: 1 } });
  try {
    broker.produce(
      'ck',
      Array.from({ length: 6 }, (_, i) => `c${i}`),
    );
    const w = await WireClient.connect(broker.bootstrap);
    const res = await w.send(IncrementalAlterConfigs, 1, {
      resources: [
        { resourceType: 32, resourceName: 'gck', configs: [{ name: 'share.auto.offset.reset', configOperation: 0, value: 'earliest' }] },
      ],
      validateOnly: false,
    });
    assert.equal(res.responses[0]!.errorCode, 0);
    w.close();
    const out = await venvScript<{ version: string; libversion: string; log: string[]; done: number; after: number }>(
      'ck_share.py',
      broker.bootstrap,
      ['ck', 'gck', '6'],
    );
    console.log(`confluent-kafka ${out.version}, librdkafka ${out.libversion}`);
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
    assert.equal(out.done, 6);
    assert.equal(out.after, 0);
  } finally {
    await broker.stop();
  }
});
