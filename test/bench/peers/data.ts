// Values of any size for the peer runs: value i is a 10-digit sequence number, '-', then filler
// that depends on i, `size` bytes in all; one per line (what kcat -P reads and kcat -C writes).

import { readFileSync } from 'node:fs';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function sizedLines(count: number, size: number): Buffer {
  if (size < 12) throw new Error('values need at least 12 bytes');
  const filler = Buffer.from(ALPHABET.repeat(Math.ceil((size + ALPHABET.length) / ALPHABET.length)), 'latin1');
  const line = size + 1;
  const buf = Buffer.allocUnsafe(count * line);
  for (let i = 0; i < count; i++) {
    const at = i * line;
    let n = i;
    for (let d = 9; d >= 0; d--) {
      buf[at + d] = 48 + (n % 10);
      n = Math.floor(n / 10);
    }
    buf[at + 10] = 45;
    const off = i % ALPHABET.length;
    filler.copy(buf, at + 11, off, off + size - 11);
    buf[at + size] = 10;
  }
  return buf;
}

export function valueViews(lines: Buffer, size: number): Buffer[] {
  const count = lines.length / (size + 1);
  const out = new Array<Buffer>(count);
  for (let i = 0; i < count; i++) out[i] = lines.subarray(i * (size + 1), i * (size + 1) + size);
  return out;
}

export interface Check {
  ok: boolean;
  expected: number;
  received: number;
  missing: number;
  duplicates: number;
  corrupt: number;
  firstProblem: string | null;
}

/** Every line of `file` must be one of the `expected` values of `lines`, each exactly once (any order). */
export function checkFile(file: string, lines: Buffer, size: number, expected: number): Check {
  return checkValues(readFileSync(file), lines, size, expected, true);
}

export function checkValues(got: Buffer | Buffer[], lines: Buffer, size: number, expected: number, newlineSeparated = false): Check {
  const seen = new Uint8Array(expected);
  let received = 0;
  let corrupt = 0;
  let duplicates = 0;
  let firstProblem: string | null = null;
  const one = (v: Buffer) => {
    received++;
    const i = v.length === size ? Number(v.toString('latin1', 0, 10)) : -1;
    if (!(i >= 0 && i < expected) || v.compare(lines, i * (size + 1), i * (size + 1) + size) !== 0) {
      corrupt++;
      firstProblem ??= `unexpected value (${v.length} bytes) ${JSON.stringify(v.toString('latin1', 0, 40))}`;
      return;
    }
    if (seen[i]) {
      duplicates++;
      firstProblem ??= `value ${i} read twice`;
    }
    seen[i] = 1;
  };
  if (Array.isArray(got)) for (const v of got) one(v);
  else if (newlineSeparated) {
    let at = 0;
    while (at < got.length) {
      let nl = got.indexOf(10, at);
      if (nl < 0) nl = got.length;
      one(got.subarray(at, nl));
      at = nl + 1;
    }
  }
  let missing = 0;
  for (let i = 0; i < expected; i++) if (!seen[i]) missing++;
  if (missing > 0) firstProblem ??= `${missing} values never read back`;
  return {
    ok: missing === 0 && duplicates === 0 && corrupt === 0 && received === expected,
    expected,
    received,
    missing,
    duplicates,
    corrupt,
    firstProblem,
  };
}
