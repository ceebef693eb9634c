// The log cleaner's worker thread (storage/cleaner-worker.ts, issue 14 item 3): on the real disk a
// pass over a large log (16 MiB and up) runs in the worker, which writes the `.cleaned` segments;
// the main thread swaps them in. The result is what the in-thread cleaner keeps (the latest record
// per key), and a truncation while the worker runs abandons the pass (its files removed, the log
// as truncated). One store of ~25 MiB in a temporary directory.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { buildBatch } from '../../protocol/records/index.js';
import { VirtualClock } from '../../storage/clock.js';
import { openDiskStore, type DiskStore } from '../../storage/disk-store.js';
import type { DiskPartitionLog } from '../../storage/partition-log.js';
import { TOPIC_ID, captureLogger, config, readRecords, removeDir, tempDir } from './storage-helpers.js';

const T0 = 1_700_000_000_000;
const KEYS = 100;
const BATCHES = 400; // x 64 records of 1 KB: ~25 MiB, 20 of them cleanable (past the 16 MiB for the worker)
const value = Buffer.alloc(1000, 0x61);

function fill(log: DiskPartitionLog): Map<string, string> {
  const latest = new Map<string, string>();
  for (let n = 0; n < BATCHES; n++) {
    const records = Array.from({ length: 64 }, (_, i) => {
      const key = `key-${(n * 64 + i) % KEYS}`;
      const v = `${n}-${i}-${value.toString()}`;
      latest.set(key, v);
      return { key, value: v, timestamp: T0 };
    });
    log.append(buildBatch({ records }), 0);
  }
  return latest;
}

async function idle(store: DiskStore): Promise<void> {
  while (store.manager.busy()) await sleep(10);
}

const leftovers = (dir: string) => fs.readdirSync(dir).filter((f) => /\.(cleaned|swap)$/.test(f));

describe('log cleaner worker thread', () => {
  it('cleans a large log off the event loop and abandons a pass when the log is truncated', async () => {
    const root = tempDir();
    const { logger, lines } = captureLogger();
    const store = await openDiskStore({
      dataDir: root,
      nodeId: 1,
      clock: new VirtualClock(T0),
      logger,
      settings: { cleanerBackoffMs: 1e9 },
    });
    try {
      const cfg = config({ segmentBytes: 4 * 1024 * 1024, cleanupPolicy: ['compact'], minCleanableDirtyRatio: 0.1 });
      const log = store.openLog('big', 0, TOPIC_ID, cfg) as DiskPartitionLog;
      fill(log);
      const end = log.logEndOffset;
      const segments = log.segmentBaseOffsets.length;

      // A truncation while the worker writes: the result is dropped, nothing cleaned.
      assert.equal(store.manager.runCleaner(), 0);
      assert.ok(store.manager.busy(), 'the pass runs in the worker');
      assert.ok((store.manager as unknown as { worker: unknown }).worker, 'the cleaner started its worker thread');
      const cut = end - 64 * 10;
      log.truncateTo(cut);
      await idle(store);
      assert.ok(lines.some((l) => l.msg === 'aborted cleaning of big-0 for a truncation'));
      assert.equal(log.firstDirtyOffset, null);
      assert.equal(log.logEndOffset, cut);
      assert.deepEqual(leftovers(`${root}/big-0`), []);
      assert.equal(log.segmentBaseOffsets.length, segments);

      // Again without interruption: the latest record per key below the cleaned end, everything after it.
      const sizeBefore = log.size;
      assert.equal(store.manager.runCleaner(), 0);
      await idle(store);
      const cleanedTo = log.firstDirtyOffset;
      assert.ok(cleanedTo !== null && cleanedTo > 0, `cleaned to ${cleanedTo}`);
      assert.ok(log.size < sizeBefore / 2, `${sizeBefore} -> ${log.size} bytes`);
      assert.deepEqual(leftovers(`${root}/big-0`), []);
      const records = readRecords(log);
      const below = records.filter((r) => r.offset < cleanedTo);
      assert.equal(new Set(below.map((r) => r.key)).size, below.length, 'one record per key below the cleaned end');
      assert.equal(records.at(-1)!.offset, cut - 1);
      for (let i = 1; i < records.length; i++) assert.ok(records[i]!.offset > records[i - 1]!.offset);
      // Every key's newest value is still there (the newest of each is at or past the cleaned end, or kept).
      const newest = new Map(records.map((r) => [r.key, r.value]));
      assert.equal(newest.size, KEYS);
      assert.equal(lines.filter((l) => l.level === 'error').length, 0);
    } finally {
      await store.close();
      removeDir(root);
    }
  });
});
