// Hand-built magic-2 batches for the storage tests (README §3.1, §3.3): uncompressed, CRC-32C,
// plus small helpers to read batch headers back and to make temporary directories.

import crc32c from 'crc-32/crc32c.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LogConfig } from '../../storage/types.js';

export interface TestRecord {
  key?: string | null;
  value?: string | null;
  timestamp: number;
}

function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

function varint(n: number): number[] {
  let u = zigzag(n);
  const out: number[] = [];
  while (u >= 0x80) {
    out.push((u % 128) | 0x80);
    u = Math.floor(u / 128);
  }
  out.push(u);
  return out;
}

function bytesField(s: string | null | undefined): number[] {
  if (s === null || s === undefined) return varint(-1);
  const b = [...Buffer.from(s, 'utf8')];
  return [...varint(b.length), ...b];
}

/** One uncompressed magic-2 batch (baseOffset 0, leader epoch -1) with a valid CRC-32C. */
export function buildBatch(records: TestRecord[], opts: { attributes?: number } = {}): Buffer {
  if (records.length === 0) throw new Error('a test batch needs records');
  const baseTimestamp = records[0]!.timestamp;
  const maxTimestamp = Math.max(...records.map((r) => r.timestamp));
  const body: number[] = [];
  records.forEach((r, i) => {
    const rec = [0, ...varint(r.timestamp - baseTimestamp), ...varint(i), ...bytesField(r.key), ...bytesField(r.value), ...varint(0)];
    body.push(...varint(rec.length), ...rec);
  });
  const buf = Buffer.alloc(61 + body.length);
  buf.writeBigInt64BE(0n, 0);
  buf.writeInt32BE(buf.length - 12, 8);
  buf.writeInt32BE(-1, 12);
  buf.writeInt8(2, 16);
  buf.writeInt16BE(opts.attributes ?? 0, 21);
  buf.writeInt32BE(records.length - 1, 23);
  buf.writeBigInt64BE(BigInt(baseTimestamp), 27);
  buf.writeBigInt64BE(BigInt(maxTimestamp), 35);
  buf.writeBigInt64BE(-1n, 43);
  buf.writeInt16BE(-1, 51);
  buf.writeInt32BE(-1, 53);
  buf.writeInt32BE(records.length, 57);
  Buffer.from(body).copy(buf, 61);
  buf.writeUInt32BE(crc32c.buf(buf.subarray(21)) >>> 0, 17);
  return buf;
}

/** A batch of `count` records with value `v<i>` of roughly `valueBytes` bytes, timestamps ts, ts+1, ... */
export function simpleBatch(count: number, ts: number, valueBytes = 10): Buffer {
  const records: TestRecord[] = [];
  for (let i = 0; i < count; i++) records.push({ key: null, value: `v${i}`.padEnd(valueBytes, 'x'), timestamp: ts + i });
  return buildBatch(records);
}

export interface ParsedBatch {
  position: number;
  size: number;
  baseOffset: number;
  lastOffset: number;
  leaderEpoch: number;
  maxTimestamp: number;
}

/** Headers of the whole batches in buf (a trailing partial batch is reported as `partial`). */
export function parseBatches(buf: Buffer): { batches: ParsedBatch[]; partial: number } {
  const batches: ParsedBatch[] = [];
  let pos = 0;
  while (pos + 61 <= buf.length) {
    const size = buf.readInt32BE(pos + 8) + 12;
    if (pos + size > buf.length) break;
    const baseOffset = Number(buf.readBigInt64BE(pos));
    batches.push({
      position: pos,
      size,
      baseOffset,
      lastOffset: baseOffset + buf.readInt32BE(pos + 23),
      leaderEpoch: buf.readInt32BE(pos + 12),
      maxTimestamp: Number(buf.readBigInt64BE(pos + 35)),
    });
    pos += size;
  }
  return { batches, partial: buf.length - pos };
}

export function concat(chunks: Buffer[]): Buffer {
  return Buffer.concat(chunks);
}

export const TEST_CONFIG: LogConfig = {
  segmentBytes: 1024 * 1024 * 1024,
  segmentMs: 7 * 24 * 3600 * 1000,
  segmentIndexBytes: 10 * 1024 * 1024,
  indexIntervalBytes: 4096,
};

export function config(overrides: Partial<LogConfig> = {}): LogConfig {
  return { ...TEST_CONFIG, ...overrides };
}

/** A fresh directory under os.tmpdir(); remove it with removeDir. */
export function tempDir(prefix = 'kafkalite-storage-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Logger that records lines for assertions. */
export function captureLogger(): {
  logger: { info: (...a: unknown[]) => void; warn: (...a: unknown[]) => void; error: (...a: unknown[]) => void };
  lines: Array<{ level: string; obj: unknown; msg?: string }>;
} {
  const lines: Array<{ level: string; obj: unknown; msg?: string }> = [];
  const at = (level: string) => (obj: unknown, msg?: unknown) => {
    lines.push({ level, obj, msg: typeof msg === 'string' ? msg : undefined });
  };
  return { logger: { info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

export const TOPIC_ID = 'q1Sh-9_ISia_zwGINzRvyQ';
