// Retention deleting many segments gives the event loop back (issue 14, item 3): the segments leave
// the log at once (log start offset, size), their files are renamed `.deleted` a few segments per
// turn of the event loop (LogManager.retireLater), and a truncation of the log finishes the
// renames before it changes the directory. Over the in-memory file system.

import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { VirtualClock } from '../../storage/clock.js';
import { openDiskStore } from '../../storage/disk-store.js';
import { MemoryFileSystem } from '../../storage/fs/memory-fs.js';
import type { DiskPartitionLog } from '../../storage/partition-log.js';
import { TOPIC_ID, config, simpleBatch } from './storage-helpers.js';

const T0 = 1_700_000_000_000;
const SEGMENTS = 100;

async function withLog(fn: (log: DiskPartitionLog, memfs: MemoryFileSystem, busy: () => boolean) => Promise<void>): Promise<void> {
  const memfs = new MemoryFileSystem();
  const settings = { cleanerEnable: false, retentionCheckIntervalMs: 1e9 };
  const store = await openDiskStore({ dataDir: '/data', nodeId: 1, fs: memfs, clock: new VirtualClock(T0), settings });
  try {
    // One batch per segment; retention.bytes=1 deletes every segment but the active one.
    const log = store.openLog(
      'r',
      0,
      TOPIC_ID,
      config({ segmentBytes: 200, retentionBytes: 1, fileDeleteDelayMs: 1e9 }),
    ) as DiskPartitionLog;
    for (let i = 0; i <= SEGMENTS; i++) log.append(simpleBatch(1, T0, 100), 0);
    assert.equal(log.segmentBaseOffsets.length, SEGMENTS + 1);
    await fn(log, memfs, () => store.manager.busy());
  } finally {
    await store.close();
  }
}

const files = (memfs: MemoryFileSystem, suffix: string) => memfs.readdir('/data/r-0').filter((f) => f.endsWith(suffix));

describe('retention of many segments in the background', () => {
  it('takes the segments out at once and renames their files over later turns', () =>
    withLog(async (log, memfs, busy) => {
      assert.equal(log.deleteOldSegments(T0), SEGMENTS);
      assert.equal(log.logStartOffset, SEGMENTS);
      assert.deepEqual(log.segmentBaseOffsets, [SEGMENTS]);
      const renamedAtOnce = files(memfs, '.log.deleted').length;
      assert.ok(renamedAtOnce < SEGMENTS, `${renamedAtOnce} renamed in the retention call`);
      assert.ok(busy());
      while (busy()) await nextTurn();
      assert.equal(files(memfs, '.log.deleted').length, SEGMENTS);
      assert.deepEqual(files(memfs, '.log'), [`${String(SEGMENTS).padStart(20, '0')}.log`]);
    }));

  it('a truncation finishes the pending renames first', () =>
    withLog(async (log, memfs, busy) => {
      assert.equal(log.deleteOldSegments(T0), SEGMENTS);
      assert.ok(busy());
      // Below the remaining segment: the log starts over at offset 50, a base a retired segment had.
      assert.equal(log.truncateTo(50), true);
      assert.equal(files(memfs, '.log.deleted').length, SEGMENTS + 1);
      assert.deepEqual(files(memfs, '.log'), ['00000000000000000050.log']);
      assert.equal(busy(), false);
      log.append(simpleBatch(1, T0, 100), 0);
      assert.equal(log.logEndOffset, 51);
      assert.equal(memfs.stat('/data/r-0/00000000000000000050.log').size > 0, true);
    }));
});
