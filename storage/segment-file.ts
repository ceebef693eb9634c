// Low-level reads of a segment's .log by file descriptor: positional, synchronous, bounded.
// Header scans go through a small shared window so that walking many small batches does not cost
// one system call each; nothing ever reads a whole file.

import {
  BATCH_LENGTH_OFFSET,
  LOG_OVERHEAD,
  RECORD_BATCH_OVERHEAD,
  lastOffsetOf,
  readBatchHeader,
  type BatchHeader,
} from '../protocol/records/index.js';
import { batchProblem } from './batch.js';
import type { FileSystem } from './fs/file-system.js';

const WINDOW_BYTES = 16 * 1024;

/**
 * Debug counters of start-up work, for tests and benchmarks: a clean restart must validate no
 * batch (it reads checkpoints and a few headers), a crash recovery validates those after the
 * recovery point. Reset them freely.
 */
export const scanCounters = {
  /** Batches whose size, magic and CRC-32C were checked (recovery). */
  batchesValidated: 0,
  /** Bytes of those batches. */
  bytesValidated: 0,
  /** Batch headers read without validation to find a clean segment's end. */
  headersWalked: 0,
  reset(): void {
    this.batchesValidated = 0;
    this.bytesValidated = 0;
    this.headersWalked = 0;
  },
};
const RECOVERY_CHUNK_BYTES = 1024 * 1024;

/** Read exactly `length` bytes at `position` into buf[offset..] (short only at end of file). */
export function readFully(fs: FileSystem, fd: number, buf: Buffer, offset: number, length: number, position: number): number {
  let done = 0;
  while (done < length) {
    const n = fs.read(fd, buf, offset + done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

export function writeFully(fs: FileSystem, fd: number, buf: Buffer, position: number): void {
  let done = 0;
  while (done < buf.length) done += fs.write(fd, buf, done, buf.length - done, position + done);
}

/** Bytes [position, position+length) of the file (length must be within the file), into `alloc`'s memory if given. */
export function readBytes(fs: FileSystem, fd: number, position: number, length: number, alloc?: (length: number) => Buffer): Buffer {
  const buf = alloc ? alloc(length) : Buffer.allocUnsafe(length);
  const n = readFully(fs, fd, buf, 0, length, position);
  return n === length ? buf : buf.subarray(0, n);
}

/**
 * One window shared by all header scans (storage is synchronous, so scans never interleave).
 * The window belongs to one owner (a segment); owners invalidate it when their bytes change.
 */
class HeaderWindow {
  private readonly buf = Buffer.allocUnsafe(WINDOW_BYTES);
  private owner: object | null = null;
  private start = 0;
  private length = 0;

  /**
   * Header of the batch at `position` of a file of `fileSize` bytes, or null at/after the end.
   * The header's `position` is the file position.
   */
  read(owner: object, fs: FileSystem, fd: number, position: number, fileSize: number): BatchHeader | null {
    if (!this.load(owner, fs, fd, position, fileSize)) return null;
    const header = readBatchHeader(this.buf, position - this.start);
    if (header.sizeInBytes < RECORD_BATCH_OVERHEAD) return null;
    header.position = position;
    return header;
  }

  /**
   * Header of the first batch from `position` on whose last offset is >= `offset` (null at the
   * end, as read() would give): the batches before it are stepped over reading only their base
   * offset, length and last offset delta, so a fetch near the log end that starts from an index
   * entry up to index.interval.bytes back builds one header, not one per batch it skips (issue 15).
   */
  find(owner: object, fs: FileSystem, fd: number, position: number, fileSize: number, offset: number): BatchHeader | null {
    for (;;) {
      if (!this.load(owner, fs, fd, position, fileSize)) return null;
      const at = position - this.start;
      const size = this.buf.readInt32BE(at + BATCH_LENGTH_OFFSET) + LOG_OVERHEAD;
      if (size < RECORD_BATCH_OVERHEAD) return null;
      if (lastOffsetOf(this.buf, at) >= offset) return this.read(owner, fs, fd, position, fileSize);
      position += size;
    }
  }

  /** Whether the window holds a whole batch header at `position` (reading it in if need be). */
  private load(owner: object, fs: FileSystem, fd: number, position: number, fileSize: number): boolean {
    if (position + RECORD_BATCH_OVERHEAD > fileSize) return false;
    if (owner !== this.owner || position < this.start || position + RECORD_BATCH_OVERHEAD > this.start + this.length) {
      this.owner = owner;
      this.start = position;
      this.length = readFully(fs, fd, this.buf, 0, Math.min(WINDOW_BYTES, fileSize - position), position);
      if (this.length < RECORD_BATCH_OVERHEAD) {
        this.owner = null;
        return false;
      }
    }
    return true;
  }

  invalidate(owner: object): void {
    if (this.owner === owner) this.owner = null;
  }
}

export const headerWindow = new HeaderWindow();

/** What a validating scan found. */
export interface ScanOutcome {
  /** Bytes from the scan start that hold valid batches, ending on a batch boundary. */
  validEnd: number;
  /** Why scanning stopped before the end of the file (null = reached the end cleanly). */
  problem: string | null;
}

/**
 * Validate batches from `from` to `fileSize` (size, magic, CRC-32C unless `checkCrc` is false),
 * reading in 1 MiB chunks, and call `visit` for each valid one with its whole bytes. `visit` may
 * reject a batch (offset order) by returning a reason.
 */
export function scanValid(
  fs: FileSystem,
  fd: number,
  from: number,
  fileSize: number,
  visit: (header: BatchHeader, bytes: Buffer) => string | null,
  checkCrc = true,
): ScanOutcome {
  let chunk = Buffer.allocUnsafe(Math.min(RECOVERY_CHUNK_BYTES, Math.max(RECORD_BATCH_OVERHEAD, fileSize - from)));
  let chunkStart = from;
  let chunkLength = 0;
  let pos = from;
  while (pos < fileSize) {
    // Make sure the whole batch at pos is in the chunk (or as much of it as the file has).
    const inChunk = pos - chunkStart;
    let available = chunkLength - inChunk;
    let needed = RECORD_BATCH_OVERHEAD;
    if (available >= LOG_OVERHEAD) needed = Math.max(needed, chunk.readInt32BE(inChunk + BATCH_LENGTH_OFFSET) + LOG_OVERHEAD);
    if (available < needed && chunkStart + chunkLength < fileSize) {
      const want = Math.min(Math.max(RECOVERY_CHUNK_BYTES, needed), fileSize - pos);
      if (want > chunk.length) chunk = Buffer.allocUnsafe(want);
      chunkStart = pos;
      chunkLength = readFully(fs, fd, chunk, 0, want, pos);
      available = chunkLength;
      if (available >= LOG_OVERHEAD) {
        needed = Math.max(RECORD_BATCH_OVERHEAD, chunk.readInt32BE(BATCH_LENGTH_OFFSET) + LOG_OVERHEAD);
        if (available < needed && needed <= fileSize - pos) {
          // A batch bigger than the chunk: read it whole.
          chunk = Buffer.allocUnsafe(needed);
          chunkLength = readFully(fs, fd, chunk, 0, needed, pos);
          available = chunkLength;
        }
      }
    }
    const at = pos - chunkStart;
    const problem = batchProblem(chunk, at, Math.min(available, fileSize - pos), checkCrc);
    if (problem) return { validEnd: pos, problem: `${problem} at byte ${pos}` };
    const header = readBatchHeader(chunk, at);
    header.position = pos;
    scanCounters.batchesValidated++;
    scanCounters.bytesValidated += header.sizeInBytes;
    const rejected = visit(header, chunk.subarray(at, at + header.sizeInBytes));
    if (rejected) return { validEnd: pos, problem: `${rejected} at byte ${pos}` };
    pos += header.sizeInBytes;
  }
  return { validEnd: pos, problem: null };
}
