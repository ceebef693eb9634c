// kafkalite-topics.json: the topics kafkalite knows (name, id, partition count, config
// overrides). kafkalite's own file, not Kafka's; written atomically (tmp, fsync, rename).

import path from 'node:path';
import { StorageCorruptError } from '../protocol/errors.js';
import { readFileIfExists, writeFileAtomic } from './atomic-file.js';
import type { FileSystem } from './fs/file-system.js';
import { nodeFs } from './fs/node-fs.js';
import type { TopicRecord } from './types.js';

export const TOPICS_FILE = 'kafkalite-topics.json';

interface TopicsFileV1 {
  version: 1;
  topics: TopicRecord[];
}

export function readTopicsFile(dataDir: string, fs: FileSystem = nodeFs): TopicRecord[] {
  const file = path.join(dataDir, TOPICS_FILE);
  const text = readFileIfExists(file, fs);
  if (text === null) return [];
  let parsed: TopicsFileV1;
  try {
    parsed = JSON.parse(text) as TopicsFileV1;
  } catch (err) {
    throw new StorageCorruptError(`${file} is not valid JSON`, { cause: err });
  }
  if (parsed?.version !== 1 || !Array.isArray(parsed.topics)) {
    throw new StorageCorruptError(`${file} has an unknown layout (version ${String(parsed?.version)})`);
  }
  return parsed.topics.map((t, i) => {
    if (typeof t?.name !== 'string' || typeof t.id !== 'string' || !Number.isInteger(t.partitions)) {
      throw new StorageCorruptError(`${file}: topic #${i} is malformed`);
    }
    const rec: TopicRecord = { name: t.name, id: t.id, partitions: t.partitions, configs: { ...(t.configs ?? {}) } };
    // Replica lists (simulated nodes, broker/replication/): one list of node ids per partition.
    if (Array.isArray(t.replicas) && t.replicas.length === t.partitions && t.replicas.every((r) => Array.isArray(r) && r.length > 0)) {
      rec.replicas = t.replicas.map((r) => r.map(Number));
    }
    return rec;
  });
}

export function writeTopicsFile(dataDir: string, topics: TopicRecord[], fs: FileSystem = nodeFs): void {
  const body: TopicsFileV1 = { version: 1, topics };
  writeFileAtomic(path.join(dataDir, TOPICS_FILE), `${JSON.stringify(body, null, 2)}\n`, { fsync: true }, fs);
}
