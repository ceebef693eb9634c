// `kafkalite start` as a separate process with a data directory: kafka-python, kcat and
// kafkajs produce, Ctrl-C
// (SIGINT) stops it cleanly, a restart serves the same data, and a second broker on the same
// directory fails at once with a clear message.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { hasCommand, hasPythonModule, python, requireTool, run, startCli, tempDir } from './helpers.js';

describe('kafkalite start (CLI)', () => {
  const dir = tempDir();
  after(() => dir.remove());

  test('serves kafka-python and kcat, survives a restart, refuses a second broker on the same data dir', async () => {
    requireTool(() => hasPythonModule('kafka'), 'python3-kafka');
    requireTool(() => hasCommand('kcat'), 'kcat');
    const data = join(dir.path, 'data');
    const first = await startCli(['--data-dir', data]);
    try {
      const produced = await python<number[]>(
        `
import sys, json
from kafka import KafkaProducer
p = KafkaProducer(bootstrap_servers=sys.argv[1])
offs = [p.send('persisted', key=b'k%d' % i, value=b'value %d' % i, partition=0).get(timeout=10).offset for i in range(20)]
p.close()
print(json.dumps(offs))
`,
        first.bootstrap,
      );
      assert.deepEqual(
        produced,
        Array.from({ length: 20 }, (_, i) => i),
      );
      const kc = await run('kcat', ['-b', first.bootstrap, '-P', '-t', 'persisted', '-p', '0', '-K:'], { input: 'kcat-key:kcat-value\n' });
      assert.equal(kc.code, 0, kc.stderr);
      const kafka = new Kafka({ brokers: [first.bootstrap], logLevel: logLevel.NOTHING });
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: 'from-kafkajs', numPartitions: 2 }] });
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic: 'from-kafkajs', messages: [{ key: 'a', value: 'kafkajs value', partition: 1 }] });
      await producer.disconnect();
      assert.deepEqual((await admin.fetchTopicOffsets('from-kafkajs')).map((o) => [o.partition, o.high]).sort(), [
        [0, '0'],
        [1, '1'],
      ]);
      await admin.disconnect();

      const second = await startCli(['--data-dir', data]).then(
        (b) => b,
        (err: Error) => err,
      );
      assert.ok(second instanceof Error, 'a second broker on the same data dir must not start');
      assert.match(second.message, /exited with 1/);
      assert.match(second.message, /in use by another/);
    } finally {
      assert.equal(await first.stop('SIGINT'), 0, `clean exit on SIGINT:\n${first.output()}`);
    }
    assert.match(first.output(), /SIGINT: shutting down/);
    assert.ok(existsSync(join(data, 'meta.properties')));
    assert.match(readFileSync(join(data, 'meta.properties'), 'utf8'), /node\.id=1/);
    assert.ok(existsSync(join(data, 'persisted-0', '00000000000000000000.log')));

    const again = await startCli(['--data-dir', data]);
    try {
      const out = await run('kcat', ['-b', again.bootstrap, '-C', '-t', 'persisted', '-o', 'beginning', '-e', '-f', '%o %k:%s\n'], {
        timeoutMs: 30_000,
      });
      assert.equal(out.code, 0, out.stderr);
      const lines = out.stdout.trim().split('\n');
      assert.equal(lines.length, 21);
      assert.equal(lines[0], '0 k0:value 0');
      assert.equal(lines[19], '19 k19:value 19');
      assert.equal(lines[20], '20 kcat-key:kcat-value');
      const more = await python<number>(
        `
import sys, json
from kafka import KafkaProducer
p = KafkaProducer(bootstrap_servers=sys.argv[1])
o = p.send('persisted', value=b'after restart', partition=0).get(timeout=10).offset
p.close()
print(json.dumps(o))
`,
        again.bootstrap,
      );
      assert.equal(more, 21, 'offsets continue after a restart');
      const kjs = await run(
        'kcat',
        ['-b', again.bootstrap, '-C', '-t', 'from-kafkajs', '-p', '1', '-o', 'beginning', '-e', '-f', '%k=%s\n'],
        { timeoutMs: 30_000 },
      );
      assert.equal(kjs.stdout.trim(), 'a=kafkajs value', 'kafkajs data survives the restart');
    } finally {
      assert.equal(await again.stop('SIGTERM'), 0);
    }
  });
});
