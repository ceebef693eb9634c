// A streams group's topology against the topics that exist: Kafka's InternalTopicManager
// (configureTopics), RepartitionTopics, ChangelogTopics and CopartitionedTopicsEnforcer, and the
// topology checks of GroupCoordinatorService.throwIfStreamsGroupHeartbeatRequestIsInvalid.
//
// configureTopology() answers one of: the topology is ready (the number of tasks of each
// subtopology, and the topics behind each task), or it is not, with the status a heartbeat
// carries (MISSING_SOURCE_TOPICS, MISSING_INTERNAL_TOPICS, INCORRECTLY_PARTITIONED_TOPICS) and,
// for missing internal topics, the topics the broker creates: repartition topics with the
// partition count the topology asks (else that of the topics feeding them), changelog topics with
// one partition per task. A topology Kafka cannot configure at all throws TopologyError
// (STREAMS_INVALID_TOPOLOGY).

import { ErrorCode } from '../../../protocol/errors.js';
import { javaStringHashCode } from '../../internal-topic.js';
import type { TopicManager } from '../../topics.js';
import type { Subtopology, TopicInfo, Topology } from './records.js';

/** StreamsGroupHeartbeatResponse.Status codes (Kafka's StreamsGroupHeartbeatResponse.Status). */
export const StreamsStatus = Object.freeze({
  STALE_TOPOLOGY: 0,
  MISSING_SOURCE_TOPICS: 1,
  INCORRECTLY_PARTITIONED_TOPICS: 2,
  MISSING_INTERNAL_TOPICS: 3,
  SHUTDOWN_APPLICATION: 4,
  ASSIGNMENT_DELAYED: 5,
} as const);

export interface Status {
  statusCode: number;
  statusDetail: string;
}

/** A failed check carrying the error code and Kafka's message. */
export class TopologyError extends Error {
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

export interface InternalTopicToCreate {
  name: string;
  partitions: number;
  replicationFactor: number;
  configs: Record<string, string>;
}

export type ConfiguredTopology =
  | {
      ready: true;
      /** Subtopology id -> number of tasks (partitions). */
      tasks: Map<string, number>;
      /** Subtopology id -> the source and repartition source topics each task reads (for endpoint info). */
      inputTopics: Map<string, string[]>;
    }
  | { ready: false; status: Status; create: InternalTopicToCreate[] };

/** Request checks on a topology (INVALID_REQUEST, STREAMS_INVALID_TOPOLOGY), as Kafka answers them. */
export function validateTopology(topology: Topology): void {
  for (const s of topology.subtopologies) {
    if (s.sourceTopicRegex.length > 0)
      throw new TopologyError(ErrorCode.INVALID_REQUEST, 'Regular expressions for source topics are not supported yet.');
    for (const c of s.stateChangelogTopics) {
      if (c.partitions !== 0) {
        throw new TopologyError(
          ErrorCode.STREAMS_INVALID_TOPOLOGY,
          `Changelog topic ${c.name} must have an undefined partition count, but it is set to ${c.partitions}.`,
        );
      }
    }
  }
}

/**
 * Kafka's InternalTopicManager.summarizeTopics: comma separated, in the iteration order of the
 * java.util.HashMap Kafka collects them in (bucket (h ^ h >>> 16) & (capacity - 1) of the name's
 * String.hashCode, capacity 16 doubled past a 0.75 load).
 */
function summarize(names: Iterable<string>): string {
  const list = [...new Set(names)];
  if (list.length === 0) return '<none>';
  let capacity = 16;
  while (list.length > capacity * 0.75) capacity *= 2;
  const bucket = (n: string) => {
    const h = javaStringHashCode(n);
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  return list
    .map((n, i) => ({ n, i, b: bucket(n) }))
    .sort((x, y) => x.b - y.b || x.i - y.i)
    .map((x) => x.n)
    .join(', ');
}

/** The topology against the topics the broker has now. Throws TopologyError when it can never be configured. */
export function configureTopology(topics: TopicManager, topology: Topology): ConfiguredTopology {
  const partitionsOf = (name: string) => topics.get(name)?.partitions.length;
  const repartitionNames = new Set(topology.subtopologies.flatMap((s) => s.repartitionSourceTopics.map((t) => t.name)));

  const missingSources = topology.subtopologies.flatMap((s) => s.sourceTopics).filter((t) => partitionsOf(t) === undefined);
  if (missingSources.length > 0) {
    return {
      ready: false,
      status: { statusCode: StreamsStatus.MISSING_SOURCE_TOPICS, statusDetail: `Source topics ${summarize(missingSources)} are missing.` },
      create: [],
    };
  }

  const counts = decideRepartitionCounts(topology, partitionsOf, repartitionNames);
  const bad = enforceCopartitioning(topology, partitionsOf, counts);
  if (bad) return { ready: false, status: { statusCode: StreamsStatus.INCORRECTLY_PARTITIONED_TOPICS, statusDetail: bad }, create: [] };

  const tasks = new Map<string, number>();
  const inputTopics = new Map<string, string[]>();
  for (const s of topology.subtopologies) {
    const inputs = [...s.sourceTopics, ...s.repartitionSourceTopics.map((t) => t.name)];
    const n = Math.max(0, ...inputs.map((t) => (repartitionNames.has(t) ? counts.get(t)! : partitionsOf(t)!)));
    if (inputs.length === 0) throw new TopologyError(ErrorCode.STREAMS_INVALID_TOPOLOGY, 'Subtopology does not contain any source topics');
    tasks.set(s.subtopologyId, n);
    inputTopics.set(s.subtopologyId, [...new Set(inputs)].sort());
  }

  const create: InternalTopicToCreate[] = [];
  const wrongly: string[] = [];
  const want = (t: TopicInfo, partitions: number) => {
    const have = partitionsOf(t.name);
    if (have === undefined) {
      if (!create.some((c) => c.name === t.name)) {
        create.push({
          name: t.name,
          partitions,
          replicationFactor: t.replicationFactor === 0 ? -1 : t.replicationFactor,
          configs: Object.fromEntries(t.topicConfigs.map((c) => [c.key, c.value])),
        });
      }
    } else if (have !== partitions) {
      wrongly.push(`Existing topic ${t.name} has different number of partitions: expected ${partitions}, found ${have}`);
    }
  };
  for (const s of topology.subtopologies) {
    for (const t of s.repartitionSourceTopics) want(t, counts.get(t.name)!);
    for (const t of s.stateChangelogTopics) want(t, tasks.get(s.subtopologyId)!);
  }
  if (wrongly.length > 0) {
    return {
      ready: false,
      status: { statusCode: StreamsStatus.INCORRECTLY_PARTITIONED_TOPICS, statusDetail: wrongly.join(', ') },
      create: [],
    };
  }
  if (create.length > 0) {
    return {
      ready: false,
      status: {
        statusCode: StreamsStatus.MISSING_INTERNAL_TOPICS,
        statusDetail: `Internal topics are missing: ${summarize(create.map((c) => c.name))}`,
      },
      create,
    };
  }
  return { ready: true, tasks, inputTopics };
}

/**
 * Kafka's RepartitionTopics: a repartition topic without a partition count takes the largest
 * count of the topics read by the subtopologies writing to it, repeated until every count is
 * known.
 */
function decideRepartitionCounts(
  topology: Topology,
  partitionsOf: (t: string) => number | undefined,
  repartitionNames: Set<string>,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of topology.subtopologies) for (const t of s.repartitionSourceTopics) if (t.partitions > 0) counts.set(t.name, t.partitions);
  const writers = (topic: string) => topology.subtopologies.filter((s) => s.repartitionSinkTopics.includes(topic));
  for (const name of repartitionNames) {
    if (!counts.has(name) && writers(name).length === 0) {
      throw new TopologyError(
        ErrorCode.STREAMS_INVALID_TOPOLOGY,
        'Failed to compute number of partitions for all repartition topics, because a repartition source topic is never used as a sink topic.',
      );
    }
  }
  let progress = true;
  while (progress && [...repartitionNames].some((n) => !counts.has(n))) {
    progress = false;
    for (const name of repartitionNames) {
      if (counts.has(name)) continue;
      let max = -1;
      let known = false;
      for (const w of writers(name)) {
        for (const input of inputsOf(w)) {
          const n = repartitionNames.has(input) ? counts.get(input) : partitionsOf(input);
          if (n !== undefined) {
            known = true;
            max = Math.max(max, n);
          }
        }
      }
      if (known) {
        counts.set(name, max);
        progress = true;
      }
    }
  }
  if ([...repartitionNames].some((n) => !counts.has(n))) {
    throw new TopologyError(
      ErrorCode.STREAMS_INVALID_TOPOLOGY,
      'Failed to compute number of partitions for all repartition topics. There may be loops in the topology that cannot be resolved.',
    );
  }
  return counts;
}

function inputsOf(s: Subtopology): string[] {
  return [...s.sourceTopics, ...s.repartitionSourceTopics.map((t) => t.name)];
}

/**
 * Kafka's CopartitionedTopicsEnforcer: the topics of a copartition group have the same number of
 * partitions; repartition topics without a fixed count take the source topics' count. Returns
 * the INCORRECTLY_PARTITIONED_TOPICS detail when they cannot.
 */
function enforceCopartitioning(
  topology: Topology,
  partitionsOf: (t: string) => number | undefined,
  counts: Map<string, number>,
): string | null {
  for (const s of topology.subtopologies) {
    for (const g of s.copartitionGroups) {
      const sources = g.sourceTopics.map((i) => s.sourceTopics[i]!).filter((t) => t !== undefined);
      const repartitions = g.repartitionSourceTopics.map((i) => s.repartitionSourceTopics[i]!).filter((t) => t !== undefined);
      const sourceCounts = new Set(sources.map((t) => partitionsOf(t)!));
      if (sourceCounts.size > 1) {
        return `Following topics do not have the same number of partitions: [${sources
          .map((t) => `${t}:${partitionsOf(t)}`)
          .sort()
          .join(', ')}]`;
      }
      const fixed = repartitions.filter((t) => t.partitions > 0);
      const target = sourceCounts.size === 1 ? [...sourceCounts][0]! : Math.max(0, ...repartitions.map((t) => counts.get(t.name) ?? 0));
      for (const t of fixed) {
        if (sourceCounts.size === 1 && t.partitions !== target) {
          return `Number of partitions [${t.partitions}] of repartition topic [${t.name}] doesn't match number of partitions [${target}] of the source topic.`;
        }
      }
      for (const t of repartitions) if (t.partitions === 0) counts.set(t.name, target);
    }
  }
  return null;
}

/** A hash of the topics a configured topology depends on (names, ids, partition counts): a change bumps the group epoch. */
export function topicsHash(topics: TopicManager, topology: Topology | null): number {
  if (topology === null) return 0;
  const names = new Set<string>();
  for (const s of topology.subtopologies) {
    for (const t of s.sourceTopics) names.add(t);
    for (const t of s.repartitionSourceTopics) names.add(t.name);
    for (const t of s.stateChangelogTopics) names.add(t.name);
  }
  let h = 0;
  for (const name of [...names].sort()) {
    const t = topics.get(name);
    const text = `${name}:${t?.id ?? '-'}:${t?.partitions.length ?? -1};`;
    for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  }
  return h;
}
