// Wire-level behaviour and exact Kafka error codes, over real TCP against startBroker(): framing
// and connection rules (Kafka's SocketServer), Produce checks (KafkaApis.handleProduceRequest,
// LogValidator), Fetch, ListOffsets, Metadata / CreateTopics / DeleteTopics, with the codes of
// Kafka's Errors.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import pino from 'pino';
import { startBroker, type VirtualClock, type Broker, type BrokerOptions } from '../../broker/index.js';
import { ErrorCode } from '../../protocol/errors.js';
import { ApiVersions, CreateTopics, DeleteTopics, Fetch, ListOffsets, Metadata, Produce } from '../../protocol/messages/index.js';
import { Writer, ZERO_UUID } from '../../protocol/primitives.js';
import {
  Codec,
  buildBatch,
  codecAvailable,
  decodeBatchRecords,
  decodeLegacy,
  encodeLegacy,
  iterateEntries,
  type DecodedRecord,
  type RecordInput,
} from '../../protocol/records/index.js';
import { WireClient, requestFrame } from './wire-client.js';

const T = { timeout: 20_000 };

// ---------------------------------------------------------------------------------------------
// helpers

/** A pino logger writing JSON lines into memory. */
function memoryLogger() {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(s) });
  return { logger, text: () => lines.join('') };
}

/** Start a broker, hand out clients, and release everything afterwards. */
async function withBroker(opts: BrokerOptions, fn: (broker: Broker, connect: () => Promise<WireClient>) => Promise<void>): Promise<void> {
  const broker = await startBroker(opts);
  const clients: WireClient[] = [];
  const connect = async () => {
    const c = await WireClient.connect(broker.bootstrap);
    clients.push(c);
    return c;
  };
  try {
    await fn(broker, connect);
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await broker.stop();
  }
}

/** A request frame with header v1 for any api key (unknown ones included). */
function rawRequest(apiKey: number, version: number, correlationId: number, body: Buffer = Buffer.alloc(0)): Buffer {
  const w = new Writer(64);
  w.int32(0).int16(apiKey).int16(version).int32(correlationId).int16(4).raw(Buffer.from('test')).raw(body);
  const out = w.toBuffer();
  out.writeInt32BE(out.length - 4, 0);
  return out;
}

function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n, 0);
  return b;
}

function batch(records: RecordInput[], compression = 0): Buffer {
  return buildBatch({ records, compression });
}

function produceBody(acks: number, parts: Array<{ topic: string; partition?: number; records: Buffer | null }>) {
  const topics = new Map<string, Array<{ index: number; records: Buffer | null }>>();
  for (const p of parts) {
    if (!topics.has(p.topic)) topics.set(p.topic, []);
    topics.get(p.topic)!.push({ index: p.partition ?? 0, records: p.records });
  }
  return {
    transactionalId: null,
    acks,
    timeoutMs: 5000,
    topicData: [...topics].map(([name, partitionData]) => ({ name, partitionData })),
  };
}

/** Produce one batch (acks=1) and return the partition response. */
async function produceOne(c: WireClient, topic: string, partition: number, records: Buffer, version = 9) {
  const res = await c.send(Produce, version, produceBody(1, [{ topic, partition, records }]));
  assert.equal(res.responses.length, 1);
  return res.responses[0]!.partitionResponses[0]!;
}

interface FetchPart {
  topic?: string;
  topicId?: string;
  partition: number;
  offset: number;
  partitionMaxBytes?: number;
  currentLeaderEpoch?: number;
}

function fetchBody(parts: FetchPart[], o: { maxWaitMs?: number; minBytes?: number; maxBytes?: number } = {}) {
  const topics: Array<{ topic: string; topicId: string; partitions: Array<Record<string, number>> }> = [];
  for (const p of parts) {
    let t = topics.find((x) => x.topic === (p.topic ?? '') && x.topicId === (p.topicId ?? ZERO_UUID));
    if (!t) {
      t = { topic: p.topic ?? '', topicId: p.topicId ?? ZERO_UUID, partitions: [] };
      topics.push(t);
    }
    t.partitions.push({
      partition: p.partition,
      fetchOffset: p.offset,
      partitionMaxBytes: p.partitionMaxBytes ?? 1 << 20,
      currentLeaderEpoch: p.currentLeaderEpoch ?? -1,
    });
  }
  return {
    replicaId: -1,
    maxWaitMs: o.maxWaitMs ?? 0,
    minBytes: o.minBytes ?? 0,
    maxBytes: o.maxBytes ?? 1 << 24,
    isolationLevel: 0,
    sessionId: 0,
    sessionEpoch: -1,
    topics,
    forgottenTopicsData: [],
    rackId: '',
  };
}

/** Every record of the complete magic-2 batches in a Fetch `records` field. */
function magic2Records(records: Buffer | null): { batches: number; records: DecodedRecord[]; magics: number[] } {
  const out: DecodedRecord[] = [];
  const magics: number[] = [];
  let batches = 0;
  if (!records) return { batches, records: out, magics };
  for (const e of iterateEntries(records)) {
    magics.push(e.magic);
    if (e.magic !== 2) continue;
    batches++;
    out.push(...decodeBatchRecords(records, e.position).records);
  }
  return { batches, records: out, magics };
}

function str(b: Buffer | null): string | null {
  return b === null ? null : b.toString('utf8');
}

async function latest(c: WireClient, topic: string, partition = 0): Promise<number> {
  const res = await c.send(ListOffsets, 7, {
    replicaId: -1,
    isolationLevel: 0,
    topics: [{ name: topic, partitions: [{ partitionIndex: partition, timestamp: -1 }] }],
  });
  const p = res.topics[0]!.partitions[0]!;
  assert.equal(p.errorCode, 0);
  return p.offset;
}

/** Let the broker run: a full round trip on a separate connection. */
async function roundTrip(c: WireClient): Promise<void> {
  await c.send(ApiVersions, 0, {});
}

// ---------------------------------------------------------------------------------------------
// ApiVersions

test(
  'ApiVersions: too-new version gets a v0 body with UNSUPPORTED_VERSION and only our ApiVersions range; the connection stays usable',
  T,
  async () => {
    await withBroker({}, async (broker, connect) => {
      const c = await connect();
      const res = await c.exchange(ApiVersions, 99, {}, { correlationId: 4242 });
      assert.equal(res.correlationId, 4242);
      assert.equal(res.body.errorCode, ErrorCode.UNSUPPORTED_VERSION);
      const own = broker.core.dispatcher.served().find((a) => a.apiKey === 18)!;
      assert.deepEqual(res.body.apiKeys, [{ apiKey: 18, minVersion: own.minVersion, maxVersion: own.maxVersion }]);
      // The same connection keeps working: the client retries at a version both sides know.
      const again = await c.send(ApiVersions, 3, { clientSoftwareName: 'wire-test', clientSoftwareVersion: '1.0' });
      assert.equal(again.errorCode, 0);
      assert.ok(again.apiKeys.length > 1);
      assert.equal(c.closed, false);
    });
  },
);

test('ApiVersions v3: an illegal client software name gets INVALID_REQUEST', T, async () => {
  await withBroker({}, async (_broker, connect) => {
    const c = await connect();
    const bad = await c.send(ApiVersions, 3, { clientSoftwareName: 'bad name!', clientSoftwareVersion: '1.0' });
    assert.equal(bad.errorCode, ErrorCode.INVALID_REQUEST);
    const badVersion = await c.send(ApiVersions, 4, { clientSoftwareName: 'ok', clientSoftwareVersion: '-1' });
    assert.equal(badVersion.errorCode, ErrorCode.INVALID_REQUEST);
    const good = await c.send(ApiVersions, 3, { clientSoftwareName: 'apache-kafka-java', clientSoftwareVersion: '3.9.0' });
    assert.equal(good.errorCode, 0);
  });
});

test('ApiVersions v0..v5 all answer with the same served API list', T, async () => {
  await withBroker({}, async (broker, connect) => {
    const c = await connect();
    const served = broker.core.dispatcher.served();
    for (let v = 0; v <= 5; v++) {
      const res = await c.send(ApiVersions, v, { clientSoftwareName: 'wire-test', clientSoftwareVersion: '1' });
      assert.equal(res.errorCode, 0, `v${v}`);
      assert.deepEqual(res.apiKeys, served, `v${v}`);
    }
    const keys = served.map((a) => a.apiKey);
    for (const k of [0, 1, 2, 3, 18, 19, 20]) assert.ok(keys.includes(k), `api ${k} advertised`);
    // Fetch down-converts for v0-3, so its whole range is advertised; Produce likewise.
    assert.deepEqual(
      served.find((a) => a.apiKey === 1),
      { apiKey: 1, minVersion: 0, maxVersion: 18 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Unknown APIs and versions, framing

test('unknown API key: the connection is closed without a response; the broker keeps serving', T, async () => {
  const log = memoryLogger();
  await withBroker({ logger: log.logger }, async (_broker, connect) => {
    const c = await connect();
    c.sendRaw(rawRequest(9999, 0, 1));
    await c.expectClose();
    assert.equal(c.frames.length, 0);
    assert.match(log.text(), /closing connection: unknown or unsupported API key 9999/);

    const d = await connect();
    assert.equal((await d.send(ApiVersions, 2, {})).errorCode, 0);
  });
});

test('unsupported version of a served API (Metadata v99): closed without a response; others still served', T, async () => {
  const log = memoryLogger();
  await withBroker({ logger: log.logger }, async (_broker, connect) => {
    const c = await connect();
    const pending = c.exchange(Metadata, 99, {}, { correlationId: 5 });
    await assert.rejects(pending, /connection closed before the response/);
    await c.expectClose();
    assert.equal(c.frames.length, 0);
    assert.match(log.text(), /Metadata v99 is not supported/);

    const d = await connect();
    const md = await d.send(Metadata, 12, { topics: null, allowAutoTopicCreation: false });
    assert.equal(md.brokers.length, 1);
  });
});

test('framing: a size above socket.request.max.bytes closes the connection before the body is sent', T, async () => {
  const log = memoryLogger();
  await withBroker({ logger: log.logger, config: { 'socket.request.max.bytes': 1000 } }, async (_broker, connect) => {
    const c = await connect();
    c.sendRaw(int32(1001)); // only the prefix: the broker must not wait for 1001 bytes
    await c.expectClose();
    assert.equal(c.frames.length, 0);
    assert.match(log.text(), /closing connection: Invalid receive \(size = 1001 larger than 1000\)/);

    // A frame of exactly the limit is accepted: ApiVersions v0 with a 990-byte client id.
    const d = await connect();
    const frame = requestFrame(ApiVersions, 0, {}, { correlationId: 9, clientId: 'x'.repeat(990) });
    assert.equal(frame.length, 1004);
    const pending = new Promise<void>((resolve) => {
      const poll = () => (d.frames.length > 0 ? resolve() : setImmediate(poll));
      poll();
    });
    d.sendRaw(frame);
    await pending;
    assert.equal(d.frames[0]!.readInt32BE(0), 9);
    assert.equal(d.closed, false);
  });
});

test(
  'framing: negative size, too-short frame, truncated and garbage bodies each close only that connection, with a logged reason',
  T,
  async () => {
    const log = memoryLogger();
    await withBroker({ logger: log.logger, config: { 'socket.request.max.bytes': 1000 } }, async (_broker, connect) => {
      const negative = await connect();
      negative.sendRaw(int32(-1));
      await negative.expectClose();
      assert.equal(negative.frames.length, 0);
      assert.match(log.text(), /Invalid receive \(size = -1\)/);

      const short = await connect();
      short.sendRaw(Buffer.concat([int32(3), Buffer.from([1, 2, 3])]));
      await short.expectClose();
      assert.match(log.text(), /request of 3 bytes is shorter than a header/);

      // Metadata v1 whose topic array claims 3 entries but the frame ends there.
      const truncated = await connect();
      truncated.sendRaw(rawRequest(3, 1, 7, int32(3)));
      await truncated.expectClose();
      assert.equal(truncated.frames.length, 0);
      assert.match(log.text(), /cannot decode Metadata v1/);

      // A header whose client id length runs past the end of the frame.
      const badHeader = await connect();
      const w = new Writer(16);
      w.int32(10).int16(3).int16(1).int32(8).int16(500);
      badHeader.sendRaw(w.toBuffer());
      await badHeader.expectClose();
      assert.equal(badHeader.frames.length, 0);

      // Garbage that happens to have a sane size prefix.
      const garbage = await connect();
      garbage.sendRaw(Buffer.concat([int32(40), Buffer.alloc(40, 0xff)]));
      await garbage.expectClose();
      assert.equal(garbage.frames.length, 0);

      // Broken clients took nothing else down.
      const ok = await connect();
      assert.equal((await ok.send(ApiVersions, 3, { clientSoftwareName: 'after', clientSoftwareVersion: '1' })).errorCode, 0);
      assert.equal((log.text().match(/closing connection/g) ?? []).length, 5);
    });
  },
);

test('pipelining: 50 requests in one socket write come back as 50 responses in order', T, async () => {
  await withBroker({ topics: { pipe: 1 } }, async (_broker, connect) => {
    const c = await connect();
    await produceOne(c, 'pipe', 0, batch([{ value: 'a' }, { value: 'b' }]));
    c.cork();
    const kinds: string[] = [];
    const ids: number[] = [];
    const pending: Array<Promise<{ correlationId: number; body: unknown }>> = [];
    for (let i = 0; i < 50; i++) {
      const correlationId = 1_000_000 - i * 7;
      ids.push(correlationId);
      if (i % 3 === 0) {
        kinds.push('metadata');
        pending.push(c.exchange(Metadata, i % 2 === 0 ? 12 : 1, { topics: null, allowAutoTopicCreation: false }, { correlationId }));
      } else if (i % 3 === 1) {
        kinds.push('apiversions');
        pending.push(
          c.exchange(ApiVersions, i % 2 === 0 ? 3 : 2, { clientSoftwareName: 'pipe', clientSoftwareVersion: '1' }, { correlationId }),
        );
      } else {
        kinds.push('listoffsets');
        pending.push(
          c.exchange(
            ListOffsets,
            i % 2 === 0 ? 7 : 1,
            { replicaId: -1, topics: [{ name: 'pipe', partitions: [{ partitionIndex: 0, timestamp: -1 }] }] },
            { correlationId },
          ),
        );
      }
    }
    const before = c.frames.length;
    c.uncork();
    const results = await Promise.all(pending);
    assert.deepEqual(
      c.frames.slice(before).map((f) => f.readInt32BE(0)),
      ids,
    );
    results.forEach((r, i) => {
      assert.equal(r.correlationId, ids[i]);
      const body = r.body as Record<string, unknown>;
      if (kinds[i] === 'metadata') assert.ok(Array.isArray(body.brokers) && (body.topics as unknown[]).length === 1);
      else if (kinds[i] === 'apiversions') assert.equal(body.errorCode, 0);
      else assert.equal((body.topics as Array<{ partitions: Array<{ offset: number }> }>)[0]!.partitions[0]!.offset, 2);
    });
  });
});

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

// ---------------------------------------------------------------------------------------------
// ListOffsets

test('ListOffsets: latest, earliest, by timestamp, max timestamp, version checks, duplicates, v0', T, async () => {
  const T0 = 1_700_000_000_000;
  await withBroker({ topics: { lo: 1 } }, async (_broker, connect) => {
    const c = await connect();
    await produceOne(
      c,
      'lo',
      0,
      batch([
        { value: 'a', timestamp: T0 + 1000 },
        { value: 'b', timestamp: T0 + 3000 },
        { value: 'c', timestamp: T0 + 2000 },
      ]),
    );
    await produceOne(c, 'lo', 0, batch([{ value: 'd', timestamp: T0 + 1500 }]));
    const ask = async (version: number, timestamp: number) => {
      const res = await c.send(ListOffsets, version, {
        replicaId: -1,
        isolationLevel: 0,
        topics: [{ name: 'lo', partitions: [{ partitionIndex: 0, timestamp }] }],
      });
      return res.topics[0]!.partitions[0]!;
    };
    for (const v of [1, 5, 7, 10]) {
      const l = await ask(v, -1);
      assert.deepEqual([l.errorCode, l.offset, l.timestamp], [0, 4, -1], `v${v} latest`);
      const e = await ask(v, -2);
      assert.deepEqual([e.errorCode, e.offset, e.timestamp], [0, 0, -1], `v${v} earliest`);
      const t = await ask(v, T0 + 2500);
      assert.deepEqual([t.errorCode, t.offset, t.timestamp], [0, 1, T0 + 3000], `v${v} by timestamp`);
      const first = await ask(v, T0);
      assert.deepEqual([first.offset, first.timestamp], [0, T0 + 1000], `v${v} before everything`);
      const none = await ask(v, T0 + 3001);
      assert.deepEqual([none.errorCode, none.offset, none.timestamp], [0, -1, -1], `v${v} after everything`);
    }
    const max = await ask(7, -3);
    assert.deepEqual([max.errorCode, max.offset, max.timestamp], [0, 1, T0 + 3000]);
    assert.equal((await ask(6, -3)).errorCode, ErrorCode.UNSUPPORTED_VERSION);
    assert.equal((await ask(7, -4)).errorCode, ErrorCode.UNSUPPORTED_VERSION);
    assert.equal((await ask(8, -4)).offset, 0);

    // The same partition twice: one INVALID_REQUEST entry (Kafka's duplicatePartitions, keyed by partition).
    const dup = await c.send(ListOffsets, 7, {
      replicaId: -1,
      topics: [
        {
          name: 'lo',
          partitions: [
            { partitionIndex: 0, timestamp: -1 },
            { partitionIndex: 0, timestamp: -2 },
          ],
        },
      ],
    });
    assert.deepEqual(
      dup.topics[0]!.partitions.map((p) => p.errorCode),
      [ErrorCode.INVALID_REQUEST],
    );
    const dupAcrossTopics = await c.send(ListOffsets, 1, {
      replicaId: -1,
      topics: [
        { name: 'lo', partitions: [{ partitionIndex: 0, timestamp: -1 }] },
        { name: 'lo', partitions: [{ partitionIndex: 0, timestamp: -1 }] },
      ],
    });
    assert.deepEqual(
      dupAcrossTopics.topics.map((t) => t.partitions[0]!.errorCode),
      [ErrorCode.INVALID_REQUEST, ErrorCode.INVALID_REQUEST],
    );

    // v0: old_style_offsets.
    const v0 = async (timestamp: number) => {
      const res = await c.send(ListOffsets, 0, {
        replicaId: -1,
        topics: [{ name: 'lo', partitions: [{ partitionIndex: 0, timestamp, maxNumOffsets: 1 }] }],
      });
      return res.topics[0]!.partitions[0]!;
    };
    assert.deepEqual((await v0(-1)).oldStyleOffsets, [4]);
    assert.deepEqual((await v0(-2)).oldStyleOffsets, [0]);
    assert.equal((await v0(-1)).errorCode, 0);
    const unknown = await c.send(ListOffsets, 0, {
      replicaId: -1,
      topics: [{ name: 'nope', partitions: [{ partitionIndex: 0, timestamp: -1, maxNumOffsets: 1 }] }],
    });
    assert.equal(unknown.topics[0]!.partitions[0]!.errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });
});

// ---------------------------------------------------------------------------------------------
// Metadata

test('Metadata: all/none semantics per version, invalid names, auto-creation', T, async () => {
  await withBroker({ topics: { m1: 1, m2: 2 }, config: { 'num.partitions': 3 } }, async (broker, connect) => {
    const c = await connect();
    const names = (topics: Array<{ name: string | null }>) => topics.map((t) => t.name).sort();

    assert.deepEqual(names((await c.send(Metadata, 0, { topics: [] })).topics), ['m1', 'm2']);
    assert.deepEqual((await c.send(Metadata, 1, { topics: [] })).topics, []);
    assert.deepEqual(names((await c.send(Metadata, 1, { topics: null })).topics), ['m1', 'm2']);
    assert.deepEqual((await c.send(Metadata, 12, { topics: [], allowAutoTopicCreation: true })).topics, []);
    assert.deepEqual(names((await c.send(Metadata, 12, { topics: null, allowAutoTopicCreation: true })).topics), ['m1', 'm2']);

    for (const v of [1, 4, 12]) {
      const bad = await c.send(Metadata, v, { topics: [{ name: 'a b', topicId: ZERO_UUID }], allowAutoTopicCreation: true });
      assert.equal(bad.topics[0]!.errorCode, ErrorCode.INVALID_TOPIC_EXCEPTION, `v${v}`);
    }
    assert.equal(broker.core.topics.get('a b'), undefined);
    assert.deepEqual(names((await c.send(Metadata, 1, { topics: null })).topics), ['m1', 'm2']);

    const auto = await c.send(Metadata, 4, { topics: [{ name: 'auto1' }], allowAutoTopicCreation: true });
    const t = auto.topics[0]!;
    assert.ok(t.errorCode === 0 || t.errorCode === ErrorCode.LEADER_NOT_AVAILABLE);
    assert.equal(broker.core.topics.get('auto1')?.partitions.length, 3);
    const again = await c.send(Metadata, 9, { topics: [{ name: 'auto1' }], allowAutoTopicCreation: false });
    assert.equal(again.topics[0]!.errorCode, 0);
    assert.deepEqual(again.topics[0]!.partitions.map((p) => p.partitionIndex).sort(), [0, 1, 2]);
    const v0auto = await c.send(Metadata, 0, { topics: [{ name: 'auto0' }] });
    assert.equal(v0auto.topics[0]!.errorCode, 0);
    assert.equal(broker.core.topics.get('auto0')?.partitions.length, 3);

    const no = await c.send(Metadata, 4, { topics: [{ name: 'auto2' }], allowAutoTopicCreation: false });
    assert.equal(no.topics[0]!.errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    assert.equal(broker.core.topics.get('auto2'), undefined);
  });
});

test('Metadata: auto-creation off at the broker gives UNKNOWN_TOPIC_OR_PARTITION even when the request allows it', T, async () => {
  await withBroker({ autoCreateTopics: false }, async (broker, connect) => {
    const c = await connect();
    const res = await c.send(Metadata, 12, { topics: [{ name: 'nothere', topicId: ZERO_UUID }], allowAutoTopicCreation: true });
    assert.equal(res.topics[0]!.errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    assert.equal(broker.core.topics.get('nothere'), undefined);
  });
});

// ---------------------------------------------------------------------------------------------
// CreateTopics / DeleteTopics

function newTopic(name: string, o: { partitions?: number; rf?: number; configs?: Record<string, string> } = {}) {
  return {
    name,
    numPartitions: o.partitions ?? 1,
    replicationFactor: o.rf ?? 1,
    assignments: [],
    configs: Object.entries(o.configs ?? {}).map(([k, v]) => ({ name: k, value: v })),
  };
}

test('CreateTopics: name checks, collisions, validate_only, replication factor, configs', T, async () => {
  await withBroker({}, async (broker, connect) => {
    const c = await connect();
    const create = async (version: number, topics: Array<ReturnType<typeof newTopic>>, validateOnly = false) =>
      (await c.send(CreateTopics, version, { topics, timeoutMs: 5000, validateOnly })).topics;

    const [long] = await create(5, [newTopic('x'.repeat(250))]);
    assert.equal(long!.errorCode, ErrorCode.INVALID_TOPIC_EXCEPTION);
    const [longest] = await create(5, [newTopic('y'.repeat(249))]);
    assert.equal(longest!.errorCode, 0);
    for (const name of ['a b', '', '.', '..', 'ü']) {
      assert.equal((await create(4, [newTopic(name)]))[0]!.errorCode, ErrorCode.INVALID_TOPIC_EXCEPTION, JSON.stringify(name));
    }

    assert.equal((await create(5, [newTopic('a_b')]))[0]!.errorCode, 0);
    const [collide] = await create(5, [newTopic('a.b')]);
    assert.equal(collide!.errorCode, ErrorCode.INVALID_TOPIC_EXCEPTION);
    assert.equal(broker.core.topics.get('a.b'), undefined);
    assert.equal((await create(5, [newTopic('a_b')]))[0]!.errorCode, ErrorCode.TOPIC_ALREADY_EXISTS);

    const [dry] = await create(5, [newTopic('dry', { partitions: 4 })], true);
    assert.equal(dry!.errorCode, 0);
    assert.equal(dry!.numPartitions, 4);
    assert.equal(broker.core.topics.get('dry'), undefined);
    const md = await c.send(Metadata, 12, { topics: [{ name: 'dry', topicId: ZERO_UUID }], allowAutoTopicCreation: false });
    assert.equal(md.topics[0]!.errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);

    const [withConfigs] = await create(7, [
      newTopic('cfg', { partitions: 2, configs: { 'retention.ms': '12345', 'cleanup.policy': 'compact' } }),
    ]);
    assert.equal(withConfigs!.errorCode, 0);
    assert.equal(withConfigs!.numPartitions, 2);
    assert.equal(withConfigs!.replicationFactor, 1);
    assert.notEqual(withConfigs!.topicId, ZERO_UUID);
    assert.equal(withConfigs!.topicId, broker.core.topics.get('cfg')!.id);
    const configs = new Map((withConfigs!.configs ?? []).map((e) => [e.name, e]));
    assert.equal(configs.get('retention.ms')?.value, '12345');
    assert.equal(configs.get('retention.ms')?.configSource, 1);
    assert.equal(configs.get('cleanup.policy')?.value, 'compact');
    assert.ok(configs.has('max.message.bytes') && configs.get('max.message.bytes')!.configSource === 5);

    assert.equal((await create(5, [newTopic('rf2', { rf: 2 })]))[0]!.errorCode, ErrorCode.INVALID_REPLICATION_FACTOR);
    assert.equal((await create(5, [newTopic('badcfg', { configs: { 'no.such.config': '1' } })]))[0]!.errorCode, ErrorCode.INVALID_CONFIG);
    assert.equal(
      (await create(5, [newTopic('badval', { configs: { 'cleanup.policy': 'sometimes' } })]))[0]!.errorCode,
      ErrorCode.INVALID_CONFIG,
    );
    assert.equal((await create(5, [newTopic('zero', { partitions: 0 })]))[0]!.errorCode, ErrorCode.INVALID_PARTITIONS);
    for (const name of ['rf2', 'badcfg', 'badval', 'zero']) assert.equal(broker.core.topics.get(name), undefined, name);

    // Broker defaults with -1 (v4+).
    const [defaults] = await create(5, [newTopic('defaults', { partitions: -1, rf: -1 })]);
    assert.equal(defaults!.errorCode, 0);
    assert.equal(defaults!.numPartitions, 1);
  });
});

test('DeleteTopics: by name and (v6) by id; unknown name / id', T, async () => {
  await withBroker({ topics: { gone: 1, byname: 1 } }, async (broker, connect) => {
    const c = await connect();
    const id = broker.core.topics.get('gone')!.id;
    const res = await c.send(DeleteTopics, 6, { topics: [{ name: null, topicId: id }], timeoutMs: 5000 });
    assert.equal(res.responses[0]!.errorCode, 0);
    assert.equal(res.responses[0]!.name, 'gone');
    assert.equal(res.responses[0]!.topicId, id);
    assert.equal(broker.core.topics.get('gone'), undefined);

    const again = await c.send(DeleteTopics, 6, { topics: [{ name: null, topicId: id }], timeoutMs: 5000 });
    assert.equal(again.responses[0]!.errorCode, ErrorCode.UNKNOWN_TOPIC_ID);
    const unknownName = await c.send(DeleteTopics, 6, { topics: [{ name: 'never', topicId: ZERO_UUID }], timeoutMs: 5000 });
    assert.equal(unknownName.responses[0]!.errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    const old = await c.send(DeleteTopics, 1, { topicNames: ['never', 'byname'], timeoutMs: 5000 });
    assert.deepEqual(
      old.responses.map((r) => [r.name, r.errorCode]),
      [
        ['never', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
        ['byname', 0],
      ],
    );
    assert.equal(broker.core.topics.get('byname'), undefined);

    const md = await c.send(Metadata, 1, { topics: null });
    assert.deepEqual(md.topics, []);
  });
});
