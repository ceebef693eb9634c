// Descriptors the disk store holds (issue 15: 10,000 partitions and 5,000 connections within a
// 20,000-descriptor limit): one per partition (its active segment's .log), none for indexes
// (index-file.ts writes entries in batches, open-write-close), and a bounded, shared set for reads
// of inactive segments (read-descriptors.ts), however many segments are read.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openDiskStore } from '../../storage/disk-store.js';
import { MemoryFileSystem } from '../../storage/fs/memory-fs.js';
import { READ_DESCRIPTORS_MAX, readDescriptors } from '../../storage/read-descriptors.js';
import { TOPIC_ID, concat, config, parseBatches, simpleBatch } from './storage-helpers.js';

const ALL = { maxBytes: 1 << 24, maxOffset: Number.MAX_SAFE_INTEGER, minOneBatch: false };

describe('descriptors held by the disk store', () => {
  it('one per partition with records, however many index entries; the indexes reach the files by close', async () => {
    const memfs = new MemoryFileSystem();
    let store = await openDiskStore({ dataDir: '/data', nodeId: 1, fs: memfs });
    const base = memfs.openDescriptors;
    const logs = Array.from({ length: 300 }, (_, p) => store.openLog('t', p, TOPIC_ID, config({ indexIntervalBytes: 1 })));
    for (const log of logs) for (let i = 0; i < 5; i++) log.append(simpleBatch(2, 1000 + i), 0);
    assert.equal(memfs.openDescriptors - base, 300, 'the active .log of each partition, no index descriptor');
    await store.close();
    assert.equal(memfs.readFile('/data/t-7/00000000000000000000.index').length, 4 * 8, 'an entry per append after the first');
    assert.equal(memfs.readFile('/data/t-7/00000000000000000000.timeindex').length, 4 * 12);

    store = await openDiskStore({ dataDir: '/data', nodeId: 1, fs: memfs });
    assert.equal(store.hadCleanShutdown, true);
    const reopened = Array.from({ length: 300 }, (_, p) => store.openLog('t', p, TOPIC_ID, config({ indexIntervalBytes: 1 })));
    for (const log of reopened) assert.equal(log.logEndOffset, 10);
    await store.close();
  });

  it(`reads of more inactive segments than ${READ_DESCRIPTORS_MAX} hold at most that many descriptors`, async () => {
    const memfs = new MemoryFileSystem();
    const store = await openDiskStore({ dataDir: '/data', nodeId: 1, fs: memfs });
    const base = memfs.openDescriptors;
    const log = store.openLog('t', 0, TOPIC_ID, config({ segmentBytes: 100, indexIntervalBytes: 1 }));
    const batches: Buffer[] = [];
    const segments = READ_DESCRIPTORS_MAX + 100;
    for (let i = 0; i < segments; i++) {
      const b = simpleBatch(1, 1000 + i, 40);
      log.append(b, 0);
      batches.push(b);
    }
    assert.equal(memfs.openDescriptors - base, 1, 'rolled segments closed their .log');
    // Read everything from the start, batch by batch, then look up by timestamp (the time indexes).
    const read: Buffer[] = [];
    for (let offset = 0; offset < segments; offset++) {
      read.push(...log.read(offset, { ...ALL, maxBytes: 1, minOneBatch: true }).chunks);
      assert.ok(memfs.openDescriptors - base <= 1 + READ_DESCRIPTORS_MAX);
    }
    const { batches: parsed } = parseBatches(concat(read));
    assert.deepEqual(
      parsed.map((b) => b.baseOffset),
      batches.map((_, i) => i),
    );
    assert.equal(log.offsetForTimestamp(1000 + 7, Number.MAX_SAFE_INTEGER)?.offset, 7);
    assert.equal(readDescriptors.size, READ_DESCRIPTORS_MAX);
    await store.close();
    assert.equal(memfs.openDescriptors, 0);
    assert.equal(readDescriptors.size, 0, 'closing the segments released their read descriptors');
  });

  it('a power cut that drops the descriptors of held reads does not break later reads or evictions', async () => {
    const memfs = new MemoryFileSystem();
    let store = await openDiskStore({ dataDir: '/data', nodeId: 1, fs: memfs });
    let log = store.openLog('t', 0, TOPIC_ID, config({ segmentBytes: 100 }));
    for (let i = 0; i < 5; i++) log.append(simpleBatch(1, 1000 + i, 40), 0);
    log.flush();
    assert.equal(parseBatches(concat(log.read(0, ALL).chunks)).batches.length, 5);
    assert.ok(readDescriptors.size > 0, 'reads of the rolled segments hold descriptors');
    memfs.powerCut(); // the store is never closed: its held descriptors are gone with the handles
    store = await openDiskStore({ dataDir: '/data', nodeId: 1, fs: memfs });
    log = store.openLog('t', 0, TOPIC_ID, config({ segmentBytes: 100 }));
    assert.equal(parseBatches(concat(log.read(0, ALL).chunks)).batches.length, 5);
    // Enough reads of other segments to evict the entries held for the old store's segments.
    const stale = readDescriptors.size;
    for (let i = 5; i < READ_DESCRIPTORS_MAX + 10; i++) log.append(simpleBatch(1, 1000 + i, 40), 0);
    for (let offset = 0; offset < READ_DESCRIPTORS_MAX + 10; offset++) log.read(offset, { ...ALL, maxBytes: 1, minOneBatch: true });
    assert.ok(stale > 5 && readDescriptors.size === READ_DESCRIPTORS_MAX, `evicted past the ${stale} held`);
    await store.close();
  });
});
