// The clean stop of many logs (issue 15): the logs' fsyncs run together once every log is closed
// (storage/fs/deferred-sync.ts), before the checkpoints and `.kafka_cleanshutdown`; a log untouched
// since a clean restart costs no fsync at all (its final time index entry is kept, not rewritten).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { openDiskStore, type DiskStore } from '../../storage/disk-store.js';
import { DeferredSyncFs } from '../../storage/fs/deferred-sync.js';
import { MemoryFileSystem } from '../../storage/fs/memory-fs.js';
import { writeProducerSnapshot } from '../../storage/producer-state-files.js';
import { decodeProducerSnapshot } from '../../storage/producer-state-snapshot.js';
import { DiskFaults } from '../../storage/fs/memory-fs-faults.js';
import { TOPIC_ID, captureLogger, config, removeDir, simpleBatch, tempDir } from './storage-helpers.js';

const PARTITIONS = 40;

/** The memory file system, counting fsyncs of files (not directories). */
class CountingFs extends MemoryFileSystem {
  fsyncs = 0;
  dirSyncs = 0;
  override fsync(fd: number): void {
    this.fsyncs++;
    super.fsync(fd);
  }
  override fsyncDir(dir: string): void {
    this.dirSyncs++;
    super.fsyncDir(dir);
  }
}

function openAll(store: DiskStore) {
  return Array.from({ length: PARTITIONS }, (_, p) => store.openLog('t', p, TOPIC_ID, config()));
}

describe('clean stop of many logs', () => {
  it('flushes every log before the checkpoints and the marker; a power cut after it loses nothing', async () => {
    const memfs = new CountingFs();
    let store = await openDiskStore({ dataDir: '/data', nodeId: 1, fs: memfs });
    for (const [p, log] of openAll(store).entries()) log.append(simpleBatch(1 + (p % 3), 1000 + p), 0);
    await store.close();
    assert.ok(memfs.exists('/data/.kafka_cleanshutdown'));
    memfs.powerCut();

    store = await openDiskStore({ dataDir: '/data', nodeId: 1, fs: memfs });
    assert.equal(store.hadCleanShutdown, true);
    const checkpoint = memfs.readFile('/data/recovery-point-offset-checkpoint').toString();
    for (const [p, log] of openAll(store).entries()) {
      assert.equal(log.logEndOffset, 1 + (p % 3), `t-${p} kept its records`);
      assert.match(checkpoint, new RegExp(`^t ${p} ${1 + (p % 3)}$`, 'm'));
    }
    // (Power-cut segments get their indexes rebuilt: the empty .index never reached the disk.)
    await store.close();
    store = await openDiskStore({ dataDir: '/data', nodeId: 1, fs: memfs });
    openAll(store);
    const timeIndexes = () => Array.from({ length: PARTITIONS }, (_, p) => memfs.readFile(`/data/t-${p}/00000000000000000000.timeindex`));
    const before = timeIndexes();
    for (const ti of before) assert.equal(ti.length, 12, 'the final time index entry was written at the first stop');

    // Nothing appended since the restart: the second stop syncs no log file (only the marker).
    memfs.fsyncs = 0;
    await store.close();
    assert.equal(memfs.fsyncs, 1, 'only .kafka_cleanshutdown is fsynced');
    assert.deepEqual(timeIndexes(), before);

    // A third run still finds each segment's largest timestamp (the kept final entry).
    store = await openDiskStore({ dataDir: '/data', nodeId: 1, fs: memfs });
    for (const [p, log] of openAll(store).entries()) {
      log.append(simpleBatch(1, 500), 0); // older than the segment's maximum: no new time index entry
      assert.equal(log.logEndOffset, 2 + (p % 3));
    }
    await store.close();
    for (const [p, ti] of timeIndexes().entries()) assert.equal(ti.readBigInt64BE(0), BigInt(1000 + p + (p % 3)));
  });

  it("the last writes (the producer snapshots) join the logs' batch: no fsync while they are written, all durable once close() resolves", async () => {
    const memfs = new CountingFs();
    const store = await openDiskStore({ dataDir: '/data', nodeId: 1, fs: memfs });
    const logs = openAll(store);
    for (const log of logs) log.append(simpleBatch(2, 1000), 0);
    let syncedMeanwhile = -1;
    await store.close(() => {
      const before = memfs.fsyncs + memfs.dirSyncs;
      for (const log of logs) writeProducerSnapshot(log.dir!, log.logEndOffset, [], log.fs);
      syncedMeanwhile = memfs.fsyncs + memfs.dirSyncs - before;
    });
    assert.equal(syncedMeanwhile, 0, 'the snapshots file and directory fsyncs wait for the batch');
    assert.ok(memfs.dirSyncs >= PARTITIONS, `each partition directory synced at the batch (${memfs.dirSyncs})`);
    memfs.powerCut();
    for (let p = 0; p < PARTITIONS; p++)
      assert.deepEqual(
        decodeProducerSnapshot(memfs.readFile(`/data/t-${p}/00000000000000000002.snapshot`)),
        [],
        `t-${p}'s snapshot survived`,
      );
  });

  it('a failed fsync at the stop leaves no clean-shutdown marker and no new checkpoint', async () => {
    const memfs = new MemoryFileSystem();
    const faults = new DiskFaults(memfs);
    const { logger, lines } = captureLogger();
    let store = await openDiskStore({ dataDir: '/data', nodeId: 1, fs: memfs, logger });
    for (const log of openAll(store)) log.append(simpleBatch(2, 1000), 0);
    faults.failFsync({ path: '/data/t-7/00000000000000000000.log' });
    await assert.rejects(store.close(), { code: 'EIO' });
    assert.equal(memfs.exists('/data/.kafka_cleanshutdown'), false);
    assert.equal(memfs.exists('/data/recovery-point-offset-checkpoint'), false);
    assert.ok(lines.some((l) => l.level === 'error' && l.msg === 'failed to flush logs'));
    memfs.powerCut();

    store = await openDiskStore({ dataDir: '/data', nodeId: 1, fs: memfs, logger });
    assert.equal(store.hadCleanShutdown, false);
    const logs = openAll(store);
    assert.equal(logs[7]!.logEndOffset, 0, 'the unsynced batch is gone after the power cut');
    assert.equal(logs[8]!.logEndOffset, 2, 'the others were synced before the failure was reported');
    await store.close();
  });

  it('over the real disk: several fsyncs in flight, the data and the marker there after', async () => {
    const dir = tempDir();
    try {
      let store = await openDiskStore({ dataDir: dir, nodeId: 1 });
      for (const log of openAll(store)) log.append(simpleBatch(3, 1000), 0);
      await store.close();
      assert.ok(fs.existsSync(path.join(dir, '.kafka_cleanshutdown')));
      store = await openDiskStore({ dataDir: dir, nodeId: 1 });
      assert.equal(store.hadCleanShutdown, true);
      for (const log of openAll(store)) assert.equal(log.logEndOffset, 3);
      await store.close();
    } finally {
      removeDir(dir);
    }

    // The wrapper itself: noted fsyncs run concurrently at settle(), a noted descriptor closed before settle() is synced by path.
    const memfs = new MemoryFileSystem();
    memfs.mkdir('/d');
    let inFlight = 0;
    let most = 0;
    const order: string[] = [];
    const base = Object.assign(Object.create(memfs) as MemoryFileSystem, {
      async fsyncAsync(fd: number) {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setImmediate(r));
        memfs.fsync(fd);
        order.push(`sync ${fd}`);
        inFlight--;
      },
      close(fd: number) {
        order.push(`close ${fd}`);
        memfs.close(fd);
      },
    });
    const deferred = new DeferredSyncFs(base);
    const fds = Array.from({ length: 8 }, (_, i) => deferred.open(`/d/f${i}`, 'create'));
    deferred.defer();
    for (const fd of fds) {
      deferred.write(fd, Buffer.from('x'), 0, 1, 0);
      deferred.fsync(fd);
      deferred.close(fd);
    }
    assert.equal(memfs.openDescriptors, 0, 'a noted descriptor closes at once (its file is reopened to sync at settle())');
    assert.equal(order.filter((o) => o.startsWith('sync')).length, 0);
    await deferred.settle();
    assert.ok(most > 1, `fsyncs ran concurrently (at most ${most} at once)`);
    assert.ok(most <= 16, `at most 16 files open to sync at once (${most})`);
    assert.equal(order.filter((o) => o.startsWith('sync')).length, 8);
    assert.equal(memfs.openDescriptors, 0);
    memfs.powerCut();
    assert.equal(memfs.readFile('/d/f3').toString(), 'x');
  });
});
