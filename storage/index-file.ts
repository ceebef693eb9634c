// Common machinery of the two sparse segment indexes (.index and .timeindex): fixed-size
// big-endian entries, no header, no pre-allocation (the file is exactly its entries).
//
// Two states, so that memory stays flat however much is stored:
//   - attached: only the entry count is known (from the file size); lookups read the entries
//     they need from the file (positional reads, a few per binary search). Inactive segments.
//   - loaded: the file image is in memory in a growable Buffer, written through when the index is
//     open for appends (the active segment) or rewritten whole after a rebuild.
// A segment's index is loaded only while it is appended to or rebuilt, and unloaded on roll.

import { readInt64 } from '../protocol/records/index.js';
import type { FileSystem } from './fs/file-system.js';
import { nodeFs } from './fs/node-fs.js';
import { readFully } from './segment-file.js';

/** An empty index's image until its first entry (thousands of empty partitions cost no buffers). */
const EMPTY_IMAGE = Buffer.alloc(0);
/** Room for one entry read from the file; shared, as every read of it is synchronous. */
const SCRATCH = Buffer.allocUnsafeSlow(8);

export abstract class IndexFile {
  private image: Buffer | null = null;
  protected count = 0;
  private fd: number | null = null;
  private readFd: number | null = null;
  /** Entries written since the last fsync (kept across closeFile, so a later flush() still syncs). */
  private unsynced = false;
  private readonly scratch = SCRATCH;

  constructor(
    private filePath: string,
    readonly baseOffset: number,
    readonly entrySize: number,
    private readonly fs: FileSystem = nodeFs,
  ) {}

  get path(): string {
    return this.filePath;
  }

  get entries(): number {
    return this.count;
  }

  /** Bytes the index takes on disk (entries × entry size). */
  get sizeInBytes(): number {
    return this.count * this.entrySize;
  }

  /** Whether the entries are held in memory (for tests of memory use). */
  get isLoaded(): boolean {
    return this.image !== null;
  }

  /**
   * Attach to the file without reading it: the count comes from its size and only the first and
   * last entries are checked (Kafka's sanityCheck). Returns why it cannot be trusted, or null.
   */
  attach(): string | null {
    this.release();
    let size: number;
    try {
      size = this.fs.stat(this.filePath).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
      throw err;
    }
    if (size % this.entrySize !== 0) return `size ${size} is not a multiple of ${this.entrySize}`;
    this.count = size / this.entrySize;
    const problem = this.count > 0 ? this.quickProblem() : null;
    this.closeReadFd(); // reopened by the first lookup, if any
    if (problem) this.count = 0;
    return problem;
  }

  /**
   * Read the whole file into memory. With `check`, every entry is checked (`problem()`). Returns why
   * it cannot be trusted (missing, size not a multiple of the entry size, bad entries), or null.
   */
  load(check = true): string | null {
    this.release();
    let raw: Buffer;
    try {
      raw = this.fs.readFile(this.filePath);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        this.startEmpty();
        return 'missing';
      }
      throw err;
    }
    if (raw.length % this.entrySize !== 0) {
      this.startEmpty();
      return `size ${raw.length} is not a multiple of ${this.entrySize}`;
    }
    this.image = raw.length > 0 ? raw : EMPTY_IMAGE;
    this.count = raw.length / this.entrySize;
    const problem = check ? this.problem() : null;
    if (problem) this.count = 0;
    return problem;
  }

  /** An empty in-memory index (a new segment, or one about to be rebuilt). */
  startEmpty(): void {
    this.release();
    this.image = EMPTY_IMAGE;
    this.count = 0;
  }

  /** Make sure the entries are in memory (loading the file unchecked if attached). */
  ensureLoaded(): void {
    if (this.image !== null) return;
    if (this.count === 0) this.startEmpty();
    else this.load(false);
  }

  /** Drop the in-memory image and every descriptor; lookups read the file from now on. */
  unload(): void {
    this.closeFile();
    this.image = null;
  }

  /** Sanity check of every loaded entry (monotonic keys, bounds). */
  protected abstract problem(): string | null;

  /** Sanity check of the first and last entries only (an attached index). */
  protected abstract quickProblem(): string | null;

  /** Keep the file open and write each new entry through (active segment); loads the image. */
  openForAppend(): void {
    this.ensureLoaded();
    if (this.fd !== null) return;
    this.fd = this.fs.open(this.filePath, 'create');
    const onDisk = this.fs.size(this.fd);
    if (onDisk !== this.sizeInBytes) {
      this.fs.truncate(this.fd, 0);
      this.writeRange(0, this.count);
    }
  }

  get isOpenForAppend(): boolean {
    return this.fd !== null;
  }

  /** Drop entries from `n` on, in memory and on disk. */
  truncateToEntries(n: number): void {
    if (n >= this.count) return;
    this.ensureLoaded();
    this.count = Math.max(0, n);
    if (this.fd !== null) {
      this.fs.truncate(this.fd, this.sizeInBytes);
      this.unsynced = true;
    }
  }

  /** Replace the file with the in-memory entries (after a rebuild). Leaves it open if it was. */
  rewrite(): void {
    this.ensureLoaded();
    const wasOpen = this.fd !== null;
    this.closeReadFd();
    if (!wasOpen) this.fd = this.fs.open(this.filePath, 'create');
    this.fs.truncate(this.fd!, 0);
    this.unsynced = true;
    this.writeRange(0, this.count);
    if (!wasOpen) this.closeFile();
  }

  /** Point at a renamed file (the caller renamed it). */
  renamed(newPath: string): void {
    this.closeReadFd();
    this.filePath = newPath;
  }

  /** Reserve room for one more entry and return its byte position in the image. */
  protected nextSlot(): number {
    this.ensureLoaded();
    const at = this.count * this.entrySize;
    if (at + this.entrySize > this.image!.length) {
      const bigger = Buffer.alloc(Math.max(this.image!.length * 2, this.entrySize * 16));
      this.image!.copy(bigger, 0, 0, at);
      this.image = bigger;
    }
    return at;
  }

  /** The image to fill an entry into at nextSlot(). */
  protected get writable(): Buffer {
    return this.image!;
  }

  /** Count the entry just filled in at nextSlot() and write it through if open. */
  protected commitSlot(): void {
    this.count++;
    if (this.fd !== null) this.writeRange(this.count - 1, this.count);
  }

  private writeRange(from: number, to: number): void {
    if (this.fd === null || to <= from) return;
    const start = from * this.entrySize;
    const end = to * this.entrySize;
    let done = 0;
    while (start + done < end) {
      done += this.fs.write(this.fd, this.image!, start + done, end - start - done, start + done);
    }
    this.unsynced = true;
  }

  /** int32 at byte `at` of the index (from memory, or read from the file). */
  protected int32(at: number): number {
    if (this.image !== null) return this.image.readInt32BE(at);
    this.readInto(at, 4);
    return this.scratch.readInt32BE(0);
  }

  /** int64 at byte `at` of the index. */
  protected int64(at: number): number {
    if (this.image !== null) return readInt64(this.image, at);
    this.readInto(at, 8);
    return readInt64(this.scratch, 0);
  }

  private readInto(at: number, length: number): void {
    if (this.readFd === null) this.readFd = this.fs.open(this.filePath, 'read');
    if (readFully(this.fs, this.readFd, this.scratch, 0, length, at) !== length) {
      throw new Error(`index ${this.filePath} is shorter than its ${this.count} entries`);
    }
  }

  /** fsync what was written since the last flush (reopening the file if it was closed since). */
  flush(): void {
    if (!this.unsynced) return;
    if (this.fd !== null) {
      this.fs.fsync(this.fd);
    } else {
      let fd: number;
      try {
        fd = this.fs.open(this.filePath, 'read');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // deleted or renamed meanwhile
        throw err;
      }
      try {
        this.fs.fsync(fd);
      } finally {
        this.fs.close(fd);
      }
    }
    this.unsynced = false;
  }

  /** Forget unsynced writes (the file is going away). */
  discardUnsynced(): void {
    this.unsynced = false;
  }

  /** Close the append descriptor (the entries stay in memory if loaded). */
  closeFile(): void {
    this.closeReadFd();
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    this.fs.close(fd);
  }

  private closeReadFd(): void {
    if (this.readFd === null) return;
    const fd = this.readFd;
    this.readFd = null;
    this.fs.close(fd);
  }

  private release(): void {
    this.closeFile();
    this.image = null;
    this.count = 0;
  }

  /** Largest entry whose key is <= target, by binary search on keyAt(); -1 if none. */
  protected floorSlot(target: number): number {
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keyAt(mid) <= target) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  protected abstract keyAt(slot: number): number;
}
