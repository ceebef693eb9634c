// Produce, Fetch, ListOffsets, OffsetForLeaderEpoch, DeleteRecords, DescribeProducers: the
// data path, happy and error answers.

import { DeleteRecords, DescribeProducers, Fetch, ListOffsets, OffsetForLeaderEpoch, Produce } from '../../../protocol/messages/index.js';
import { buildBatch, Codec, CRC_OFFSET } from '../../../protocol/records/index.js';
import type { Ctx, Scenario, Step } from '../oracle.js';
import { coordinator, createTopic, fetchBody, idempotentProducer, produceBody, produceSetup, records, TS } from '../steps.js';

const produce = (suffix: string, batch: (c: Ctx) => Buffer, o: { partition?: number; acks?: number } = {}): Step => ({
  api: Produce,
  body: (c) => produceBody(c.name(suffix), batch(c), o.partition ?? 0, { acks: o.acks ?? -1 }),
});

function badCrc(): Buffer {
  const b = records(2);
  b.writeUInt32BE((b.readUInt32BE(CRC_OFFSET) ^ 0xff) >>> 0, CRC_OFFSET);
  return b;
}

const listOffsets = (suffix: string, timestamp: number, partition = 0): Step => ({
  api: ListOffsets,
  body: (c) => ({
    replicaId: -1,
    isolationLevel: 0,
    topics: [{ name: c.name(suffix), partitions: [{ partitionIndex: partition, currentLeaderEpoch: -1, timestamp, maxNumOffsets: 1 }] }],
    timeoutMs: 5000,
  }),
});

const fetch = (suffix: string, offset: number, more: Parameters<typeof fetchBody>[3] = {}, maxBytes?: number): Step => ({
  api: Fetch,
  body: (c) => fetchBody(c, suffix, [{ offset, maxBytes }], more),
});

const withTopic = (steps: Step[], configs: Record<string, string> = {}, partitions = 1): Step[] => [
  ...createTopic('t', partitions, configs),
  ...steps,
];

export const PRODUCE_FETCH_SCENARIOS: Scenario[] = [
  // Produce
  { id: 'data/produce', api: Produce, steps: withTopic([produce('t', () => records(3)), produce('t', () => records(2))]) },
  {
    id: 'data/produce-removed-versions',
    api: Produce,
    versions: [0, 1, 2],
    about: 'versions Kafka 4 advertises but no longer accepts',
    steps: withTopic([produce('t', () => records(1))]),
  },
  { id: 'data/produce-acks-1', api: Produce, steps: withTopic([produce('t', () => records(1), { acks: 1 })]) },
  { id: 'data/produce-gzip', api: Produce, steps: withTopic([produce('t', () => records(3, { compression: Codec.GZIP }))]) },
  { id: 'data/produce-unknown-topic', api: Produce, steps: [produce('missing', () => records(1))] },
  { id: 'data/produce-unknown-partition', api: Produce, steps: withTopic([produce('t', () => records(1), { partition: 3 })]) },
  { id: 'data/produce-invalid-acks', api: Produce, steps: withTopic([produce('t', () => records(1), { acks: 2 })]) },
  { id: 'data/produce-bad-crc', api: Produce, steps: withTopic([produce('t', badCrc)]) },
  {
    id: 'data/produce-too-large',
    api: Produce,
    about: 'a batch over the topic max.message.bytes',
    steps: withTopic([produce('t', () => records(20))], { 'max.message.bytes': '200' }),
  },
  {
    id: 'data/produce-invalid-timestamp',
    api: Produce,
    steps: withTopic([produce('t', () => records(2, { ts: 1000 }))], { 'message.timestamp.before.max.ms': '3600000' }),
  },
  {
    id: 'data/produce-compacted-null-key',
    api: Produce,
    steps: withTopic(
      [
        produce('t', () =>
          buildBatch({
            records: [
              { key: 'k', value: 'a', timestamp: TS },
              { key: null, value: 'b', timestamp: TS },
            ],
          }),
        ),
      ],
      { 'cleanup.policy': 'compact' },
    ),
  },
  {
    id: 'data/produce-log-append-time',
    api: Produce,
    steps: withTopic([produce('t', () => records(2))], { 'message.timestamp.type': 'LogAppendTime' }),
  },
  {
    id: 'data/produce-internal-topic',
    api: Produce,
    steps: [coordinator('g'), { api: Produce, body: produceBody('__consumer_offsets', records(1)) }],
  },
  {
    id: 'data/produce-idempotent',
    api: Produce,
    about: 'in order, a duplicate of the last batch, then a gap',
    steps: withTopic([
      idempotentProducer(),
      produce('t', (c) => records(2, { producerId: c.vars.producerId, producerEpoch: 0, baseSequence: 0 })),
      produce('t', (c) => records(2, { producerId: c.vars.producerId, producerEpoch: 0, baseSequence: 2 })),
      produce('t', (c) => records(2, { producerId: c.vars.producerId, producerEpoch: 0, baseSequence: 2 })),
      produce('t', (c) => records(2, { producerId: c.vars.producerId, producerEpoch: 0, baseSequence: 9 })),
    ]),
  },
  {
    id: 'data/produce-unknown-producer-id',
    api: Produce,
    steps: withTopic([produce('t', () => records(1, { producerId: 987654, producerEpoch: 0, baseSequence: 5 }))]),
  },
  {
    id: 'data/produce-stale-producer-epoch',
    api: Produce,
    steps: withTopic([
      idempotentProducer(),
      produce('t', (c) => records(1, { producerId: c.vars.producerId, producerEpoch: 3, baseSequence: 0 })),
      produce('t', (c) => records(1, { producerId: c.vars.producerId, producerEpoch: 1, baseSequence: 0 })),
    ]),
  },

  // Fetch
  { id: 'data/fetch', api: Fetch, steps: withTopic([produceSetup('t', 3), produceSetup('t', 2), fetch('t', 0)]) },
  { id: 'data/fetch-middle-offset', api: Fetch, steps: withTopic([produceSetup('t', 3), produceSetup('t', 2), fetch('t', 4)]) },
  { id: 'data/fetch-at-end', api: Fetch, steps: withTopic([produceSetup('t', 3), fetch('t', 3)]) },
  { id: 'data/fetch-out-of-range', api: Fetch, steps: withTopic([produceSetup('t', 3), fetch('t', 50), fetch('t', -5)]) },
  {
    id: 'data/fetch-small-max-bytes',
    api: Fetch,
    about: 'KIP-74: the first batch is returned even when bigger than the limits',
    steps: withTopic([produceSetup('t', 3), produceSetup('t', 2), fetch('t', 0, { maxBytes: 10 }, 10)]),
  },
  {
    id: 'data/fetch-session',
    api: Fetch,
    versions: [7, 12, 17],
    about: 'epoch 0 asks for an incremental fetch session (KIP-227)',
    steps: withTopic([produceSetup('t', 2), fetch('t', 0, { sessionEpoch: 0 })]),
  },
  {
    id: 'data/fetch-session-incremental',
    api: Fetch,
    versions: [12, 18],
    about:
      'KIP-227: a session from a full fetch; an incremental fetch with nothing new answers no partitions, one after a produce only that partition; a replayed epoch and an unknown session id are refused',
    steps: withTopic(
      [
        produceSetup('t', 3, 0),
        {
          api: Fetch,
          body: (c) =>
            fetchBody(
              c,
              't',
              [
                { partition: 0, offset: 0 },
                { partition: 1, offset: 0 },
              ],
              { sessionEpoch: 0 },
            ),
          save: (r, c) => (c.vars.session = r.sessionId),
        },
        {
          api: Fetch,
          body: (c) => ({ ...fetchBody(c, 't', [{ partition: 0, offset: 3 }], { sessionEpoch: 1 }), sessionId: c.vars.session }),
        },
        produceSetup('t', 2, 1),
        { api: Fetch, body: (c) => ({ ...fetchBody(c, 't', [], { sessionEpoch: 2 }), topics: [], sessionId: c.vars.session }) },
        { api: Fetch, body: (c) => ({ ...fetchBody(c, 't', [], { sessionEpoch: 2 }), topics: [], sessionId: c.vars.session }) },
        { api: Fetch, body: (c) => ({ ...fetchBody(c, 't', [], { sessionEpoch: 1 }), topics: [], sessionId: 2_000_000_001 }) },
      ],
      {},
      2,
    ),
  },
  { id: 'data/fetch-unknown-topic', api: Fetch, steps: [fetch('missing', 0)] },
  {
    id: 'data/fetch-unknown-partition',
    api: Fetch,
    steps: withTopic([{ api: Fetch, body: (c) => fetchBody(c, 't', [{ partition: 7, offset: 0 }]) }]),
  },
  {
    id: 'data/fetch-fenced-leader-epoch',
    api: Fetch,
    versions: [9, 13, 17],
    steps: withTopic([
      { api: Fetch, body: (c) => fetchBody(c, 't', [{ offset: 0, epoch: 7 }]) },
      { api: Fetch, body: (c) => fetchBody(c, 't', [{ offset: 0, epoch: 0 }]) },
    ]),
  },
  { id: 'data/fetch-read-committed', api: Fetch, steps: withTopic([produceSetup('t', 2), fetch('t', 0, { isolationLevel: 1 })]) },

  // ListOffsets
  {
    id: 'data/list-offsets',
    api: ListOffsets,
    steps: withTopic([produceSetup('t', 3), produceSetup('t', 2), listOffsets('t', -2), listOffsets('t', -1), listOffsets('t', TS + 1)]),
  },
  { id: 'data/list-offsets-future-timestamp', api: ListOffsets, steps: withTopic([produceSetup('t', 3), listOffsets('t', TS + 60_000)]) },
  {
    id: 'data/list-offsets-max-timestamp',
    api: ListOffsets,
    versions: [7, 8, 10],
    steps: withTopic([produceSetup('t', 3), listOffsets('t', -3)]),
  },
  {
    id: 'data/list-offsets-earliest-local',
    api: ListOffsets,
    versions: [8, 9, 10],
    steps: withTopic([produceSetup('t', 3), listOffsets('t', -4)]),
  },
  { id: 'data/list-offsets-tiered', api: ListOffsets, versions: [9, 10], steps: withTopic([produceSetup('t', 3), listOffsets('t', -5)]) },
  {
    id: 'data/list-offsets-leader-epoch',
    api: ListOffsets,
    versions: [4, 7, 10],
    steps: withTopic([
      produceSetup('t', 2),
      {
        api: ListOffsets,
        body: (c) => ({
          replicaId: -1,
          topics: [
            {
              name: c.name('t'),
              partitions: [
                { partitionIndex: 0, currentLeaderEpoch: 0, timestamp: -1 },
                { partitionIndex: 0, currentLeaderEpoch: 5, timestamp: -1 },
              ],
            },
          ],
          timeoutMs: 5000,
        }),
      },
      {
        api: ListOffsets,
        body: (c) => ({
          replicaId: -1,
          topics: [
            {
              name: c.name('t'),
              partitions: [{ partitionIndex: 0, currentLeaderEpoch: 0, timestamp: -1 }],
            },
          ],
          timeoutMs: 5000,
        }),
      },
      {
        api: ListOffsets,
        body: (c) => ({
          replicaId: -1,
          topics: [
            {
              name: c.name('t'),
              partitions: [{ partitionIndex: 0, currentLeaderEpoch: 5, timestamp: -1 }],
            },
          ],
          timeoutMs: 5000,
        }),
      },
    ]),
  },
  {
    id: 'data/list-offsets-empty-topic',
    api: ListOffsets,
    steps: withTopic([listOffsets('t', -2), listOffsets('t', -1), listOffsets('t', TS)]),
  },
  { id: 'data/list-offsets-unknown-topic', api: ListOffsets, steps: [listOffsets('missing', -1)] },
  { id: 'data/list-offsets-unknown-partition', api: ListOffsets, steps: withTopic([listOffsets('t', -1, 4)]) },

  // OffsetForLeaderEpoch
  {
    id: 'data/offset-for-leader-epoch',
    api: OffsetForLeaderEpoch,
    steps: withTopic([
      produceSetup('t', 3),
      {
        api: OffsetForLeaderEpoch,
        body: (c) => ({
          replicaId: -1,
          topics: [
            {
              topic: c.name('t'),
              partitions: [
                { partition: 0, currentLeaderEpoch: -1, leaderEpoch: 0 },
                { partition: 0, currentLeaderEpoch: 0, leaderEpoch: 5 },
                { partition: 0, currentLeaderEpoch: 9, leaderEpoch: 0 },
                { partition: 3, currentLeaderEpoch: -1, leaderEpoch: 0 },
              ],
            },
            { topic: c.name('missing'), partitions: [{ partition: 0, currentLeaderEpoch: -1, leaderEpoch: 0 }] },
          ],
        }),
      },
    ]),
  },

  // DeleteRecords
  {
    id: 'data/delete-records',
    api: DeleteRecords,
    steps: withTopic(
      [
        produceSetup('t', 5),
        {
          api: DeleteRecords,
          body: (c) => ({
            topics: [
              { name: c.name('t'), partitions: [{ partitionIndex: 0, offset: 2 }] },
              { name: c.name('missing'), partitions: [{ partitionIndex: 0, offset: 1 }] },
            ],
            timeoutMs: 5000,
          }),
        },
        listOffsets('t', -2),
        fetch('t', 0),
      ],
      {},
    ),
  },
  {
    id: 'data/delete-records-errors',
    api: DeleteRecords,
    steps: withTopic([
      produceSetup('t', 3, 0),
      {
        api: DeleteRecords,
        body: (c) => ({ topics: [{ name: c.name('t'), partitions: [{ partitionIndex: 0, offset: 10 }] }], timeoutMs: 5000 }),
      },
      {
        api: DeleteRecords,
        body: (c) => ({ topics: [{ name: c.name('t'), partitions: [{ partitionIndex: 0, offset: -1 }] }], timeoutMs: 5000 }),
      },
      {
        api: DeleteRecords,
        body: (c) => ({ topics: [{ name: c.name('t'), partitions: [{ partitionIndex: 1, offset: 0 }] }], timeoutMs: 5000 }),
      },
    ]),
  },
  {
    id: 'data/delete-records-compacted',
    api: DeleteRecords,
    versions: 'newest',
    steps: withTopic(
      [
        produceSetup('t', 3, 0),
        {
          api: DeleteRecords,
          body: (c) => ({ topics: [{ name: c.name('t'), partitions: [{ partitionIndex: 0, offset: 1 }] }], timeoutMs: 5000 }),
        },
      ],
      { 'cleanup.policy': 'compact' },
    ),
  },

  // DescribeProducers
  {
    id: 'data/describe-producers',
    api: DescribeProducers,
    steps: withTopic([
      idempotentProducer(),
      { ...produce('t', (c) => records(2, { producerId: c.vars.producerId, producerEpoch: 0, baseSequence: 0 })), compare: false },
      {
        api: DescribeProducers,
        body: (c) => ({
          topics: [
            { name: c.name('t'), partitionIndexes: [0, 5] },
            { name: c.name('missing'), partitionIndexes: [0] },
          ],
        }),
      },
    ]),
  },
];
