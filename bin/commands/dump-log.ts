// `kafkalite dump-log <file...>`: print a segment's batches (and records), or an index's entries,
// as Kafka's kafka-dump-log.sh (DumpLogSegments) does. Reads files directly; safe on the data
// directory of a running broker. Self-contained: registered by bin/kafkalite.ts.
//
//   kafkalite dump-log 00000000000000000000.log [--print-data-log]
//   kafkalite dump-log 00000000000000000000.index 00000000000000000000.timeindex
//   kafkalite dump-log --files a.log,b.index --deep-iteration

import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import {
  LOG_OVERHEAD,
  RECORD_BATCH_OVERHEAD,
  codecName,
  decodeBatchRecords,
  isCrcValid,
  readBatchHeader,
  readInt64,
  type BatchHeader,
  type DecodedRecord,
} from '../../protocol/records/index.js';

export interface DumpOptions {
  /** Print each record's key and payload (implies record lines). */
  printDataLog?: boolean;
  /** Print a line per record even without --print-data-log. */
  deepIteration?: boolean;
}

const MAX_BATCH_BYTES = 256 * 1024 * 1024;

/** Dump every file, one output line per call of `out`. Returns false if a file could not be read. */
export function dumpFiles(files: string[], opts: DumpOptions, out: (line: string) => void): boolean {
  let ok = true;
  for (const file of files) {
    out(`Dumping ${file}`);
    try {
      const ext = path.extname(file);
      if (ext === '.log') dumpLog(file, opts, out);
      else if (ext === '.index') dumpOffsetIndex(file, out);
      else if (ext === '.timeindex') dumpTimeIndex(file, out);
      else out(`Ignoring unknown file ${file}`);
    } catch (err) {
      out(`Could not read ${file}: ${(err as Error).message}`);
      ok = false;
    }
  }
  return ok;
}

function baseOffsetOf(file: string): number {
  const m = /^(\d{20})\./.exec(path.basename(file));
  return m ? Number(m[1]) : 0;
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const n = fs.readSync(fd, buf, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done === length ? buf : buf.subarray(0, done);
}

function dumpLog(file: string, opts: DumpOptions, out: (line: string) => void): void {
  out(`Log starting offset: ${baseOffsetOf(file)}`);
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    let pos = 0;
    while (pos + RECORD_BATCH_OVERHEAD <= size) {
      const head = readAt(fd, pos, RECORD_BATCH_OVERHEAD);
      const batchSize = head.readInt32BE(8) + LOG_OVERHEAD;
      const magic = head.readInt8(16);
      if (magic !== 2 || batchSize < RECORD_BATCH_OVERHEAD || batchSize > MAX_BATCH_BYTES || pos + batchSize > size) break;
      const batch = readAt(fd, pos, batchSize);
      const h = readBatchHeader(batch);
      out(batchLine(h, batch, pos));
      if (opts.printDataLog || opts.deepIteration) for (const line of recordLines(h, batch, opts.printDataLog === true)) out(line);
      pos += batchSize;
    }
    if (pos < size) out(`Found ${size - pos} invalid bytes at the end of ${path.basename(file)}`);
  } finally {
    fs.closeSync(fd);
  }
}

function lastSequence(h: BatchHeader): number {
  if (h.baseSequence < 0) return -1;
  const s = h.baseSequence + h.lastOffsetDelta;
  return s > 2147483647 ? s - 2147483648 : s;
}

function timestampTypeName(h: BatchHeader): string {
  return h.timestampType === 1 ? 'LogAppendTime' : 'CreateTime';
}

function batchLine(h: BatchHeader, batch: Buffer, position: number): string {
  const horizon = h.hasDeleteHorizon ? `OptionalLong[${h.baseTimestamp}]` : 'OptionalLong.empty';
  return (
    `baseOffset: ${h.baseOffset} lastOffset: ${h.lastOffset} count: ${h.recordCount} ` +
    `baseSequence: ${h.baseSequence} lastSequence: ${lastSequence(h)} producerId: ${h.producerId} ` +
    `producerEpoch: ${h.producerEpoch} partitionLeaderEpoch: ${h.partitionLeaderEpoch} ` +
    `isTransactional: ${h.isTransactional} isControl: ${h.isControl} deleteHorizonMs: ${horizon} ` +
    `position: ${position} ${timestampTypeName(h)}: ${h.maxTimestamp} size: ${h.sizeInBytes} magic: ${h.magic} ` +
    `compresscodec: ${codecName(h.compression)} crc: ${h.crc} isvalid: ${isCrcValid(batch)}`
  );
}

function recordLines(h: BatchHeader, batch: Buffer, printData: boolean): string[] {
  let records: DecodedRecord[];
  try {
    records = decodeBatchRecords(batch).records;
  } catch (err) {
    return [`| cannot decode records: ${(err as Error).message}`];
  }
  return records.map((r) => {
    const sequence = h.baseSequence < 0 ? -1 : h.baseSequence + (r.offset - h.baseOffset);
    let line =
      `| offset: ${r.offset} ${timestampTypeName(h)}: ${r.timestamp} keySize: ${r.key?.length ?? -1} ` +
      `valueSize: ${r.value?.length ?? -1} sequence: ${sequence} headerKeys: [${r.headers.map((x) => x.key).join(',')}]`;
    if (printData) {
      if (h.isControl) line += controlText(r.key, r.value);
      else if (r.value !== null) {
        if (r.key !== null) line += ` key: ${r.key.toString('utf8')}`;
        line += ` payload: ${r.value.toString('utf8')}`;
      }
    }
    return line;
  });
}

function controlText(key: Buffer | null, value: Buffer | null): string {
  if (key === null || key.length < 4) return ' unknownControlKey';
  const type = key.readInt16BE(2);
  if ((type === 0 || type === 1) && value !== null && value.length >= 6) {
    return ` endTxnMarker: ${type === 1 ? 'COMMIT' : 'ABORT'} coordinatorEpoch: ${value.readInt32BE(2)}`;
  }
  return ` controlType: ${type}`;
}

function dumpOffsetIndex(file: string, out: (line: string) => void): void {
  const base = baseOffsetOf(file);
  const buf = fs.readFileSync(file);
  for (let i = 0; i + 8 <= buf.length; i += 8) {
    const rel = buf.readInt32BE(i);
    // A pre-allocated (Kafka) index ends in zero entries.
    if (i > 0 && rel === 0) break;
    out(`offset: ${base + rel} position: ${buf.readInt32BE(i + 4)}`);
  }
  if (buf.length % 8 !== 0) out(`Found ${buf.length % 8} trailing bytes in ${path.basename(file)} (not a whole entry)`);
}

function dumpTimeIndex(file: string, out: (line: string) => void): void {
  const base = baseOffsetOf(file);
  const buf = fs.readFileSync(file);
  for (let i = 0; i + 12 <= buf.length; i += 12) {
    const ts = readInt64(buf, i);
    const rel = buf.readInt32BE(i + 8);
    if (i > 0 && rel === 0 && ts === 0) break;
    out(`timestamp: ${ts} offset: ${base + rel}`);
  }
  if (buf.length % 12 !== 0) out(`Found ${buf.length % 12} trailing bytes in ${path.basename(file)} (not a whole entry)`);
}

/** Add the `dump-log` command to the CLI. */
export function registerDumpLog(program: Command): void {
  program
    .command('dump-log')
    .description("print a segment's batches and records, or an index's entries (like kafka-dump-log.sh)")
    .argument('[files...]', '.log, .index or .timeindex files')
    .option('--files <list>', 'comma-separated files (as kafka-dump-log.sh)')
    .option('--print-data-log', "print each record's key and payload")
    .option('--deep-iteration', 'print a line per record')
    .action((positional: string[], opts: { files?: string; printDataLog?: boolean; deepIteration?: boolean }) => {
      const files = [...positional, ...(opts.files ? opts.files.split(',').filter(Boolean) : [])];
      if (files.length === 0) {
        process.stderr.write('dump-log: name at least one file\n');
        process.exitCode = 2;
        return;
      }
      const lines: string[] = [];
      const flush = () => {
        if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
        lines.length = 0;
      };
      const ok = dumpFiles(files, { printDataLog: opts.printDataLog, deepIteration: opts.deepIteration }, (line) => {
        lines.push(line);
        if (lines.length >= 1000) flush();
      });
      flush();
      if (!ok) process.exitCode = 1;
    });
}
