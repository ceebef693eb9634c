// A READ_COMMITTED long-poll fetch waits for the last stable offset, not the high watermark:
// appends inside an open transaction move the high watermark but must not wake it (it would
// answer empty); the COMMIT marker does. The broker clock is virtual and never advanced, so an
// answer can only come from a wake-up.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startBroker } from '../../broker/index.js';
import { Fetch } from '../../protocol/messages/index.js';
import { ZERO_UUID } from '../../protocol/primitives.js';
import { addPartitions, endTxn, initProducerId, produce, producerBatch } from './eos-helpers.js';
import { WireClient } from './wire-client.js';

test('READ_COMMITTED long-poll: transactional appends do not wake it; the commit does', async () => {
  const broker = await startBroker({ clock: 'virtual', topics: { lp: 1 } });
  const producer = await WireClient.connect(broker.bootstrap);
  const consumer = await WireClient.connect(broker.bootstrap);
  try {
    const { producerId, producerEpoch } = await initProducerId(producer, 'lp-tx');
    assert.deepEqual(await addPartitions(producer, 'lp-tx', producerId, producerEpoch, 'lp', [0]), [0]);
    const batch = (seq: number, values: string[]) => producerBatch({ producerId, epoch: producerEpoch, seq, values, transactional: true });
    assert.equal((await produce(producer, 'lp', 0, batch(0, ['a1', 'a2']), 'lp-tx')).errorCode, 0);

    const rec = broker.requests.record({ api: 'Fetch' });
    const parked = consumer.send(Fetch, 11, {
      replicaId: -1,
      maxWaitMs: 5000,
      minBytes: 1,
      maxBytes: 1 << 20,
      isolationLevel: 1,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [
        {
          topic: 'lp',
          topicId: ZERO_UUID,
          partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20, currentLeaderEpoch: -1 }],
        },
      ],
      forgottenTopicsData: [],
      rackId: '',
    } as never);
    // The broker has the fetch (recorded) before anything else happens.
    while (rec.entries.length === 0) await new Promise((r) => setImmediate(r));

    // More records in the same transaction: the high watermark moves, the LSO does not.
    assert.equal((await produce(producer, 'lp', 0, batch(2, ['a3']), 'lp-tx')).errorCode, 0);
    assert.equal(rec.entries[0]!.answeredAt, null, 'still parked after a transactional append');

    assert.equal(await endTxn(producer, 'lp-tx', producerId, producerEpoch, true), 0);
    const res = await parked;
    const p = res.responses[0]!.partitions[0]!;
    assert.equal(p.errorCode, 0);
    assert.equal(p.lastStableOffset, 4, 'three records and the COMMIT marker');
    assert.ok(p.records && (Buffer.isBuffer(p.records) ? p.records.length : 0) > 0, 'the committed records come back');
    rec.stop();
  } finally {
    producer.close();
    consumer.close();
    await broker.stop();
  }
});
