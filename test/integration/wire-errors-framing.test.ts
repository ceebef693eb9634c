// Wire-level behaviour over real TCP against startBroker(): ApiVersions, unknown APIs and versions, framing
// and pipelining (Kafka's SocketServer), with the codes of Kafka's Errors. Shared set-up: wire-errors-helpers.ts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode } from '../../protocol/errors.js';
import { ApiVersions, Fetch, ListOffsets, Metadata, Produce } from '../../protocol/messages/index.js';
import { Writer } from '../../protocol/primitives.js';
import { requestFrame } from './wire-client.js';
import {
  T,
  memoryLogger,
  withBroker,
  rawRequest,
  int32,
  batch,
  produceOne,
  produceBody,
  fetchBody,
  magic2Records,
} from './wire-errors-helpers.js';

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

test(
  'pipelining: a response held back to go out with the next ones is sent when the next request parks (a long-poll Fetch)',
  T,
  async () => {
    // broker/connection.ts corks the socket while more requests are queued; a parked one must not hold the earlier answer.
    await withBroker({ clock: 'virtual', topics: { park: 1 } }, async (_broker, connect) => {
      const c = await connect();
      const other = await connect();
      c.cork();
      const produced = c.send(Produce, 9, produceBody(1, [{ topic: 'park', records: batch([{ value: 'first' }]) }]));
      let fetchDone = false;
      const fetched = c
        .send(Fetch, 12, fetchBody([{ topic: 'park', partition: 0, offset: 1 }], { maxWaitMs: 600_000, minBytes: 1 }))
        .finally(() => (fetchDone = true));
      c.uncork();
      const p = (await produced).responses[0]!.partitionResponses[0]!;
      assert.equal(p.errorCode, 0);
      assert.equal(p.baseOffset, 0);
      assert.equal(fetchDone, false, 'the Fetch at the log end is still parked when the Produce before it is answered');
      // Another client's record wakes the Fetch (the virtual clock never ends its wait).
      await produceOne(other, 'park', 0, batch([{ value: 'second' }]));
      const f = (await fetched).responses[0]!.partitions[0]!;
      assert.equal(f.errorCode, 0);
      assert.deepEqual(
        magic2Records(f.records as Buffer).records.map((r) => r.value?.toString()),
        ['second'],
      );
    });
  },
);
