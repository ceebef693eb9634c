// Replication (issue 18, broker/replication/) as far as a single-node Kafka 4.4 can show it:
// replication factors and replica assignments above the registered nodes (error codes and
// messages), replicas and ISR in Metadata, acks=all against min.insync.replicas, and
// ElectLeaders answers when every partition already has its preferred leader, and Fetch's
// last_fetched_epoch check (KIP-320) against the one epoch a single node has. Multi-node
// behaviour (ISR changes, failover, follower fetching) is in test/integration/replication.test.ts.

import { CreatePartitions, CreateTopics, ElectLeaders, Fetch, Metadata, Produce } from '../../../protocol/messages/index.js';
import type { Ctx, Res, Scenario, Step } from '../oracle.js';
import { createTopic, fetchBody, produceBody, produceSetup, records, waitTopic } from '../steps.js';

const create = (suffix: string, rf: number, assignments: number[][] = [], validateOnly = false): Step => ({
  api: CreateTopics,
  body: (c: Ctx) => ({
    topics: [
      {
        name: c.name(suffix),
        numPartitions: assignments.length > 0 ? -1 : 2,
        replicationFactor: assignments.length > 0 ? -1 : rf,
        assignments: assignments.map((brokerIds, partitionIndex) => ({ partitionIndex, brokerIds })),
        configs: [],
      },
    ],
    timeoutMs: 30_000,
    validateOnly,
  }),
});

const elect = (electionType: number, topicPartitions: ((c: Ctx) => Array<{ topic: string; partitions: number[] }>) | null): Step => ({
  api: ElectLeaders,
  body: (c: Ctx) => ({ electionType, topicPartitions: topicPartitions ? topicPartitions(c) : null, timeoutMs: 30_000 }),
});

/** ElectLeaders over every topic lists all topics of the shared broker: keep this scenario's, sorted. */
function ownTopics(kafka: Res, lite: Res): void {
  for (const r of [kafka, lite]) {
    if (!Array.isArray(r.replicaElectionResults)) continue;
    r.replicaElectionResults = r.replicaElectionResults
      .filter((t: { topic: string }) => t.topic.startsWith('replication-elect-leaders-all'))
      .sort((a: { topic: string }, b: { topic: string }) => a.topic.localeCompare(b.topic));
  }
}

/** A Fetch of partition 0 at `offset` by a fetcher whose last batch had `lastFetchedEpoch` (v12+). */
const fetchWithEpoch = (offset: number, lastFetchedEpoch: number): Step => ({
  api: Fetch,
  body: (c: Ctx) => {
    const body = fetchBody(c, 't', [{ offset, epoch: 0 }]);
    body.topics[0]!.partitions[0]!.lastFetchedEpoch = lastFetchedEpoch;
    return body;
  },
});

export const REPLICATION_SCENARIOS: Scenario[] = [
  {
    id: 'replication/fetch-last-fetched-epoch',
    api: Fetch,
    versions: [12, 17],
    about:
      'last_fetched_epoch (KIP-320) on a two-record log of epoch 0: in agreement at the log end, diverging past it ' +
      '(diverging_epoch 0 ending at 2, checked before the offset range), OFFSET_OUT_OF_RANGE for an epoch the leader never had',
    steps: [...createTopic('t'), waitTopic('t', 1), produceSetup('t', 2), fetchWithEpoch(2, 0), fetchWithEpoch(5, 0), fetchWithEpoch(1, 7)],
  },
  {
    id: 'replication/create-rf-above-nodes',
    api: CreateTopics,
    about: 'replication factors 2 and 3 on one registered node, created and validate-only: INVALID_REPLICATION_FACTOR',
    steps: [create('two', 2), create('three', 3), create('three', 3, [], true)],
  },
  {
    id: 'replication/create-assignment-unregistered',
    api: CreateTopics,
    about: 'a manual assignment with a second replica on a node that is not registered',
    steps: [create('a', -1, [[1, 2]]), create('b', -1, [[2, 1]]), create('c', -1, [[1], [1, 1]])],
  },
  {
    id: 'replication/create-partitions-assignment',
    api: CreatePartitions,
    about: 'new partitions of an RF 1 topic assigned two replicas (one unregistered, one twice)',
    steps: [
      ...createTopic('t'),
      {
        api: CreatePartitions,
        body: (c: Ctx) => ({ topics: [{ name: c.name('t'), count: 2, assignments: [{ brokerIds: [1, 2] }] }], timeoutMs: 30_000 }),
      },
      {
        api: CreatePartitions,
        body: (c: Ctx) => ({ topics: [{ name: c.name('t'), count: 2, assignments: [{ brokerIds: [1, 1] }] }], timeoutMs: 30_000 }),
      },
    ],
  },
  {
    id: 'replication/metadata-replicas-isr',
    api: Metadata,
    versions: [5, 9, 12],
    about: 'replicas, ISR and offline replicas of a two-partition topic',
    steps: [
      ...createTopic('t', 2),
      waitTopic('t', 2),
      { api: Metadata, body: (c: Ctx) => ({ topics: [{ name: c.name('t') }], allowAutoTopicCreation: false }) },
    ],
  },
  {
    id: 'replication/produce-acks-all-min-isr',
    api: Produce,
    versions: [3, 9, 11],
    about: 'min.insync.replicas=2 on one replica: Kafka 4 caps the min ISR at the replication factor, acks=all appends',
    steps: [
      ...createTopic('t', 1, { 'min.insync.replicas': '2' }),
      waitTopic('t', 1),
      { api: Produce, body: (c: Ctx) => produceBody(c.name('t'), records(2)) },
      { api: Produce, body: (c: Ctx) => produceBody(c.name('t'), records(2), 0, { acks: 1 }) },
    ],
  },
  {
    id: 'replication/elect-leaders-all',
    api: ElectLeaders,
    versions: [1, 2],
    about: 'null partitions: every partition has its preferred leader, each topic listed empty (preferred and unclean)',
    adjust: ownTopics,
    steps: [...createTopic('t', 2), waitTopic('t', 2), elect(0, null), elect(1, null)],
  },
  {
    id: 'replication/elect-leaders-preferred-unknown',
    api: ElectLeaders,
    versions: [0, 2],
    about: 'preferred election of a led partition, an unknown partition and an unknown topic',
    steps: [
      ...createTopic('t'),
      waitTopic('t', 1),
      elect(0, (c) => [
        { topic: c.name('t'), partitions: [0, 5] },
        { topic: c.name('gone'), partitions: [1] },
      ]),
    ],
  },
];
