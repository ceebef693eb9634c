// The Java producer (kafka-clients 4.4.0, test/jvm/programs/Producer.java) against an
// in-process broker: the idempotent default with acks=all, every compression codec (checked in
// the stored batches too), headers, a custom Partitioner, acks 0/1/all, and a Produce whose
// response is lost after the append: the retry must not duplicate the batch.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { iterateEntries, readBatchHeader } from '../../protocol/records/index.js';
import { javaProgram, line, type Json } from './java-helpers.js';

const CODECS = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const;

/** Headers of the batches stored in a partition. */
function storedBatches(b: Broker, topic: string, partition = 0) {
  const p = b.core.topics.get(topic)!.partitions[partition]!;
  const read = p.log.read(p.log.logStartOffset, { maxBytes: 1 << 24, maxOffset: p.log.highWatermark, minOneBatch: true });
  const buf = Buffer.concat(read.chunks);
  return [...iterateEntries(buf)].map((e) => readBatchHeader(buf, e.position));
}

describe('Java producer (kafka-clients 4.4.0)', { timeout: 180_000 }, () => {
  let broker: Broker;
  let lines: Json[];
  let dropped = 0;
  before(async () => {
    broker = await startBroker();
    // The first Produce to jp-retry is appended, then its connection closes instead of the answer.
    broker.intercept('Produce', async (req, ctx, next) => {
      const res = await next(req);
      // Produce v13 names topics by id only.
      const topics = (req as { topicData: Array<{ name: string; topicId?: string }> }).topicData.map(
        (t) => t.name || ctx.broker.topics.getById(t.topicId ?? '')?.name,
      );
      if (!topics.includes('jp-retry') || dropped++ > 0) return res;
      ctx.closeConnection('test: response lost');
      return null;
    });
    lines = await javaProgram('Producer', broker.bootstrap, [
      'codecs,jp,200',
      'partitioner,jp-part,12',
      'acks,jp-acks',
      'retry,jp-retry,5',
    ]);
  });
  after(() => broker?.stop());

  for (const [codec, id] of Object.entries(CODECS)) {
    test(`${codec}: 200 records with headers, idempotent, stored as ${codec} batches`, () => {
      const r = lines.find((l) => l.scenario === 'codec' && l.codec === codec)!;
      assert.ok(r, `no result for ${codec}`);
      assert.deepEqual([r.sent, r.received, r.valuesOk, r.headersOk, r.firstOffset, r.lastOffset], [200, 200, 200, 200, 0, 199]);
      assert.equal(r.producers.length, 1);
      const { producerId, producerEpoch, lastSequence } = r.producers[0];
      assert.deepEqual([producerEpoch, lastSequence], [0, 199]);
      const batches = storedBatches(broker, r.topic);
      assert.ok(batches.length >= 1 && batches.length < 200, `records are batched (${batches.length} batches)`);
      let next = 0;
      for (const h of batches) {
        assert.equal(h.compression, id);
        assert.equal(h.producerId, producerId);
        assert.equal(h.baseSequence, next, 'sequences follow on');
        assert.equal(h.isTransactional, false);
        next += h.recordCount;
      }
      assert.equal(next, 200);
    });
  }

  test('a custom Partitioner places every record; configure and close are called once', () => {
    const r = line(lines, 'scenario', 'partitioner');
    assert.deepEqual([r.configured, r.closed], [1, 1]);
    for (const [key, partition] of r.sent as Array<[string, number, number]>) {
      assert.equal(partition, key === '' ? 0 : 3 - (Number(key) % 4), `key ${key}`);
    }
    const sorted = (x: unknown[]) => [...x].map((e) => JSON.stringify(e)).sort();
    assert.deepEqual(sorted(r.consumed), sorted(r.sent), 'the consumer reads each record where the producer put it');
    assert.deepEqual(
      broker.core.topics.get('jp-part')!.partitions.map((p) => p.log.highWatermark),
      [4, 3, 3, 3],
    );
  });

  test('acks=0 gets no offset; acks=1, all and -1 do; only the idempotent producers have state', () => {
    const r = line(lines, 'scenario', 'acks');
    assert.deepEqual(
      r.results.map((x: Json) => [x.acks, x.offset]),
      [
        ['0', -1],
        ['1', 1],
        ['all', 2],
        ['-1', 3],
      ],
    );
    assert.deepEqual(r.values, [
      [0, 'acks=0'],
      [1, 'acks=1'],
      [2, 'acks=all'],
      [3, 'acks=-1'],
    ]);
    assert.equal(r.producers.length, 2, 'acks=all and -1 with the default enable.idempotence=true');
  });

  test('a Produce response lost after the append: the idempotent retry is not written twice', () => {
    const r = line(lines, 'scenario', 'retry');
    assert.ok(dropped >= 2, 'the first Produce was answered by a dropped connection, then retried');
    assert.deepEqual(r.values, ['retry 0', 'retry 1', 'retry 2', 'retry 3', 'retry 4']);
    assert.deepEqual(r.offsets, [0, 1, 2, 3, 4]);
    assert.equal(r.producers[0].lastSequence, 4);
    assert.equal(broker.core.topics.get('jp-retry')!.partitions[0]!.log.highWatermark, 5);
  });
});

describe('Java producer and consumer (kafka-clients 4.4.0) follow a partition leader that moves', { timeout: 120_000 }, () => {
  test('Produce and Fetch answered by a node that just lost the leadership: no record lost or written twice', async () => {
    const broker = await startBroker({ nodes: 3, topics: { moving: 1 } });
    try {
      const id = broker.core.topics.get('moving')!.id;
      const moves: number[] = [];
      const move = () => {
        const leader = broker.partitions.describe('moving')[0]!.leader;
        const to = leader === 3 ? 1 : leader + 1;
        broker.partitions.moveLeader('moving', 0, to);
        moves.push(to);
      };
      // The first Produce and the first Fetch of the topic each reach a leader that is moved away just before it answers.
      let produces = 0;
      let fetches = 0;
      broker.intercept('Produce', (req, _ctx, next) => {
        const data = (req as { topicData: Array<{ name: string; topicId?: string }> }).topicData;
        if (data.some((t) => t.name === 'moving' || t.topicId === id) && produces++ === 0) move();
        return next(req);
      });
      broker.intercept('Fetch', (req, _ctx, next) => {
        const topics = (req as { topics: Array<{ topic?: string; topicId?: string }> }).topics;
        if (topics.some((t) => t.topic === 'moving' || t.topicId === id) && fetches++ === 0) move();
        return next(req);
      });
      const [r] = await javaProgram('Producer', broker.bootstrap, ['retry,moving,5']);
      assert.equal(moves.length, 2, 'the leader moved twice');
      assert.deepEqual(r!.values, ['retry 0', 'retry 1', 'retry 2', 'retry 3', 'retry 4']);
      assert.deepEqual(r!.offsets, [0, 1, 2, 3, 4]);
      const p = broker.partitions.describe('moving')[0]!;
      assert.deepEqual([p.leader, p.leaderEpoch, p.logEndOffset], [moves[1], 2, 5]);
    } finally {
      await broker.stop();
    }
  });
});
