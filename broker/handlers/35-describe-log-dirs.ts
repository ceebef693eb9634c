// DescribeLogDirs (key 35), v0-5.
//
// Behaviour: one log directory, the data dir's absolute path (disk store) or "memory" (memory
// store), with the partitions the receiving node has a replica of (broker/replication/; one
// stored log, so a follower reports the leader's size): partition_size is the bytes stored across
// the partition's segments, offset_lag how far the replica is behind the high watermark (0 for
// the leader, Kafka's ReplicaManager.getLogEndOffsetLag) and is_future_key false (no future replicas, no log-dir moves). topics null means all;
// listed topics or partitions that don't exist are left out (Kafka does the same), as are
// topics left with no partition. v3+ top-level error_code 0; v4+ total_bytes/usable_bytes of
// the file system holding the data dir (statfs), -1 for the memory store; v5 is_cordoned false
// (a single log dir that can't be cordoned). Without Describe on the cluster: CLUSTER_AUTHORIZATION_FAILED
// at the top (v3+; older versions carry no top-level code) and no results, as KafkaApis answers.
// A directory taken offline by an I/O error (storage/log-dir-failure.ts) answers
// KAFKA_STORAGE_ERROR with no topics and -1 sizes, as Kafka's ReplicaManager.describeLogDirs does
// for an offline log dir.

import { statfsSync } from 'node:fs';
import { ErrorCode } from '../../protocol/errors.js';
import { DescribeLogDirs } from '../../protocol/messages/index.js';
import type { LogStore } from '../../storage/types.js';
import { defineHandler } from '../handler.js';
import type { Partition } from '../partition.js';
import { Op, clusterAuthorized } from '../security/authorizer/checks.js';
import type { Topic } from '../topics.js';

/** How far a replica on `nodeId` is behind the high watermark (0 for the leader). */
function replicaLag(p: Partition, nodeId: number): number {
  if (nodeId === p.leaderId) return 0;
  return Math.max(p.highWatermark - (p.replicaSet.follower(nodeId)?.leo ?? p.highWatermark), 0);
}

/** The data directory of a disk store, or null for one without files. */
function dataDir(store: LogStore): string | null {
  const dir = store.kind === 'disk' ? (store as LogStore & { dataDir?: string }).dataDir : undefined;
  return dir ?? null;
}

/** The one log directory of every node: the data directory's absolute path, or "memory". */
export function logDirOf(store: LogStore): string {
  return dataDir(store) ?? 'memory';
}

function fileSystemBytes(dir: string | null): { totalBytes: number; usableBytes: number } {
  if (dir === null) return { totalBytes: -1, usableBytes: -1 };
  try {
    const s = statfsSync(dir);
    return { totalBytes: s.blocks * s.bsize, usableBytes: s.bavail * s.bsize };
  } catch {
    return { totalBytes: -1, usableBytes: -1 };
  }
}

export default defineHandler({
  api: DescribeLogDirs,
  handle(req, ctx) {
    // KafkaApis.handleDescribeLogDirsRequest: Describe on the cluster, else CLUSTER_AUTHORIZATION_FAILED and no results.
    if (!clusterAuthorized(ctx, Op.DESCRIBE)) return { throttleTimeMs: 0, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, results: [] };
    const topics = ctx.broker.topics;
    const wanted: Array<[Topic, Set<number> | null]> = [];
    if (req.topics === null) {
      for (const t of topics.all()) wanted.push([t, null]);
    } else {
      for (const r of req.topics) {
        const t = topics.get(r.topic);
        if (t) wanted.push([t, new Set(r.partitions)]);
      }
    }
    const dir = dataDir(ctx.broker.store);
    if (ctx.broker.store.logDirFailure?.offline) {
      const offline = {
        errorCode: ErrorCode.KAFKA_STORAGE_ERROR,
        logDir: logDirOf(ctx.broker.store),
        topics: [],
        totalBytes: -1,
        usableBytes: -1,
      };
      return { throttleTimeMs: 0, errorCode: 0, results: [offline] };
    }
    return {
      throttleTimeMs: 0,
      errorCode: 0,
      results: [
        {
          errorCode: 0,
          logDir: logDirOf(ctx.broker.store),
          topics: wanted
            .map(([t, only]) => ({
              name: t.name,
              partitions: t.partitions
                .filter((p) => p.replicaSet.replicas.includes(ctx.node.nodeId) && (only === null || only.has(p.index)))
                .map((p) => ({
                  partitionIndex: p.index,
                  partitionSize: p.log.size,
                  offsetLag: replicaLag(p, ctx.node.nodeId),
                  isFutureKey: false,
                })),
            }))
            .filter((t) => t.partitions.length > 0),
          ...fileSystemBytes(dir),
        },
      ],
    };
  },
});
