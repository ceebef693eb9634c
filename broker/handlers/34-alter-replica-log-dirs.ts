// AlterReplicaLogDirs (key 34), v1-2.
//
// Behaviour: kafkalite keeps each node's partitions in one log directory, the one
// DescribeLogDirs reports (broker/handlers/35-describe-log-dirs.ts: the data directory, or
// "memory" for the memory store). Moving a replica there is a no-op success (every replica is
// already there); any other path gets LOG_DIR_NOT_FOUND for every partition listed under it,
// existing or not, as from a Kafka broker whose log.dirs don't list it (ReplicaManager checks
// LogManager.isLogDirOnline first). Under the log directory, a topic or partition that doesn't
// exist gets UNKNOWN_TOPIC_OR_PARTITION. A partition led by another simulated node succeeds too (Kafka records the preferred
// directory for a replica it doesn't host). Results are grouped by topic, in request order.
// v0 (deprecated, and no longer served by Kafka 4) is not served.

import { resolve } from 'node:path';
import { ErrorCode, errorCodeByName } from '../../protocol/errors.js';
import { AlterReplicaLogDirs } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';
import { logDirOf } from './35-describe-log-dirs.js';

const LOG_DIR_NOT_FOUND = errorCodeByName('LOG_DIR_NOT_FOUND')!;

export default defineHandler({
  api: AlterReplicaLogDirs,
  handle(req, ctx) {
    const logDir = logDirOf(ctx.broker.store);
    const isLogDir = (p: string) => p === logDir || (logDir !== 'memory' && resolve(p) === logDir);
    const byTopic = new Map<string, Array<{ partitionIndex: number; errorCode: number }>>();
    for (const dir of req.dirs) {
      const here = isLogDir(dir.path);
      for (const t of dir.topics) {
        const topic = ctx.broker.topics.get(t.name);
        const results = byTopic.get(t.name) ?? [];
        byTopic.set(t.name, results);
        for (const partitionIndex of t.partitions) {
          const errorCode = !here ? LOG_DIR_NOT_FOUND : topic?.partitions[partitionIndex] ? 0 : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
          results.push({ partitionIndex, errorCode });
        }
      }
    }
    return { throttleTimeMs: 0, results: [...byTopic].map(([topicName, partitions]) => ({ topicName, partitions })) };
  },
});
