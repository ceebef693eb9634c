// Byte mutations shared by the codec property tests and the TCP frame mutator: bit flips, length
// fields set to huge or negative values, truncation, splicing, inserted and deleted bytes. All are
// driven by a fast-check arbitrary (property tests) or by a seeded PRNG (test/fuzz/run.ts), so a
// failure replays from its seed.

import fc from 'fast-check';

export type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'int32'; at: number; value: number }
  | { kind: 'int16'; at: number; value: number }
  | { kind: 'uvarint'; at: number; bytes: number[] }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'delete'; at: number; count: number }
  | { kind: 'splice'; at: number; other: number[] };

/** Values a hostile length or count field takes. */
export const HOSTILE_INT32 = [0x7fffffff, -1, -2, 0x40000000, 0x00ffffff, 65536, 0x80000000 | 0];
export const HOSTILE_INT16 = [0x7fff, -1, -2, 0x4000, -32768];
/** Unsigned varints of huge values (compact lengths, tag counts, tag sizes). */
export const HOSTILE_UVARINT = [
  [0xff, 0xff, 0xff, 0xff, 0x0f],
  [0xff, 0xff, 0xff, 0xff, 0x7f],
  [0x80, 0x80, 0x80, 0x80, 0x08],
  [0xff, 0xff, 0xff, 0x07],
  [0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
];

/** A position as a fraction of the buffer, so one mutation applies to any length. */
const pos = fc.double({ min: 0, max: 1, noNaN: true });

export const mutationArbitrary: fc.Arbitrary<{ frac: number; m: Mutation }> = fc.oneof(
  fc.record({ frac: pos, m: fc.record({ kind: fc.constant('flip' as const), at: fc.constant(0), bit: fc.integer({ min: 0, max: 7 }) }) }),
  fc.record({ frac: pos, m: fc.record({ kind: fc.constant('truncate' as const), at: fc.constant(0) }) }),
  fc.record({
    frac: pos,
    m: fc.record({
      kind: fc.constant('int32' as const),
      at: fc.constant(0),
      value: fc.oneof(fc.constantFrom(...HOSTILE_INT32), fc.integer()),
    }),
  }),
  fc.record({
    frac: pos,
    m: fc.record({ kind: fc.constant('int16' as const), at: fc.constant(0), value: fc.constantFrom(...HOSTILE_INT16) }),
  }),
  fc.record({
    frac: pos,
    m: fc.record({ kind: fc.constant('uvarint' as const), at: fc.constant(0), bytes: fc.constantFrom(...HOSTILE_UVARINT) }),
  }),
  fc.record({
    frac: pos,
    m: fc.record({
      kind: fc.constant('insert' as const),
      at: fc.constant(0),
      bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }),
    }),
  }),
  fc.record({
    frac: pos,
    m: fc.record({ kind: fc.constant('delete' as const), at: fc.constant(0), count: fc.integer({ min: 1, max: 8 }) }),
  }),
  fc.record({
    frac: pos,
    m: fc.record({
      kind: fc.constant('splice' as const),
      at: fc.constant(0),
      other: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 32 }),
    }),
  }),
);

/** Applies `m` at `frac` of the way into `buf`; returns a new buffer. */
export function applyMutation(buf: Buffer, frac: number, m: Mutation): Buffer {
  const at = Math.min(buf.length, Math.floor(frac * buf.length));
  switch (m.kind) {
    case 'flip': {
      if (buf.length === 0) return buf;
      const out = Buffer.from(buf);
      const i = Math.min(at, buf.length - 1);
      out[i] = out[i]! ^ (1 << m.bit);
      return out;
    }
    case 'truncate':
      return buf.subarray(0, at);
    case 'int32':
      return overwrite(buf, at, (b) => b.writeInt32BE(m.value | 0, 0), 4);
    case 'int16':
      return overwrite(buf, at, (b) => b.writeInt16BE(m.value, 0), 2);
    case 'uvarint':
      return overwrite(buf, at, (b) => Buffer.from(m.bytes).copy(b), m.bytes.length);
    case 'insert':
      return Buffer.concat([buf.subarray(0, at), Buffer.from(m.bytes), buf.subarray(at)]);
    case 'delete':
      return Buffer.concat([buf.subarray(0, at), buf.subarray(at + m.count)]);
    case 'splice':
      return Buffer.concat([buf.subarray(0, at), Buffer.from(m.other)]);
  }
}

function overwrite(buf: Buffer, at: number, write: (b: Buffer) => void, n: number): Buffer {
  const patch = Buffer.alloc(n);
  write(patch);
  const out = Buffer.from(buf);
  const start = Math.min(at, Math.max(0, out.length - n));
  patch.copy(out, start, 0, Math.min(n, out.length - start));
  return out;
}

/** A small seeded PRNG (mulberry32) for the TCP fuzzer's loop. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One random mutation from a PRNG (the TCP fuzzer's counterpart of mutationArbitrary). */
export function randomMutation(rand: () => number, spliceWith?: Buffer): { frac: number; m: Mutation } {
  const frac = rand();
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const bytes = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 256));
  switch (Math.floor(rand() * 8)) {
    case 0:
      return { frac, m: { kind: 'flip', at: 0, bit: Math.floor(rand() * 8) } };
    case 1:
      return { frac, m: { kind: 'truncate', at: 0 } };
    case 2:
      return { frac, m: { kind: 'int32', at: 0, value: rand() < 0.7 ? pick(HOSTILE_INT32) : Math.floor(rand() * 2 ** 32) | 0 } };
    case 3:
      return { frac, m: { kind: 'int16', at: 0, value: pick(HOSTILE_INT16) } };
    case 4:
      return { frac, m: { kind: 'uvarint', at: 0, bytes: pick(HOSTILE_UVARINT) } };
    case 5:
      return { frac, m: { kind: 'insert', at: 0, bytes: bytes(1 + Math.floor(rand() * 8)) } };
    case 6:
      return { frac, m: { kind: 'delete', at: 0, count: 1 + Math.floor(rand() * 8) } };
    default: {
      const other = spliceWith ? [...spliceWith.subarray(Math.floor(rand() * spliceWith.length))] : bytes(Math.floor(rand() * 32));
      return { frac, m: { kind: 'splice', at: 0, other } };
    }
  }
}
