// Start-up of the disk store (LogLoader.load / recoverLog): a clean restart validates no more than
// the tail of each last segment (proved with the loader's debug counters, not timing); a crash
// recovers from the recovery point; torn or corrupt batches anywhere in the recovered range are cut
// with one log line naming the partition and byte range; missing or corrupt indexes are rebuilt;
// inactive segments hold no index entries in memory.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { VirtualClock } from '../../storage/clock.js';
import { openDiskStore, type DiskStore } from '../../storage/disk-store.js';
import type { DiskPartitionLog } from '../../storage/partition-log.js';
import { scanCounters } from '../../storage/segment-file.js';
import type { LogConfig } from '../../storage/types.js';
import { TOPIC_ID, captureLogger, concat, config, parseBatches, readRecords, removeDir, simpleBatch, tempDir } from './storage-helpers.js';

const ALL = { maxBytes: 1 << 28, maxOffset: Number.MAX_SAFE_INTEGER, minOneBatch: false };
const CFG: LogConfig = config({ segmentBytes: 16 * 1024, indexIntervalBytes: 1024 });

let dir: string;
let clock: VirtualClock;
beforeEach(() => {
  dir = tempDir();
  clock = new VirtualClock(1_700_000_000_000);
});
afterEach(() => removeDir(dir));

async function open(logger = captureLogger().logger): Promise<DiskStore> {
  return openDiskStore({ dataDir: dir, nodeId: 1, clock, logger });
}

function openLog(store: DiskStore, topic = 'orders', cfg = CFG): DiskPartitionLog {
  return store.openLog(topic, 0, TOPIC_ID, cfg) as DiskPartitionLog;
}

/** Appends `n` batches of 1-4 records (~200-800 bytes each); returns them (stamped with their offsets). */
function writeSome(log: DiskPartitionLog, n: number, seed = 0): Buffer[] {
  const out: Buffer[] = [];
  for (let i = seed; i < seed + n; i++) {
    const b = simpleBatch(1 + (i % 4), 1_700_000_000_000 + i, 150 + (i % 7) * 10);
    log.append(b, 0);
    out.push(b);
  }
  return out;
}

const segFile = (topic: string, base: number, ext: string) => path.join(dir, `${topic}-0`, `${String(base).padStart(20, '0')}.${ext}`);

function flipByte(file: string, at: number): void {
  const fd = fs.openSync(file, 'r+');
  const b = Buffer.alloc(1);
  fs.readSync(fd, b, 0, 1, at);
  b[0]! ^= 0x5a;
  fs.writeSync(fd, b, 0, 1, at);
  fs.closeSync(fd);
}

describe('disk store start-up work', () => {
  it('a clean restart validates only the tail after each last index entry, however much is stored', async () => {
    let store = await open();
    const topics = ['a', 'b', 'c'];
    const written = new Map<string, Buffer[]>();
    for (const t of topics) written.set(t, writeSome(openLog(store, t), 400));
    const maxBatch = Math.max(...[...written.values()].flat().map((b) => b.length));
    const stored = [...written.values()].flat().reduce((n, b) => n + b.length, 0);
    assert.ok(stored > 150_000);
    await store.close();

    scanCounters.reset();
    store = await open();
    const logs = topics.map((t) => openLog(store, t));
    assert.ok(
      scanCounters.bytesValidated <= topics.length * (CFG.indexIntervalBytes + maxBatch),
      `${scanCounters.bytesValidated} bytes validated of ${stored} stored`,
    );
    assert.ok(scanCounters.batchesValidated <= topics.length * 8, `${scanCounters.batchesValidated} batches validated`);
    for (const log of logs) {
      // Inactive segments keep no index entries in memory; lookups read the files.
      const inactive = log.segmentList.slice(0, -1);
      assert.ok(inactive.length > 5);
      assert.ok(inactive.every((s) => !s.offsetIndex.isLoaded && !s.timeIndex.isLoaded));
      assert.deepEqual(concat(log.read(0, ALL).chunks), concat(written.get(log.topic)!));
      const mid = log.segmentBaseOffsets[3]! + 2;
      assert.equal(parseBatches(log.read(mid, { ...ALL, maxBytes: 1 }).chunks[0]!).batches.length, 0, 'a read cut to 1 byte');
      assert.ok(log.read(mid, { ...ALL, maxBytes: 1, minOneBatch: true }).bytes > 0);
    }
    await store.close();
  });

  it('after a crash, recovers every segment from the one holding the checkpointed recovery point, and no earlier one', async () => {
    let store = await open();
    let log = openLog(store);
    const first = writeSome(log, 150);
    await clock.advance(0); // the background flush of rolled segments: recovery point -> active base
    const recoveryPoint = log.recoveryPoint;
    assert.equal(recoveryPoint, log.segmentBaseOffsets.at(-1));
    await clock.advance(60_000); // recovery-point-offset-checkpoint written
    assert.equal(fs.readFileSync(path.join(dir, 'recovery-point-offset-checkpoint'), 'utf8'), `0\n1\norders 0 ${recoveryPoint}\n`);
    const later = writeSome(log, 100, 150); // more segments, not flushed, not checkpointed
    const segments = log.segmentList.map((s) => ({ base: s.baseOffset, size: s.size }));
    await store.abandon();

    scanCounters.reset();
    store = await open();
    log = openLog(store);
    const recovered = segments.filter((s) => s.base >= recoveryPoint).reduce((n, s) => n + s.size, 0);
    assert.equal(scanCounters.bytesValidated, recovered, 'exactly the segments from the recovery point on');
    assert.ok(recovered < segments.reduce((n, s) => n + s.size, 0));
    assert.deepEqual(concat(log.read(0, ALL).chunks), concat([...first, ...later]));
    await store.close();
  });
});

describe('disk store crash recovery', () => {
  it('cuts a batch torn in a middle segment, drops the later segments, logs the partition and byte range once', async () => {
    let store = await open();
    let log = openLog(store);
    const written = writeSome(log, 120);
    const bases = log.segmentBaseOffsets;
    assert.ok(bases.length >= 4);
    await store.abandon(); // no checkpoints, no clean-shutdown marker: recovery from offset 0

    const victimSeg = bases[1]!;
    const bytes = fs.readFileSync(segFile('orders', victimSeg, 'log'));
    const victim = parseBatches(bytes).batches[4]!;
    fs.truncateSync(segFile('orders', victimSeg, 'log'), victim.position + 30);

    const { logger, lines } = captureLogger();
    store = await open(logger);
    log = openLog(store);
    assert.deepEqual(log.segmentBaseOffsets, [bases[0], victimSeg]);
    assert.equal(log.logEndOffset, victim.baseOffset);
    assert.deepEqual(concat(log.read(0, ALL).chunks), concat(written.filter((b) => readBase(b) < victim.baseOffset)));
    const warns = lines.filter((l) => l.level === 'warn');
    assert.equal(warns.length, 1, JSON.stringify(warns));
    assert.match(
      warns[0]!.msg!,
      new RegExp(`orders-0: bytes \\[${victim.position}, ${victim.position + 30}\\) of ${String(victimSeg).padStart(20, '0')}\\.log`),
    );
    assert.deepEqual((warns[0]!.obj as { lostBytes: unknown }).lostBytes, { from: victim.position, to: victim.position + 30 });
    for (const b of bases.slice(2)) assert.ok(!fs.existsSync(segFile('orders', b, 'log')), `segment ${b} deleted`);
    // The log goes on from the cut.
    assert.equal(log.append(simpleBatch(1, 5), 0).baseOffset, victim.baseOffset);
    await store.close();
  });

  it('cuts at a flipped byte inside the recovered range and keeps the valid prefix', async () => {
    let store = await open();
    let log = openLog(store);
    const written = writeSome(log, 80);
    const bases = log.segmentBaseOffsets;
    await store.abandon();
    const lastSeg = bases.at(-1)!;
    const batches = parseBatches(fs.readFileSync(segFile('orders', lastSeg, 'log'))).batches;
    const victim = batches[Math.floor(batches.length / 2)]!;
    flipByte(segFile('orders', lastSeg, 'log'), victim.position + victim.size - 5);
    const size = fs.statSync(segFile('orders', lastSeg, 'log')).size;

    const { logger, lines } = captureLogger();
    store = await open(logger);
    log = openLog(store);
    assert.equal(log.logEndOffset, victim.baseOffset);
    assert.deepEqual(concat(log.read(0, ALL).chunks), concat(written.filter((b) => readBase(b) < victim.baseOffset)));
    const warns = lines.filter((l) => l.level === 'warn');
    assert.equal(warns.length, 1);
    assert.match(warns[0]!.msg!, new RegExp(`orders-0: bytes \\[${victim.position}, ${size}\\)`));
    assert.match(JSON.stringify(warns[0]!.obj), /crc mismatch/);
    await store.close();
  });

  it('a log end below the checkpointed log start offset starts over, empty, at the log start', async () => {
    let store = await open();
    let log = openLog(store);
    writeSome(log, 60);
    const lso = log.deleteRecordsBefore(log.logEndOffset - 2);
    await store.close();
    // Lose the tail of the last segment below the log start offset.
    const last = log.segmentBaseOffsets.at(-1)!;
    fs.truncateSync(segFile('orders', last, 'log'), 10);
    const { logger, lines } = captureLogger();
    store = await open(logger);
    log = openLog(store);
    assert.equal(log.logStartOffset, lso);
    assert.equal(log.logEndOffset, lso);
    assert.deepEqual(log.segmentBaseOffsets, [lso]);
    assert.ok(
      lines.some((l) => /below its log start offset/.test(l.msg ?? '')),
      JSON.stringify(lines),
    );
    await store.close();
  });
});

describe('disk store index repair', () => {
  it('rebuilds a missing or corrupt .index/.timeindex of an inactive segment after a clean stop, with a log line each', async () => {
    let store = await open();
    let log = openLog(store);
    const written = writeSome(log, 100);
    const bases = log.segmentBaseOffsets;
    await store.close();
    const originals = bases.map((b) => [
      fs.readFileSync(segFile('orders', b, 'index')),
      fs.readFileSync(segFile('orders', b, 'timeindex')),
    ]);
    assert.ok(originals[1]![0]!.length >= 16 && originals[2]![1]!.length >= 12);
    fs.rmSync(segFile('orders', bases[0]!, 'timeindex'));
    // Whole entries, but the last one points before the segment's base offset.
    const bad = Buffer.from(originals[1]![0]!);
    bad.writeInt32BE(-5, bad.length - 8);
    fs.writeFileSync(segFile('orders', bases[1]!, 'index'), bad);
    fs.writeFileSync(segFile('orders', bases[2]!, 'timeindex'), originals[2]![1]!.subarray(0, 7));

    const { logger, lines } = captureLogger();
    store = await open(logger);
    log = openLog(store);
    const warns = lines.filter((l) => l.level === 'warn').map((l) => l.msg!);
    assert.equal(warns.length, 3, warns.join('\n'));
    assert.match(warns[0]!, /rebuilt the indexes of orders-0 segment 0{20}\.log: missing/);
    assert.match(warns[1]!, new RegExp(`${String(bases[1]).padStart(20, '0')}\\.log: last entry offset \\d+ is below the base offset`));
    assert.match(warns[2]!, /size 7 is not a multiple of 12/);
    bases.forEach((b, i) => {
      assert.deepEqual(fs.readFileSync(segFile('orders', b, 'index')), originals[i]![0], `index ${b}`);
      assert.deepEqual(fs.readFileSync(segFile('orders', b, 'timeindex')), originals[i]![1], `timeindex ${b}`);
    });
    assert.deepEqual(concat(log.read(0, ALL).chunks), concat(written));
    await store.close();
  });

  it('rebuilds the indexes of the recovered segments after a crash', async () => {
    let store = await open();
    let log = openLog(store);
    const written = writeSome(log, 40);
    const last = log.segmentBaseOffsets.at(-1)!;
    await store.close();
    const index = fs.readFileSync(segFile('orders', last, 'index'));
    fs.writeFileSync(segFile('orders', last, 'index'), Buffer.alloc(index.length + 8, 0xee));
    fs.rmSync(path.join(dir, '.kafka_cleanshutdown'));
    store = await open();
    log = openLog(store);
    assert.deepEqual(fs.readFileSync(segFile('orders', last, 'index')), index);
    assert.deepEqual(concat(log.read(0, ALL).chunks), concat(written));
    assert.equal(
      readRecords(log).length,
      written.reduce((n, b) => n + b.readInt32BE(57), 0),
    );
    await store.close();
  });
});

function readBase(batch: Buffer): number {
  return Number(batch.readBigInt64BE(0));
}
