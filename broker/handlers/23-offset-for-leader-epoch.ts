// OffsetForLeaderEpoch (key 23), v0-4.
//
// Behaviour (Kafka's Partition.lastOffsetForLeaderEpoch, LeaderEpochFileCache.endOffsetFor):
// for the partition's current leader epoch (or a higher one asked by a
// consumer that is ahead) the end offset is the log end offset; for an older epoch it is the
// start offset of the next epoch, returned with the largest known epoch not above the one
// asked. v2+ fences on current_leader_epoch. Consumers (Java, librdkafka) use it to validate
// their position after a leader change (KIP-320).

import { AclOperation } from '../security/authorizer/acl.js';
import { OffsetForLeaderEpoch } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';
import { answerPartitions, partitionShape } from '../partitions.js';
import { epochError } from '../fetch-reader.js';

export const partitions = partitionShape(OffsetForLeaderEpoch, {
  req: { topics: 'topics', name: 'topic', partitions: 'partitions', index: 'partition' },
  res: { topics: 'topics', name: 'topic', partitions: 'partitions', index: 'partition' },
  failed: { leaderEpoch: -1, endOffset: -1 },
});

export default defineHandler({
  api: OffsetForLeaderEpoch,
  handle(req, ctx) {
    const topics = answerPartitions(
      partitions,
      ctx,
      req.topics,
      (p, { partition }) => {
        const fenced = ctx.apiVersion >= 2 ? epochError(partition, p.currentLeaderEpoch) : 0;
        if (fenced) return fenced;
        const { epoch, endOffset } = partition.endOffsetForEpoch(p.leaderEpoch);
        return { errorCode: 0, leaderEpoch: epoch, endOffset };
      },
      { access: req.replicaId >= 0 ? AclOperation.CLUSTER_ACTION : AclOperation.DESCRIBE },
    );
    return { throttleTimeMs: 0, topics };
  },
});
