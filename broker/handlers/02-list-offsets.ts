// ListOffsets (key 2), v0-11.
//
// Behaviour (Kafka's KafkaApis.handleListOffsetRequest, UnifiedLog.fetchOffsetByTimestamp):
// -1 LATEST answers the high watermark (the last stable offset at
// READ_COMMITTED, v2+), -2 EARLIEST the log start offset, -3 MAX_TIMESTAMP (v7+) the record
// with the largest timestamp, -4 EARLIEST_LOCAL (v8+) the log start offset, -5
// LATEST_TIERED (v9+) and -6 EARLIEST_PENDING_UPLOAD (v11+, KIP-1023) offset -1 with leader
// epoch -1 (no tiered storage, as Kafka 4.4 answers without it); a timestamp t >= 0 finds the first
// record at or after t below the bound, or -1/-1. A special timestamp newer than the request
// version allows gets UNSUPPORTED_VERSION; the same partition twice gets one INVALID_REQUEST entry.
// v4+ fences on current_leader_epoch and returns the leader epoch. v0 answers the legacy
// old_style_offsets list (at most max_num_offsets entries).

import { AclOperation } from '../security/authorizer/acl.js';
import { ErrorCode } from '../../protocol/errors.js';
import { ListOffsets } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';
import { answerPartitions, partitionShape } from '../partitions.js';
import { epochError, lastStableOffset } from '../fetch-reader.js';
import type { Partition } from '../partition.js';

const LATEST = -1;
const EARLIEST = -2;
const MAX_TIMESTAMP = -3;
const EARLIEST_LOCAL = -4;
const LATEST_TIERED = -5;
const EARLIEST_PENDING_UPLOAD = -6;
const DEBUG_REPLICA = -2;

/** Lowest request version that may ask for each special timestamp. */
const MIN_VERSION: Record<number, number> = {
  [LATEST]: 0,
  [EARLIEST]: 0,
  [MAX_TIMESTAMP]: 7,
  [EARLIEST_LOCAL]: 8,
  [LATEST_TIERED]: 9,
  [EARLIEST_PENDING_UPLOAD]: 11,
};

export const partitions = partitionShape(ListOffsets, {
  req: { topics: 'topics', name: 'name', partitions: 'partitions', index: 'partitionIndex' },
  res: { topics: 'topics', name: 'name', partitions: 'partitions', index: 'partitionIndex' },
  failed: { timestamp: -1, offset: -1, leaderEpoch: -1, oldStyleOffsets: [] },
});

export default defineHandler({
  api: ListOffsets,
  handle(req, ctx) {
    const v = ctx.apiVersion;
    const seen = new Set<string>();
    const duplicates = new Set<string>();
    for (const t of req.topics) {
      for (const p of t.partitions) {
        const key = `${t.name}\u0000${p.partitionIndex}`;
        if (seen.has(key)) duplicates.add(key);
        seen.add(key);
      }
    }
    // A partition asked twice is answered once (Kafka's answer is keyed by partition).
    const once = req.topics.map((t) => ({
      ...t,
      partitions: t.partitions.filter((p, i) => t.partitions.findIndex((x) => x.partitionIndex === p.partitionIndex) === i),
    }));
    const topics = answerPartitions(
      partitions,
      ctx,
      once,
      (p, { partition }) => {
        const fenced = v >= 4 ? epochError(partition, p.currentLeaderEpoch) : 0;
        if (fenced) return fenced;
        if (p.timestamp < 0 && (MIN_VERSION[p.timestamp] === undefined || v < MIN_VERSION[p.timestamp]!)) {
          return ErrorCode.UNSUPPORTED_VERSION;
        }
        const bound =
          req.replicaId === DEBUG_REPLICA
            ? partition.log.logEndOffset
            : v >= 2 && req.isolationLevel === 1
              ? lastStableOffset(partition)
              : partition.highWatermark;
        const found = lookup(partition, p.timestamp, bound);
        if (v === 0) {
          const offsets = found.offset >= 0 ? [found.offset] : [];
          return {
            errorCode: 0,
            timestamp: -1,
            offset: -1,
            leaderEpoch: -1,
            oldStyleOffsets: offsets.slice(0, Math.max(0, p.maxNumOffsets)),
          };
        }
        return {
          errorCode: 0,
          offset: found.offset,
          timestamp: found.timestamp,
          leaderEpoch: found.offset >= 0 ? partition.leaderEpoch : -1,
          oldStyleOffsets: [],
        };
      },
      {
        access: AclOperation.DESCRIBE,
        before: (p, t) => (duplicates.has(`${t.name}\u0000${p.partitionIndex}`) ? ErrorCode.INVALID_REQUEST : 0),
      },
    );
    return { throttleTimeMs: 0, topics };
  },
});

function lookup(partition: Partition, timestamp: number, bound: number): { offset: number; timestamp: number } {
  const log = partition.log;
  switch (timestamp) {
    case LATEST:
      return { offset: bound, timestamp: -1 };
    case EARLIEST:
    case EARLIEST_LOCAL:
      return { offset: log.logStartOffset, timestamp: -1 };
    case LATEST_TIERED:
    case EARLIEST_PENDING_UPLOAD:
      return { offset: -1, timestamp: -1 };
    case MAX_TIMESTAMP:
      return log.maxTimestamp(bound) ?? { offset: -1, timestamp: -1 };
    default: {
      const hit = log.offsetForTimestamp(timestamp, bound);
      return hit && hit.offset >= log.logStartOffset ? hit : { offset: -1, timestamp: -1 };
    }
  }
}
