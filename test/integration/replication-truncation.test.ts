// Truncation on the simulated replicas (issue 18): an unclean election makes the new leader's log
// the truth (the records it lacked truncated, the epoch cache cut, KIP-320 answers from
// OffsetForLeaderEpoch and Fetch v12+ diverging_epoch over a raw wire client), librdkafka 2.16
// (PyPI confluent-kafka; Debian's 2.0.2 predates KIP-320) detecting that truncation, and a lagging
// follower serving consumers only up to its own log end. The Java consumer's detection runs in
// replication.test.ts's one JVM run. One in-process 3-node broker for the whole file.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Broker } from '../../broker/index.js';
import type { ControlServer } from '../../broker/control/index.js';
import { CreateTopics, ListOffsets, OffsetForLeaderEpoch } from '../../protocol/messages/index.js';
import { venvPython } from '../python/venv.js';
import { fetchPartition0, startReplicated, stopReplicated } from './replication-helpers.js';
import { WireClient } from './wire-client.js';

describe('truncation on simulated replicas (RF 3 over 3 nodes)', () => {
  let broker: Broker;
  let control: ControlServer;
  let client: WireClient;

  before(async () => {
    ({ broker, control, client } = await startReplicated({
      config: { 'replica.lag.time.max.ms': '1000' },
      topics: {
        lagged: { partitions: 1, replicationFactor: 3 },
        'truncated-rd': { partitions: 1, replicationFactor: 3, configs: { 'unclean.leader.election.enable': 'true' } },
      },
    }));
  });
  after(() => stopReplicated({ client, control, broker }));

  const partition = (topic: string) => broker.core.topics.partition(topic, 0)!;

  test('a lagging follower (nodes.lag) serves consumers up to its own log end: empty there, OFFSET_OUT_OF_RANGE past it (Kafka’s follower UnifiedLog.read)', async () => {
    const p = partition('lagged');
    const follower = p.replicaSet.replicas.find((id) => id !== p.leaderId)!;
    broker.produce('lagged', ['x0', 'x1']);
    const start = p.highWatermark;
    broker.nodes.lag(follower, 600_000);
    const node = await WireClient.connect(broker.brokers[follower - 1]!);
    const fetchAt = (fetchOffset: number) => fetchPartition0(node, 'lagged', fetchOffset);
    try {
      broker.produce('lagged', ['x2', 'x3']);
      await broker.waitFor.isr('lagged', 0, 2);
      assert.equal(p.highWatermark, start + 2, 'the ISR without the follower has x2, x3');
      const atEnd = await fetchAt(start);
      assert.deepEqual(
        [atEnd.errorCode, atEnd.highWatermark, atEnd.records?.length ?? 0],
        [0, start, 0],
        'at its log end: empty, its own HW',
      );
      const past = await fetchAt(start + 1);
      assert.deepEqual([past.errorCode, past.highWatermark, past.logStartOffset], [1, -1, -1], 'OFFSET_OUT_OF_RANGE past its log end');
      const before = await fetchAt(0);
      assert.deepEqual([before.errorCode, before.highWatermark], [0, start]);
      assert.ok((before.records?.length ?? 0) > 0, 'what it has, it serves');
    } finally {
      await node.close();
      broker.nodes.lag(follower, 0);
    }
    await broker.waitFor.isr('lagged', 0, 3);
  });

  test('librdkafka 2.16 (confluent-kafka, PyPI): consumers detect an unclean election’s truncation (KIP-320)', async () => {
    const out = await venvPython<Record<string, unknown>>(
      `
import json, sys, time, urllib.request
from confluent_kafka import Producer, Consumer, TopicPartition, libversion
bs, ctl, topic = sys.argv[1], '${control.url}/control/v1', 'truncated-rd'
def call(method, path):
    req = urllib.request.Request(ctl + path, data=b'{}' if method == 'POST' else None, method=method, headers={'content-type': 'application/json'})
    return json.loads(urllib.request.urlopen(req).read() or b'null')
start = call('GET', '/partitions/' + topic)[0]
leader = start['leader']
other, lagging = [n for n in start['replicas'] if n != leader]
p = Producer({'bootstrap.servers': bs, 'acks': 1, 'enable.idempotence': False})
def send(v):
    got = []
    p.produce(topic, value=v.encode(), partition=0, on_delivery=lambda e, m: got.append(str(e) if e else m.offset()))
    p.flush(30)
    return got[0]
send('a'); send('b')
call('POST', '/nodes/%d/pause' % lagging)
send('c'); send('d')
deadline = time.time() + 30
while len(call('GET', '/partitions/' + topic)[0]['isr']) != 2 and time.time() < deadline: time.sleep(0.1)
def consumer(reset):
    c = Consumer({'bootstrap.servers': bs, 'group.id': 'rd-trunc-' + reset, 'enable.auto.commit': False, 'auto.offset.reset': reset,
                  'topic.metadata.refresh.interval.ms': 500, 'reconnect.backoff.max.ms': 200})
    c.assign([TopicPartition(topic, 0, 0)])
    return c
def poll(c, n):
    got, deadline = [], time.time() + 20
    while len(got) < n and time.time() < deadline:
        m = c.poll(0.2)
        if m is None: continue
        got.append('%s:%s' % (m.error().name(), m.error().str()) if m.error() else '%d:%s' % (m.offset(), m.value().decode()))
        if m.error(): break
    return got
error, earliest = consumer('error'), consumer('earliest')
before = [poll(error, 4), poll(earliest, 4)]
call('POST', '/nodes/%d/down' % leader)
call('POST', '/nodes/%d/down' % other)
after = call('GET', '/partitions/' + topic)[0]
produced = send('e')
result = {'rdkafka': libversion()[0], 'start': start, 'lagging': lagging, 'before': before, 'after': after, 'produced': produced,
          'error': poll(error, 1), 'earliest': poll(earliest, 1)}
call('POST', '/nodes/%d/resume' % lagging)
call('POST', '/nodes/%d/up' % leader)
call('POST', '/nodes/%d/up' % other)
error.close(); earliest.close()
print(json.dumps(result))
`,
      broker.bootstrap,
      90_000,
    );
    const t = out as { lagging: number; start: { leaderEpoch: number }; before: string[][]; after: Record<string, number> } & Record<
      string,
      unknown
    >;
    assert.deepEqual(t.before, [
      ['0:a', '1:b', '2:c', '3:d'],
      ['0:a', '1:b', '2:c', '3:d'],
    ]);
    assert.deepEqual([t.after.leader, t.after.leaderEpoch, t.after.logEndOffset], [t.lagging, t.start.leaderEpoch + 2, 2]);
    assert.equal(t.produced, 2);
    // auto.offset.reset=error: the truncation surfaces as _AUTO_OFFSET_RESET naming both offsets;
    // earliest: librdkafka resumes at the truncation point (as the Java consumer does), not at offset 0.
    assert.equal((t.error as string[]).length, 1);
    assert.match(
      (t.error as string[])[0]!,
      new RegExp(
        `^_AUTO_OFFSET_RESET:Partition log truncation detected at offset 4 \\(leader epoch ${t.start.leaderEpoch}\\): broker end offset is 2 \\(offset leader epoch ${t.start.leaderEpoch}\\)`,
      ),
    );
    assert.deepEqual(t.earliest, ['2:e']);
    await client.close();
    client = await WireClient.connect(broker.bootstrap);
  });

  test('unclean.leader.election.enable: with the ISR gone, an out-of-sync replica is elected (epoch bumped) and its log is the truth', async () => {
    const res = await client.send(CreateTopics, 7, {
      topics: [
        {
          name: 'unclean',
          numPartitions: -1,
          replicationFactor: -1,
          assignments: [{ partitionIndex: 0, brokerIds: [1, 2, 3] }],
          configs: [{ name: 'unclean.leader.election.enable', value: 'true' }],
        },
      ],
      timeoutMs: 30_000,
      validateOnly: false,
    });
    assert.equal(res.topics[0]!.errorCode, 0);
    const p = partition('unclean');
    broker.produce('unclean', ['a', 'b']);
    broker.nodes.pause(3);
    broker.produce('unclean', ['c', 'd']);
    await broker.waitFor.isr('unclean', 0, 2);
    const epoch = p.leaderEpoch;
    await broker.nodes.down(2);
    assert.deepEqual([p.leaderId, p.replicaSet.isr], [1, [1]]);
    assert.equal(p.log.logEndOffset, 4);
    await broker.nodes.down(1);
    assert.deepEqual([p.leaderId, p.replicaSet.isr, p.leaderEpoch], [3, [3], epoch + 1], 'node 3, out of sync, elected');
    // Node 3 had offsets 0-1 only: c and d are gone, the new epoch starts at 2 (Kafka's truncation to the new leader's log).
    assert.deepEqual([p.log.logEndOffset, p.highWatermark], [2, 2]);
    assert.deepEqual(p.leadership().epochs.at(-1), { epoch: epoch + 1, startOffset: 2 });
    broker.nodes.resume(3);
    await broker.nodes.up(1);
    await broker.nodes.up(2);
    assert.equal(p.leaderId, 3);
    assert.deepEqual(p.replicaSet.isr, [1, 2, 3], 'the others caught up and rejoined');
    await client.close();
    client = await WireClient.connect(broker.bootstrap);

    // Leader epochs (KIP-320) on the new leader: an older epoch is fenced, a newer one unknown, and
    // OffsetForLeaderEpoch ends the old epoch where the new one began.
    const leader = await WireClient.connect(broker.brokers[2]!);
    try {
      const latest = async (currentLeaderEpoch: number) =>
        (
          await leader.send(ListOffsets, 7, {
            replicaId: -1,
            isolationLevel: 0,
            topics: [{ name: 'unclean', partitions: [{ partitionIndex: 0, currentLeaderEpoch, timestamp: -1 }] }],
          })
        ).topics[0]!.partitions[0]!;
      assert.equal((await latest(epoch)).errorCode, 74, 'FENCED_LEADER_EPOCH');
      assert.equal((await latest(epoch + 2)).errorCode, 75, 'UNKNOWN_LEADER_EPOCH');
      assert.deepEqual([(await latest(epoch + 1)).errorCode, (await latest(epoch + 1)).offset], [0, p.highWatermark]);
      const ends = await leader.send(OffsetForLeaderEpoch, 4, {
        replicaId: -1,
        topics: [{ topic: 'unclean', partitions: [{ partition: 0, currentLeaderEpoch: epoch + 1, leaderEpoch: epoch }] }],
      });
      const end = ends.topics[0]!.partitions[0]!;
      assert.deepEqual([end.errorCode, end.leaderEpoch, end.endOffset], [0, epoch, 2]);
      // Fetch v12+ with the last fetched epoch (KIP-320): a fetcher at offset 4 in the old epoch has
      // diverged and is told where that epoch ends here; one at 2 reads on; an epoch the leader never
      // had is OFFSET_OUT_OF_RANGE (Kafka's Partition.readRecords).
      const fetchAt = (fetchOffset: number, lastFetchedEpoch: number) =>
        fetchPartition0(leader, 'unclean', fetchOffset, { currentLeaderEpoch: epoch + 1, lastFetchedEpoch });
      const diverged = await fetchAt(4, epoch);
      assert.deepEqual([diverged.errorCode, diverged.divergingEpoch, diverged.highWatermark], [0, { epoch, endOffset: 2 }, 2]);
      assert.equal(diverged.records?.length ?? 0, 0, 'no records with a diverging epoch');
      const agreed = await fetchAt(2, epoch);
      assert.deepEqual([agreed.errorCode, agreed.divergingEpoch], [0, { epoch: -1, endOffset: -1 }]);
      const unknown = await fetchAt(2, epoch + 5);
      assert.deepEqual([unknown.errorCode, unknown.highWatermark], [1, -1], 'OFFSET_OUT_OF_RANGE');
    } finally {
      await leader.close();
    }
  });
});
