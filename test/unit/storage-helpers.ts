// Magic-2 batches for the storage tests, built with protocol/records (DefaultRecordBatch layout),
// plus small helpers to read batch headers back and to make temporary directories.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ATTRIBUTES_OFFSET,
  buildBatch as buildRecordBatch,
  decodeBatchRecords,
  iterateEntries,
  readBatchHeader,
  writeCrc,
} from '../../protocol/records/index.js';
import { VirtualClock } from '../../storage/clock.js';
import { openDiskStore } from '../../storage/disk-store.js';
import type { LogManager, LogManagerSettings } from '../../storage/log-manager.js';
import { MemoryStore } from '../../storage/memory-store.js';
import type { LogConfig, LogStore } from '../../storage/types.js';

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

/** A store of either kind with a virtual clock, for tests that run against both. */
export interface StoreUnderTest {
  kind: 'memory' | 'disk';
  store: LogStore & { manager: LogManager };
  clock: VirtualClock;
  dir: string | null;
  /** Close (cleanly) and reopen a disk store on the same directory and clock; the memory store cannot. */
  reopen(): Promise<StoreUnderTest>;
  close(): Promise<void>;
}

export const STORE_KINDS = ['memory', 'disk'] as const;

export type TestLogger = ReturnType<typeof captureLogger>['logger'];

/** Open a store of `kind` (disk: in a fresh temporary directory) on a VirtualClock at `startMs`. */
export async function openStoreUnderTest(
  kind: 'memory' | 'disk',
  opts: { startMs?: number; settings?: Partial<LogManagerSettings>; logger?: TestLogger } = {},
): Promise<StoreUnderTest> {
  const clock = new VirtualClock(opts.startMs ?? 1_700_000_000_000);
  const logger = opts.logger ?? captureLogger().logger;
  if (kind === 'memory') {
    const store = new MemoryStore({ clock, settings: opts.settings, logger });
    return {
      kind,
      store,
      clock,
      dir: null,
      reopen: () => Promise.reject(new Error('a memory store cannot be reopened')),
      close: () => store.close(),
    };
  }
  const dir = tempDir();
  const openAt = async (): Promise<StoreUnderTest> => {
    const store = await openDiskStore({ dataDir: dir, nodeId: 1, clock, settings: opts.settings, logger });
    return {
      kind,
      store,
      clock,
      dir,
      reopen: async () => {
        await store.close();
        return openAt();
      },
      close: async () => {
        await store.close();
        removeDir(dir);
      },
    };
  };
  return openAt();
}

/** Every record of the log from `from`, decoded: offset, key, value (strings), timestamp. */
export function readRecords(
  log: import('../../storage/types.js').PartitionLog,
  from = log.logStartOffset,
): Array<{ offset: number; key: string | null; value: string | null; timestamp: number }> {
  const bytes = Buffer.concat(log.read(from, { maxBytes: 1 << 30, maxOffset: Number.MAX_SAFE_INTEGER, minOneBatch: true }).chunks);
  const out: Array<{ offset: number; key: string | null; value: string | null; timestamp: number }> = [];
  for (const entry of iterateEntries(bytes)) {
    for (const r of decodeBatchRecords(bytes, entry.position).records) {
      if (r.offset < from) continue;
      out.push({ offset: r.offset, key: r.key?.toString() ?? null, value: r.value?.toString() ?? null, timestamp: r.timestamp });
    }
  }
  return out;
}
