// The topics a fuzzing run creates: seeds that ask for partitions in numbers (test/fuzz/run.ts
// mutates them like the rest) and the clean-up between rounds that keeps a long run's memory
// bounded (the broker's own bound per request: broker/limits/controller-batch.ts).

import { requestFrame } from '../../protocol/client-codec.js';
import { CreatePartitions, CreateTopics, DeleteTopics, Metadata } from '../../protocol/messages/index.js';
import type { WireClient } from '../integration/wire-client.js';

/**
 * Frames that create topics and partitions in numbers: the request bounds (a million partitions,
 * one over 10,000) and what passes them (2,000 partitions, grown to 4,000), mutated like the rest.
 */
export function topicSeeds(): Buffer[] {
  const topic = (name: string, numPartitions: number) => ({ name, numPartitions, replicationFactor: 1, assignments: [], configs: [] });
  const create = (topics: ReturnType<typeof topic>[]) =>
    requestFrame(CreateTopics, 7, { topics, timeoutMs: 30_000, validateOnly: false }, { correlationId: 1, clientId: 'fuzz' });
  const grow = (name: string, count: number) =>
    requestFrame(
      CreatePartitions,
      3,
      { topics: [{ name, count, assignments: null }], timeoutMs: 30_000, validateOnly: false },
      {
        correlationId: 2,
        clientId: 'fuzz',
      },
    );
  return [
    create([topic('fuzz-million', 1_000_000)]),
    create([topic('fuzz-many-a', 5000), topic('fuzz-many-b', 5001)]),
    create([topic('fuzz-big', 2000), topic('fuzz-small', 1)]),
    grow('fuzz-big', 4000),
    grow('fuzz-small', 1_000_000),
  ];
}

const ZERO_ID = 'AAAAAAAAAAAAAAAAAAAAAA';

/** Deletes every topic but the canary's and the internal ones; returns [topics, partitions before, deleted partitions]. */
export async function deleteFuzzedTopics(client: WireClient): Promise<[number, number, number]> {
  const md = await client.send(Metadata, 12, { topics: null, allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false });
  const doomed = md.topics.filter((t) => t.name && t.name !== 'canary' && !t.name.startsWith('__'));
  const partitions = md.topics.reduce((n, t) => n + t.partitions.length, 0);
  if (doomed.length === 0) return [0, partitions, 0];
  const names = doomed.map((t) => t.name!);
  await client.send(DeleteTopics, 6, { topicNames: names, topics: names.map((name) => ({ name, topicId: ZERO_ID })), timeoutMs: 30_000 });
  return [doomed.length, partitions, doomed.reduce((n, t) => n + t.partitions.length, 0)];
}
