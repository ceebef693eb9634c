// The benchmark's messages: value i is exactly VALUE_BYTES bytes, a 10-digit sequence number,
// '-', then 89 filler characters that depend on i, so a read-back can be checked message by
// message (count, duplicates, corruption) and not just counted.

import { readFileSync, writeFileSync } from 'node:fs';

export const VALUE_BYTES = 100;
const LINE_BYTES = VALUE_BYTES + 1;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const FILLER = Buffer.from(ALPHABET.repeat(Math.ceil((VALUE_BYTES + ALPHABET.length) / ALPHABET.length)), 'latin1');
const FILL_LEN = VALUE_BYTES - 11;

function writeValue(buf: Buffer, at: number, i: number): void {
  let n = i;
  for (let d = 9; d >= 0; d--) {
    buf[at + d] = 48 + (n % 10);
    n = Math.floor(n / 10);
  }
  buf[at + 10] = 45; // '-'
  const off = i % ALPHABET.length;
  FILLER.copy(buf, at + 11, off, off + FILL_LEN);
}

/** All `count` values, each followed by '\n' (the format kcat -P reads and kcat -C writes). */
export function makeLines(count: number): Buffer {
  const buf = Buffer.allocUnsafe(count * LINE_BYTES);
  for (let i = 0; i < count; i++) {
    writeValue(buf, i * LINE_BYTES, i);
    buf[i * LINE_BYTES + VALUE_BYTES] = 10;
  }
  return buf;
}

export function writeDataFile(path: string, count: number): Buffer {
  const lines = makeLines(count);
  writeFileSync(path, lines);
  return lines;
}

/** Views of each value in a buffer from makeLines(). */
export function valuesOf(lines: Buffer): Buffer[] {
  const count = lines.length / LINE_BYTES;
  const out = new Array<Buffer>(count);
  for (let i = 0; i < count; i++) out[i] = lines.subarray(i * LINE_BYTES, i * LINE_BYTES + VALUE_BYTES);
  return out;
}

export interface Verification {
  ok: boolean;
  expected: number;
  received: number;
  missing: number;
  duplicates: number;
  /** Lines that are not one of the expected values (wrong length or content). */
  corrupt: number;
  /** Messages read back in a different order than produced (allowed when sends were concurrent). */
  outOfOrder: number;
  firstProblem: string | null;
}

/** Check newline-delimited values (kcat -C output) against the `expected` values 0..expected-1. */
export function verifyLines(output: Buffer, expected: number, lines: Buffer): Verification {
  const seen = new Uint8Array(expected);
  let received = 0;
  let duplicates = 0;
  let corrupt = 0;
  let outOfOrder = 0;
  let last = -1;
  let firstProblem: string | null = null;
  let pos = 0;
  while (pos < output.length) {
    let end = output.indexOf(10, pos);
    if (end < 0) end = output.length;
    received++;
    const len = end - pos;
    let seq = -1;
    if (len === VALUE_BYTES) {
      seq = 0;
      for (let d = 0; d < 10; d++) {
        const c = output[pos + d]! - 48;
        if (c < 0 || c > 9) {
          seq = -1;
          break;
        }
        seq = seq * 10 + c;
      }
    }
    if (seq < 0 || seq >= expected || output.compare(lines, seq * LINE_BYTES, seq * LINE_BYTES + VALUE_BYTES, pos, end) !== 0) {
      corrupt++;
      firstProblem ??= `message #${received} is not an expected value: ${JSON.stringify(output.toString('latin1', pos, Math.min(end, pos + 120)))}`;
    } else {
      if (seen[seq]) {
        duplicates++;
        firstProblem ??= `value ${seq} read twice`;
      }
      seen[seq] = 1;
      if (seq < last) outOfOrder++;
      last = seq;
    }
    pos = end + 1;
  }
  let missing = 0;
  let firstMissing = -1;
  for (let i = 0; i < expected; i++) {
    if (!seen[i]) {
      missing++;
      if (firstMissing < 0) firstMissing = i;
    }
  }
  if (missing > 0) firstProblem ??= `${missing} values never read back, the first is ${firstMissing}`;
  const ok = received === expected && missing === 0 && duplicates === 0 && corrupt === 0;
  return { ok, expected, received, missing, duplicates, corrupt, outOfOrder, firstProblem };
}

export function verifyFile(path: string, expected: number, lines: Buffer): Verification {
  return verifyLines(readFileSync(path), expected, lines);
}
