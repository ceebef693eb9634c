// Fetch over real TCP against startBroker(): offsets out of range, mid-batch starts, long-poll on the virtual
// clock, with the codes of Kafka's Errors. Shared set-up: wire-errors-helpers.ts.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { VirtualClock } from '../../broker/index.js';
import { ErrorCode } from '../../protocol/errors.js';
import { ApiVersions, Fetch, ListOffsets, Metadata } from '../../protocol/messages/index.js';
import { ZERO_UUID } from '../../protocol/primitives.js';
import { decodeLegacy, iterateEntries } from '../../protocol/records/index.js';
import { T, withBroker, batch, produceOne, fetchBody, magic2Records, str, roundTrip } from './wire-errors-helpers.js';

// ---------------------------------------------------------------------------------------------
// Fetch

test('Fetch: OFFSET_OUT_OF_RANGE beyond the log end; LEO itself is legal and empty', T, async () => {
  await withBroker({ topics: { f: 1 } }, async (_broker, connect) => {
    const c = await connect();
    await produceOne(c, 'f', 0, batch([{ value: 'a' }, { value: 'b' }, { value: 'c' }]));
    for (const v of [4, 11, 12]) {
      const beyond = await c.send(Fetch, v, fetchBody([{ topic: 'f', partition: 0, offset: 4 }]));
      assert.equal(beyond.responses[0]!.partitions[0]!.errorCode, ErrorCode.OFFSET_OUT_OF_RANGE, `v${v}`);
      const negative = await c.send(Fetch, v, fetchBody([{ topic: 'f', partition: 0, offset: -5 }]));
      assert.equal(negative.responses[0]!.partitions[0]!.errorCode, ErrorCode.OFFSET_OUT_OF_RANGE, `v${v}`);
      const atEnd = await c.send(Fetch, v, fetchBody([{ topic: 'f', partition: 0, offset: 3 }]));
      const p = atEnd.responses[0]!.partitions[0]!;
      assert.equal(p.errorCode, 0);
      assert.equal(p.highWatermark, 3);
      assert.equal(p.records?.length ?? 0, 0);
    }
  });
});

test('Fetch: from the middle of a batch, data starts at that batch', T, async () => {
  await withBroker({ topics: { f: 1 } }, async (_broker, connect) => {
    const c = await connect();
    await produceOne(c, 'f', 0, batch([{ value: 'a' }, { value: 'b' }, { value: 'c' }]));
    await produceOne(c, 'f', 0, batch([{ value: 'd' }]));
    const res = await c.send(Fetch, 11, fetchBody([{ topic: 'f', partition: 0, offset: 1 }]));
    const p = res.responses[0]!.partitions[0]!;
    const first = [...iterateEntries(p.records!)][0]!;
    assert.equal(first.offset, 0);
    const got = magic2Records(p.records);
    assert.deepEqual(
      got.records.map((r) => [r.offset, str(r.value)]),
      [
        [0, 'a'],
        [1, 'b'],
        [2, 'c'],
        [3, 'd'],
      ],
    );
    const fromSecond = await c.send(Fetch, 11, fetchBody([{ topic: 'f', partition: 0, offset: 3 }]));
    assert.deepEqual(
      magic2Records(fromSecond.responses[0]!.partitions[0]!.records).records.map((r) => r.offset),
      [3],
    );
  });
});

test(
  'Fetch: partition_max_bytes below the first batch: v3+ returns one whole batch (KIP-74), a later partition gets nothing; v2 gets a truncated piece',
  T,
  async () => {
    await withBroker({ topics: { f: 2 } }, async (_broker, connect) => {
      const c = await connect();
      const big = (tag: string) => batch([0, 1, 2].map((i) => ({ key: `${tag}${i}`, value: Buffer.alloc(100, i) })));
      const b0 = big('a');
      await produceOne(c, 'f', 0, b0);
      await produceOne(c, 'f', 0, batch([{ value: 'next' }]));
      await produceOne(c, 'f', 1, big('b'));
      assert.ok(b0.length > 300);

      for (const v of [3, 4, 11, 12]) {
        const res = await c.send(
          Fetch,
          v,
          fetchBody([
            { topic: 'f', partition: 0, offset: 0, partitionMaxBytes: 50 },
            { topic: 'f', partition: 1, offset: 0, partitionMaxBytes: 50 },
          ]),
        );
        const [p0, p1] = res.responses[0]!.partitions;
        assert.equal(p0!.errorCode, 0);
        assert.equal(p1!.errorCode, 0);
        if (v >= 4) {
          assert.equal(p0!.records!.length, b0.length, `v${v}: exactly the first whole batch`);
          assert.deepEqual(
            magic2Records(p0!.records).records.map((r) => str(r.key)),
            ['a0', 'a1', 'a2'],
          );
        } else {
          assert.deepEqual(
            decodeLegacy(p0!.records!).map((m) => str(m.key)),
            ['a0', 'a1', 'a2'],
            `v${v}: the first whole batch, down-converted`,
          );
        }
        assert.equal(p1!.records?.length ?? 0, 0, `v${v}: the second partition gets no fragment`);
      }

      // Response max_bytes below the first batch: still one whole batch (v3+).
      const tight = await c.send(Fetch, 11, fetchBody([{ topic: 'f', partition: 0, offset: 0 }], { maxBytes: 10 }));
      assert.equal(tight.responses[0]!.partitions[0]!.records!.length, b0.length);

      // v0-2: the limit is hard; a batch too big for it comes back cut off, so the client can
      // report RecordTooLarge instead of fetching nothing forever.
      for (const v of [0, 2]) {
        const res = await c.send(Fetch, v, fetchBody([{ topic: 'f', partition: 0, offset: 0, partitionMaxBytes: 50 }]));
        const p = res.responses[0]!.partitions[0]!;
        assert.equal(p.errorCode, 0);
        assert.ok(
          p.records !== null && p.records.length > 0 && p.records.length <= 50,
          `v${v}: truncated piece of ${p.records?.length} bytes`,
        );
        assert.deepEqual(decodeLegacy(p.records), [], `v${v}: no complete message`);
        assert.equal(p.records.readBigInt64BE(0), 0n, `v${v}: the piece starts at offset 0`);
      }
    });
  },
);

test('Fetch long-poll: answered at once when another connection produces, before max_wait on the broker clock', T, async () => {
  await withBroker({ topics: { lp: 2 }, clock: 'virtual' }, async (broker, connect) => {
    const clock = broker.clock as VirtualClock;
    const t0 = clock.now();
    const consumer = await connect();
    const producer = await connect();
    const timersBefore = clock.pending; // with the connections' idle sweep (broker/limits/idle.ts)
    let answered = false;
    const pending = consumer
      .send(Fetch, 11, fetchBody([{ topic: 'lp', partition: 0, offset: 0 }], { maxWaitMs: 5000, minBytes: 1 }))
      .then((r) => {
        answered = true;
        return r;
      });
    while (clock.pending === timersBefore) await new Promise((r) => setImmediate(r)); // parked: its max_wait timer is armed

    // An append to a partition the fetch does not read leaves it parked.
    await produceOne(producer, 'lp', 1, batch([{ value: 'elsewhere' }]));
    await roundTrip(producer);
    assert.equal(answered, false);

    assert.equal((await produceOne(producer, 'lp', 0, batch([{ value: 'wake up' }]))).errorCode, 0);
    const res = await pending;
    const p = res.responses[0]!.partitions[0]!;
    assert.equal(p.errorCode, 0);
    assert.deepEqual(
      magic2Records(p.records).records.map((r) => str(r.value)),
      ['wake up'],
    );
    assert.equal(clock.now(), t0, 'answered without the broker clock moving: max_wait never elapsed');
    assert.equal(clock.pending, timersBefore, 'the max_wait timer was cancelled');
  });
});

test('Fetch long-poll: unsatisfied, it returns empty exactly when the virtual clock passes max_wait', T, async () => {
  await withBroker({ topics: { idle: 1 }, clock: 'virtual' }, async (broker, connect) => {
    const clock = broker.clock as VirtualClock;
    const t0 = clock.now();
    const consumer = await connect();
    const other = await connect();
    const timersBefore = clock.pending; // with the connections' idle sweep (broker/limits/idle.ts)
    let answered = false;
    const pending = consumer
      .send(Fetch, 12, fetchBody([{ topic: 'idle', partition: 0, offset: 0 }], { maxWaitMs: 5000, minBytes: 1 }))
      .then((r) => {
        answered = true;
        return r;
      });
    while (clock.pending === timersBefore) await new Promise((r) => setImmediate(r));

    await clock.advance(4999);
    await roundTrip(other);
    await roundTrip(other);
    assert.equal(answered, false, 'still parked 1 ms before max_wait');

    await clock.advance(1);
    const res = await pending;
    const p = res.responses[0]!.partitions[0]!;
    assert.equal(p.errorCode, 0);
    assert.equal(p.records?.length ?? 0, 0);
    assert.equal(clock.now() - t0, 5000);
    assert.equal(clock.pending, timersBefore);

    // The connection is usable again (it was held by the parked request, in order).
    assert.equal((await consumer.send(ApiVersions, 0, {})).errorCode, 0);
  });
});

test(
  'Fetch v13 by topic id; unknown id gets UNKNOWN_TOPIC_ID; current_leader_epoch above the leader epoch gets UNKNOWN_LEADER_EPOCH',
  T,
  async () => {
    await withBroker({ topics: { byid: 1 } }, async (_broker, connect) => {
      const c = await connect();
      await produceOne(c, 'byid', 0, batch([{ value: 'by id' }]));
      const md = await c.send(Metadata, 12, { topics: [{ name: 'byid', topicId: ZERO_UUID }], allowAutoTopicCreation: false });
      const id = md.topics[0]!.topicId;
      assert.notEqual(id, ZERO_UUID);
      assert.equal(md.topics[0]!.partitions[0]!.leaderEpoch, 0);

      for (const v of [13, 15, 16, 17]) {
        const res = await c.send(Fetch, v, fetchBody([{ topicId: id, partition: 0, offset: 0 }]));
        assert.equal(res.responses[0]!.topicId, id);
        const p = res.responses[0]!.partitions[0]!;
        assert.equal(p.errorCode, 0, `v${v}`);
        assert.deepEqual(
          magic2Records(p.records).records.map((r) => str(r.value)),
          ['by id'],
        );
      }
      const unknownId = randomBytes(16).toString('base64url');
      const res = await c.send(Fetch, 13, fetchBody([{ topicId: unknownId, partition: 0, offset: 0 }]));
      assert.equal(res.responses[0]!.topicId, unknownId);
      assert.equal(res.responses[0]!.partitions[0]!.errorCode, ErrorCode.UNKNOWN_TOPIC_ID);

      const future = await c.send(Fetch, 12, fetchBody([{ topic: 'byid', partition: 0, offset: 0, currentLeaderEpoch: 5 }]));
      assert.equal(future.responses[0]!.partitions[0]!.errorCode, ErrorCode.UNKNOWN_LEADER_EPOCH);
      const current = await c.send(Fetch, 12, fetchBody([{ topic: 'byid', partition: 0, offset: 0, currentLeaderEpoch: 0 }]));
      assert.equal(current.responses[0]!.partitions[0]!.errorCode, 0);
      const lo = await c.send(ListOffsets, 4, {
        replicaId: -1,
        topics: [{ name: 'byid', partitions: [{ partitionIndex: 0, timestamp: -1, currentLeaderEpoch: 5 }] }],
      });
      assert.equal(lo.topics[0]!.partitions[0]!.errorCode, ErrorCode.UNKNOWN_LEADER_EPOCH);
    });
  },
);
