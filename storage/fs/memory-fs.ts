// An in-memory FileSystem (file-system.ts) that remembers what a power cut would keep.
//
// Files are growable buffers (allocated on the first write, doubling), each with a durable copy:
// the bytes as of its last fsync. Directory entries have a live and a durable view: a create,
// rename or removal is durable once its directory is fsynced (POSIX); fsync of a file also makes
// that file's own entry durable (what ext4 and xfs do, and what a new segment relies on before its
// directory is synced); mkdir is durable at once (Kafka fsyncs a new log dir's parent, we do not
// model that step). powerCut() keeps only what is durable; faults (memory-fs-faults.ts) make
// chosen operations fail the way a failing disk does.

import path from 'node:path';
import type { FileStat, FileSystem, OpenMode } from './file-system.js';

interface FileNode {
  kind: 'file';
  data: Buffer;
  length: number;
  /** Contents as of the last fsync (null: never synced, empty after a power cut). */
  durable: Buffer | null;
  durableLength: number;
  /** Lowest byte changed since the last fsync (Infinity: nothing changed). */
  dirtyFrom: number;
  mtimeMs: number;
}

interface DirNode {
  kind: 'dir';
}

type Node = FileNode | DirNode;

interface Handle {
  path: string;
  node: FileNode;
  writable: boolean;
}

/** What a fault hook is told before an operation runs (memory-fs-faults.ts). */
export interface FsOperation {
  op:
    | 'open'
    | 'read'
    | 'write'
    | 'append'
    | 'fsync'
    | 'fsyncDir'
    | 'truncate'
    | 'rename'
    | 'remove'
    | 'mkdir'
    | 'readFile'
    | 'readdir'
    | 'stat';
  path: string;
  /** Bytes a write or append wants to write. */
  length?: number;
}

/**
 * Decides the fate of an operation: throw to fail it, return a byte count to make a write short
 * (the bytes up to it are written), or undefined to let it run.
 */
export type FaultHook = (op: FsOperation) => number | undefined;

const EMPTY = Buffer.alloc(0);

export function fsError(code: string, syscall: string, file: string): NodeJS.ErrnoException {
  const messages: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EEXIST: 'file already exists',
    ENOTDIR: 'not a directory',
    EISDIR: 'illegal operation on a directory',
    EBADF: 'bad file descriptor',
    ENOSPC: 'no space left on device',
    EIO: 'i/o error',
    EFBIG: 'file too large',
    ENOTEMPTY: 'directory not empty',
  };
  const err = new Error(`${code}: ${messages[code] ?? 'error'}, ${syscall} '${file}'`) as NodeJS.ErrnoException;
  err.code = code;
  err.syscall = syscall;
  err.path = file;
  return err;
}

export class MemoryFileSystem implements FileSystem {
  private live = new Map<string, Node>([['/', { kind: 'dir' }]]);
  private durableEntries = new Map<string, Node>([['/', { kind: 'dir' }]]);
  private handles = new Map<number, Handle>();
  private nextFd = 3;
  /** Set by memory-fs-faults.ts; consulted before every operation. */
  hook: FaultHook | null = null;

  constructor(private readonly now: () => number = Date.now) {}

  // ---- FileSystem ---------------------------------------------------------------------------

  open(file: string, mode: OpenMode): number {
    const p = this.check('open', file);
    let node = this.live.get(p);
    if (node?.kind === 'dir') throw fsError('EISDIR', 'open', file);
    if (!node) {
      if (mode === 'read' || mode === 'write') throw fsError('ENOENT', 'open', file);
      this.parentDir(p, 'open', file);
      node = newFile(this.now());
      this.live.set(p, node);
    } else if (mode === 'truncate') {
      this.setLength(node, 0);
    }
    const fd = this.nextFd++;
    this.handles.set(fd, { path: p, node, writable: mode !== 'read' });
    return fd;
  }

  close(fd: number): void {
    if (!this.handles.delete(fd)) throw fsError('EBADF', 'close', String(fd));
  }

  read(fd: number, buf: Buffer, offset: number, length: number, position: number): number {
    const h = this.handle(fd, 'read');
    this.hook?.({ op: 'read', path: h.path, length });
    const n = Math.max(0, Math.min(length, h.node.length - position));
    if (n > 0) h.node.data.copy(buf, offset, position, position + n);
    return n;
  }

  write(fd: number, buf: Buffer, offset: number, length: number, position: number): number {
    const h = this.handle(fd, 'write');
    if (!h.writable) throw fsError('EBADF', 'write', h.path);
    const allowed = this.hook?.({ op: 'write', path: h.path, length });
    const n = allowed === undefined ? length : Math.max(0, Math.min(length, allowed));
    this.writeAt(h.node, buf.subarray(offset, offset + n), position);
    return n;
  }

  append(file: string, data: Buffer): void {
    const p = this.check('append', file, data.length);
    let node = this.live.get(p);
    if (node?.kind === 'dir') throw fsError('EISDIR', 'open', file);
    if (!node) {
      this.parentDir(p, 'open', file);
      node = newFile(this.now());
      this.live.set(p, node);
    }
    this.writeAt(node, data, node.length);
  }

  fsync(fd: number): void {
    const h = this.handle(fd, 'fsync');
    this.hook?.({ op: 'fsync', path: h.path });
    syncContents(h.node);
    // The file's own directory entry (see the header).
    if (this.live.get(h.path) === h.node) this.durableEntries.set(h.path, h.node);
  }

  fsyncDir(dir: string): void {
    const p = this.check('fsyncDir', dir);
    if (this.live.get(p)?.kind !== 'dir') return;
    for (const [name, node] of this.live) if (name !== p && path.dirname(name) === p) this.durableEntries.set(name, node);
    for (const name of [...this.durableEntries.keys()]) {
      if (name !== p && path.dirname(name) === p && !this.live.has(name)) this.durableEntries.delete(name);
    }
  }

  truncate(fd: number, length: number): void {
    const h = this.handle(fd, 'truncate');
    if (!h.writable) throw fsError('EBADF', 'ftruncate', h.path);
    this.hook?.({ op: 'truncate', path: h.path });
    this.setLength(h.node, length);
  }

  size(fd: number): number {
    return this.handle(fd, 'fstat').node.length;
  }

  stat(file: string): FileStat {
    const p = this.check('stat', file);
    const node = this.live.get(p);
    if (!node) throw fsError('ENOENT', 'stat', file);
    if (node.kind === 'dir') return { size: 0, mtimeMs: 0, isDirectory: true };
    return { size: node.length, mtimeMs: node.mtimeMs, isDirectory: false };
  }

  exists(file: string): boolean {
    return this.live.has(path.resolve(file));
  }

  readFile(file: string): Buffer {
    const p = this.check('readFile', file);
    const node = this.live.get(p);
    if (!node) throw fsError('ENOENT', 'open', file);
    if (node.kind === 'dir') throw fsError('EISDIR', 'read', file);
    return Buffer.from(node.data.subarray(0, node.length));
  }

  rename(from: string, to: string): void {
    const a = this.check('rename', from);
    const b = path.resolve(to);
    const node = this.live.get(a);
    if (!node) throw fsError('ENOENT', 'rename', from);
    this.parentDir(b, 'rename', to);
    const moved = [...this.live.entries()].filter(([name]) => name === a || name.startsWith(`${a}/`));
    for (const [name] of moved) this.live.delete(name);
    for (const [name, n] of moved) this.live.set(b + name.slice(a.length), n);
    // A directory's contents move with it: its children's entries are as durable under either name.
    for (const [name, n] of [...this.durableEntries]) if (name.startsWith(`${a}/`)) this.durableEntries.set(b + name.slice(a.length), n);
  }

  remove(file: string, opts?: { recursive?: boolean }): void {
    const p = this.check('remove', file);
    const node = this.live.get(p);
    if (!node) return;
    const children = [...this.live.keys()].filter((name) => name.startsWith(`${p}/`));
    if (node.kind === 'dir' && children.length > 0 && !opts?.recursive) throw fsError('ENOTEMPTY', 'rm', file);
    if (node.kind === 'dir' && !opts?.recursive) throw fsError('EISDIR', 'rm', file);
    for (const name of children) this.live.delete(name);
    this.live.delete(p);
  }

  /** remove() on a later tick: nothing here blocks, but the caller must not rely on it having happened yet. */
  async removeAsync(file: string): Promise<void> {
    await Promise.resolve();
    this.remove(file);
  }

  readdir(dir: string): string[] {
    const p = this.check('readdir', dir);
    const node = this.live.get(p);
    if (!node) throw fsError('ENOENT', 'scandir', dir);
    if (node.kind !== 'dir') throw fsError('ENOTDIR', 'scandir', dir);
    const out: string[] = [];
    for (const name of this.live.keys()) if (name !== p && path.dirname(name) === p) out.push(path.basename(name));
    return out.sort();
  }

  mkdir(dir: string): void {
    const p = this.check('mkdir', dir);
    const missing: string[] = [];
    for (let d = p; !this.live.has(d); d = path.dirname(d)) missing.push(d);
    const found = this.live.get(missing.length > 0 ? path.dirname(missing[missing.length - 1]!) : p);
    if (found?.kind !== 'dir') throw fsError(found ? 'ENOTDIR' : 'ENOENT', 'mkdir', dir);
    for (const d of missing.reverse()) {
      const node: DirNode = { kind: 'dir' };
      this.live.set(d, node);
      this.durableEntries.set(d, node);
    }
  }

  // ---- crash simulation -----------------------------------------------------------------------

  /**
   * A power cut: every descriptor is gone and only what was durable survives (fsynced bytes of
   * files whose directory entries were durable). Use the same instance to "reboot".
   */
  powerCut(): void {
    this.handles.clear();
    const kept = new Map<string, Node>();
    const names = [...this.durableEntries.keys()].sort((x, y) => x.length - y.length);
    for (const name of names) {
      if (name !== '/' && kept.get(path.dirname(name))?.kind !== 'dir') continue; // its directory is gone
      const node = this.durableEntries.get(name)!;
      if (node.kind === 'file') revertToDurable(node);
      kept.set(name, node);
    }
    this.live = kept;
    this.durableEntries = new Map(kept);
  }

  /** Bytes held by file contents (live and durable copies), for memory figures. */
  get bytesAllocated(): number {
    let n = 0;
    const seen = new Set<FileNode>();
    for (const map of [this.live, this.durableEntries]) {
      for (const node of map.values()) {
        if (node.kind !== 'file' || seen.has(node)) continue;
        seen.add(node);
        n += node.data.length + (node.durable?.length ?? 0);
      }
    }
    return n;
  }

  /** Number of open descriptors (for tests). */
  get openDescriptors(): number {
    return this.handles.size;
  }

  // ---- internals -----------------------------------------------------------------------------

  private check(op: FsOperation['op'], file: string, length?: number): string {
    const p = path.resolve(file);
    this.hook?.(length === undefined ? { op, path: p } : { op, path: p, length });
    return p;
  }

  private handle(fd: number, syscall: string): Handle {
    const h = this.handles.get(fd);
    if (!h) throw fsError('EBADF', syscall, String(fd));
    return h;
  }

  private parentDir(p: string, syscall: string, file: string): void {
    const parent = this.live.get(path.dirname(p));
    if (!parent) throw fsError('ENOENT', syscall, file);
    if (parent.kind !== 'dir') throw fsError('ENOTDIR', syscall, file);
  }

  private writeAt(node: FileNode, bytes: Buffer, position: number): void {
    const end = position + bytes.length;
    ensureCapacity(node, end);
    if (position > node.length) node.data.fill(0, node.length, position);
    bytes.copy(node.data, position);
    if (bytes.length > 0) node.dirtyFrom = Math.min(node.dirtyFrom, Math.min(position, node.length));
    node.length = Math.max(node.length, end);
    node.mtimeMs = this.now();
  }

  private setLength(node: FileNode, length: number): void {
    if (length > node.length) {
      ensureCapacity(node, length);
      node.data.fill(0, node.length, length);
    }
    node.dirtyFrom = Math.min(node.dirtyFrom, Math.min(length, node.length));
    node.length = length;
    node.mtimeMs = this.now();
  }
}

function newFile(now: number): FileNode {
  return { kind: 'file', data: EMPTY, length: 0, durable: null, durableLength: 0, dirtyFrom: Infinity, mtimeMs: now };
}

/** Grow the buffer to hold `size` bytes: small files stay small, big ones double. */
function ensureCapacity(node: FileNode, size: number): void {
  if (size <= node.data.length) return;
  const bigger = Buffer.allocUnsafe(Math.max(size, Math.min(node.data.length * 2, size + (1 << 20)), 64));
  node.data.copy(bigger, 0, 0, node.length);
  node.data = bigger;
}

/** Copy what changed since the last fsync into the durable copy. */
function syncContents(node: FileNode): void {
  if (node.dirtyFrom === Infinity && node.durable !== null) return;
  const from = node.durable === null ? 0 : Math.min(node.dirtyFrom, node.length);
  if (node.durable === null || node.durable.length < node.length) {
    const bigger = Buffer.allocUnsafe(Math.max(node.data.length, 64));
    if (node.durable) node.durable.copy(bigger, 0, 0, Math.min(from, node.durableLength));
    node.durable = bigger;
  }
  node.data.copy(node.durable, from, from, node.length);
  node.durableLength = node.length;
  node.dirtyFrom = Infinity;
}

function revertToDurable(node: FileNode): void {
  const length = node.durable ? node.durableLength : 0;
  node.data = length > 0 ? Buffer.from(node.durable!.subarray(0, length)) : EMPTY;
  node.length = length;
  node.durable = length > 0 ? Buffer.from(node.data) : null;
  node.durableLength = length;
  node.dirtyFrom = Infinity;
}
