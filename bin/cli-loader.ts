// Runs the bundled CLI (dist/cli/, CommonJS, written by bin/bundle.ts) with V8's code cache, so
// that a start after the first one does not parse and compile its ~670 KB of JavaScript again
// (issue 15, lean start). Node 20 has no compile cache for ES modules (module.enableCompileCache
// is Node 22), so the bundle is CommonJS and each of its files is compiled here as a vm.Script
// with `cachedData`, as the v8-compile-cache package does for require(); this loader only loads
// the bundle's own files (dist/cli/*.js) and hands everything else to Node's require.
//
// The cache is one file, <dir>/<node version>-<arch>-<bundle hash>.bin (V8 checks an entry
// against its source's length only, so the name keeps builds apart), where <dir> is dist/cli/.code-cache,
// beside the code it was made from (bundle.js removes dist/cli, and the cache with it, at every
// build, and only whoever may write the package may write it), or the directory named by
// KAFKALITE_CODE_CACHE; KAFKALITE_CODE_CACHE=off turns the cache off. It holds the cached data of
// every file loaded so far, made with script.createCachedData() after the start (a few seconds
// after it, and again at exit if more files were loaded), so it holds the functions the start
// compiled, not only the top level. It is written only when some file had no cached data or V8
// rejected it (V8 checks the source and its flags). A missing, stale, unreadable or unwritable
// cache is ignored: that file is compiled from source, as without a cache.

import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script, constants as vmConstants } from 'node:vm';

interface LoadedModule {
  exports: unknown;
  id: string;
  filename: string;
  loaded: boolean;
}

interface CacheEntry {
  name: string;
  data: Buffer;
}

/** How long after the start the cache is written: the start's functions are compiled by then. */
const SAVE_AFTER_MS = 3000;
/** `(function (exports, require, module, __filename, __dirname) {` ... `})`, as Node's CommonJS wrapper. */
const WRAP_HEAD = '(function (exports, require, module, __filename, __dirname) { ';
const WRAP_TAIL = '\n})';

/** `bundleHash`: of the files in dist/cli (bin/bundle.ts), part of the cache's name. */
export function runCli(bundleHash: string): void {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'cli');
  const nodeRequire = createRequire(join(dir, 'kafkalite.js'));
  const setting = process.env.KAFKALITE_CODE_CACHE;
  if (setting === 'off') {
    nodeRequire('./kafkalite.js');
    return;
  }
  const cacheDir = setting ? resolve(setting) : join(dir, '.code-cache');
  new BundleLoader(dir, nodeRequire, join(cacheDir, `${process.version}-${process.arch}-${bundleHash}.bin`)).run('kafkalite.js');
}

class BundleLoader {
  /** The cache as found at start, or as last written (its index; each entry is read when asked). */
  private cached: CacheFile;
  private readonly modules = new Map<string, LoadedModule>();
  /** The scripts compiled, in load order; `kept`: the cache's entry for it is good (V8 took it, or this process wrote it). */
  private readonly scripts: Array<{ name: string; script: Script; kept: boolean }> = [];
  /** Some file had no cached data or V8 rejected it: write the cache after the start. */
  private stale = false;

  constructor(
    private readonly dir: string,
    private readonly nodeRequire: NodeJS.Require,
    private readonly cacheFile: string,
  ) {
    this.cached = CacheFile.open(cacheFile);
  }

  run(name: string): void {
    this.load(name);
    setTimeout(() => this.save(), SAVE_AFTER_MS).unref();
    process.once('exit', () => this.save());
  }

  /** Loads dist/cli/<name> once, as Node's require() would. */
  private load(name: string): unknown {
    const known = this.modules.get(name);
    if (known) return known.exports;
    const filename = join(this.dir, name);
    const source = readFileSync(filename, 'utf8');
    const cachedData = this.cached.read(name);
    const script = new Script(WRAP_HEAD + source + WRAP_TAIL, {
      filename,
      cachedData,
      importModuleDynamically: vmConstants?.USE_MAIN_CONTEXT_DEFAULT_LOADER ?? ((specifier: string) => import(specifier)),
    } as ConstructorParameters<typeof Script>[1]);
    const kept = cachedData !== undefined && !script.cachedDataRejected;
    if (!kept) this.stale = true;
    this.scripts.push({ name, script, kept });
    const module: LoadedModule = { exports: {}, id: filename, filename, loaded: false };
    this.modules.set(name, module);
    const require = Object.assign((id: string) => (id.startsWith('./') ? this.load(id.slice(2)) : this.nodeRequire(id)), {
      resolve: this.nodeRequire.resolve,
      cache: this.nodeRequire.cache,
      main: this.nodeRequire.main,
      extensions: this.nodeRequire.extensions,
    });
    try {
      const fn = script.runInThisContext() as (...args: unknown[]) => void;
      fn.call(module.exports, module.exports, require, module, filename, this.dir);
    } catch (err) {
      this.modules.delete(name);
      throw err;
    }
    module.loaded = true;
    return module.exports;
  }

  /**
   * Writes the cache if some file loaded so far had no good entry: for those, the cached data of
   * the script as it is now; every good entry, and those of files this process did not load, as
   * they were. A good entry is never made again: made later in a long run, it would hold less
   * (V8 drops the bytecode of functions not run for a while, such as the start's).
   */
  private save(): void {
    if (!this.stale) return;
    this.stale = false;
    try {
      const entries: CacheEntry[] = [];
      const loaded = new Set<string>();
      for (const s of this.scripts) {
        loaded.add(s.name);
        const data = (s.kept ? this.cached.read(s.name) : undefined) ?? s.script.createCachedData();
        entries.push({ name: s.name, data });
      }
      // What earlier runs loaded and this one did not stays (the cache covers every file ever loaded).
      for (const name of this.cached.names()) {
        const data = loaded.has(name) ? undefined : this.cached.read(name);
        if (data) entries.push({ name, data });
      }
      mkdirSync(dirname(this.cacheFile), { recursive: true });
      const tmp = `${this.cacheFile}.${process.pid}.tmp`;
      writeFileSync(tmp, encodeCache(entries));
      renameSync(tmp, this.cacheFile);
      this.cached.close();
      this.cached = CacheFile.open(this.cacheFile);
      for (const s of this.scripts) s.kept = true;
    } catch {
      // Unwritable (a read-only or shared install): every start compiles from source, as before.
    }
  }
}

/** [u32 header length][header: JSON [[name, byteLength], ...]][the entries' bytes, in order]. */
function encodeCache(entries: CacheEntry[]): Buffer {
  const header = Buffer.from(JSON.stringify(entries.map((e) => [e.name, e.data.length])));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  return Buffer.concat([length, header, ...entries.map((e) => e.data)]);
}

/**
 * A cache file as found at start: its index in memory, each entry read from the open file when
 * asked (a rename of a new cache over it leaves this one readable), so a start holds only the
 * cached data of what it loads, not all the cache has.
 */
class CacheFile {
  private constructor(
    private fd: number | null,
    private readonly index: Map<string, { at: number; length: number }>,
  ) {}

  static open(file: string): CacheFile {
    let fd: number | null = null;
    try {
      fd = openSync(file, 'r');
      const size = fstatSync(fd).size;
      const head = Buffer.alloc(4);
      readSync(fd, head, 0, 4, 0);
      const headerLength = head.readUInt32LE(0);
      if (4 + headerLength > size) throw new Error('truncated');
      const header = Buffer.alloc(headerLength);
      readSync(fd, header, 0, headerLength, 4);
      const index = new Map<string, { at: number; length: number }>();
      let at = 4 + headerLength;
      for (const [name, length] of JSON.parse(header.toString()) as Array<[string, number]>) {
        if (typeof name !== 'string' || !Number.isInteger(length) || length < 0 || at + length > size) throw new Error('bad index');
        index.set(name, { at, length });
        at += length;
      }
      return new CacheFile(fd, index);
    } catch {
      if (fd !== null) closeSync(fd);
      return new CacheFile(null, new Map());
    }
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  names(): string[] {
    return [...this.index.keys()];
  }

  read(name: string): Buffer | undefined {
    const e = this.index.get(name);
    if (!e || this.fd === null) return undefined;
    try {
      const data = Buffer.allocUnsafe(e.length);
      return readSync(this.fd, data, 0, e.length, e.at) === e.length ? data : undefined;
    } catch {
      return undefined;
    }
  }
}
