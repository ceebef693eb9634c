// Java transactions (kafka-clients 4.4.0, test/jvm/programs/Transactions.java) against an
// in-process broker: consume-transform-produce with sendOffsetsToTransaction and one aborted
// batch, aborted records invisible at read_committed, an open transaction holding the last
// stable offset, and a second producer with the same transactional.id fencing the first.
// kafkalite finalizes no transaction.version, so the client runs transactions v1 (KIP-890's
// v2 needs transaction.version >= 2).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { javaProgram, line, type Json } from './java-helpers.js';

describe('Java transactions (kafka-clients 4.4.0)', { timeout: 180_000 }, () => {
  let broker: Broker;
  let lines: Json[];
  before(async () => {
    broker = await startBroker();
    lines = await javaProgram('Transactions', broker.bootstrap, [
      'ctp,jt-in,jt-out,jt-group,200,classic',
      'ctp,jt-in2,jt-out2,jt-group2,100,consumer',
      'abort,jt-abort',
      'fence,jt-fence',
    ]);
  });
  after(() => broker?.stop());

  test('consume-transform-produce: each input once in the output at read_committed, the group offset committed with the transactions', () => {
    const r = line(lines, 'protocol', 'classic');
    assert.deepEqual(
      r.readCommitted,
      Array.from({ length: 200 }, (_, i) => `WORD${i}`),
    );
    assert.equal(r.abortedRecords, 25, 'one batch of max.poll.records was aborted and processed again');
    assert.equal(r.readUncommittedCount, 225, 'the aborted batch is in the log, visible at read_uncommitted');
    assert.ok(r.transactions >= 8, `${r.transactions} transactions`);
    assert.equal(r.committedOffset, 200);
    // The offsets went through TxnOffsetCommit: the broker's group holds them.
    assert.equal(broker.core.groups.group('jt-group') !== undefined, true);
  });

  test('consume-transform-produce with a KIP-848 consumer (group.protocol=consumer): TxnOffsetCommit with its member epoch', () => {
    const r = line(lines, 'protocol', 'consumer');
    assert.deepEqual(
      r.readCommitted,
      Array.from({ length: 100 }, (_, i) => `WORD${i}`),
    );
    assert.deepEqual([r.abortedRecords, r.readUncommittedCount, r.committedOffset], [25, 125, 100]);
    assert.equal(broker.core.groups.consumerGroup('jt-group2') !== undefined, true, 'a KIP-848 group');
  });

  test('an open transaction holds the LSO; aborted records are skipped at read_committed only', () => {
    const r = line(lines, 'scenario', 'abort');
    assert.deepEqual([r.openLso, r.openHw], [4, 6], 'committed 0-2, marker 3, open 4-5');
    assert.equal(r.openState, 'Ongoing');
    assert.deepEqual(r.openPartitions, ['jt-abort-0']);
    assert.deepEqual([r.lso, r.hw], [9, 9], 'three markers: commit, abort, commit');
    assert.deepEqual(r.readCommitted, ['c1-0', 'c1-1', 'c1-2', 'c2-0']);
    assert.deepEqual(r.readUncommitted, ['c1-0', 'c1-1', 'c1-2', 'a-0', 'a-1', 'c2-0']);
    assert.equal(r.finalState, 'CompleteCommit');
  });

  test('a second producer with the same transactional.id fences the first and aborts its open transaction', () => {
    const r = line(lines, 'scenario', 'fence');
    assert.match(r.firstOutcome, /^(ProducerFencedException|InvalidProducerEpochException)$/);
    assert.deepEqual(r.readCommitted, ['second']);
    assert.deepEqual(r.readUncommitted, ['first', 'second']);
    assert.equal(r.producers.length, 1);
    // Transactions v2 (KIP-890, transaction.version 2 finalized as in Kafka 4.4): every EndTxn bumps
    // the epoch, so the second producer's commit leaves epoch 3, the value Kafka 4.4 reports here.
    assert.equal(r.producers[0].producerEpoch, 3, 'epoch 3 after the second producer commits (transactions v2)');
    assert.equal(r.producers[0].currentTransactionStartOffset, -1);
  });
});
