// Producer state next to a partition's segments (Kafka's ProducerStateManager and
// TransactionIndex): `<offset>.snapshot` (the producer table when the log end was `offset`, written
// at a clean stop) and `<segment base>.txnindex` (one entry per aborted transaction, appended to
// the file of the segment holding its ABORT marker). Recovery loads the newest usable snapshot plus
// the .txnindex entries below it, then replays only the batches after it
// (producer-state-recovery.ts). The files belong to the partition directory, which the PartitionLog
// owns; only these functions write these two kinds of file, and the log loader removes a .txnindex
// whose .log is gone.

import path from 'node:path';
import { writeFileAtomic } from './atomic-file.js';
import type { FileSystem } from './fs/file-system.js';
import { nodeFs } from './fs/node-fs.js';
import { decodeProducerSnapshot, encodeProducerSnapshot } from './producer-state-snapshot.js';
import type { AbortedTxn, ProducerEntry } from './producer-state.js';
import { decodeTxnIndex, encodeTxnIndexEntry } from './txn-index.js';

const SNAPSHOT = /^(\d{20})\.snapshot$/;
const SEGMENT_LOG = /^(\d{20})\.log$/;
const TXN_INDEX = /^(\d{20})\.txnindex$/;

const name = (offset: number, suffix: string) => `${String(offset).padStart(20, '0')}${suffix}`;

/** Append an aborted transaction to the .txnindex of the segment holding its marker. */
export function appendTxnIndexEntry(dir: string, entry: AbortedTxn, fs: FileSystem = nodeFs): void {
  let base = 0;
  for (const n of fs.readdir(dir)) {
    const m = SEGMENT_LOG.exec(n);
    if (m && Number(m[1]) <= entry.lastOffset && Number(m[1]) > base) base = Number(m[1]);
  }
  fs.append(path.join(dir, name(base, '.txnindex')), encodeTxnIndexEntry(entry));
}

/** Write `<logEndOffset>.snapshot` (atomically) and remove older snapshots. */
export function writeProducerSnapshot(dir: string, logEndOffset: number, entries: readonly ProducerEntry[], fs: FileSystem = nodeFs): void {
  const file = name(logEndOffset, '.snapshot');
  writeFileAtomic(path.join(dir, file), encodeProducerSnapshot(entries), { fsync: true }, fs);
  for (const n of fs.readdir(dir)) if (SNAPSHOT.test(n) && n !== file) fs.remove(path.join(dir, n));
}

export interface PersistedProducerState {
  /** Log end offset when the snapshot was taken: replay from here. */
  offset: number;
  entries: ProducerEntry[];
  /** Aborted transactions whose marker lies below `offset`, oldest first. */
  aborted: AbortedTxn[];
}

/** The newest snapshot within [logStartOffset, logEndOffset] and the .txnindex entries below it, or null. */
export function loadPersistedProducerState(
  dir: string,
  logStartOffset: number,
  logEndOffset: number,
  fs: FileSystem = nodeFs,
): PersistedProducerState | null {
  let names: string[];
  try {
    names = fs.readdir(dir);
  } catch {
    return null;
  }
  const snapshots = names
    .map((n) => SNAPSHOT.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .filter((o) => o >= logStartOffset && o <= logEndOffset)
    .sort((a, b) => b - a);
  for (const offset of snapshots) {
    let entries: ProducerEntry[];
    try {
      entries = decodeProducerSnapshot(fs.readFile(path.join(dir, name(offset, '.snapshot'))));
    } catch {
      continue; // unreadable: try an older one, else a full replay
    }
    const aborted: AbortedTxn[] = [];
    const indexes = names.filter((n) => TXN_INDEX.test(n)).sort();
    for (const n of indexes) {
      for (const a of decodeTxnIndex(fs.readFile(path.join(dir, n))))
        if (a.lastOffset < offset && a.lastOffset >= logStartOffset) aborted.push(a);
    }
    return { offset, entries, aborted };
  }
  return null;
}
