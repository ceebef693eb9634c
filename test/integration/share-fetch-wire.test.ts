// Share groups' delivery (KIP-932) over real TCP with the raw wire client: ShareFetch and
// ShareAcknowledge against share partitions (broker/share/), on the virtual clock so lock expiry
// happens at once: acquire modes, accept/release/reject, delivery counts and archiving at
// share.delivery.count.limit, lock expiry and renew, long polling woken by an append, and
// `__share_group_state` (ShareSnapshot/ShareUpdate records) replayed by a broker restarted on the
// same data directory: accepted records never come back, the others do. Membership is the share
// group coordinator's; until it validates member ids, any member id fetches.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startBroker, type Broker, type VirtualClock } from '../../broker/index.js';
import { decodeVersioned } from '../../protocol/messages/group-records.js';
import {
  AlterShareGroupOffsets,
  DeleteShareGroupOffsets,
  DescribeShareGroupOffsets,
  IncrementalAlterConfigs,
  Produce,
  ShareAcknowledge,
  ShareFetch,
  ShareGroupHeartbeat,
} from '../../protocol/messages/index.js';
import { ShareSnapshotKey, ShareSnapshotValue, ShareUpdateValue } from '../../protocol/messages/share-state-records.js';
import { buildBatch, decodeBatchRecords, iterateEntries, type DecodedRecord } from '../../protocol/records/index.js';
import { addPartitions, endTxn, initProducerId, produce, producerBatch } from './eos-helpers.js';
import { tempDir } from './helpers.js';
import { WireClient } from './wire-client.js';

const T = { timeout: 60_000 };
const A = 'AAAAAAAAAAAAAAAAAAAAAQ';
const B = 'AAAAAAAAAAAAAAAAAAAAAg';

let broker: Broker;
let clock: VirtualClock;
let c: WireClient;

before(async () => {
  broker = await startBroker({ clock: 'virtual', topics: { t: 1, lim: 1, renew: 1, poll: 1, tx: 1 } });
  clock = broker.clock as VirtualClock;
  c = await WireClient.connect(broker.bootstrap);
});
after(async () => {
  await c.close();
  await broker.stop();
});

const topicId = (b: Broker, name: string) => b.core.topics.get(name)!.id;

async function groupConfig(client: WireClient, group: string, configs: Record<string, string>): Promise<void> {
  const res = await client.send(IncrementalAlterConfigs, 1, {
    resources: [
      {
        resourceType: 32,
        resourceName: group,
        configs: Object.entries(configs).map(([name, value]) => ({ name, configOperation: 0, value })),
      },
    ],
    validateOnly: false,
  });
  assert.equal(res.responses[0]!.errorCode, 0, JSON.stringify(res.responses[0]));
}

/** One record batch of `values` (the test kit's produce() writes one batch per record). */
async function produceBatch(client: WireClient, topic: string, values: string[]): Promise<void> {
  const res = await client.send(Produce, 12, {
    transactionalId: null,
    acks: -1,
    timeoutMs: 5000,
    topicData: [{ name: topic, partitionData: [{ index: 0, records: buildBatch({ records: values.map((value) => ({ value })) }) }] }],
  });
  assert.equal(res.responses[0]!.partitionResponses[0]!.errorCode, 0);
}

type Ack = { firstOffset: number; lastOffset: number; acknowledgeTypes: number[] };

function fetchReq(
  group: string,
  member: string,
  epoch: number,
  tid: string,
  o: { acks?: Ack[]; maxRecords?: number; mode?: number; wait?: number } = {},
) {
  return {
    groupId: group,
    memberId: member,
    shareSessionEpoch: epoch,
    maxWaitMs: o.wait ?? 0,
    minBytes: 1,
    maxBytes: 1_048_576,
    maxRecords: o.maxRecords ?? 500,
    batchSize: 500,
    shareAcquireMode: o.mode ?? 0,
    isRenewAck: false,
    topics: [{ topicId: tid, partitions: [{ partitionIndex: 0, acknowledgementBatches: o.acks ?? [] }] }],
    forgottenTopicsData: [],
  };
}

function ackReq(group: string, member: string, epoch: number, tid: string, acks: Ack[], isRenewAck = false) {
  return {
    groupId: group,
    memberId: member,
    shareSessionEpoch: epoch,
    isRenewAck,
    topics: [{ topicId: tid, partitions: [{ partitionIndex: 0, acknowledgementBatches: acks }] }],
  };
}

// biome-ignore lint/suspicious/noExplicitAny: decoded responses
const acquired = (res: any) =>
  (res.responses[0]?.partitions[0]?.acquiredRecords ?? []) as Array<{ firstOffset: number; lastOffset: number; deliveryCount: number }>;

/** The values of the records in a ShareFetch answer, for the acquired offsets only. */
// biome-ignore lint/suspicious/noExplicitAny: decoded responses
function values(res: any): string[] {
  const p = res.responses[0]?.partitions[0];
  if (!p?.records) return [];
  const buf: Buffer = Array.isArray(p.records) ? Buffer.concat(p.records) : p.records;
  const ranges = acquired(res);
  const out: string[] = [];
  for (const e of iterateEntries(buf)) {
    for (const r of decodeBatchRecords(buf, e.position).records) {
      if (ranges.some((x) => x.firstOffset <= r.offset && r.offset <= x.lastOffset)) out.push(r.value!.toString());
    }
  }
  return out;
}

test(
  'record_limit and batch_optimized acquisition, accept/release/reject, redelivery with counts, the start offset moving',
  T,
  async () => {
    const tid = topicId(broker, 't');
    await groupConfig(c, 'g1', { 'share.auto.offset.reset': 'earliest' });
    await produceBatch(c, 't', ['a', 'b', 'c', 'd', 'e']);
    await produceBatch(c, 't', ['f', 'g']);

    // v2 record_limit: exactly 3 records of the 5-record batch.
    let res = await c.send(ShareFetch, 2, fetchReq('g1', A, 0, tid, { maxRecords: 3, mode: 1 }));
    assert.equal(res.errorCode, 0);
    assert.equal(res.acquisitionLockTimeoutMs, 30_000);
    assert.deepEqual(acquired(res), [{ firstOffset: 0, lastOffset: 2, deliveryCount: 1 }]);
    assert.deepEqual(values(res), ['a', 'b', 'c']);

    // Accept 0, release 1, reject 2 (per-offset types), piggybacked on the next fetch (batch_optimized, maxRecords 1:
    // the released record comes first, then the whole rest of the batch it starts).
    res = await c.send(
      ShareFetch,
      2,
      fetchReq('g1', A, 1, tid, { acks: [{ firstOffset: 0, lastOffset: 2, acknowledgeTypes: [1, 2, 3] }], maxRecords: 1 }),
    );
    assert.equal(res.responses[0]!.partitions[0]!.acknowledgeErrorCode, 0);
    assert.deepEqual(acquired(res), [{ firstOffset: 1, lastOffset: 1, deliveryCount: 2 }]);
    res = await c.send(ShareFetch, 2, fetchReq('g1', A, 2, tid, { maxRecords: 1 }));
    assert.deepEqual(acquired(res), [{ firstOffset: 3, lastOffset: 4, deliveryCount: 1 }], 'batch_optimized takes the rest of the batch');

    // Another member: only records nobody holds (5, 6).
    res = await c.send(ShareFetch, 2, fetchReq('g1', B, 0, tid));
    assert.deepEqual(acquired(res), [{ firstOffset: 5, lastOffset: 6, deliveryCount: 1 }]);
    assert.deepEqual(values(res), ['f', 'g']);

    // A acknowledging B's records: INVALID_RECORD_STATE, nothing applied.
    let ack = await c.send(ShareAcknowledge, 2, ackReq('g1', A, 3, tid, [{ firstOffset: 5, lastOffset: 5, acknowledgeTypes: [1] }]));
    assert.equal(ack.responses[0]!.partitions[0]!.errorCode, 121);
    ack = await c.send(
      ShareAcknowledge,
      2,
      ackReq('g1', A, 4, tid, [
        { firstOffset: 1, lastOffset: 1, acknowledgeTypes: [1] },
        { firstOffset: 3, lastOffset: 4, acknowledgeTypes: [1] },
      ]),
    );
    assert.equal(ack.responses[0]!.partitions[0]!.errorCode, 0);
    let [summary] = broker.core.share.describe('g1');
    assert.deepEqual(
      [summary!.startOffset, summary!.inFlight, summary!.acknowledged, summary!.released, summary!.archived],
      [5, 2, 4, 1, 1],
    );

    // B closes its session (final epoch): its records are released and A gets them with count 2.
    res = await c.send(ShareFetch, 2, { ...fetchReq('g1', B, -1, tid), topics: [] });
    assert.equal(res.errorCode, 0);
    res = await c.send(ShareFetch, 2, fetchReq('g1', A, 5, tid));
    assert.deepEqual(acquired(res), [{ firstOffset: 5, lastOffset: 6, deliveryCount: 2 }]);
    await c.send(ShareAcknowledge, 2, ackReq('g1', A, 6, tid, [{ firstOffset: 5, lastOffset: 6, acknowledgeTypes: [1] }]));
    [summary] = broker.core.share.describe('g1');
    assert.deepEqual([summary!.startOffset, summary!.inFlight], [7, 0]);
  },
);

test('lock expiry on the broker clock makes records available again; share.delivery.count.limit archives them', T, async () => {
  const tid = topicId(broker, 'lim');
  await groupConfig(c, 'g2', { 'share.auto.offset.reset': 'earliest', 'share.delivery.count.limit': '2' });
  broker.produce('lim', ['x', 'y']);
  let res = await c.send(ShareFetch, 2, fetchReq('g2', A, 0, tid));
  assert.deepEqual(acquired(res), [{ firstOffset: 0, lastOffset: 1, deliveryCount: 1 }]);
  res = await c.send(ShareFetch, 2, fetchReq('g2', B, 0, tid));
  assert.deepEqual(acquired(res), [], 'locked by A');
  await clock.advance('30s');
  res = await c.send(ShareFetch, 2, fetchReq('g2', B, 1, tid));
  assert.deepEqual(acquired(res), [{ firstOffset: 0, lastOffset: 1, deliveryCount: 2 }]);
  // A's acknowledgement after its lock expired is refused.
  const ack = await c.send(ShareAcknowledge, 2, ackReq('g2', A, 1, tid, [{ firstOffset: 0, lastOffset: 0, acknowledgeTypes: [1] }]));
  assert.equal(ack.responses[0]!.partitions[0]!.errorCode, 121);
  await clock.advance('30s');
  // Delivered twice, the limit: archived, the start offset passes them.
  res = await c.send(ShareFetch, 2, fetchReq('g2', B, 2, tid));
  assert.deepEqual(acquired(res), []);
  const [summary] = broker.core.share.describe('g2');
  assert.deepEqual([summary!.startOffset, summary!.archived], [2, 2]);
});

test('renew (v2, is_renew_ack) restarts the acquisition lock', T, async () => {
  const tid = topicId(broker, 'renew');
  await groupConfig(c, 'g3', { 'share.auto.offset.reset': 'earliest' });
  broker.produce('renew', ['r']);
  let res = await c.send(ShareFetch, 2, fetchReq('g3', A, 0, tid));
  assert.deepEqual(acquired(res), [{ firstOffset: 0, lastOffset: 0, deliveryCount: 1 }]);
  await clock.advance('20s');
  // Renew in a request not flagged is_renew_ack: INVALID_REQUEST.
  let ack = await c.send(ShareAcknowledge, 2, ackReq('g3', A, 1, tid, [{ firstOffset: 0, lastOffset: 0, acknowledgeTypes: [4] }]));
  assert.equal(ack.responses[0]!.partitions[0]!.errorCode, 42);
  ack = await c.send(ShareAcknowledge, 2, ackReq('g3', A, 2, tid, [{ firstOffset: 0, lastOffset: 0, acknowledgeTypes: [4] }], true));
  assert.equal(ack.responses[0]!.partitions[0]!.errorCode, 0);
  await clock.advance('20s');
  res = await c.send(ShareFetch, 2, fetchReq('g3', B, 0, tid));
  assert.deepEqual(acquired(res), [], 'still held: the lock was renewed 20 s ago');
  await clock.advance('11s');
  res = await c.send(ShareFetch, 2, fetchReq('g3', B, 1, tid));
  assert.deepEqual(acquired(res), [{ firstOffset: 0, lastOffset: 0, deliveryCount: 2 }]);
});

test('max_wait_ms parks a fetch until an append (latest: records produced before the first fetch are not delivered)', T, async () => {
  const tid = topicId(broker, 'poll');
  broker.produce('poll', ['old']);
  let res = await c.send(ShareFetch, 2, fetchReq('g4', A, 0, tid));
  assert.deepEqual(acquired(res), [], 'share.auto.offset.reset=latest');
  const parked = c.send(ShareFetch, 2, fetchReq('g4', A, 1, tid, { wait: 60_000 }));
  await new Promise((r) => setTimeout(r, 100));
  broker.produce('poll', ['new']);
  res = await parked;
  assert.deepEqual(acquired(res), [{ firstOffset: 1, lastOffset: 1, deliveryCount: 1 }]);
  assert.deepEqual(values(res), ['new']);
});

test(
  'offsets admin with a share group member: NON_EMPTY_GROUP, assigned partitions described; after it leaves, alter and delete',
  T,
  async () => {
    const tid = topicId(broker, 'poll');
    const hb = await c.send(ShareGroupHeartbeat, 1, {
      groupId: 'g5',
      memberId: A,
      memberEpoch: 0,
      rackId: null,
      subscribedTopicNames: ['poll'],
    });
    assert.equal(hb.errorCode, 0);
    // A join is answered with an empty assignment; the partitions come on a heartbeat once
    // group.share.assignment.interval.ms (1 s, on the virtual clock here) has passed.
    await clock.advance('1s');
    const assigned = await c.send(ShareGroupHeartbeat, 1, {
      groupId: 'g5',
      memberId: A,
      memberEpoch: hb.memberEpoch,
      rackId: null,
      subscribedTopicNames: null,
    });
    assert.deepEqual(
      assigned.assignment?.topicPartitions.map((t) => [t.topicId, t.partitions]),
      [[tid, [0]]],
    );
    const alter = (startOffset: number) =>
      c.send(AlterShareGroupOffsets, 0, {
        groupId: 'g5',
        topics: [{ topicName: 'poll', partitions: [{ partitionIndex: 0, startOffset }] }],
      });
    let res = await alter(0);
    assert.deepEqual([res.errorCode, res.errorMessage], [68, 'The group is not empty.']);
    const del = await c.send(DeleteShareGroupOffsets, 0, { groupId: 'g5', topics: [{ topicName: 'poll' }] });
    assert.equal(del.errorCode, 68);
    let described = await c.send(DescribeShareGroupOffsets, 1, { groups: [{ groupId: 'g5', topics: null }] });
    assert.deepEqual(described.groups[0]!.topics, [
      {
        topicName: 'poll',
        topicId: tid,
        partitions: [{ partitionIndex: 0, startOffset: -1, leaderEpoch: 0, lag: -1, errorCode: 0, errorMessage: null }],
      },
    ]);
    const left = await c.send(ShareGroupHeartbeat, 1, {
      groupId: 'g5',
      memberId: A,
      memberEpoch: -1,
      rackId: null,
      subscribedTopicNames: null,
    });
    assert.equal(left.errorCode, 0);
    res = await alter(1);
    assert.equal(res.errorCode, 0);
    assert.deepEqual(res.responses[0]!.partitions, [{ partitionIndex: 0, errorCode: 0, errorMessage: null }]);
    described = await c.send(DescribeShareGroupOffsets, 1, { groups: [{ groupId: 'g5', topics: null }] });
    const hw = broker.core.topics.get('poll')!.partitions[0]!.log.highWatermark;
    assert.deepEqual(described.groups[0]!.topics[0]!.partitions[0], {
      partitionIndex: 0,
      startOffset: 1,
      leaderEpoch: 0,
      lag: hw - 1,
      errorCode: 0,
      errorMessage: null,
    });
  },
);

test('group.share.max.share.sessions: one session more is SHARE_SESSION_LIMIT_REACHED; totals for /metrics', T, async () => {
  const b = await startBroker({ config: { 'group.share.max.share.sessions': 1 }, topics: { one: 1 } });
  const w = await WireClient.connect(b.bootstrap);
  try {
    const tid = topicId(b, 'one');
    assert.equal((await w.send(ShareFetch, 2, fetchReq('gs', A, 0, tid))).errorCode, 0);
    assert.equal((await w.send(ShareFetch, 2, fetchReq('gs', B, 0, tid))).errorCode, 133);
    assert.equal((await w.send(ShareFetch, 2, fetchReq('gs', A, 0, tid))).errorCode, 0, 'the member reopening its own session');
    assert.deepEqual(b.core.share.totals(), { acknowledged: 0, released: 0, archived: 0, inFlight: 0, sessions: 1 });
  } finally {
    await w.close();
    await b.stop();
  }
});

test('share.isolation.level=read_committed: aborted records and markers are never delivered, open transactions hold back', T, async () => {
  const tid = topicId(broker, 'tx');
  await groupConfig(c, 'g6', { 'share.auto.offset.reset': 'earliest', 'share.isolation.level': 'read_committed' });
  const p = await initProducerId(c, 'share-tx');
  const batch = (seq: number, values: string[]) =>
    producerBatch({ producerId: p.producerId, epoch: p.producerEpoch, seq, values, transactional: true });
  await addPartitions(c, 'share-tx', p.producerId, p.producerEpoch, 'tx', [0]);
  await produce(c, 'tx', 0, batch(0, ['a0', 'a1']), 'share-tx');
  assert.equal(await endTxn(c, 'share-tx', p.producerId, p.producerEpoch, false), 0); // offsets 0-1 aborted, 2 marker
  await addPartitions(c, 'share-tx', p.producerId, p.producerEpoch, 'tx', [0]);
  await produce(c, 'tx', 0, batch(2, ['c0']), 'share-tx');
  assert.equal(await endTxn(c, 'share-tx', p.producerId, p.producerEpoch, true), 0); // 3 committed, 4 marker
  await addPartitions(c, 'share-tx', p.producerId, p.producerEpoch, 'tx', [0]);
  await produce(c, 'tx', 0, batch(3, ['open']), 'share-tx'); // 5, still open: beyond the LSO
  const res = await c.send(ShareFetch, 2, fetchReq('g6', A, 0, tid));
  assert.deepEqual(acquired(res), [{ firstOffset: 3, lastOffset: 3, deliveryCount: 1 }]);
  assert.deepEqual(values(res), ['c0']);
  const [summary] = broker.core.share.describe('g6');
  assert.equal(summary!.startOffset, 3, 'aborted records and markers archived on sight');
});

function stateRecords(b: Broker): DecodedRecord[] {
  const topic = b.core.topics.get('__share_group_state')!;
  const out: DecodedRecord[] = [];
  for (const p of topic.partitions) {
    const read = p.log.read(p.log.logStartOffset, { maxBytes: 1 << 24, maxOffset: p.log.highWatermark, minOneBatch: true });
    const buf = Buffer.concat(read.chunks);
    for (const e of iterateEntries(buf)) out.push(...decodeBatchRecords(buf, e.position).records);
  }
  return out;
}

test('__share_group_state: ShareSnapshot then ShareUpdate records; a restart redelivers only what was not acknowledged', T, async () => {
  const dir = tempDir();
  try {
    let b = await startBroker({ dataDir: dir.path, topics: { d: 1 } });
    let w = await WireClient.connect(b.bootstrap);
    const tid = topicId(b, 'd');
    await groupConfig(w, 'gd', { 'share.auto.offset.reset': 'earliest' });
    b.produce(
      'd',
      Array.from({ length: 10 }, (_, i) => `v${i}`),
    );
    let res = await w.send(ShareFetch, 1, fetchReq('gd', A, 0, tid));
    assert.deepEqual(acquired(res), [{ firstOffset: 0, lastOffset: 9, deliveryCount: 1 }]);
    const ack = await w.send(
      ShareAcknowledge,
      1,
      ackReq('gd', A, 1, tid, [
        { firstOffset: 0, lastOffset: 2, acknowledgeTypes: [1] },
        { firstOffset: 4, lastOffset: 4, acknowledgeTypes: [1] },
        { firstOffset: 6, lastOffset: 6, acknowledgeTypes: [3] },
      ]),
    );
    assert.equal(ack.responses[0]!.partitions[0]!.errorCode, 0);

    const recs = stateRecords(b);
    assert.ok(recs.length >= 3, `${recs.length} records`);
    assert.deepEqual(
      recs.map((r) => r.key!.readInt16BE(0)),
      [0, ...recs.slice(1).map(() => 1)],
      'a snapshot first, updates after',
    );
    assert.deepEqual(decodeVersioned(ShareSnapshotKey, recs[0]!.key!).value, { groupId: 'gd', topicId: tid, partition: 0 });
    const snap = decodeVersioned(ShareSnapshotValue, recs[0]!.value!).value;
    assert.deepEqual([snap.snapshotEpoch, snap.startOffset, snap.stateBatches], [0, 0, []]);
    const last = decodeVersioned(ShareUpdateValue, recs[recs.length - 1]!.value!).value;
    assert.equal(last.startOffset, 3);
    assert.deepEqual(
      last.stateBatches.map((x) => [x.firstOffset, x.lastOffset, x.deliveryState, x.deliveryCount]),
      [
        [3, 3, 1, 1],
        [4, 4, 2, 1],
        [5, 5, 1, 1],
        [6, 6, 4, 1],
        [7, 9, 1, 1],
      ],
    );
    await w.close();
    await b.stop();

    b = await startBroker({ dataDir: dir.path });
    w = await WireClient.connect(b.bootstrap);
    res = await w.send(ShareFetch, 1, fetchReq('gd', B, 0, tid));
    assert.deepEqual(acquired(res), [
      { firstOffset: 3, lastOffset: 3, deliveryCount: 2 },
      { firstOffset: 5, lastOffset: 5, deliveryCount: 2 },
      { firstOffset: 7, lastOffset: 9, deliveryCount: 2 },
    ]);
    assert.deepEqual(values(res), ['v3', 'v5', 'v7', 'v8', 'v9']);
    await w.close();
    await b.stop();
  } finally {
    dir.remove();
  }
});
