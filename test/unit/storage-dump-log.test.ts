// `kafkalite dump-log`: the lines kafka-dump-log.sh prints for a segment (batches, and records
// with --print-data-log), an offset index and a time index, run as the CLI.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Codec, buildBatch, buildControlBatch, iterateEntries, readBatchHeader } from '../../protocol/records/index.js';
import { openDiskStore } from '../../storage/disk-store.js';
import { TOPIC_ID, config, removeDir, tempDir } from './storage-helpers.js';

const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'kafkalite.js');
const T = 1_700_000_000_000;

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => removeDir(dir));

function dumpLog(...args: string[]): { code: number | null; lines: string[] } {
  const r = spawnSync(process.execPath, [BIN, 'dump-log', ...args], { encoding: 'utf8' });
  return { code: r.status, lines: r.stdout.trimEnd().split('\n') };
}

async function writeSegment(): Promise<string> {
  const store = await openDiskStore({ dataDir: dir, nodeId: 1 });
  const log = store.openLog('d', 0, TOPIC_ID, config({ indexIntervalBytes: 10 }));
  log.append(
    buildBatch({
      records: [
        {
          key: 'k1',
          value: 'hello',
          timestamp: T,
          headers: [
            { key: 'h1', value: 'x' },
            { key: 'h2', value: null },
          ],
        },
      ],
    }),
    3,
  );
  log.append(
    buildBatch({
      compression: Codec.GZIP,
      producerId: 77,
      producerEpoch: 2,
      baseSequence: 10,
      records: [
        { key: null, value: 'a', timestamp: T + 1 },
        { key: 'k2', value: null, timestamp: T + 5 },
      ],
    }),
    3,
  );
  log.append(buildControlBatch({ producerId: 77, producerEpoch: 2, commit: true, coordinatorEpoch: 9, timestamp: T + 6 }), 3);
  log.append(buildBatch({ timestampType: 1, maxTimestamp: T + 100, records: [{ key: 'k3', value: 'lat', timestamp: T + 7 }] }), 4);
  await store.close();
  return path.join(dir, 'd-0', '00000000000000000000');
}

describe('kafkalite dump-log', () => {
  it("prints a segment's batches like kafka-dump-log.sh, and records with --print-data-log", async () => {
    const prefix = await writeSegment();
    const bytes = fs.readFileSync(`${prefix}.log`);
    const h = [...iterateEntries(bytes)].map((e) => readBatchHeader(bytes, e.position));
    assert.equal(h.length, 4);
    const plain = dumpLog(`${prefix}.log`);
    assert.equal(plain.code, 0);
    assert.deepEqual(plain.lines.slice(0, 2), [`Dumping ${prefix}.log`, 'Log starting offset: 0']);
    assert.equal(
      plain.lines[2],
      `baseOffset: 0 lastOffset: 0 count: 1 baseSequence: -1 lastSequence: -1 producerId: -1 producerEpoch: -1 ` +
        `partitionLeaderEpoch: 3 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: 0 ` +
        `CreateTime: ${T} size: ${h[0]!.sizeInBytes} magic: 2 compresscodec: none crc: ${h[0]!.crc} isvalid: true`,
    );
    assert.equal(
      plain.lines[3],
      `baseOffset: 1 lastOffset: 2 count: 2 baseSequence: 10 lastSequence: 11 producerId: 77 producerEpoch: 2 ` +
        `partitionLeaderEpoch: 3 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: ` +
        `${h[1]!.position} CreateTime: ${T + 5} size: ${h[1]!.sizeInBytes} magic: 2 compresscodec: gzip crc: ${h[1]!.crc} isvalid: true`,
    );
    assert.match(plain.lines[4]!, /^baseOffset: 3 lastOffset: 3 count: 1 .* isTransactional: true isControl: true .* compresscodec: none/);
    assert.match(plain.lines[5]!, new RegExp(`^baseOffset: 4 lastOffset: 4 .* partitionLeaderEpoch: 4 .* LogAppendTime: ${T + 100} size`));
    assert.equal(plain.lines.length, 6);

    const data = dumpLog(`${prefix}.log`, '--print-data-log');
    assert.deepEqual(data.lines.slice(2), [
      plain.lines[2],
      `| offset: 0 CreateTime: ${T} keySize: 2 valueSize: 5 sequence: -1 headerKeys: [h1,h2] key: k1 payload: hello`,
      plain.lines[3],
      `| offset: 1 CreateTime: ${T + 1} keySize: -1 valueSize: 1 sequence: 10 headerKeys: [] payload: a`,
      `| offset: 2 CreateTime: ${T + 5} keySize: 2 valueSize: -1 sequence: 11 headerKeys: []`,
      plain.lines[4],
      `| offset: 3 CreateTime: ${T + 6} keySize: 4 valueSize: 6 sequence: -1 headerKeys: [] endTxnMarker: COMMIT coordinatorEpoch: 9`,
      plain.lines[5],
      `| offset: 4 LogAppendTime: ${T + 100} keySize: 2 valueSize: 3 sequence: -1 headerKeys: [] key: k3 payload: lat`,
    ]);
    const deep = dumpLog('--deep-iteration', '--files', `${prefix}.log`);
    assert.equal(deep.lines[3], `| offset: 0 CreateTime: ${T} keySize: 2 valueSize: 5 sequence: -1 headerKeys: [h1,h2]`);
  });

  it('prints index entries, time index entries, and invalid trailing bytes', async () => {
    const prefix = await writeSegment();
    const bytes = fs.readFileSync(`${prefix}.log`);
    const h = [...iterateEntries(bytes)].map((e) => readBatchHeader(bytes, e.position));
    const out = dumpLog(`${prefix}.index`, `${prefix}.timeindex`);
    // index.interval.bytes=10: an entry for every append after the first.
    assert.deepEqual(out.lines, [
      `Dumping ${prefix}.index`,
      `offset: 2 position: ${h[1]!.position}`,
      `offset: 3 position: ${h[2]!.position}`,
      `offset: 4 position: ${h[3]!.position}`,
      `Dumping ${prefix}.timeindex`,
      `timestamp: ${T + 5} offset: 2`,
      `timestamp: ${T + 6} offset: 3`,
      `timestamp: ${T + 100} offset: 4`,
    ]);
    fs.appendFileSync(`${prefix}.log`, Buffer.alloc(20, 1));
    const torn = dumpLog(`${prefix}.log`);
    assert.equal(torn.lines.at(-1), 'Found 20 invalid bytes at the end of 00000000000000000000.log');
    assert.equal(dumpLog().code, 2, 'no file named');
  });
});
