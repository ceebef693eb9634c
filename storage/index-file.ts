// Common machinery of the two sparse segment indexes (.index and .timeindex): fixed-size
// big-endian entries, no header, no pre-allocation (the file is exactly its entries).
//
// Two states, so that memory stays flat however much is stored:
//   - attached: only the entry count is known (from the file size); lookups read the entries
//     they need from the file (positional reads, a few per binary search). Inactive segments.
//   - loaded: the file image is in memory in a growable Buffer, written through when the index is
//     open for appends (the active segment) or rewritten whole after a rebuild.
// A segment's index is loaded only while it is appended to or rebuilt, and unloaded on roll.
//
// No descriptor is held between calls (10,000 partitions fit in a 20,000-descriptor limit with
// their connections): appended entries reach the file in batches of WRITE_BATCH_ENTRIES (open,
// write, close) and at flush, roll and close. Kafka maps its index files instead (AbstractIndex,
// whose descriptor closes once mapped). An entry not yet written when the process dies is only
// missing from an index of a segment after the recovery point, which recovery rebuilds anyway;
// lookups on an inactive segment's index open the file, read, and close (LazyIndex opens it on
// first use, and the lookups are a few reads of a binary search).

import { readInt64 } from '../protocol/records/index.js';
import type { FileSystem } from './fs/file-system.js';
import { nodeFs } from './fs/node-fs.js';
import { readDescriptors } from './read-descriptors.js';
import { readFully } from './segment-file.js';

/** An empty index's image until its first entry (thousands of empty partitions cost no buffers). */
const EMPTY_IMAGE = Buffer.alloc(0);
/** Room for one entry read from the file; shared, as every read of it is synchronous. */
const SCRATCH = Buffer.allocUnsafeSlow(8);
/** Entries appended in memory before they are written to the file (8 KiB of offset index at most). */
const WRITE_BATCH_ENTRIES = 1024;

export abstract class IndexFile {
  private image: Buffer | null = null;
  protected count = 0;
  /** Open for appends: new entries are written to the file (in batches, see the header). */
  private appending = false;
  /** Entries [0, written) are in the file as in the image (while appending). */
  private written = 0;
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

  /** Write new entries through to the file from now on (active segment); loads the image. */
  openForAppend(): void {
    this.ensureLoaded();
    if (this.appending) return;
    const fd = this.fs.open(this.filePath, 'create');
    try {
      if (this.fs.size(fd) !== this.sizeInBytes) {
        this.fs.truncate(fd, 0);
        this.writeRange(fd, 0, this.count);
      }
    } finally {
      this.fs.close(fd);
    }
    this.appending = true;
    this.written = this.count;
  }

  get isOpenForAppend(): boolean {
    return this.appending;
  }

  /** Drop entries from `n` on, in memory and on disk. */
  truncateToEntries(n: number): void {
    if (n >= this.count) return;
    this.ensureLoaded();
    this.count = Math.max(0, n);
    if (this.appending) {
      if (this.written > this.count) {
        this.withFile((fd) => this.fs.truncate(fd, this.sizeInBytes));
        this.unsynced = true;
      }
      this.written = Math.min(this.written, this.count);
    }
  }

  /** Replace the file with the in-memory entries (after a rebuild). Leaves it open if it was. */
  rewrite(): void {
    this.ensureLoaded();
    this.withFile((fd) => {
      this.fs.truncate(fd, 0);
      this.unsynced = true;
      this.writeRange(fd, 0, this.count);
    });
    this.written = this.count;
  }

  /** Point at a renamed file (the caller renamed it; entries not yet written go to the new name). */
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

  /** Count the entry just filled in at nextSlot(); a full batch of them goes to the file. */
  protected commitSlot(): void {
    this.count++;
    if (this.appending && this.count - this.written >= WRITE_BATCH_ENTRIES) this.writePending();
  }

  /** Write the entries appended since the last write (open, write, close). */
  writePending(): void {
    if (!this.appending || this.written >= this.count) return;
    const from = this.written;
    this.withFile((fd) => this.writeRange(fd, from, this.count));
    this.written = this.count;
  }

  private withFile(use: (fd: number) => void): void {
    const fd = this.fs.open(this.filePath, 'create');
    try {
      use(fd);
    } finally {
      this.fs.close(fd);
    }
  }

  private writeRange(fd: number, from: number, to: number): void {
    if (to <= from) return;
    const start = from * this.entrySize;
    const end = to * this.entrySize;
    let done = 0;
    while (start + done < end) {
      done += this.fs.write(fd, this.image!, start + done, end - start - done, start + done);
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
    const fd = readDescriptors.get(this, this.fs, this.filePath);
    if (readFully(this.fs, fd, this.scratch, 0, length, at) !== length) {
      throw new Error(`index ${this.filePath} is shorter than its ${this.count} entries`);
    }
  }

  /** Write pending entries and fsync what was written since the last flush. */
  flush(): void {
    this.writePending();
    if (!this.unsynced) return;
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
    this.unsynced = false;
  }

  /** Forget unsynced writes (the file is going away). */
  discardUnsynced(): void {
    this.unsynced = false;
  }

  /** Stop appending: pending entries are written (the entries stay in memory if loaded). */
  closeFile(): void {
    this.closeReadFd();
    this.writePending();
    this.appending = false;
  }

  private closeReadFd(): void {
    readDescriptors.release(this);
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
