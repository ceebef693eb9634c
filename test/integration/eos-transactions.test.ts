// Transactions over the raw wire (issue 5, parts 2, 4, 5): commit and abort with the LSO,
// READ_COMMITTED fetches stopping at it, the aborted-transactions list, ListOffsets by
// isolation level, the coordinator's error codes and version downgrades, fencing by a second
// InitProducerId, the transaction timeout on the virtual clock, the admin APIs, and a restart
// (disk store) in the middle of a transaction.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { ErrorCode } from '../../protocol/errors.js';
import {
  AddOffsetsToTxn,
  DescribeProducers,
  DescribeTransactions,
  ListTransactions,
  OffsetFetch,
  TxnOffsetCommit,
} from '../../protocol/messages/index.js';
import type { VirtualClock } from '../../storage/clock.js';
import { addPartitions, endTxn, fetchPartition, initProducerId, latestOffset, produce, producerBatch } from './eos-helpers.js';
import { tempDir } from './helpers.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeTxnIndex } from '../../storage/txn-index.js';
import { WireClient } from './wire-client.js';

describe('transactions (wire)', () => {
  let broker: Broker<VirtualClock>;
  let c: WireClient;
  before(async () => {
    broker = await startBroker({ clock: 'virtual', topics: { tx: 1, fence: 1, slow: 1 } });
    c = await WireClient.connect(broker.bootstrap);
  });
  after(async () => {
    c?.close();
    await broker?.stop();
  });

  test('commit and abort: LSO, READ_COMMITTED bound, aborted list, ListOffsets by isolation level', async () => {
    const { producerId: pid, producerEpoch: epoch } = await initProducerId(c, 'wire-tx');
    // A plain producer's record first.
    assert.equal((await produce(c, 'tx', 0, producerBatch({ producerId: -1, epoch: -1, seq: -1, values: ['plain'] }))).errorCode, 0);

    const notAdded = await produce(
      c,
      'tx',
      0,
      producerBatch({ producerId: pid, epoch, seq: 0, values: ['x'], transactional: true }),
      'wire-tx',
    );
    assert.equal(notAdded.errorCode, ErrorCode.INVALID_TXN_STATE, 'a partition must be added first');

    assert.deepEqual(await addPartitions(c, 'wire-tx', pid, epoch, 'tx', [0]), [0]);
    assert.equal(
      (await produce(c, 'tx', 0, producerBatch({ producerId: pid, epoch, seq: 0, values: ['a1', 'a2'], transactional: true }), 'wire-tx'))
        .baseOffset,
      1,
    );
    const open = await fetchPartition(c, 'tx', 0, 0, 1);
    assert.equal(open.lastStableOffset, 1);
    assert.equal(open.highWatermark, 3);
    assert.deepEqual(open.records, [[0, 'plain']], 'READ_COMMITTED stops at the LSO');
    assert.equal((await fetchPartition(c, 'tx', 0, 0, 0)).records.length, 3, 'READ_UNCOMMITTED sees the open transaction');
    assert.equal(await latestOffset(c, 'tx', 1), 1);
    assert.equal(await latestOffset(c, 'tx', 0), 3);

    assert.equal(await endTxn(c, 'wire-tx', pid, epoch, false), 0);
    assert.equal(await endTxn(c, 'wire-tx', pid, epoch, false), 0, 'a retried abort is fine');
    assert.equal(await endTxn(c, 'wire-tx', pid, epoch, true), ErrorCode.INVALID_TXN_STATE, 'commit after abort');
    const aborted = await fetchPartition(c, 'tx', 0, 0, 1);
    assert.equal(aborted.lastStableOffset, 4);
    assert.deepEqual(aborted.markers, [3]);
    assert.deepEqual(aborted.abortedTransactions, [{ producerId: pid, firstOffset: 1 }]);
    assert.equal((await fetchPartition(c, 'tx', 0, 0, 0)).abortedTransactions, null, 'null unless READ_COMMITTED');

    // The next transaction commits.
    assert.deepEqual(await addPartitions(c, 'wire-tx', pid, epoch, 'tx', [0]), [0]);
    assert.equal(
      (await produce(c, 'tx', 0, producerBatch({ producerId: pid, epoch, seq: 2, values: ['b1'], transactional: true }), 'wire-tx'))
        .baseOffset,
      4,
    );
    assert.equal(await endTxn(c, 'wire-tx', pid, epoch, true), 0);
    const committed = await fetchPartition(c, 'tx', 0, 4, 1);
    assert.deepEqual(committed.records, [[4, 'b1']]);
    assert.deepEqual(committed.markers, [5]);
    assert.deepEqual(committed.abortedTransactions, [], 'the abort lies before this fetch');
    assert.equal(await latestOffset(c, 'tx', 1), 6);
  });

  test('coordinator errors: unknown id, wrong epoch (downgraded for old versions), bad timeout, unknown partition', async () => {
    const { producerId: pid, producerEpoch: epoch } = await initProducerId(c, 'wire-err');
    assert.deepEqual(await addPartitions(c, 'nobody', pid, epoch, 'tx', [0]), [ErrorCode.INVALID_PRODUCER_ID_MAPPING]);
    assert.deepEqual(await addPartitions(c, 'wire-err', pid, epoch + 1, 'tx', [0], 3), [ErrorCode.PRODUCER_FENCED]);
    assert.deepEqual(await addPartitions(c, 'wire-err', pid, epoch + 1, 'tx', [0], 1), [ErrorCode.INVALID_PRODUCER_EPOCH]);
    assert.deepEqual(await addPartitions(c, 'wire-err', pid, epoch, 'tx', [0, 9]), [
      ErrorCode.OPERATION_NOT_ATTEMPTED,
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    ]);
    assert.equal(await endTxn(c, 'wire-err', pid, epoch, true), ErrorCode.INVALID_TXN_STATE, 'nothing to end');
    assert.equal((await initProducerId(c, 'wire-err', 900001)).errorCode, ErrorCode.INVALID_TRANSACTION_TIMEOUT);
    const fenced = await c.send((await import('../../protocol/messages/index.js')).InitProducerId, 4, {
      transactionalId: 'wire-err',
      transactionTimeoutMs: 1000,
      producerId: pid,
      producerEpoch: epoch + 5,
    });
    assert.equal(fenced.errorCode, ErrorCode.PRODUCER_FENCED);
  });

  test('a second producer with the same transactional id fences the first and aborts its open transaction', async () => {
    const first = await initProducerId(c, 'wire-fence');
    assert.deepEqual(await addPartitions(c, 'wire-fence', first.producerId, first.producerEpoch, 'fence', [0]), [0]);
    await produce(
      c,
      'fence',
      0,
      producerBatch({ producerId: first.producerId, epoch: first.producerEpoch, seq: 0, values: ['zombie'], transactional: true }),
      'wire-fence',
    );
    assert.equal(
      (await initProducerId(c, 'wire-fence')).errorCode,
      ErrorCode.CONCURRENT_TRANSACTIONS,
      'the open transaction is aborted first',
    );
    const second = await initProducerId(c, 'wire-fence');
    assert.equal(second.errorCode, 0);
    assert.equal(second.producerId, first.producerId);
    assert.ok(second.producerEpoch > first.producerEpoch + 1, 'the abort itself bumped the epoch');
    assert.equal(await endTxn(c, 'wire-fence', first.producerId, first.producerEpoch, true), ErrorCode.PRODUCER_FENCED);
    assert.equal(await endTxn(c, 'wire-fence', first.producerId, first.producerEpoch, true, 1), ErrorCode.INVALID_PRODUCER_EPOCH);
    const late = await produce(
      c,
      'fence',
      0,
      producerBatch({ producerId: first.producerId, epoch: first.producerEpoch, seq: 1, values: ['late'], transactional: true }),
      'wire-fence',
    );
    assert.equal(late.errorCode, ErrorCode.INVALID_PRODUCER_EPOCH);
    const read = await fetchPartition(c, 'fence', 0, 0, 1);
    assert.deepEqual(read.abortedTransactions, [{ producerId: first.producerId, firstOffset: 0 }]);
    assert.equal(read.lastStableOffset, read.highWatermark);
  });

  test('a transaction left open past its timeout is aborted by the broker (virtual clock)', async () => {
    const p = await initProducerId(c, 'wire-slow', 20000);
    assert.deepEqual(await addPartitions(c, 'wire-slow', p.producerId, p.producerEpoch, 'slow', [0]), [0]);
    await produce(
      c,
      'slow',
      0,
      producerBatch({ producerId: p.producerId, epoch: p.producerEpoch, seq: 0, values: ['s'], transactional: true }),
      'wire-slow',
    );
    await broker.clock.advance('15s');
    assert.equal((await fetchPartition(c, 'slow', 0, 0, 1)).lastStableOffset, 0, 'still open before the timeout');
    let described = await c.send(DescribeTransactions, 0, { transactionalIds: ['wire-slow'] });
    assert.equal(described.transactionStates[0]!.transactionState, 'Ongoing');
    assert.deepEqual(described.transactionStates[0]!.topics, [{ topic: 'slow', partitions: [0] }]);
    await broker.clock.advance('15s');
    const read = await fetchPartition(c, 'slow', 0, 0, 1);
    assert.equal(read.lastStableOffset, 2);
    assert.deepEqual(read.abortedTransactions, [{ producerId: p.producerId, firstOffset: 0 }]);
    described = await c.send(DescribeTransactions, 0, { transactionalIds: ['wire-slow', 'never'] });
    assert.equal(described.transactionStates[0]!.transactionState, 'CompleteAbort');
    assert.equal(described.transactionStates[0]!.producerEpoch, p.producerEpoch + 1);
    assert.equal(described.transactionStates[1]!.errorCode, ErrorCode.TRANSACTIONAL_ID_NOT_FOUND);
    assert.equal(await endTxn(c, 'wire-slow', p.producerId, p.producerEpoch, true), ErrorCode.PRODUCER_FENCED);
  });

  test('TxnOffsetCommit offsets stay invisible until the commit; ListTransactions filters', async () => {
    const p = await initProducerId(c, 'wire-offsets');
    const addOffsets = await c.send(AddOffsetsToTxn, 3, {
      transactionalId: 'wire-offsets',
      producerId: p.producerId,
      producerEpoch: p.producerEpoch,
      groupId: 'g-tx',
    });
    assert.equal(addOffsets.errorCode, 0);
    const commit = await c.send(TxnOffsetCommit, 3, {
      transactionalId: 'wire-offsets',
      groupId: 'g-tx',
      producerId: p.producerId,
      producerEpoch: p.producerEpoch,
      generationIdOrMemberEpoch: -1,
      memberId: '',
      groupInstanceId: null,
      topics: [{ name: 'tx', partitions: [{ partitionIndex: 0, committedOffset: 42, committedLeaderEpoch: -1, committedMetadata: 'm' }] }],
    });
    assert.equal(commit.topics[0]!.partitions[0]!.errorCode, 0);
    const fetchOffset = async () =>
      (await c.send(OffsetFetch, 7, { groupId: 'g-tx', topics: [{ name: 'tx', partitionIndexes: [0] }], requireStable: false } as never))
        .topics[0]!.partitions[0]!.committedOffset;
    assert.equal(await fetchOffset(), -1);
    const stable = await c.send(OffsetFetch, 7, {
      groupId: 'g-tx',
      topics: [{ name: 'tx', partitionIndexes: [0] }],
      requireStable: true,
    } as never);
    assert.equal(stable.topics[0]!.partitions[0]!.errorCode, ErrorCode.UNSTABLE_OFFSET_COMMIT);
    const listed = await c.send(ListTransactions, 1, { stateFilters: ['Ongoing', 'Bogus'], producerIdFilters: [], durationFilter: -1 });
    assert.deepEqual(
      listed.transactionStates.map((t) => t.transactionalId),
      ['wire-offsets'],
    );
    assert.deepEqual(listed.unknownStateFilters, ['Bogus']);
    assert.equal(await endTxn(c, 'wire-offsets', p.producerId, p.producerEpoch, true), 0);
    assert.equal(await fetchOffset(), 42);
    const all = await c.send(ListTransactions, 0, { stateFilters: [], producerIdFilters: [p.producerId], durationFilter: -1 });
    assert.deepEqual(all.transactionStates, [
      { transactionalId: 'wire-offsets', producerId: p.producerId, transactionState: 'CompleteCommit' },
    ]);

    // Test kit isolation: dropping and replaying the coordinator's state gives the same view.
    const listAll = async () =>
      (await c.send(ListTransactions, 0, { stateFilters: [], producerIdFilters: [], durationFilter: -1 })).transactionStates.sort(
        (a, b) => a.producerId - b.producerId,
      );
    const before = await listAll();
    assert.equal(before.length, 5);
    broker.core.txn.resetState(false);
    assert.equal(
      (await c.send(ListTransactions, 0, { stateFilters: [], producerIdFilters: [], durationFilter: -1 })).transactionStates.length,
      0,
    );
    broker.core.txn.resetState(true);
    assert.deepEqual(await listAll(), before);
    assert.ok((await initProducerId(c, null)).producerId > p.producerId, 'producer ids are not reused after a reset');
  });
});

describe('transactions across a restart (disk store)', () => {
  test('an open transaction comes back (LSO held, partitions known) and can be committed; the aborted list survives', async () => {
    const dir = tempDir();
    try {
      let broker = await startBroker({ dataDir: dir.path, topics: { rt: 1 } });
      let c = await WireClient.connect(broker.bootstrap);
      const p = await initProducerId(c, 'restart-tx');
      await addPartitions(c, 'restart-tx', p.producerId, p.producerEpoch, 'rt', [0]);
      await produce(
        c,
        'rt',
        0,
        producerBatch({ producerId: p.producerId, epoch: p.producerEpoch, seq: 0, values: ['gone'], transactional: true }),
        'restart-tx',
      );
      assert.equal(await endTxn(c, 'restart-tx', p.producerId, p.producerEpoch, false), 0);
      await addPartitions(c, 'restart-tx', p.producerId, p.producerEpoch, 'rt', [0]);
      await produce(
        c,
        'rt',
        0,
        producerBatch({ producerId: p.producerId, epoch: p.producerEpoch, seq: 1, values: ['kept'], transactional: true }),
        'restart-tx',
      );
      assert.equal(
        (
          await c.send(AddOffsetsToTxn, 3, {
            transactionalId: 'restart-tx',
            producerId: p.producerId,
            producerEpoch: p.producerEpoch,
            groupId: 'g-restart',
          })
        ).errorCode,
        0,
      );
      const txnCommit = await c.send(TxnOffsetCommit, 3, {
        transactionalId: 'restart-tx',
        groupId: 'g-restart',
        producerId: p.producerId,
        producerEpoch: p.producerEpoch,
        generationIdOrMemberEpoch: -1,
        memberId: '',
        groupInstanceId: null,
        topics: [
          { name: 'rt', partitions: [{ partitionIndex: 0, committedOffset: 7, committedLeaderEpoch: -1, committedMetadata: null }] },
        ],
      });
      assert.equal(txnCommit.topics[0]!.partitions[0]!.errorCode, 0);
      const idem = await initProducerId(c, null);
      c.close();
      await broker.stop();
      const files = readdirSync(join(dir.path, 'rt-0'));
      assert.ok(files.includes('00000000000000000000.txnindex'), "the abort is in the segment's .txnindex");
      assert.ok(files.includes('00000000000000000003.snapshot'), 'a producer snapshot at the log end');
      assert.equal(decodeTxnIndex(readFileSync(join(dir.path, 'rt-0', '00000000000000000000.txnindex'))).length, 1);

      broker = await startBroker({ dataDir: dir.path });
      c = await WireClient.connect(broker.bootstrap);
      try {
        const before = await fetchPartition(c, 'rt', 0, 0, 1);
        assert.equal(before.lastStableOffset, 2, 'the open transaction still holds the LSO');
        assert.deepEqual(before.abortedTransactions, [{ producerId: p.producerId, firstOffset: 0 }]);
        const described = await c.send(DescribeTransactions, 0, { transactionalIds: ['restart-tx'] });
        assert.equal(described.transactionStates[0]!.transactionState, 'Ongoing');
        const producers = await c.send(DescribeProducers, 0, { topics: [{ name: 'rt', partitionIndexes: [0] }] });
        assert.equal(producers.topics[0]!.partitions[0]!.activeProducers[0]!.currentTxnStartOffset, 2);
        // Retried batch after the restart is still a duplicate.
        const dup = await produce(
          c,
          'rt',
          0,
          producerBatch({ producerId: p.producerId, epoch: p.producerEpoch, seq: 1, values: ['kept'], transactional: true }),
          'restart-tx',
        );
        assert.deepEqual([dup.errorCode, dup.baseOffset], [0, 2]);
        const groupOffset = async () =>
          (
            await c.send(OffsetFetch, 7, {
              groupId: 'g-restart',
              topics: [{ name: 'rt', partitionIndexes: [0] }],
              requireStable: false,
            } as never)
          ).topics[0]!.partitions[0]!.committedOffset;
        assert.equal(await groupOffset(), -1, 'the transactional offset is still pending after the restart');
        assert.equal(await endTxn(c, 'restart-tx', p.producerId, p.producerEpoch, true), 0);
        assert.equal(await groupOffset(), 7, 'and committed with the transaction');
        const after = await fetchPartition(c, 'rt', 0, 0, 1);
        assert.deepEqual(
          after.records,
          [
            [0, 'gone'],
            [2, 'kept'],
          ],
          'the broker never filters; consumers drop aborted records',
        );
        assert.deepEqual(after.markers, [1, 3]);
        assert.equal(after.lastStableOffset, 4);
        assert.ok((await initProducerId(c, null)).producerId > idem.producerId, 'producer ids never repeat');
      } finally {
        c.close();
        await broker.stop();
      }
      // The committed transactional offset is replayed from its COMMIT marker.
      broker = await startBroker({ dataDir: dir.path });
      c = await WireClient.connect(broker.bootstrap);
      try {
        const res = await c.send(OffsetFetch, 7, {
          groupId: 'g-restart',
          topics: [{ name: 'rt', partitionIndexes: [0] }],
          requireStable: false,
        } as never);
        assert.equal(res.topics[0]!.partitions[0]!.committedOffset, 7);
        assert.equal((await fetchPartition(c, 'rt', 0, 0, 1)).lastStableOffset, 4);
      } finally {
        c.close();
        await broker.stop();
      }
    } finally {
      dir.remove();
    }
  });
});
