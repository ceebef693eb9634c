// The node model of the in-memory file system (memory-fs.ts): files (growable buffers with a
// durable view), directories (maps of name to node, with the durable names and the removed but
// still durable entries), the descriptor table, and the walks a power cut and a clone make.

export class FileNode {
  data: Buffer = EMPTY;
  length = 0;
  /** Contents as of the last fsync, its first durableLength bytes (null: never synced); often `data` itself. */
  durable: Buffer | null = null;
  durableLength = 0;
  /** Buffers shared with a clone: copied before the next change. */
  shared = false;
  /** Name of this node's durable entry in its directory (null: none). */
  durableName: string | null = null;
  constructor(
    /** Modification time, in ms after the file system's epoch (a small integer). */
    public mtime: number,
  ) {}
}

export class DirNode {
  readonly entries = new Map<string, Node>();
  /** Entries removed (or renamed away) from the live view that a power cut would bring back. */
  ghosts: Map<string, Node> | null = null;
  /** Name of this node's durable entry in its directory (null: none). */
  durableName: string | null = null;
  /** Live entries whose durable name differs from their live name (renamed since the last sync). */
  moved = 0;
}

export type Node = FileNode | DirNode;

/**
 * Open descriptors, in parallel arrays indexed by descriptor (thousands stay open: three per
 * partition); closed numbers are reused, as a kernel reuses them.
 */
export class Descriptors {
  paths: Array<string | undefined> = [];
  nodes: Array<FileNode | undefined> = [];
  writable: boolean[] = [];
  private free: number[] = [];
  count = 0;

  add(path: string, node: FileNode, writable: boolean): number {
    const fd = this.free.pop() ?? this.nodes.length + 3;
    const i = fd - 3;
    this.paths[i] = path;
    this.nodes[i] = node;
    this.writable[i] = writable;
    this.count++;
    return fd;
  }

  /** The slot of an open descriptor, or -1. */
  slot(fd: number): number {
    const i = fd - 3;
    return i >= 0 && this.nodes[i] !== undefined ? i : -1;
  }

  delete(fd: number): boolean {
    const i = fd - 3;
    if (i < 0 || this.nodes[i] === undefined) return false;
    this.paths[i] = undefined;
    this.nodes[i] = undefined;
    this.free.push(fd);
    this.count--;
    return true;
  }

  clear(): void {
    this.paths = [];
    this.nodes = [];
    this.writable = [];
    this.free = [];
    this.count = 0;
  }
}

const EMPTY = Buffer.alloc(0);

/** Names every partition directory has (segment files of offset 0, checkpoints), kept once. */
const COMMON_NAME = /^(\d{20}\.(log|index|timeindex|txnindex|snapshot)|leader-epoch-checkpoint|partition\.metadata)$/;
const commonNames = new Map<string, string>();

/**
 * A directory entry's name, shared when every partition has it. Other names may be slices of the
 * caller's path (V8 keeps that path alive): it is the directory's own path or a file's, which the
 * storage code keeps anyway.
 */
export function ownName(name: string): string {
  const known = commonNames.get(name);
  if (known !== undefined) return known;
  if (commonNames.size < 1024 && COMMON_NAME.test(name)) {
    const copy = Buffer.from(name, 'latin1').toString('latin1');
    commonNames.set(copy, copy);
    return copy;
  }
  return name;
}

export function rootDir(): DirNode {
  const root = new DirNode();
  root.durableName = '/';
  return root;
}

/** Add a live entry (a name's previous node must have been removed). */
export function setEntry(dir: DirNode, name: string, node: Node): void {
  const replaced = dir.entries.get(name);
  if (replaced) removeEntry(dir, name);
  dir.entries.set(name, node);
  if (node.durableName !== null && node.durableName !== name) dir.moved++;
}

/** Drop a live entry; a durable one stays a ghost until the directory is synced. */
export function removeEntry(dir: DirNode, name: string): void {
  const node = detachEntry(dir, name);
  if (node && node.durableName !== null) addGhost(dir, node.durableName, node);
}

export function addGhost(dir: DirNode, name: string, node: Node): void {
  dir.ghosts ??= new Map();
  dir.ghosts.set(name, node);
}

/** Drop a live entry, keeping its node's durable name (it moves within the directory). */
export function detachEntry(dir: DirNode, name: string): Node | undefined {
  const node = dir.entries.get(name);
  if (!node) return undefined;
  dir.entries.delete(name);
  if (node.durableName !== null && node.durableName !== name) dir.moved--;
  return node;
}

/** Make `name` → node durable in `dir` (it replaces whatever was durable under that name). */
export function makeDurable(dir: DirNode, name: string, node: Node): void {
  if (node.durableName === name) return;
  dir.ghosts?.delete(name);
  if (node.durableName !== null) {
    dir.ghosts?.delete(node.durableName);
    dir.moved--;
  }
  if (dir.moved > 0) {
    for (const [live, other] of dir.entries) {
      if (other !== node && other.durableName === name) {
        other.durableName = null;
        if (live !== name) dir.moved--;
      }
    }
  }
  node.durableName = name;
}

/** Replace a directory's entries by its durable ones, recursively (a power cut). */
export function keepDurable(dir: DirNode): void {
  const kept = new Map<string, Node>();
  for (const node of dir.entries.values()) if (node.durableName !== null) kept.set(node.durableName, node);
  if (dir.ghosts) for (const [name, node] of dir.ghosts) kept.set(name, node);
  dir.entries.clear();
  for (const [name, node] of kept) {
    dir.entries.set(name, node);
    node.durableName = name;
    if (node instanceof DirNode) keepDurable(node);
    else revertToDurable(node);
  }
  dir.ghosts = null;
  dir.moved = 0;
}

export function cloneDir(dir: DirNode): DirNode {
  const copy = new DirNode();
  copy.durableName = dir.durableName;
  copy.moved = dir.moved;
  const copies = new Map<Node, Node>();
  const cloneNode = (node: Node): Node => {
    let c = copies.get(node);
    if (!c) {
      c = node instanceof DirNode ? cloneDir(node) : cloneFile(node);
      copies.set(node, c);
    }
    return c;
  };
  for (const [name, node] of dir.entries) copy.entries.set(name, cloneNode(node));
  if (dir.ghosts) copy.ghosts = new Map([...dir.ghosts].map(([name, node]) => [name, cloneNode(node)]));
  return copy;
}

function cloneFile(file: FileNode): FileNode {
  const copy = new FileNode(file.mtime);
  copy.data = file.data;
  copy.length = file.length;
  copy.durable = file.durable;
  copy.durableLength = file.durableLength;
  copy.durableName = file.durableName;
  if (file.data.length > 0 || file.durable !== null) copy.shared = file.shared = true;
  return copy;
}

/**
 * Before bytes from `from` on change: take private copies of buffers shared with a clone, and
 * give the durable view its own copy if it shares the live buffer and those bytes are durable.
 */
export function beforeChange(node: FileNode, from: number): void {
  if (node.shared) {
    node.shared = false;
    const aliased = node.durable === node.data;
    if (node.data.length > 0) node.data = Buffer.from(node.data);
    if (node.durable) node.durable = aliased ? node.data : Buffer.from(node.durable);
  }
  if (node.durable === node.data && from < node.durableLength) node.durable = Buffer.from(node.data.subarray(0, node.durableLength));
}

/** Grow the buffer to hold `size` bytes: small files exactly, growing ones doubling. */
export function ensureCapacity(node: FileNode, size: number): void {
  if (size <= node.data.length) return;
  const bigger = Buffer.allocUnsafe(node.data.length === 0 ? size : Math.max(size, Math.min(node.data.length * 2, size + (1 << 20))));
  node.data.copy(bigger, 0, 0, node.length);
  node.data = bigger;
}

/**
 * fsync: the durable view becomes the live bytes. It shares the live buffer (no copy): appends
 * write past it, and any change below it copies it first (beforeChange).
 */
export function syncContents(node: FileNode): void {
  node.durable = node.data;
  node.durableLength = node.length;
}

function revertToDurable(node: FileNode): void {
  const length = node.durable ? node.durableLength : 0;
  node.data = length > 0 ? node.durable! : EMPTY;
  node.durable = length > 0 ? node.data : null;
  node.length = length;
  node.durableLength = length;
}
