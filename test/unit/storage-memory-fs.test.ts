// The in-memory file system (storage/fs/memory-fs.ts): POSIX-like results, what a power cut keeps,
// and the disk store's own segment, index, checkpoint and recovery code running over it.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openDiskStore } from '../../storage/disk-store.js';
import { MemoryFileSystem } from '../../storage/fs/memory-fs.js';
import { MemoryStore } from '../../storage/memory-store.js';
import { scanCounters } from '../../storage/segment-file.js';
import type { DiskPartitionLog } from '../../storage/partition-log.js';
import { TOPIC_ID, captureLogger, config, simpleBatch } from './storage-helpers.js';

describe('MemoryFileSystem', () => {
  it('reads, writes at positions, truncates, renames and lists like a disk', () => {
    const fs = new MemoryFileSystem();
    fs.mkdir('/d/e');
    const fd = fs.open('/d/e/a', 'create');
    assert.equal(fs.write(fd, Buffer.from('hello'), 0, 5, 0), 5);
    assert.equal(fs.write(fd, Buffer.from('XY'), 0, 2, 7), 2);
    assert.deepEqual(fs.readFile('/d/e/a'), Buffer.from('hello\0\0XY'));
    fs.truncate(fd, 4);
    assert.equal(fs.size(fd), 4);
    const buf = Buffer.alloc(10);
    assert.equal(fs.read(fd, buf, 0, 10, 1), 3);
    assert.equal(buf.subarray(0, 3).toString(), 'ell');
    fs.close(fd);
    fs.append('/d/e/b', Buffer.from('1'));
    fs.append('/d/e/b', Buffer.from('2'));
    fs.rename('/d/e/b', '/d/e/c');
    assert.deepEqual(fs.readdir('/d/e'), ['a', 'c']);
    assert.equal(fs.readFile('/d/e/c').toString(), '12');
    assert.throws(() => fs.open('/d/e/missing', 'read'), { code: 'ENOENT' });
    assert.throws(() => fs.open('/nodir/x', 'create'), { code: 'ENOENT' });
    assert.throws(() => fs.close(fd), { code: 'EBADF' });
    fs.remove('/d', { recursive: true });
    assert.equal(fs.exists('/d/e/a'), false);
    assert.equal(fs.exists('/d'), false);
  });

  it('a power cut keeps fsynced bytes and durable directory entries only', () => {
    const fs = new MemoryFileSystem();
    fs.mkdir('/d');
    const fd = fs.open('/d/synced', 'create');
    fs.write(fd, Buffer.from('abc'), 0, 3, 0);
    fs.fsync(fd); // contents and its own entry
    fs.write(fd, Buffer.from('def'), 0, 3, 3);
    const other = fs.open('/d/never-synced', 'create');
    fs.write(other, Buffer.from('zzz'), 0, 3, 0);
    fs.append('/d/dir-synced-only', Buffer.from('qqq'));
    fs.fsyncDir('/d'); // entries of /d durable, contents of the unsynced files are not
    fs.rename('/d/synced', '/d/renamed'); // not durable until /d is synced again
    fs.powerCut();
    assert.deepEqual(fs.readdir('/d'), ['dir-synced-only', 'never-synced', 'synced']);
    assert.equal(fs.readFile('/d/synced').toString(), 'abc');
    assert.equal(fs.readFile('/d/never-synced').length, 0);
    assert.equal(fs.readFile('/d/dir-synced-only').length, 0);
    assert.equal(fs.openDescriptors, 0);
    assert.throws(() => fs.fsync(fd), { code: 'EBADF' });
  });

  it('a rewrite after fsync is lost back to the synced bytes, a truncation too', () => {
    const fs = new MemoryFileSystem();
    fs.mkdir('/d');
    const fd = fs.open('/d/f', 'create');
    fs.write(fd, Buffer.from('0123456789'), 0, 10, 0);
    fs.fsync(fd);
    fs.write(fd, Buffer.from('AB'), 0, 2, 2);
    fs.truncate(fd, 5);
    assert.equal(fs.readFile('/d/f').toString(), '01AB4');
    fs.powerCut();
    assert.equal(fs.readFile('/d/f').toString(), '0123456789');
  });
  it('a removal or rename is undone by a power cut until its directory is synced; appends after fsync are not kept', () => {
    const fs = new MemoryFileSystem();
    fs.mkdir('/d/sub');
    fs.append('/d/sub/a', Buffer.from('aaa'));
    fs.append('/d/b', Buffer.from('bbb'));
    const fd = fs.open('/d/sub/a', 'write');
    fs.fsync(fd);
    fs.write(fd, Buffer.from('AAA'), 0, 3, 3); // past the synced bytes
    fs.close(fd);
    fs.fsyncDir('/d');
    fs.remove('/d/sub', { recursive: true });
    fs.rename('/d/b', '/d/c');
    assert.deepEqual(fs.readdir('/d'), ['c']);
    fs.powerCut();
    assert.deepEqual(fs.readdir('/d'), ['b', 'sub']);
    assert.equal(fs.readFile('/d/sub/a').toString(), 'aaa');
    fs.remove('/d/sub', { recursive: true });
    fs.fsyncDir('/d');
    fs.powerCut();
    assert.deepEqual(fs.readdir('/d'), ['b']);
  });

  it('a clone is an independent copy of live and durable contents', () => {
    const fs = new MemoryFileSystem();
    fs.mkdir('/d');
    const fd = fs.open('/d/f', 'create');
    fs.write(fd, Buffer.from('12345'), 0, 5, 0);
    fs.fsync(fd);
    fs.write(fd, Buffer.from('67'), 0, 2, 5);
    const copy = fs.clone();
    fs.write(fd, Buffer.from('X'), 0, 1, 0);
    fs.append('/d/g', Buffer.from('new'));
    assert.equal(copy.readFile('/d/f').toString(), '1234567');
    assert.deepEqual(copy.readdir('/d'), ['f']);
    const cfd = copy.open('/d/f', 'write');
    copy.write(cfd, Buffer.from('Y'), 0, 1, 1);
    assert.equal(fs.readFile('/d/f').toString(), 'X234567');
    copy.powerCut();
    assert.equal(copy.readFile('/d/f').toString(), '12345');
    fs.replaceTree('/d', copy);
    assert.deepEqual(fs.readdir('/d'), ['f']);
    assert.equal(fs.readFile('/d/f').toString(), '12345');
  });
});

describe('the disk store over the memory file system', () => {
  it('stores, restarts cleanly and recovers after a power cut with the same code as on disk', async () => {
    const fs = new MemoryFileSystem();
    const { logger, lines } = captureLogger();
    const cfg = config({ segmentBytes: 400, indexIntervalBytes: 1 });
    let store = await openDiskStore({ dataDir: '/data', nodeId: 1, fs, logger });
    let log = store.openLog('t', 0, TOPIC_ID, cfg) as DiskPartitionLog;
    for (let i = 0; i < 10; i++) log.append(simpleBatch(2, 1000 + i), 0);
    assert.ok(log.segmentList.length > 2, 'rolled');
    assert.ok(fs.readdir('/data/t-0').includes('00000000000000000000.index'));
    await store.close();
    assert.ok(fs.exists('/data/.kafka_cleanshutdown'));
    assert.match(fs.readFile('/data/recovery-point-offset-checkpoint').toString(), /^0\n1\nt 0 20\n$/);

    store = await openDiskStore({ dataDir: '/data', nodeId: 1, fs, logger });
    log = store.openLog('t', 0, TOPIC_ID, cfg) as DiskPartitionLog;
    assert.equal(log.logEndOffset, 20);
    log.append(simpleBatch(2, 2000), 0);
    log.flush();
    log.append(simpleBatch(2, 2001), 0); // never fsynced
    fs.powerCut();

    store = await openDiskStore({ dataDir: '/data', nodeId: 1, fs, logger });
    log = store.openLog('t', 0, TOPIC_ID, cfg) as DiskPartitionLog;
    assert.equal(log.logEndOffset, 22, 'the flushed batch survives, the unflushed one is gone');
    const read = log.read(20, { maxBytes: 1 << 20, maxOffset: log.logEndOffset, minOneBatch: true });
    assert.ok(read.bytes > 0);
    await store.close();
    assert.equal(lines.filter((l) => l.level === 'error').length, 0);
  });

  it("a store image reloads each log as it was, without a recovery scan (the test kit's snapshot/restore)", async () => {
    const store = new MemoryStore({ logger: captureLogger().logger });
    const cfg = config({ segmentBytes: 400, indexIntervalBytes: 1 });
    const log = store.openLog('t', 0, TOPIC_ID, cfg) as DiskPartitionLog;
    for (let i = 0; i < 12; i++) log.append(simpleBatch(2, 5000 - i * 10), 0);
    log.deleteRecordsBefore(3);
    assert.ok(log.segmentList.length > 2, 'rolled');
    const view = (l: DiskPartitionLog) => ({
      start: l.logStartOffset,
      end: l.logEndOffset,
      recoveryPoint: l.recoveryPoint,
      segments: l.segmentBaseOffsets,
      indexEntries: l.segmentList.map((seg) => [seg.offsetIndex.entries, seg.timeIndex.entries]),
      size: l.size,
      max: l.maxTimestamp(l.logEndOffset),
      byTime: l.offsetForTimestamp(4925, l.logEndOffset),
      bytes: Buffer.concat(l.read(l.logStartOffset, { maxBytes: 1 << 20, maxOffset: l.logEndOffset, minOneBatch: true }).chunks),
    });
    const before = view(log);
    const image = store.image();
    log.append(simpleBatch(3, 9000), 0); // after the image: not in it
    store.deleteLog('t', 0);

    const validated = scanCounters.batchesValidated;
    store.restoreDirs(image, ['t-0']);
    const back = store.openLog('t', 0, TOPIC_ID, cfg) as DiskPartitionLog;
    assert.equal(scanCounters.batchesValidated, validated, 'no batch scanned');
    assert.deepEqual(view(back), before);
    back.append(simpleBatch(1, 9100), 0);
    assert.equal(back.logEndOffset, before.end + 1);
    await store.close();
  });
});
