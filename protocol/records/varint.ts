// Zig-zag varints as used inside magic-2 records (Kafka's ByteUtils.readVarint/writeVarint; not
// the unsigned varints of flexible messages), plus int64 helpers that stay in plain numbers (no
// BigInt on the hot path).
//
// Values are JS numbers: varlongs are exact up to ±2^53, which covers every offset and
// millisecond timestamp Kafka produces in practice.

import { RecordValidationError, ErrorCode } from '../errors.js';

const TWO_32 = 4294967296;

/** int64 big-endian at `pos` as a number (exact up to 2^53). */
export function readInt64(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos) * TWO_32 + buf.readUInt32BE(pos + 4);
}

/** Writes `value` (an integer number in the int64 range, exact up to 2^53) big-endian at `pos`. */
export function writeInt64(buf: Buffer, pos: number, value: number): void {
  const hi = Math.floor(value / TWO_32);
  const lo = value - hi * TWO_32;
  buf.writeInt32BE(hi, pos);
  buf.writeUInt32BE(lo, pos + 4);
}

function malformed(what: string): RecordValidationError {
  return new RecordValidationError(ErrorCode.INVALID_RECORD, `malformed record: ${what}`);
}

/**
 * A cursor over record bytes. One instance per batch; reading never allocates except for
 * the explicit `bytes()` / `string()` calls.
 */
export class ByteReader {
  constructor(
    public buf: Buffer,
    public pos: number,
    public end: number = buf.length,
  ) {}

  remaining(): number {
    return this.end - this.pos;
  }

  int8(): number {
    if (this.pos + 1 > this.end) throw malformed('truncated int8');
    return this.buf.readInt8(this.pos++);
  }

  /** Zig-zag varint, at most 5 bytes (Java ByteUtils.readVarint). */
  varint(): number {
    let raw = 0;
    let shift = 0;
    for (let i = 0; i < 5; i++) {
      if (this.pos >= this.end) throw malformed('truncated varint');
      const b = this.buf[this.pos++]!;
      raw |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return (raw >>> 1) ^ -(raw & 1);
      shift += 7;
    }
    throw malformed('varint longer than 5 bytes');
  }

  /** Zig-zag varlong, at most 10 bytes; exact for |value| ≤ 2^53. */
  varlong(): number {
    let raw = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw malformed('truncated varlong');
      const b = this.buf[this.pos++]!;
      raw += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
      mul *= 128;
    }
    throw malformed('varlong longer than 10 bytes');
  }

  /** Skips `n` bytes, checking bounds. */
  skip(n: number): void {
    if (n < 0 || this.pos + n > this.end) throw malformed('length past end of record');
    this.pos += n;
  }

  /** Length-prefixed (varint) nullable bytes, as a view into the buffer (no copy). */
  nullableBytes(): Buffer | null {
    const len = this.varint();
    if (len < 0) {
      if (len !== -1) throw malformed(`negative length ${len}`);
      return null;
    }
    const start = this.pos;
    this.skip(len);
    return this.buf.subarray(start, start + len);
  }

  /** Skips a varint-length-prefixed nullable byte field; returns its length (−1 for null). */
  skipNullableBytes(): number {
    const len = this.varint();
    if (len < 0) {
      if (len !== -1) throw malformed(`negative length ${len}`);
      return -1;
    }
    this.skip(len);
    return len;
  }
}

/** Bytes needed for the zig-zag varint encoding of an int32. */
export function sizeOfVarint(value: number): number {
  let v = ((value << 1) ^ (value >> 31)) >>> 0;
  let n = 1;
  while (v >= 0x80) {
    v >>>= 7;
    n++;
  }
  return n;
}

function zigzagLong(value: number): number {
  return value >= 0 ? value * 2 : -value * 2 - 1;
}

/** Bytes needed for the zig-zag varlong encoding (exact for |value| ≤ 2^52). */
export function sizeOfVarlong(value: number): number {
  let v = zigzagLong(value);
  let n = 1;
  while (v >= 128) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

/** Writes a zig-zag varint at `pos`; returns the new position. */
export function writeVarint(buf: Buffer, pos: number, value: number): number {
  let v = ((value << 1) ^ (value >> 31)) >>> 0;
  while (v >= 0x80) {
    buf[pos++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[pos++] = v;
  return pos;
}

/** Writes a zig-zag varlong at `pos`; returns the new position. */
export function writeVarlong(buf: Buffer, pos: number, value: number): number {
  let v = zigzagLong(value);
  while (v >= 128) {
    buf[pos++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  buf[pos++] = v;
  return pos;
}
