// kill -9 of the CLI broker in the middle of transactions (issue 5, part 4): after the restart
// the open transaction is still Ongoing and holds the LSO, the committed one stays committed,
// retried batches are still duplicates, and a new producer with the same transactional id
// aborts the open transaction (fencing the old producer), so READ_COMMITTED readers see
// exactly the committed records.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { ErrorCode } from '../../protocol/errors.js';
import { DescribeTransactions } from '../../protocol/messages/index.js';
import { addPartitions, committedValues, endTxn, fetchPartition, initProducerId, produce, producerBatch } from './eos-helpers.js';
import { startCli, tempDir } from './helpers.js';
import { WireClient } from './wire-client.js';

test('SIGKILL mid-transaction: state recovered, open transaction aborted by the next producer', async () => {
  const dir = tempDir('kafkalite-eos-crash-');
  let cli = await startCli(['--data-dir', dir.path]);
  try {
    const admin = new Kafka({ brokers: [cli.bootstrap], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'crash-tx', numPartitions: 1 }] });
    await admin.disconnect();

    let c = await WireClient.connect(cli.bootstrap);
    const p = await initProducerId(c, 'crash-1');
    const batch = (seq: number, v: string) =>
      producerBatch({ producerId: p.producerId, epoch: p.producerEpoch, seq, values: [v], transactional: true });
    await addPartitions(c, 'crash-1', p.producerId, p.producerEpoch, 'crash-tx', [0]);
    await produce(c, 'crash-tx', 0, batch(0, 'committed'), 'crash-1');
    assert.equal(await endTxn(c, 'crash-1', p.producerId, p.producerEpoch, true), 0);
    await addPartitions(c, 'crash-1', p.producerId, p.producerEpoch, 'crash-tx', [0]);
    const open = batch(1, 'open');
    assert.equal((await produce(c, 'crash-tx', 0, Buffer.from(open), 'crash-1')).baseOffset, 2);
    c.close();
    assert.notEqual(await cli.stop('SIGKILL'), 0);

    cli = await startCli(['--data-dir', dir.path]);
    c = await WireClient.connect(cli.bootstrap);
    try {
      const described = await c.send(DescribeTransactions, 0, { transactionalIds: ['crash-1'] });
      assert.equal(described.transactionStates[0]!.transactionState, 'Ongoing');
      assert.equal((await fetchPartition(c, 'crash-tx', 0, 0, 1)).lastStableOffset, 2);
      const retried = await produce(c, 'crash-tx', 0, open, 'crash-1');
      assert.deepEqual([retried.errorCode, retried.baseOffset], [0, 2], 'the retried batch is a duplicate after the crash');

      assert.equal((await initProducerId(c, 'crash-1')).errorCode, ErrorCode.CONCURRENT_TRANSACTIONS);
      const next = await initProducerId(c, 'crash-1');
      assert.equal(next.errorCode, 0);
      assert.equal(await endTxn(c, 'crash-1', p.producerId, p.producerEpoch, true), ErrorCode.PRODUCER_FENCED);
      assert.deepEqual(await committedValues(c, 'crash-tx', 0), ['committed']);
      const after = await fetchPartition(c, 'crash-tx', 0, 0, 1);
      assert.equal(after.lastStableOffset, after.highWatermark);
    } finally {
      c.close();
    }
    // And once more after a clean stop: everything is as it was.
    assert.equal(await cli.stop(), 0);
    cli = await startCli(['--data-dir', dir.path]);
    c = await WireClient.connect(cli.bootstrap);
    try {
      assert.deepEqual(await committedValues(c, 'crash-tx', 0), ['committed']);
      const described = await c.send(DescribeTransactions, 0, { transactionalIds: ['crash-1'] });
      assert.equal(described.transactionStates[0]!.transactionState, 'Empty');
    } finally {
      c.close();
    }
  } finally {
    await cli.stop('SIGKILL');
    dir.remove();
  }
});
