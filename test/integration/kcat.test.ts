// kcat (Debian, librdkafka) against an in-process broker over TCP: metadata listing, keyed
// produce from a file, consume with a format string, headers.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { hasCommand, requireTool, run, tempDir } from './helpers.js';

async function kcat(args: string[], input?: string): Promise<string> {
  const r = await run('kcat', args, { input, timeoutMs: 30_000 });
  if (r.code !== 0) throw new Error(`kcat ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

describe('kcat', () => {
  let broker: Broker;
  const dir = tempDir();
  before(async () => {
    requireTool(() => hasCommand('kcat'), 'kcat');
    broker = await startBroker({ topics: { listed: 3 } });
  });
  after(async () => {
    await broker?.stop();
    dir.remove();
  });

  test('-L lists the broker and topics with their partitions', async () => {
    const out = await kcat(['-b', broker.bootstrap, '-L']);
    assert.match(out, new RegExp(`broker 1 at ${broker.bootstrap.replace('.', '\\.')}`));
    assert.match(out, /topic "listed" with 3 partitions:/);
    assert.match(out, /partition 2, leader 1, replicas: 1, isrs: 1/);
  });

  test('-P -K: from a file of keyed lines; -C -e -f returns identical content', async () => {
    const lines = Array.from({ length: 500 }, (_, i) => `key${i % 13}:value number ${i} ${'x'.repeat(i % 50)}`);
    const file = join(dir.path, 'keyed.txt');
    writeFileSync(file, `${lines.join('\n')}\n`);
    await kcat(['-b', broker.bootstrap, '-P', '-t', 'kcat-keyed', '-p', '0', '-K:', '-l', file]);
    const out = await kcat(['-b', broker.bootstrap, '-C', '-t', 'kcat-keyed', '-o', 'beginning', '-e', '-f', '%k:%s\n']);
    assert.deepEqual(out.trimEnd().split('\n'), lines);
  });

  test('-P -H headers round-trip', async () => {
    await kcat(['-b', broker.bootstrap, '-P', '-t', 'kcat-headers', '-H', 'trace=abc123', '-H', 'empty=', '-K:'], 'k:with headers\n');
    const out = await kcat(['-b', broker.bootstrap, '-C', '-t', 'kcat-headers', '-o', 'beginning', '-e', '-f', '%k|%s|%h|%o\n']);
    assert.equal(out.trim(), 'k|with headers|trace=abc123,empty=|0');
  });

  for (const codec of ['gzip', 'snappy', 'lz4', 'zstd']) {
    test(`-z ${codec} produce, consume back`, async () => {
      const topic = `kcat-${codec}`;
      const lines = Array.from({ length: 300 }, (_, i) => `${codec} line ${i} ${'y'.repeat(i % 30)}`);
      await kcat(['-b', broker.bootstrap, '-P', '-t', topic, '-z', codec], `${lines.join('\n')}\n`);
      const out = await kcat(['-b', broker.bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-f', '%s\n']);
      assert.deepEqual(out.trimEnd().split('\n'), lines);
    });
  }
});
