// The producer snapshot and .txnindex file formats (Kafka's ProducerStateManager and
// TransactionIndex), byte for byte.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendTxnIndexEntry, loadPersistedProducerState, writeProducerSnapshot } from '../../storage/producer-state-files.js';
import { decodeProducerSnapshot, encodeProducerSnapshot } from '../../storage/producer-state-snapshot.js';
import { ProducerStateManager } from '../../storage/producer-state.js';
import { TXN_INDEX_ENTRY_SIZE, decodeTxnIndex, encodeTxnIndexEntry } from '../../storage/txn-index.js';

test('producer snapshot: Kafka layout, CRC-32C over [6, end), last batch per producer round-trips', () => {
  const s = new ProducerStateManager();
  s.onAppend(
    { producerId: 4000000000, producerEpoch: 3, baseSequence: 10, lastOffsetDelta: 4, isTransactional: true, maxTimestamp: 1700000000000 },
    120,
  );
  const bytes = encodeProducerSnapshot(s.entries());
  assert.equal(bytes.length, 10 + 46);
  assert.equal(bytes.readInt16BE(0), 1);
  assert.equal(bytes.readInt32BE(6), 1);
  assert.equal(bytes.readInt32BE(10 + 10), 14, 'lastSequence');
  assert.equal(bytes.readInt32BE(10 + 22), 4, 'offsetDelta');
  const [e] = decodeProducerSnapshot(bytes);
  assert.deepEqual(e, {
    producerId: 4000000000,
    epoch: 3,
    batches: [{ firstSeq: 10, lastSeq: 14, firstOffset: 120, lastOffset: 124, timestamp: 1700000000000 }],
    lastTimestamp: 1700000000000,
    coordinatorEpoch: -1,
    currentTxnFirstOffset: 120,
  });
  const corrupt = Buffer.from(bytes);
  corrupt[30] ^= 1;
  assert.throws(() => decodeProducerSnapshot(corrupt), /CRC/);
});

test('.txnindex: 34-byte entries, version 0, a torn tail ignored', () => {
  const a = { producerId: 7, firstOffset: 100, lastOffset: 150, lastStableOffset: 151 };
  const b = { producerId: 8, firstOffset: 5000000000, lastOffset: 5000000009, lastStableOffset: 5000000010 };
  const file = Buffer.concat([encodeTxnIndexEntry(a), encodeTxnIndexEntry(b), Buffer.alloc(10)]);
  assert.equal(encodeTxnIndexEntry(a).length, TXN_INDEX_ENTRY_SIZE);
  assert.equal(
    encodeTxnIndexEntry(a).toString('hex'),
    '0000' + '0000000000000007' + '0000000000000064' + '0000000000000096' + '0000000000000097',
  );
  assert.deepEqual(decodeTxnIndex(file), [a, b]);
});

test('loading persisted state: newest snapshot within [log start, log end], .txnindex entries below it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kafkalite-pstate-'));
  try {
    writeFileSync(join(dir, '00000000000000000000.log'), '');
    writeFileSync(join(dir, '00000000000000000008.log'), '');
    const s = new ProducerStateManager();
    s.onAppend({ producerId: 1, producerEpoch: 0, baseSequence: 0, lastOffsetDelta: 0, isTransactional: false, maxTimestamp: 5 }, 3);
    writeProducerSnapshot(dir, 6, s.entries());
    writeProducerSnapshot(dir, 10, s.entries());
    assert.deepEqual(
      readdirSync(dir).filter((n) => n.endsWith('.snapshot')),
      ['00000000000000000010.snapshot'],
      'older snapshots go',
    );
    appendTxnIndexEntry(dir, { producerId: 2, firstOffset: 1, lastOffset: 4, lastStableOffset: 5 });
    appendTxnIndexEntry(dir, { producerId: 3, firstOffset: 6, lastOffset: 9, lastStableOffset: 10 });
    appendTxnIndexEntry(dir, { producerId: 4, firstOffset: 10, lastOffset: 11, lastStableOffset: 12 });
    assert.deepEqual(
      readdirSync(dir)
        .filter((n) => n.endsWith('.txnindex'))
        .sort(),
      ['00000000000000000000.txnindex', '00000000000000000008.txnindex'],
    );
    const loaded = loadPersistedProducerState(dir, 0, 12)!;
    assert.equal(loaded.offset, 10);
    assert.deepEqual(
      loaded.aborted.map((a) => a.producerId),
      [2, 3],
      'entries at or after the snapshot are replayed from the log instead',
    );
    assert.equal(loaded.entries[0]!.producerId, 1);
    assert.equal(loadPersistedProducerState(dir, 0, 9), null, 'a snapshot above the (truncated) log end is not used');
    assert.equal(loadPersistedProducerState(dir, 11, 12), null, 'nor one below the log start');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
