// Magic-2 batches for the storage tests, built with protocol/records (README §3.1, §3.3), plus
// small helpers to read batch headers back and to make temporary directories.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ATTRIBUTES_OFFSET,
  buildBatch as buildRecordBatch,
  iterateEntries,
  readBatchHeader,
  writeCrc,
} from '../../protocol/records/index.js';
import type { LogConfig } from '../../storage/types.js';

export interface TestRecord {
  key?: string | null;
  value?: string | null;
  timestamp: number;
}

/**
 * One uncompressed magic-2 batch (baseOffset 0, leader epoch -1) with a valid CRC-32C.
 * `attributes` overrides the attributes field afterwards (the records stay uncompressed, so a
 * codec bit there makes a batch storage cannot decode).
 */
export function buildBatch(records: TestRecord[], opts: { attributes?: number } = {}): Buffer {
  if (records.length === 0) throw new Error('a test batch needs records');
  const batch = buildRecordBatch({ records });
  if (opts.attributes !== undefined) {
    batch.writeInt16BE(opts.attributes, ATTRIBUTES_OFFSET);
    writeCrc(batch);
  }
  return batch;
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
  let end = 0;
  for (const entry of iterateEntries(buf)) {
    const h = readBatchHeader(buf, entry.position);
    batches.push({
      position: h.position,
      size: h.sizeInBytes,
      baseOffset: h.baseOffset,
      lastOffset: h.lastOffset,
      leaderEpoch: h.partitionLeaderEpoch,
      maxTimestamp: h.maxTimestamp,
    });
    end = entry.position + entry.sizeInBytes;
  }
  return { batches, partial: buf.length - end };
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
