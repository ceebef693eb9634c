// confluent-kafka / librdkafka transactions (issue 5, parts 3 and 4): init_transactions,
// begin_transaction, produce, send_offsets_to_transaction, commit_transaction and
// abort_transaction, read back by an isolation.level=read_committed consumer that must see
// exactly the committed records, the offsets committed inside the transaction; and a second
// producer with the same transactional.id fencing the first.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { hasPythonModule, python, pythonModuleVersion, requireTool } from './helpers.js';

describe('confluent-kafka transactions', () => {
  let broker: Broker;
  before(async () => {
    requireTool(() => hasPythonModule('confluent_kafka'), 'python3-confluent-kafka');
    broker = await startBroker({ topics: { 'ck-tx': 2, 'ck-src': 1 }, config: { 'group.initial.rebalance.delay.ms': 0 } });
  });
  after(() => broker?.stop());

  test('commit, abort, send_offsets_to_transaction; read_committed sees exactly the committed records', async () => {
    const out = await python<{ committed: string[]; uncommitted: number; offset: number; version: string }>(
      `
import sys, json
from confluent_kafka import Producer, Consumer, TopicPartition, version, libversion
b = sys.argv[1]
p = Producer({'bootstrap.servers': b, 'transactional.id': 'ck-1', 'transaction.timeout.ms': 30000})
p.init_transactions(20)
group = Consumer({'bootstrap.servers': b, 'group.id': 'ck-group', 'enable.auto.commit': False, 'auto.offset.reset': 'earliest'})
meta = group.consumer_group_metadata()
p.begin_transaction()
for i in range(5): p.produce('ck-tx', value=('c%d' % i).encode(), partition=i % 2)
p.send_offsets_to_transaction([TopicPartition('ck-src', 0, 17)], meta, 20)
p.commit_transaction(20)
p.begin_transaction()
for i in range(4): p.produce('ck-tx', value=('a%d' % i).encode(), partition=i % 2)
p.send_offsets_to_transaction([TopicPartition('ck-src', 0, 99)], meta, 20)
p.flush(10)
p.abort_transaction(20)
p.begin_transaction()
p.produce('ck-tx', value=b'c5', partition=0)
p.commit_transaction(20)

def read(level):
    c = Consumer({'bootstrap.servers': b, 'group.id': 'reader-' + level, 'isolation.level': level,
                  'auto.offset.reset': 'earliest', 'enable.partition.eof': True})
    c.assign([TopicPartition('ck-tx', 0, 0), TopicPartition('ck-tx', 1, 0)])
    got = []; eof = set()
    while len(eof) < 2:
        m = c.poll(10)
        if m is None: raise SystemExit('no message or EOF in 10 s')
        if m.error():
            if m.error().code() == -191: eof.add(m.partition()); continue
            raise SystemExit(str(m.error()))
        got.append(m.value().decode())
    c.close()
    return got

committed = read('read_committed')
uncommitted = read('read_uncommitted')
offset = group.committed([TopicPartition('ck-src', 0)], 10)[0].offset
group.close()
print(json.dumps({'committed': sorted(committed), 'uncommitted': len(uncommitted), 'offset': offset, 'version': version()[0] + '/' + libversion()[0]}))
`,
      broker.bootstrap,
      90_000,
    );
    assert.deepEqual(out.committed, ['c0', 'c1', 'c2', 'c3', 'c4', 'c5']);
    assert.equal(out.uncommitted, 10, 'read_uncommitted also sees the 4 aborted records');
    assert.equal(out.offset, 17, 'the aborted transaction did not commit its offset');
    console.log(`confluent-kafka/librdkafka ${out.version} (${pythonModuleVersion('confluent_kafka')})`);
  });

  test('a second producer with the same transactional.id fences the first', async () => {
    const out = await python<{ fenced: boolean; error: string; committed: string[] }>(
      `
import sys, json
from confluent_kafka import Producer, Consumer, TopicPartition, KafkaException
b = sys.argv[1]
p1 = Producer({'bootstrap.servers': b, 'transactional.id': 'ck-fence'})
p1.init_transactions(20)
p1.begin_transaction()
p1.produce('ck-tx', value=b'zombie', partition=1)
p1.flush(10)
p2 = Producer({'bootstrap.servers': b, 'transactional.id': 'ck-fence'})
p2.init_transactions(30)
p2.begin_transaction()
p2.produce('ck-tx', value=b'winner', partition=1)
p2.commit_transaction(20)
fenced = False; error = ''
try:
    p1.commit_transaction(20)
except KafkaException as e:
    error = str(e.args[0].name())
    fenced = e.args[0].fatal() or 'FENCED' in error or 'EPOCH' in error
c = Consumer({'bootstrap.servers': b, 'group.id': 'fence-reader', 'isolation.level': 'read_committed', 'enable.partition.eof': True})
c.assign([TopicPartition('ck-tx', 1, 0)])
got = []
while True:
    m = c.poll(10)
    if m is None: raise SystemExit('timeout')
    if m.error():
        if m.error().code() == -191: break
        raise SystemExit(str(m.error()))
    got.append(m.value().decode())
c.close()
print(json.dumps({'fenced': fenced, 'error': error, 'committed': [v for v in got if v in ('zombie', 'winner')]}))
`,
      broker.bootstrap,
      90_000,
    );
    assert.ok(out.fenced, `the first producer is fenced (${out.error})`);
    assert.deepEqual(out.committed, ['winner']);
  });
});
