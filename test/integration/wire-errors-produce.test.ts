// Produce's checks over real TCP against startBroker() (KafkaApis.handleProduceRequest, LogValidator) with the
// codes of Kafka's Errors, acks=0, and legacy (magic 0/1) message sets with their down-conversion for old Fetch
// versions. Shared set-up: wire-errors-helpers.ts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BrokerOptions } from '../../broker/index.js';
import { ErrorCode } from '../../protocol/errors.js';
import { Fetch, Metadata, Produce } from '../../protocol/messages/index.js';
import { Codec, codecAvailable, decodeLegacy, encodeLegacy, iterateEntries } from '../../protocol/records/index.js';
import {
  T,
  memoryLogger,
  withBroker,
  batch,
  produceBody,
  produceOne,
  fetchBody,
  magic2Records,
  str,
  latest,
} from './wire-errors-helpers.js';

// ---------------------------------------------------------------------------------------------
// Produce

const PRODUCE_TOPICS: BrokerOptions['topics'] = {
  p: 1,
  big: { partitions: 1, configs: { 'max.message.bytes': '200' } },
  comp: { partitions: 1, configs: { 'cleanup.policy': 'compact' } },
};

test('Produce: acks=2 gets INVALID_REQUIRED_ACKS for every existing partition and appends nothing', T, async () => {
  await withBroker({ topics: PRODUCE_TOPICS, autoCreateTopics: false }, async (_broker, connect) => {
    const c = await connect();
    const res = await c.send(
      Produce,
      9,
      produceBody(2, [
        { topic: 'p', partition: 0, records: batch([{ value: 'x' }]) },
        { topic: 'nope', partition: 0, records: batch([{ value: 'y' }]) },
      ]),
    );
    const codes = res.responses.flatMap((t) => t.partitionResponses.map((p) => p.errorCode));
    // Unknown topics are answered first, as Kafka's KafkaApis.handleProduceRequest does.
    assert.deepEqual(codes, [ErrorCode.INVALID_REQUIRED_ACKS, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]);
    assert.equal(await latest(c, 'p'), 0);
  });
});

test('Produce: batch checks (CORRUPT_MESSAGE, MESSAGE_TOO_LARGE, UNKNOWN_TOPIC_OR_PARTITION, INVALID_RECORD)', T, async () => {
  await withBroker({ topics: PRODUCE_TOPICS, autoCreateTopics: false }, async (broker, connect) => {
    const c = await connect();
    const now = Date.now();

    const good = batch([{ key: 'k', value: 'hello world', timestamp: now }]);
    const flipped = Buffer.from(good);
    flipped[flipped.length - 3]! ^= 0xff; // inside the value, covered by the CRC
    assert.equal((await produceOne(c, 'p', 0, flipped)).errorCode, ErrorCode.CORRUPT_MESSAGE);

    const large = batch([{ key: 'k', value: Buffer.alloc(300, 1) }]);
    assert.ok(large.length > 200);
    assert.equal((await produceOne(c, 'big', 0, large)).errorCode, ErrorCode.MESSAGE_TOO_LARGE);
    assert.equal((await produceOne(c, 'big', 0, batch([{ key: 'k', value: 'small' }]))).errorCode, 0);

    assert.equal((await produceOne(c, 'missing', 0, good)).errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    assert.equal(broker.core.topics.get('missing'), undefined);
    assert.equal((await produceOne(c, 'p', 7, good)).errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);

    const two = Buffer.concat([batch([{ value: 'one' }]), batch([{ value: 'two' }])]);
    assert.equal((await produceOne(c, 'p', 0, two)).errorCode, ErrorCode.INVALID_RECORD);
    assert.equal((await produceOne(c, 'p', 0, two, 3)).errorCode, ErrorCode.INVALID_RECORD);

    assert.equal((await produceOne(c, 'comp', 0, batch([{ key: null, value: 'v' }]))).errorCode, ErrorCode.INVALID_RECORD);
    assert.equal(
      (
        await produceOne(
          c,
          'comp',
          0,
          batch([
            { key: 'a', value: 'v' },
            { key: null, value: 'w' },
          ]),
        )
      ).errorCode,
      ErrorCode.INVALID_RECORD,
    );
    assert.equal((await produceOne(c, 'comp', 0, batch([{ key: 'a', value: 'v' }]))).errorCode, 0);

    // None of the rejected batches reached the logs.
    assert.equal(await latest(c, 'p'), 0);
    assert.equal(await latest(c, 'big'), 1);
    assert.equal(await latest(c, 'comp'), 1);
    const ok = await produceOne(c, 'p', 0, good);
    assert.equal(ok.errorCode, 0);
    assert.equal(ok.baseOffset, 0);
  });
});

test('Produce: zstd needs Produce v7+ (UNSUPPORTED_COMPRESSION_TYPE below)', T, async () => {
  assert.ok(codecAvailable(Codec.ZSTD), 'zstd codec (zstd-napi) is installed');
  await withBroker({ topics: PRODUCE_TOPICS }, async (_broker, connect) => {
    const c = await connect();
    const z = batch([{ key: 'k', value: 'zstd value '.repeat(10) }], Codec.ZSTD);
    assert.equal((await produceOne(c, 'p', 0, z, 6)).errorCode, ErrorCode.UNSUPPORTED_COMPRESSION_TYPE);
    assert.equal((await produceOne(c, 'p', 0, z, 3)).errorCode, ErrorCode.UNSUPPORTED_COMPRESSION_TYPE);
    assert.equal(await latest(c, 'p'), 0);
    const ok = await produceOne(c, 'p', 0, z, 7);
    assert.equal(ok.errorCode, 0);
    assert.equal(await latest(c, 'p'), 1);
  });
});

test('Produce acks=0: no response at all; the next response carries its own correlation id', T, async () => {
  await withBroker({ topics: PRODUCE_TOPICS, autoCreateTopics: false }, async (_broker, connect) => {
    const c = await connect();
    await c.exchange(Produce, 9, produceBody(0, [{ topic: 'p', records: batch([{ value: 'fire' }]) }]), {
      correlationId: 77,
      expectResponse: false,
    });
    await c.exchange(Produce, 3, produceBody(0, [{ topic: 'p', records: batch([{ value: 'and forget' }]) }]), {
      correlationId: 78,
      expectResponse: false,
    });
    const md = await c.exchange(Metadata, 1, { topics: [] }, { correlationId: 79 });
    assert.equal(md.correlationId, 79);
    assert.deepEqual(
      c.frames.map((f) => f.readInt32BE(0)),
      [79],
    );
    assert.equal(await latest(c, 'p'), 2);
  });
});

test('Produce acks=0 that fails closes the connection without a response', T, async () => {
  const log = memoryLogger();
  await withBroker({ topics: PRODUCE_TOPICS, autoCreateTopics: false, logger: log.logger }, async (_broker, connect) => {
    const c = await connect();
    await c.exchange(Produce, 9, produceBody(0, [{ topic: 'nope', records: batch([{ value: 'x' }]) }]), { expectResponse: false });
    await c.expectClose();
    assert.equal(c.frames.length, 0);
    assert.match(log.text(), /acks=0 produce failed: nope-0: UNKNOWN_TOPIC_OR_PARTITION/);

    const d = await connect();
    await d.exchange(Produce, 9, produceBody(0, [{ topic: 'p', records: Buffer.from(batch([{ value: 'x' }])).fill(0xaa, 62, 64) }]), {
      expectResponse: false,
    });
    await d.expectClose();
    assert.equal(d.frames.length, 0);
    assert.match(log.text(), /CORRUPT_MESSAGE/);
  });
});

// ---------------------------------------------------------------------------------------------
// Legacy message sets

test('Produce v0-v2 legacy message sets are stored as magic 2 and down-converted for Fetch v0-v3', T, async () => {
  assert.ok(codecAvailable(Codec.GZIP));
  const ts = 1_700_000_000_000;
  await withBroker({ topics: { legacy: 1 } }, async (_broker, connect) => {
    const c = await connect();
    const b = (s: string) => Buffer.from(s);
    const sets: Array<{ version: number; magic: 0 | 1; codec: number; records: Array<{ key: string | null; value: string; ts: number }> }> =
      [
        {
          version: 0,
          magic: 0,
          codec: 0,
          records: [
            { key: 'k0', value: 'v0', ts: -1 },
            { key: null, value: 'v1', ts: -1 },
          ],
        },
        {
          version: 1,
          magic: 0,
          codec: Codec.GZIP,
          records: [
            { key: 'k2', value: 'v2', ts: -1 },
            { key: 'k3', value: 'v3', ts: -1 },
          ],
        },
        {
          version: 2,
          magic: 1,
          codec: 0,
          records: [
            { key: 'k4', value: 'v4', ts: ts + 4 },
            { key: 'k5', value: 'v5', ts: ts + 5 },
          ],
        },
        {
          version: 2,
          magic: 1,
          codec: Codec.GZIP,
          records: [
            { key: 'k6', value: 'v6', ts: ts + 6 },
            { key: null, value: 'v7', ts: ts + 7 },
          ],
        },
      ];
    const expected: Array<{ offset: number; key: string | null; value: string; ts: number }> = [];
    let next = 0;
    for (const s of sets) {
      const set = encodeLegacy(
        s.records.map((r, i) => ({ offset: i, key: r.key === null ? null : b(r.key), value: b(r.value), timestamp: r.ts })),
        s.magic,
        s.codec,
      );
      const res = await produceOne(c, 'legacy', 0, set, s.version);
      assert.equal(res.errorCode, 0, `Produce v${s.version} magic ${s.magic} codec ${s.codec}`);
      assert.equal(res.baseOffset, next);
      for (const r of s.records) expected.push({ offset: next++, key: r.key, value: r.value, ts: r.ts });
    }

    // Fetch v4+ sees magic-2 batches with the same keys, values and (magic 1) timestamps.
    for (const v of [4, 11, 12]) {
      const res = await c.send(Fetch, v, fetchBody([{ topic: 'legacy', partition: 0, offset: 0 }]));
      const p = res.responses[0]!.partitions[0]!;
      assert.equal(p.errorCode, 0);
      const got = magic2Records(p.records);
      assert.deepEqual(new Set(got.magics), new Set([2]), `Fetch v${v} magic`);
      assert.equal(got.batches, 4);
      assert.deepEqual(
        got.records.map((r) => ({ offset: r.offset, key: str(r.key), value: str(r.value)!, ts: r.timestamp })),
        expected,
        `Fetch v${v}`,
      );
    }

    // Fetch v0/v1 get magic 0, v2/v3 magic 1, with absolute offsets.
    for (const v of [0, 1, 2, 3]) {
      const res = await c.send(Fetch, v, fetchBody([{ topic: 'legacy', partition: 0, offset: 0 }]));
      const p = res.responses[0]!.partitions[0]!;
      assert.equal(p.errorCode, 0);
      assert.equal(p.highWatermark, 8);
      const magic = v <= 1 ? 0 : 1;
      for (const e of iterateEntries(p.records!)) assert.equal(e.magic, magic, `Fetch v${v} entry magic`);
      const msgs = decodeLegacy(p.records!);
      assert.deepEqual(
        msgs.map((m) => ({ offset: m.offset, key: str(m.key), value: str(m.value)!, ts: m.timestamp })),
        expected.map((e) => ({ ...e, ts: magic === 0 ? -1 : e.ts })),
        `Fetch v${v}`,
      );
      assert.ok(msgs.every((m) => m.magic === magic));
    }
  });
});

test(
  'Fetch v0-v3 from the middle of an uncompressed batch drops the records below fetch_offset (as Kafka down-conversion does)',
  T,
  async () => {
    await withBroker({ topics: { mid: 1 } }, async (_broker, connect) => {
      const c = await connect();
      await produceOne(
        c,
        'mid',
        0,
        batch([
          { key: 'a', value: '0' },
          { key: 'b', value: '1' },
          { key: 'c', value: '2' },
        ]),
      );
      await produceOne(
        c,
        'mid',
        0,
        batch(
          [
            { key: 'd', value: '3' },
            { key: 'e', value: '4' },
          ],
          Codec.GZIP,
        ),
      );
      for (const v of [1, 3]) {
        const res = await c.send(Fetch, v, fetchBody([{ topic: 'mid', partition: 0, offset: 1 }]));
        const msgs = decodeLegacy(res.responses[0]!.partitions[0]!.records!);
        assert.deepEqual(
          msgs.map((m) => m.offset),
          [1, 2, 3, 4],
          `Fetch v${v}`,
        );
      }
      // A compressed batch is sent whole even when the fetch starts inside it.
      const res = await c.send(Fetch, 2, fetchBody([{ topic: 'mid', partition: 0, offset: 4 }]));
      assert.deepEqual(
        decodeLegacy(res.responses[0]!.partitions[0]!.records!).map((m) => m.offset),
        [3, 4],
      );
    });
  },
);
