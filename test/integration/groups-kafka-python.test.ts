// Consumer groups with kafka-python (Debian python3-kafka 2.0.2, JoinGroup v2 / OffsetCommit v2)
// against an in-process broker over TCP: group consumption, two members splitting a topic,
// two groups each reading everything, pattern subscriptions that pick up new topics, manual
// and automatic commits that a later consumer resumes from.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { OffsetFetch } from '../../protocol/messages/index.js';
import { hasPythonModule, python, requireTool } from './helpers.js';
import { WireClient } from './wire-client.js';

const PRELUDE = `
import sys, json, time, threading
from kafka import KafkaProducer, KafkaConsumer, TopicPartition
from kafka.admin import KafkaAdminClient, NewTopic
bs = sys.argv[1]
def produce(topic, n, start=0, partitions=None):
    p = KafkaProducer(bootstrap_servers=bs)
    for i in range(start, start + n):
        kw = {'partition': i % partitions} if partitions else {}
        p.send(topic, key=b'k%d' % i, value=b'v%d' % i, **kw)
    p.flush(); p.close()
def deadline(seconds):
    end = time.time() + seconds
    return lambda: time.time() < end
`;

describe('consumer groups: kafka-python', () => {
  let broker: Broker;
  before(async () => {
    requireTool(() => hasPythonModule('kafka'), 'python3-kafka');
    broker = await startBroker({ topics: { 'my-topic': 4, 'split-topic': 4, 'both-topic': 2, 'manual-topic': 1, 'auto-topic': 1 } });
  });
  after(() => broker?.stop());

  test("KafkaConsumer('my-topic', group_id='my-group') consumes everything and commits", async () => {
    const out = await python<{ values: string[]; committed: number[] }>(
      `${PRELUDE}
produce('my-topic', 40, partitions=4)
c = KafkaConsumer('my-topic', group_id='my-group', bootstrap_servers=bs, auto_offset_reset='earliest')
values = []
alive = deadline(40)
while len(values) < 40 and alive():
    for tp, ms in c.poll(timeout_ms=500).items():
        values += [m.value.decode() for m in ms]
c.commit()
committed = [c.committed(TopicPartition('my-topic', p)) for p in range(4)]
c.close()
print(json.dumps({'values': sorted(values, key=lambda v: int(v[1:])), 'committed': committed}))
`,
      broker.bootstrap,
    );
    assert.deepEqual(
      out.values,
      Array.from({ length: 40 }, (_, i) => `v${i}`),
    );
    assert.deepEqual(out.committed, [10, 10, 10, 10]);
    const g = broker.core.groups.classicGroup('my-group')!;
    assert.equal(g.state, 'Empty', 'close() leaves the group');
    assert.equal(g.protocolType, 'consumer');
  });

  test('two consumers in one group split a 4-partition topic and together read every message exactly once', async () => {
    const out = await python<{ parts: Record<string, number[]>; got: Record<string, Array<[number, number]>>; total: number }>(
      `${PRELUDE}
lock = threading.Lock()
state = {'produced': False, 'seen': 0}
parts = {}
got = {'a': [], 'b': []}
consumers = {n: KafkaConsumer('split-topic', group_id='split-group', bootstrap_servers=bs, auto_offset_reset='earliest', client_id=n) for n in ('a', 'b')}
def run(name):
    c = consumers[name]
    alive = deadline(60)
    while alive():
        with lock:
            if state['produced'] and state['seen'] >= 200: break
        for tp, ms in c.poll(timeout_ms=200).items():
            with lock:
                got[name] += [[m.partition, m.offset] for m in ms]
                state['seen'] += len(ms)
        with lock:
            parts[name] = sorted(tp.partition for tp in c.assignment())
ts = [threading.Thread(target=run, args=(n,)) for n in ('a', 'b')]
for t in ts: t.start()
alive = deadline(40)
while alive():
    with lock:
        a, b = parts.get('a', []), parts.get('b', [])
        if a and b and sorted(a + b) == [0, 1, 2, 3]: break
    time.sleep(0.1)
produce('split-topic', 200, partitions=4)
with lock: state['produced'] = True
for t in ts: t.join()
for c in consumers.values(): c.close()
print(json.dumps({'parts': parts, 'got': got, 'total': state['seen']}))
`,
      broker.bootstrap,
      90_000,
    );
    const a = out.parts['a']!;
    const b = out.parts['b']!;
    assert.ok(a.length > 0 && b.length > 0, `both got partitions: ${JSON.stringify(out.parts)}`);
    assert.deepEqual([...a, ...b].sort(), [0, 1, 2, 3]);
    const all = [...out.got['a']!, ...out.got['b']!].map(([p, o]) => `${p}:${o}`);
    assert.equal(all.length, 200);
    assert.equal(new Set(all).size, 200, 'no message twice');
    for (const [p] of out.got['a']!) assert.ok(a.includes(p), `a read only its partitions (${p})`);
    for (const [p] of out.got['b']!) assert.ok(b.includes(p), `b read only its partitions (${p})`);
  });

  test('two groups each receive everything', async () => {
    const out = await python<Record<string, number>>(
      `${PRELUDE}
produce('both-topic', 30)
counts = {}
for g in ('group-one', 'group-two'):
    c = KafkaConsumer('both-topic', group_id=g, bootstrap_servers=bs, auto_offset_reset='earliest')
    n = 0
    alive = deadline(30)
    while n < 30 and alive():
        n += sum(len(ms) for ms in c.poll(timeout_ms=500).values())
    c.close()
    counts[g] = n
print(json.dumps(counts))
`,
      broker.bootstrap,
    );
    assert.deepEqual(out, { 'group-one': 30, 'group-two': 30 });
  });

  test("subscribe(pattern='^my.*') picks up matching topics, including one created after subscribing", async () => {
    const out = await python<{ topics: string[]; before: string[] }>(
      `${PRELUDE}
produce('my-pattern-a', 5)
produce('not-mine', 5)
c = KafkaConsumer(group_id='pattern-group', bootstrap_servers=bs, auto_offset_reset='earliest', metadata_max_age_ms=500)
c.subscribe(pattern='^my-pattern.*')
seen = set()
alive = deadline(30)
while 'my-pattern-a' not in seen and alive():
    for tp, ms in c.poll(timeout_ms=300).items():
        seen |= {m.topic for m in ms}
before = sorted(seen)
KafkaAdminClient(bootstrap_servers=bs).create_topics([NewTopic('my-pattern-b', 2, 1)])
produce('my-pattern-b', 5)
alive = deadline(40)
while 'my-pattern-b' not in seen and alive():
    for tp, ms in c.poll(timeout_ms=300).items():
        seen |= {m.topic for m in ms}
c.close()
print(json.dumps({'topics': sorted(seen), 'before': before}))
`,
      broker.bootstrap,
      90_000,
    );
    assert.deepEqual(out.before, ['my-pattern-a']);
    assert.deepEqual(out.topics, ['my-pattern-a', 'my-pattern-b']);
  });

  test('enable_auto_commit=False + commit(): a new consumer resumes right after; auto-commit resumes after a restart too', async () => {
    const out = await python<{ manual: { first: number[]; second: number[] }; auto: { first: number[]; second: number[] } }>(
      `${PRELUDE}
def read(topic, group, n, **kw):
    c = KafkaConsumer(topic, group_id=group, bootstrap_servers=bs, auto_offset_reset='earliest', **kw)
    offs = []
    alive = deadline(30)
    while len(offs) < n and alive():
        for tp, ms in c.poll(timeout_ms=300, max_records=n - len(offs)).items():
            offs += [m.offset for m in ms]
    return c, offs
res = {}
produce('manual-topic', 10)
c, first = read('manual-topic', 'manual-group', 6, enable_auto_commit=False)
c.commit()
c.close(autocommit=False)
produce('manual-topic', 10, start=10)
c, second = read('manual-topic', 'manual-group', 14, enable_auto_commit=False)
c.close(autocommit=False)
res['manual'] = {'first': first, 'second': second}
produce('auto-topic', 10)
c, first = read('auto-topic', 'auto-group', 7, enable_auto_commit=True, auto_commit_interval_ms=100)
c.close()
c, second = read('auto-topic', 'auto-group', 3, enable_auto_commit=True)
c.close()
res['auto'] = {'first': first, 'second': second}
print(json.dumps(res))
`,
      broker.bootstrap,
      90_000,
    );
    assert.deepEqual(out.manual.first, [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(
      out.manual.second,
      Array.from({ length: 14 }, (_, i) => i + 6),
      'resumes at the committed offset 6',
    );
    assert.deepEqual(out.auto.first, [0, 1, 2, 3, 4, 5, 6]);
    assert.deepEqual(out.auto.second, [7, 8, 9]);
    const c = await WireClient.connect(broker.bootstrap);
    try {
      const res = await c.send(OffsetFetch, 3, { groupId: 'manual-group', topics: [{ name: 'manual-topic', partitionIndexes: [0] }] });
      assert.equal(res.topics[0]!.partitions[0]!.committedOffset, 6, 'close(autocommit=False) committed nothing more');
    } finally {
      await c.close();
    }
  });
});
