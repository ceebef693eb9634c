// `kafkalite mirror` (issue 16) into a real Apache Kafka 4.4 broker (test/jvm/kafka.ts): a
// kafkalite with a plain topic (keys, headers, old CreateTime timestamps), a compacted topic
// whose cleaner has run and a transactional topic with aborted transactions, and two groups
// stopped part way (one Java consumer 4.4, one kafkajs), is mirrored with the CLI. Then: the
// topics exist on Kafka with the same partition counts and configs; Kafka's read_committed
// view of every partition is the source's, record for record (keys, values, headers,
// timestamps); both groups, switched to Kafka, read exactly the records they had not read on
// the source, none lost, none twice. --follow is stopped (SIGINT, then SIGKILL) and restarted
// with no record copied twice; the reverse pull (--from Kafka --max-records) samples Kafka's
// topics into a fresh kafkalite; and the throughput of 200k x 100 B records is measured.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { KafkaClient } from '../../bin/client/client.js';
import { Producer } from '../../bin/client/producer.js';
import { startKafka, type RealKafka } from '../jvm/kafka.js';
import { javaProgram, type Json } from './java-helpers.js';
import { REPO_ROOT, run } from './helpers.js';
import { COMPACT, kafkaFor, OLD_TS, PLAIN, TOPICS, TXN, writeWorkload } from './mirror-helpers.js';

const BIN = join(REPO_ROOT, 'dist', 'bin', 'kafkalite.js');

function mirrorCli(args: string[], timeoutMs = 120_000) {
  return run(process.execPath, [BIN, 'mirror', ...args], { timeoutMs });
}

/** Records of a dump or a consumer, per `topic-partition`, without the offsets (which differ). */
function byPartition(records: Json[]): Map<string, Json[]> {
  const out = new Map<string, Json[]>();
  for (const r of records) {
    const k = `${r.t}-${r.p}`;
    out.set(k, [...(out.get(k) ?? []), { k: r.k, v: r.v, ts: r.ts, h: r.h }]);
  }
  return out;
}

function sorted(m: Map<string, Json[]>): Array<[string, Json[]]> {
  return [...m].sort(([a], [b]) => (a < b ? -1 : 1));
}

async function dump(bootstrap: string, topics: string[]): Promise<Json[]> {
  return javaProgram('MirrorCheck', bootstrap, ['dump', topics.join(',')]);
}

/** kafkajs member of `groupId`: reads until it has `limit` records (committing each), or until idle for 1.5 s when limit is null. */
async function kafkajsConsume(bootstrap: string, groupId: string, limit: number | null): Promise<Json[]> {
  const consumer = kafkaFor(bootstrap, 'mirror-kafkajs').consumer({ groupId, maxWaitTimeInMs: 100, readUncommitted: false });
  const got: Json[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: TOPICS, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      let idle: NodeJS.Timeout | undefined;
      const arm = () => {
        if (limit !== null) return;
        clearTimeout(idle);
        idle = setTimeout(resolve, 1500);
      };
      consumer.on(consumer.events.GROUP_JOIN, arm);
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ topic, partition, message }) => {
            if (limit !== null && got.length >= limit) return;
            const h: Record<string, string> = {};
            for (const [k, v] of Object.entries(message.headers ?? {})) h[k] = String(v);
            got.push({
              t: topic,
              p: partition,
              o: Number(message.offset),
              k: message.key?.toString() ?? null,
              v: message.value?.toString() ?? null,
              ts: Number(message.timestamp),
              h,
            });
            await consumer.commitOffsets([{ topic, partition, offset: String(Number(message.offset) + 1) }]);
            if (limit !== null && got.length === limit) resolve();
            arm();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return got;
}

/** What a group should read next on the source: the dump from its committed offsets on. */
async function unread(bootstrap: string, groupId: string, sourceDump: Json[]): Promise<Map<string, Json[]>> {
  const admin = kafkaFor(bootstrap).admin();
  await admin.connect();
  const committed = new Map<string, number>();
  try {
    for (const t of await admin.fetchOffsets({ groupId, topics: TOPICS }))
      for (const p of t.partitions) committed.set(`${t.topic}-${p.partition}`, Number(p.offset));
  } finally {
    await admin.disconnect();
  }
  return byPartition(sourceDump.filter((r) => r.o >= (committed.get(`${r.t}-${r.p}`) ?? -1)));
}

describe('kafkalite mirror into Apache Kafka 4.4', () => {
  let source: Broker;
  let kafka: RealKafka;
  let sourceDump: Json[];
  const expected = new Map<string, Map<string, Json[]>>();

  before(async () => {
    [source, kafka] = await Promise.all([
      startBroker({ http: false, config: { 'log.cleaner.backoff.ms': 100, 'group.initial.rebalance.delay.ms': 0 } }),
      startKafka(),
    ]);
    await writeWorkload(source.bootstrap);
    sourceDump = await dump(source.bootstrap, TOPICS);
    // Two groups part way: a Java consumer took 100 records, a kafkajs one 150.
    const java = await javaProgram('MirrorCheck', source.bootstrap, ['consume', 'g-java', TOPICS.join(','), '100']);
    assert.equal(java.length, 100);
    const js = await kafkajsConsume(source.bootstrap, 'g-js', 150);
    assert.equal(js.length, 150);
    expected.set('g-java', await unread(source.bootstrap, 'g-java', sourceDump));
    expected.set('g-js', await unread(source.bootstrap, 'g-js', sourceDump));
  });
  after(async () => {
    await Promise.all([source?.stop(), kafka?.stop()]);
  });

  test('the workload has what the mirror must handle: compaction gaps, aborted records, markers', () => {
    const offsets = (topic: string) => sourceDump.filter((r) => r.t === topic && r.p === 0).map((r) => r.o as number);
    const compact = offsets(COMPACT);
    assert.ok(compact.length > 0 && compact.at(-1)! + 1 > compact.length, `compacted offsets have gaps: ${compact}`);
    const txn = sourceDump.filter((r) => r.t === TXN).map((r) => r.v as string);
    assert.ok(txn.length > 0 && txn.every((v) => v.startsWith('committed-')));
    const plain = sourceDump.filter((r) => r.t === PLAIN);
    assert.equal(plain.length, 300);
  });

  test('one command: topics, configs, records and both groups move; exit 0', async () => {
    const r = await mirrorCli(['--from', source.bootstrap, '--to', kafka.bootstrap]);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /groups translated: 2\/2/);
    assert.match(r.stdout, new RegExp(`records: ${sourceDump.length},`));

    const admin = kafkaFor(kafka.bootstrap).admin();
    await admin.connect();
    try {
      const md = await admin.fetchTopicMetadata({ topics: TOPICS });
      assert.deepEqual(md.topics.map((t) => [t.name, t.partitions.length]).sort(), [
        [COMPACT, 2],
        [PLAIN, 3],
        [TXN, 2],
      ]);
      const described = await admin.describeConfigs({
        resources: TOPICS.map((name) => ({ type: 2, name })),
        includeSynonyms: false,
      });
      const set = (topic: string) =>
        Object.fromEntries(
          described.resources
            .find((x) => x.resourceName === topic)!
            .configEntries.filter((e) => !e.isDefault)
            .map((e) => [e.configName, e.configValue]),
        );
      assert.equal(set(PLAIN)['retention.ms'], '315360000000');
      assert.equal(set(COMPACT)['cleanup.policy'], 'compact');
      assert.equal(set(COMPACT)['min.cleanable.dirty.ratio'], '0.01');
    } finally {
      await admin.disconnect();
    }
  });

  test("Kafka's read_committed view equals the source's: keys, values, headers, CreateTime timestamps", async () => {
    const target = await dump(kafka.bootstrap, TOPICS);
    assert.deepEqual(sorted(byPartition(target)), sorted(byPartition(sourceDump)));
    const first = target.find((r) => r.t === PLAIN && r.v === 'plain-0')!;
    assert.equal(first.ts, OLD_TS);
    assert.deepEqual(first.h, { trace: 't0', n: '0' });
    // Dense on the target: offsets 0..n-1 in every partition.
    for (const [, records] of byPartition(target.map((r) => ({ ...r, v: r.o }))))
      assert.deepEqual(
        records.map((r) => r.v),
        records.map((_, i) => i),
      );
  });

  test('the Java consumer (4.4), switched to Kafka, reads exactly what it had not read', async () => {
    const got = await javaProgram('MirrorCheck', kafka.bootstrap, ['consume', 'g-java', TOPICS.join(','), '-1']);
    assert.deepEqual(sorted(byPartition(got)), sorted(expected.get('g-java')!));
  });

  test('the kafkajs consumer, switched to Kafka, reads exactly what it had not read', async () => {
    const got = await kafkajsConsume(kafka.bootstrap, 'g-js', null);
    assert.deepEqual(sorted(byPartition(got)), sorted(expected.get('g-js')!));
  });

  test('running the mirror again copies nothing and leaves the moved groups where they are', async () => {
    const r = await mirrorCli(['--from', source.bootstrap, '--to', kafka.bootstrap]);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /records: 0,/);
    assert.match(r.stdout, /kept\)/, 'the groups now ahead on the target are not moved back');
    assert.deepEqual(sorted(byPartition(await dump(kafka.bootstrap, TOPICS))), sorted(byPartition(sourceDump)));
  });

  test('a target topic with fewer partitions is refused with a clear message and exit 1', async () => {
    const kafkajs = kafkaFor(source.bootstrap);
    const a = kafkajs.admin();
    await a.connect();
    await a.createTopics({ topics: [{ topic: 'mirror-wide', numPartitions: 4 }] });
    await a.disconnect();
    const b = kafkaFor(kafka.bootstrap).admin();
    await b.connect();
    await b.createTopics({ topics: [{ topic: 'mirror-wide', numPartitions: 2 }] });
    await b.disconnect();
    const r = await mirrorCli(['--from', source.bootstrap, '--to', kafka.bootstrap, '--topics', 'mirror-wide']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /error: the target's mirror-wide has 2 partition\(s\), the source's 4/);
  });

  test('--follow, stopped by SIGINT and then killed, resumes with no record lost or copied twice', async () => {
    const kafkajs = kafkaFor(source.bootstrap);
    const producer = kafkajs.producer();
    await producer.connect();
    const send = async (from: number, to: number) => {
      for (let i = from; i < to; i += 10)
        await producer.send({
          topic: 'mirror-live',
          messages: Array.from({ length: 10 }, (_, j) => ({ key: `k${(i + j) % 5}`, value: `live-${i + j}` })),
        });
    };
    const a = kafkajs.admin();
    await a.connect();
    await a.createTopics({ topics: [{ topic: 'mirror-live', numPartitions: 2 }] });
    await a.disconnect();
    const follow = () => {
      const child = spawn(
        process.execPath,
        [BIN, 'mirror', '--from', source.bootstrap, '--to', kafka.bootstrap, '--topics', 'mirror-live', '--follow'],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      return { child, exited, output: () => out };
    };
    const targetCount = async () => {
      const admin = kafkaFor(kafka.bootstrap).admin();
      await admin.connect();
      try {
        return (await admin.fetchTopicOffsets('mirror-live').catch(() => [])).reduce((n, p) => n + Number(p.high), 0);
      } finally {
        await admin.disconnect();
      }
    };
    const waitFor = async (n: number, mirror: { output: () => string }) => {
      for (let i = 0; i < 300 && (await targetCount()) < n; i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal(await targetCount(), n, mirror.output());
    };
    try {
      await send(0, 200);
      const first = follow();
      await waitFor(200, first);
      await send(200, 300);
      await waitFor(300, first);
      first.child.kill('SIGINT');
      assert.equal(await first.exited, 0, first.output());
      assert.match(first.output(), /records: 300,/);
      assert.match(first.output(), /mirror: 300 records copied, \d+ records\/s, lag 0 \(mirror-live-0:0 mirror-live-1:0\)/);

      await send(300, 500); // while no mirror runs
      const second = follow();
      await waitFor(500, second);
      second.child.kill('SIGKILL'); // no chance to save: the restart must work out what is on the target
      await second.exited;
      await send(500, 600);
      const third = follow();
      await waitFor(600, third);
      third.child.kill('SIGTERM');
      assert.equal(await third.exited, 0, third.output());
    } finally {
      await producer.disconnect();
    }
    const src = byPartition(await dump(source.bootstrap, ['mirror-live']));
    const dst = byPartition(await dump(kafka.bootstrap, ['mirror-live']));
    assert.deepEqual(sorted(dst), sorted(src));
    assert.equal([...dst.values()].flat().length, 600);
  });

  test('the reverse pull: --from Kafka --to a local kafkalite --max-records samples the newest records with configs', async () => {
    const local = await startBroker({ http: false });
    try {
      const r = await mirrorCli(['--from', kafka.bootstrap, '--to', local.bootstrap, '--topics', `${PLAIN}|${TXN}`, '--max-records', '10']);
      assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
      const pulled = byPartition(await dump(local.bootstrap, [PLAIN, TXN]));
      const onKafka = byPartition(await dump(kafka.bootstrap, [PLAIN, TXN]));
      for (const [k, records] of onKafka) assert.deepEqual(pulled.get(k) ?? [], records.slice(-10), k);
      const admin = kafkaFor(local.bootstrap).admin();
      await admin.connect();
      try {
        const d = await admin.describeConfigs({ resources: [{ type: 2, name: PLAIN }], includeSynonyms: false });
        assert.equal(d.resources[0]!.configEntries.find((e) => e.configName === 'retention.ms')!.configValue, '315360000000');
        const groups = await admin.listGroups();
        assert.deepEqual(groups.groups, [], 'a sample moves no groups');
      } finally {
        await admin.disconnect();
      }
      // Nothing written to the source: no mirror state on Kafka for this target.
      const kadmin = kafkaFor(kafka.bootstrap).admin();
      await kadmin.connect();
      try {
        const topics = await kadmin.listTopics();
        assert.deepEqual(
          topics.filter((t) => t.startsWith('kafkalite-mirror-')),
          [],
        );
      } finally {
        await kadmin.disconnect();
      }
    } finally {
      await local.stop();
    }
  });

  test('throughput: 200k records of 100 B', async (t) => {
    const client = await KafkaClient.connect({ bootstrap: source.bootstrap });
    try {
      const { createTopic } = await import('../../bin/client/admin.js');
      await createTopic(client, 'mirror-bench', { partitions: 4 });
      const producer = new Producer(client, await client.topic('mirror-bench'), { batchRecords: 5000 });
      const value = Buffer.alloc(100, 'x');
      for (let i = 0; i < 200_000; i++) await producer.send({ key: null, value, partition: i % 4 });
      await producer.flush();
    } finally {
      client.close();
    }
    const r = await mirrorCli(['--from', source.bootstrap, '--to', kafka.bootstrap, '--topics', 'mirror-bench'], 300_000);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /records: 200000,/);
    const summary = r.stdout.split('\n').find((l) => l.startsWith('topics:'))!;
    t.diagnostic(summary);
    process.stderr.write(`mirror throughput: ${summary}\n`);
  });
});
