// Common machinery of the two sparse segment indexes (.index and .timeindex): fixed-size
// big-endian entries, no header, no pre-allocation (the file is exactly its entries). The entries
// are kept in memory as the file image in a growable Buffer; the file is written through when the
// index is open for appends (the active segment) or rewritten whole after a rebuild.

import fs from 'node:fs';

export abstract class IndexFile {
  protected image: Buffer;
  protected count = 0;
  private fd: number | null = null;
  private dirty = false;

  constructor(
    readonly path: string,
    readonly baseOffset: number,
    readonly entrySize: number,
  ) {
    this.image = Buffer.alloc(entrySize * 16);
  }

  get entries(): number {
    return this.count;
  }

  /** Bytes the index takes on disk (entries × entry size). */
  get sizeInBytes(): number {
    return this.count * this.entrySize;
  }

  /**
   * Read the file into memory. Returns why it cannot be trusted (missing, size not a multiple of
   * the entry size, or whatever `problem()` finds), or null when it looks sane.
   */
  load(): string | null {
    let raw: Buffer;
    try {
      raw = fs.readFileSync(this.path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
      throw err;
    }
    if (raw.length % this.entrySize !== 0) return `size ${raw.length} is not a multiple of ${this.entrySize}`;
    this.image = raw.length > 0 ? raw : Buffer.alloc(this.entrySize * 16);
    this.count = raw.length / this.entrySize;
    const problem = this.problem();
    if (problem) this.count = 0;
    return problem;
  }

  /** Sanity check of the loaded entries (monotonic keys, bounds). */
  protected abstract problem(): string | null;

  /** Keep the file open and write each new entry through (active segment). */
  openForAppend(): void {
    if (this.fd !== null) return;
    this.fd = fs.openSync(this.path, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644);
    const onDisk = fs.fstatSync(this.fd).size;
    if (onDisk !== this.sizeInBytes) {
      fs.ftruncateSync(this.fd, 0);
      this.writeRange(0, this.count);
    }
  }

  /** Drop entries from `n` on, in memory and on disk. */
  truncateToEntries(n: number): void {
    if (n >= this.count) return;
    this.count = Math.max(0, n);
    if (this.fd !== null) {
      fs.ftruncateSync(this.fd, this.sizeInBytes);
      this.dirty = true;
    }
  }

  /** Replace the file with the in-memory entries (after a rebuild). Leaves it open if it was. */
  rewrite(): void {
    const wasOpen = this.fd !== null;
    if (!wasOpen) this.fd = fs.openSync(this.path, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644);
    fs.ftruncateSync(this.fd!, 0);
    this.writeRange(0, this.count);
    if (!wasOpen) this.closeFile();
  }

  /** Reserve room for one more entry and return its byte position in the image. */
  protected nextSlot(): number {
    const at = this.count * this.entrySize;
    if (at + this.entrySize > this.image.length) {
      const bigger = Buffer.alloc(Math.max(this.image.length * 2, this.entrySize * 16));
      this.image.copy(bigger, 0, 0, at);
      this.image = bigger;
    }
    return at;
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
      done += fs.writeSync(this.fd, this.image, start + done, end - start - done, start + done);
    }
    this.dirty = true;
  }

  flush(): void {
    if (this.fd !== null && this.dirty) {
      fs.fsyncSync(this.fd);
      this.dirty = false;
    }
  }

  closeFile(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    this.dirty = false;
    fs.closeSync(fd);
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
