// Rebuilding a partition's producer state from its log (Kafka's ProducerStateManager
// recovery): the newest usable `<offset>.snapshot` and the .txnindex entries below it when the
// log is on disk (producer-state-files.ts), then every batch header from there (else from the
// log start) to the log end, in offset order; control batches are decoded for their marker type. Runs once per
// partition, lazily, the first time the producer state is needed (an idempotent produce, a
// READ_COMMITTED fetch, the LSO), so start-up time does not grow with the log.

import { ControlType, decodeBatchRecords, iterateEntries, readBatchHeader } from '../protocol/records/index.js';
import { loadPersistedProducerState } from './producer-state-files.js';
import { ProducerStateManager } from './producer-state.js';
import type { PartitionLog } from './types.js';

const READ_BYTES = 1 << 20;

export function rebuildProducerState(log: PartitionLog): ProducerStateManager {
  const state = new ProducerStateManager();
  let offset = log.logStartOffset;
  const persisted = log.dir ? loadPersistedProducerState(log.dir, log.logStartOffset, log.logEndOffset, log.fs) : null;
  if (persisted) {
    state.restore(persisted.entries, persisted.aborted);
    offset = persisted.offset;
  }
  const end = log.logEndOffset;
  while (offset < end) {
    const read = log.read(offset, { maxBytes: READ_BYTES, maxOffset: end, minOneBatch: true });
    if (read.bytes === 0) break;
    const buf = read.chunks.length === 1 ? read.chunks[0]! : Buffer.concat(read.chunks);
    const before = offset;
    for (const entry of iterateEntries(buf)) {
      if (entry.magic !== 2) continue;
      const h = readBatchHeader(buf, entry.position);
      if (h.lastOffset < offset) continue;
      let marker: { commit: boolean; coordinatorEpoch: number } | null = null;
      if (h.isControl && h.producerId >= 0) {
        const rec = decodeBatchRecords(buf, entry.position).records[0];
        if (rec?.key && rec.key.length >= 4) {
          const type = rec.key.readInt16BE(2);
          const coordinatorEpoch = rec.value && rec.value.length >= 6 ? rec.value.readInt32BE(2) : -1;
          if (type === ControlType.COMMIT || type === ControlType.ABORT) marker = { commit: type === ControlType.COMMIT, coordinatorEpoch };
        }
      }
      state.replayBatch({ ...h, lastOffsetDelta: h.lastOffsetDelta }, marker, h.lastOffset + 1);
      offset = h.lastOffset + 1;
    }
    if (offset === before) break;
  }
  return state;
}
