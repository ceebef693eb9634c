// Offset checkpoint files (OffsetCheckpointFile) and the flush policy: Kafka's text format, atomic
// writes, the cadence of log.flush.offset.checkpoint.interval.ms and
// log.flush.start.offset.checkpoint.interval.ms on a VirtualClock, everything written at a clean
// close, and the recovery point moving with flush.messages, flush.ms and segment rolls.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { DataDirCheckpoints, formatCheckpoint, parseCheckpoint, partitionKey } from '../../storage/checkpoint-file.js';
import { VirtualClock } from '../../storage/clock.js';
import { openDiskStore, type DiskStore } from '../../storage/disk-store.js';
import type { LogManagerSettings } from '../../storage/log-manager.js';
import type { DiskPartitionLog } from '../../storage/partition-log.js';
import { TOPIC_ID, captureLogger, config, removeDir, simpleBatch, tempDir } from './storage-helpers.js';

let dir: string;
let clock: VirtualClock;
beforeEach(() => {
  dir = tempDir();
  clock = new VirtualClock(1_700_000_000_000);
});
afterEach(() => removeDir(dir));

const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');
const exists = (name: string) => fs.existsSync(path.join(dir, name));

async function open(settings: Partial<LogManagerSettings> = {}): Promise<DiskStore> {
  return openDiskStore({ dataDir: dir, nodeId: 1, clock, settings, logger: captureLogger().logger });
}

describe('checkpoint file format', () => {
  it('writes version, count and `topic partition offset` lines, and reads them back', () => {
    const m = new Map([
      [partitionKey('orders', 1), 42],
      [partitionKey('orders', 0), 7],
      [partitionKey('a.b-c_d', 12), 0],
    ]);
    const text = formatCheckpoint(m);
    assert.equal(text, '0\n3\na.b-c_d 12 0\norders 0 7\norders 1 42\n');
    assert.deepEqual(parseCheckpoint(text), m);
    assert.deepEqual(parseCheckpoint('0\n1\nt   3\t9\n'), new Map([[partitionKey('t', 3), 9]]), 'any whitespace splits fields');
    assert.deepEqual(parseCheckpoint('0\n0\n'), new Map());
  });

  it('rejects malformed files like Kafka: unknown version, wrong count, bad lines', () => {
    assert.throws(() => parseCheckpoint('1\n0\n'), /version/);
    assert.throws(() => parseCheckpoint('0\n2\nt 0 1\n'), /expected 2 entries, found 1/);
    assert.throws(() => parseCheckpoint('0\n1\nt 0 1\nt 1 2\n'), /expected 1 entries, found 2/);
    assert.throws(() => parseCheckpoint('0\n1\nt x 1\n'), /malformed line 3/);
    assert.throws(() => parseCheckpoint('0\n'), /missing/);
  });

  it('a malformed file reads as empty with one warning; writes are atomic and skipped when unchanged', () => {
    fs.writeFileSync(path.join(dir, 'recovery-point-offset-checkpoint'), '0\n5\nbroken\n');
    const { logger, lines } = captureLogger();
    const cps = new DataDirCheckpoints(dir, logger);
    assert.deepEqual(cps.initial('recovery-point-offset-checkpoint'), new Map());
    assert.equal(lines.length, 1);
    assert.match(lines[0]!.msg!, /malformed checkpoint recovery-point-offset-checkpoint/);
    const m = new Map([[partitionKey('t', 0), 5]]);
    assert.equal(cps.write('recovery-point-offset-checkpoint', m), true);
    assert.equal(read('recovery-point-offset-checkpoint'), '0\n1\nt 0 5\n');
    assert.ok(!exists('recovery-point-offset-checkpoint.tmp'));
    assert.equal(cps.write('recovery-point-offset-checkpoint', new Map(m)), false, 'same text: not rewritten');
    assert.equal(new DataDirCheckpoints(dir, logger).initialOffset('recovery-point-offset-checkpoint', 't', 0), 5);
  });
});

describe('checkpoint cadence', () => {
  it('writes recovery points and high watermarks every log.flush.offset.checkpoint.interval.ms, log start offsets on their own interval', async () => {
    const store = await open({ recoveryPointCheckpointIntervalMs: 1000, startOffsetCheckpointIntervalMs: 5000 });
    try {
      const log = store.openLog('t', 0, TOPIC_ID, config({ flushMessages: 3 })) as DiskPartitionLog;
      for (let i = 0; i < 4; i++) log.append(simpleBatch(1, i), 0);
      assert.equal(log.recoveryPoint, 3, 'flush.messages=3 flushed after the third');
      assert.ok(!exists('recovery-point-offset-checkpoint'));
      await clock.advance(1000);
      assert.equal(read('recovery-point-offset-checkpoint'), '0\n1\nt 0 3\n');
      assert.equal(read('replication-offset-checkpoint'), '0\n1\nt 0 4\n');
      assert.ok(!exists('log-start-offset-checkpoint'), 'its interval is 5 s');
      log.deleteRecordsBefore(2);
      await clock.advance(3000);
      assert.ok(!exists('log-start-offset-checkpoint'));
      await clock.advance(1000);
      assert.equal(read('log-start-offset-checkpoint'), '0\n1\nt 0 2\n');
    } finally {
      await store.close();
    }
  });

  it('a clean close writes all four with the recovery point at the log end', async () => {
    const store = await open();
    const log = store.openLog('t', 0, TOPIC_ID, config({ cleanupPolicy: ['compact'] }));
    const other = store.openLog('u', 3, TOPIC_ID, config());
    for (let i = 0; i < 5; i++) log.append(simpleBatch(1, i), 0);
    other.append(simpleBatch(2, 0), 0);
    await store.close();
    assert.equal(read('recovery-point-offset-checkpoint'), '0\n2\nt 0 5\nu 3 2\n');
    assert.equal(read('replication-offset-checkpoint'), '0\n2\nt 0 5\nu 3 2\n');
    assert.equal(read('log-start-offset-checkpoint'), '0\n0\n');
    assert.equal(read('cleaner-offset-checkpoint'), '0\n0\n', 'never cleaned');
    assert.ok(exists('.kafka_cleanshutdown'));
  });

  it('a crash leaves the checkpoints as last written (no final write, no marker)', async () => {
    const store = await open({ recoveryPointCheckpointIntervalMs: 1000 });
    const log = store.openLog('t', 0, TOPIC_ID, config());
    log.append(simpleBatch(3, 0), 0);
    await clock.advance(1000);
    log.append(simpleBatch(3, 0), 0);
    await store.abandon();
    assert.equal(read('replication-offset-checkpoint'), '0\n1\nt 0 3\n');
    assert.equal(read('recovery-point-offset-checkpoint'), '0\n1\nt 0 0\n');
    assert.ok(!exists('.kafka_cleanshutdown'));
  });
});

describe('flush policy', () => {
  it('default: nothing is flushed but rolled segments, in the background after the roll', async () => {
    const store = await open();
    try {
      const log = store.openLog('t', 0, TOPIC_ID, config({ segmentBytes: 300 })) as DiskPartitionLog;
      for (let i = 0; i < 6; i++) log.append(simpleBatch(1, i, 50), 0);
      assert.ok(log.segmentBaseOffsets.length > 1);
      assert.equal(log.recoveryPoint, 0);
      assert.ok(log.segmentList.slice(0, -1).every((s) => s.unflushed));
      await clock.advance(0);
      assert.equal(log.recoveryPoint, log.segmentBaseOffsets.at(-1));
      assert.ok(log.segmentList.slice(0, -1).every((s) => !s.unflushed));
      assert.ok(log.segmentList.at(-1)!.unflushed, 'the active segment is left to the OS');
    } finally {
      await store.close();
    }
  });

  it('flush.ms flushes data that old; a config change applies from the next append', async () => {
    const store = await open();
    try {
      const cfg = config({ flushMs: 1000 });
      const log = store.openLog('t', 0, TOPIC_ID, cfg) as DiskPartitionLog;
      log.append(simpleBatch(2, 0), 0);
      await clock.advance(999);
      assert.equal(log.recoveryPoint, 0);
      log.append(simpleBatch(2, 0), 0);
      await clock.advance(1);
      assert.equal(log.recoveryPoint, 4);
      assert.equal(log.unflushedMessages, 0);
      log.updateConfig({ ...cfg, flushMs: 50 });
      log.append(simpleBatch(1, 0), 0);
      await clock.advance(50);
      assert.equal(log.recoveryPoint, 5);
      log.updateConfig({ ...cfg, flushMessages: 2 });
      log.append(simpleBatch(1, 0), 0);
      assert.equal(log.recoveryPoint, 5);
      log.append(simpleBatch(1, 0), 0);
      assert.equal(log.recoveryPoint, 7, 'flush.messages reached');
    } finally {
      await store.close();
    }
  });
});
