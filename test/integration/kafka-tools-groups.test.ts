// Apache Kafka 4.4's kafka-consumer-groups (ConsumerGroupCommand) and console clients, run from
// its jars (test/jvm/tools.ts), against an in-process kafkalite: the console producer with keys
// and headers, the console consumer in a group, then list / describe (offsets with the LAG
// column, members, state) while a classic member and a KIP-848 consumer member
// (group.protocol=consumer) hold their groups, reset-offsets (refused while active, dry run,
// --execute), delete-offsets and delete. The expected text is what the same commands print
// against a real Kafka 4.4 broker.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { kafkaTool, kafkaToolOk, spawnKafkaTool } from '../jvm/tools.js';

/** The rows of one of the tool's tables (whitespace-separated columns, header and blank lines dropped). */
function rows(text: string, header: string): string[][] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith(header) && !l.startsWith('Consumer group '))
    .map((l) => l.split(/\s+/));
}

describe('Kafka 4.4 kafka-consumer-groups and console clients against kafkalite', () => {
  let broker: Broker;
  let b: string[];
  before(async () => {
    broker = await startBroker({ topics: { cg: 2 }, config: { 'group.initial.rebalance.delay.ms': 0 } });
    b = ['--bootstrap-server', broker.bootstrap];
  });
  after(() => broker?.stop());

  test('console producer (keys, headers) → console consumer in a group; the group then has no lag and no members', async () => {
    const input = 'h1:v1,h2:v2\tk1\tone\nh3:v3\tk2\ttwo\nh4:v4\tk1\tthree\n';
    await kafkaToolOk(
      'kafka-console-producer',
      [...b, '--topic', 'cg', '--reader-property', 'parse.key=true', '--reader-property', 'parse.headers=true'],
      { input },
    );
    const consumed = await kafkaToolOk('kafka-console-consumer', [
      ...b,
      '--topic',
      'cg',
      '--group',
      'console',
      '--from-beginning',
      '--max-messages',
      '3',
      ...['print.key=true', 'print.headers=true', 'print.partition=true', 'print.offset=true'].flatMap((p) => ['--formatter-property', p]),
    ]);
    assert.match(consumed.stderr, /Processed a total of 3 messages/);
    // Keys hash to partitions as Kafka's producer does (murmur2), so k1's two records share one.
    const lines = consumed.stdout.trim().split('\n').sort();
    assert.equal(lines.length, 3);
    const parsed = lines.map((l) => l.split('\t'));
    const byValue = new Map(parsed.map(([p, o, h, k, v]) => [v, { p, o, h, k }]));
    assert.deepEqual(byValue.get('one'), { ...byValue.get('one'), h: 'h1:v1,h2:v2', k: 'k1' });
    assert.deepEqual(byValue.get('two')?.h, 'h3:v3');
    assert.equal(byValue.get('three')?.p, byValue.get('one')?.p);
    assert.ok(Number(byValue.get('three')!.o.slice('Offset:'.length)) > Number(byValue.get('one')!.o.slice('Offset:'.length)));

    const described = await kafkaToolOk('kafka-consumer-groups', [...b, '--describe', '--group', 'console']);
    assert.match(described.stderr, /Consumer group 'console' has no active members\./);
    const table = rows(described.stdout, 'GROUP').sort((x, y) => x[2]!.localeCompare(y[2]!));
    const ends = [0, 1].map((p) => broker.core.topics.get('cg')!.partitions[p]!.log.logEndOffset);
    assert.deepEqual(
      table,
      [0, 1].map((p) => ['console', 'cg', String(p), String(ends[p]), String(ends[p]), '0', '-', '-', '-']),
    );
  });

  test('describe with active classic and consumer-protocol members; reset-offsets (refused while active, dry run, execute), delete-offsets, delete', async () => {
    broker.produce(
      'cg',
      Array.from({ length: 10 }, (_, i) => ({ value: `r${i}`, partition: i % 2 })),
    );
    const consumers = (['classic', 'consumer'] as const).map((protocol) =>
      spawnKafkaTool('kafka-console-consumer', [
        ...b,
        '--topic',
        'cg',
        '--group',
        `cg-${protocol}`,
        '--from-beginning',
        '--consumer-property',
        `group.protocol=${protocol}`,
        '--consumer-property',
        'auto.commit.interval.ms=100',
      ]),
    );
    try {
      await Promise.all(consumers.map((c) => c.waitFor((out) => out.split('\n').filter((l) => /^r\d$/.test(l)).length === 10)));
      // Both consumed every record; wait until the auto-commit reached the log end.
      const ends = [0, 1].map((p) => broker.core.topics.get('cg')!.partitions[p]!.log.logEndOffset);
      for (const g of ['cg-classic', 'cg-consumer']) for (const p of [0, 1]) await broker.waitFor.committed(g, 'cg', p, ends[p]!);

      const list = await kafkaToolOk('kafka-consumer-groups', [...b, '--list', '--type']);
      const types = new Map(rows(list.stdout, 'GROUP').map(([g, t]) => [g, t]));
      assert.equal(types.get('cg-classic'), 'Classic');
      assert.equal(types.get('cg-consumer'), 'Consumer');
      assert.equal(types.get('console'), 'Classic');

      // One run each for both groups: the tool prints a table per group.
      const groups = ['--group', 'cg-classic', '--group', 'cg-consumer'];
      const [offsets, state, membersOut] = await Promise.all(
        [[], ['--state'], ['--members']].map((extra) => kafkaToolOk('kafka-consumer-groups', [...b, '--describe', ...groups, ...extra])),
      );
      for (const g of ['cg-classic', 'cg-consumer']) {
        const table = rows(offsets!.stdout, 'GROUP')
          .filter((r) => r[0] === g)
          .sort((x, y) => x[2]!.localeCompare(y[2]!));
        assert.equal(table.length, 2, offsets!.stdout);
        for (const [i, r] of table.entries()) {
          assert.deepEqual(r.slice(0, 6), [g, 'cg', String(i), String(ends[i]), String(ends[i]), '0'], offsets!.stdout);
          assert.ok(r[6]!.length > 10 && r[6] !== '-', `CONSUMER-ID for ${g}: ${offsets!.stdout}`);
          assert.equal(r[7], '/127.0.0.1');
          assert.equal(r[8], 'console-consumer');
        }
        assert.deepEqual(
          rows(state!.stdout, 'GROUP').find((r) => r[0] === g),
          [g, `127.0.0.1:${broker.port}`, '(1)', g === 'cg-classic' ? 'range' : 'uniform', 'Stable', '1'],
          state!.stdout,
        );
        const member = rows(membersOut!.stdout, 'GROUP').find((r) => r[0] === g)!;
        assert.deepEqual([member[0], member[2], member[3], member[4]], [g, '/127.0.0.1', 'console-consumer', '2'], membersOut!.stdout);
      }
      const refused = await kafkaTool('kafka-consumer-groups', [
        ...b,
        '--reset-offsets',
        '--group',
        'cg-classic',
        '--topic',
        'cg',
        '--to-earliest',
        '--execute',
      ]);
      assert.match(
        refused.stdout + refused.stderr,
        /Assignments can only be reset if the group 'cg-classic' is inactive, but the current state is Stable\./,
      );
    } finally {
      for (const c of consumers) await c.stop();
    }

    // Members gone (the console consumer leaves its group on SIGTERM): offsets can be reset.
    const reset = (...args: string[]) => kafkaToolOk('kafka-consumer-groups', [...b, '--reset-offsets', '--group', 'cg-consumer', ...args]);
    const dry = await reset('--topic', 'cg', '--to-earliest', '--dry-run');
    assert.deepEqual(rows(dry.stdout, 'GROUP').sort(), [
      ['cg-consumer', 'cg', '0', '0'],
      ['cg-consumer', 'cg', '1', '0'],
    ]);
    const ends = [0, 1].map((p) => broker.core.topics.get('cg')!.partitions[p]!.log.logEndOffset);
    await reset('--topic', 'cg:0', '--to-offset', '2', '--execute');
    await reset('--topic', 'cg:1', '--shift-by', '-3', '--execute');
    const lagged = await kafkaToolOk('kafka-consumer-groups', [...b, '--describe', '--group', 'cg-consumer']);
    assert.match(lagged.stderr, /Consumer group 'cg-consumer' has no active members\./);
    assert.deepEqual(
      rows(lagged.stdout, 'GROUP').sort((x, y) => x[2]!.localeCompare(y[2]!)),
      [
        ['cg-consumer', 'cg', '0', '2', String(ends[0]), String(ends[0]! - 2), '-', '-', '-'],
        ['cg-consumer', 'cg', '1', String(ends[1]! - 3), String(ends[1]), '3', '-', '-', '-'],
      ],
    );

    const delOffsets = await kafkaToolOk('kafka-consumer-groups', [...b, '--delete-offsets', '--group', 'cg-classic', '--topic', 'cg:1']);
    assert.match(delOffsets.stdout, /Request succeeded for deleting offsets from group cg-classic\./);
    assert.deepEqual(rows(delOffsets.stdout, 'TOPIC').slice(1), [['cg', '1', 'Successful']]);
    const afterDelete = await kafkaToolOk('kafka-consumer-groups', [...b, '--describe', '--group', 'cg-classic']);
    assert.deepEqual(
      rows(afterDelete.stdout, 'GROUP').map((r) => r.slice(0, 4)),
      [['cg-classic', 'cg', '0', String(ends[0])]],
    );

    const deleted = await kafkaToolOk('kafka-consumer-groups', [...b, '--delete', '--group', 'cg-classic', '--group', 'cg-consumer']);
    // The tool lists the groups in its own (hash) order.
    assert.match(
      deleted.stdout,
      /Deletion of requested consumer groups \(('cg-classic', 'cg-consumer'|'cg-consumer', 'cg-classic')\) was successful\./,
    );
    const missing = await kafkaTool('kafka-consumer-groups', [...b, '--delete', '--group', 'cg-classic']);
    assert.match(
      missing.stdout + missing.stderr,
      /Group 'cg-classic' could not be deleted due to: org\.apache\.kafka\.common\.errors\.GroupIdNotFoundException: The group id does not exist\./,
    );
    const listed = await kafkaToolOk('kafka-consumer-groups', [...b, '--list']);
    assert.deepEqual(listed.stdout.trim().split('\n'), ['console']);
  });
});
