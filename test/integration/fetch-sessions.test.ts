// Fetch sessions (KIP-227, broker/fetch-sessions.ts) over the wire, one in-process broker on a
// virtual clock: a full fetch with epoch 0 gets a session; incremental fetches answer only
// partitions with something new; a replayed epoch, an unknown session, a session used across
// the topic-id boundary (v12 then v13), forgetting every partition; the cache's slot limit and
// stale-session eviction. Then two clients against the same broker: the Java consumer
// (kafka-clients 4.4.0, sessions by default) over 100 partitions, and librdkafka
// (confluent-kafka) over the same topic.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startBroker, type Broker, type VirtualClock } from '../../broker/index.js';
import { KafkaConnection } from '../../bin/client/connection.js';
import { ErrorCode } from '../../protocol/errors.js';
import { Fetch, Metadata, Produce } from '../../protocol/messages/index.js';
import { buildBatch } from '../../protocol/records/index.js';
import { javaProgram } from './java-helpers.js';
import { python } from './helpers.js';

const ZERO = 'AAAAAAAAAAAAAAAAAAAAAA';

describe('fetch sessions (KIP-227)', { timeout: 180_000 }, () => {
  let broker: Broker;
  /** For the clients: on the system clock, so their long polls end. */
  let clients: Broker;
  let conn: KafkaConnection;
  const ids = new Map<string, string>();

  before(async () => {
    broker = await startBroker({
      clock: 'virtual',
      topics: { s3: 3, slots: 1 },
      config: { 'max.incremental.fetch.session.cache.slots': 2 },
    });
    clients = await startBroker({ topics: { many: 100 } });
    conn = await KafkaConnection.open(broker.host, broker.port, { clientId: 'fetch-sessions-test' });
    const md = await conn.send(Metadata, 12, { topics: null, allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false });
    for (const t of md.topics) ids.set(t.name!, t.topicId);
  });
  after(async () => {
    await conn?.close();
    await broker?.stop();
    await clients?.stop();
  });

  const produce = (topic: string, partition: number, values: string[]) =>
    conn.send(Produce, 9, {
      transactionalId: null,
      acks: -1,
      timeoutMs: 5000,
      topicData: [
        {
          name: topic,
          partitionData: [
            { index: partition, records: buildBatch({ records: values.map((v) => ({ timestamp: 1, key: null, value: v })) }) },
          ],
        },
      ],
    });

  const fetch = (v: number, o: { sessionId: number; epoch: number; topic?: string; parts?: Array<[number, number]>; forget?: number[] }) =>
    conn.send(Fetch, v, {
      replicaId: -1,
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 1 << 20,
      isolationLevel: 0,
      sessionId: o.sessionId,
      sessionEpoch: o.epoch,
      topics: o.parts
        ? [
            {
              topic: o.topic ?? 's3',
              topicId: ids.get(o.topic ?? 's3') ?? ZERO,
              partitions: o.parts.map(([partition, fetchOffset]) => ({
                partition,
                currentLeaderEpoch: -1,
                fetchOffset,
                lastFetchedEpoch: -1,
                logStartOffset: -1,
                partitionMaxBytes: 1 << 20,
              })),
            },
          ]
        : [],
      forgottenTopicsData: o.forget ? [{ topic: o.topic ?? 's3', topicId: ids.get(o.topic ?? 's3') ?? ZERO, partitions: o.forget }] : [],
      rackId: '',
    });

  const answered = (r: Awaited<ReturnType<typeof fetch>>) =>
    r.responses.flatMap((t) => t.partitions.map((p) => `${t.topic || t.topicId}-${p.partitionIndex}@${p.highWatermark}`));

  for (const v of [12, 17]) {
    test(`v${v}: a full fetch opens a session; incremental fetches answer only what changed; epochs are checked`, async () => {
      const name = (p: number, hw: number) => `${v >= 13 ? ids.get('s3') : 's3'}-${p}@${hw}`;
      await produce('s3', 0, ['a']);
      const before = await fetch(v, {
        sessionId: 0,
        epoch: -1,
        parts: [
          [0, 0],
          [1, 0],
          [2, 0],
        ],
      });
      const hw = before.responses[0]!.partitions.map((p) => p.highWatermark);
      // Positions at the end: only new records (or a new high watermark) make a partition worth answering again.
      const full = await fetch(v, {
        sessionId: 0,
        epoch: 0,
        parts: [
          [0, hw[0]!],
          [1, hw[1]!],
          [2, hw[2]!],
        ],
      });
      assert.equal(full.errorCode, 0);
      assert.notEqual(full.sessionId, 0, 'a session was created');
      assert.deepEqual(answered(full), [name(0, hw[0]!), name(1, hw[1]!), name(2, hw[2]!)], 'the full answer lists every partition');
      const id = full.sessionId;

      // Nothing new: an empty answer, same session.
      const quiet = await fetch(v, { sessionId: id, epoch: 1 });
      assert.equal(quiet.errorCode, 0);
      assert.equal(quiet.sessionId, id);
      assert.deepEqual(answered(quiet), []);

      // Records on partition 2 only: the session (not the request) names it; only it is answered.
      await produce('s3', 2, ['b', 'c']);
      const inc = await fetch(v, { sessionId: id, epoch: 2 });
      assert.deepEqual(answered(inc), [name(2, hw[2]! + 2)]);
      assert.ok(Buffer.concat([inc.responses[0]!.partitions[0]!.records as Buffer].flat()).length > 0, 'with its records');

      // The same epoch again: INVALID_FETCH_SESSION_EPOCH, session id 0, no partitions.
      const replay = await fetch(v, { sessionId: id, epoch: 2 });
      assert.deepEqual([replay.errorCode, replay.sessionId, replay.responses.length], [ErrorCode.INVALID_FETCH_SESSION_EPOCH, 0, 0]);

      // The session survives a wrong epoch; epoch 3 continues it.
      const next = await fetch(v, { sessionId: id, epoch: 3, parts: [[2, hw[2]! + 2]] });
      assert.deepEqual([next.errorCode, next.sessionId], [0, id]);

      // The other side of the topic-id boundary: FETCH_SESSION_TOPIC_ID_ERROR.
      const other = await fetch(v >= 13 ? 12 : 13, { sessionId: id, epoch: 4 });
      assert.deepEqual([other.errorCode, other.sessionId], [ErrorCode.FETCH_SESSION_TOPIC_ID_ERROR, 0]);

      // Forgetting every partition closes the session (a sessionless answer for what the request lists).
      const forget = await fetch(v, { sessionId: id, epoch: 4, forget: [0, 1, 2] });
      assert.deepEqual([forget.errorCode, forget.sessionId, forget.responses.length], [0, 0, 0]);
      const gone = await fetch(v, { sessionId: id, epoch: 5 });
      assert.deepEqual([gone.errorCode, gone.sessionId], [ErrorCode.FETCH_SESSION_ID_NOT_FOUND, 0]);
    });
  }

  test('an unknown session id: FETCH_SESSION_ID_NOT_FOUND; a full fetch naming a session closes it', async () => {
    const r = await fetch(17, { sessionId: 12345, epoch: 1 });
    assert.deepEqual([r.errorCode, r.sessionId, r.responses.length], [ErrorCode.FETCH_SESSION_ID_NOT_FOUND, 0, 0]);
    const a = await fetch(17, { sessionId: 0, epoch: 0, topic: 'slots', parts: [[0, 0]] });
    assert.notEqual(a.sessionId, 0);
    const sessionless = await fetch(17, { sessionId: a.sessionId, epoch: -1, topic: 'slots', parts: [[0, 0]] });
    assert.equal(sessionless.sessionId, 0);
    const closed = await fetch(17, { sessionId: a.sessionId, epoch: 1 });
    assert.equal(closed.errorCode, ErrorCode.FETCH_SESSION_ID_NOT_FOUND);
  });

  test('two slots: a third session is refused until one goes stale (120 s unused), then it takes its place', async () => {
    const open = () => fetch(17, { sessionId: 0, epoch: 0, topic: 'slots', parts: [[0, 0]] });
    const a = await open();
    const b = await open();
    assert.ok(a.sessionId !== 0 && b.sessionId !== 0);
    const c = await open();
    assert.equal(c.sessionId, 0, 'the cache is full and neither session is evictable yet');
    assert.equal(c.responses.length, 1, 'the fetch itself is still answered');
    // b stays in use; a goes stale.
    await (broker.clock as VirtualClock).advance('61s');
    assert.equal((await fetch(17, { sessionId: b.sessionId, epoch: 1 })).errorCode, 0);
    await (broker.clock as VirtualClock).advance('61s');
    const d = await open();
    assert.notEqual(d.sessionId, 0, 'the stale session was evicted');
    assert.equal((await fetch(17, { sessionId: a.sessionId, epoch: 1 })).errorCode, ErrorCode.FETCH_SESSION_ID_NOT_FOUND);
    assert.equal((await fetch(17, { sessionId: b.sessionId, epoch: 2 })).errorCode, 0, 'the session in use stays');
    // Free the slots for the clients below.
    await fetch(17, { sessionId: b.sessionId, epoch: -1 });
    await fetch(17, { sessionId: d.sessionId, epoch: -1 });
  });

  test('the Java consumer (4.4.0) consumes 100 partitions through incremental fetches', async () => {
    const rec = clients.requests.record({ api: 'Fetch', clientId: 'fetch-sessions' });
    const [out] = await javaProgram('FetchSessions', clients.bootstrap, ['many', '100', '5']);
    const fetches = rec.stop();
    assert.deepEqual(out, { first: 500, second: 10 });
    const incremental = fetches.filter((f) => (f.request as { sessionEpoch: number }).sessionEpoch > 0);
    assert.ok(incremental.length > 0, 'the consumer fetched incrementally');
    for (const f of incremental) if (f.response) assert.equal((f.response as { errorCode: number }).errorCode, 0, 'no session errors');
    const shortest = Math.min(
      ...incremental.map((f) => (f.request as { topics: Array<{ partitions: unknown[] }> }).topics.flatMap((t) => t.partitions).length),
    );
    assert.ok(shortest < 100, `an incremental request lists fewer than the 100 partitions (${shortest})`);
  });

  test('librdkafka (confluent-kafka) consumes the same 100 partitions', async (t) => {
    const rec = clients.requests.record({ api: 'Fetch', clientId: 'rdkafka-sessions' });
    const n = await python<number>(
      `
import sys, time
from confluent_kafka import Consumer, TopicPartition
c = Consumer({'bootstrap.servers': sys.argv[1], 'group.id': 'rk-sessions', 'client.id': 'rdkafka-sessions', 'enable.auto.commit': False})
c.assign([TopicPartition('many', p, 0) for p in range(100)])
n = 0
deadline = time.time() + 30
while n < 510 and time.time() < deadline:
    m = c.poll(0.5)
    if m is not None and m.error() is None: n += 1
c.close()
print(n)
`,
      clients.bootstrap,
    );
    const fetches = rec.stop();
    assert.equal(n, 510);
    const epochs = new Set(fetches.map((f) => (f.request as { sessionEpoch: number }).sessionEpoch));
    t.diagnostic(`librdkafka fetch versions ${[...new Set(fetches.map((f) => f.version))]}, session epochs ${[...epochs].slice(0, 5)}`);
    assert.ok(fetches.length > 0);
    for (const f of fetches) if (f.response) assert.equal((f.response as { errorCode: number }).errorCode, 0);
  });
});
