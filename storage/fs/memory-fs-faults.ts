// Disk faults for the memory file system (memory-fs.ts), scriptable from tests: a failing disk's
// errors (ENOSPC, EIO, EFBIG), short writes, a failed fsync, a crash after N more bytes (every
// later operation fails with EIO until powerCut()), and the power cut itself (drop everything not
// fsynced). Rules match an operation and a path; each fires `times` times (default: forever).

import { fsError, type FsOperation, type MemoryFileSystem } from './memory-fs.js';

export type DiskErrorCode = 'ENOSPC' | 'EIO' | 'EFBIG';

export interface DiskFaultRule {
  /** Operations it applies to (default: writes and appends). */
  ops?: readonly FsOperation['op'][];
  /** Only paths containing this string, or matching this pattern (default: every path). */
  path?: string | RegExp;
  /** Fail with this error code... */
  error?: DiskErrorCode;
  /** ...or make the write short: only this many bytes of it are written. */
  shortWrite?: number;
  /** How many operations it hits before it is spent (default: unlimited). */
  times?: number;
  /** Told each time the rule fires (the test kit counts hits with it: broker/testkit/disk-faults.ts). */
  onFire?: () => void;
}

/** One DiskFaults per file system: a second one would replace the first's hook. */
const INSTANCES = new WeakMap<MemoryFileSystem, DiskFaults>();

const MUTATING = new Set<FsOperation['op']>(['open', 'write', 'append', 'fsync', 'fsyncDir', 'truncate', 'rename', 'remove', 'mkdir']);
const SYSCALL: Partial<Record<FsOperation['op'], string>> = { readFile: 'read', readdir: 'scandir', remove: 'rm', fsyncDir: 'fsync' };

export class DiskFaults {
  private rules: Array<DiskFaultRule & { left: number }> = [];
  private crashBudget: number | null = null;
  private opsBudget: number | null = null;
  private crashed = false;
  /** Every fault that fired, in order (for assertions). */
  readonly fired: Array<{ op: FsOperation['op']; path: string; what: string }> = [];

  constructor(private readonly fs: MemoryFileSystem) {
    fs.hook = (op) => this.decide(op);
    INSTANCES.set(fs, this);
  }

  /** The file system's DiskFaults: the one made before, or a new one. */
  static of(fs: MemoryFileSystem): DiskFaults {
    return INSTANCES.get(fs) ?? new DiskFaults(fs);
  }

  /** Add a rule; returns a function that removes it. */
  inject(rule: DiskFaultRule): () => void {
    const entry = { ...rule, left: rule.times ?? Infinity };
    this.rules.push(entry);
    return () => {
      this.rules = this.rules.filter((r) => r !== entry);
    };
  }

  /** The next write or append fails with ENOSPC (or every one, with times: Infinity). */
  noSpace(opts: Omit<DiskFaultRule, 'error'> = {}): () => void {
    return this.inject({ ...opts, error: 'ENOSPC' });
  }

  /** Operations fail with EIO (default: writes, appends and fsyncs). */
  ioError(opts: Omit<DiskFaultRule, 'error'> = {}): () => void {
    return this.inject({ ops: ['write', 'append', 'fsync'], ...opts, error: 'EIO' });
  }

  /** Writes fail with EFBIG (file too large). */
  fileTooBig(opts: Omit<DiskFaultRule, 'error'> = {}): () => void {
    return this.inject({ ...opts, error: 'EFBIG' });
  }

  /** fsync fails with EIO (once by default). */
  failFsync(opts: Omit<DiskFaultRule, 'error' | 'ops'> = {}): () => void {
    return this.inject({ times: 1, ...opts, ops: ['fsync'], error: 'EIO' });
  }

  /** The next write writes only `bytes` bytes. */
  shortWrite(bytes: number, opts: Omit<DiskFaultRule, 'shortWrite'> = {}): () => void {
    return this.inject({ times: 1, ...opts, shortWrite: bytes });
  }

  /**
   * The machine dies after `bytes` more bytes reach the file system: the write that crosses the
   * line is cut there and every later operation fails with EIO, until powerCut() (which also
   * drops what was not fsynced) or clear().
   */
  crashAfterBytes(bytes: number): void {
    this.crashBudget = bytes;
    this.crashed = bytes <= 0;
  }

  /**
   * The machine dies after `ops` more operations that change the file system (open, write,
   * append, fsync, fsyncDir, truncate, rename, remove, mkdir): the next one and every later
   * operation fail with EIO, until powerCut() or clear(). Steps through a multi-step write.
   */
  crashAfterOps(ops: number): void {
    this.opsBudget = ops;
    this.crashed = false;
  }

  /** Whether a crashAfterBytes() or crashAfterOps() crash has happened. */
  get hasCrashed(): boolean {
    return this.crashed;
  }

  /** A power cut: drop everything not fsynced and every descriptor; faults are cleared. */
  powerCut(): void {
    this.clear();
    this.fs.powerCut();
  }

  /** Remove every rule and any pending or happened crash. */
  clear(): void {
    this.rules = [];
    this.crashBudget = null;
    this.opsBudget = null;
    this.crashed = false;
  }

  private decide(op: FsOperation): number | undefined {
    if (this.crashed) {
      this.fired.push({ op: op.op, path: op.path, what: 'crashed' });
      throw fsError('EIO', SYSCALL[op.op] ?? op.op, op.path);
    }
    if (this.opsBudget !== null && MUTATING.has(op.op) && this.opsBudget-- <= 0) {
      this.crashed = true;
      this.fired.push({ op: op.op, path: op.path, what: 'crash before this operation' });
      throw fsError('EIO', SYSCALL[op.op] ?? op.op, op.path);
    }
    const writes = op.op === 'write' || op.op === 'append';
    for (const rule of this.rules) {
      if (rule.left <= 0 || !(rule.ops ?? ['write', 'append']).includes(op.op) || !pathMatches(rule.path, op.path)) continue;
      if (rule.shortWrite !== undefined && !writes) continue;
      rule.left--;
      rule.onFire?.();
      if (rule.error) {
        this.fired.push({ op: op.op, path: op.path, what: rule.error });
        throw fsError(rule.error, SYSCALL[op.op] ?? op.op, op.path);
      }
      if (rule.shortWrite !== undefined) {
        this.fired.push({ op: op.op, path: op.path, what: `short write of ${rule.shortWrite}` });
        return this.spend(Math.min(rule.shortWrite, op.length ?? 0), op);
      }
    }
    return writes ? this.spend(op.length ?? 0, op) : undefined;
  }

  /** Count written bytes against the crash budget; returns how many may be written. */
  private spend(bytes: number, op: FsOperation): number | undefined {
    if (this.crashBudget === null) return bytes;
    if (bytes <= this.crashBudget) {
      this.crashBudget -= bytes;
      return bytes;
    }
    const allowed = this.crashBudget;
    this.crashBudget = 0;
    this.crashed = true;
    this.fired.push({ op: op.op, path: op.path, what: `crash after ${allowed} of ${bytes} bytes` });
    if (op.op === 'append') throw fsError('EIO', 'write', op.path); // an append cannot be short here
    return allowed;
  }
}

function pathMatches(want: string | RegExp | undefined, p: string): boolean {
  if (want === undefined) return true;
  return typeof want === 'string' ? p.includes(want) : want.test(p);
}
