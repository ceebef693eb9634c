// Rebuilding a partition's producer state from its log (Kafka's ProducerStateManager
// recovery): the newest usable `<offset>.snapshot` and the .txnindex entries below it when the
// log is on disk (producer-state-files.ts), then the header of every batch from there (else from
// the log start) to the log end, in offset order: producer id, epoch, sequences, offsets,
// timestamps and the transactional and control flags are all in a batch's 61-byte header; only a
// control batch's records are read, for its marker type (the first record's key). Runs once per
// partition, lazily, the first time the producer state is needed (an idempotent produce, a
// READ_COMMITTED fetch, the LSO), so start-up time does not grow with the log; it reads 61 bytes
// per batch, not the bytes stored.

import { ControlType, decodeBatchRecords, type BatchHeader } from '../protocol/records/index.js';
import { loadPersistedProducerState } from './producer-state-files.js';
import { ProducerStateManager } from './producer-state.js';
import type { PartitionLog } from './types.js';

export function rebuildProducerState(log: PartitionLog): ProducerStateManager {
  const state = new ProducerStateManager();
  let offset = log.logStartOffset;
  const persisted = log.dir ? loadPersistedProducerState(log.dir, log.logStartOffset, log.logEndOffset, log.fs) : null;
  if (persisted) {
    state.restore(persisted.entries, persisted.aborted);
    offset = persisted.offset;
  }
  const end = log.logEndOffset;
  if (offset >= end) return state;
  for (const h of log.batchHeaders(offset)) {
    if (h.baseOffset >= end) break;
    if (h.magic !== 2 || h.lastOffset < offset) continue;
    const marker = h.isControl && h.producerId >= 0 ? controlMarker(log, h) : null;
    state.replayBatch(h, marker, h.lastOffset + 1);
    offset = h.lastOffset + 1;
  }
  return state;
}

/** The COMMIT or ABORT marker of a control batch (its first record's key and value), or null. */
function controlMarker(log: PartitionLog, h: BatchHeader): { commit: boolean; coordinatorEpoch: number } | null {
  const read = log.read(h.baseOffset, { maxBytes: h.sizeInBytes, maxOffset: h.lastOffset + 1, minOneBatch: true });
  const buf = read.chunks.length === 1 ? read.chunks[0]! : Buffer.concat(read.chunks);
  if (buf.length < h.sizeInBytes) return null;
  const rec = decodeBatchRecords(buf, 0).records[0];
  if (!rec?.key || rec.key.length < 4) return null;
  const type = rec.key.readInt16BE(2);
  const coordinatorEpoch = rec.value && rec.value.length >= 6 ? rec.value.readInt32BE(2) : -1;
  if (type !== ControlType.COMMIT && type !== ControlType.ABORT) return null;
  return { commit: type === ControlType.COMMIT, coordinatorEpoch };
}
