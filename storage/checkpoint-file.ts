// Kafka's offset checkpoint files (CheckpointFile, OffsetCheckpointFile): UTF-8 text, a version line (0), a count line,
// then `topic partition offset` lines. Written atomically: `<file>.tmp`, fsync, rename, fsync
// of the directory. The data directory holds four of them; DataDirCheckpoints owns them.

import path from 'node:path';
import { readFileIfExists, writeFileAtomic } from './atomic-file.js';
import type { FileSystem } from './fs/file-system.js';
import { nodeFs } from './fs/node-fs.js';
import type { StorageLogger } from './logger.js';

export const RECOVERY_POINT_CHECKPOINT = 'recovery-point-offset-checkpoint';
export const REPLICATION_OFFSET_CHECKPOINT = 'replication-offset-checkpoint';
export const LOG_START_OFFSET_CHECKPOINT = 'log-start-offset-checkpoint';
export const CLEANER_OFFSET_CHECKPOINT = 'cleaner-offset-checkpoint';

export type CheckpointName =
  | typeof RECOVERY_POINT_CHECKPOINT
  | typeof REPLICATION_OFFSET_CHECKPOINT
  | typeof LOG_START_OFFSET_CHECKPOINT
  | typeof CLEANER_OFFSET_CHECKPOINT;

export const CHECKPOINT_NAMES: readonly CheckpointName[] = [
  RECOVERY_POINT_CHECKPOINT,
  REPLICATION_OFFSET_CHECKPOINT,
  LOG_START_OFFSET_CHECKPOINT,
  CLEANER_OFFSET_CHECKPOINT,
];

/** `topic partition` -> offset. */
export type OffsetMap = Map<string, number>;

export function partitionKey(topic: string, partition: number): string {
  return `${topic} ${partition}`;
}

/** The file's text for these entries, sorted by topic then partition (Kafka does not sort; readers do not care). */
export function formatCheckpoint(entries: OffsetMap): string {
  const keys = [...entries.keys()].sort((a, b) => {
    const [ta, pa] = splitKey(a);
    const [tb, pb] = splitKey(b);
    return ta < tb ? -1 : ta > tb ? 1 : pa - pb;
  });
  return formatCheckpointLines(keys.map((k) => `${k} ${entries.get(k)}`));
}

/** Any checkpoint file's text (CheckpointFile): version 0, the count, one line per entry. */
export function formatCheckpointLines(entries: readonly string[]): string {
  return `${['0', String(entries.length), ...entries].join('\n')}\n`;
}

function splitKey(key: string): [string, number] {
  const i = key.lastIndexOf(' ');
  return [key.slice(0, i), Number(key.slice(i + 1))];
}

/** Parse checkpoint text; throws a description of the first problem (Kafka: IOException "Malformed line"). */
export function parseCheckpoint(text: string): OffsetMap {
  const out: OffsetMap = new Map();
  for (const [i, parts] of parseCheckpointLines(text).entries()) {
    if (parts.length !== 3 || !/^\d+$/.test(parts[1]!) || !/^-?\d+$/.test(parts[2]!)) {
      throw new Error(`malformed line ${i + 3}: ${JSON.stringify(parts.join(' '))}`);
    }
    out.set(partitionKey(parts[0]!, Number(parts[1])), Number(parts[2]));
  }
  return out;
}

/** Any checkpoint file's entry lines split on whitespace, after checking the version and count lines; throws a description of the first problem. */
export function parseCheckpointLines(text: string): string[][] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length < 2) throw new Error('missing version or count line');
  if (lines[0]!.trim() !== '0') throw new Error(`unrecognised version ${JSON.stringify(lines[0])}`);
  if (!/^\d+$/.test(lines[1]!.trim())) throw new Error(`bad count line ${JSON.stringify(lines[1])}`);
  const count = Number(lines[1]!.trim());
  if (lines.length - 2 !== count) throw new Error(`expected ${count} entries, found ${lines.length - 2}`);
  return lines.slice(2).map((l) => l.trim().split(/\s+/));
}

/**
 * The four data-directory checkpoints: read once at start-up (a missing or malformed file reads as
 * empty, with one warning for the latter, as Kafka resets it), written whole when asked. A write
 * whose text equals the last one written is skipped, so frequent timers cost nothing when idle.
 */
export class DataDirCheckpoints {
  private readonly loaded = new Map<CheckpointName, OffsetMap>();
  private readonly lastWritten = new Map<CheckpointName, string>();

  constructor(
    private readonly dataDir: string,
    private readonly logger: StorageLogger,
    private readonly fs: FileSystem = nodeFs,
  ) {
    for (const name of CHECKPOINT_NAMES) this.loaded.set(name, this.read(name));
  }

  /** What the file held at start-up. */
  initial(name: CheckpointName): OffsetMap {
    return this.loaded.get(name)!;
  }

  /** Offset for one partition from the file as read at start-up. */
  initialOffset(name: CheckpointName, topic: string, partition: number): number | undefined {
    return this.loaded.get(name)!.get(partitionKey(topic, partition));
  }

  /** Replace the file with these entries (atomically, fsynced). Returns whether it was written. */
  write(name: CheckpointName, entries: OffsetMap): boolean {
    const text = formatCheckpoint(entries);
    if (this.lastWritten.get(name) === text) return false;
    writeFileAtomic(path.join(this.dataDir, name), text, { fsync: true }, this.fs);
    this.lastWritten.set(name, text);
    return true;
  }

  private read(name: CheckpointName): OffsetMap {
    const file = path.join(this.dataDir, name);
    const text = readFileIfExists(file, this.fs);
    if (text === null) return new Map();
    try {
      const parsed = parseCheckpoint(text);
      this.lastWritten.set(name, formatCheckpoint(parsed));
      return parsed;
    } catch (err) {
      this.logger.warn({ file, problem: (err as Error).message }, `ignoring malformed checkpoint ${name}`);
      return new Map();
    }
  }
}
