// Read-only descriptors of files that are no longer written (inactive segments' .log, .index and
// .timeindex), shared by every log of the process and bounded: the least recently used one is
// closed when a new one would exceed the bound, and reopened by its next read. So many partitions
// with many segments stay within the process's descriptor limit (`ulimit -n`) whatever is read.
// Kafka keeps a FileChannel open per segment and maps its indexes instead (LogSegment, LazyIndex);
// the JVM is usually given a limit of 100,000 descriptors or more for that.
// Storage is synchronous, so a descriptor returned by get() is used before any other get() can
// evict it.

import type { FileSystem } from './fs/file-system.js';

/** Read descriptors held at most (the active segments' .log descriptors are not counted here). */
export const READ_DESCRIPTORS_MAX = 1024;

interface Held {
  fs: FileSystem;
  fd: number;
}

class ReadDescriptors {
  /** Insertion order is recency: the first entry is the least recently used. */
  private readonly held = new Map<object, Held>();
  private last: object | null = null;
  private lastFd = -1;

  constructor(private readonly max: number) {}

  /** The owner's read descriptor of `path` (opened if not held; the owner names one file at a time). */
  get(owner: object, fs: FileSystem, path: string): number {
    if (owner === this.last) return this.lastFd;
    let h = this.held.get(owner);
    if (h) {
      this.held.delete(owner);
    } else {
      if (this.held.size >= this.max) this.evictOldest();
      h = { fs, fd: fs.open(path, 'read') };
    }
    this.held.set(owner, h);
    this.last = owner;
    this.lastFd = h.fd;
    return h.fd;
  }

  /** Close the owner's descriptor if one is held (its file is renamed, rewritten or closed). */
  release(owner: object): void {
    const h = this.held.get(owner);
    if (!h) return;
    this.held.delete(owner);
    if (this.last === owner) this.last = null;
    try {
      h.fs.close(h.fd);
    } catch {
      // A read-only descriptor loses nothing when its close fails (or its file system is gone: a
      // memory file system after powerCut() forgets every descriptor).
    }
  }

  /** Descriptors held now (tests, benchmarks). */
  get size(): number {
    return this.held.size;
  }

  private evictOldest(): void {
    const oldest = this.held.keys().next();
    if (!oldest.done) this.release(oldest.value);
  }
}

export const readDescriptors = new ReadDescriptors(READ_DESCRIPTORS_MAX);
