// ProducerStateManager: Kafka's sequence/epoch/duplicate rules, transactions and the LSO,
// aborted-transaction list, and rebuilding the same state from a log.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ErrorCode, KafkaStorageError } from '../../protocol/errors.js';
import { buildBatch, buildControlBatch } from '../../protocol/records/index.js';
import { DiskFaults } from '../../storage/fs/memory-fs-faults.js';
import { MemoryStore } from '../../storage/memory-store.js';
import type { DiskPartitionLog } from '../../storage/partition-log.js';
import { ProducerStateManager, type ProducerBatch } from '../../storage/producer-state.js';
import { rebuildProducerState } from '../../storage/producer-state-recovery.js';

const b = (producerId: number, producerEpoch: number, baseSequence: number, count = 1, isTransactional = false): ProducerBatch => ({
  producerId,
  producerEpoch,
  baseSequence,
  lastOffsetDelta: count - 1,
  isTransactional,
  maxTimestamp: 1000,
});
const yes = () => true;

describe('producer state', () => {
  test('in-order batches append; a retry of one of the last 5 is a duplicate with its offsets; older ones are not', () => {
    const s = new ProducerStateManager();
    let offset = 0;
    for (let seq = 0; seq < 7 * 2; seq += 2) {
      assert.deepEqual(s.validate(b(7, 0, seq, 2), yes), { kind: 'append' });
      s.onAppend(b(7, 0, seq, 2), offset);
      offset += 2;
    }
    assert.deepEqual(s.validate(b(7, 0, 12, 2), yes), { kind: 'duplicate', firstOffset: 12, lastOffset: 13 });
    assert.deepEqual(s.validate(b(7, 0, 4, 2), yes), { kind: 'duplicate', firstOffset: 4, lastOffset: 5 });
    const tooOld = s.validate(b(7, 0, 2, 2), yes);
    assert.equal(tooOld.kind === 'error' && tooOld.errorCode, ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
  });

  test('gaps are OUT_OF_ORDER_SEQUENCE_NUMBER, stale epochs INVALID_PRODUCER_EPOCH, a new epoch must start at 0', () => {
    const s = new ProducerStateManager();
    assert.deepEqual(s.validate(b(1, 3, 41), yes), { kind: 'append' }, 'an unknown producer may start anywhere');
    s.onAppend(b(1, 3, 41), 0);
    const gap = s.validate(b(1, 3, 43), yes);
    assert.equal(gap.kind === 'error' && gap.errorCode, ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    const stale = s.validate(b(1, 2, 0), yes);
    assert.equal(stale.kind === 'error' && stale.errorCode, ErrorCode.INVALID_PRODUCER_EPOCH);
    const bumpNotZero = s.validate(b(1, 4, 5), yes);
    assert.equal(bumpNotZero.kind === 'error' && bumpNotZero.errorCode, ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    assert.deepEqual(s.validate(b(1, 4, 0), yes), { kind: 'append' });
  });

  test('sequence numbers wrap from 2147483647 to 0', () => {
    const s = new ProducerStateManager();
    s.onAppend(b(2, 0, 2147483646, 2), 0);
    assert.deepEqual(s.validate(b(2, 0, 0), yes), { kind: 'append' });
  });

  test('transactions: LSO held at the first open offset; ABORT lists the transaction; verification and mixing rules', () => {
    const s = new ProducerStateManager();
    const notAdded = s.validate(b(5, 0, 0, 1, true), () => false);
    assert.equal(notAdded.kind === 'error' && notAdded.errorCode, ErrorCode.INVALID_TXN_STATE);
    s.onAppend(b(5, 0, 0, 3, true), 10);
    s.onAppend(b(6, 0, 0, 1), 13);
    s.onAppend(b(8, 0, 0, 1, true), 14);
    assert.equal(s.lastStableOffset(20), 10);
    const mixed = s.validate(b(5, 0, 3, 1, false), yes);
    assert.equal(mixed.kind === 'error' && mixed.errorCode, ErrorCode.INVALID_TXN_STATE);
    s.onMarker(5, 0, false, 0, 15, 1000, 16);
    assert.equal(s.lastStableOffset(16), 14, 'the other open transaction still holds it');
    s.onMarker(8, 0, true, 0, 16, 1000, 17);
    assert.equal(s.lastStableOffset(17), 17);
    assert.deepEqual(s.abortedTransactions(0, 17), [{ producerId: 5, firstOffset: 10 }]);
    assert.deepEqual(s.abortedTransactions(16, 17), [], 'a fetch past the marker needs no entry');
    assert.equal(s.checkMarker(5, -1), ErrorCode.INVALID_PRODUCER_EPOCH);
  });

  test('rebuilding from the log gives the same producers, open transaction and aborted list', async () => {
    const store = new MemoryStore();
    const log = store.openLog('t', 0, 'AAAAAAAAAAAAAAAAAAAAAA', {
      segmentBytes: 1 << 20,
      segmentMs: 1e9,
      segmentIndexBytes: 1 << 20,
      indexIntervalBytes: 4096,
    });
    const rec = [{ key: 'k', value: 'v', timestamp: 1000 }];
    log.append(buildBatch({ records: rec, producerId: 3, producerEpoch: 0, baseSequence: 0, transactional: true }), 0);
    log.append(buildControlBatch({ producerId: 3, producerEpoch: 0, commit: false, coordinatorEpoch: 0, timestamp: 1000 }), 0);
    log.append(buildBatch({ records: rec, producerId: 3, producerEpoch: 0, baseSequence: 1, transactional: true }), 0);
    log.append(buildBatch({ records: [...rec, ...rec], producerId: 9, producerEpoch: 2, baseSequence: 0 }), 0);
    const s = rebuildProducerState(log);
    assert.deepEqual(s.abortedTransactions(0, 100), [{ producerId: 3, firstOffset: 0 }]);
    assert.equal(s.firstUnstableOffset(), 2);
    assert.deepEqual(s.validate(b(9, 2, 0, 2), yes), { kind: 'duplicate', firstOffset: 3, lastOffset: 4 });
    assert.deepEqual(s.validate(b(9, 2, 2), yes), { kind: 'append' });
    await store.close();
  });

  /** A log whose 120-byte segments hold one small batch each. */
  const onePerSegmentLog = (store: MemoryStore) =>
    store.openLog('t', 0, 'AAAAAAAAAAAAAAAAAAAAAA', {
      segmentBytes: 120,
      segmentMs: 1e9,
      segmentIndexBytes: 1 << 20,
      indexIntervalBytes: 1,
    });

  test('rebuilding walks batch headers across segments, from a snapshot offset inside one, reading control batches for their markers', async () => {
    const store = new MemoryStore();
    // One batch per segment: the walk crosses segments and starts inside the list.
    const log = onePerSegmentLog(store);
    const rec = [{ key: 'k', value: 'v', timestamp: 1000 }];
    log.append(buildBatch({ records: rec, producerId: 5, producerEpoch: 1, baseSequence: 0 }), 0);
    log.append(buildBatch({ records: rec, producerId: 3, producerEpoch: 0, baseSequence: 0, transactional: true }), 0);
    log.append(buildControlBatch({ producerId: 3, producerEpoch: 0, commit: true, coordinatorEpoch: 7, timestamp: 1000 }), 0);
    log.append(buildBatch({ records: rec, producerId: 3, producerEpoch: 0, baseSequence: 1, transactional: true }), 0);
    log.append(buildControlBatch({ producerId: 3, producerEpoch: 0, commit: false, coordinatorEpoch: 7, timestamp: 1000 }), 0);
    log.append(buildBatch({ records: [...rec, ...rec], producerId: 5, producerEpoch: 1, baseSequence: 1 }), 0);
    assert.ok((log as DiskPartitionLog).segmentBaseOffsets.length >= 5, 'one batch per segment');
    const s = rebuildProducerState(log);
    assert.deepEqual(s.abortedTransactions(0, 100), [{ producerId: 3, firstOffset: 3 }]);
    assert.equal(s.firstUnstableOffset(), null);
    assert.equal(s.entry(3)?.coordinatorEpoch, 7);
    assert.deepEqual(s.validate(b(5, 1, 0), yes), { kind: 'duplicate', firstOffset: 0, lastOffset: 0 });
    assert.deepEqual(s.validate(b(5, 1, 1, 2), yes), { kind: 'duplicate', firstOffset: 5, lastOffset: 6 });
    // Headers from offset 3 on (a snapshot's offset): only the batches after it are replayed.
    const fromMiddle = [...log.batchHeaders(3)].map((h) => h.baseOffset);
    assert.deepEqual(fromMiddle, [3, 4, 5]);
    await store.close();
  });

  test('an I/O error while rebuilding takes the log directory offline (KafkaStorageError), as a read does', async () => {
    const store = new MemoryStore();
    const log = onePerSegmentLog(store);
    const rec = [{ key: 'k', value: 'v', timestamp: 1000 }];
    for (let i = 0; i < 3; i++) log.append(buildBatch({ records: rec, producerId: 5, producerEpoch: 1, baseSequence: i }), 0);
    new DiskFaults(store.memoryFs).inject({ ops: ['read'], path: '.log', error: 'EIO' });
    assert.throws(() => rebuildProducerState(log), KafkaStorageError);
    assert.ok((log as DiskPartitionLog).offline, 'the directory is offline');
    await store.abandon();
  });
});
