// Streams groups (KIP-1071) on the virtual clock, over the wire: the session timeout
// (group.streams.session.timeout.ms) fences a silent member and the other takes its tasks over,
// the rebalance timeout fences a member that keeps tasks it must revoke, standby tasks
// (group.streams.num.standby.replicas) go to the other process, and a member asking for the
// application's shutdown makes every member see SHUTDOWN_APPLICATION.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startBroker, type Broker, type VirtualClock } from '../../broker/index.js';
import { ErrorCode } from '../../protocol/errors.js';
import { StreamsGroupDescribe, StreamsGroupHeartbeat } from '../../protocol/messages/index.js';
import type { ResponseOf } from '../../protocol/schema.js';
import { WireClient } from './wire-client.js';

const T = { timeout: 30_000 };
type Hb = ResponseOf<typeof StreamsGroupHeartbeat>;
type TaskList = Array<{ subtopologyId: string; partitions: number[] }>;

const TOPOLOGY = {
  epoch: 0,
  subtopologies: [
    {
      subtopologyId: '0',
      sourceTopics: ['in'],
      sourceTopicRegex: [],
      stateChangelogTopics: [],
      repartitionSinkTopics: [],
      repartitionSourceTopics: [],
      copartitionGroups: [],
    },
  ],
};

/** One streams member: joins, then heartbeats reporting the tasks it was last given (revoking at once). */
class Member {
  epoch = 0;
  active: TaskList = [];
  standby: TaskList = [];
  last!: Hb;
  private constructor(
    private readonly c: WireClient,
    readonly memberId: string,
    private readonly processId: string,
  ) {}

  static async connect(broker: Broker, memberId: string, processId = memberId): Promise<Member> {
    return new Member(await WireClient.connect(broker.bootstrap), memberId, processId);
  }

  async heartbeat(o: { shutdown?: boolean; keep?: boolean } = {}): Promise<Hb> {
    const joining = this.epoch === 0;
    const res = await this.c.send(StreamsGroupHeartbeat, 1, {
      groupId: 'app',
      memberId: this.memberId,
      memberEpoch: this.epoch,
      endpointInformationEpoch: 0,
      instanceId: null,
      rackId: null,
      rebalanceTimeoutMs: joining ? 10_000 : -1,
      topology: joining ? TOPOLOGY : null,
      activeTasks: joining ? [] : this.active,
      standbyTasks: joining ? [] : this.standby,
      warmupTasks: [],
      processId: joining ? this.processId : null,
      userEndpoint: null,
      clientTags: joining ? [] : null,
      taskOffsets: null,
      taskEndOffsets: null,
      shutdownApplication: o.shutdown ?? false,
    });
    this.last = res;
    if (res.errorCode === ErrorCode.NONE) {
      this.epoch = res.memberEpoch;
      // A member that keeps its tasks goes on reporting the old ones (it has not revoked).
      if (res.activeTasks !== null && !o.keep) {
        this.active = res.activeTasks;
        this.standby = res.standbyTasks ?? [];
      }
    }
    return res;
  }

  tasks(): string[] {
    return this.active.flatMap((t) => t.partitions.map((p) => `${t.subtopologyId}_${p}`)).sort();
  }

  standbys(): string[] {
    return this.standby.flatMap((t) => t.partitions.map((p) => `${t.subtopologyId}_${p}`)).sort();
  }

  close(): void {
    this.c.close();
  }
}

async function withBroker(
  config: Record<string, string | number>,
  fn: (b: Broker, clock: VirtualClock, admin: WireClient) => Promise<void>,
) {
  const broker = await startBroker({ clock: 'virtual', topics: { in: 4 }, config });
  const admin = await WireClient.connect(broker.bootstrap);
  try {
    await fn(broker, broker.clock as VirtualClock, admin);
  } finally {
    admin.close();
    await broker.stop();
  }
}

async function describe(admin: WireClient) {
  return (await admin.send(StreamsGroupDescribe, 1, { groupIds: ['app'], includeAuthorizedOperations: false })).groups[0]!;
}

/** Two members joined, past the initial delay, each running two tasks. */
async function twoRunning(b: Broker, clock: VirtualClock): Promise<[Member, Member]> {
  const a = await Member.connect(b, 'member-a');
  const c = await Member.connect(b, 'member-c');
  await a.heartbeat();
  await c.heartbeat();
  await clock.advance('3s');
  for (let i = 0; i < 4; i++) {
    await a.heartbeat();
    await c.heartbeat();
  }
  assert.deepEqual([...a.tasks(), ...c.tasks()].sort(), ['0_0', '0_1', '0_2', '0_3']);
  assert.equal(a.tasks().length, 2);
  return [a, c];
}

test('session timeout fences a silent member; the other takes its tasks over', T, async () => {
  await withBroker({}, async (b, clock, admin) => {
    const [a, c] = await twoRunning(b, clock);
    await clock.advance('30s');
    await a.heartbeat();
    await clock.advance('20s');
    // c has been silent for 50 s (group.streams.session.timeout.ms is 45 s), a for 20 s.
    const d = await describe(admin);
    assert.deepEqual(
      d.members.map((m) => m.memberId),
      ['member-a'],
    );
    await clock.advance('2s');
    await a.heartbeat();
    assert.deepEqual(a.tasks(), ['0_0', '0_1', '0_2', '0_3']);
    assert.equal((await c.heartbeat()).errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
    a.close();
    c.close();
  });
});

test('rebalance timeout fences a member that does not revoke; the newcomer then gets its tasks', T, async () => {
  await withBroker({}, async (b, clock, admin) => {
    const a = await Member.connect(b, 'member-a');
    await a.heartbeat();
    await clock.advance('3s');
    await a.heartbeat();
    await a.heartbeat();
    assert.equal(a.tasks().length, 4);
    const c = await Member.connect(b, 'member-c');
    await c.heartbeat();
    await clock.advance('2s');
    // a is told to give two tasks up, but keeps reporting all four.
    await a.heartbeat({ keep: true });
    await a.heartbeat({ keep: true });
    assert.equal((await describe(admin)).members.find((m) => m.memberId === 'member-a')!.assignment.activeTasks[0]!.partitions.length, 2);
    await c.heartbeat();
    assert.deepEqual(c.tasks(), [], 'the tasks a still runs are not handed out');
    await clock.advance('11s');
    assert.deepEqual(
      (await describe(admin)).members.map((m) => m.memberId),
      ['member-c'],
    );
    await clock.advance('2s');
    await c.heartbeat();
    assert.deepEqual(c.tasks(), ['0_0', '0_1', '0_2', '0_3']);
    a.close();
    c.close();
  });
});

test('group.streams.num.standby.replicas=1: each task has a standby on the other process', T, async () => {
  await withBroker({ 'group.streams.num.standby.replicas': 1 }, async (b, clock) => {
    const [a, c] = await twoRunning(b, clock);
    assert.deepEqual(a.standbys(), c.tasks());
    assert.deepEqual(c.standbys(), a.tasks());
    a.close();
    c.close();
  });
});

test('a member asking for the shutdown of the application: every member sees SHUTDOWN_APPLICATION', T, async () => {
  await withBroker({}, async (b, clock) => {
    const [a, c] = await twoRunning(b, clock);
    await a.heartbeat({ shutdown: true });
    const res = await c.heartbeat();
    assert.deepEqual(res.status, [
      {
        statusCode: 4,
        statusDetail: 'Streams group member member-a encountered a fatal error and requested a shutdown for the entire application.',
      },
    ]);
    a.close();
    c.close();
  });
});
