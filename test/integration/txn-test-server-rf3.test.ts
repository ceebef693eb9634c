// librdkafka's transaction test 0103 (issue 18), its behaviour ported: `kafkalite test-server
// --nodes 3` as a separate process (the CLI, as the issue asks), topics with replication factor 3
// and min.insync.replicas=2, the transaction state log on three replicas, and a transactional
// producer (librdkafka 2.16 through PyPI confluent-kafka) committing and aborting transactions
// over three partitions while a node goes down and comes back through the control API; a
// read_committed consumer then sees exactly the committed records, in order per partition.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { venvPython } from '../python/venv.js';
import { REPO_ROOT } from './helpers.js';

const BIN = join(REPO_ROOT, 'dist', 'bin', 'kafkalite.js');

const OPTIONS = {
  topics: { txn0103: { partitions: 3, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } } },
  config: {
    'transaction.state.log.replication.factor': '3',
    'transaction.state.log.min.isr': '2',
    'offsets.topic.replication.factor': '3',
  },
};

const child = spawn(process.execPath, [BIN, 'test-server', '--print-env', '--nodes', '3', '--options', JSON.stringify(OPTIONS)], {
  stdio: ['pipe', 'pipe', 'pipe'],
});
after(() => {
  child.stdin.end();
  child.kill();
});

/** KAFKA_BOOTSTRAP and KAFKALITE_CONTROL from --print-env's first lines. */
function env(): Promise<Record<string, string>> {
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`test-server printed no env in 20 s:\n${out}\n${err}`)), 20_000);
    child.once('exit', (code) => reject(new Error(`test-server exited ${code}:\n${out}\n${err}`)));
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      const lines = out.split('\n');
      if (lines.length < 3) return;
      clearTimeout(timer);
      resolve(Object.fromEntries(lines.slice(0, 2).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])));
    });
  });
}

test('0103 ported: transactions committed and aborted on RF 3 / min.insync.replicas=2 through a node going down; read_committed sees exactly the committed records', async () => {
  const { KAFKA_BOOTSTRAP, KAFKALITE_CONTROL } = await env();
  const out = await venvPython<{ rdkafka: string; committed: string[]; read: string[]; isrDuring: number[]; isrAfter: number[] }>(
    `
import json, sys, time, urllib.request
from confluent_kafka import Producer, Consumer, TopicPartition, libversion
bs, ctl, topic = sys.argv[1], '${KAFKALITE_CONTROL}/control/v1', 'txn0103'
def call(method, path):
    req = urllib.request.Request(ctl + path, data=b'{}' if method == 'POST' else None, method=method, headers={'content-type': 'application/json'})
    return json.loads(urllib.request.urlopen(req).read() or b'null')
p = Producer({'bootstrap.servers': bs, 'transactional.id': 'txn-0103', 'acks': 'all', 'enable.idempotence': True,
              'reconnect.backoff.max.ms': 200, 'topic.metadata.refresh.interval.ms': 500})
p.init_transactions(30)
committed = []
def txn(n, commit):
    p.begin_transaction()
    values = ['txn%d-%d' % (n, i) for i in range(9)]
    for i, v in enumerate(values):
        p.produce(topic, value=v.encode(), partition=i % 3)
    if commit:
        p.commit_transaction(30)
        committed.extend(values)
    else:
        p.abort_transaction(30)
txn(1, True)
txn(2, False)
victim = [n for n in call('GET', '/partitions/' + topic)[0]['replicas']][-1]
call('POST', '/nodes/%d/down' % victim)
isr_during = [len(x['isr']) for x in call('GET', '/partitions/' + topic)]
txn(3, True)
txn(4, False)
call('POST', '/nodes/%d/up' % victim)
txn(5, True)
p.flush(30)
c = Consumer({'bootstrap.servers': bs, 'group.id': 'txn-0103-check', 'isolation.level': 'read_committed', 'enable.auto.commit': False,
              'enable.partition.eof': True})
c.assign([TopicPartition(topic, i, 0) for i in range(3)])
read, eof, deadline = [], set(), time.time() + 30
while len(eof) < 3 and time.time() < deadline:
    m = c.poll(0.2)
    if m is None: continue
    if m.error():
        if m.error().code() == -191: eof.add(m.partition())
        continue
    read.append(m.value().decode())
c.close()
isr_after = [len(x['isr']) for x in call('GET', '/partitions/' + topic)]
print(json.dumps({'rdkafka': libversion()[0], 'committed': committed, 'read': read, 'isrDuring': isr_during, 'isrAfter': isr_after}))
`,
    KAFKA_BOOTSTRAP!,
    90_000,
  );
  assert.deepEqual(out.isrDuring, [2, 2, 2], 'one node down: two in sync, min.insync.replicas still met');
  assert.deepEqual(out.isrAfter, [3, 3, 3], 'the node came back into the ISR');
  // Per partition in order; across partitions the consumer interleaves, so compare sorted too.
  const byPartition = (values: string[], part: number) => values.filter((v) => Number(v.split('-')[1]) % 3 === part);
  for (const part of [0, 1, 2]) assert.deepEqual(byPartition(out.read, part), byPartition(out.committed, part));
  assert.deepEqual([...out.read].sort(), [...out.committed].sort());
  assert.equal(out.committed.length, 27);
});
