// The real disk: a thin pass-through to node:fs (synchronous calls).

import fs from 'node:fs';
import { rm } from 'node:fs/promises';
import type { FileStat, FileSystem, OpenMode } from './file-system.js';

const { O_RDONLY, O_RDWR, O_CREAT, O_TRUNC } = fs.constants;
const FLAGS: Record<OpenMode, number> = {
  read: O_RDONLY,
  write: O_RDWR,
  create: O_RDWR | O_CREAT,
  truncate: O_RDWR | O_CREAT | O_TRUNC,
};

export const nodeFs: FileSystem = {
  realDisk: true,
  open: (path, mode) => fs.openSync(path, FLAGS[mode], 0o644),
  close: (fd) => fs.closeSync(fd),
  read: (fd, buf, offset, length, position) => fs.readSync(fd, buf, offset, length, position),
  write: (fd, buf, offset, length, position) => fs.writeSync(fd, buf, offset, length, position),
  append: (path, data) => fs.appendFileSync(path, data),
  fsync: (fd) => fs.fsyncSync(fd),
  fsyncAsync: (fd) => new Promise((resolve, reject) => fs.fsync(fd, (err) => (err ? reject(err) : resolve()))),
  fsyncDir(path) {
    let fd: number;
    try {
      fd = fs.openSync(path, 'r');
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
  },
  truncate: (fd, length) => fs.ftruncateSync(fd, length),
  size: (fd) => fs.fstatSync(fd).size,
  stat(path): FileStat {
    const st = fs.statSync(path);
    return { size: st.size, mtimeMs: st.mtimeMs, isDirectory: st.isDirectory() };
  },
  exists: (path) => fs.existsSync(path),
  readFile: (path) => fs.readFileSync(path),
  rename: (from, to) => fs.renameSync(from, to),
  remove: (path, opts) => fs.rmSync(path, { force: true, recursive: opts?.recursive ?? false }),
  removeAsync: (path) => rm(path, { force: true }),
  readdir: (path) => fs.readdirSync(path),
  mkdir: (path) => void fs.mkdirSync(path, { recursive: true }),
};
