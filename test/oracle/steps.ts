// Setup steps the scenarios share, all over the wire so both brokers reach the same state:
// creating topics (and waiting until the broker's metadata has them), producing, warming a
// coordinator, joining a classic group, starting a transaction.

import {
  CreateTopics,
  FindCoordinator,
  InitProducerId,
  JoinGroup,
  ListOffsets,
  Metadata,
  OffsetFetch,
  Produce,
  SyncGroup,
} from '../../protocol/messages/index.js';
import { buildBatch, type BuildBatchOptions, type RecordInput } from '../../protocol/records/index.js';
import type { Ctx, Res, Step } from './oracle.js';

/** A fixed timestamp, so record sets are byte-identical on both sides. */
export const TS = 1_700_000_000_000;

export function records(n: number, opts: Partial<BuildBatchOptions> & { prefix?: string; ts?: number } = {}): Buffer {
  const recs: RecordInput[] = Array.from({ length: n }, (_, i) => ({
    key: `k${i}`,
    value: `${opts.prefix ?? 'v'}${i}`,
    timestamp: (opts.ts ?? TS) + i,
  }));
  return buildBatch({ ...opts, records: recs });
}

/** CreateTopics (setup), then Metadata until every partition has a leader. */
export function createTopic(suffix: string, partitions = 1, configs: Record<string, string> = {}): Step[] {
  return [
    {
      api: CreateTopics,
      compare: false,
      body: (c: Ctx) => ({
        topics: [
          {
            name: c.name(suffix),
            numPartitions: partitions,
            replicationFactor: 1,
            configs: Object.entries(configs).map(([name, value]) => ({ name, value })),
          },
        ],
        timeoutMs: 30_000,
      }),
      until: (r) => r.topics[0].errorCode === 0,
    },
    waitTopic(suffix, partitions),
    {
      // Kafka's metadata cache can name the leader a moment before its replica manager leads.
      api: ListOffsets,
      compare: false,
      body: (c: Ctx) => ({
        replicaId: -1,
        topics: [
          { name: c.name(suffix), partitions: Array.from({ length: partitions }, (_, i) => ({ partitionIndex: i, timestamp: -1 })) },
        ],
      }),
      until: (r) => r.topics[0].partitions.every((p: Res) => p.errorCode === 0),
    },
  ];
}

/** Metadata (setup) until the topic has `partitions` partitions, each with a leader. */
export function waitTopic(suffix: string, partitions: number): Step {
  return {
    api: Metadata,
    compare: false,
    body: (c: Ctx) => ({ topics: [{ name: c.name(suffix) }], allowAutoTopicCreation: false }),
    save: (r, c) => {
      c.vars[`id:${suffix}`] = r.topics[0].topicId;
    },
    until: (r) =>
      r.topics[0].errorCode === 0 &&
      r.topics[0].partitions.length === partitions &&
      r.topics[0].partitions.every((p: Res) => p.leaderId >= 0),
  };
}

export function produceBody(topic: string, batch: Buffer, partition = 0, extra: Record<string, unknown> = {}) {
  return {
    transactionalId: null,
    acks: -1,
    timeoutMs: 10_000,
    topicData: [{ name: topic, partitionData: [{ index: partition, records: batch }] }],
    ...extra,
  };
}

/** Produce (setup) n records to the topic. */
export function produceSetup(suffix: string, n: number, partition = 0): Step {
  return {
    api: Produce,
    compare: false,
    body: (c: Ctx) => produceBody(c.name(suffix), records(n), partition),
    until: (r) => r.responses[0].partitionResponses[0].errorCode === 0,
  };
}

/**
 * FindCoordinator (setup) until the coordinator is there (Kafka creates its internal topic on
 * first use); for a group also OffsetFetch until the coordinator has loaded it (Kafka answers
 * COORDINATOR_LOAD_IN_PROGRESS or NOT_COORDINATOR meanwhile).
 */
export function coordinator(suffix: string, keyType: 0 | 1 = 0): Step {
  return {
    api: FindCoordinator,
    compare: false,
    v: 4,
    body: (c: Ctx) => ({ keyType, coordinatorKeys: [c.name(suffix)] }),
    until: (r) => r.coordinators[0].errorCode === 0,
  };
}

export function groupCoordinator(suffix: string): Step[] {
  return [
    coordinator(suffix),
    {
      api: OffsetFetch,
      compare: false,
      v: 8,
      body: (c: Ctx) => ({ groups: [{ groupId: c.name(suffix), topics: null }], requireStable: false }),
      until: (r) => r.groups[0].errorCode === 0,
    },
  ];
}

export const CONSUMER_PROTOCOL = Buffer.from('0000000000010005746f706963ffffffff', 'hex');

/** A classic consumer group with one member, joined and synced: vars.memberId, vars.generationId. */
export function joinedGroup(group: string, memberVar = 'memberId'): Step[] {
  const join = (c: Ctx) => ({
    groupId: c.name(group),
    sessionTimeoutMs: 30_000,
    rebalanceTimeoutMs: 30_000,
    memberId: c.vars[memberVar] ?? '',
    groupInstanceId: null,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: CONSUMER_PROTOCOL }],
    reason: null,
  });
  return [
    ...groupCoordinator(group),
    { api: JoinGroup, compare: false, body: join, save: (r, c) => (c.vars[memberVar] = r.memberId) },
    {
      api: JoinGroup,
      compare: false,
      body: join,
      until: (r) => r.errorCode === 0,
      save: (r, c) => {
        c.vars[memberVar] = r.memberId;
        c.vars.generationId = r.generationId;
      },
    },
    {
      api: SyncGroup,
      compare: false,
      body: (c: Ctx) => ({
        groupId: c.name(group),
        generationId: c.vars.generationId,
        memberId: c.vars[memberVar],
        groupInstanceId: null,
        protocolType: 'consumer',
        protocolName: 'range',
        assignments: [{ memberId: c.vars[memberVar], assignment: Buffer.alloc(0) }],
      }),
      until: (r) => r.errorCode === 0,
    },
  ];
}

/** A Fetch body for partitions of a topic (by name up to v12, by id from v13), sessionless. */
export function fetchBody(
  c: Ctx,
  suffix: string,
  parts: Array<{ partition?: number; offset: number; maxBytes?: number; epoch?: number }>,
  o: { maxWaitMs?: number; minBytes?: number; maxBytes?: number; isolationLevel?: number; sessionEpoch?: number } = {},
) {
  return {
    replicaId: -1,
    maxWaitMs: o.maxWaitMs ?? 0,
    minBytes: o.minBytes ?? 0,
    maxBytes: o.maxBytes ?? 1 << 20,
    isolationLevel: o.isolationLevel ?? 0,
    sessionId: 0,
    sessionEpoch: o.sessionEpoch ?? -1,
    topics: [
      {
        topic: c.name(suffix),
        topicId: c.vars[`id:${suffix}`] ?? 'AAAAAAAAAAAAAAAAAAAAAQ',
        partitions: parts.map((p) => ({
          partition: p.partition ?? 0,
          currentLeaderEpoch: p.epoch ?? -1,
          fetchOffset: p.offset,
          lastFetchedEpoch: -1,
          logStartOffset: -1,
          partitionMaxBytes: p.maxBytes ?? 1 << 20,
        })),
      },
    ],
    forgottenTopicsData: [],
    rackId: '',
  };
}

/** A transactional producer (setup): vars.producerId, vars.producerEpoch. */
export function txnProducer(txn: string, timeoutMs = 60_000): Step[] {
  return [
    coordinator(txn, 1),
    {
      api: InitProducerId,
      compare: false,
      body: (c: Ctx) => ({ transactionalId: c.name(txn), transactionTimeoutMs: timeoutMs, producerId: -1, producerEpoch: -1 }),
      until: (r) => r.errorCode === 0,
      save: (r, c) => {
        c.vars.producerId = r.producerId;
        c.vars.producerEpoch = r.producerEpoch;
      },
    },
  ];
}

/** An idempotent producer (setup): vars.producerId, vars.producerEpoch. */
export function idempotentProducer(): Step {
  return {
    api: InitProducerId,
    compare: false,
    body: { transactionalId: null, transactionTimeoutMs: 60_000, producerId: -1, producerEpoch: -1 },
    until: (r) => r.errorCode === 0,
    save: (r, c) => {
      c.vars.producerId = r.producerId;
      c.vars.producerEpoch = r.producerEpoch;
    },
  };
}
