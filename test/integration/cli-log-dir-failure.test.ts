// `kafkalite start` whose data directory fails under it: the partition's directory is removed, so
// the next segment roll cannot write its files (ENOENT, a real I/O error on the real disk): the
// old segment's pending index entries (storage/index-file.ts writes them in batches, without a held
// descriptor) or the new segment's files, whichever the roll reaches first. As
// Kafka's LogDirFailureHandler does for a broker left without log directories, the CLI logs
// "Shutdown broker because all log dirs in <dir> have failed" and exits with status 1.

import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { startCli, tempDir, type CliBroker } from './helpers.js';

const dir = tempDir('kafkalite-dirfail-');
let cli: CliBroker | undefined;
after(async () => {
  await cli?.stop('SIGKILL');
  dir.remove();
});

test('the CLI exits 1 with Kafka message when its only log directory fails', async () => {
  cli = await startCli(['--data-dir', dir.path]);
  const exited = new Promise<number | null>((resolve) => cli!.child.once('exit', (code) => resolve(code)));
  const kafka = new Kafka({ clientId: 'dirfail', brokers: [cli.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
  const admin = kafka.admin();
  await admin.connect();
  // segment.ms=1: the next append after the first rolls a new segment, which creates files.
  await admin.createTopics({ topics: [{ topic: 'dirfail', numPartitions: 1, configEntries: [{ name: 'segment.ms', value: '1' }] }] });
  await admin.disconnect();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  await producer.send({ topic: 'dirfail', acks: -1, messages: [{ value: 'first' }] });
  await new Promise((resolve) => setTimeout(resolve, 5)); // older than segment.ms
  rmSync(join(dir.path, 'dirfail-0'), { recursive: true, force: true });
  await producer.send({ topic: 'dirfail', acks: -1, messages: [{ value: 'second' }] }).catch(() => {});
  await producer.disconnect().catch(() => {});
  assert.equal(await exited, 1);
  const out = cli.output();
  assert.match(out, new RegExp(`Shutdown broker because all log dirs in ${dir.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} have failed`));
  // Logged once, with the operation (Kafka's message) and the path that failed.
  assert.match(out, /Error while appending records to dirfail-0 in dir .*; log directory .* is offline/);
  assert.match(out, /"path":"[^"]*dirfail-0\/0000000000000000000[01]\.(log|index|timeindex)"/);
});
