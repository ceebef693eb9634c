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

import { StorageCorruptError } from '../../protocol/errors.js';
import type { LogStore } from '../../storage/types.js';
import { BrokerStateFile } from '../state-file.js';

export const PRODUCER_IDS_FILE = 'kafkalite-producer-ids.json';

export class ProducerIdBlockFile {
  private readonly file: BrokerStateFile<{ nextProducerId: number }>;

  constructor(private readonly store: LogStore) {
    this.file = new BrokerStateFile(store, PRODUCER_IDS_FILE);
  }

  /** The stored end of the last block (0 when none was stored). */
  read(): number {
    const parsed = this.file.read();
    if (parsed === null) return 0;
    if (!Number.isSafeInteger(parsed.nextProducerId) || parsed.nextProducerId! < 0) {
      throw new StorageCorruptError(`${this.file.path} has no valid nextProducerId`);
    }
    return parsed.nextProducerId!;
  }

  /** Store `end` durably (ids below it are reserved); returns once it is on disk. */
  write(end: number): void {
    const write = () => this.file.write({ nextProducerId: end });
    const channel = this.store.logDirFailure;
    if (channel) channel.guard(PRODUCER_IDS_FILE, () => `Error while writing ${this.file.path}`, write);
    else write();
  }
}
