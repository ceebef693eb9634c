// One log segment (Kafka's LogSegment): `<base>.log` with its sparse `.index` and `.timeindex`.
// Only the active (last) segment is appended to; it opens its files for writing on the first
// append and holds its index entries in memory while active. Older segments keep no index
// entries in memory (lookups read the index files) and read their .log through a bounded, shared
// set of read descriptors (read-descriptors.ts): only the active segment holds its own (.log) one.

import path from 'node:path';
import { INT32_MAX } from '../protocol/limits.js';
import type { BatchHeader } from '../protocol/records/index.js';
import type { FileSystem } from './fs/file-system.js';
import { nodeFs } from './fs/node-fs.js';
import { OffsetIndex } from './offset-index.js';
import { readDescriptors } from './read-descriptors.js';
import { headerWindow, readBytes, scanValid, writeFully, type ScanOutcome } from './segment-file.js';
import { TimeIndex } from './time-index.js';
import { maxTimestampBelow } from './timestamp-search.js';

/** 20-digit zero-padded base offset (`LogFileUtils.filenamePrefixFromOffset`). */
export function segmentPrefix(baseOffset: number): string {
  return String(baseOffset).padStart(20, '0');
}

export interface RecoveryResult {
  /** Bytes cut from the end of the .log (0 if it was all valid). */
  truncatedBytes: number;
  /** Size before truncation. */
  originalSize: number;
  /** Why the tail was cut, if it was. */
  problem: string | null;
}

/** What an active segment knows of its end that its files say only after a scan (LogSegment.endState). */
export interface SegmentEnd {
  size: number;
  nextOffset: number;
  maxTimestamp: number;
  offsetOfMaxTimestamp: number;
  bytesSinceLastIndexEntry: number;
}

export interface SegmentOptions {
  /** Appended to every file name (`.cleaned` while the log cleaner builds a segment). */
  suffix?: string;
  /** This segment rolls this much before segment.ms (segment.jitter.ms, drawn per segment). */
  rollJitterMs?: number;
  /** Where the files live (default: the real disk). */
  fs?: FileSystem;
}

export class LogSegment {
  private prefix: string;
  private suffix: string;
  readonly offsetIndex: OffsetIndex;
  readonly timeIndex: TimeIndex;
  readonly rollJitterMs: number;
  private readonly fs: FileSystem;
  /** The read-write descriptor of the .log (reads without one go through readDescriptors). */
  private fd: number | null = null;
  /** The descriptor is open read-write. */
  private writable = false;
  /** Appends are allowed (the last segment). Files open on the first append. */
  private active = false;
  private logUnsynced = false;
  private bytes: number;
  private bytesSinceLastIndexEntry = 0;
  /** Largest batch maxTimestamp and the last offset of the first batch carrying it; lazily loaded. */
  private maxTs: number | undefined;
  private offsetOfMaxTs = -1;
  /** maxTimestamp of the first append (time-based rolling); lazily loaded. */
  private rollingBasedTs: number | undefined;
  /** Offset after the last batch; known for the active segment only. */
  nextOffset: number;

  private constructor(
    readonly dir: string,
    readonly baseOffset: number,
    size: number,
    readonly createdMs: number,
    opts: SegmentOptions,
  ) {
    this.prefix = path.join(dir, segmentPrefix(baseOffset));
    this.suffix = opts.suffix ?? '';
    this.fs = opts.fs ?? nodeFs;
    this.offsetIndex = new OffsetIndex(`${this.prefix}.index${this.suffix}`, baseOffset, this.fs);
    this.timeIndex = new TimeIndex(`${this.prefix}.timeindex${this.suffix}`, baseOffset, this.fs);
    this.rollJitterMs = opts.rollJitterMs ?? 0;
    this.bytes = size;
    this.nextOffset = baseOffset;
  }

  /** A new, empty, active segment (files created, any leftovers with that name replaced). */
  static create(dir: string, baseOffset: number, nowMs: number, opts: SegmentOptions = {}): LogSegment {
    const seg = new LogSegment(dir, baseOffset, 0, nowMs, opts);
    seg.fd = seg.fs.open(seg.logPath, 'truncate');
    seg.writable = true;
    seg.active = true;
    seg.maxTs = -1;
    seg.offsetIndex.startEmpty();
    seg.timeIndex.startEmpty();
    seg.offsetIndex.openForAppend();
    seg.timeIndex.openForAppend();
    return seg;
  }

  /** An existing segment of `size` bytes; indexes are attached or loaded by the LogLoader. */
  static existing(dir: string, baseOffset: number, size: number, nowMs: number, opts: SegmentOptions = {}): LogSegment {
    return new LogSegment(dir, baseOffset, size, nowMs, opts);
  }

  get logPath(): string {
    return `${this.prefix}.log${this.suffix}`;
  }

  get size(): number {
    return this.bytes;
  }

  get isActive(): boolean {
    return this.active;
  }

  /** Turn this (last) segment into the active one; files open for writing on the first append. */
  makeActive(): void {
    this.active = true;
  }

  private ensureAppendable(): void {
    if (!this.writable) {
      readDescriptors.release(this);
      this.fd = this.fs.open(this.logPath, 'create');
      this.writable = true;
      headerWindow.invalidate(this);
    }
    if (!this.offsetIndex.isOpenForAppend) this.offsetIndex.openForAppend();
    if (!this.timeIndex.isOpenForAppend) this.timeIndex.openForAppend();
  }

  private readFd(): number {
    return this.fd ?? readDescriptors.get(this, this.fs, this.logPath);
  }

  // ---- appending -------------------------------------------------------------------------

  /** Kafka's LogSegment.shouldRoll for an append of `appendSize` bytes. */
  shouldRoll(opts: {
    segmentBytes: number;
    segmentMs: number;
    segmentIndexBytes: number;
    appendSize: number;
    appendMaxTimestamp: number;
    appendLastOffset: number;
    nowMs: number;
  }): boolean {
    if (this.bytes === 0) return false; // nothing to roll away from
    if (this.bytes > opts.segmentBytes - opts.appendSize) return true;
    const rollTs = this.rollingBasedTimestamp();
    const waited = rollTs >= 0 ? opts.appendMaxTimestamp - rollTs : opts.nowMs - this.createdMs;
    if (waited > opts.segmentMs - this.rollJitterMs) return true;
    if (this.offsetIndex.isFull(opts.segmentIndexBytes) || this.timeIndex.isFull(opts.segmentIndexBytes)) return true;
    return opts.appendLastOffset - this.baseOffset > INT32_MAX;
  }

  /**
   * Append stamped batches (LogSegment.append): an index entry (last offset of this append, its
   * start position) when more than indexIntervalBytes were appended since the previous one.
   */
  append(data: Buffer, lastOffset: number, maxTimestamp: number, offsetOfMaxTimestamp: number, indexIntervalBytes: number): void {
    if (!this.active) throw new Error(`segment ${this.logPath} is not active`);
    this.ensureAppendable();
    const position = this.bytes;
    try {
      writeFully(this.fs, this.fd!, data, position);
    } catch (err) {
      // Leave no partial batch behind (ENOSPC, EIO): the next append writes at `position` again.
      try {
        this.fs.truncate(this.fd!, position);
      } catch {
        // recovery at the next start-up truncates it instead
      }
      throw err;
    }
    if (position === 0) this.rollingBasedTs = maxTimestamp;
    this.bytes += data.length;
    this.logUnsynced = true;
    this.nextOffset = lastOffset + 1;
    if (maxTimestamp > this.maxTimestampSoFar().timestamp) {
      this.maxTs = maxTimestamp;
      this.offsetOfMaxTs = offsetOfMaxTimestamp;
    }
    if (this.bytesSinceLastIndexEntry > indexIntervalBytes) {
      this.offsetIndex.append(lastOffset, position);
      this.timeIndex.maybeAppend(this.maxTs!, this.offsetOfMaxTs);
      this.bytesSinceLastIndexEntry = 0;
    }
    this.bytesSinceLastIndexEntry += data.length;
  }

  /** The final time index entry (segment max timestamp), written when a segment rolls or closes. */
  writeFinalTimeIndexEntry(): void {
    const { timestamp, offset } = this.maxTimestampSoFar();
    if (offset < this.baseOffset) return;
    const last = this.timeIndex.lastEntry();
    if (last && timestamp <= last.timestamp) return;
    if (!this.timeIndex.isOpenForAppend) this.timeIndex.openForAppend();
    this.timeIndex.maybeAppend(timestamp, offset);
  }

  /**
   * Roll: final time index entry; the index entries leave memory and the .log's read-write
   * descriptor closes (reads go through readDescriptors; a later flush() reopens to fsync).
   */
  onBecomeInactive(): void {
    this.writeFinalTimeIndexEntry();
    this.active = false;
    this.offsetIndex.unload();
    this.timeIndex.unload();
    if (this.fd !== null) {
      const fd = this.fd;
      this.fd = null;
      this.writable = false;
      headerWindow.invalidate(this);
      this.fs.close(fd);
    }
  }

  // ---- reading ---------------------------------------------------------------------------

  /** Header of the batch at `position` (a file position, as is the header's), or null at the end. */
  headerAt(position: number): BatchHeader | null {
    if (position >= this.bytes) return null;
    return headerWindow.read(this, this.fs, this.readFd(), position, this.bytes);
  }

  /**
   * First batch whose last offset is >= offset, scanning headers from the index's floor entry
   * (never before `fromPosition`).
   */
  translateOffset(offset: number, fromPosition = 0): BatchHeader | null {
    const pos = Math.max(fromPosition, this.offsetIndex.lookup(offset));
    if (pos >= this.bytes) return null;
    return headerWindow.find(this, this.fs, this.readFd(), pos, this.bytes, offset);
  }

  read(position: number, length: number, alloc?: (length: number) => Buffer): Buffer {
    return readBytes(this.fs, this.readFd(), position, Math.max(0, Math.min(length, this.bytes - position)), alloc);
  }

  /** Largest batch maxTimestamp and the last offset of the first batch reaching it ((-1, -1) if none). */
  maxTimestampSoFar(): { timestamp: number; offset: number } {
    if (this.maxTs === undefined) {
      // An inactive segment's last time index entry is its maximum (written when it rolled).
      const last = this.active ? null : this.timeIndex.lastEntry();
      const found = last ?? maxTimestampBelow(this, Infinity);
      this.maxTs = found.timestamp;
      this.offsetOfMaxTs = found.offset;
    }
    return { timestamp: this.maxTs, offset: this.offsetOfMaxTs };
  }

  /** Newest record time for retention: the max timestamp, or the file's mtime when no record has one. */
  largestTimestamp(): number {
    const ts = this.maxTimestampSoFar().timestamp;
    if (ts >= 0) return ts;
    try {
      return Math.floor(this.fs.stat(this.logPath).mtimeMs);
    } catch {
      return this.createdMs;
    }
  }

  /** maxTimestamp of the first batch, or -1 (time-based rolling). */
  private rollingBasedTimestamp(): number {
    if (this.rollingBasedTs === undefined) this.rollingBasedTs = this.headerAt(0)?.maxTimestamp ?? -1;
    return this.rollingBasedTs;
  }

  // ---- start-up --------------------------------------------------------------------------

  /** The active segment's end as it is in memory now (an image of the log, LogImage.end). */
  endState(): SegmentEnd {
    const max = this.maxTimestampSoFar();
    return {
      size: this.bytes,
      nextOffset: this.nextOffset,
      maxTimestamp: max.timestamp,
      offsetOfMaxTimestamp: max.offset,
      bytesSinceLastIndexEntry: this.bytesSinceLastIndexEntry,
    };
  }

  /**
   * Load the last segment of a trusted image (LogLoaderOptions.trusted) from the end it recorded:
   * its indexes are read unchecked and nothing of the .log is. False (nothing changed) when the
   * file is not the size recorded.
   */
  loadEnd(end: SegmentEnd): boolean {
    if (this.bytes !== end.size) return false;
    if (this.offsetIndex.load(false) !== null || this.timeIndex.load(false) !== null) return false;
    this.nextOffset = end.nextOffset;
    this.maxTs = end.maxTimestamp;
    this.offsetOfMaxTs = end.offsetOfMaxTimestamp;
    this.bytesSinceLastIndexEntry = end.bytesSinceLastIndexEntry;
    return true;
  }

  /**
   * Validate batches from `fromPosition` (a batch boundary) and rebuild the index entries after
   * it; truncate the .log at the first invalid or partial batch. With `rebuild` (the default from
   * 0) the indexes start empty; without, the entries the caller loaded are kept (a clean
   * shutdown's: also the final time index entry, so close() need not write it again). A scan
   * without `rebuild` that meets a problem changes nothing on disk and reports it; the caller then
   * recovers with it. The caller writes the indexes. Without `checkCrc` the batches' CRCs are not
   * computed (a trusted image's tail, LogLoaderOptions.trusted).
   */
  recover(fromPosition: number, indexIntervalBytes: number, rebuild = fromPosition === 0, checkCrc = true): RecoveryResult {
    this.openForRecovery();
    const fd = this.fd!;
    const originalSize = this.fs.size(fd);
    this.bytes = originalSize;
    headerWindow.invalidate(this);
    let lastIndexEntry = fromPosition;
    if (rebuild) {
      this.offsetIndex.startEmpty();
      this.timeIndex.startEmpty();
      this.maxTs = -1;
      this.offsetOfMaxTs = -1;
    } else {
      this.offsetIndex.ensureLoaded();
      this.timeIndex.ensureLoaded();
      const last = this.timeIndex.lastEntry();
      this.maxTs = last ? last.timestamp : -1;
      this.offsetOfMaxTs = last ? last.offset : -1;
    }
    let prevLast = this.baseOffset - 1;
    let validBytes = fromPosition;
    const outcome: ScanOutcome = scanValid(
      this.fs,
      fd,
      fromPosition,
      originalSize,
      (h) => {
        if (h.baseOffset <= prevLast) return `offset ${h.baseOffset} not above ${prevLast}`;
        if (h.lastOffset - this.baseOffset > INT32_MAX) return `offset ${h.lastOffset} too far from segment base`;
        if (h.position === 0) this.rollingBasedTs = h.maxTimestamp;
        if (h.maxTimestamp > this.maxTs!) {
          this.maxTs = h.maxTimestamp;
          this.offsetOfMaxTs = h.lastOffset;
        }
        if (validBytes - lastIndexEntry > indexIntervalBytes) {
          this.offsetIndex.append(h.lastOffset, validBytes);
          this.timeIndex.maybeAppend(this.maxTs!, this.offsetOfMaxTs);
          lastIndexEntry = validBytes;
        }
        validBytes += h.sizeInBytes;
        prevLast = h.lastOffset;
        return null;
      },
      checkCrc,
    );
    this.bytesSinceLastIndexEntry = validBytes - lastIndexEntry;
    if (outcome.problem !== null && !rebuild) {
      // Trust nothing from a partial scan that failed: the caller recovers from byte 0.
      return { truncatedBytes: 0, originalSize, problem: outcome.problem };
    }
    this.nextOffset = prevLast + 1;
    if (outcome.validEnd < originalSize) this.truncateToBytes(outcome.validEnd);
    return { truncatedBytes: originalSize - outcome.validEnd, originalSize, problem: outcome.problem };
  }

  private openForRecovery(): void {
    if (this.writable && this.fd !== null) return;
    readDescriptors.release(this);
    this.fd = this.fs.open(this.logPath, 'write');
    this.writable = true;
  }

  /**
   * Cut the .log at byte `position` (a batch boundary) and drop index entries past it. Kafka's
   * LogSegment.truncateTo takes an offset; recovery here knows the valid byte length instead.
   */
  private truncateToBytes(position: number): void {
    this.openForRecovery();
    this.fs.truncate(this.fd!, position);
    this.bytes = position;
    this.logUnsynced = true;
    headerWindow.invalidate(this);
    this.offsetIndex.truncateToPosition(position);
    this.timeIndex.truncateToOffset(this.nextOffset);
  }

  /**
   * Drop every batch holding `offset` or later (Kafka's LogSegment.truncateTo): the .log is cut
   * at the start of the batch containing `offset`, index entries past it go, and the segment
   * becomes the active one. Returns the bytes removed (0 when nothing lies at or past `offset`).
   */
  truncateTo(offset: number): number {
    const first = this.translateOffset(offset);
    if (!first) return 0;
    const before = this.bytes;
    this.offsetIndex.openForAppend();
    this.timeIndex.openForAppend();
    this.nextOffset = offset;
    this.truncateToBytes(first.position);
    this.active = true;
    this.maxTs = undefined;
    this.offsetOfMaxTs = -1;
    this.rollingBasedTs = undefined;
    this.bytesSinceLastIndexEntry = 0;
    return before - this.bytes;
  }

  /** Release a writable descriptor (after recovering a segment that is not the last). */
  makeReadOnly(): void {
    if (this.writable && this.fd !== null) {
      this.flushLog();
      this.fs.close(this.fd);
      this.fd = null;
      this.writable = false;
      headerWindow.invalidate(this);
    }
  }

  // ---- lifecycle -------------------------------------------------------------------------

  /** fsync the .log and both indexes if anything was written since the last flush. */
  flush(): void {
    this.flushLog();
    this.offsetIndex.flush();
    this.timeIndex.flush();
  }

  private flushLog(): void {
    if (!this.logUnsynced) return;
    if (this.fd !== null) this.fs.fsync(this.fd);
    else {
      const fd = this.fs.open(this.logPath, 'read');
      try {
        this.fs.fsync(fd);
      } finally {
        this.fs.close(fd);
      }
    }
    this.logUnsynced = false;
  }

  /** Whether bytes were written since the last flush. */
  get unflushed(): boolean {
    return this.logUnsynced;
  }

  /** Close every descriptor and drop index entries from memory. With `flush` the data is fsynced first. */
  close(flush: boolean): void {
    if (flush) this.flush();
    this.offsetIndex.unload();
    this.timeIndex.unload();
    readDescriptors.release(this);
    if (this.fd !== null) {
      const fd = this.fd;
      this.fd = null;
      this.fs.close(fd);
    }
    this.writable = false;
    this.active = false;
    headerWindow.invalidate(this);
  }

  /** Rename the three files to carry `suffix` ('' for the final names). Descriptors are closed first. */
  changeSuffix(suffix: string): void {
    const from = [this.logPath, this.offsetIndex.path, this.timeIndex.path];
    this.close(false);
    this.suffix = suffix;
    const to = [this.logPath, `${this.prefix}.index${suffix}`, `${this.prefix}.timeindex${suffix}`];
    for (let i = 0; i < 3; i++) {
      try {
        this.fs.rename(from[i]!, to[i]!);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || i === 0) throw err;
      }
    }
    this.offsetIndex.renamed(to[1]!);
    this.timeIndex.renamed(to[2]!);
  }

  /** The paths of the segment's files as they are now. */
  get files(): string[] {
    return [this.logPath, this.offsetIndex.path, this.timeIndex.path];
  }

  /** Close and remove the segment's files. */
  delete(): void {
    this.close(false);
    this.logUnsynced = false;
    this.offsetIndex.discardUnsynced();
    this.timeIndex.discardUnsynced();
    for (const p of this.files) this.fs.remove(p);
  }
}
