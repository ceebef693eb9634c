// Log compaction (LogCleaner) against both stores, driven by the LogManager's cleaner on a
// VirtualClock: the latest record per key survives with its original offset, tombstones go after
// delete.retention.ms, the active segment is never touched, min.cleanable.dirty.ratio and
// min.compaction.lag.ms hold cleaning back, progress lands in cleaner-offset-checkpoint, and an
// interrupted swap is completed at start-up.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Codec, buildBatch as buildRecordBatch } from '../../protocol/records/index.js';
import { groupSegments } from '../../storage/compaction.js';
import { openDiskStore, type DiskStore } from '../../storage/disk-store.js';
import type { DiskPartitionLog } from '../../storage/partition-log.js';
import type { LogConfig, PartitionLog } from '../../storage/types.js';
import {
  STORE_KINDS,
  TOPIC_ID,
  buildBatch,
  captureLogger,
  config,
  openStoreUnderTest,
  readRecords,
  type StoreUnderTest,
} from './storage-helpers.js';

const T0 = 1_700_000_000_000;
const BACKOFF = 15_000;
const DELETE_RETENTION = 600_000;

interface Rec {
  offset: number;
  key: string | null;
  value: string | null;
  timestamp: number;
}

function bases(log: PartitionLog): number[] {
  return (log as unknown as { segmentBaseOffsets: number[] }).segmentBaseOffsets;
}

function compacted(extra: Partial<LogConfig> = {}): LogConfig {
  return config({
    segmentBytes: 400,
    cleanupPolicy: ['compact'],
    deleteRetentionMs: DELETE_RETENTION,
    minCleanableDirtyRatio: 0.1,
    ...extra,
  });
}

/** Append one keyed record per batch: key k<i % keys>, every 7th a tombstone. Returns what was written. */
function writeKeyed(log: PartitionLog, n: number, ts: number, keys = 5, start = 0): Rec[] {
  const out: Rec[] = [];
  for (let i = start; i < start + n; i++) {
    const key = `k${i % keys}`;
    const value = i % 7 === 6 ? null : `value-${i}`;
    const r = log.append(buildBatch([{ key, value, timestamp: ts }]), 0);
    out.push({ offset: r.baseOffset, key, value, timestamp: ts });
  }
  return out;
}

/** What one cleaning pass over [0, end) keeps: the last record per key, plus everything from `end` on. */
function expectedAfterClean(written: Rec[], end: number, dropTombstones: boolean): Rec[] {
  const latest = new Map<string, number>();
  for (const r of written) if (r.offset < end) latest.set(r.key!, r.offset);
  return written.filter((r) => r.offset >= end || (latest.get(r.key!) === r.offset && (r.value !== null || !dropTombstones)));
}

async function withStore(kind: 'memory' | 'disk', fn: (s: StoreUnderTest) => Promise<void>): Promise<void> {
  const s = await openStoreUnderTest(kind, { startMs: T0, settings: { retentionCheckIntervalMs: 1e9 } });
  try {
    await fn(s);
  } finally {
    await s.close();
  }
}

for (const kind of STORE_KINDS) {
  describe(`compaction (${kind} store)`, () => {
    it('keeps the latest record per key at its original offset, never touches the active segment, drops tombstones after delete.retention.ms', () =>
      withStore(kind, async (s) => {
        const log = s.store.openLog('c', 0, TOPIC_ID, compacted());
        // A key written once and deleted: its tombstone is the latest record of that key.
        log.append(buildBatch([{ key: 'gone', value: 'soon', timestamp: T0 }]), 0);
        log.append(buildBatch([{ key: 'gone', value: null, timestamp: T0 }]), 0);
        const written: Rec[] = [
          { offset: 0, key: 'gone', value: 'soon', timestamp: T0 },
          { offset: 1, key: 'gone', value: null, timestamp: T0 },
          ...writeKeyed(log, 60, T0, 5, 2),
        ];
        const activeBase = bases(log).at(-1)!;
        assert.ok(bases(log).length >= 6);
        const activeBefore = readRecords(log, activeBase);
        assert.deepEqual(readRecords(log), written);

        await s.clock.advance(BACKOFF - 1);
        assert.deepEqual(readRecords(log), written, 'nothing before the first cleaner round');
        await s.clock.advance(1);
        const first = expectedAfterClean(written, activeBase, false);
        assert.deepEqual(readRecords(log), first);
        assert.ok(
          first.some((r) => r.offset < activeBase && r.value === null),
          'a tombstone survives the first pass',
        );
        assert.deepEqual(readRecords(log, activeBase), activeBefore, 'the active segment is untouched');
        assert.equal(log.logEndOffset, 62);
        assert.equal(log.logStartOffset, 0);

        // Tombstones stay until delete.retention.ms after the pass that first kept them.
        await s.clock.advance(DELETE_RETENTION - BACKOFF);
        assert.deepEqual(readRecords(log), first);
        await s.clock.advance(2 * BACKOFF);
        assert.deepEqual(readRecords(log), expectedAfterClean(written, activeBase, true));
        assert.ok(bases(log).length < 6, `the cleaned segments were merged: ${bases(log)}`);
      }));

    it('waits for min.cleanable.dirty.ratio, then cleans the new dirty part too', () =>
      withStore(kind, async (s) => {
        const log = s.store.openLog('c', 0, TOPIC_ID, compacted({ minCleanableDirtyRatio: 0.5 }));
        // 60 distinct keys: the first pass (nothing clean yet, ratio 1) keeps every record.
        const written = writeKeyed(log, 60, T0, 60);
        await s.clock.advance(BACKOFF);
        assert.deepEqual(readRecords(log), written);
        assert.equal(log.logEndOffset, 60);

        // A few overwrites: the clean part dwarfs the dirty one, so no cleaning.
        const more = writeKeyed(log, 8, T0, 60, 60);
        await s.clock.advance(BACKOFF);
        assert.deepEqual(readRecords(log), [...written, ...more]);
        // Many overwrites: the ratio passes 0.5.
        const lots = writeKeyed(log, 60, T0, 60, 68);
        await s.clock.advance(BACKOFF);
        const end = bases(log).at(-1)!;
        const all = [...written, ...more, ...lots];
        assert.deepEqual(readRecords(log), expectedAfterClean(all, end, false));
        assert.ok(readRecords(log).length < all.length);
      }));

    it('max.compaction.lag.ms cleans a log below the dirty ratio once dirty data is old enough', () =>
      withStore(kind, async (s) => {
        const log = s.store.openLog(
          'c',
          0,
          TOPIC_ID,
          compacted({ minCleanableDirtyRatio: 0.99, maxCompactionLagMs: 3_600_000, deleteRetentionMs: 86_400_000 }),
        );
        const written = writeKeyed(log, 60, T0, 60);
        await s.clock.advance(BACKOFF);
        const more = writeKeyed(log, 20, T0 + BACKOFF, 60, 60);
        await s.clock.advance(BACKOFF);
        assert.deepEqual(readRecords(log), [...written, ...more]);
        await s.clock.advance(3_600_000);
        const all = [...written, ...more];
        assert.deepEqual(readRecords(log), expectedAfterClean(all, bases(log).at(-1)!, false));
        assert.ok(readRecords(log).length < all.length);
      }));

    it('min.compaction.lag.ms keeps young records out of cleaning', () =>
      withStore(kind, async (s) => {
        const log = s.store.openLog('c', 0, TOPIC_ID, compacted({ minCompactionLagMs: 3_600_000 }));
        const written = writeKeyed(log, 40, T0);
        await s.clock.advance(BACKOFF * 4);
        assert.deepEqual(readRecords(log), written);
        await s.clock.advance(3_600_000);
        assert.deepEqual(readRecords(log), expectedAfterClean(written, bases(log).at(-1)!, false));
      }));

    it('rewrites compressed batches keeping offsets, headers and codec; drops keyless records', () =>
      withStore(kind, async (s) => {
        const log = s.store.openLog('c', 0, TOPIC_ID, compacted({ segmentBytes: 600 }));
        const batch = (base: number) =>
          buildRecordBatch({
            compression: Codec.GZIP,
            records: [
              { key: 'a', value: `a${base}`, timestamp: T0, headers: [{ key: 'h', value: `${base}` }] },
              { key: null, value: 'no key', timestamp: T0 + 1 },
              { key: 'b', value: `b${base}`, timestamp: T0 + 2 },
            ],
          });
        for (let i = 0; i < 12; i++) log.append(batch(i), 0);
        const activeBase = bases(log).at(-1)!;
        assert.ok(activeBase > 0);
        await s.clock.advance(BACKOFF);
        const cleaned = readRecords(log).filter((r) => r.offset < activeBase);
        // Only the last batch below the active segment keeps a and b; the keyless record goes.
        assert.deepEqual(
          cleaned.map((r) => [r.offset, r.key, r.value]),
          [
            [activeBase - 3, 'a', `a${activeBase / 3 - 1}`],
            [activeBase - 1, 'b', `b${activeBase / 3 - 1}`],
          ],
        );
        const first = log.read(0, { maxBytes: 1 << 20, maxOffset: activeBase, minOneBatch: true }).chunks[0]!;
        assert.equal(first.readInt16BE(21) & 7, Codec.GZIP, 'still gzip');
        assert.equal(Number(first.readBigInt64BE(0)), activeBase - 3, 'base offset kept');
        assert.equal(first.readInt32BE(23), 2, 'last offset delta kept');
      }));
  });
}

describe('compaction on disk', () => {
  it('records progress in cleaner-offset-checkpoint and swaps cleaned segments through .cleaned/.swap/.deleted', async () => {
    let s = await openStoreUnderTest('disk', { startMs: T0 });
    try {
      let log = s.store.openLog('c', 0, TOPIC_ID, compacted()) as DiskPartitionLog;
      const written = writeKeyed(log, 60, T0);
      const activeBase = log.segmentBaseOffsets.at(-1)!;
      const activeFile = path.join(s.dir!, 'c-0', `${String(activeBase).padStart(20, '0')}.log`);
      const activeBytes = fs.readFileSync(activeFile);
      await s.clock.advance(BACKOFF);
      assert.equal(log.firstDirtyOffset, activeBase);
      assert.equal(fs.readFileSync(path.join(s.dir!, 'cleaner-offset-checkpoint'), 'utf8'), `0\n1\nc 0 ${activeBase}\n`);
      assert.deepEqual(fs.readFileSync(activeFile), activeBytes);
      const names = fs.readdirSync(path.join(s.dir!, 'c-0'));
      assert.ok(
        names.some((n) => n.endsWith('.log.deleted')),
        'replaced segments wait as .deleted',
      );
      assert.ok(!names.some((n) => n.endsWith('.cleaned') || n.endsWith('.swap')), names.join(' '));

      s = await s.reopen();
      log = s.store.openLog('c', 0, TOPIC_ID, compacted()) as DiskPartitionLog;
      assert.equal(log.firstDirtyOffset, activeBase, 'the checkpoint is read back');
      assert.deepEqual(readRecords(log), expectedAfterClean(written, activeBase, false));
      assert.ok(!fs.readdirSync(path.join(s.dir!, 'c-0')).some((n) => n.endsWith('.deleted')));
    } finally {
      await s.close();
    }
  });

  it('completes a swap interrupted by a crash, and drops a stray .cleaned file', async () => {
    const s = await openStoreUnderTest('disk', { startMs: T0, settings: { cleanerEnable: false } });
    try {
      const log = s.store.openLog('c', 0, TOPIC_ID, compacted()) as DiskPartitionLog;
      const written = writeKeyed(log, 30, T0);
      const segs = log.segmentBaseOffsets;
      assert.ok(segs.length >= 4);
      const dir = path.join(s.dir!, 'c-0');
      const name = (base: number, ext: string) => path.join(dir, `${String(base).padStart(20, '0')}.${ext}`);
      // The cleaner had written segments 0 and 1 merged and cleaned (one record of each) as a .swap.
      const keep = [written[1]!, written[segs[1]! + 1]!];
      const swap = Buffer.concat(
        keep.map((r) =>
          buildRecordBatch({ baseOffset: r.offset, records: [{ offset: r.offset, key: r.key, value: r.value, timestamp: T0 }] }),
        ),
      );
      await (s.store as DiskStore).abandon();
      fs.writeFileSync(name(0, 'log.swap'), swap);
      fs.writeFileSync(name(0, 'index.swap'), Buffer.alloc(0));
      fs.writeFileSync(name(segs[2]!, 'log.cleaned'), Buffer.from('partial'));

      const { logger, lines } = captureLogger();
      const store = await openDiskStore({ dataDir: s.dir!, nodeId: 1, clock: s.clock, logger, settings: { cleanerEnable: false } });
      try {
        const reopened = store.openLog('c', 0, TOPIC_ID, compacted()) as DiskPartitionLog;
        assert.deepEqual(reopened.segmentBaseOffsets, [0, ...segs.slice(2)]);
        assert.deepEqual(readRecords(reopened), [...keep, ...written.filter((r) => r.offset >= segs[2]!)]);
        assert.ok(
          lines.some((l) => /interrupted log cleaner swap/.test(l.msg ?? '')),
          JSON.stringify(lines),
        );
        assert.deepEqual(
          fs.readdirSync(dir).filter((n) => /swap|cleaned/.test(n)),
          [],
        );
        assert.ok(fs.existsSync(name(0, 'index')), 'the swapped-in segment got its indexes rebuilt');
      } finally {
        await store.close();
      }
    } finally {
      await s.close();
    }
  });
});

describe('segment grouping', () => {
  it('merges neighbours while size, index sizes and the int32 offset span fit (groupSegmentsBySize)', () => {
    const item = (baseOffset: number, upperOffset: number, size: number, idx = 0) => ({
      baseOffset,
      upperOffset,
      size,
      offsetIndexBytes: idx,
      timeIndexBytes: idx,
    });
    assert.deepEqual(groupSegments([item(0, 10, 100), item(10, 20, 100), item(20, 30, 100), item(30, 40, 100)], 250, 1000), [
      [0, 1],
      [2, 3],
    ]);
    assert.deepEqual(groupSegments([item(0, 10, 10, 600), item(10, 20, 10, 600)], 1000, 1000), [[0], [1]]);
    assert.deepEqual(groupSegments([item(0, 10, 10), item(10, 2 ** 31 + 5, 10)], 1000, 1000), [[0], [1]]);
    assert.deepEqual(groupSegments([item(0, 10, 10), item(10, 2 ** 31 + 5, 0)], 1000, 1000), [[0, 1]]);
  });
});
