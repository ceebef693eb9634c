// An in-memory FileSystem (file-system.ts) that remembers what a power cut would keep.
//
// A tree of directories (each a Map from name to node), so lookups, listings and directory syncs
// cost what the directory holds, not what the whole file system holds. Files are growable buffers
// (allocated on the first write, doubling), each with a durable view: the bytes as of its last
// fsync, sharing the live buffer until a write changes bytes below its end (appends do not). A directory entry is durable once its directory is fsynced (POSIX): each node remembers
// the name it durably has in its directory (`durableName`), and a directory remembers removed
// entries that are still durable (`ghosts`) until it is synced. fsync of a file also makes that
// file's own entry durable (what ext4 and xfs do, and what a new segment relies on before its
// directory is synced); mkdir is durable at once (Kafka fsyncs a new log dir's parent, we do not
// model that step). powerCut() keeps only what is durable; faults (memory-fs-faults.ts) make
// chosen operations fail the way a failing disk does. clone() copies the whole image cheaply
// (file buffers are shared until either side writes), for the test kit's snapshots.
//
// An empty file costs one small object: the in-process broker keeps thousands of empty partitions
// (five files each) over this file system (test/bench/memory-fs-footprint.ts).

import path from 'node:path';
import type { FileStat, FileSystem, OpenMode } from './file-system.js';
import {
  FileNode,
  DirNode,
  type Node,
  Descriptors,
  ownName,
  rootDir,
  setEntry,
  removeEntry,
  addGhost,
  detachEntry,
  makeDurable,
  keepDurable,
  cloneDir,
  beforeChange,
  ensureCapacity,
  syncContents,
} from './memory-fs-nodes.js';

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
  // A missing file is an answer, not a failure (readFileIfExists and friends ask all the time):
  // no stack trace to capture for it.
  const limit = Error.stackTraceLimit;
  if (code === 'ENOENT') Error.stackTraceLimit = 0;
  const err = new Error(`${code}: ${messages[code] ?? 'error'}, ${syscall} '${file}'`) as NodeJS.ErrnoException;
  Error.stackTraceLimit = limit;
  err.code = code;
  err.syscall = syscall;
  err.path = file;
  return err;
}

/** A normalised absolute path (most callers already pass one: no copy then). */
function resolve(file: string): string {
  return file.charCodeAt(0) === 47 && !file.includes('//') && !file.includes('/.') && (file.length === 1 || !file.endsWith('/'))
    ? file
    : path.resolve(file);
}

/** The parts of a normalised absolute path ('/' has none). */
function parts(p: string): string[] {
  return p === '/' ? [] : p.slice(1).split('/');
}

export class MemoryFileSystem implements FileSystem {
  private root = rootDir();
  private readonly handles = new Descriptors();
  /** mtimes are kept relative to this, so that they stay small integers. */
  private readonly epoch: number;
  /** Set by memory-fs-faults.ts; consulted before every operation. */
  hook: FaultHook | null = null;

  constructor(private readonly now: () => number = Date.now) {
    this.epoch = Math.trunc(now());
  }

  // ---- FileSystem ---------------------------------------------------------------------------

  open(file: string, mode: OpenMode): number {
    const p = this.check('open', file);
    const [dir, name] = this.parentOf(p, 'open', file);
    let node = name === null ? dir : dir.entries.get(name);
    if (node instanceof DirNode) throw fsError('EISDIR', 'open', file);
    if (!node) {
      if (mode === 'read' || mode === 'write') throw fsError('ENOENT', 'open', file);
      node = new FileNode(this.mtime());
      setEntry(dir, ownName(name!), node);
    } else if (mode === 'truncate') {
      this.setLength(node, 0);
    }
    return this.handles.add(p, node, mode !== 'read');
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
    const [dir, name] = this.parentOf(p, 'open', file);
    let node = name === null ? dir : dir.entries.get(name);
    if (node instanceof DirNode) throw fsError('EISDIR', 'open', file);
    if (!node) {
      node = new FileNode(this.mtime());
      setEntry(dir, ownName(name!), node);
    }
    this.writeAt(node, data, node.length);
  }

  fsync(fd: number): void {
    const h = this.handle(fd, 'fsync');
    this.hook?.({ op: 'fsync', path: h.path });
    syncContents(h.node);
    // The file's own directory entry (see the header), if it is still there under this name.
    const found = this.lookupParent(h.path);
    if (found && found[1] !== null && found[0].entries.get(found[1]) === h.node) makeDurable(found[0], found[1], h.node);
  }

  fsyncDir(dir: string): void {
    const p = this.check('fsyncDir', dir);
    const node = this.lookup(p);
    if (!(node instanceof DirNode)) return;
    for (const [name, child] of node.entries) child.durableName = name;
    node.ghosts = null;
    node.moved = 0;
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
    const node = this.lookup(p);
    if (!node) throw fsError('ENOENT', 'stat', file);
    if (node instanceof DirNode) return { size: 0, mtimeMs: 0, isDirectory: true };
    return { size: node.length, mtimeMs: this.epoch + node.mtime, isDirectory: false };
  }

  exists(file: string): boolean {
    return this.lookup(resolve(file)) !== undefined;
  }

  readFile(file: string): Buffer {
    const p = this.check('readFile', file);
    const node = this.lookup(p);
    if (!node) throw fsError('ENOENT', 'open', file);
    if (node instanceof DirNode) throw fsError('EISDIR', 'read', file);
    return Buffer.from(node.data.subarray(0, node.length));
  }

  rename(from: string, to: string): void {
    const a = this.check('rename', from);
    const b = resolve(to);
    const [fromDir, fromName] = this.parentOf(a, 'rename', from);
    const node = fromName === null ? undefined : fromDir.entries.get(fromName);
    if (!node) throw fsError('ENOENT', 'rename', from);
    const [toDir, toName] = this.parentOf(b, 'rename', to);
    if (toName === null || (toDir === fromDir && toName === fromName)) return;
    detachEntry(fromDir, fromName!);
    if (toDir !== fromDir && node.durableName !== null) {
      // Its durable entry stays in the old directory until that one is synced.
      addGhost(fromDir, node.durableName, node);
      node.durableName = null;
    }
    setEntry(toDir, ownName(toName), node);
  }

  remove(file: string, opts?: { recursive?: boolean }): void {
    const p = this.check('remove', file);
    const found = this.lookupParent(p);
    if (!found || found[1] === null) return;
    const [dir, name] = found;
    const node = dir.entries.get(name);
    if (!node) return;
    if (node instanceof DirNode && node.entries.size > 0 && !opts?.recursive) throw fsError('ENOTEMPTY', 'rm', file);
    if (node instanceof DirNode && !opts?.recursive) throw fsError('EISDIR', 'rm', file);
    removeEntry(dir, name);
  }

  /** remove() on a later tick: nothing here blocks, but the caller must not rely on it having happened yet. */
  async removeAsync(file: string): Promise<void> {
    await Promise.resolve();
    this.remove(file);
  }

  readdir(dir: string): string[] {
    const p = this.check('readdir', dir);
    const node = this.lookup(p);
    if (!node) throw fsError('ENOENT', 'scandir', dir);
    if (!(node instanceof DirNode)) throw fsError('ENOTDIR', 'scandir', dir);
    return [...node.entries.keys()].sort();
  }

  mkdir(dir: string): void {
    const p = this.check('mkdir', dir);
    let at: DirNode = this.root;
    for (const part of parts(p)) {
      const next = at.entries.get(part);
      if (next instanceof FileNode) throw fsError('ENOTDIR', 'mkdir', dir);
      if (next) {
        at = next;
        continue;
      }
      const made = new DirNode();
      setEntry(at, ownName(part), made);
      makeDurable(at, part, made);
      at = made;
    }
  }

  // ---- crash simulation and images -----------------------------------------------------------

  /**
   * A power cut: every descriptor is gone and only what was durable survives (fsynced bytes of
   * files whose directory entries were durable). Use the same instance to "reboot".
   */
  powerCut(): void {
    this.handles.clear();
    keepDurable(this.root);
  }

  /**
   * A copy of the whole image (live contents, durable contents and which entries are durable),
   * sharing file buffers until either side changes them; descriptors are not copied.
   */
  clone(): MemoryFileSystem {
    const copy = new MemoryFileSystem(this.now);
    copy.root = cloneDir(this.root);
    return copy;
  }

  /**
   * Replace the directory at `dir` (and everything under it) by the one in `image` (a clone), as
   * copies sharing buffers. Descriptors open on files under `dir` keep the old files.
   */
  replaceTree(dir: string, image: MemoryFileSystem): void {
    const p = resolve(dir);
    const source = image.lookup(p);
    if (!(source instanceof DirNode)) throw fsError('ENOENT', 'replace', dir);
    const [parent, name] = this.parentOf(p, 'replace', dir);
    if (name === null) {
      this.root = cloneDir(source);
      return;
    }
    const fresh = cloneDir(source);
    if (parent.entries.has(name)) removeEntry(parent, name);
    setEntry(parent, ownName(name), fresh);
    makeDurable(parent, name, fresh);
  }

  /** Bytes held by file contents (live and durable copies), for memory figures. */
  get bytesAllocated(): number {
    const seen = new Set<Buffer>();
    let n = 0;
    const visit = (dir: DirNode): void => {
      for (const map of [dir.entries, dir.ghosts ?? new Map<string, Node>()]) {
        for (const node of map.values()) {
          if (node instanceof DirNode) visit(node);
          else
            for (const b of [node.data, node.durable]) {
              if (b && !seen.has(b)) {
                seen.add(b);
                n += b.length;
              }
            }
        }
      }
    };
    visit(this.root);
    return n;
  }

  /** Number of open descriptors (for tests). */
  get openDescriptors(): number {
    return this.handles.count;
  }

  // ---- internals -----------------------------------------------------------------------------

  private mtime(): number {
    return Math.trunc(this.now() - this.epoch);
  }

  private check(op: FsOperation['op'], file: string, length?: number): string {
    const p = resolve(file);
    this.hook?.(length === undefined ? { op, path: p } : { op, path: p, length });
    return p;
  }

  /** The open file behind `fd` (a view of its descriptor's slot). */
  private handle(fd: number, syscall: string): { path: string; node: FileNode; writable: boolean } {
    const i = this.handles.slot(fd);
    if (i < 0) throw fsError('EBADF', syscall, String(fd));
    const h = this.current;
    h.path = this.handles.paths[i]!;
    h.node = this.handles.nodes[i]!;
    h.writable = this.handles.writable[i]!;
    return h;
  }

  /** Reused by handle(): every operation is synchronous and done with it before the next. */
  private readonly current = { path: '', node: new FileNode(0), writable: false };

  private lookup(p: string): Node | undefined {
    let at: Node = this.root;
    for (const part of parts(p)) {
      if (!(at instanceof DirNode)) return undefined;
      const next: Node | undefined = at.entries.get(part);
      if (!next) return undefined;
      at = next;
    }
    return at;
  }

  /** The directory holding `p` and p's name in it (null name: p is '/'); undefined if that directory is missing. */
  private lookupParent(p: string): [DirNode, string | null] | undefined {
    if (p === '/') return [this.root, null];
    const slash = p.lastIndexOf('/');
    const dir = this.lookup(slash === 0 ? '/' : p.slice(0, slash));
    return dir instanceof DirNode ? [dir, p.slice(slash + 1)] : undefined;
  }

  /** lookupParent, failing as the syscall would when the directory is missing or not a directory. */
  private parentOf(p: string, syscall: string, file: string): [DirNode, string | null] {
    const found = this.lookupParent(p);
    if (found) return found;
    const parent = this.lookup(path.dirname(p));
    throw fsError(parent ? 'ENOTDIR' : 'ENOENT', syscall, file);
  }

  private writeAt(node: FileNode, bytes: Buffer, position: number): void {
    const end = position + bytes.length;
    if (bytes.length === 0 && position <= node.length) return;
    beforeChange(node, Math.min(position, node.length));
    ensureCapacity(node, end);
    if (position > node.length) node.data.fill(0, node.length, position);
    bytes.copy(node.data, position);
    node.length = Math.max(node.length, end);
    node.mtime = this.mtime();
  }

  private setLength(node: FileNode, length: number): void {
    if (length > node.length) {
      beforeChange(node, node.length);
      ensureCapacity(node, length);
      node.data.fill(0, node.length, length);
    }
    node.length = length;
    node.mtime = this.mtime();
  }
}
