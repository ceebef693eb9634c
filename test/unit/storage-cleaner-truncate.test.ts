// The log cleaner vs a truncation arriving in the middle of a cleaning pass (issue 14, item 3):
// PartitionLog.truncateTo (an unclean election, a follower's divergence) abandons the pass over
// that log first (LogManager.truncating; Kafka's LogCleanerManager.abortAndPauseCleaning), so the
// half-written `.cleaned` segment goes, the cleaner checkpoint does not move past the new end, and
// the next round cleans the truncated log. Over the in-memory file system, the pass stepped one
// batch per turn of the event loop (cleanerSliceMs 0).

import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { VirtualClock } from '../../storage/clock.js';
import { openDiskStore } from '../../storage/disk-store.js';
import { MemoryFileSystem } from '../../storage/fs/memory-fs.js';
import type { DiskPartitionLog } from '../../storage/partition-log.js';
import { TOPIC_ID, buildBatch, captureLogger, config, readRecords } from './storage-helpers.js';

const T0 = 1_700_000_000_000;
const RECORDS = 1200;
const KEYS = 10;
const CUT = 700;

async function truncateMidPass(phase: 'offset map' | 'writing') {
  const memfs = new MemoryFileSystem();
  const clock = new VirtualClock(T0);
  const { logger, lines } = captureLogger();
  const settings = { cleanerSliceMs: 0, cleanerBackoffMs: 1e9, retentionCheckIntervalMs: 1e9 };
  const store = await openDiskStore({ dataDir: '/data', nodeId: 1, fs: memfs, clock, settings, logger });
  try {
    const cfg = config({ segmentBytes: 4096, cleanupPolicy: ['compact'], minCleanableDirtyRatio: 0.1 });
    const log = store.openLog('c', 0, TOPIC_ID, cfg) as DiskPartitionLog;
    const written: Array<{ offset: number; key: string; value: string }> = [];
    for (let i = 0; i < RECORDS; i++) {
      const key = `k${i % KEYS}`;
      const value = `value-${i}`;
      log.append(buildBatch([{ key, value, timestamp: T0 }]), 0);
      written.push({ offset: i, key, value });
    }
    const segmentsBefore = log.segmentBaseOffsets.length;
    assert.ok(segmentsBefore > 10, `${segmentsBefore} segments`);

    assert.equal(store.manager.runCleaner(), 0, 'the pass goes on in later turns');
    assert.ok(store.manager.busy());
    const cleanedFiles = () => memfs.readdir('/data/c-0').filter((f) => f.includes('.cleaned') || f.includes('.swap'));
    if (phase === 'offset map') {
      for (let i = 0; i < 20; i++) await nextTurn();
      assert.deepEqual(cleanedFiles(), [], 'still building the offset map');
    } else {
      while (cleanedFiles().length === 0 && store.manager.busy()) await nextTurn();
      assert.ok(cleanedFiles().length > 0, 'a cleaned segment is being written');
    }
    assert.ok(store.manager.busy());

    assert.equal(log.truncateTo(CUT), true);
    assert.deepEqual(cleanedFiles(), [], 'the half-written cleaned segment is gone');
    assert.ok(lines.some((l) => l.msg === 'aborted cleaning of c-0 for a truncation'));
    while (store.manager.busy()) await nextTurn();

    // Nothing was cleaned: the log is exactly what was written below the cut.
    assert.equal(log.logEndOffset, CUT);
    assert.equal(log.firstDirtyOffset, null);
    const kept = readRecords(log).map((r) => ({ offset: r.offset, key: r.key, value: r.value }));
    assert.deepEqual(kept, written.slice(0, CUT));
    const bases = log.segmentBaseOffsets;
    assert.deepEqual(
      bases,
      [...bases].sort((a, b) => a - b),
    );
    assert.ok(bases.at(-1)! <= CUT);

    const sizeAfterCut = log.size;
    // The next round cleans the truncated log: the latest record per key below the cleaned end survives.
    log.append(buildBatch([{ key: 'k0', value: 'after', timestamp: T0 }]), 0);
    store.manager.runCleaner();
    while (store.manager.busy()) await nextTurn();
    const end = log.firstDirtyOffset;
    assert.ok(end !== null && end > 0 && end <= CUT, `cleaned up to ${end}`);
    const latest = new Map<string, number>();
    for (const r of written.slice(0, end)) latest.set(r.key, r.offset);
    const expected = [...written.slice(0, CUT), { offset: CUT, key: 'k0', value: 'after' }].filter(
      (r) => r.offset >= end || latest.get(r.key) === r.offset,
    );
    assert.deepEqual(
      readRecords(log).map((r) => ({ offset: r.offset, key: r.key, value: r.value })),
      expected,
    );
    assert.ok(log.size < sizeAfterCut / 2, `cleaned: ${sizeAfterCut} -> ${log.size} bytes`);
    assert.deepEqual(cleanedFiles(), []);
  } finally {
    await store.close();
  }
}

describe('log cleaner vs truncation', () => {
  it('a truncation while the pass builds its offset map abandons the pass', () => truncateMidPass('offset map'));
  it('a truncation while the pass writes a cleaned segment abandons the pass and drops the segment', () => truncateMidPass('writing'));
});
