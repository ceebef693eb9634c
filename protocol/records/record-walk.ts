// The Produce hot path's record walk (issue 15): the structure check of every record of a
// magic-2 batch (Kafka's DefaultRecord framing, as scanBatchRecords in record.ts checks it),
// in one tight loop over the bytes with the cursor in a module variable: no object per record
// or per field, no bounds-checked Buffer reads. It only answers well-formed batches: at the
// first thing it does not like (a bad length, a truncated varint, a null key on a compacted
// topic, a null header key...) it returns null, and record.ts walks the batch again with
// ByteReader, which throws the exact error. So error codes and messages live in one place.

/** The cursor, shared by the readers below (one walk at a time: the event loop is single-threaded). */
let at = 0;
/** Set by a reader that ran past its end or met an over-long varint. */
let bad = false;

/** Zig-zag varint of at most 5 bytes ending before `end` (Java's ByteUtils.readVarint). */
function varint(b: Buffer, end: number): number {
  let raw = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    if (at >= end) break;
    const x = b[at++]!;
    raw |= (x & 0x7f) << shift;
    if ((x & 0x80) === 0) return (raw >>> 1) ^ -(raw & 1);
  }
  bad = true;
  return 0;
}

/** Zig-zag varlong of at most 10 bytes, exact to 2^53 (ByteUtils.readVarlong). */
function varlong(b: Buffer, end: number): number {
  let raw = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (at >= end) break;
    const x = b[at++]!;
    raw += (x & 0x7f) * mul;
    if ((x & 0x80) === 0) return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
    mul *= 128;
  }
  bad = true;
  return 0;
}

/** Skip a varint-length-prefixed nullable field inside [at, end); its length, -1 for null, -2 when malformed. */
function skipField(b: Buffer, end: number): number {
  const len = varint(b, end);
  if (len < 0) return len === -1 ? -1 : -2;
  if (len > end - at) return -2;
  at += len;
  return len;
}

export interface RecordWalk {
  count: number;
  /** The largest timestamp delta (-Infinity when there are no records). */
  maxDelta: number;
  /** Offset deltas are 0, 1, 2, ... */
  consecutive: boolean;
}

/**
 * Walk `count` records filling `data` exactly. Null when the bytes are not a well-formed record
 * list (or a key is null and `requireKeys`): the caller then walks them the slow way for the error.
 * One-byte varints (most fields of small records) are read inline; longer ones through varint().
 */
export function walkRecordsFast(data: Buffer, count: number, requireKeys: boolean): RecordWalk | null {
  const n = data.length;
  bad = false;
  let p = 0;
  let maxDelta = Number.NEGATIVE_INFINITY;
  let consecutive = true;
  let x = 0;
  let v = 0;
  for (let i = 0; i < count; i++) {
    // size
    at = p;
    v = varint(data, n);
    p = at;
    if (bad || v < 1 || v > n - p) return null;
    const end = p + v;
    p++; // attributes
    // timestampDelta (varlong)
    x = p < end ? data[p]! : 0x80;
    if (x < 0x80) {
      v = (x >>> 1) ^ -(x & 1);
      p++;
    } else {
      at = p;
      v = varlong(data, end);
      p = at;
    }
    if (v > maxDelta) maxDelta = v;
    // offsetDelta
    at = p;
    v = varint(data, end);
    p = at;
    if (v !== i) consecutive = false;
    // key
    x = p < end ? data[p]! : 0x80;
    if (x === 1) {
      if (requireKeys) return null;
      p++;
    } else {
      at = p;
      v = varint(data, end);
      p = at;
      if (v < 0 || v > end - p) return null;
      p += v;
    }
    // value
    at = p;
    v = varint(data, end);
    p = at;
    if (v < -1 || v > end - p) return null;
    if (v > 0) p += v;
    // headers
    x = p < end ? data[p]! : 0x80;
    if (x === 0) {
      p++;
    } else {
      at = p;
      const headers = varint(data, end);
      if (headers < 0) return null;
      for (let h = 0; h < headers; h++) {
        if (skipField(data, end) < 0) return null;
        if (skipField(data, end) === -2) return null;
      }
      p = at;
    }
    if (bad || p !== end) return null;
  }
  return p === n ? { count, maxDelta, consecutive } : null;
}
