// Crash-safe small-file writes: write `<file>.tmp`, optionally fsync, rename over the target,
// then fsync the directory so the rename itself is durable.

import path from 'node:path';
import type { FileSystem } from './fs/file-system.js';
import { nodeFs } from './fs/node-fs.js';

export function writeFileAtomic(file: string, data: string | Buffer, opts: { fsync: boolean }, fs: FileSystem = nodeFs): void {
  const tmp = `${file}.tmp`;
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const fd = fs.open(tmp, 'truncate');
  try {
    let done = 0;
    while (done < bytes.length) done += fs.write(fd, bytes, done, bytes.length - done, done);
    if (opts.fsync) fs.fsync(fd);
  } finally {
    fs.close(fd);
  }
  fs.rename(tmp, file);
  if (opts.fsync) fs.fsyncDir(path.dirname(file));
}

/** fsync a directory (makes creates, renames and deletes in it durable). No-op where unsupported. */
export function fsyncDir(dir: string, fs: FileSystem = nodeFs): void {
  fs.fsyncDir(dir);
}

/** File contents as UTF-8, or null if it does not exist. */
export function readFileIfExists(file: string, fs: FileSystem = nodeFs): string | null {
  try {
    return fs.readFile(file).toString('utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
