// PartitionLog semantics, run against both stores through the same table.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openDiskStore } from '../../storage/disk-store.js';
import { OffsetOutOfRangeError } from '../../protocol/errors.js';
import { ATTRIBUTES_OFFSET, Codec, buildBatch as buildRecordBatch } from '../../protocol/records/index.js';
import { MemoryFileSystem } from '../../storage/fs/memory-fs.js';
import { MemoryStore } from '../../storage/memory-store.js';
import type { DiskPartitionLog } from '../../storage/partition-log.js';
import type { DecodeTimestamps } from '../../storage/record-timestamps.js';
import type { LogConfig, PartitionLog } from '../../storage/types.js';
import { TOPIC_ID, buildBatch, concat, config, parseBatches, removeDir, simpleBatch, tempDir } from './storage-helpers.js';

interface Opened {
  log: PartitionLog;
  close(): Promise<void>;
}

interface Harness {
  name: string;
  open(cfg: LogConfig, decodeTimestamps?: DecodeTimestamps): Promise<Opened>;
}

const HARNESSES: Harness[] = [
  {
    name: 'memory',
    async open(cfg, decodeTimestamps) {
      const store = new MemoryStore({ decodeTimestamps });
      const log = store.openLog('t', 0, TOPIC_ID, cfg);
      return { log, close: () => store.close() };
    },
  },
  {
    name: 'disk',
    async open(cfg, decodeTimestamps) {
      const dir = tempDir();
      const store = await openDiskStore({ dataDir: dir, nodeId: 1, decodeTimestamps });
      const log = store.openLog('t', 0, TOPIC_ID, cfg);
      return {
        log,
        close: async () => {
          await store.close();
          removeDir(dir);
        },
      };
    },
  },
  {
    name: 'disk, tiny segments',
    async open(cfg, decodeTimestamps) {
      const dir = tempDir();
      const store = await openDiskStore({ dataDir: dir, nodeId: 1, decodeTimestamps });
      const log = store.openLog('t', 0, TOPIC_ID, { ...cfg, segmentBytes: 150, indexIntervalBytes: 1 });
      return {
        log,
        close: async () => {
          await store.close();
          removeDir(dir);
        },
      };
    },
  },
];

const ALL = { maxBytes: 1 << 20, maxOffset: Number.MAX_SAFE_INTEGER, minOneBatch: false };

async function withLog(
  h: Harness,
  fn: (log: PartitionLog) => void | Promise<void>,
  cfg = config(),
  decode?: DecodeTimestamps,
): Promise<void> {
  const opened = await h.open(cfg, decode);
  try {
    await fn(opened.log);
  } finally {
    await opened.close();
  }
}

/** b1: offset 0; b2: 1-3; b3: 4-5; b4+b5 in one append: 6-7 and 8-9. */
function fill(log: PartitionLog): Buffer[] {
  const b1 = simpleBatch(1, 1000);
  const b2 = simpleBatch(3, 1001);
  const b3 = simpleBatch(2, 1004);
  const b4 = simpleBatch(2, 2000);
  const b5 = simpleBatch(2, 2002);
  log.append(b1, 0);
  log.append(b2, 0);
  log.append(b3, 0);
  const multi = concat([b4, b5]);
  log.append(multi, 0);
  return [b1, b2, b3, multi.subarray(0, b4.length), multi.subarray(b4.length)];
}

function offsetsOf(bytes: Buffer): number[] {
  return parseBatches(bytes).batches.map((b) => b.baseOffset);
}

for (const h of HARNESSES) {
  describe(`PartitionLog (${h.name})`, () => {
    it('append assigns offsets and stamps baseOffset and leader epoch in place', () =>
      withLog(h, (log) => {
        assert.equal(log.logEndOffset, 0);
        const b1 = simpleBatch(1, 1000);
        const b2 = simpleBatch(3, 1001);
        assert.deepEqual(log.append(b1, 7), { baseOffset: 0, lastOffset: 0, maxTimestamp: 1000 });
        assert.deepEqual(log.append(b2, 7), { baseOffset: 1, lastOffset: 3, maxTimestamp: 1003 });
        assert.equal(b2.readBigInt64BE(0), 1n);
        assert.equal(b2.readInt32BE(12), 7);
        const multi = concat([simpleBatch(2, 3000), simpleBatch(2, 2000)]);
        assert.deepEqual(log.append(multi, 8), { baseOffset: 4, lastOffset: 7, maxTimestamp: 3001 });
        assert.deepEqual(offsetsOf(multi), [4, 6]);
        assert.equal(log.logEndOffset, 8);
        assert.equal(log.highWatermark, 8);
        assert.equal(log.logStartOffset, 0);
        assert.equal(log.size, b1.length + b2.length + multi.length);
        const all = log.read(0, ALL);
        assert.deepEqual(concat(all.chunks), concat([b1, b2, multi]));
        assert.equal(all.bytes, b1.length + b2.length + multi.length);
        assert.deepEqual(
          parseBatches(concat(all.chunks)).batches.map((b) => b.leaderEpoch),
          [7, 7, 8, 8],
        );
      }));

    it('reads from the start of the batch holding the fetch offset', () =>
      withLog(h, (log) => {
        const [, b2, b3, b4, b5] = fill(log);
        for (const offset of [1, 2, 3]) assert.deepEqual(concat(log.read(offset, ALL).chunks), concat([b2!, b3!, b4!, b5!]));
        assert.deepEqual(offsetsOf(concat(log.read(7, ALL).chunks)), [6, 8]);
        assert.deepEqual(offsetsOf(concat(log.read(9, ALL).chunks)), [8]);
        assert.deepEqual(log.read(10, ALL), { chunks: [], bytes: 0 });
        assert.throws(() => log.read(11, ALL), OffsetOutOfRangeError);
        assert.throws(() => log.read(-1, ALL), OffsetOutOfRangeError);
      }));

    it('honours maxBytes (cutting the last batch) and minOneBatch', () =>
      withLog(h, (log) => {
        const [b1, b2] = fill(log);
        const cut = log.read(0, { ...ALL, maxBytes: b1!.length + 10 });
        assert.equal(cut.bytes, b1!.length + 10);
        assert.deepEqual(concat(cut.chunks), concat([b1!, b2!.subarray(0, 10)]));
        assert.deepEqual(concat(log.read(1, { ...ALL, maxBytes: 10 }).chunks), b2!.subarray(0, 10));
        assert.deepEqual(concat(log.read(1, { ...ALL, maxBytes: 10, minOneBatch: true }).chunks), b2);
        assert.deepEqual(concat(log.read(1, { ...ALL, maxBytes: 0, minOneBatch: true }).chunks), b2);
        assert.equal(log.read(1, { ...ALL, maxBytes: 0 }).bytes, 0);
        // minOneBatch only stretches the budget to the first batch; it does not add to it.
        const one = log.read(0, { ...ALL, maxBytes: b1!.length + b2!.length - 1, minOneBatch: true });
        assert.equal(one.bytes, b1!.length + b2!.length - 1);
      }));

    it('never serves a batch reaching maxOffset', () =>
      withLog(h, (log) => {
        const [b1, b2, b3, b4] = fill(log);
        assert.deepEqual(concat(log.read(0, { ...ALL, maxOffset: 6 }).chunks), concat([b1!, b2!, b3!]));
        assert.deepEqual(concat(log.read(0, { ...ALL, maxOffset: 7 }).chunks), concat([b1!, b2!, b3!]));
        assert.deepEqual(concat(log.read(0, { ...ALL, maxOffset: 8 }).chunks), concat([b1!, b2!, b3!, b4!]));
        assert.equal(log.read(6, { ...ALL, maxOffset: 6 }).bytes, 0);
        assert.equal(log.read(2, { ...ALL, maxOffset: 2, minOneBatch: true }).bytes, 0);
        assert.equal(log.read(0, { ...ALL, maxOffset: 0, minOneBatch: true }).bytes, 0);
      }));

    it('finds offsets by timestamp and the max timestamp', () =>
      withLog(h, (log) => {
        const ts = (list: number[]) => buildBatch(list.map((t) => ({ value: `at${t}`, timestamp: t })));
        log.append(ts([100, 300, 200]), 0); // 0-2
        log.append(ts([150, 250]), 0); // 3-4
        log.append(ts([400, 350]), 0); // 5-6
        log.append(ts([400, 400]), 0); // 7-8
        const at = (t: number, max = 9) => log.offsetForTimestamp(t, max);
        assert.deepEqual(at(0), { offset: 0, timestamp: 100 });
        assert.deepEqual(at(100), { offset: 0, timestamp: 100 });
        assert.deepEqual(at(101), { offset: 1, timestamp: 300 });
        assert.deepEqual(at(300), { offset: 1, timestamp: 300 });
        assert.deepEqual(at(301), { offset: 5, timestamp: 400 });
        assert.deepEqual(at(400), { offset: 5, timestamp: 400 });
        assert.equal(at(401), null);
        assert.equal(at(301, 5), null);
        assert.equal(at(101, 1), null);
        assert.deepEqual(at(101, 2), { offset: 1, timestamp: 300 });
        assert.deepEqual(log.maxTimestamp(9), { offset: 5, timestamp: 400 });
        assert.deepEqual(log.maxTimestamp(5), { offset: 1, timestamp: 300 });
        assert.deepEqual(log.maxTimestamp(6), { offset: 1, timestamp: 300 });
        assert.equal(log.maxTimestamp(0), null);
      }));

    it('finds exact records inside gzip and lz4 batches without any wiring', () =>
      withLog(h, (log) => {
        const records = (list: number[]) => list.map((t, i) => ({ value: `r${i}-${'y'.repeat(40)}`, timestamp: t }));
        const gzip = buildRecordBatch({ compression: Codec.GZIP, records: records([100, 250, 400, 200, 150]) });
        const lz4 = buildRecordBatch({ compression: Codec.LZ4, records: records([500, 650, 900, 700, 600]) });
        assert.equal(gzip.readInt16BE(ATTRIBUTES_OFFSET) & 0x07, Codec.GZIP);
        assert.equal(lz4.readInt16BE(ATTRIBUTES_OFFSET) & 0x07, Codec.LZ4);
        log.append(gzip, 0); // 0-4
        log.append(lz4, 0); // 5-9
        const at = (t: number, max = 10) => log.offsetForTimestamp(t, max);
        assert.deepEqual(at(200), { offset: 1, timestamp: 250 });
        assert.deepEqual(at(260), { offset: 2, timestamp: 400 });
        assert.deepEqual(at(550), { offset: 6, timestamp: 650 });
        assert.deepEqual(at(660), { offset: 7, timestamp: 900 });
        assert.equal(at(660, 7), null);
        assert.deepEqual(log.maxTimestamp(5), { offset: 2, timestamp: 400 });
        assert.deepEqual(log.maxTimestamp(10), { offset: 7, timestamp: 900 });
      }));

    it('falls back to batch-level answers for batches it cannot decode, or uses the hook', async () => {
      const body = [100, 300, 200].map((t) => ({ value: `at${t}`, timestamp: t }));
      await withLog(h, (log) => {
        log.append(buildBatch(body, { attributes: 1 }), 0); // claims gzip; records are plain
        assert.deepEqual(log.offsetForTimestamp(150, 3), { offset: 0, timestamp: 300 });
        assert.deepEqual(log.offsetForTimestamp(50, 3), { offset: 0, timestamp: 100 });
        assert.deepEqual(log.maxTimestamp(3), { offset: 0, timestamp: 300 });
      });
      const hook: DecodeTimestamps = () => body.map((r, i) => ({ offsetDelta: i, timestamp: r.timestamp }));
      await withLog(
        h,
        (log) => {
          log.append(buildBatch(body, { attributes: 1 }), 0);
          assert.deepEqual(log.offsetForTimestamp(150, 3), { offset: 1, timestamp: 300 });
          assert.deepEqual(log.maxTimestamp(3), { offset: 1, timestamp: 300 });
        },
        config(),
        hook,
      );
    });

    it('rejects appends that are not whole batches', () =>
      withLog(h, (log) => {
        assert.throws(() => log.append(Buffer.alloc(0), 0), /append rejected/);
        assert.throws(() => log.append(simpleBatch(1, 1).subarray(0, 40), 0), /append rejected/);
        assert.equal(log.logEndOffset, 0);
      }));
  });
}

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('memory and disk stores answer alike', () => {
  it('on a random workload across many segments', async () => {
    const rand = rng(42);
    const int = (n: number) => Math.floor(rand() * n);
    const batches: Buffer[] = [];
    for (let i = 0; i < 120; i++) {
      const n = 1 + int(5);
      const base = 1_000_000 + int(5000);
      batches.push(buildBatch(Array.from({ length: n }, (_, k) => ({ value: 'x'.repeat(int(60)), timestamp: base + int(300) + k }))));
    }
    const mem = await HARNESSES[0]!.open(config());
    const disk = await HARNESSES[1]!.open(config({ segmentBytes: 1500, indexIntervalBytes: 200 }));
    try {
      for (let i = 0; i < batches.length; ) {
        const take = 1 + int(3);
        const group = concat(batches.slice(i, i + take));
        assert.deepEqual(mem.log.append(Buffer.from(group), 0), disk.log.append(Buffer.from(group), 0));
        i += take;
      }
      const leo = mem.log.logEndOffset;
      assert.equal(disk.log.logEndOffset, leo);
      assert.ok((disk.log as DiskPartitionLog).segmentBaseOffsets.length > 5);
      assert.equal(disk.log.size, mem.log.size);
      for (let q = 0; q < 400; q++) {
        const opts = { maxBytes: int(3000), maxOffset: int(leo + 5), minOneBatch: rand() < 0.5 };
        const offset = int(leo + 1);
        const a = mem.log.read(offset, opts);
        const b = disk.log.read(offset, opts);
        assert.equal(b.bytes, a.bytes, `read(${offset}, ${JSON.stringify(opts)})`);
        assert.deepEqual(concat(b.chunks), concat(a.chunks));
        const t = 1_000_000 + int(5400);
        const max = int(leo + 2);
        assert.deepEqual(disk.log.offsetForTimestamp(t, max), mem.log.offsetForTimestamp(t, max), `ts ${t} max ${max}`);
        assert.deepEqual(disk.log.maxTimestamp(max), mem.log.maxTimestamp(max), `maxTimestamp(${max})`);
      }
    } finally {
      await mem.close();
      await disk.close();
    }
  });

  it('reads of fetch sizes (16 KiB and more, into given memory, one segment or several) answer as the memory store', async () => {
    const rand = rng(7);
    const int = (n: number) => Math.floor(rand() * n);
    const memfs = new MemoryFileSystem();
    const mem = new MemoryStore({});
    const memLog = mem.openLog('t', 0, TOPIC_ID, config());
    const disk = await openDiskStore({ dataDir: '/data', nodeId: 1, fs: memfs });
    // Batches of 1-2,000 B and 8-12 KB, so the index's floor entry is sometimes the batch read from, sometimes a few before it.
    const diskLog = disk.openLog('t', 0, TOPIC_ID, config({ segmentBytes: 60_000, indexIntervalBytes: 4096 }));
    try {
      for (let i = 0; i < 150; i++) {
        const size = rand() < 0.3 ? 8000 + int(4000) : 1 + int(2000);
        const group = buildBatch(
          Array.from({ length: 1 + int(4) }, (_, k) => ({ value: 'x'.repeat(Math.floor(size / 4)), timestamp: 1000 + k })),
        );
        assert.deepEqual(memLog.append(Buffer.from(group), 0), diskLog.append(Buffer.from(group), 0));
      }
      const leo = memLog.logEndOffset;
      assert.ok((diskLog as DiskPartitionLog).segmentBaseOffsets.length > 2);
      for (let q = 0; q < 400; q++) {
        const opts = {
          maxBytes: 16 * 1024 + int(100_000),
          maxOffset: rand() < 0.7 ? leo : int(leo + 5),
          minOneBatch: rand() < 0.5,
          oneSegment: rand() < 0.5,
        };
        const offset = int(leo + 1);
        const a = memLog.read(offset, opts);
        const b = diskLog.read(offset, { ...opts, alloc: (n: number) => Buffer.alloc(n, 0xee) });
        const what = `read(${offset}, ${JSON.stringify(opts)})`;
        // The memory store has no segments: a one-segment read answers a prefix of its bytes.
        if (opts.oneSegment) assert.equal(b.bytes > 0, a.bytes > 0, what);
        else assert.equal(b.bytes, a.bytes, what);
        assert.deepEqual(concat(b.chunks), concat(a.chunks).subarray(0, b.bytes), what);
      }
    } finally {
      await mem.close();
      await disk.close();
    }
  });
});
