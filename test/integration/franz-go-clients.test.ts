// franz-go (test/go: kgo and kadm at the versions go.mod pins) against kafkalite: kgo's
// producer with each compression codec, acks=all (idempotent, franz-go's default), acks=1 and
// acks=0, record headers; direct partition consuming; consumer groups with the classic
// protocol (cooperative-sticky) and with KIP-848's ConsumerGroupHeartbeat (kgo.ServerSideBalancer);
// and kgo.GroupTransactSession consume-transform-produce, checked for exactly-once output.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { batchesUseCodec } from '../../protocol/records/batch.js';
import { franz, franzBinary } from '../go/franz.js';

interface Rec {
  p: number;
  o: number;
  k: string;
  v: string;
  h?: Record<string, string>;
}

interface GroupRun {
  members: Array<{
    partitions: number[];
    read: number;
    joinGroup: number;
    syncGroup: number;
    consumerGroupHeartbeat: number;
    generation: number;
  }>;
  distinct: number;
  duplicates: number;
  committed: Record<string, number>;
  describe: { state: string; protocolType: string; protocol: string; members: number; err: string };
}

const CODECS = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const;

describe('franz-go (kgo) against kafkalite', () => {
  let broker: Broker;
  before(async () => {
    await franzBinary();
    broker = await startBroker({
      topics: { 'fz-codecs': 3, 'fz-acks': 1, 'fz-classic': 4, 'fz-848': 4, 'fz-rx-1': 4, 'fz-in': 3, 'fz-out': 3 },
      config: { 'group.initial.rebalance.delay.ms': 0, 'group.consumer.heartbeat.interval.ms': 500 },
    });
  });
  after(() => broker?.stop());

  test('produce with every codec and headers (idempotent, acks=all), read back by partition', async () => {
    const rec = broker.requests.record({ api: 'Produce', topic: 'fz-codecs' });
    for (const codec of Object.keys(CODECS)) {
      const out = await franz<{ produced: number; producerId: number; partitions: Record<string, { count: number }> }>(
        'produce',
        broker.bootstrap,
        [...['-topic', 'fz-codecs', '-n', '20', '-codec', codec, '-prefix', `${codec}-`]],
      );
      assert.equal(out.produced, 20);
      assert.ok(out.producerId >= 0, 'acks=all is idempotent: the records carry a producer id');
    }
    rec.stop();
    const batches = rec.entries.flatMap((e) => {
      const req = e.request as { acks: number; topicData: Array<{ partitionData: Array<{ records: Buffer | null }> }> };
      assert.equal(req.acks, -1);
      return req.topicData.flatMap((t) => t.partitionData.map((p) => p.records!));
    });
    for (const [name, id] of Object.entries(CODECS)) assert.ok(batchesUseCodec(batches, id), `a produced batch used ${name}`);

    const { records } = await franz<{ records: Rec[] }>('consume', broker.bootstrap, ['-topic', 'fz-codecs', '-n', '100']);
    assert.equal(records.length, 100);
    for (const codec of Object.keys(CODECS)) {
      const mine = records.filter((r) => r.v.startsWith(`${codec}-`));
      assert.equal(mine.length, 20, codec);
      for (const r of mine) {
        const i = r.v.slice(codec.length + 1);
        assert.deepEqual([r.k, r.h], [`k${i}`, { i, codec }]);
      }
    }
    // keyed records: franz-go's default partitioner hashes the key (murmur2), so one key stays on one partition
    const byKey = new Map<string, Set<number>>();
    for (const r of records) byKey.set(r.k, (byKey.get(r.k) ?? new Set()).add(r.p));
    assert.ok([...byKey.values()].every((ps) => ps.size === 1));
    assert.ok(new Set(records.map((r) => r.p)).size > 1, 'the keys spread over several partitions');
  });

  test('acks=1 and acks=0 (not idempotent) to one partition, read with ConsumePartitions at read_committed', async () => {
    const leader = await franz<{ producerId: number; partitions: Record<string, { first: number; last: number }> }>(
      'produce',
      broker.bootstrap,
      [...['-topic', 'fz-acks', '-n', '5', '-acks', 'leader', '-partition', '0', '-prefix', 'one-', '-codec', 'lz4']],
    );
    assert.deepEqual(leader.partitions['0'], { first: 0, last: 4, count: 5 });
    assert.equal(leader.producerId, -1);
    await franz('produce', broker.bootstrap, ['-topic', 'fz-acks', '-n', '5', '-acks', 'none', '-partition', '0', '-prefix', 'zero-']);
    const { records } = await franz<{ records: Rec[] }>('consume', broker.bootstrap, [
      ...['-topic', 'fz-acks', '-n', '10', '-partitions', '0', '-isolation', 'committed'],
    ]);
    assert.deepEqual(
      records.map((r) => `${r.o}:${r.v}`),
      ['one-0', 'one-1', 'one-2', 'one-3', 'one-4', 'zero-0', 'zero-1', 'zero-2', 'zero-3', 'zero-4'].map((v, o) => `${o}:${v}`),
    );
  });

  for (const protocol of ['classic', 'consumer'] as const) {
    test(`consumer group, ${protocol} protocol: a second member joins, partitions are shared, every record read once and committed`, async () => {
      const topic = protocol === 'classic' ? 'fz-classic' : 'fz-848';
      const out = await franz<GroupRun>('group', broker.bootstrap, [
        '-topic',
        topic,
        '-group',
        `fz-${protocol}`,
        '-n',
        '200',
        '-protocol',
        protocol,
      ]);
      assert.equal(out.distinct, 200);
      assert.equal(out.duplicates, 0, 'members commit before they give partitions up');
      assert.deepEqual(out.committed, { 0: 50, 1: 50, 2: 50, 3: 50 });
      assert.deepEqual(out.members.map((m) => m.partitions.length).sort(), [2, 2]);
      assert.deepEqual(out.members.flatMap((m) => m.partitions).sort(), [0, 1, 2, 3]);
      assert.ok(out.members.every((m) => m.read > 0 && m.generation > 0));
      if (protocol === 'classic') {
        assert.ok(out.members.every((m) => m.joinGroup > 0 && m.syncGroup > 0 && m.consumerGroupHeartbeat === 0));
        assert.deepEqual(out.describe, { state: 'Stable', protocolType: 'consumer', protocol: 'cooperative-sticky', members: 2, err: '' });
      } else {
        assert.ok(
          out.members.every((m) => m.consumerGroupHeartbeat > 0 && m.joinGroup === 0),
          `franz-go spoke KIP-848 (ConsumerGroupHeartbeat), not JoinGroup: ${JSON.stringify(out.members)}`,
        );
        assert.equal(out.describe.state, 'Dead', 'DescribeGroups does not describe a consumer-protocol group');
      }
    });
  }

  test('KIP-848 with a regex subscription (kgo.ConsumeRegex sends SubscribedTopicRegex): the broker resolves it', async () => {
    const rec = broker.requests.record({ api: 'ConsumerGroupHeartbeat' });
    const out = await franz<GroupRun>('group', broker.bootstrap, [
      ...['-topic', 'fz-rx-1', '-regex', 'fz-rx-[0-9]', '-group', 'fz-rx', '-n', '100', '-protocol', 'consumer'],
    ]);
    rec.stop();
    assert.deepEqual([out.distinct, out.duplicates], [100, 0]);
    assert.deepEqual(out.committed, { 0: 25, 1: 25, 2: 25, 3: 25 });
    assert.deepEqual(out.members.flatMap((m) => m.partitions).sort(), [0, 1, 2, 3]);
    const joins = rec.entries.filter((e) => (e.request as { memberEpoch: number }).memberEpoch === 0);
    assert.equal(joins.length, 2);
    for (const j of joins) {
      const req = j.request as { subscribedTopicRegex: string | null; subscribedTopicNames: string[] | null };
      assert.equal(j.version, 1);
      assert.match(req.subscribedTopicRegex ?? '', /fz-rx-\[0-9\]/);
      assert.equal(req.subscribedTopicNames, null);
    }
  });

  test('GroupTransactSession: consume-transform-produce, one transaction aborted, output exactly once', async () => {
    const out = await franz<{
      commits: number;
      aborts: number;
      abortedRecords: number;
      committedDistinct: number;
      committedExactlyOnce: number;
      uncommittedTotal: number;
      outEndOffsets: number;
      groupOffsets: Record<string, number>;
      txnState: string;
    }>('eos', broker.bootstrap, ['-in', 'fz-in', '-out', 'fz-out', '-group', 'fz-eos', '-n', '60']);
    assert.equal(out.aborts, 1);
    assert.ok(out.abortedRecords > 0 && out.commits > 0);
    assert.equal(out.committedDistinct, 60);
    assert.equal(out.committedExactlyOnce, 60, 'read_committed sees each transformed record once');
    assert.equal(out.uncommittedTotal, 60 + out.abortedRecords, 'read_uncommitted also sees the aborted ones');
    assert.deepEqual(out.groupOffsets, { 0: 20, 1: 20, 2: 20 });
    assert.equal(out.txnState, 'CompleteCommit');
  });
});
