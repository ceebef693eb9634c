// Transactions v2 (KIP-890 part 2) with the Java producer 4.4 (test/jvm/programs/TxV2.java):
// against Apache Kafka 4.4.0 (transaction.version=2 finalized by default) and kafkalite, which
// finalizes it too (broker/handlers/18-api-versions.ts), the same three transactions give the
// same committed records and group offset; kafkalite's request log shows the v2 path (Produce
// v12+, TxnOffsetCommit v6 (v5+: implicit group add) and EndTxn v5, no AddPartitionsToTxn / AddOffsetsToTxn) and, with
// EndTxn capped at v4 (transaction.version not finalized), the v1 path with the same result.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { EndTxn, FindCoordinator, InitProducerId, Produce, TxnOffsetCommit } from '../../protocol/messages/index.js';
import { buildBatch } from '../../protocol/records/index.js';
import { JAVA_PROGRAMS, javaOk } from '../jvm/kafka.js';
import { createTopic, startPair, type Pair, type Side } from './v44-pair.js';

const T = { timeout: 180_000 };
const EXPECTED = { values: ['one-0', 'one-1', 'one-2', 'three-0'], groupOffset: 7 };

let pair: Pair;
before(async () => {
  pair = await startPair();
  for (const side of [pair.kafka, pair.kafkalite]) await createTopic(side, 'txv2', 2);
});
after(async () => pair?.stop());

async function runTxV2(bootstrap: string, topic: string, group: string): Promise<unknown> {
  const out = await javaOk([join(JAVA_PROGRAMS, 'TxV2.java'), bootstrap, topic, group], { timeoutMs: 120_000 });
  return JSON.parse(out.stdout.trim().split('\n').pop()!) as unknown;
}

test('the Java producer 4.4 with transaction.version=2: same records and offsets as Kafka 4.4, over the v2 requests', T, async () => {
  const recording = pair.broker.requests.record();
  // Both sides at once: each run mostly waits on the brokers (transaction markers, the group coordinator), not the CPU.
  const [theirs, ours] = await Promise.all([
    runTxV2(pair.kafka.bootstrap, 'txv2', 'txv2-group'),
    runTxV2(pair.kafkalite.bootstrap, 'txv2', 'txv2-group'),
  ]);
  const seen = recording.stop();
  assert.deepEqual(theirs, EXPECTED);
  assert.deepEqual(ours, theirs);
  const versions = (api: string) => [...new Set(seen.filter((e) => e.api === api).map((e) => e.version))];
  assert.deepEqual(versions('EndTxn'), [5]);
  assert.deepEqual(versions('TxnOffsetCommit'), [6]);
  assert.ok(
    versions('Produce').every((v) => v >= 12),
    `Produce versions ${versions('Produce')}`,
  );
  assert.deepEqual(versions('AddPartitionsToTxn'), []);
  assert.deepEqual(versions('AddOffsetsToTxn'), []);
  // Each EndTxn v5 answered with the next epoch, which the next one uses.
  const ends = seen.filter((e) => e.api === 'EndTxn') as Array<{ request: { producerEpoch: number }; response: { producerEpoch: number } }>;
  assert.equal(ends.length, 3);
  for (const [i, e] of ends.entries()) {
    assert.equal(e.response.producerEpoch, e.request.producerEpoch + 1);
    if (i > 0) assert.equal(e.request.producerEpoch, ends[i - 1]!.response.producerEpoch);
  }
});

test('with EndTxn capped at v4 the Java producer keeps transactions v1 (AddPartitionsToTxn), with the same result', T, async () => {
  const broker: Broker = await startBroker({ apiVersions: { EndTxn: 4 }, topics: { txv1: 2 } });
  try {
    const recording = broker.requests.record();
    const ours = await runTxV2(broker.bootstrap, 'txv1', 'txv1-group');
    const seen = recording.stop();
    assert.deepEqual(ours, EXPECTED);
    const versions = (api: string) => [...new Set(seen.filter((e) => e.api === api).map((e) => e.version))];
    assert.ok(versions('AddPartitionsToTxn').length > 0);
    assert.ok(versions('AddOffsetsToTxn').length > 0);
    assert.ok(versions('EndTxn').every((v) => v <= 4));
    assert.ok(versions('Produce').every((v) => v <= 11));
  } finally {
    await broker.stop();
  }
});

test('EndTxn v5 on the wire: epoch bumped and returned, a retry answered the same, the old epoch fenced afterwards', T, async () => {
  const run = async (side: Side) => {
    const c = await side.client();
    const txnId = `wire-txv2-${side.name}`;
    // Kafka creates its transaction log on the first FindCoordinator: wait for it.
    for (let i = 0; i < 100; i++) {
      const fc = await c.send(FindCoordinator, 4, { keyType: 1, coordinatorKeys: [txnId] });
      if (fc.coordinators[0]!.errorCode === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    let init: Awaited<ReturnType<typeof c.send<typeof InitProducerId>>> | undefined;
    for (let i = 0; i < 100; i++) {
      init = await c.send(InitProducerId, 5, { transactionalId: txnId, transactionTimeoutMs: 60_000, producerId: -1, producerEpoch: -1 });
      if (init.errorCode === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(init!.errorCode, 0, `${side.name}: InitProducerId`);
    const { producerId, producerEpoch } = init!;
    const produce = (epoch: number, sequence: number) =>
      c.send(Produce, 12, {
        transactionalId: txnId,
        acks: -1,
        timeoutMs: 5000,
        topicData: [
          {
            name: 'txv2',
            partitionData: [
              {
                index: 0,
                records: buildBatch({
                  producerId,
                  producerEpoch: epoch,
                  baseSequence: sequence,
                  transactional: true,
                  records: [{ key: 'k', value: 'v', timestamp: Date.now() }],
                }),
              },
            ],
          },
        ],
      });
    // Kafka writes markers after answering (CONCURRENT_TRANSACTIONS until done) and loads its
    // transaction log lazily (NOT_COORDINATOR, ...): clients retry these, so does this.
    const end = async (epoch: number, committed: boolean) => {
      for (let i = 0; ; i++) {
        const r = await c.send(EndTxn, 5, { transactionalId: txnId, producerId, producerEpoch: epoch, committed });
        if (![14, 15, 16, 51].includes(r.errorCode) || i >= 100) return r;
        await new Promise((res) => setTimeout(res, 50));
      }
    };
    const p1 = await produce(producerEpoch, 0);
    const e1 = await end(producerEpoch, true);
    const retry = await end(producerEpoch, true);
    const opposite = await end(producerEpoch, false);
    const stale = await produce(producerEpoch, 1);
    const p2 = await produce(e1.producerEpoch, 0);
    const e2 = await end(e1.producerEpoch, false);
    const emptyAbort = await end(e2.producerEpoch, false);
    const emptyCommit = await end(emptyAbort.producerEpoch, true);
    const code = (r: { responses: Array<{ partitionResponses: Array<{ errorCode: number }> }> }) =>
      r.responses[0]!.partitionResponses[0]!.errorCode;
    const bump = (r: { errorCode: number; producerId: number; producerEpoch: number }, from: number) => ({
      errorCode: r.errorCode,
      sameId: r.producerId === producerId,
      epoch: r.producerEpoch - from,
    });
    return {
      p1: code(p1),
      e1: bump(e1, producerEpoch),
      retry: bump(retry, producerEpoch),
      opposite: opposite.errorCode,
      stale: code(stale),
      p2: code(p2),
      e2: bump(e2, producerEpoch),
      emptyAbort: bump(emptyAbort, producerEpoch),
      emptyCommit: emptyCommit.errorCode,
    };
  };
  const [theirs, ours] = [await run(pair.kafka), await run(pair.kafkalite)];
  if (process.env.V44_DUMP) console.log(JSON.stringify({ theirs, ours }));
  assert.deepEqual(ours, theirs);
});

test('TxnOffsetCommit v5 (implicit AddOffsetsToTxn) and v6 (topic ids, UNKNOWN_TOPIC_ID) as Kafka 4.4 answers them', T, async () => {
  const run = async (side: Side) => {
    const c = await side.client();
    const txnId = `wire-toc-${side.name}`;
    for (const [keyType, key] of [
      [1, txnId],
      [0, 'toc-group'],
    ] as const) {
      for (let i = 0; i < 100; i++) {
        const fc = await c.send(FindCoordinator, 4, { keyType, coordinatorKeys: [key] });
        if (fc.coordinators[0]!.errorCode === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const retrying = async <R>(send: () => Promise<R>, code: (r: R) => number): Promise<R> => {
      for (let i = 0; ; i++) {
        const r = await send();
        if (![14, 15, 16, 51].includes(code(r)) || i >= 100) return r;
        await new Promise((res) => setTimeout(res, 100));
      }
    };
    const init = await retrying(
      () => c.send(InitProducerId, 5, { transactionalId: txnId, transactionTimeoutMs: 60_000, producerId: -1, producerEpoch: -1 }),
      (r) => r.errorCode,
    );
    assert.equal(init.errorCode, 0, `${side.name}: InitProducerId`);
    const commit = (version: number, topics: Array<{ name?: string; topicId?: string; partitions: number[] }>) =>
      retrying(
        () =>
          c.send(TxnOffsetCommit, version, {
            transactionalId: txnId,
            groupId: 'toc-group',
            producerId: init.producerId,
            producerEpoch: init.producerEpoch,
            generationIdOrMemberEpoch: -1,
            memberId: '',
            groupInstanceId: null,
            topics: topics.map((t) => ({
              ...t,
              partitions: t.partitions.map((partitionIndex) => ({ partitionIndex, committedOffset: 3, committedMetadata: '' })),
            })),
          }),
        (r) => r.topics[0]?.partitions[0]?.errorCode ?? 0,
      );
    const v5 = await commit(5, [{ name: 'txv2', partitions: [0] }]);
    const v6 = await commit(6, [
      { topicId: side.ids.get('txv2')!, partitions: [1] },
      { topicId: 'q83vEjRWeJASNFZ4kBI0Vg', partitions: [0] },
    ]);
    const names = new Map([...side.ids].map(([n, id]) => [id, n]));
    const end = await retrying(
      () => c.send(EndTxn, 5, { transactionalId: txnId, producerId: init.producerId, producerEpoch: init.producerEpoch, committed: true }),
      (r) => r.errorCode,
    );
    return {
      v5: v5.topics,
      v6: v6.topics.map((t) => ({ ...t, topicId: names.get(t.topicId) ?? t.topicId })),
      end: end.errorCode,
    };
  };
  const [theirs, ours] = [await run(pair.kafka), await run(pair.kafkalite)];
  if (process.env.V44_DUMP) console.log(JSON.stringify({ theirs, ours }));
  assert.deepEqual(ours, theirs);
});
