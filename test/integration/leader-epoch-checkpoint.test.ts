// The leader-epoch cache on disk (issue 18): `<partition dir>/leader-epoch-checkpoint`
// (storage/leader-epoch-checkpoint.ts, Kafka's LeaderEpochCheckpointFile) written on every cache
// change and read at start-up, so a disk broker restarted after leader changes answers
// OffsetForLeaderEpoch as before and keeps stamping batches with the epoch it had; without the file
// the cache is rebuilt from the batch headers. One in-process 3-node disk broker at a time.

import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { DeleteRecords, OffsetForLeaderEpoch } from '../../protocol/messages/index.js';
import {
  LEADER_EPOCH_CHECKPOINT,
  formatLeaderEpochCheckpoint,
  parseLeaderEpochCheckpoint,
  rebuildLeaderEpochs,
} from '../../storage/leader-epoch-checkpoint.js';
import { franz } from '../go/franz.js';
import { JAVA_PROGRAMS, freePort, javaOk } from '../jvm/kafka.js';
import { tempDir } from './helpers.js';
import { WireClient } from './wire-client.js';

const TOPIC = 'epochs';

test('the file format: version 0, a count, `epoch startOffset` lines; an empty file is an empty cache; rebuilt from batch epochs', () => {
  const entries = [
    { epoch: 0, startOffset: 0 },
    { epoch: 2, startOffset: 7 },
  ];
  assert.equal(formatLeaderEpochCheckpoint(entries), '0\n2\n0 0\n2 7\n');
  assert.deepEqual(parseLeaderEpochCheckpoint('0\n2\n0 0\n2 7\n'), entries);
  assert.deepEqual(parseLeaderEpochCheckpoint(''), []);
  assert.throws(() => parseLeaderEpochCheckpoint('0\n1\n0 0 0\n'), /malformed line 3/);
  assert.throws(() => parseLeaderEpochCheckpoint('1\n0\n'), /unrecognised version/);
  const headers = [0, 0, 1, 1, 3, -1, 2, 5].map((partitionLeaderEpoch, i) => ({ partitionLeaderEpoch, baseOffset: i * 10 }));
  assert.deepEqual(rebuildLeaderEpochs(headers), [
    { epoch: 0, startOffset: 0 },
    { epoch: 1, startOffset: 20 },
    { epoch: 3, startOffset: 40 },
    { epoch: 5, startOffset: 70 },
  ]);
});

describe('a disk broker restarted after leader changes (3 simulated nodes)', () => {
  const dir = tempDir('kafkalite-epochs-');
  let broker: Broker | undefined;
  const file = join(dir.path, `${TOPIC}-0`, LEADER_EPOCH_CHECKPOINT);
  const start = (topics?: Record<string, { partitions: number; replicationFactor: number }>) =>
    startBroker({ nodes: 3, dataDir: dir.path, topics });

  /** OffsetForLeaderEpoch v4 for epochs 0..6 at the partition's leader, with its epoch and cache. */
  async function answers(b: Broker) {
    const p = b.core.topics.partition(TOPIC, 0)!;
    const client = await WireClient.connect(b.brokers[p.leaderId - 1]!);
    try {
      const res = await client.send(OffsetForLeaderEpoch, 4, {
        replicaId: -1,
        topics: [
          { topic: TOPIC, partitions: [0, 1, 2, 3, 4, 5, 6].map((leaderEpoch) => ({ partition: 0, currentLeaderEpoch: -1, leaderEpoch })) },
        ],
      });
      return {
        leaderEpoch: p.leaderEpoch,
        ends: res.topics[0]!.partitions.map((e) => [e.errorCode, e.leaderEpoch, e.endOffset]),
        cache: p.leadership().epochs,
      };
    } finally {
      await client.close();
    }
  }

  before(async () => {
    broker = await start({ [TOPIC]: { partitions: 1, replicationFactor: 3 } });
  });
  after(async () => {
    await broker?.stop();
    dir.remove();
  });

  test('OffsetForLeaderEpoch answers, the leader epoch and new batches’ epochs survive the restart; the file is Kafka’s format', async () => {
    let b = broker!;
    b.produce(TOPIC, ['a', 'b']);
    const p = b.core.topics.partition(TOPIC, 0)!;
    for (let i = 0; i < 2; i++) {
      const leader = p.leaderId;
      await b.nodes.down(leader);
      b.produce(TOPIC, [`after-${leader}-down`]);
      await b.nodes.up(leader);
      b.produce(TOPIC, [`after-${leader}-up`]);
    }
    assert.ok(p.leaderEpoch >= 2, `leader changes bumped the epoch (${p.leaderEpoch})`);
    const beforeRestart = await answers(b);
    assert.equal(
      readFileSync(file, 'utf8'),
      `0\n${beforeRestart.cache.length}\n${beforeRestart.cache.map((e) => `${e.epoch} ${e.startOffset}\n`).join('')}`,
      'the file holds the cache',
    );
    await b.stop();
    broker = b = await start();
    assert.deepEqual(await answers(b), beforeRestart, 'same answers after the restart');
    const [stamped] = b.produce(TOPIC, ['after-restart']);
    const q = b.core.topics.partition(TOPIC, 0)!;
    const read = q.log.read(stamped!.offset, { maxBytes: 1 << 20, maxOffset: q.log.logEndOffset, minOneBatch: true });
    assert.equal(read.chunks[0]!.readInt32BE(12), beforeRestart.leaderEpoch, 'a new batch carries the restored epoch');

    // No file (an older kafkalite's data dir): the cache comes back from the batch headers, and is saved.
    const beforeRebuild = await answers(b);
    await b.stop();
    rmSync(file);
    broker = b = await start();
    assert.deepEqual(await answers(b), beforeRebuild, 'rebuilt from the batches: same answers');
    assert.match(readFileSync(file, 'utf8'), /^0\n\d+\n/, 'saved again');

    // An empty file beside stored batches (a crash before the unsynced rebuilt file reached the disk): rebuilt too.
    await b.stop();
    writeFileSync(file, '');
    broker = b = await start();
    assert.deepEqual(await answers(b), beforeRebuild, 'an emptied file is rebuilt from the batches: same answers');
  });

  test('DeleteRecords past early epochs trims the cache from the start (LeaderEpochFileCache.truncateFromStart), on disk too', async () => {
    const b = broker!;
    const p = b.core.topics.partition(TOPIC, 0)!;
    const cache = p.leadership().epochs;
    assert.ok(cache.length >= 2);
    const cut = cache[1]!.startOffset + 1;
    const client = await WireClient.connect(b.brokers[p.leaderId - 1]!);
    try {
      const res = await client.send(DeleteRecords, 2, {
        topics: [{ name: TOPIC, partitions: [{ partitionIndex: 0, offset: cut }] }],
        timeoutMs: 5000,
      });
      assert.equal(res.topics[0]!.partitions[0]!.errorCode, 0);
      const ends = await client.send(OffsetForLeaderEpoch, 4, {
        replicaId: -1,
        topics: [{ topic: TOPIC, partitions: [{ partition: 0, currentLeaderEpoch: -1, leaderEpoch: cache[0]!.epoch }] }],
      });
      assert.deepEqual(
        [ends.topics[0]!.partitions[0]!.leaderEpoch, ends.topics[0]!.partitions[0]!.endOffset],
        [cache[0]!.epoch, cut],
        'an epoch older than the cache ends at the log start',
      );
    } finally {
      await client.close();
    }
    const trimmed = [{ epoch: cache[1]!.epoch, startOffset: cut }, ...cache.slice(2)];
    assert.deepEqual(p.leadership().epochs, trimmed);
    assert.equal(readFileSync(file, 'utf8'), formatLeaderEpochCheckpoint(trimmed));
  });
});

describe('consumers resume from their committed positions across the restart (no offset reset)', () => {
  const dir = tempDir('kafkalite-epochs-clients-');
  let broker: Broker | undefined;
  let port = 0;
  const topic = 'resume';
  const start = async () =>
    startBroker({ nodes: 3, port, dataDir: dir.path, topics: { [topic]: { partitions: 1, replicationFactor: 3 } } });

  before(async () => {
    port = await freePort();
    broker = await start();
  });
  after(async () => {
    await broker?.stop();
    dir.remove();
  });

  const javaGroup = (mode: 'consume' | 'resume', count: number) =>
    javaOk([join(JAVA_PROGRAMS, 'EpochRestart.java'), broker!.bootstrap, mode, topic, 'java-epochs', String(count)], {
      timeoutMs: 90_000,
    }).then((r) => JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>);
  const franzGroup = (reset: 'start' | 'none', n: number) =>
    franz<{ records: Array<{ o: number; v: string }>; errors: string[] }>(
      'epochs-group',
      broker!.bootstrap,
      ['-topic', topic, '-group', 'franz-epochs', '-n', String(n), '-reset', reset],
      60_000,
    );

  test('the Java consumer 4.4 and franz-go 1.22 validate their committed positions (OffsetForLeaderEpoch) and read on after the restart', async () => {
    let b = broker!;
    const p = b.core.topics.partition(topic, 0)!;
    b.produce(topic, ['a', 'b']);
    for (let i = 0; i < 2; i++) {
      const leader = p.leaderId;
      await b.nodes.down(leader);
      b.produce(topic, [`down-${i}`]);
      await b.nodes.up(leader);
      b.produce(topic, [`up-${i}`]);
    }
    const epoch = p.leaderEpoch;
    assert.ok(epoch >= 2);
    const [java1, franz1] = await Promise.all([javaGroup('consume', 6), franzGroup('start', 6)]);
    assert.deepEqual([java1.committed, java1.committedEpoch, (java1.values as string[]).length], [6, epoch, 6], JSON.stringify(java1));
    assert.deepEqual([franz1.records.length, franz1.errors], [6, []]);

    b.produce(topic, ['c', 'd']);
    await b.stop();
    broker = b = await start();
    assert.equal(b.core.topics.partition(topic, 0)!.leaderEpoch, epoch, 'the epoch survived');
    b.produce(topic, ['e']);
    const rec = b.requests.record();
    const [java2, franz2] = await Promise.all([javaGroup('resume', 3), franzGroup('none', 3)]);
    rec.stop();
    assert.deepEqual([java2.error, java2.values, java2.offsets], [undefined, ['c', 'd', 'e'], [6, 7, 8]], JSON.stringify(java2));
    assert.deepEqual([franz2.errors, franz2.records.map((r) => `${r.o}:${r.v}`)], [[], ['6:c', '7:d', '8:e']]);
    // What each client sent about the epoch it had before the restart (KIP-320): the epochs asked of
    // OffsetForLeaderEpoch (position validation) and the last_fetched_epoch of its fetches (Fetch v12+).
    const sent = (clientId: string, api: string, field: string) =>
      new Set(
        rec
          .filter({ clientId, api })
          .flatMap((e) => (e.request as { topics: Array<{ partitions: Array<Record<string, number>> }> }).topics)
          .flatMap((t) => t.partitions.map((x) => x[field] ?? -1)),
      );
    assert.ok(sent('epochs-java', 'OffsetForLeaderEpoch', 'leaderEpoch').has(epoch), 'the Java consumer validates its committed position');
    assert.ok(sent('epochs-franz', 'OffsetForLeaderEpoch', 'leaderEpoch').has(epoch), 'franz-go validates its committed position');
    // Neither consumer sets last_fetched_epoch (kafka-clients' AbstractFetch sends Optional.empty(),
    // franz-go 1.22's source.go -1): only followers do; wire-level Fetch with it is covered by
    // replication-truncation.test.ts.
    assert.deepEqual([...sent('epochs-java', 'Fetch', 'lastFetchedEpoch')], [-1]);
    assert.deepEqual([...sent('epochs-franz', 'Fetch', 'lastFetchedEpoch')], [-1]);
  });
});
