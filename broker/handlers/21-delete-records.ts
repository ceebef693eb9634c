// DeleteRecords (key 21), v0-2.
//
// Behaviour (Kafka's ReplicaManager.deleteRecords, Partition.deleteRecordsOnLeader):
// per partition, moves the
// log start offset up to `offset` (-1 means the high watermark); records below it are no
// longer served and ListOffsets EARLIEST answers the new start. An offset below the current
// log start changes nothing. Answers low_watermark, the log start offset afterwards (-1 on
// error). Errors: offset above the high watermark or below -1 OFFSET_OUT_OF_RANGE; unknown
// topic/partition UNKNOWN_TOPIC_OR_PARTITION; a partition another simulated node leads
// NOT_LEADER_OR_FOLLOWER; a topic whose cleanup.policy lacks `delete` POLICY_VIOLATION;
// internal topics INVALID_TOPIC_EXCEPTION. Parked fetches on the partition are woken (one
// below the new start then gets OFFSET_OUT_OF_RANGE). timeout_ms is not needed: with one
// replica the low watermark has moved when the response is sent.

import { ErrorCode } from '../../protocol/errors.js';
import { DeleteRecords } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';
import { leaderPartition } from '../leadership.js';

const HIGH_WATERMARK = -1;

export default defineHandler({
  api: DeleteRecords,
  versions: '0-2',
  handle(req, ctx) {
    return {
      throttleTimeMs: 0,
      topics: req.topics.map((t) => {
        const topic = ctx.broker.topics.get(t.name);
        return {
          name: t.name,
          partitions: t.partitions.map((p) => {
            const failed = (errorCode: number) => ({ partitionIndex: p.partitionIndex, lowWatermark: -1, errorCode });
            const found = leaderPartition(ctx, topic, p.partitionIndex);
            if (!found.partition) return failed(found.errorCode);
            if (found.topic.internal) return failed(ErrorCode.INVALID_TOPIC_EXCEPTION);
            const policy = (found.topic.effective.get('cleanup.policy') ?? 'delete').split(',').map((s) => s.trim());
            if (!policy.includes('delete')) return failed(ErrorCode.POLICY_VIOLATION);
            const log = found.partition.log;
            const offset = p.offset === HIGH_WATERMARK ? log.highWatermark : p.offset;
            if (offset < 0 || offset > log.highWatermark) return failed(ErrorCode.OFFSET_OUT_OF_RANGE);
            const before = log.logStartOffset;
            const lowWatermark = log.deleteRecordsBefore(offset);
            if (lowWatermark !== before) {
              ctx.broker.log.info({ topic: t.name, partition: p.partitionIndex, logStartOffset: lowWatermark }, 'deleted records');
              found.partition.notify();
            }
            return { partitionIndex: p.partitionIndex, lowWatermark, errorCode: 0 };
          }),
        };
      }),
    };
  },
});
