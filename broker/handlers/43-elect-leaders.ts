// ElectLeaders (key 43), v0-2.
//
// Behaviour (Kafka's ReplicationControlManager.electLeaders / electLeader, where the controller
// handles it): v0 elects preferred leaders; v1+ names the election type, 0 preferred or 1
// unclean (KIP-460). Per partition: an unknown topic answers UNKNOWN_TOPIC_OR_PARTITION
// "No such topic as <t>", an unknown partition "No such partition as <t>-<p>"; a preferred
// election where the first assigned replica already leads, or an unclean one where the partition
// has a live leader, ELECTION_NOT_NEEDED; a preferred replica that is down or out of the ISR
// PREFERRED_LEADER_NOT_AVAILABLE; an unclean election with no live replica
// ELIGIBLE_LEADERS_NOT_AVAILABLE; each with its error's default message, as Kafka's ApiError(error). Otherwise the leader moves, its epoch bumped
// (broker/replication/replication.ts electLeader: the ISR first, unclean from any live replica).
// Null topic_partitions elects every partition and leaves out those answering
// ELECTION_NOT_NEEDED, each topic still listed (with an empty list then), as Kafka 4.4 answers. An unknown election type gets
// INVALID_REQUEST for the whole request. The top-level error code (v1+) is NONE otherwise;
// timeout_ms is unused (elections are immediate).

import { ErrorCode } from '../../protocol/errors.js';
import { ElectLeaders } from '../../protocol/messages/index.js';
import type { BrokerCore } from '../core.js';
import { defineHandler } from '../handler.js';

type Result = { partitionId: number; errorCode: number; errorMessage: string | null };

/** Kafka's default messages of the election errors (Errors.java). */
const MESSAGES: Record<number, string> = {
  [ErrorCode.ELECTION_NOT_NEEDED]: 'Leader election not needed for topic partition.',
  [ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE]: 'The preferred leader was not available.',
  [ErrorCode.ELIGIBLE_LEADERS_NOT_AVAILABLE]: 'Eligible topic partition leaders are not available.',
};

function elect(broker: BrokerCore, topicName: string, index: number, type: number): Result {
  const topic = broker.topics.get(topicName);
  if (!topic) return { partitionId: index, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `No such topic as ${topicName}` };
  const partition = topic.partitions[index];
  if (!partition) {
    return {
      partitionId: index,
      errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      errorMessage: `No such partition as ${topicName}-${index}`,
    };
  }
  const errorCode = broker.replication.electLeader(partition, type);
  return { partitionId: index, errorCode, errorMessage: MESSAGES[errorCode] ?? null };
}

export default defineHandler({
  api: ElectLeaders,
  handle(req, ctx) {
    const broker = ctx.broker;
    const type = ctx.apiVersion >= 1 ? req.electionType : 0;
    if (type !== 0 && type !== 1) {
      return { throttleTimeMs: 0, errorCode: ErrorCode.INVALID_REQUEST, replicaElectionResults: [] };
    }
    const results: Array<{ topic: string; partitionResult: Result[] }> = [];
    if (req.topicPartitions === null) {
      for (const topic of broker.topics.all()) {
        const partitionResult = topic.partitions
          .map((p) => elect(broker, topic.name, p.index, type))
          .filter((r) => r.errorCode !== ErrorCode.ELECTION_NOT_NEEDED);
        results.push({ topic: topic.name, partitionResult });
      }
    } else {
      for (const t of req.topicPartitions) {
        results.push({ topic: t.topic, partitionResult: t.partitions.map((i) => elect(broker, t.topic, i, type)) });
      }
    }
    return { throttleTimeMs: 0, errorCode: 0, replicaElectionResults: results };
  },
});
