// Retention (UnifiedLog.deleteOldSegments) and DeleteRecords' log start offset, against both
// stores, driven by the store's LogManager on a VirtualClock: time and size limits delete whole old
// segments (never the active one), the log start offset moves and reads below it are out of range;
// on disk the files go `.deleted` and are removed file.delete.delay.ms later.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { OffsetOutOfRangeError } from '../../protocol/errors.js';
import type { LogManagerSettings } from '../../storage/log-manager.js';
import type { DiskPartitionLog } from '../../storage/partition-log.js';
import type { LogConfig, PartitionLog } from '../../storage/types.js';
import { STORE_KINDS, TOPIC_ID, config, openStoreUnderTest, readRecords, simpleBatch, type StoreUnderTest } from './storage-helpers.js';

const CHECK_MS = 300_000;
const HOUR = 3_600_000;
const T0 = 1_700_000_000_000;
/** Every test batch has this size: one record, a 10-byte value, no key. */
const B = simpleBatch(1, T0).length;

function bases(log: PartitionLog): number[] {
  return (log as unknown as { segmentBaseOffsets: number[] }).segmentBaseOffsets;
}

/** `n` one-record batches with timestamps from `ts(i)`; three batches fill a segment. */
function fill(log: PartitionLog, n: number, ts: (i: number) => number): void {
  for (let i = 0; i < n; i++) log.append(simpleBatch(1, ts(i)), 0);
}

function threePerSegment(extra: Partial<LogConfig> = {}): LogConfig {
  return config({ segmentBytes: 3 * B, ...extra });
}

async function withStore(
  kind: 'memory' | 'disk',
  fn: (s: StoreUnderTest) => Promise<void>,
  settings: Partial<LogManagerSettings> = {},
): Promise<void> {
  const s = await openStoreUnderTest(kind, { startMs: T0, settings });
  try {
    await fn(s);
  } finally {
    await s.close();
  }
}

function segmentFiles(s: StoreUnderTest, topic = 't'): string[] {
  return fs
    .readdirSync(path.join(s.dir!, `${topic}-0`))
    .filter((f) => /\.(log|index|timeindex)(\.deleted)?$/.test(f))
    .sort();
}

for (const kind of STORE_KINDS) {
  describe(`retention (${kind} store)`, () => {
    it('retention.ms deletes old segments at the next check, moves the log start offset, keeps the active segment', () =>
      withStore(kind, async (s) => {
        const log = s.store.openLog('t', 0, TOPIC_ID, threePerSegment({ retentionMs: HOUR }));
        // 13 old records (2 h old) then 5 new: segments [0-2] [3-5] [6-8] [9-11] [12-14] [15-17]; 12 is old, 13+ new.
        fill(log, 18, (i) => (i < 13 ? T0 - 2 * HOUR : T0));
        assert.deepEqual(bases(log), [0, 3, 6, 9, 12, 15]);
        await s.clock.advance(CHECK_MS - 1);
        assert.equal(log.logStartOffset, 0, 'nothing happens before the first check');
        await s.clock.advance(1);
        assert.deepEqual(bases(log), [12, 15], 'whole segments of old records went; 12-14 holds new ones');
        assert.equal(log.logStartOffset, 12);
        assert.equal(log.size, 6 * B);
        assert.throws(() => log.read(11, { maxBytes: 1000, maxOffset: 100, minOneBatch: true }), OffsetOutOfRangeError);
        assert.deepEqual(
          readRecords(log).map((r) => r.offset),
          [12, 13, 14, 15, 16, 17],
        );

        // Everything old, including the active segment: the active one stays.
        await s.clock.advance(3 * HOUR);
        assert.deepEqual(bases(log), [15]);
        assert.equal(log.logStartOffset, 15);
        assert.equal(log.logEndOffset, 18);
        assert.equal(log.append(simpleBatch(1, s.clock.now()), 0).baseOffset, 18);
      }));

    it('retention.bytes deletes the oldest segments while the rest stays at or above the limit', () =>
      withStore(kind, async (s) => {
        const log = s.store.openLog('t', 0, TOPIC_ID, threePerSegment({ retentionBytes: 10 * B }));
        fill(log, 31, () => T0);
        assert.equal(bases(log).length, 11);
        await s.clock.advance(CHECK_MS);
        // 31 B: removing 3 B at a time while what remains is >= 10 B leaves 10 B (3 segments + 1 batch).
        assert.deepEqual(bases(log), [21, 24, 27, 30]);
        assert.equal(log.size, 10 * B);
        assert.equal(log.logStartOffset, 21);
      }));

    it('deleteRecordsBefore moves the log start offset; whole segments below it go at the next check', () =>
      withStore(kind, async (s) => {
        const log = s.store.openLog('t', 0, TOPIC_ID, threePerSegment({ retentionMs: -1 }));
        fill(log, 20, () => T0);
        assert.throws(() => log.deleteRecordsBefore(21), OffsetOutOfRangeError, 'above the high watermark');
        assert.equal(log.deleteRecordsBefore(17), 17);
        assert.equal(log.deleteRecordsBefore(5), 17, 'never moves back');
        assert.equal(log.logStartOffset, 17);
        assert.throws(() => log.read(16, { maxBytes: 1000, maxOffset: 100, minOneBatch: true }), OffsetOutOfRangeError);
        assert.deepEqual(
          readRecords(log).map((r) => r.offset),
          [17, 18, 19],
        );
        assert.equal(log.offsetForTimestamp(0, 100)?.offset, 17, 'timestamp lookups start at the log start offset');
        assert.deepEqual(bases(log), [0, 3, 6, 9, 12, 15, 18]);
        await s.clock.advance(CHECK_MS);
        assert.deepEqual(bases(log), [15, 18], 'segment 15-17 still holds offset 17');
        assert.equal(log.logStartOffset, 17);
        assert.equal(log.deleteRecordsBefore(20), 20, 'up to the high watermark');
        await s.clock.advance(CHECK_MS);
        assert.deepEqual(bases(log), [18], 'the active segment stays even when wholly below the log start');
      }));

    it('compact-only logs keep old segments (only the log start offset rule applies)', () =>
      withStore(
        kind,
        async (s) => {
          const log = s.store.openLog(
            't',
            0,
            TOPIC_ID,
            threePerSegment({ retentionMs: HOUR, retentionBytes: 0, cleanupPolicy: ['compact'] }),
          );
          fill(log, 10, () => T0 - 5 * HOUR);
          await s.clock.advance(CHECK_MS);
          assert.deepEqual(bases(log), [0, 3, 6, 9]);
          log.deleteRecordsBefore(4);
          await s.clock.advance(CHECK_MS);
          assert.deepEqual(bases(log), [3, 6, 9]);
        },
        { cleanerEnable: false },
      ));

    it('a config change applies at once: retention starts at the next check', () =>
      withStore(kind, async (s) => {
        const cfg = threePerSegment({ retentionMs: -1 });
        const log = s.store.openLog('t', 0, TOPIC_ID, cfg);
        fill(log, 9, () => T0 - 2 * HOUR);
        await s.clock.advance(CHECK_MS);
        assert.deepEqual(bases(log), [0, 3, 6]);
        log.updateConfig({ ...cfg, retentionMs: HOUR });
        await s.clock.advance(CHECK_MS);
        assert.deepEqual(bases(log), [6]);
      }));

    it('segment.jitter.ms makes segments roll before segment.ms by a random amount', () =>
      withStore(kind, async (s) => {
        const log = s.store.openLog('t', 0, TOPIC_ID, config({ segmentMs: 1000, segmentJitterMs: 1000 }));
        fill(log, 400, (i) => T0 + i * 100);
        const b = bases(log);
        assert.ok(b.length > 20, `${b.length} segments`);
        const spans = b.slice(1).map((base, i) => (base - 1 - b[i]!) * 100);
        for (const span of spans) assert.ok(span <= 1000, `no segment spans more than segment.ms (${span})`);
        assert.ok(
          spans.some((span) => span < 900),
          `jitter shortened some segment: ${spans.join(',')}`,
        );
      }));
  });
}

describe('retention on disk: files', () => {
  it('renames deleted segments .deleted and removes them file.delete.delay.ms later; the log start offset survives a restart', async () => {
    let s = await openStoreUnderTest('disk', { startMs: T0 });
    try {
      let log = s.store.openLog('t', 0, TOPIC_ID, threePerSegment({ retentionMs: HOUR, fileDeleteDelayMs: 60_000 })) as DiskPartitionLog;
      fill(log, 10, (i) => (i < 6 ? T0 - 2 * HOUR : T0));
      await s.clock.advance(CHECK_MS);
      assert.deepEqual(log.segmentBaseOffsets, [6, 9]);
      const names = segmentFiles(s);
      for (const base of ['00000000000000000000', '00000000000000000003']) {
        for (const ext of ['log', 'index', 'timeindex'])
          assert.ok(names.includes(`${base}.${ext}.deleted`), `${base}.${ext}.deleted in ${names}`);
        assert.ok(!names.includes(`${base}.log`));
      }
      await s.clock.advance(59_999);
      assert.equal(segmentFiles(s).filter((f) => f.endsWith('.deleted')).length, 6);
      await s.clock.advance(1);
      assert.deepEqual(segmentFiles(s), [
        '00000000000000000006.index',
        '00000000000000000006.log',
        '00000000000000000006.timeindex',
        '00000000000000000009.index',
        '00000000000000000009.log',
        '00000000000000000009.timeindex',
      ]);

      log.deleteRecordsBefore(8);
      s = await s.reopen();
      assert.match(fs.readFileSync(path.join(s.dir!, 'log-start-offset-checkpoint'), 'utf8'), /^0\n1\nt 0 8\n$/);
      log = s.store.openLog('t', 0, TOPIC_ID, threePerSegment({ retentionMs: HOUR })) as DiskPartitionLog;
      assert.equal(log.logStartOffset, 8);
      assert.equal(log.logEndOffset, 10);
      assert.throws(() => log.read(7, { maxBytes: 100, maxOffset: 100, minOneBatch: true }), OffsetOutOfRangeError);
    } finally {
      await s.close();
    }
  });

  it('pending .deleted files are removed by a clean close', async () => {
    const s = await openStoreUnderTest('disk', { startMs: T0 });
    try {
      const log = s.store.openLog('t', 0, TOPIC_ID, threePerSegment({ retentionMs: HOUR }));
      fill(log, 7, () => T0 - 2 * HOUR);
      await s.clock.advance(CHECK_MS);
      assert.equal(s.store.manager.pendingDeletions, 2);
      await s.store.close();
      assert.ok(
        segmentFiles(s).every((f) => !f.endsWith('.deleted')),
        segmentFiles(s).join(' '),
      );
    } finally {
      await s.close();
    }
  });
});
