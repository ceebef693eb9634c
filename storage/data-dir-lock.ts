// The data-directory lock (Kafka's LogManager locks each log dir's `.lock`): `<dataDir>/.lock`,
// taken with proper-lockfile (an atomic mkdir whose mtime the holder refreshes). A second opener
// fails at once with DataDirLockedError. A lock left by a crashed process is taken over: at once
// when `.lock-owner` names a process on this host that no longer runs, otherwise once
// proper-lockfile finds it stale (no refresh for STALE_MS).
// It stays on node:fs rather than the storage/fs seam: it coordinates OS processes (through
// proper-lockfile, itself on node:fs), and a store over the memory file system takes no lock.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { DataDirLockedError } from '../protocol/errors.js';
import type { StorageLogger } from './logger.js';

export const LOCK_NAME = '.lock';
export const LOCK_OWNER_NAME = '.lock-owner';
const STALE_MS = 10_000;
const UPDATE_MS = 2_000;

/** Identifies this process even when a restarted container reuses its pid. */
const PROCESS_TOKEN = randomBytes(8).toString('hex');

interface Owner {
  pid: number;
  hostname: string;
  token: string;
}

export class DataDirLock {
  private released = false;

  private constructor(
    readonly dataDir: string,
    private readonly releaseFn: () => Promise<void>,
  ) {}

  static async acquire(dataDir: string, logger: StorageLogger): Promise<DataDirLock> {
    const lockPath = path.join(dataDir, LOCK_NAME);
    const holder: { lock?: DataDirLock } = {};
    const options: lockfile.LockOptions = {
      lockfilePath: lockPath,
      realpath: false,
      retries: 0,
      stale: STALE_MS,
      update: UPDATE_MS,
      onCompromised: (err) => {
        if (holder.lock?.released) return;
        logger.error({ dataDir, err }, 'the data directory lock was lost (another process may be using this directory)');
      },
    };
    let st: fs.Stats | undefined;
    try {
      st = fs.lstatSync(lockPath);
    } catch {
      st = undefined;
    }
    if (st && !st.isDirectory()) {
      throw new DataDirLockedError(dataDir, {
        cause: new Error(`${lockPath} is a regular file (left by Apache Kafka?); remove it if no other process uses ${dataDir}`),
      });
    }
    let release: () => Promise<void>;
    try {
      release = await lockfile.lock(dataDir, options);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
      if (!takeOverFromDeadOwner(dataDir, logger)) throw new DataDirLockedError(dataDir, { cause: err });
      try {
        release = await lockfile.lock(dataDir, options);
      } catch (again) {
        if ((again as NodeJS.ErrnoException).code === 'ELOCKED') throw new DataDirLockedError(dataDir, { cause: again });
        throw again;
      }
    }
    const owner: Owner = { pid: process.pid, hostname: os.hostname(), token: PROCESS_TOKEN };
    const ownerPath = path.join(dataDir, LOCK_OWNER_NAME);
    fs.writeFileSync(`${ownerPath}.tmp`, JSON.stringify(owner));
    fs.renameSync(`${ownerPath}.tmp`, ownerPath);
    holder.lock = new DataDirLock(dataDir, release);
    return holder.lock;
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    fs.rmSync(path.join(this.dataDir, LOCK_OWNER_NAME), { force: true });
    try {
      await this.releaseFn();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ERELEASED' && code !== 'ENOTACQUIRED') throw err;
    }
  }
}

/**
 * If `.lock-owner` names a process of this host that is gone, remove its lock and return true.
 * The owner file is claimed by renaming it, so of two openers racing to take over only one does.
 */
function takeOverFromDeadOwner(dataDir: string, logger: StorageLogger): boolean {
  const ownerPath = path.join(dataDir, LOCK_OWNER_NAME);
  let owner: Owner;
  try {
    owner = JSON.parse(fs.readFileSync(ownerPath, 'utf8')) as Owner;
  } catch {
    return false;
  }
  if (owner.hostname !== os.hostname() || typeof owner.pid !== 'number') return false;
  const samePid = owner.pid === process.pid;
  if (samePid ? owner.token === PROCESS_TOKEN : isAlive(owner.pid)) return false;
  const claimed = `${ownerPath}.${randomBytes(6).toString('hex')}.stale`;
  try {
    fs.renameSync(ownerPath, claimed);
  } catch {
    return false;
  }
  try {
    fs.rmSync(path.join(dataDir, LOCK_NAME), { recursive: true, force: true });
  } finally {
    fs.rmSync(claimed, { force: true });
  }
  logger.warn({ dataDir, deadPid: owner.pid }, 'took over the data directory lock of a process that is no longer running');
  return true;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
