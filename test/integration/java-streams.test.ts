// Kafka Streams 4.4 (test/jvm/programs/WordCount.java) against kafkalite on disk: a word count
// with processing.guarantee=exactly_once_v2 (transactions v1 here: kafkalite finalizes no
// transaction.version). Its repartition and changelog topics are created and used; the broker
// is then stopped and started again on the same data dir and port, and a second run with an
// empty state dir restores the counts from the changelog and carries on. Once the broker's
// cleaner has compacted the changelog, a third run restores fewer records than were written.
// At read_committed the output holds every count of every word exactly once.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { decodeBatchRecords, iterateEntries } from '../../protocol/records/index.js';
import { freePort } from '../jvm/kafka.js';
import { tempDir } from './helpers.js';
import { javaProgram, type Json } from './java-helpers.js';

const APP = 'wordcount';
const FIRST = ['the quick brown fox', 'the lazy dog', 'The fox'];
const SECOND = ['the fox jumps', 'a lazy fox'];
const THIRD = ['fox'];

/** Data records (not transaction markers) in the changelog's partitions. */
function changelogRecords(b: Broker): number {
  let n = 0;
  for (const p of b.core.topics.get(`${APP}-counts-changelog`)!.partitions) {
    const read = p.log.read(p.log.logStartOffset, { maxBytes: 1 << 24, maxOffset: p.log.highWatermark, minOneBatch: true });
    const buf = Buffer.concat(read.chunks);
    for (const e of iterateEntries(buf)) {
      const batch = decodeBatchRecords(buf, e.position);
      if (!batch.header.isControl) n += batch.records.length;
    }
  }
  return n;
}

/** Word -> the counts the output holds for it, in order. */
function countsByWord(output: Array<[string, number]>): Map<string, number[]> {
  const m = new Map<string, number[]>();
  for (const [w, n] of output) m.set(w, [...(m.get(w) ?? []), n]);
  return m;
}

function wordTotals(lines: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of lines) for (const w of l.toLowerCase().split(' ')) m.set(w, (m.get(w) ?? 0) + 1);
  return m;
}

describe('Kafka Streams 4.4 word count, exactly_once_v2, across a broker restart', { timeout: 240_000 }, () => {
  const dir = tempDir('kafkalite-java-streams-');
  let broker: Broker | undefined;
  let first: Json;
  let second: Json;
  let third: Json;
  let writtenToChangelog = 0;
  let compactedTo = 0;
  let partitionsAfterRestart: Record<string, number>;
  before(async () => {
    const port = await freePort();
    const dataDir = join(dir.path, 'data');
    // The cleaner looks for dirty compacted logs every 100 ms.
    const config = { 'log.cleaner.backoff.ms': 100 };
    broker = await startBroker({ dataDir, port, config });
    [first] = await javaProgram('WordCount', broker.bootstrap, [APP, 'text-in', 'counts-out', join(dir.path, 'state-1'), ...FIRST]);
    await broker.stop();
    broker = await startBroker({ dataDir, port, config });
    partitionsAfterRestart = Object.fromEntries(
      [`${APP}-words-repartition`, `${APP}-counts-changelog`].map((t) => [t, broker!.core.topics.get(t)?.partitions.length ?? 0]),
    );
    // A new state dir: the store must come back from the changelog.
    [second] = await javaProgram('WordCount', broker.bootstrap, [APP, 'text-in', 'counts-out', join(dir.path, 'state-2'), ...SECOND]);
    // Every update went to the changelog; wait for the cleaner to compact the rolled segments.
    writtenToChangelog = [...FIRST, ...SECOND].join(' ').split(' ').length;
    for (let i = 0; i < 300 && changelogRecords(broker) >= writtenToChangelog; i++) await new Promise((r) => setTimeout(r, 100));
    compactedTo = changelogRecords(broker);
    [third] = await javaProgram('WordCount', broker.bootstrap, [APP, 'text-in', 'counts-out', join(dir.path, 'state-3'), ...THIRD]);
  });
  after(async () => {
    await broker?.stop();
    dir.remove();
  });

  test('the topology runs; its repartition (delete) and changelog (compact) topics are created', () => {
    assert.deepEqual(first.states.slice(0, 2), ['REBALANCING', 'RUNNING']);
    assert.equal(first.states.at(-1), 'NOT_RUNNING');
    assert.deepEqual(first.internalTopics, {
      [`${APP}-counts-changelog`]: { 'cleanup.policy': 'compact', partitions: 2 },
      [`${APP}-words-repartition`]: { 'cleanup.policy': 'delete', partitions: 2 },
    });
    assert.deepEqual(partitionsAfterRestart, { [`${APP}-words-repartition`]: 2, [`${APP}-counts-changelog`]: 2 }, 'kept on disk');
    // Input and repartition offsets were committed in the transactions.
    assert.deepEqual(
      Object.keys(first.committed).sort(),
      ['text-in-0', 'text-in-1', `${APP}-words-repartition-0`, `${APP}-words-repartition-1`].sort(),
    );
    const words = FIRST.join(' ').split(' ').length;
    const repartitioned = broker!.core.topics.get(`${APP}-words-repartition`)!.partitions.reduce((n, p) => n + p.log.highWatermark, 0);
    assert.ok(repartitioned >= words, `every word went through the repartition topic (${repartitioned} offsets)`);
  });

  test('first run: each count of each word exactly once at read_committed', () => {
    const totals = wordTotals(FIRST);
    const got = countsByWord(first.output);
    assert.deepEqual([...got.keys()].sort(), [...totals.keys()].sort());
    for (const [w, n] of totals) {
      assert.deepEqual(
        got.get(w),
        Array.from({ length: n }, (_, i) => i + 1),
        w,
      );
    }
  });

  test('after the broker restart, a fresh state dir restores from the changelog and the counts carry on', (t) => {
    t.diagnostic(`restored ${second.restoredRecords} changelog records for ${wordTotals(FIRST).size} words`);
    assert.ok(second.restoredRecords >= wordTotals(FIRST).size, `restored ${second.restoredRecords} changelog records`);
    assert.deepEqual([...second.restoredPartitions].sort(), [`${APP}-counts-changelog-0`, `${APP}-counts-changelog-1`]);
    const totals = wordTotals([...FIRST, ...SECOND]);
    const got = countsByWord(second.output);
    for (const [w, n] of totals) {
      assert.deepEqual(
        got.get(w),
        Array.from({ length: n }, (_, i) => i + 1),
        `${w}: every count once, none repeated or skipped`,
      );
    }
    assert.equal(
      second.output.length,
      [...totals.values()].reduce((a, b) => a + b, 0),
    );
    assert.ok(second.outputUncommittedCount >= second.output.length);
  });

  test('the compacted changelog: a third run with an empty state dir restores fewer records than were written', (t) => {
    t.diagnostic(
      `changelog: ${writtenToChangelog} updates written, ${compactedTo} after compaction; run 3 restored ${third.restoredRecords}`,
    );
    assert.ok(compactedTo < writtenToChangelog, 'the cleaner compacted the changelog');
    assert.ok(third.restoredRecords < writtenToChangelog, `restored ${third.restoredRecords} of ${writtenToChangelog} updates`);
    assert.ok(third.restoredRecords >= wordTotals([...FIRST, ...SECOND]).size, 'at least the latest count of every word');
    const fox = countsByWord(third.output).get('fox');
    assert.deepEqual(fox, [1, 2, 3, 4, 5], 'the restored count of fox (4) went on to 5');
  });
});
