// Crash-safe small-file writes: write `<file>.tmp`, optionally fsync, rename over the target,
// then fsync the directory so the rename itself is durable.

import fs from 'node:fs';
import path from 'node:path';

export function writeFileAtomic(file: string, data: string | Buffer, opts: { fsync: boolean }): void {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w', 0o644);
  try {
    fs.writeFileSync(fd, data);
    if (opts.fsync) fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  if (opts.fsync) fsyncDir(path.dirname(file));
}

/** fsync a directory (makes creates, renames and deletes in it durable). No-op where unsupported. */
export function fsyncDir(dir: string): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fs.fsyncSync(fd);
  } catch {
    // Some platforms (Windows) cannot fsync directories.
  } finally {
    fs.closeSync(fd);
  }
}

/** File contents as UTF-8, or null if it does not exist. */
export function readFileIfExists(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
