// Committed offsets survive `kafkalite start` restarts: a clean one (SIGINT), and SIGKILL in the
// middle of a stream of commits from kafka-python, after which the committed offset is at least
// the last commit the client saw acknowledged. The CLI reads config/server.properties, so
// groups there wait Kafka's 3 s initial rebalance delay.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { OffsetFetch } from '../../protocol/messages/index.js';
import { PYTHON, hasPythonModule, python, requireTool, startCli, tempDir } from './helpers.js';
import { WireClient } from './wire-client.js';

async function committed(bootstrap: string, group: string, topic: string, partitions: number[]): Promise<number[]> {
  const c = await WireClient.connect(bootstrap);
  try {
    const res = await c.send(OffsetFetch, 6, {
      groupId: group,
      topics: [{ name: topic, partitionIndexes: partitions }],
      requireStable: false,
    });
    return res.topics[0]!.partitions.map((p) => p.committedOffset);
  } finally {
    await c.close();
  }
}

describe('consumer group offsets across CLI broker restarts', () => {
  const dir = tempDir();
  after(() => dir.remove());

  test('a clean restart (SIGINT) keeps committed offsets; a new consumer resumes after them', async () => {
    requireTool(() => hasPythonModule('kafka'), 'python3-kafka');
    const data = join(dir.path, 'clean');
    const first = await startCli(['--data-dir', data]);
    try {
      const read = await python<number[]>(
        `
import sys, json, time
from kafka import KafkaProducer, KafkaConsumer
bs = sys.argv[1]
p = KafkaProducer(bootstrap_servers=bs)
for i in range(30): p.send('restart-topic', value=b'v%d' % i, partition=0)
p.flush(); p.close()
c = KafkaConsumer('restart-topic', group_id='restart-group', bootstrap_servers=bs, auto_offset_reset='earliest', enable_auto_commit=False)
offs = []
end = time.time() + 40
while len(offs) < 12 and time.time() < end:
    for tp, ms in c.poll(timeout_ms=300, max_records=12 - len(offs)).items():
        offs += [m.offset for m in ms]
c.commit()
c.close(autocommit=False)
print(json.dumps(offs))
`,
        first.bootstrap,
        90_000,
      );
      assert.deepEqual(
        read,
        Array.from({ length: 12 }, (_, i) => i),
      );
    } finally {
      assert.equal(await first.stop('SIGINT'), 0, first.output());
    }

    const second = await startCli(['--data-dir', data]);
    try {
      assert.deepEqual(await committed(second.bootstrap, 'restart-group', 'restart-topic', [0]), [12]);
      const resumed = await python<number[]>(
        `
import sys, json, time
from kafka import KafkaConsumer
c = KafkaConsumer('restart-topic', group_id='restart-group', bootstrap_servers=sys.argv[1], auto_offset_reset='earliest')
offs = []
end = time.time() + 40
while len(offs) < 18 and time.time() < end:
    for tp, ms in c.poll(timeout_ms=300).items():
        offs += [m.offset for m in ms]
c.close()
print(json.dumps(offs))
`,
        second.bootstrap,
        90_000,
      );
      assert.deepEqual(
        resumed,
        Array.from({ length: 18 }, (_, i) => i + 12),
      );
    } finally {
      assert.equal(await second.stop('SIGINT'), 0, second.output());
    }
  });

  test('kill -9 during a stream of commits: after a restart the committed offset is at least the last acknowledged one', async () => {
    requireTool(() => hasPythonModule('kafka'), 'python3-kafka');
    const data = join(dir.path, 'killed');
    const first = await startCli(['--data-dir', data]);
    const script = `
import sys
from kafka import KafkaProducer, KafkaConsumer, TopicPartition
from kafka.structs import OffsetAndMetadata
bs = sys.argv[1]
p = KafkaProducer(bootstrap_servers=bs)
p.send('kill-topic', value=b'x', partition=0).get(timeout=10)
p.close()
c = KafkaConsumer('kill-topic', group_id='kill-group', bootstrap_servers=bs, enable_auto_commit=False, auto_offset_reset='earliest')
while not c.assignment():
    c.poll(timeout_ms=200)
tp = TopicPartition('kill-topic', 0)
i = 0
while True:
    i += 1
    c.commit({tp: OffsetAndMetadata(i, 'commit %d' % i)})
    print(i, flush=True)
`;
    const child = spawn(PYTHON, ['-c', script, first.bootstrap], { stdio: ['ignore', 'pipe', 'pipe'] });
    let lastAcked = 0;
    let stderr = '';
    let buf = '';
    child.stderr.on('data', (d) => (stderr += d));
    const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          buf += d.toString();
          const lines = buf.split('\n');
          buf = lines.pop()!;
          for (const l of lines) if (l.trim()) lastAcked = Number(l);
          if (lastAcked >= 300) resolve();
        });
        child.on('exit', (code) => reject(new Error(`committer exited with ${code} after ${lastAcked} commits:\n${stderr}`)));
      });
      // Kill the broker mid-stream: commits are still being sent.
      assert.equal(await first.stop('SIGKILL'), null);
    } finally {
      if (first.child.exitCode === null && first.child.signalCode === null) await first.stop('SIGKILL');
      // Only now stop the committer, and read every line it printed: each is a commit acknowledged before the broker died.
      child.kill('SIGKILL');
      await closed;
    }
    const acknowledged = lastAcked;
    assert.ok(acknowledged >= 300);

    const second = await startCli(['--data-dir', data]);
    try {
      const [offset] = await committed(second.bootstrap, 'kill-group', 'kill-topic', [0]);
      assert.ok(offset! >= acknowledged, `committed ${offset} after the restart, last acknowledged ${acknowledged}`);
      assert.ok(offset! <= acknowledged + 1, `at most the one commit in flight is newer (${offset} vs ${acknowledged})`);
      const c = await WireClient.connect(second.bootstrap);
      try {
        const res = await c.send(OffsetFetch, 6, {
          groupId: 'kill-group',
          topics: [{ name: 'kill-topic', partitionIndexes: [0] }],
          requireStable: false,
        });
        assert.equal(res.topics[0]!.partitions[0]!.metadata, `commit ${offset}`);
      } finally {
        await c.close();
      }
    } finally {
      assert.equal(await second.stop('SIGINT'), 0, second.output());
    }
  });
});
