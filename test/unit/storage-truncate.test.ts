// PartitionLog.truncateTo (Kafka's UnifiedLog.truncateTo), run against the memory and disk
// stores alike: segments past the cut go, the one holding it is cut at its batch boundary, the
// indexes and the log end follow, later appends continue from the cut, and a reopened disk log
// loads what truncation left (including .txnindex entries and producer snapshots cut with it).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { appendTxnIndexEntry, loadPersistedProducerState, writeProducerSnapshot } from '../../storage/producer-state-files.js';
import type { LogConfig, LogStore, PartitionLog } from '../../storage/types.js';
import { TOPIC_ID, config, openStoreUnderTest, readRecords, simpleBatch, STORE_KINDS } from './storage-helpers.js';

const SHAPES = [
  { name: 'one segment', cfg: config() },
  { name: 'tiny segments, an index entry per batch', cfg: config({ segmentBytes: 150, indexIntervalBytes: 1 }) },
];

/** Ten appends of two records each: offsets 0-19, batch i holds 2i and 2i+1, timestamps 1000 + offset. */
function fill(log: PartitionLog, from = 0, count = 10): void {
  for (let i = 0; i < count; i++) log.append(simpleBatch(2, 1000 + from + 2 * i), 0);
}

/** The log with its segment list (both log classes have it). */
type Log = PartitionLog & { readonly segmentBaseOffsets: number[] };
const open = (store: LogStore, cfg: LogConfig) => store.openLog('t', 0, TOPIC_ID, cfg) as Log;

const offsets = (log: PartitionLog) => readRecords(log).map((r) => r.offset);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

for (const kind of STORE_KINDS) {
  for (const shape of SHAPES) {
    describe(`truncateTo (${kind}, ${shape.name})`, () => {
      it('cuts at a batch boundary, keeps the rest readable and appends from the cut', async () => {
        let s = await openStoreUnderTest(kind);
        try {
          let log = open(s.store, shape.cfg);
          fill(log);
          const segmentsBefore = log.segmentBaseOffsets.length;
          assert.equal(log.truncateTo(20), false, 'at the log end: nothing to do');
          assert.equal(log.truncateTo(25), false, 'past the log end: nothing to do');
          assert.equal(log.truncateTo(12), true);
          assert.equal(log.logEndOffset, 12);
          assert.equal(log.highWatermark, 12);
          assert.deepEqual(offsets(log), range(0, 12));
          assert.ok(log.segmentBaseOffsets.every((b) => b <= 12));
          if (segmentsBefore > 1) assert.ok(log.segmentBaseOffsets.length < segmentsBefore, 'segments past the cut are gone');
          assert.equal(log.size, log.read(0, { maxBytes: 1 << 20, maxOffset: Number.MAX_SAFE_INTEGER, minOneBatch: true }).bytes);
          // The time index follows: nothing past the cut is found by timestamp or as the maximum.
          assert.equal(log.offsetForTimestamp(1015, Number.MAX_SAFE_INTEGER), null);
          assert.equal(log.maxTimestamp(Number.MAX_SAFE_INTEGER)?.offset, 11);
          assert.equal(log.offsetForTimestamp(1011, Number.MAX_SAFE_INTEGER)?.offset, 11);
          // Appends continue at the cut, with the new leader's epoch.
          fill(log, 12, 3);
          assert.equal(log.logEndOffset, 18);
          assert.deepEqual(offsets(log), range(0, 18));
          assert.equal(log.offsetForTimestamp(1014, Number.MAX_SAFE_INTEGER)?.offset, 14);
          if (kind === 'disk') {
            log.flush();
            s = await s.reopen();
            log = open(s.store, shape.cfg);
            assert.equal(log.logEndOffset, 18);
            assert.deepEqual(offsets(log), range(0, 18));
            assert.equal(log.offsetForTimestamp(1013, Number.MAX_SAFE_INTEGER)?.offset, 13);
          }
        } finally {
          await s.close();
        }
      });

      it('an offset inside a batch drops that whole batch; the log end is the offset asked', async () => {
        const s = await openStoreUnderTest(kind);
        try {
          const log = open(s.store, shape.cfg);
          fill(log);
          assert.equal(log.truncateTo(7), true);
          assert.equal(log.logEndOffset, 7);
          assert.deepEqual(offsets(log), range(0, 6));
          log.append(simpleBatch(1, 5000), 3);
          assert.deepEqual(offsets(log), [...range(0, 6), 7]);
        } finally {
          await s.close();
        }
      });

      it('below the first segment the log empties and starts again at the offset', async () => {
        const s = await openStoreUnderTest(kind);
        try {
          const log = open(s.store, shape.cfg);
          fill(log);
          log.deleteRecordsBefore(8);
          // Cutting to the log start keeps it; to below the first segment starts over.
          assert.equal(log.truncateTo(8), true);
          assert.equal(log.logStartOffset, 8);
          assert.equal(log.logEndOffset, 8);
          assert.deepEqual(offsets(log), []);
          fill(log, 8, 1);
          assert.deepEqual(offsets(log), [8, 9]);
          assert.equal(log.truncateTo(0), true);
          assert.equal(log.logStartOffset, 0);
          assert.equal(log.logEndOffset, 0);
          assert.equal(log.size, 0);
          assert.deepEqual(log.segmentBaseOffsets, [0]);
          fill(log, 0, 2);
          assert.deepEqual(offsets(log), range(0, 4));
        } finally {
          await s.close();
        }
      });
    });
  }
}

describe('truncateTo on disk: producer state files', () => {
  it('drops .txnindex entries whose marker is at or past the cut and snapshots taken past it', async () => {
    let s = await openStoreUnderTest('disk');
    try {
      let log = open(s.store, config({ segmentBytes: 150, indexIntervalBytes: 1 }));
      fill(log);
      const dir = log.dir!;
      appendTxnIndexEntry(dir, { producerId: 7, firstOffset: 2, lastOffset: 5, lastStableOffset: 2 });
      appendTxnIndexEntry(dir, { producerId: 8, firstOffset: 9, lastOffset: 13, lastStableOffset: 9 });
      writeProducerSnapshot(dir, 20, []);
      log.truncateTo(10);
      assert.deepEqual(
        fs.readdirSync(dir).filter((n) => n.endsWith('.snapshot')),
        [],
        'the snapshot at 20 describes records that are gone',
      );
      writeProducerSnapshot(dir, 10, []);
      assert.deepEqual(
        loadPersistedProducerState(dir, 0, 10)?.aborted.map((a) => a.producerId),
        [7],
      );
      log.flush();
      s = await s.reopen();
      log = open(s.store, config({ segmentBytes: 150, indexIntervalBytes: 1 }));
      assert.equal(log.logEndOffset, 10);
      assert.deepEqual(offsets(log), range(0, 10));
    } finally {
      await s.close();
    }
  });
});
