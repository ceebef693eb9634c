// Disk store: data-directory identity, lock, topic metadata, deletion and handle hygiene.

import assert from 'node:assert/strict';
import { createHook } from 'node:async_hooks';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DataDirLockedError, DataDirMismatchError } from '../../protocol/errors.js';
import { openDiskStore } from '../../storage/disk-store.js';
import type { TopicRecord } from '../../storage/types.js';
import { TOPIC_ID, captureLogger, config, removeDir, simpleBatch, tempDir } from './storage-helpers.js';

const ALL = { maxBytes: 1 << 20, maxOffset: Number.MAX_SAFE_INTEGER, minOneBatch: false };
const quiet = () => captureLogger().logger;

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => {
  removeDir(dir);
});

describe('disk store: meta.properties', () => {
  it('writes version 1 with node id and a 22-char cluster id, and checks it on reopen', async () => {
    const store = await openDiskStore({ dataDir: dir, nodeId: 3, logger: quiet() });
    const text = fs.readFileSync(path.join(dir, 'meta.properties'), 'utf8');
    assert.match(
      text,
      /^#\n#(Sun|Mon|Tue|Wed|Thu|Fri|Sat) [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}\nversion=1\nnode\.id=3\ncluster\.id=[A-Za-z0-9_-]{22}\n$/,
    );
    assert.equal(store.clusterId, /cluster\.id=(.*)/.exec(text)![1]);
    assert.equal(store.nodeId, 3);
    assert.equal(store.kind, 'disk');
    const clusterId = store.clusterId;
    await store.close();

    await assert.rejects(openDiskStore({ dataDir: dir, nodeId: 4, logger: quiet() }), (err: unknown) => {
      assert.ok(err instanceof DataDirMismatchError);
      assert.match(err.message, /node\.id=3/);
      return true;
    });
    await assert.rejects(
      openDiskStore({ dataDir: dir, nodeId: 3, clusterId: 'AAAAAAAAAAAAAAAAAAAAAB', logger: quiet() }),
      DataDirMismatchError,
    );
    // The failed opens released the lock.
    const again = await openDiskStore({ dataDir: dir, nodeId: 3, clusterId, logger: quiet() });
    assert.equal(again.clusterId, clusterId);
    await again.close();
  });

  it('uses the configured cluster id for a new directory', async () => {
    const store = await openDiskStore({ dataDir: dir, nodeId: 1, clusterId: 'MkU3OEVBNTcwNTJENDM2Qk', logger: quiet() });
    assert.equal(store.clusterId, 'MkU3OEVBNTcwNTJENDM2Qk');
    await store.close();
  });
});

describe('disk store: lock', () => {
  it('fails a second opener at once with DataDirLockedError naming the directory', async () => {
    const store = await openDiskStore({ dataDir: dir, nodeId: 1, logger: quiet() });
    const started = Date.now();
    await assert.rejects(openDiskStore({ dataDir: dir, nodeId: 1, logger: quiet() }), (err: unknown) => {
      assert.ok(err instanceof DataDirLockedError);
      assert.ok(err.message.includes(dir), err.message);
      return true;
    });
    assert.ok(Date.now() - started < 1000);
    await store.close();
    const next = await openDiskStore({ dataDir: dir, nodeId: 1, logger: quiet() });
    await next.close();
  });

  const storeModule = pathToFileURL(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../storage/disk-store.js')).href;

  /** A child process holding the data directory; resolves once it has the lock. */
  function lockInChild(): Promise<ChildProcess> {
    const code = `import(${JSON.stringify(storeModule)}).then(async (m) => {
      await m.openDiskStore({ dataDir: ${JSON.stringify(dir)}, nodeId: 1 });
      process.stdout.write('locked\\n');
      setInterval(() => {}, 1000);
    });`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    return new Promise((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        if (d.toString().includes('locked')) resolve(child);
      });
      child.on('exit', (c) => reject(new Error(`child exited with ${c}`)));
    });
  }

  it('refuses a directory held by another live process, and takes over once it died', async () => {
    const child = await lockInChild();
    try {
      await assert.rejects(openDiskStore({ dataDir: dir, nodeId: 1, logger: quiet() }), DataDirLockedError);
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
    const { logger, lines } = captureLogger();
    const started = Date.now();
    const store = await openDiskStore({ dataDir: dir, nodeId: 1, logger });
    assert.ok(Date.now() - started < 1000);
    assert.ok(lines.some((l) => l.level === 'warn' && /took over/.test(l.msg ?? '')));
    await store.close();
  });
});

describe('disk store: topics, partition metadata, deletion', () => {
  it('persists topics and writes partition.metadata and the clean-shutdown marker', async () => {
    let store = await openDiskStore({ dataDir: dir, nodeId: 1, logger: quiet() });
    assert.deepEqual(store.loadTopics(), []);
    const topics: TopicRecord[] = [
      { name: 'orders', id: TOPIC_ID, partitions: 2, configs: { 'segment.bytes': '1000' } },
      { name: 'audit.log', id: 'AAAAAAAAAAAAAAAAAAAAAg', partitions: 1, configs: {} },
    ];
    store.saveTopics(topics);
    store.openLog('orders', 1, TOPIC_ID, config());
    assert.equal(fs.readFileSync(path.join(dir, 'orders-1', 'partition.metadata'), 'utf8'), `version: 0\ntopic_id: ${TOPIC_ID}\n`);
    await store.close();
    assert.equal(fs.readFileSync(path.join(dir, '.kafka_cleanshutdown'), 'utf8'), '{"version":0,"brokerEpoch":0}');
    assert.ok(fs.existsSync(path.join(dir, 'kafkalite-topics.json')));
    assert.equal(fs.existsSync(path.join(dir, '.lock')), false);

    store = await openDiskStore({ dataDir: dir, nodeId: 1, logger: quiet() });
    assert.deepEqual(store.loadTopics(), topics);
    await store.close();
  });

  it('deleteLog removes the partition directory; a reopened log starts empty', async () => {
    const store = await openDiskStore({ dataDir: dir, nodeId: 1, logger: quiet() });
    const log = store.openLog('orders', 0, TOPIC_ID, config());
    log.append(simpleBatch(3, 1), 0);
    store.deleteLog('orders', 0);
    assert.equal(fs.existsSync(path.join(dir, 'orders-0')), false);
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f.startsWith('orders')),
      [],
    );
    const fresh = store.openLog('orders', 0, TOPIC_ID, config());
    assert.equal(fresh.logEndOffset, 0);
    await store.close();
  });

  it('moves aside a partition directory that belongs to another topic id', async () => {
    let store = await openDiskStore({ dataDir: dir, nodeId: 1, logger: quiet() });
    store.openLog('orders', 0, TOPIC_ID, config()).append(simpleBatch(2, 1), 0);
    await store.close();
    const { logger, lines } = captureLogger();
    store = await openDiskStore({ dataDir: dir, nodeId: 1, logger });
    const log = store.openLog('orders', 0, 'AAAAAAAAAAAAAAAAAAAAAw', config());
    assert.equal(log.logEndOffset, 0);
    assert.equal(lines.filter((l) => l.level === 'warn').length, 1);
    assert.equal(fs.readdirSync(dir).filter((f) => /^orders-0\.[0-9a-f]{32}-stray$/.test(f)).length, 1);
    await store.close();
  });
});

describe('disk store: handle hygiene', () => {
  function openFds(): number | null {
    try {
      return fs.readdirSync('/proc/self/fd').length;
    } catch {
      return null;
    }
  }

  it('100 open/append/close cycles leave no resources or descriptors behind', async () => {
    const warm = await openDiskStore({ dataDir: dir, nodeId: 1, logger: quiet() });
    await warm.close();
    await new Promise((r) => setImmediate(r));
    const baseline = process.getActiveResourcesInfo().sort();
    const fdsBefore = openFds();
    // Unref'd timers do not show in getActiveResourcesInfo(): track every async resource created.
    const live = new Map<number, string>();
    const hook = createHook({
      init: (id, type) => {
        if (type !== 'PROMISE') live.set(id, type);
      },
      destroy: (id) => {
        live.delete(id);
      },
    }).enable();
    for (let i = 0; i < 100; i++) {
      const store = await openDiskStore({ dataDir: dir, nodeId: 1, logger: quiet() });
      const log = store.openLog('orders', 0, TOPIC_ID, config({ segmentBytes: 2000 }));
      log.append(simpleBatch(3, 1000 + i), 0);
      assert.equal(log.read(0, ALL).bytes, log.size);
      log.flush();
      await store.close();
    }
    await new Promise((r) => setImmediate(r));
    hook.disable();
    assert.deepEqual(
      [...live.values()].filter((t) => t === 'Timeout' || t.startsWith('FS') || t === 'FILEHANDLE'),
      [],
    );
    assert.deepEqual(process.getActiveResourcesInfo().sort(), baseline);
    assert.equal(openFds(), fdsBefore);
  });
});
