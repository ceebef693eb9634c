// A partition's leader-epoch cache on disk: `<partition dir>/leader-epoch-checkpoint`, Kafka's
// LeaderEpochCheckpointFile (storage/checkpoint-file.ts's format: version 0, a count line, then
// `epoch startOffset` lines), written atomically (temp file, fsync, rename, as CheckpointFile does).
// broker/partition.ts owns the cache; the disk log reads and writes the file for it
// (DiskPartitionLog.leaderEpochs / saveLeaderEpochs). When the file is missing (a data dir from an
// older kafkalite, or copied from Kafka without it), the cache is rebuilt from the stored batches'
// partition leader epochs (rebuildLeaderEpochs).

import path from 'node:path';
import type { BatchHeader } from '../protocol/records/index.js';
import { readFileIfExists, writeFileAtomic } from './atomic-file.js';
import { formatCheckpointLines, parseCheckpointLines } from './checkpoint-file.js';
import type { FileSystem } from './fs/file-system.js';

export const LEADER_EPOCH_CHECKPOINT = 'leader-epoch-checkpoint';

/** One cache entry: the first offset written in `epoch` (Kafka's EpochEntry). */
export interface EpochEntry {
  epoch: number;
  startOffset: number;
}

export function formatLeaderEpochCheckpoint(entries: readonly EpochEntry[]): string {
  return formatCheckpointLines(entries.map((e) => `${e.epoch} ${e.startOffset}`));
}

/** Parse the file's text; an empty file (Kafka creates it empty) is an empty cache. Throws a description of the first problem. */
export function parseLeaderEpochCheckpoint(text: string): EpochEntry[] {
  if (text.trim() === '') return [];
  return parseCheckpointLines(text).map((parts, i) => {
    if (parts.length !== 2 || !/^\d+$/.test(parts[0]!) || !/^\d+$/.test(parts[1]!)) {
      throw new Error(`malformed line ${i + 3}: ${JSON.stringify(parts.join(' '))}`);
    }
    return { epoch: Number(parts[0]), startOffset: Number(parts[1]) };
  });
}

/** The cache from `dir`'s file: null when the file is missing or malformed (the caller rebuilds it). */
export function readLeaderEpochCheckpoint(dir: string, fs: FileSystem): EpochEntry[] | null {
  const text = readFileIfExists(path.join(dir, LEADER_EPOCH_CHECKPOINT), fs);
  if (text === null) return null;
  try {
    return parseLeaderEpochCheckpoint(text);
  } catch {
    return null;
  }
}

/** Replace `dir`'s file with these entries (atomically; fsynced unless `durable` is false, as LeaderEpochFileCache's flush). */
export function writeLeaderEpochCheckpoint(dir: string, entries: readonly EpochEntry[], fs: FileSystem, durable = true): void {
  writeFileAtomic(path.join(dir, LEADER_EPOCH_CHECKPOINT), formatLeaderEpochCheckpoint(entries), { fsync: durable }, fs);
}

/**
 * The cache as the batches' partition leader epochs tell it (what Kafka's LogLoader assigns while
 * recovering segments): one entry per epoch rise, at the base offset of its first batch. Batches
 * stamped -1 (magic < 2, never written by kafkalite) are skipped, as LeaderEpochFileCache.assign does.
 */
export function rebuildLeaderEpochs(headers: Iterable<Pick<BatchHeader, 'partitionLeaderEpoch' | 'baseOffset'>>): EpochEntry[] {
  const out: EpochEntry[] = [];
  for (const h of headers) {
    const last = out[out.length - 1];
    if (h.partitionLeaderEpoch < 0 || (last && h.partitionLeaderEpoch <= last.epoch)) continue;
    out.push({ epoch: h.partitionLeaderEpoch, startOffset: h.baseOffset });
  }
  return out;
}
