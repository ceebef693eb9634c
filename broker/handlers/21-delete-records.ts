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

import { AclOperation } from '../security/authorizer/acl.js';
import { ErrorCode } from '../../protocol/errors.js';
import { DeleteRecords } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';
import { answerPartitions, partitionShape } from '../partitions.js';

const HIGH_WATERMARK = -1;

export const partitions = partitionShape(DeleteRecords, {
  req: { topics: 'topics', name: 'name', partitions: 'partitions', index: 'partitionIndex' },
  res: { topics: 'topics', name: 'name', partitions: 'partitions', index: 'partitionIndex' },
  failed: { lowWatermark: -1 },
});

export default defineHandler({
  api: DeleteRecords,
  handle(req, ctx) {
    const topics = answerPartitions(
      partitions,
      ctx,
      req.topics,
      (p, { partition, topic }) => {
        if (topic.internal) return ErrorCode.INVALID_TOPIC_EXCEPTION;
        const policy = (topic.effective.get('cleanup.policy') ?? 'delete').split(',').map((s) => s.trim());
        if (!policy.includes('delete')) return ErrorCode.POLICY_VIOLATION;
        const log = partition.log;
        const offset = p.offset === HIGH_WATERMARK ? partition.highWatermark : p.offset;
        if (offset < 0 || offset > partition.highWatermark) return ErrorCode.OFFSET_OUT_OF_RANGE;
        const before = log.logStartOffset;
        const lowWatermark = log.deleteRecordsBefore(offset);
        if (lowWatermark !== before) {
          ctx.broker.log.info({ topic: topic.name, partition: p.partitionIndex, logStartOffset: lowWatermark }, 'deleted records');
          partition.notify();
        }
        return { lowWatermark, errorCode: 0 };
      },
      { access: AclOperation.DELETE },
    );
    return { throttleTimeMs: 0, topics };
  },
});
