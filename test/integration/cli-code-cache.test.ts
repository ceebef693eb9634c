// The CLI's code cache (bin/cli-loader.ts, issue 15): the bundled CLI is CommonJS compiled with
// V8's cached data. A first `kafkalite start` writes the cache for the files it loaded (here at
// its exit: the stop comes before the timed write); the next start uses it, so it finds nothing
// to write. A cache that is garbage, or that cannot be written, is ignored; and
// KAFKALITE_CODE_CACHE=off runs the same files through Node's own require().

import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Metadata } from '../../protocol/messages/index.js';
import { REPO_ROOT, startCli, tempDir } from './helpers.js';
import { WireClient } from './wire-client.js';

interface Metafile {
  outputs: Record<string, { inputs: Record<string, unknown> }>;
}

/** The cache's name: <node version>-<arch>-<bundle hash>.bin, the hash as dist/bin/kafkalite.js passes it. */
function cacheName(): string {
  const hash = /runCli\('([0-9a-f]{16})'\)/.exec(readFileSync(join(REPO_ROOT, 'dist', 'bin', 'kafkalite.js'), 'utf8'));
  assert.ok(hash, 'dist/bin/kafkalite.js names the bundle hash');
  return `${process.version}-${process.arch}-${hash[1]}.bin`;
}

/** The bundle file (dist/cli/<name>) that holds a tsc output file. */
function chunkOf(input: string): string {
  const meta = JSON.parse(readFileSync(join(REPO_ROOT, 'dist', 'cli', 'metafile.json'), 'utf8')) as Metafile;
  const out = Object.keys(meta.outputs).find((k) => k.endsWith('.js') && input in meta.outputs[k]!.inputs);
  assert.ok(out, `${input} is in the bundle`);
  return out.slice('dist/cli/'.length);
}

/** The file names a cache holds, from its header (bin/cli-loader.ts: encodeCache). */
function cachedNames(file: string): string[] {
  const buf = readFileSync(file);
  const header = JSON.parse(buf.subarray(4, 4 + buf.readUInt32LE(0)).toString()) as Array<[string, number]>;
  assert.equal(
    header.reduce((sum, [, length]) => sum + length, 4 + buf.readUInt32LE(0)),
    buf.length,
    'the entries fill the file',
  );
  return header.map(([name]) => name);
}

describe('the CLI code cache', () => {
  const dir = tempDir();
  after(() => dir.remove());
  let starts = 0;

  /** `kafkalite start` with KAFKALITE_CODE_CACHE=cache, one Metadata answered, SIGINT: the exit code. */
  async function startAndStop(cache: string): Promise<number | null> {
    const cli = await startCli(['--data-dir', join(dir.path, `data-${++starts}`)], 20_000, { KAFKALITE_CODE_CACHE: cache });
    try {
      const wire = await WireClient.connect(cli.bootstrap);
      const md = await wire.send(Metadata, 12, { topics: null, allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false });
      assert.deepEqual(
        md.brokers.map((b) => b.port),
        [cli.port],
      );
      await wire.close();
    } finally {
      await cli.stop();
    }
    return cli.child.exitCode;
  }

  test('a first start writes the cache of what it loaded; the next start takes it and has nothing to write', async () => {
    const cache = join(dir.path, 'cache');
    assert.equal(await startAndStop(cache), 0);
    const file = join(cache, cacheName());
    const names = cachedNames(file);
    for (const name of [
      'kafkalite.js',
      chunkOf('dist/broker/core.js'),
      chunkOf('dist/storage/disk-store.js'),
      chunkOf('dist/broker/handlers/03-metadata.js'),
    ])
      assert.ok(names.includes(name), `the cache holds ${name}`);
    assert.ok(!names.includes(chunkOf('dist/broker/coordinators.js')), 'nothing the start did not load');

    const before = statSync(file);
    assert.equal(await startAndStop(cache), 0);
    const again = statSync(file);
    // Rewritten means renamed over (a new inode): V8 rejected some entry, or one was missing.
    assert.deepEqual([again.ino, again.mtimeMs], [before.ino, before.mtimeMs], 'V8 took every entry: the cache is not written again');
  });

  test('a garbage cache is ignored, then replaced', async () => {
    const cache = join(dir.path, 'garbage');
    await startAndStop(cache);
    const file = join(cache, cacheName());
    const good = readFileSync(file);
    // A valid header over bytes that are not V8's: every entry is rejected and compiled from source.
    const header = 4 + good.readUInt32LE(0);
    writeFileSync(file, Buffer.concat([good.subarray(0, header), Buffer.alloc(good.length - header, 0x5a)]));
    assert.equal(await startAndStop(cache), 0);
    assert.ok(
      !readFileSync(file)
        .subarray(header, header + 64)
        .equals(Buffer.alloc(64, 0x5a)),
      'rewritten',
    );
    assert.ok(cachedNames(file).includes('kafkalite.js'));

    writeFileSync(file, 'not a cache');
    assert.equal(await startAndStop(cache), 0);
    assert.ok(cachedNames(file).includes('kafkalite.js'), 'a cache that does not parse is replaced');
  });

  test('a cache that cannot be written is ignored', async () => {
    const notADir = join(dir.path, 'a-file');
    writeFileSync(notADir, '');
    assert.equal(await startAndStop(join(notADir, 'cache')), 0);
    assert.equal(readFileSync(notADir, 'utf8'), '');
  });

  test('KAFKALITE_CODE_CACHE=off: the bundle runs through the require() of Node', async () => {
    assert.equal(await startAndStop('off'), 0);
  });
});
