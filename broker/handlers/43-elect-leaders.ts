// ElectLeaders (key 43), v0-2.
//
// Behaviour: every partition has one replica, which already leads it, so there is never an
// election to run. Listed partitions answer ELECTION_NOT_NEEDED (84) for preferred (0) and
// unclean (1) elections alike; unknown topics or partitions UNKNOWN_TOPIC_OR_PARTITION. Null
// topic_partitions (all partitions) answers an empty list, since Kafka leaves out partitions
// that need no election. v0 has no election_type (preferred). An election type other than
// 0/1 gets INVALID_REQUEST at the top level (v1+).

import { ErrorCode } from '../../protocol/errors.js';
import { ElectLeaders } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';

const ELECTION_NOT_NEEDED = 84;

export default defineHandler({
  api: ElectLeaders,
  handle(req, ctx) {
    const type = ctx.apiVersion >= 1 ? req.electionType : 0;
    if (type !== 0 && type !== 1) {
      return { throttleTimeMs: 0, errorCode: ErrorCode.INVALID_REQUEST, replicaElectionResults: [] };
    }
    return {
      throttleTimeMs: 0,
      errorCode: 0,
      replicaElectionResults: (req.topicPartitions ?? []).map((t) => {
        const topic = ctx.broker.topics.get(t.topic);
        return {
          topic: t.topic,
          partitionResult: t.partitions.map((partitionId) =>
            topic?.partitions[partitionId]
              ? { partitionId, errorCode: ELECTION_NOT_NEEDED, errorMessage: 'Leader election not needed for topic partition.' }
              : {
                  partitionId,
                  errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
                  errorMessage: topic ? `No such partition as ${t.topic}-${partitionId}` : `No such topic as ${t.topic}`,
                },
          ),
        };
      }),
    };
  },
});
