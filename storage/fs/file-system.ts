// The file-system seam of the storage layer: every file the storage code reads or writes goes
// through a FileSystem, so the same segment, index, recovery and checkpoint code runs over the real
// disk (node-fs.ts) or over memory (memory-fs.ts, which can also inject disk faults). Synchronous,
// as the storage code is, except the few *Async operations the LogManager runs in the background. Errors are Node's: an Error with `code` (ENOENT, ENOSPC, EIO...) and `path`.

/**
 * How a file is opened: 'read' (O_RDONLY), 'write' (O_RDWR, must exist), 'create' (O_RDWR|O_CREAT)
 * and 'truncate' (O_RDWR|O_CREAT|O_TRUNC).
 */
export type OpenMode = 'read' | 'write' | 'create' | 'truncate';

export interface FileStat {
  size: number;
  mtimeMs: number;
  isDirectory: boolean;
}

export interface FileSystem {
  /** The files are the real disk's: another thread (the log cleaner's worker) can open them by path. */
  readonly realDisk?: boolean;
  /** A descriptor for the file (numbers are per FileSystem). */
  open(path: string, mode: OpenMode): number;
  close(fd: number): void;
  /** Read up to `length` bytes at `position` into buf[offset..]; returns the count (0 at the end). */
  read(fd: number, buf: Buffer, offset: number, length: number, position: number): number;
  /** Write buf[offset, offset+length) at `position`; returns the count written (may be short). */
  write(fd: number, buf: Buffer, offset: number, length: number, position: number): number;
  /** Append to the end of the file (created if missing). */
  append(path: string, data: Buffer): void;
  /** Make the file's contents durable (fsync). */
  fsync(fd: number): void;
  /** fsync off the main thread, so several can be in flight (deferred-sync.ts); optional. */
  fsyncAsync?(fd: number): Promise<void>;
  /** Make the directory's entries (creates, renames, removals) durable. A no-op where unsupported. */
  fsyncDir(path: string): void;
  /** Set the file's length (ftruncate). */
  truncate(fd: number, length: number): void;
  /** The open file's size (fstat). */
  size(fd: number): number;
  stat(path: string): FileStat;
  exists(path: string): boolean;
  readFile(path: string): Buffer;
  rename(from: string, to: string): void;
  /** Remove a file, or a directory with `recursive`; nothing if it does not exist. */
  remove(path: string, opts?: { recursive?: boolean }): void;
  /**
   * remove() of a file without blocking the caller: on the real disk the unlink runs on libuv's
   * thread pool; the memory file system removes it on a later tick (its fault hooks apply alike).
   */
  removeAsync(path: string): Promise<void>;
  readdir(path: string): string[];
  /** Create the directory and its parents (nothing if it exists). */
  mkdir(path: string): void;
}
