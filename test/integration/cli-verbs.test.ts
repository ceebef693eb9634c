// The CLI's client verbs against an in-process broker, each checked by reading the result back
// with another client (kafkajs admin/producer, kcat, the broker itself): topics
// list/create/describe/delete/alter-config, produce (key separator, headers, partitioning as
// Kafka's clients do it, a progress line only on a terminal), consume (formats, offsets,
// limits), and dump-log on a segment the CLI produced into.

import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker, type Broker } from '../../broker/index.js';
import { hasCommand, requireTool, run, tempDir } from './helpers.js';
import { CLI, kafkalite } from './http-helpers.js';

describe('kafkalite client verbs', () => {
  let broker: Broker;
  let kafka: Kafka;
  let b: string[];
  const dir = tempDir();

  before(async () => {
    process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';
    broker = await startBroker({ dataDir: join(dir.path, 'data') });
    kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, clientId: 'cli-verbs-check' });
    b = ['-b', broker.bootstrap];
  });
  after(async () => {
    await broker.stop();
    dir.remove();
  });

  test('topics create, list, describe, alter-config, delete', async () => {
    const created = await kafkalite(['topics', 'create', 'cli-orders', '--partitions', '3', '--config', 'retention.ms=3600000', ...b]);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /Created topic cli-orders/);
    const admin = kafka.admin();
    await admin.connect();
    try {
      const md = await admin.fetchTopicMetadata({ topics: ['cli-orders'] });
      assert.equal(md.topics[0]!.partitions.length, 3);

      const dup = await kafkalite(['topics', 'create', 'cli-orders', ...b]);
      assert.equal(dup.code, 1);
      assert.match(dup.stderr, /TOPIC_ALREADY_EXISTS/);
      assert.equal((await kafkalite(['topics', 'create', 'cli-orders', '--if-not-exists', ...b])).code, 0);

      await admin.createTopics({ topics: [{ topic: 'from-admin', numPartitions: 1 }] });
      const list = await kafkalite(['topics', 'list', ...b]);
      assert.equal(list.code, 0, list.stderr);
      assert.deepEqual(list.stdout.trim().split('\n'), ['cli-orders', 'from-admin']);

      const described = await kafkalite(['topics', 'describe', 'cli-orders', ...b]);
      assert.equal(described.code, 0, described.stderr);
      assert.match(
        described.stdout,
        /^Topic: cli-orders\tTopicId: \S+\tPartitionCount: 3\tReplicationFactor: 1\tConfigs: retention\.ms=3600000$/m,
      );
      assert.match(described.stdout, /^\tTopic: cli-orders\tPartition: 2\tLeader: 1\tReplicas: 1\tIsr: 1$/m);
      const asJson = JSON.parse((await kafkalite(['topics', 'describe', 'cli-orders', '--json', ...b])).stdout) as Array<{
        name: string;
        partitions: unknown[];
        configs: Record<string, string>;
      }>;
      assert.deepEqual(
        [asJson[0]!.name, asJson[0]!.partitions.length, asJson[0]!.configs],
        ['cli-orders', 3, { 'retention.ms': '3600000' }],
      );

      const altered = await kafkalite([
        'topics',
        'alter-config',
        'cli-orders',
        '--set',
        'cleanup.policy=compact',
        '--set',
        'max.message.bytes=50000',
        '--delete',
        'retention.ms',
        ...b,
      ]);
      assert.equal(altered.code, 0, altered.stderr);
      const configs = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: 2 /* ConfigResourceTypes.TOPIC */, name: 'cli-orders' }],
      });
      const entries = new Map(configs.resources[0]!.configEntries.map((e) => [e.configName, e]));
      assert.equal(entries.get('cleanup.policy')!.configValue, 'compact');
      assert.equal(entries.get('max.message.bytes')!.configValue, '50000');
      assert.equal(entries.get('retention.ms')!.isDefault, true);
      const badConfig = await kafkalite(['topics', 'alter-config', 'cli-orders', '--set', 'cleanup.policy=never', ...b]);
      assert.equal(badConfig.code, 1);
      assert.match(badConfig.stderr, /INVALID_CONFIG/);

      const deleted = await kafkalite(['topics', 'delete', 'from-admin', ...b]);
      assert.equal(deleted.code, 0, deleted.stderr);
      assert.deepEqual((await admin.listTopics()).sort(), ['cli-orders']);
      const missing = await kafkalite(['topics', 'delete', 'from-admin', ...b]);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /UNKNOWN_TOPIC_OR_PARTITION/);
    } finally {
      await admin.disconnect();
    }
  });

  test('produce: lines with a key separator and headers land where Kafka clients put the same keys (read back with kcat)', async () => {
    requireTool(() => hasCommand('kcat'), 'kcat');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'cli-keyed', numPartitions: 4 }] });
    await admin.disconnect();
    const lines = Array.from({ length: 40 }, (_, i) => `user-${i % 8}:event ${i}`).join('\n');
    const res = await kafkalite(['produce', 'cli-keyed', '--key-separator', ':', '--header', 'source=cli', ...b], { input: `${lines}\n` });
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stderr, /Produced 40 record\(s\) to cli-keyed/);
    assert.equal(res.stdout, '', 'no progress line when stdout is not a terminal');

    // kafkajs's default partitioner is Kafka's murmur2: the same keys must go to the same partitions.
    const producer = kafka.producer();
    await producer.connect();
    const meta = await producer.send({
      topic: 'cli-keyed',
      messages: Array.from({ length: 8 }, (_, i) => ({ key: `user-${i}`, value: 'kafkajs' })),
    });
    await producer.disconnect();
    const kafkajsPartition = new Map<string, number>();
    const out = await run('kcat', ['-b', broker.bootstrap, '-C', '-t', 'cli-keyed', '-o', 'beginning', '-e', '-f', '%p|%k|%s|%h\n'], {
      timeoutMs: 30_000,
    });
    assert.equal(out.code, 0, out.stderr);
    const rows = out.stdout
      .trim()
      .split('\n')
      .map((l) => l.split('|'));
    assert.equal(rows.length, 48);
    for (const [p, k, v] of rows) if (v === 'kafkajs') kafkajsPartition.set(k!, Number(p));
    assert.equal(kafkajsPartition.size, 8);
    assert.ok(meta.length > 0);
    const cliRows = rows.filter((r) => r[2] !== 'kafkajs');
    assert.equal(cliRows.length, 40);
    for (const [p, k, , h] of cliRows) {
      assert.equal(Number(p), kafkajsPartition.get(k!), `key ${k}: same partition as kafkajs`);
      assert.equal(h, 'source=cli');
    }
    assert.deepEqual(
      cliRows.filter((r) => r[1] === 'user-3').map((r) => r[2]),
      ['event 3', 'event 11', 'event 19', 'event 27', 'event 35'],
      'per-key order kept',
    );

    const broken = await kafkalite(['produce', 'cli-keyed', '--key-separator', ':', ...b], { input: 'a:1\nno separator here\n' });
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, /line 2: no key separator/);
  });

  test('produce: a progress line on a terminal for a large file, to an explicit partition, compressed', async () => {
    requireTool(() => hasCommand('script'), 'script (util-linux)');
    const file = join(dir.path, 'big.txt');
    writeFileSync(file, `${Array.from({ length: 50_000 }, (_, i) => `line ${i} ${'x'.repeat(40)}`).join('\n')}\n`);
    const cli = `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)}`;
    const cmd = `${cli} produce cli-big --partition 0 --compression lz4 -b ${broker.bootstrap} < ${JSON.stringify(file)}`;
    const tty = await run('script', ['-qec', cmd, '/dev/null'], { timeoutMs: 120_000 });
    assert.equal(tty.code, 0, tty.stdout + tty.stderr);
    assert.match(tty.stdout, /\rproducing to cli-big: 100% of [\d.]+ MiB \| 50,000 records acked/);
    assert.match(tty.stdout, /Produced 50000 record\(s\) to cli-big/);
    const p0 = broker.core.topics.partition('cli-big', 0)!;
    assert.equal(p0.log.logEndOffset, 50_000);
  });

  test('consume: from the beginning to the end, formats, one partition from an offset, a message limit', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'cli-read', numPartitions: 2 }] });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: 'cli-read',
      messages: [
        { partition: 0, key: 'a', value: 'zero', headers: { h: '1' } },
        { partition: 0, key: null, value: '{"json":true}' },
        { partition: 1, key: 'b', value: 'one' },
        { partition: 0, key: 'c', value: 'two' },
      ],
    });
    await producer.disconnect();

    const all = await kafkalite(['consume', 'cli-read', '--from-beginning', '--exit-at-end', '--format', 'json', ...b]);
    assert.equal(all.code, 0, all.stderr);
    const records = all.stdout
      .trim()
      .split('\n')
      .map(
        (l) => JSON.parse(l) as { partition: number; offset: number; key: string | null; value: string; headers: Record<string, string> },
      );
    assert.deepEqual(
      records.map((r) => [r.partition, r.offset, r.key, r.value]),
      [
        [0, 0, 'a', 'zero'],
        [0, 1, null, '{"json":true}'],
        [0, 2, 'c', 'two'],
        [1, 0, 'b', 'one'],
      ],
    );
    assert.deepEqual(records[0]!.headers, { h: '1' });
    assert.match(all.stderr, /Processed a total of 4 messages/);

    const template = await kafkalite([
      'consume',
      'cli-read',
      '--partition',
      '0',
      '--offset',
      '1',
      '--exit-at-end',
      '--format',
      '%t/%p/%o %k=%v\\n',
      ...b,
    ]);
    assert.equal(template.code, 0, template.stderr);
    assert.equal(template.stdout, 'cli-read/0/1 null={"json":true}\ncli-read/0/2 c=two\n');

    const kv = await kafkalite([
      'consume',
      'cli-read',
      '--from-beginning',
      '--max-messages',
      '2',
      '--format',
      'kv',
      '--key-separator',
      '=',
      ...b,
    ]);
    assert.equal(kv.code, 0, kv.stderr);
    assert.equal(kv.stdout.trim().split('\n').length, 2);
    assert.match(kv.stdout, /^a=zero$/m);

    // From the end: nothing old is printed; the timeout ends it.
    const fromEnd = await kafkalite(['consume', 'cli-read', '--timeout-ms', '300', ...b]);
    assert.equal(fromEnd.code, 0, fromEnd.stderr);
    assert.equal(fromEnd.stdout, '');

    const unknown = await kafkalite(['consume', 'no-such-topic', '--exit-at-end', ...b]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /UNKNOWN_TOPIC_OR_PARTITION/);
  });

  test('dump-log prints what the CLI produced into a segment', async () => {
    const res = await kafkalite(['produce', 'cli-dump', '--partition', '0', ...b], { input: 'first payload\nsecond payload\n' });
    assert.equal(res.code, 0, res.stderr);
    broker.core.topics.partition('cli-dump', 0)!.log.flush();
    const folder = join(dir.path, 'data', 'cli-dump-0');
    const segment = readdirSync(folder).find((f) => f.endsWith('.log'))!;
    const dump = await kafkalite(['dump-log', join(folder, segment), '--print-data-log']);
    assert.equal(dump.code, 0, dump.stderr);
    assert.match(dump.stdout, /baseOffset: 0 lastOffset: 1 count: 2/);
    assert.match(dump.stdout, /\| offset: 0 .* payload: first payload/);
    assert.match(dump.stdout, /\| offset: 1 .* payload: second payload/);
  });

  test('an unreachable bootstrap server is one clear error line', async () => {
    const res = await kafkalite(['topics', 'list', '-b', '127.0.0.1:1']);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /^kafkalite topics list: cannot reach any bootstrap server \(127\.0\.0\.1:1\)/);
  });
});
