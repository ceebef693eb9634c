// OffsetForLeaderEpoch (key 23), v0-4.
//
// Behaviour (Kafka's Partition.lastOffsetForLeaderEpoch, LeaderEpochFileCache.endOffsetFor):
// for the partition's current leader epoch (or a higher one asked by a
// consumer that is ahead) the end offset is the log end offset; for an older epoch it is the
// start offset of the next epoch, returned with the largest known epoch not above the one
// asked. v2+ fences on current_leader_epoch. Consumers (Java, librdkafka) use it to validate
// their position after a leader change (KIP-320).

import { OffsetForLeaderEpoch } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';
import { leaderPartition } from '../leadership.js';
import { epochError } from '../fetch-reader.js';

export default defineHandler({
  api: OffsetForLeaderEpoch,
  versions: '0-4',
  handle(req, ctx) {
    return {
      throttleTimeMs: 0,
      topics: req.topics.map((t) => {
        const topic = ctx.broker.topics.get(t.topic);
        return {
          topic: t.topic,
          partitions: t.partitions.map((p) => {
            const none = { partition: p.partition, leaderEpoch: -1, endOffset: -1 };
            const found = leaderPartition(ctx, topic, p.partition);
            if (!found.partition) return { ...none, errorCode: found.errorCode };
            const fenced = ctx.apiVersion >= 2 ? epochError(found.partition, p.currentLeaderEpoch) : 0;
            if (fenced) return { ...none, errorCode: fenced };
            const { epoch, endOffset } = found.partition.endOffsetForEpoch(p.leaderEpoch);
            return { partition: p.partition, errorCode: 0, leaderEpoch: epoch, endOffset };
          }),
        };
      }),
    };
  },
});
