// The producer-id counter's durable mark: the end of the last block of producer ids handed out,
// so ids never repeat across restarts. Kafka keeps it in the metadata log (ProducerIdsRecord,
// written by the controller's ProducerIdControlManager when a broker asks for a block through
// AllocateProducerIds); kafkalite has no metadata log, so a disk store keeps it in
// `kafkalite-producer-ids.json` in the data directory, written atomically and fsynced before
// any id of the new block is used (a power cut must not hand a used id out again). A memory
// store keeps it in memory only. Data directories written before this file existed kept the
// mark in `__transaction_state` under a reserved key; TransactionCoordinator still replays it.
//
// An I/O error takes the data directory offline (storage/log-dir-failure.ts) as any other.

import path from 'node:path';
import { StorageCorruptError } from '../../protocol/errors.js';
import { readFileIfExists, writeFileAtomic } from '../../storage/atomic-file.js';
import type { LogStore } from '../../storage/types.js';

export const PRODUCER_IDS_FILE = 'kafkalite-producer-ids.json';

export class ProducerIdBlockFile {
  constructor(private readonly store: LogStore) {}

  private get file(): string | null {
    const dir = this.store.kind === 'disk' ? (this.store as LogStore & { dataDir?: string }).dataDir : undefined;
    return dir ? path.join(dir, PRODUCER_IDS_FILE) : null;
  }

  /** The stored end of the last block (0 when none was stored). */
  read(): number {
    const file = this.file;
    const text = file ? readFileIfExists(file, this.store.fs) : null;
    if (text === null) return 0;
    let parsed: { version?: number; nextProducerId?: number };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch (err) {
      throw new StorageCorruptError(`${file} is not valid JSON`, { cause: err });
    }
    if (parsed?.version !== 1 || !Number.isSafeInteger(parsed.nextProducerId) || parsed.nextProducerId! < 0) {
      throw new StorageCorruptError(`${file} has an unknown layout`);
    }
    return parsed.nextProducerId!;
  }

  /** Store `end` durably (ids below it are reserved); returns once it is on disk. */
  write(end: number): void {
    const file = this.file;
    if (!file) return;
    const write = () => writeFileAtomic(file, `${JSON.stringify({ version: 1, nextProducerId: end })}\n`, { fsync: true }, this.store.fs);
    const channel = this.store.logDirFailure;
    if (channel) channel.guard(PRODUCER_IDS_FILE, () => `Error while writing ${file}`, write);
    else write();
  }
}
