// The transaction index file format (`<segment base>.txnindex`, Kafka's TransactionIndex): one
// 34-byte entry per aborted transaction, stored with the segment holding its ABORT marker: int16
// version (0), int64 producerId, int64 firstOffset, int64 lastOffset, int64 lastStableOffset. Pure
// codec.

import { readInt64, writeInt64 } from '../protocol/records/index.js';
import type { AbortedTxn } from './producer-state.js';

export const TXN_INDEX_ENTRY_SIZE = 34;

export function encodeTxnIndexEntry(a: AbortedTxn): Buffer {
  const buf = Buffer.alloc(TXN_INDEX_ENTRY_SIZE);
  buf.writeInt16BE(0, 0);
  writeInt64(buf, 2, a.producerId);
  writeInt64(buf, 10, a.firstOffset);
  writeInt64(buf, 18, a.lastOffset);
  writeInt64(buf, 26, a.lastStableOffset);
  return buf;
}

/** Every whole entry of a .txnindex file (a torn trailing entry is ignored, as Kafka's sanity check would cut it). */
export function decodeTxnIndex(buf: Buffer): AbortedTxn[] {
  const out: AbortedTxn[] = [];
  for (let pos = 0; pos + TXN_INDEX_ENTRY_SIZE <= buf.length; pos += TXN_INDEX_ENTRY_SIZE) {
    const version = buf.readInt16BE(pos);
    if (version !== 0) throw new RangeError(`unknown .txnindex entry version ${version} at ${pos}`);
    out.push({
      producerId: readInt64(buf, pos + 2),
      firstOffset: readInt64(buf, pos + 10),
      lastOffset: readInt64(buf, pos + 18),
      lastStableOffset: readInt64(buf, pos + 26),
    });
  }
  return out;
}
