// Consumer groups with librdkafka 2.0.2 (Debian python3-confluent-kafka 1.7.0 and kcat 1.7.1)
// against an in-process broker over TCP: balanced groups with the eager and the
// cooperative-sticky assignors, `kcat -G`, and static membership (group.instance.id): a
// restarted static member rejoins within its session timeout without a rebalance.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { DescribeGroups, OffsetFetch } from '../../protocol/messages/index.js';
import { hasCommand, hasPythonModule, python, requireTool, run } from './helpers.js';
import { WireClient } from './wire-client.js';

const PRELUDE = `
import sys, json, time
from confluent_kafka import Consumer, Producer
bs = sys.argv[1]
def produce(topic, n, start=0, partitions=4):
    p = Producer({'bootstrap.servers': bs})
    for i in range(start, start + n):
        p.produce(topic, key=b'k%d' % i, value=b'v%d' % i, partition=i % partitions)
    p.flush(30)
def consumer(group, **extra):
    conf = {'bootstrap.servers': bs, 'group.id': group, 'auto.offset.reset': 'earliest', 'enable.partition.eof': False}
    conf.update(extra)
    return Consumer(conf)
def deadline(seconds):
    end = time.time() + seconds
    return lambda: time.time() < end
def parts(c):
    return sorted(tp.partition for tp in c.assignment())
`;

describe('consumer groups: librdkafka (confluent-kafka, kcat)', () => {
  let broker: Broker;
  before(async () => {
    requireTool(() => hasPythonModule('confluent_kafka'), 'python3-confluent-kafka');
    requireTool(() => hasCommand('kcat'), 'kcat');
    broker = await startBroker({ topics: { 'rk-range': 4, 'rk-coop': 4, 'rk-kcat': 2, 'rk-static': 4 } });
  });
  after(() => broker?.stop());

  for (const [strategy, topic] of [
    ['range', 'rk-range'],
    ['cooperative-sticky', 'rk-coop'],
  ] as const) {
    test(`two members with partition.assignment.strategy=${strategy} split the topic and read every message once`, async () => {
      const out = await python<{
        a: number[];
        b: number[];
        got: Record<string, string[]>;
        protocol: string;
        state: string;
        members: number;
      }>(
        `${PRELUDE}
a = consumer('${topic}-group', **{'partition.assignment.strategy': '${strategy}', 'client.id': 'a'})
b = consumer('${topic}-group', **{'partition.assignment.strategy': '${strategy}', 'client.id': 'b'})
a.subscribe(['${topic}']); b.subscribe(['${topic}'])
got = {'a': [], 'b': []}
def step():
    for name, c in (('a', a), ('b', b)):
        m = c.poll(0.05)
        if m is not None and not m.error():
            got[name].append('%d:%d' % (m.partition(), m.offset()))
alive = deadline(40)
while alive() and not (parts(a) and parts(b) and sorted(parts(a) + parts(b)) == [0, 1, 2, 3]):
    step()
pa, pb = parts(a), parts(b)
produce('${topic}', 200)
alive = deadline(40)
while alive() and len(got['a']) + len(got['b']) < 200:
    step()
from confluent_kafka.admin import AdminClient
described = AdminClient({'bootstrap.servers': bs}).list_groups('${topic}-group', timeout=10)[0]
a.close(); b.close()
print(json.dumps({'a': pa, 'b': pb, 'got': got, 'protocol': described.protocol, 'state': described.state, 'members': len(described.members)}))
`,
        broker.bootstrap,
        120_000,
      );
      assert.ok(out.a.length > 0 && out.b.length > 0, JSON.stringify([out.a, out.b]));
      assert.deepEqual([...out.a, ...out.b].sort(), [0, 1, 2, 3]);
      const all = [...out.got['a']!, ...out.got['b']!];
      assert.equal(all.length, 200);
      assert.equal(new Set(all).size, 200, 'every message exactly once');
      for (const x of out.got['a']!) assert.ok(out.a.includes(Number(x.split(':')[0])));
      for (const x of out.got['b']!) assert.ok(out.b.includes(Number(x.split(':')[0])));
      // librdkafka's DescribeGroups (AdminClient.list_groups) while both were members.
      assert.deepEqual([out.protocol, out.state, out.members], [strategy, 'Stable', 2]);
    });
  }

  test('kcat -G reads everything as a group member and commits', async () => {
    const input = `${Array.from({ length: 10 }, (_, i) => `k${i}:v${i}`).join('\n')}\n`;
    assert.equal((await run('kcat', ['-b', broker.bootstrap, '-P', '-t', 'rk-kcat', '-K:'], { input })).code, 0);
    const r = await run('kcat', ['-b', broker.bootstrap, '-G', 'kcat-group', '-o', 'beginning', '-e', '-f', '%s\n', 'rk-kcat'], {
      timeoutMs: 60_000,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n').sort(), Array.from({ length: 10 }, (_, i) => `v${i}`).sort());
    assert.match(r.stderr, /Group kcat-group rebalanced .*assigned: rk-kcat \[0\], rk-kcat \[1\]/);
    const c = await WireClient.connect(broker.bootstrap);
    try {
      const res = await c.send(OffsetFetch, 7, {
        groupId: 'kcat-group',
        topics: [{ name: 'rk-kcat', partitionIndexes: [0, 1] }],
        requireStable: true,
      });
      const committed = res.topics[0]!.partitions.map((p) => p.committedOffset);
      assert.equal(committed[0]! + committed[1]!, 10);
    } finally {
      await c.close();
    }
  });

  test('static membership: members restarted with the same group.instance.id rejoin within the session timeout without a rebalance', async () => {
    const phase = (first: boolean) =>
      python<{ a: number[]; b: number[]; n: number }>(
        `${PRELUDE}
conf = {'session.timeout.ms': 30000, 'client.id': 'static'}
a = consumer('static-group', **{'group.instance.id': 'instance-a', **conf})
b = consumer('static-group', **{'group.instance.id': 'instance-b', **conf})
a.subscribe(['rk-static']); b.subscribe(['rk-static'])
n = 0
def step():
    global n
    for c in (a, b):
        m = c.poll(0.05)
        if m is not None and not m.error(): n += 1
alive = deadline(40)
while alive() and not (parts(a) and parts(b) and sorted(parts(a) + parts(b)) == [0, 1, 2, 3]):
    step()
pa, pb = parts(a), parts(b)
produce('rk-static', 40, start=${first ? 0 : 40})
alive = deadline(40)
while alive() and n < 40:
    step()
a.close(); b.close()
print(json.dumps({'a': pa, 'b': pb, 'n': n}))
`,
        broker.bootstrap,
        120_000,
      );
    const one = await phase(true);
    assert.equal(one.n, 40);
    const g = broker.core.groups.classicGroup('static-group')!;
    assert.equal(g.state, 'Stable', 'static members do not leave on close');
    const generation = g.generationId;
    const membersBefore = [...g.staticMembers.entries()].sort();
    assert.deepEqual(
      membersBefore.map(([inst]) => inst),
      ['instance-a', 'instance-b'],
    );

    const two = await phase(false);
    assert.equal(two.n, 40, 'the restarted members read the new messages (from the committed offsets)');
    assert.deepEqual([two.a, two.b], [one.a, one.b], 'each instance gets its partitions back');
    assert.equal(g.generationId, generation, 'no rebalance: the generation did not change');
    const membersAfter = [...g.staticMembers.entries()].sort();
    assert.notDeepEqual(
      membersAfter.map(([, id]) => id),
      membersBefore.map(([, id]) => id),
      'new member ids replaced the old ones',
    );
    const c = await WireClient.connect(broker.bootstrap);
    try {
      const d = await c.send(DescribeGroups, 4, { groups: ['static-group'] });
      assert.equal(d.groups[0]!.groupState, 'Stable');
      assert.deepEqual(d.groups[0]!.members.map((m) => m.groupInstanceId).sort(), ['instance-a', 'instance-b']);
      assert.deepEqual(d.groups[0]!.members.map((m) => m.memberId).sort(), membersAfter.map(([, id]) => id).sort());
    } finally {
      await c.close();
    }
  });
});
