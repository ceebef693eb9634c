// Disk faults through the test kit: broker.faults.disk({ op, error, path, times }) and
// broker.faults.powerCut() for a broker whose data directory lives on the memory file system
// (startBroker({ dataDir, fs: new MemoryFileSystem() }), or `kafkalite test-server --memory-disk`).
// The rules are storage/fs/memory-fs-faults.ts's; the broker answers them as Kafka answers a failing
// disk (storage/log-dir-failure.ts): the first I/O error takes the log directory offline, requests
// for its partitions answer KAFKA_STORAGE_ERROR, and broker.failed resolves.
//
// A DiskFault has the shape of a request Fault (id, hits, times, done, fired(), remove(), status()),
// so the control API (broker/control/kit.ts) lists, waits for and removes both alike.

import type { FileSystem } from '../../storage/fs/file-system.js';
import { DiskFaults, type DiskErrorCode } from '../../storage/fs/memory-fs-faults.js';
import { MemoryFileSystem, type FsOperation } from '../../storage/fs/memory-fs.js';
import { FaultRule } from './fault-rule.js';

export type DiskOp = FsOperation['op'];
export type { DiskErrorCode };

export interface DiskFaultSpec {
  /** Operations to fail (default 'write'); 'write' covers positional writes and appends (a log's segment writes). */
  op?: DiskOp | readonly DiskOp[];
  /** The errno to fail with: 'EIO', 'ENOSPC' or 'EFBIG'... */
  error?: DiskErrorCode;
  /** ...or make a write short: only this many bytes of it reach the file. */
  shortWrite?: number;
  /** Only paths containing this string (e.g. 'orders-0/' or '.index'); default: every path under the data directory. */
  path?: string;
  /** Operations to affect before the rule retires (default 1; Infinity: until removed). */
  times?: number;
}

const OPS = new Set<DiskOp>([
  'open',
  'read',
  'write',
  'append',
  'fsync',
  'fsyncDir',
  'truncate',
  'rename',
  'remove',
  'mkdir',
  'readFile',
  'readdir',
  'stat',
]);
const ERRORS = new Set<string>(['EIO', 'ENOSPC', 'EFBIG']);

export class DiskFault extends FaultRule {
  readonly api = 'disk';
  private removeRule: () => void = () => {};

  constructor(
    readonly id: number,
    readonly spec: DiskFaultSpec,
  ) {
    super();
  }

  protected get label(): string {
    return this.api;
  }

  remove(): void {
    this.removeRule();
  }

  /** @internal wired by DiskFaultControl */
  arm(remove: () => void): void {
    this.removeRule = remove;
  }
}

/** The broker side a power cut needs: its file system and a way to stop it. */
export interface DiskHost {
  fs: FileSystem | undefined;
  stop(): Promise<void>;
}

export class DiskFaultControl {
  private readonly faults: DiskFault[] = [];

  constructor(
    private readonly host: DiskHost,
    private readonly nextId: () => number,
  ) {}

  private diskFaults(what: string): DiskFaults {
    const fs = this.host.fs;
    if (!(fs instanceof MemoryFileSystem)) {
      throw new RangeError(
        `faults.${what}: the broker's data directory must be on the memory file system: startBroker({ dataDir, fs: new MemoryFileSystem() }) or kafkalite test-server --memory-disk`,
      );
    }
    return DiskFaults.of(fs);
  }

  inject(spec: DiskFaultSpec): DiskFault {
    const disk = this.diskFaults('disk');
    const ops: DiskOp[] = spec.op === undefined ? ['write'] : typeof spec.op === 'string' ? [spec.op] : [...spec.op];
    for (const op of ops) if (!OPS.has(op)) throw new RangeError(`faults.disk: unknown op ${JSON.stringify(op)}`);
    if (ops.includes('write') && !ops.includes('append')) ops.push('append');
    if (spec.error !== undefined && !ERRORS.has(spec.error))
      throw new RangeError(`faults.disk: unknown error ${JSON.stringify(spec.error)}`);
    if ((spec.error === undefined) === (spec.shortWrite === undefined)) throw new RangeError('faults.disk: give error or shortWrite');
    const times = spec.times ?? 1;
    if (!(times > 0)) throw new RangeError('faults.disk: times must be positive');
    const fault = new DiskFault(this.nextId(), spec);
    const remove = disk.inject({
      ops,
      path: spec.path,
      error: spec.error,
      shortWrite: spec.shortWrite,
      times,
      onFire: () => fault.hit(),
    });
    fault.arm(() => {
      remove();
      const i = this.faults.indexOf(fault);
      if (i >= 0) this.faults.splice(i, 1);
    });
    this.faults.push(fault);
    return fault;
  }

  /**
   * The machine loses power: from now on every file operation fails, the broker stops (it cannot
   * flush), then everything not fsynced is dropped. Start a broker on the same `{ dataDir, fs }`
   * to see what survived, as after a real power cut.
   */
  async powerCut(): Promise<void> {
    const disk = this.diskFaults('powerCut');
    disk.crashAfterOps(0);
    await this.host.stop().catch(() => {});
    this.clear();
    disk.powerCut();
  }

  /** Retire every disk rule (a log directory already offline stays offline). */
  clear(): void {
    for (const f of [...this.faults]) f.remove();
  }
}
