// Disk faults injected through the memory file system (storage/fs/memory-fs-faults.ts) into the
// disk store's own code: checkpoints are old or new across a crash at every step and byte of
// their write, a failed append leaves no partial batch and takes the directory offline, short
// writes are completed.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KafkaStorageError } from '../../protocol/errors.js';
import { DataDirCheckpoints, RECOVERY_POINT_CHECKPOINT, partitionKey } from '../../storage/checkpoint-file.js';
import { openDiskStore } from '../../storage/disk-store.js';
import { DiskFaults } from '../../storage/fs/memory-fs-faults.js';
import { MemoryFileSystem } from '../../storage/fs/memory-fs.js';
import type { DiskPartitionLog } from '../../storage/partition-log.js';
import { TOPIC_ID, captureLogger, config, parseBatches, simpleBatch } from './storage-helpers.js';

const OLD = new Map([[partitionKey('t', 0), 10]]);
const NEW = new Map([
  [partitionKey('t', 0), 20],
  [partitionKey('u', 3), 7],
]);

function checkpointOnDisk(): { fs: MemoryFileSystem; faults: DiskFaults } {
  const fs = new MemoryFileSystem();
  fs.mkdir('/data');
  const faults = new DiskFaults(fs);
  new DataDirCheckpoints('/data', captureLogger().logger, fs).write(RECOVERY_POINT_CHECKPOINT, OLD);
  return { fs, faults };
}

function readBack(fs: MemoryFileSystem): Map<string, number> {
  return new Map(new DataDirCheckpoints('/data', captureLogger().logger, fs).initial(RECOVERY_POINT_CHECKPOINT));
}

describe('checkpoint files across a crash', () => {
  for (const [unit, after] of [
    ['operation', 'power cut'],
    ['byte', 'power cut'],
    ['operation', 'process crash'],
    ['byte', 'process crash'],
  ] as const) {
    it(`are old or new, never partial, whichever ${unit} a ${after} comes after`, () => {
      const seen = { old: 0, new: 0 };
      for (let n = 0; ; n++) {
        const { fs, faults } = checkpointOnDisk();
        if (unit === 'operation') faults.crashAfterOps(n);
        else faults.crashAfterBytes(n);
        let completed = true;
        try {
          new DataDirCheckpoints('/data', captureLogger().logger, fs).write(RECOVERY_POINT_CHECKPOINT, NEW);
        } catch (err) {
          assert.equal((err as NodeJS.ErrnoException).code, 'EIO');
          completed = false;
        }
        const crashed = faults.hasCrashed;
        // A process crash keeps what reached the file system; a power cut only what was fsynced.
        if (after === 'power cut') faults.powerCut();
        else faults.clear();
        const got = readBack(fs);
        if (completed && !crashed) {
          assert.deepEqual(got, NEW, 'a write that completed is durable');
          break;
        }
        if (got.size === OLD.size && got.get(partitionKey('t', 0)) === 10) seen.old++;
        else {
          assert.deepEqual(got, NEW, `crash after ${n} ${unit}s: neither old nor new`);
          seen.new++;
        }
        assert.ok(n < 10_000, 'the write ends');
      }
      assert.ok(seen.old > 0, 'some crashes keep the old file');
    });
  }
});

describe('appends on a failing disk', () => {
  async function openLog(fs: MemoryFileSystem) {
    const store = await openDiskStore({ dataDir: '/data', nodeId: 1, fs, logger: captureLogger().logger });
    const log = store.openLog('t', 0, TOPIC_ID, config({ indexIntervalBytes: 1 })) as DiskPartitionLog;
    return { store, log };
  }

  for (const code of ['ENOSPC', 'EIO', 'EFBIG'] as const) {
    it(`${code} in the middle of a batch leaves no partial batch, in the file or after a power cut`, async () => {
      const fs = new MemoryFileSystem();
      const faults = new DiskFaults(fs);
      const { log } = await openLog(fs);
      log.append(simpleBatch(3, 1000), 0);
      log.flush();
      // The first 30 bytes of the next batch are written, then the disk fails.
      faults.shortWrite(30, { path: '.log' });
      faults.inject({ path: '.log', error: code, times: 1 });
      assert.throws(
        () => log.append(simpleBatch(3, 2000), 0),
        (err) => err instanceof KafkaStorageError && (err.cause as NodeJS.ErrnoException).code === code,
      );
      assert.equal(log.logEndOffset, 3);
      // The directory is offline: nothing more is written to it (storage/log-dir-failure.ts).
      assert.throws(() => log.append(simpleBatch(1, 3000), 0), /^KafkaStorageError: Partition t-0 is on an offline log directory$/);
      assert.equal(faults.fired.length, 2);
      const bytes = fs.readFile('/data/t-0/00000000000000000000.log');
      assert.equal(parseBatches(bytes).partial, 0, 'the partial batch was cut off again');
      faults.powerCut();
      const again = await openLog(fs);
      assert.equal(again.log.logEndOffset, 3);
      assert.equal(parseBatches(fs.readFile('/data/t-0/00000000000000000000.log')).batches.length, 1);
      await again.store.close();
    });
  }

  it('short writes are completed by the segment code (the caller loops, as on a real disk)', async () => {
    const fs = new MemoryFileSystem();
    const faults = new DiskFaults(fs);
    const { store, log } = await openLog(fs);
    faults.shortWrite(7, { path: '.log', times: 3 });
    log.append(simpleBatch(5, 1000), 0);
    assert.equal(faults.fired.length, 3);
    const { batches, partial } = parseBatches(fs.readFile('/data/t-0/00000000000000000000.log'));
    assert.equal(batches.length, 1);
    assert.equal(partial, 0);
    await store.close();
  });
});
