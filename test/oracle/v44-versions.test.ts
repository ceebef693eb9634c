// The versions Kafka 4.4 added to APIs kafkalite already served, each asked of Apache Kafka
// 4.4.0 and of kafkalite with the same request and compared field by field (after
// test/oracle/v44-pair.ts's normalisation): Metadata v13, Produce v12-13, Fetch v18,
// ListOffsets v11, OffsetCommit/OffsetFetch v10, DescribeGroups v6, DeleteGroups v3,
// DescribeCluster v2, ListTransactions v2, DescribeLogDirs v5, and the served ranges.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  ApiVersions,
  DeleteGroups,
  DescribeCluster,
  DescribeGroups,
  DescribeLogDirs,
  Fetch,
  FindCoordinator,
  InitProducerId,
  ListOffsets,
  ListTransactions,
  Metadata,
  OffsetCommit,
  OffsetFetch,
  Produce,
} from '../../protocol/messages/index.js';
import { FETCH_AT_ONCE } from '../integration/wire-client.js';
import { batch, createTopic, normalise, startPair, type Pair, type Side } from './v44-pair.js';

const T = { timeout: 60_000 };
const UNKNOWN_ID = 'q83vEjRWeJASNFZ4kBI0Vg';
const NOW = Date.now();
/** Served below Kafka 4.4's maximum for now: none. */
const BEHIND = new Set<number>([]);
/** Advertised by kafkalite only: client telemetry (71, 72), which Kafka 4.4 offers only with a receiver plugin (TEL1 in docs/DIVERGENCES.md). */
const OURS_ONLY = new Set<number>([71, 72]);

let pair: Pair;
before(async () => {
  pair = await startPair();
  for (const side of [pair.kafka, pair.kafkalite]) {
    await createTopic(side, 'v44-a', 2);
    await createTopic(side, 'v44-b', 1);
    await coordinatorReady(side, 'v44-simple');
  }
});
after(async () => pair?.stop());

/** Kafka creates `__consumer_offsets` on first use: wait until the group's coordinator answers. */
async function coordinatorReady(side: Side, groupId: string): Promise<void> {
  const c = await side.client();
  for (let i = 0; i < 200; i++) {
    const res = await c.send(FindCoordinator, 4, { keyType: 0, coordinatorKeys: [groupId] });
    if (res.coordinators[0]!.errorCode === 0) {
      const d = await c.send(DescribeGroups, 5, { groups: [groupId], includeAuthorizedOperations: false });
      if (d.groups[0]!.errorCode === 0) return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${side.name}: no coordinator for ${groupId}`);
}

/** Run `fn` against both brokers and compare the normalised answers. */
async function same(what: string, fn: (side: Side) => Promise<unknown>): Promise<unknown> {
  const [theirs, ours] = await Promise.all([fn(pair.kafka), fn(pair.kafkalite)]);
  const [k, o] = [normalise(pair.kafka, theirs), normalise(pair.kafkalite, ours)];
  if (process.env.V44_DUMP) console.log(what, JSON.stringify({ kafka: k, kafkalite: o }, null, 1));
  assert.deepEqual(o, k, what);
  return o;
}

test('ApiVersions: the ranges of the APIs kafkalite serves reach Kafka 4.4 maxima', T, async () => {
  await same('ApiVersions v4', async (side) => {
    const c = await side.client();
    const res = await c.send(ApiVersions, 4, { clientSoftwareName: 'oracle', clientSoftwareVersion: '1' });
    const ours = new Set(pair.broker.core.dispatcher.served().map((a) => a.apiKey));
    return res.apiKeys
      .filter((a) => ours.has(a.apiKey) && !BEHIND.has(a.apiKey) && !OURS_ONLY.has(a.apiKey))
      .map((a) => [a.apiKey, a.maxVersion]);
  });
});

test('Produce v13 names topics by id (UNKNOWN_TOPIC_ID for an unknown id); v12 by name', T, async () => {
  await same('Produce v13', async (side) => {
    const c = await side.client();
    const res = await c.send(Produce, 13, {
      transactionalId: null,
      acks: -1,
      timeoutMs: 5000,
      topicData: [
        { topicId: side.ids.get('v44-a')!, partitionData: [{ index: 0, records: batch([NOW, NOW + 1, NOW + 2]) }] },
        { topicId: UNKNOWN_ID, partitionData: [{ index: 0, records: batch([NOW]) }] },
        { topicId: side.ids.get('v44-b')!, partitionData: [{ index: 3, records: batch([NOW]) }] },
      ],
    });
    // Kafka's order of topics follows a hash map: compare them in request order.
    const order = [side.ids.get('v44-a'), UNKNOWN_ID, side.ids.get('v44-b')];
    return { ...res, responses: res.responses.sort((a, b) => order.indexOf(a.topicId) - order.indexOf(b.topicId)) };
  });
  await same('Produce v12', async (side) => {
    const c = await side.client();
    return c.send(Produce, 12, {
      transactionalId: null,
      acks: 1,
      timeoutMs: 5000,
      topicData: [{ name: 'v44-a', partitionData: [{ index: 1, records: batch([NOW + 10, NOW + 5]) }] }],
    });
  });
});

test('Fetch v18 (tagged follower high watermark left at its default) reads what v13 wrote', T, async () => {
  await same('Fetch v18', async (side) => {
    const c = await side.client();
    const res = await c.send(Fetch, 18, {
      ...FETCH_AT_ONCE,
      topics: [
        { topicId: side.ids.get('v44-a')!, partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20 }] },
        { topicId: UNKNOWN_ID, partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20 }] },
      ],
      forgottenTopicsData: [],
      rackId: '',
    });
    return res;
  });
});

test('ListOffsets v11: every special timestamp (-1 ... -6), and -6 refused below v11', T, async () => {
  for (const v of [10, 11]) {
    await same(`ListOffsets v${v}`, async (side) => {
      const c = await side.client();
      const out = [];
      for (const timestamp of [-1, -2, -3, -4, -5, -6, -7, NOW + 1]) {
        const res = await c.send(ListOffsets, v, {
          replicaId: -1,
          isolationLevel: 0,
          topics: [{ name: 'v44-a', partitions: [0, 1].map((partitionIndex) => ({ partitionIndex, timestamp })) }],
          timeoutMs: 5000,
        });
        out.push({ timestamp, res });
      }
      return out;
    });
  }
});

test('Metadata v13: top-level error code, topics by name and by id', T, async () => {
  await same('Metadata v13', async (side) => {
    const c = await side.client();
    const out = [];
    for (const topics of [
      [
        { name: 'v44-b', topicId: undefined },
        { name: 'v44-missing', topicId: undefined },
      ],
      [
        { name: null, topicId: side.ids.get('v44-a')! },
        { name: null, topicId: UNKNOWN_ID },
      ],
    ]) {
      const res = await c.send(Metadata, 13, { topics, allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false });
      out.push({ ...res, brokers: res.brokers.length });
    }
    return out;
  });
});

test('OffsetCommit / OffsetFetch v10 name topics by id', T, async () => {
  await same('OffsetCommit v10', async (side) => {
    const c = await side.client();
    return c.send(OffsetCommit, 10, {
      groupId: 'v44-simple',
      generationIdOrMemberEpoch: -1,
      memberId: '',
      groupInstanceId: null,
      topics: [
        { topicId: side.ids.get('v44-a')!, partitions: [{ partitionIndex: 0, committedOffset: 2, committedMetadata: 'm' }] },
        { topicId: UNKNOWN_ID, partitions: [{ partitionIndex: 0, committedOffset: 1, committedMetadata: null }] },
      ],
    });
  });
  await same('OffsetFetch v10', async (side) => {
    const c = await side.client();
    return c.send(OffsetFetch, 10, {
      groups: [
        {
          groupId: 'v44-simple',
          memberId: null,
          memberEpoch: -1,
          topics: [
            { topicId: side.ids.get('v44-a')!, partitionIndexes: [0, 1] },
            { topicId: UNKNOWN_ID, partitionIndexes: [0] },
          ],
        },
        { groupId: 'v44-simple', memberId: null, memberEpoch: -1, topics: null },
        { groupId: 'v44-nobody', memberId: null, memberEpoch: -1, topics: null },
      ],
      requireStable: true,
    });
  });
});

test('DescribeGroups v6 and DeleteGroups v3: error codes and messages', T, async () => {
  for (const v of [5, 6]) {
    await same(`DescribeGroups v${v}`, async (side) => {
      const c = await side.client();
      return c.send(DescribeGroups, v, { groups: ['v44-simple', 'v44-nobody'], includeAuthorizedOperations: false });
    });
  }
  await same('DeleteGroups v3', async (side) => {
    const c = await side.client();
    return c.send(DeleteGroups, 3, { groupsNames: ['v44-simple', 'v44-nobody'] });
  });
});

test('DescribeCluster v2, ListTransactions v2, DescribeLogDirs v5', T, async () => {
  for (const includeFencedBrokers of [false, true]) {
    await same(`DescribeCluster v2 includeFencedBrokers=${includeFencedBrokers}`, async (side) => {
      const c = await side.client();
      const res = await c.send(DescribeCluster, 2, { includeClusterAuthorizedOperations: false, endpointType: 1, includeFencedBrokers });
      return { ...res, brokers: res.brokers.map((b) => ({ ...b, host: 'HOST' })) };
    });
  }
  await Promise.all(
    [pair.kafka, pair.kafkalite].map(async (side) => {
      const c = await side.client();
      await c.send(FindCoordinator, 4, { keyType: 1, coordinatorKeys: ['v44-tx'] });
      for (let i = 0; i < 100; i++) {
        const r = await c.send(InitProducerId, 5, {
          transactionalId: 'v44-tx',
          transactionTimeoutMs: 60_000,
          producerId: -1,
          producerEpoch: -1,
        });
        if (r.errorCode === 0) return;
        await new Promise((res) => setTimeout(res, 100));
      }
      throw new Error(`${side.name}: InitProducerId keeps failing`);
    }),
  );
  for (const transactionalIdPattern of [null, '', 'v44', 'v44-.*', 'v4.-tx', '(']) {
    await same(`ListTransactions v2 pattern=${transactionalIdPattern}`, async (side) => {
      const c = await side.client();
      const res = await c.send(ListTransactions, 2, {
        stateFilters: [],
        producerIdFilters: [],
        durationFilter: -1,
        transactionalIdPattern,
      });
      return { ...res, transactionStates: res.transactionStates.map((t) => ({ ...t, producerId: 'PID' })) };
    });
  }
  await same('DescribeLogDirs v5', async (side) => {
    const c = await side.client();
    const res = await c.send(DescribeLogDirs, 5, { topics: [{ topic: 'v44-b', partitions: [0] }] });
    return res.results.map((r) => ({
      ...r,
      logDir: 'DIR',
      // Kafka's file system sizes; kafkalite's memory store has none (-1).
      totalBytes: 0,
      usableBytes: 0,
      topics: r.topics.map((t) => ({ ...t, partitions: t.partitions.map((p) => ({ ...p, partitionSize: 0 })) })),
    }));
  });
});
