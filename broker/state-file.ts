// A broker state file in the data directory: kafkalite's stand-in for records Kafka keeps in its
// metadata log (dynamic broker configs, feature levels, client quotas, client metrics
// subscriptions, delegation tokens, the producer-id mark). Each is one JSON object
// `{ "version": 1, ... }`, read at start-up and rewritten whole on every change, atomically and
// fsynced, through the store's file system (storage/atomic-file.ts, storage/fs/). A memory
// store keeps none: its owners hold the state in memory only.

import path from 'node:path';
import { StorageCorruptError } from '../protocol/errors.js';
import { readFileIfExists, writeFileAtomic } from '../storage/atomic-file.js';
import type { LogStore } from '../storage/types.js';

export class BrokerStateFile<T extends object> {
  constructor(
    private readonly store: LogStore,
    readonly name: string,
  ) {}

  /** The file's path, or null for a memory store. */
  get path(): string | null {
    const dir = this.store.kind === 'disk' ? (this.store as LogStore & { dataDir?: string }).dataDir : undefined;
    return dir ? path.join(dir, this.name) : null;
  }

  /** The stored body (version 1), or null when there is none; a file that is not one is corrupt. */
  read(): Partial<T> | null {
    const file = this.path;
    const text = file ? readFileIfExists(file, this.store.fs) : null;
    if (text === null) return null;
    let parsed: Partial<T> & { version?: number };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch (err) {
      throw new StorageCorruptError(`${file} is not valid JSON`, { cause: err });
    }
    if (parsed?.version !== 1) throw new StorageCorruptError(`${file} has an unknown layout (version ${String(parsed?.version)})`);
    return parsed;
  }

  /** Replace the file with `{ version: 1, ...body }`, durably (nothing for a memory store). */
  write(body: T): void {
    const file = this.path;
    if (!file) return;
    writeFileAtomic(file, `${JSON.stringify({ version: 1, ...body }, null, 2)}\n`, { fsync: true }, this.store.fs);
  }
}
