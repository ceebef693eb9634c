// Kafka Streams 4.4 with group.protocol=streams (KIP-1071) against kafkalite on disk
// (test/jvm/programs/StreamsGroupWordCount.java): the word count of java-streams.test.ts, run by
// two KafkaStreams instances of one application. The broker configures the topology, creates
// the repartition and changelog topics, splits the four tasks between the two members, and
// hands them all to the first when the second leaves. While they run, Kafka 4.4's
// kafka-streams-groups (StreamsGroupCommand) lists and describes the group. The broker is
// restarted on the same data dir while the remaining instance runs: the group comes back from
// `__consumer_offsets` (member, epochs, tasks) and the instance carries on. After a second
// restart between runs, a second run with fresh state dirs restores the counts from the
// changelog and carries on. At read_committed the output holds every count of every word exactly once.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { StreamsGroupDescribe } from '../../protocol/messages/index.js';
import { existsSync, writeFileSync } from 'node:fs';
import { freePort, JAVA_PROGRAMS, java } from '../jvm/kafka.js';
import { kafkaTool, kafkaToolOk } from '../jvm/tools.js';
import { tempDir } from './helpers.js';
import { javaProgram, type Json } from './java-helpers.js';
import { WireClient } from './wire-client.js';

const APP = 'streams-wordcount';
const FIRST = ['the quick brown fox', 'the lazy dog', 'The fox', 'a dog'];
const SECOND = ['the fox jumps', 'a lazy fox'];
const TASKS = ['0_0', '0_1', '1_0', '1_1'];

function countsByWord(output: Array<[string, number]>): Map<string, number[]> {
  const m = new Map<string, number[]>();
  for (const [w, n] of output) m.set(w, [...(m.get(w) ?? []), n]);
  return m;
}

function wordTotals(lines: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of lines) for (const w of l.toLowerCase().split(' ')) m.set(w, (m.get(w) ?? 0) + 1);
  return m;
}

async function describeGroup(bootstrap: string) {
  const c = await WireClient.connect(bootstrap);
  try {
    const res = await c.send(StreamsGroupDescribe, 1, { groupIds: [APP], includeAuthorizedOperations: false });
    return res.groups[0]!;
  } finally {
    c.close();
  }
}

describe('Kafka Streams 4.4, group.protocol=streams: two instances, one leaving, a broker restart', { timeout: 300_000 }, () => {
  const dir = tempDir('kafkalite-streams-groups-');
  let broker: Broker | undefined;
  let first: Json;
  let second: Json;
  let whileRunning = '';
  let listed = '';
  let beforeRestart: Awaited<ReturnType<typeof describeGroup>>;
  let afterRestart: Awaited<ReturnType<typeof describeGroup>>;
  let describedAfterRestart = '';
  let unknownGroup: { code: number | null; stderr: string };
  let beforeLiveRestart: Awaited<ReturnType<typeof describeGroup>>;
  let afterLiveRestart: Awaited<ReturnType<typeof describeGroup>>;
  before(async () => {
    const port = await freePort();
    const dataDir = join(dir.path, 'data');
    broker = await startBroker({ dataDir, port });
    // Both instances keep running until the tool has described them with their tasks; then, with
    // one instance left, the broker is restarted under it.
    const hold = join(dir.path, 'described');
    const restarted = join(dir.path, 'restarted');
    const run = java(
      [
        join(JAVA_PROGRAMS, 'StreamsGroupWordCount.java'),
        broker.bootstrap,
        APP,
        'text-in',
        'counts-out',
        join(dir.path, 'state-1'),
        ...FIRST,
      ],
      {
        timeoutMs: 200_000,
        env: { ...process.env, HOLD_FILE: hold, RESTART_FILE: restarted },
      },
    );
    let done = false;
    void run.finally(() => {
      done = true;
    });
    while (!done && !existsSync(hold)) {
      const r = await kafkaTool('kafka-streams-groups', [
        '--bootstrap-server',
        broker.bootstrap,
        '--describe',
        '--group',
        APP,
        '--members',
        '--verbose',
      ]);
      if (r.code === 0 && (r.stdout.match(/\sACTIVE: \d:\[\d\]; \d:\[\d\]; /g) ?? []).length === 2) {
        whileRunning = r.stdout;
        writeFileSync(hold, '');
      } else await new Promise((res) => setTimeout(res, 300));
    }
    while (!done && !existsSync(`${restarted}.ready`)) await new Promise((res) => setTimeout(res, 100));
    if (!done) {
      beforeLiveRestart = await describeGroup(broker.bootstrap);
      await broker.stop();
      broker = await startBroker({ dataDir, port });
      afterLiveRestart = await describeGroup(broker.bootstrap);
      writeFileSync(restarted, '');
    }
    const r = await run;
    if (r.code !== 0) throw new Error(`StreamsGroupWordCount.java exited ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
    first = JSON.parse(r.stdout.split('\n').find((l) => l.startsWith('{'))!) as Json;
    listed = (await kafkaToolOk('kafka-streams-groups', ['--bootstrap-server', broker.bootstrap, '--list', '--state'])).stdout;
    unknownGroup = await kafkaTool('kafka-streams-groups', ['--bootstrap-server', broker.bootstrap, '--describe', '--group', 'nope']);
    beforeRestart = await describeGroup(broker.bootstrap);
    await broker.stop();
    broker = await startBroker({ dataDir, port });
    afterRestart = await describeGroup(broker.bootstrap);
    describedAfterRestart = (
      await kafkaToolOk('kafka-streams-groups', [
        '--bootstrap-server',
        broker.bootstrap,
        '--describe',
        '--group',
        APP,
        '--state',
        '--verbose',
      ])
    ).stdout;
    [second] = await javaProgram(
      'StreamsGroupWordCount',
      broker.bootstrap,
      [APP, 'text-in', 'counts-out', join(dir.path, 'state-2'), ...SECOND],
      200_000,
    );
  });
  after(async () => {
    await broker?.stop();
    dir.remove();
  });

  test('the two members split the four tasks; when one leaves, the other runs them all', () => {
    assert.ok(first.tasksA.length > 0 && first.tasksB.length > 0, `A ${first.tasksA}, B ${first.tasksB}`);
    assert.deepEqual([...first.tasksA, ...first.tasksB].sort(), TASKS);
    assert.deepEqual(first.tasksAfterLeave, TASKS);
    assert.deepEqual(first.statesB.slice(0, 2), ['REBALANCING', 'RUNNING']);
    assert.ok(first.statesA.filter((s: string) => s === 'REBALANCING').length >= 2, `A rebalanced when B left: ${first.statesA}`);
    assert.equal(first.statesA.at(-1), 'NOT_RUNNING');
  });

  test('the broker created the repartition (delete) and changelog (compact) topics the topology asks, with 2 partitions', () => {
    assert.deepEqual(first.internalTopics, {
      [`${APP}-counts-changelog`]: { 'cleanup.policy': 'compact', partitions: 2 },
      [`${APP}-words-repartition`]: { 'cleanup.policy': 'delete', partitions: 2 },
    });
    assert.ok(Object.keys(first.committed).includes(`${APP}-words-repartition-0`), JSON.stringify(first.committed));
  });

  test('each count of each word exactly once at read_committed, across the rebalance', () => {
    const totals = wordTotals(FIRST);
    const got = countsByWord(first.output);
    for (const [w, n] of totals) {
      assert.deepEqual(
        got.get(w),
        Array.from({ length: n }, (_, i) => i + 1),
        w,
      );
    }
    assert.equal(
      first.output.length,
      [...totals.values()].reduce((a, b) => a + b, 0),
    );
  });

  test('kafka-streams-groups (Kafka 4.4) lists and describes the group', () => {
    // One line per member (--verbose): group, target assignment epoch, topology epoch, member, protocol, epoch, process, client, tasks.
    const members = whileRunning.split('\n').filter((l) => l.startsWith(`${APP} `));
    assert.equal(members.length, 2, whileRunning);
    for (const l of members)
      assert.match(l, /^\S+\s+(\d+)\s+0\s+\S+\s+streams\s+\1\s+\S+\s+\S+\s+ACTIVE: \d:\[\d\]; \d:\[\d\]; TARGET-ACTIVE:/);
    assert.deepEqual(
      members.flatMap((l) => [...l.replace(/TARGET-ACTIVE:.*/, '').matchAll(/(\d):\[(\d)\]/g)].map((m) => `${m[1]}_${m[2]}`)).sort(),
      TASKS,
      'the tool shows the four tasks split between the two members',
    );
    assert.match(listed, new RegExp(`^${APP}\\s+Empty\\s*$`, 'm'));
    assert.notEqual(unknownGroup.code, 0);
    assert.match(unknownGroup.stderr + unknownGroup.code, /Group nope not found\./);
  });

  test('restarted while one instance runs: the group comes back with its member, epochs and tasks, and the counts go on', () => {
    assert.equal(beforeLiveRestart.groupState, 'Stable');
    assert.equal(afterLiveRestart.errorCode, 0);
    assert.equal(afterLiveRestart.groupEpoch, beforeLiveRestart.groupEpoch);
    assert.equal(afterLiveRestart.assignmentEpoch, beforeLiveRestart.assignmentEpoch);
    assert.equal(afterLiveRestart.members.length, 1);
    const [was] = beforeLiveRestart.members;
    const [is] = afterLiveRestart.members;
    assert.equal(is!.memberId, was!.memberId);
    assert.equal(is!.memberEpoch, was!.memberEpoch);
    assert.deepEqual(is!.assignment, was!.assignment);
    assert.deepEqual(
      is!.assignment.activeTasks.flatMap((t) => t.partitions.map((p) => `${t.subtopologyId}_${p}`)),
      TASKS,
    );
    // The lines produced after the restart ('The fox', 'a dog') are in the exactly-once counts below.
  });

  test('after the restart the group is back from __consumer_offsets: same epochs and topology, Empty', () => {
    assert.equal(beforeRestart.errorCode, 0);
    assert.equal(afterRestart.errorCode, 0);
    assert.equal(afterRestart.groupState, 'Empty');
    assert.equal(afterRestart.groupEpoch, beforeRestart.groupEpoch);
    assert.equal(afterRestart.assignmentEpoch, beforeRestart.assignmentEpoch);
    assert.deepEqual(afterRestart.topology, beforeRestart.topology);
    assert.deepEqual(
      afterRestart.topology!.subtopologies!.flatMap((s) => s.stateChangelogTopics.map((t) => [t.name, t.partitions])),
      [[`${APP}-counts-changelog`, 2]],
    );
    assert.match(describedAfterRestart, new RegExp(`^${APP}\\s+\\S+\\s+\\(1\\)\\s+sticky\\s+Empty\\s+${afterRestart.groupEpoch}\\s`, 'm'));
  });

  test('second run after the restart: fresh state dirs restore from the changelog and the counts carry on', () => {
    assert.ok(second.restoredRecords >= wordTotals(FIRST).size, `restored ${second.restoredRecords} changelog records`);
    const totals = wordTotals([...FIRST, ...SECOND]);
    const got = countsByWord(second.output);
    for (const [w, n] of totals) {
      assert.deepEqual(
        got.get(w),
        Array.from({ length: n }, (_, i) => i + 1),
        `${w}: every count once, none repeated or skipped`,
      );
    }
  });
});
