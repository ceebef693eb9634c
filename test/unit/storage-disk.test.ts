// Disk store: files, segments, indexes, reopen and recovery.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { VirtualClock } from '../../storage/clock.js';
import { openDiskStore, type DiskStore } from '../../storage/disk-store.js';
import type { DiskPartitionLog } from '../../storage/partition-log.js';
import type { LogConfig } from '../../storage/types.js';
import { TOPIC_ID, buildBatch, captureLogger, concat, config, parseBatches, removeDir, simpleBatch, tempDir } from './storage-helpers.js';

const ALL = { maxBytes: 1 << 24, maxOffset: Number.MAX_SAFE_INTEGER, minOneBatch: false };

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => {
  removeDir(dir);
});

async function open(extra: Partial<Parameters<typeof openDiskStore>[0]> = {}): Promise<DiskStore> {
  return openDiskStore({ dataDir: dir, nodeId: 1, logger: captureLogger().logger, ...extra });
}

function openLog(store: DiskStore, cfg: LogConfig = config()): DiskPartitionLog {
  return store.openLog('orders', 0, TOPIC_ID, cfg) as DiskPartitionLog;
}

const partDir = () => path.join(dir, 'orders-0');
const file = (base: number, ext: string) => path.join(partDir(), `${String(base).padStart(20, '0')}.${ext}`);

/** Offset index entries as [relativeOffset, position] pairs. */
function readOffsetIndex(p: string): Array<[number, number]> {
  const b = fs.readFileSync(p);
  const out: Array<[number, number]> = [];
  for (let i = 0; i < b.length; i += 8) out.push([b.readInt32BE(i), b.readInt32BE(i + 4)]);
  return out;
}

/** Time index entries as [timestamp, relativeOffset] pairs. */
function readTimeIndex(p: string): Array<[number, number]> {
  const b = fs.readFileSync(p);
  const out: Array<[number, number]> = [];
  for (let i = 0; i < b.length; i += 12) out.push([Number(b.readBigInt64BE(i)), b.readInt32BE(i + 8)]);
  return out;
}

describe('disk store: segments and indexes', () => {
  it('rolls at segment.bytes and names segments by 20-digit base offset', async () => {
    const store = await open();
    const log = openLog(store, config({ segmentBytes: 300 }));
    const batches = Array.from({ length: 10 }, (_, i) => simpleBatch(1 + (i % 3), 1000 + i * 10, 20));
    const expectedBases: number[] = [0];
    let activeSize = 0;
    let next = 0;
    for (const b of batches) {
      if (activeSize > 0 && activeSize > 300 - b.length) {
        expectedBases.push(next);
        activeSize = 0;
      }
      const r = log.append(b, 0);
      next = r.lastOffset + 1;
      activeSize += b.length;
    }
    assert.ok(expectedBases.length >= 3);
    assert.deepEqual(log.segmentBaseOffsets, expectedBases);
    const logs = fs
      .readdirSync(partDir())
      .filter((f) => f.endsWith('.log'))
      .sort();
    assert.deepEqual(
      logs,
      expectedBases.map((b) => `${String(b).padStart(20, '0')}.log`),
    );
    for (const b of expectedBases) {
      assert.ok(fs.existsSync(file(b, 'index')) && fs.existsSync(file(b, 'timeindex')));
      const { batches: inFile, partial } = parseBatches(fs.readFileSync(file(b, 'log')));
      assert.equal(partial, 0);
      assert.equal(inFile[0]!.baseOffset, b);
    }
    assert.deepEqual(concat(log.read(0, ALL).chunks), concat(batches));
    await store.close();
  });

  it('adds an offset index entry when more than index.interval.bytes were appended since the last', async () => {
    const store = await open();
    const interval = 250;
    const log = openLog(store, config({ indexIntervalBytes: interval }));
    const expectedIndex: Array<[number, number]> = [];
    const expectedTime: Array<[number, number]> = [];
    let since = 0;
    let position = 0;
    let maxTs = -1;
    let offsetOfMax = -1;
    for (let i = 0; i < 30; i++) {
      const ts = 5000 + ((i * 37) % 23) * 10; // goes up and down
      const b = simpleBatch(1 + (i % 4), ts, 15);
      const r = log.append(b, 0);
      if (r.maxTimestamp > maxTs) {
        maxTs = r.maxTimestamp;
        offsetOfMax = r.lastOffset;
      }
      if (since > interval) {
        expectedIndex.push([r.lastOffset, position]);
        const last = expectedTime[expectedTime.length - 1];
        if (!last || maxTs > last[0]) expectedTime.push([maxTs, offsetOfMax]);
        since = 0;
      }
      since += b.length;
      position += b.length;
    }
    assert.ok(expectedIndex.length >= 5);
    // Entries reach the files in batches (index-file.ts), and at the latest when the log is flushed.
    assert.ok(readOffsetIndex(file(0, 'index')).length < expectedIndex.length, 'no descriptor held to write each entry through');
    log.flush();
    assert.deepEqual(readOffsetIndex(file(0, 'index')), expectedIndex);
    assert.deepEqual(readTimeIndex(file(0, 'timeindex')), expectedTime);
    await store.close();
    // Closing adds the final time index entry when the max grew after the last one.
    const last = expectedTime[expectedTime.length - 1]!;
    const final = last[0] < maxTs ? [...expectedTime, [maxTs, offsetOfMax]] : expectedTime;
    assert.deepEqual(readTimeIndex(file(0, 'timeindex')), final);
  });

  it('rolls on segment.ms using batch timestamps, and on wall-clock time without them', async () => {
    const clock = new VirtualClock(1_000_000);
    const store = await open({ clock });
    const log = openLog(store, config({ segmentMs: 1000 }));
    log.append(simpleBatch(1, 10_000), 0);
    log.append(simpleBatch(1, 11_000), 0); // waited exactly segment.ms: no roll
    log.append(simpleBatch(1, 11_001), 0); // > segment.ms since the first append's max timestamp
    assert.deepEqual(log.segmentBaseOffsets, [0, 2]);

    const noTs = store.openLog('nots', 0, TOPIC_ID, config({ segmentMs: 1000 })) as DiskPartitionLog;
    noTs.append(buildBatch([{ value: 'a', timestamp: -1 }]), 0);
    await clock.advance(999);
    noTs.append(buildBatch([{ value: 'b', timestamp: -1 }]), 0);
    await clock.advance(2);
    noTs.append(buildBatch([{ value: 'c', timestamp: -1 }]), 0);
    assert.deepEqual(noTs.segmentBaseOffsets, [0, 2]);
    await store.close();
  });

  it('rolls when an index is full (the time index one entry early)', async () => {
    const store = await open();
    // 40 bytes: offset index holds 5 entries, time index 3 and counts as full at 2.
    const log = openLog(store, config({ segmentIndexBytes: 40, indexIntervalBytes: 1 }));
    for (let i = 0; i < 7; i++) log.append(simpleBatch(1, 100 + i), 0);
    // Appends 2 and 3 add entries; the time index is full before append 4, which rolls; and so on.
    assert.deepEqual(log.segmentBaseOffsets, [0, 3, 6]);
    await store.close();
  });
});

describe('disk store: reopen and recovery', () => {
  function writeSome(log: DiskPartitionLog, n: number, start = 0): Buffer[] {
    const out: Buffer[] = [];
    for (let i = start; i < start + n; i++) {
      const b = simpleBatch(1 + (i % 3), 10_000 + i * 5, 30);
      log.append(b, 0);
      out.push(b);
    }
    return out;
  }

  it('reopens with the same offsets, bytes and index files, and keeps appending', async () => {
    const cfg = config({ segmentBytes: 600, indexIntervalBytes: 100 });
    let store = await open();
    let log = openLog(store, cfg);
    const written = writeSome(log, 20);
    const leo = log.logEndOffset;
    const segments = log.segmentBaseOffsets;
    assert.ok(segments.length >= 3);
    const maxTs = log.maxTimestamp(leo);
    const byTime = log.offsetForTimestamp(10_050, leo);
    await store.close();
    const indexFiles = segments.map((b) => [fs.readFileSync(file(b, 'index')), fs.readFileSync(file(b, 'timeindex'))]);

    store = await open();
    assert.equal(store.hadCleanShutdown, true);
    assert.equal(fs.existsSync(path.join(dir, '.kafka_cleanshutdown')), false);
    log = openLog(store, cfg);
    assert.equal(log.logEndOffset, leo);
    assert.equal(log.highWatermark, leo);
    assert.equal(log.logStartOffset, 0);
    assert.deepEqual(log.segmentBaseOffsets, segments);
    assert.deepEqual(concat(log.read(0, ALL).chunks), concat(written));
    assert.deepEqual(log.maxTimestamp(leo), maxTs);
    assert.deepEqual(log.offsetForTimestamp(10_050, leo), byTime);
    segments.forEach((b, i) => {
      assert.deepEqual(fs.readFileSync(file(b, 'index')), indexFiles[i]![0]);
      assert.deepEqual(fs.readFileSync(file(b, 'timeindex')), indexFiles[i]![1]);
    });
    const more = writeSome(log, 3, 20);
    assert.equal(parseBatches(more[0]!).batches[0]!.baseOffset, leo);
    await store.close();

    store = await open();
    log = openLog(store, cfg);
    assert.deepEqual(concat(log.read(0, ALL).chunks), concat([...written, ...more]));
    await store.close();
  });

  it('truncates a partial last batch on reopen, keeping the valid prefix', async () => {
    let store = await open();
    let log = openLog(store, config({ indexIntervalBytes: 100 }));
    const written = writeSome(log, 6);
    await store.close();
    const lastSize = written[5]!.length;
    const full = fs.statSync(file(0, 'log')).size;
    fs.truncateSync(file(0, 'log'), full - Math.floor(lastSize / 2));

    const { logger, lines } = captureLogger();
    store = await open({ logger });
    log = openLog(store, config({ indexIntervalBytes: 100 }));
    const lastBase = parseBatches(written[5]!).batches[0]!.baseOffset;
    assert.equal(log.logEndOffset, lastBase);
    assert.deepEqual(concat(log.read(0, ALL).chunks), concat(written.slice(0, 5)));
    assert.equal(fs.statSync(file(0, 'log')).size, full - lastSize);
    const warns = lines.filter((l) => l.level === 'warn');
    assert.equal(warns.length, 1);
    assert.match(warns[0]!.msg!, /orders-0/);
    assert.match(warns[0]!.msg!, new RegExp(`\\[${full - lastSize}, ${full - Math.floor(lastSize / 2)}\\)`));
    const again = simpleBatch(2, 99_999);
    assert.equal(log.append(again, 0).baseOffset, lastBase);
    assert.deepEqual(concat(log.read(0, ALL).chunks), concat([...written.slice(0, 5), again]));
    await store.close();
  });

  it('truncates at a flipped byte in the last batch on reopen', async () => {
    let store = await open();
    let log = openLog(store, config({ segmentBytes: 400 }));
    const written = writeSome(log, 12);
    const segments = log.segmentBaseOffsets;
    await store.close();
    const lastSeg = segments[segments.length - 1]!;
    const bytes = fs.readFileSync(file(lastSeg, 'log'));
    const { batches } = parseBatches(bytes);
    const victim = batches[batches.length - 1]!;
    const fd = fs.openSync(file(lastSeg, 'log'), 'r+');
    fs.writeSync(fd, Buffer.from([bytes[victim.position + victim.size - 3]! ^ 0xff]), 0, 1, victim.position + victim.size - 3);
    fs.closeSync(fd);

    const { logger, lines } = captureLogger();
    store = await open({ logger });
    log = openLog(store, config({ segmentBytes: 400 }));
    assert.equal(log.logEndOffset, victim.baseOffset);
    assert.deepEqual(log.segmentBaseOffsets, segments);
    assert.deepEqual(concat(log.read(0, ALL).chunks), concat(written.slice(0, -1)));
    assert.equal(lines.filter((l) => l.level === 'warn').length, 1);
    assert.match(JSON.stringify(lines[0]!.obj), /crc mismatch/);
    await store.close();
  });

  it('after a crash, validates the whole last segment and cuts at the first bad batch', async () => {
    let store = await open();
    let log = openLog(store, config({ indexIntervalBytes: 50 }));
    const written = writeSome(log, 8);
    await store.abandon(); // no clean-shutdown marker
    const bytes = fs.readFileSync(file(0, 'log'));
    const victim = parseBatches(bytes).batches[2]!;
    const fd = fs.openSync(file(0, 'log'), 'r+');
    fs.writeSync(fd, Buffer.from([bytes[victim.position + 40]! ^ 0x01]), 0, 1, victim.position + 40);
    fs.closeSync(fd);

    const { logger, lines } = captureLogger();
    store = await open({ logger });
    assert.equal(store.hadCleanShutdown, false);
    log = openLog(store, config({ indexIntervalBytes: 50 }));
    assert.equal(log.logEndOffset, victim.baseOffset);
    assert.deepEqual(concat(log.read(0, ALL).chunks), concat(written.slice(0, 2)));
    assert.ok(readOffsetIndex(file(0, 'index')).every(([, pos]) => pos < victim.position));
    assert.ok(readTimeIndex(file(0, 'timeindex')).every(([, rel]) => rel < victim.baseOffset));
    assert.equal(lines.filter((l) => l.level === 'warn').length, 1);
    await store.close();
  });

  it('rebuilds deleted or corrupt index files', async () => {
    const cfg = config({ segmentBytes: 500, indexIntervalBytes: 60 });
    let store = await open();
    let log = openLog(store, cfg);
    const written = writeSome(log, 15);
    const segments = log.segmentBaseOffsets;
    await store.close();
    const first = segments[0]!;
    const last = segments[segments.length - 1]!;
    const before = {
      firstIndex: fs.readFileSync(file(first, 'index')),
      firstTime: fs.readFileSync(file(first, 'timeindex')),
      lastIndex: fs.readFileSync(file(last, 'index')),
      middleIndex: fs.readFileSync(file(segments[1]!, 'index')),
    };
    assert.ok(before.firstIndex.length > 0 && before.lastIndex.length > 0);
    fs.rmSync(file(first, 'index'));
    fs.rmSync(file(first, 'timeindex'));
    fs.rmSync(file(last, 'index'));
    fs.writeFileSync(file(segments[1]!, 'index'), Buffer.alloc(13, 0xff)); // not a multiple of 8

    store = await open();
    log = openLog(store, cfg);
    assert.deepEqual(fs.readFileSync(file(first, 'index')), before.firstIndex);
    assert.deepEqual(fs.readFileSync(file(first, 'timeindex')), before.firstTime);
    assert.deepEqual(fs.readFileSync(file(last, 'index')), before.lastIndex);
    assert.deepEqual(fs.readFileSync(file(segments[1]!, 'index')), before.middleIndex);
    assert.deepEqual(concat(log.read(0, ALL).chunks), concat(written));
    await store.close();
  });

  it('drops leftover files and index files without a segment', async () => {
    let store = await open();
    openLog(store).append(simpleBatch(1, 1), 0);
    await store.close();
    fs.writeFileSync(file(500, 'index'), Buffer.alloc(8));
    fs.writeFileSync(path.join(partDir(), `${'0'.padStart(20, '0')}.log.deleted`), 'x');
    fs.writeFileSync(path.join(partDir(), 'leader-epoch-checkpoint.tmp'), 'x');
    store = await open();
    const log = openLog(store);
    assert.equal(log.logEndOffset, 1);
    assert.deepEqual(fs.readdirSync(partDir()).sort(), [
      '00000000000000000000.index',
      '00000000000000000000.log',
      '00000000000000000000.timeindex',
      'partition.metadata',
    ]);
    await store.close();
  });
});
