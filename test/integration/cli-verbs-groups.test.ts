// The CLI's consumer-group verbs against an in-process broker, checked with kafkajs's admin
// client: `consume --group` joins the group and commits what it printed, two CLI consumers
// share a topic's partitions, `groups list|describe|reset-offsets|delete`.
// Needs the broker's group coordinator (broker/groups/).

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { startBroker, type Broker } from '../../broker/index.js';
import { CLI, kafkalite, waitFor } from './http-helpers.js';

describe('kafkalite consume --group and groups verbs', () => {
  let broker: Broker;
  let kafka: Kafka;
  let admin: Admin;
  let b: string[];
  const committed = async (groupId: string, topic: string) =>
    (await admin.fetchOffsets({ groupId, topics: [topic] }))[0]!.partitions
      .map((p) => [p.partition, Number(p.offset)])
      .sort((x, y) => x[0]! - y[0]!);
  const produce = async (topic: string, messages: Array<{ partition: number; value: string }>) => {
    const p = kafka.producer();
    await p.connect();
    await p.send({ topic, messages });
    await p.disconnect();
  };

  before(async () => {
    process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';
    broker = await startBroker({ topics: { 'g-topic': 2, 'g-shared': 2 } });
    kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, clientId: 'cli-groups-check' });
    admin = kafka.admin();
    await admin.connect();
    b = ['-b', broker.bootstrap];
  });
  after(async () => {
    await admin.disconnect();
    await broker.stop();
  });

  test('consume --group prints, commits, and resumes from the committed offsets', async () => {
    await produce(
      'g-topic',
      Array.from({ length: 10 }, (_, i) => ({ partition: i % 2, value: `r${i}` })),
    );
    const first = await kafkalite(['consume', 'g-topic', '--group', 'cli-g', '--from-beginning', '--max-messages', '6', ...b]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout.trim().split('\n').length, 6);
    const afterFirst = await committed('cli-g', 'g-topic');
    assert.equal(
      afterFirst.reduce((s, [, o]) => s + o!, 0),
      6,
      'only what was printed is committed',
    );

    const rest = await kafkalite(['consume', 'g-topic', '--group', 'cli-g', '--from-beginning', '--exit-at-end', ...b]);
    assert.equal(rest.code, 0, rest.stderr);
    const printed = [...first.stdout.trim().split('\n'), ...rest.stdout.trim().split('\n')].sort();
    assert.deepEqual(printed, Array.from({ length: 10 }, (_, i) => `r${i}`).sort(), 'each record exactly once across the two runs');
    assert.deepEqual(await committed('cli-g', 'g-topic'), [
      [0, 5],
      [1, 5],
    ]);
  });

  test('two CLI consumers in one group split the partitions', async () => {
    const start = (name: string) => {
      const child = spawn(
        process.execPath,
        [CLI, 'consume', 'g-shared', '--group', 'cli-pair', '--max-messages', '3', '--format', '%p %v\\n', '--client-id', name, ...b],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      const done = new Promise<number | null>((resolve) => child.on('close', resolve));
      return { child, done, out: () => out };
    };
    const one = start('cli-one');
    const two = start('cli-two');
    try {
      await waitFor(
        async () => {
          const g = (await admin.describeGroups(['cli-pair'])).groups[0]!;
          return g.state === 'Stable' && g.members.length === 2;
        },
        'two stable members',
        60_000,
      );
      await produce(
        'g-shared',
        Array.from({ length: 6 }, (_, i) => ({ partition: i % 2, value: `s${i}` })),
      );
      assert.equal(await one.done, 0, one.out());
      assert.equal(await two.done, 0, two.out());
      const partitionsOf = (out: string) =>
        new Set(
          out
            .split('\n')
            .filter((l) => /^\d /.test(l))
            .map((l) => l.split(' ')[0]),
        );
      const p1 = partitionsOf(one.out());
      const p2 = partitionsOf(two.out());
      assert.equal(p1.size, 1, one.out());
      assert.equal(p2.size, 1, two.out());
      assert.notDeepEqual([...p1], [...p2], 'each consumer read its own partition');
    } finally {
      one.child.kill();
      two.child.kill();
    }
  });

  test('groups list, describe with lag and members', async () => {
    await produce('g-topic', [
      { partition: 0, value: 'late-0' },
      { partition: 1, value: 'late-1' },
      { partition: 1, value: 'late-2' },
    ]);
    const list = await kafkalite(['groups', 'list', ...b]);
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(list.stdout.trim().split('\n').sort(), ['cli-g', 'cli-pair']);
    const withState = await kafkalite(['groups', 'list', '--state', ...b]);
    assert.match(withState.stdout, /^cli-g\s+Empty$/m);

    const text = await kafkalite(['groups', 'describe', 'cli-g', ...b]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /GROUP\s+TOPIC\s+PARTITION\s+CURRENT-OFFSET\s+LOG-END-OFFSET\s+LAG/);
    assert.match(text.stdout, /^cli-g\s+g-topic\s+1\s+5\s+7\s+2\s/m);
    const json = JSON.parse((await kafkalite(['groups', 'describe', 'cli-g', '--json', ...b])).stdout) as Array<{
      state: string;
      offsets: Array<{ partition: number; committed: number; logEnd: number; lag: number }>;
    }>;
    assert.equal(json[0]!.state, 'Empty');
    assert.deepEqual(
      json[0]!.offsets.map((o) => [o.partition, o.committed, o.logEnd, o.lag]),
      [
        [0, 5, 6, 1],
        [1, 5, 7, 2],
      ],
    );

    // A live kafkajs member shows in --members.
    const consumer = kafka.consumer({ groupId: 'js-member', heartbeatInterval: 500 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'g-topic', fromBeginning: true });
    await consumer.run({ eachMessage: async () => undefined });
    try {
      await waitFor(async () => (await admin.describeGroups(['js-member'])).groups[0]!.state === 'Stable', 'kafkajs member stable');
      const members = await kafkalite(['groups', 'describe', 'js-member', '--members', ...b]);
      assert.equal(members.code, 0, members.stderr);
      assert.match(members.stdout, /^js-member\s+\S+\s+\S+\s+cli-groups-check\s+g-topic\(0,1\)$/m);
      const refused = await kafkalite(['groups', 'reset-offsets', 'js-member', '--topic', 'g-topic', '--to-earliest', '--execute', ...b]);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /NON_EMPTY_GROUP/);
    } finally {
      await consumer.disconnect();
    }
  });

  test('groups reset-offsets: a dry run by default, then --execute to earliest, by shift and to a time', async () => {
    const dry = await kafkalite(['groups', 'reset-offsets', 'cli-g', '--topic', 'g-topic', '--to-earliest', ...b]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^cli-g\s+g-topic\s+0\s+5\s+0$/m);
    assert.match(dry.stdout, /dry run/);
    assert.deepEqual(await committed('cli-g', 'g-topic'), [
      [0, 5],
      [1, 5],
    ]);

    const exec = await kafkalite(['groups', 'reset-offsets', 'cli-g', '--topic', 'g-topic', '--to-earliest', '--execute', ...b]);
    assert.equal(exec.code, 0, exec.stderr);
    assert.deepEqual(await committed('cli-g', 'g-topic'), [
      [0, 0],
      [1, 0],
    ]);
    const shifted = await kafkalite(['groups', 'reset-offsets', 'cli-g', '--topic', 'g-topic:1', '--shift-by', '3', '--execute', ...b]);
    assert.equal(shifted.code, 0, shifted.stderr);
    assert.deepEqual(await committed('cli-g', 'g-topic'), [
      [0, 0],
      [1, 3],
    ]);
    const future = await kafkalite([
      'groups',
      'reset-offsets',
      'cli-g',
      '--topic',
      'g-topic',
      '--to-datetime',
      '2999-01-01T00:00:00Z',
      '--execute',
      ...b,
    ]);
    assert.equal(future.code, 0, future.stderr);
    assert.deepEqual(await committed('cli-g', 'g-topic'), [
      [0, 6],
      [1, 7],
    ]);
    const bad = await kafkalite(['groups', 'reset-offsets', 'cli-g', '--topic', 'g-topic', ...b]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /exactly one of/);
  });

  test('groups delete', async () => {
    const res = await kafkalite(['groups', 'delete', 'cli-g', ...b]);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /Deleted group cli-g/);
    assert.ok(!(await admin.listGroups()).groups.some((g) => g.groupId === 'cli-g'));
    const again = await kafkalite(['groups', 'delete', 'cli-g', ...b]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /GROUP_ID_NOT_FOUND/);
  });
});
