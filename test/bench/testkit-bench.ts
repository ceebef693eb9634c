// Test kit figures: memory-store startBroker() to ready, reset() after 100 topics / 10,000
// records / 10 groups, snapshot()+restore() of the same state, RSS growth and active handles
// over 1,000 start/stop cycles, and the wall time of a 45 s session-timeout rebalance driven by
// clock.advance('45s'). benchTestkit() returns the figures; formatTestkitBench() prints them.

import { performance } from 'node:perf_hooks';
import { startBroker, type Broker } from '../../broker/index.js';
import { OffsetCommit } from '../../protocol/messages/index.js';
import { Member } from '../integration/group-client.js';
import { requestFrame } from '../integration/wire-client.js';
import { forceGc, round, summarize, type Summary } from './stats.js';

export interface TestkitBenchResult {
  startReadyMs: Summary;
  resetMs: Summary;
  snapshotRestoreMs: Summary;
  cycles: { count: number; rssGrowthMiB: number; handlesBefore: string[]; handlesAfter: string[] };
  sessionTimeoutRebalanceWallMs: Summary;
}

const TOPICS = 100;
const RECORDS = 10_000;
const GROUPS = 10;

async function fill(broker: Broker): Promise<void> {
  for (let t = 0; t < TOPICS; t++) {
    broker.produce(
      `t${t}`,
      Array.from({ length: RECORDS / TOPICS }, (_, i) => ({ key: `k${i}`, value: `value-${t}-${i}` })),
    );
  }
  for (let g = 0; g < GROUPS; g++) {
    const frame = requestFrame(
      OffsetCommit,
      2,
      {
        groupId: `g${g}`,
        generationIdOrMemberEpoch: -1,
        memberId: '',
        topics: [{ name: 't0', partitions: [{ partitionIndex: 0, committedOffset: 5, committedMetadata: null }] }],
      },
      { correlationId: g },
    );
    await broker.handle(frame.subarray(4));
  }
  if (broker.core.topics.size < TOPICS || broker.core.groups.offsets.get(`g${GROUPS - 1}`, 't0', 0)?.offset !== 5)
    throw new Error('bench state not filled');
}

export async function benchTestkit(runs = 30): Promise<TestkitBenchResult> {
  // start to ready (resolved promise), memory store
  await (await startBroker()).stop();
  const starts: number[] = [];
  for (let i = 0; i < runs * 3; i++) {
    const t0 = performance.now();
    const b = await startBroker();
    starts.push(performance.now() - t0);
    await b.stop();
  }

  // reset and snapshot/restore over 100 topics, 10,000 records, 10 groups
  const broker = await startBroker({ topics: { seeded: 3 } });
  const resets: number[] = [];
  const snaps: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      await fill(broker);
      const t0 = performance.now();
      await broker.reset();
      resets.push(performance.now() - t0);
    }
    await fill(broker);
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const snap = broker.snapshot();
      await broker.restore(snap);
      snaps.push(performance.now() - t0);
    }
  } finally {
    await broker.stop();
  }

  // 1,000 start/stop cycles
  forceGc();
  const handlesBefore = process.getActiveResourcesInfo();
  const rssBefore = process.memoryUsage().rss;
  for (let i = 0; i < 1000; i++) await (await startBroker({ topics: { t: 1 } })).stop();
  forceGc();
  const rssAfter = process.memoryUsage().rss;
  const handlesAfter = process.getActiveResourcesInfo();

  // 45 s session timeout via the virtual clock
  const walls: number[] = [];
  for (let i = 0; i < Math.min(runs, 10); i++) {
    const b = await startBroker({ clock: 'virtual', topics: { t: 2 } });
    const m = await Member.connect(b.bootstrap, 'g', { sessionTimeoutMs: 45_000, topics: ['t'] });
    try {
      await m.join(3);
      await m.sync([{ memberId: m.memberId, assignment: Buffer.alloc(0) }]);
      const t0 = performance.now();
      await b.clock.advance('45s');
      walls.push(performance.now() - t0);
      if (b.core.groups.group('g')?.stateName() !== 'Empty') throw new Error('the session did not expire');
    } finally {
      await m.close();
      await b.stop();
    }
  }

  return {
    startReadyMs: summarize(starts),
    resetMs: summarize(resets),
    snapshotRestoreMs: summarize(snaps),
    cycles: { count: 1000, rssGrowthMiB: round((rssAfter - rssBefore) / 1048576, 2), handlesBefore, handlesAfter },
    sessionTimeoutRebalanceWallMs: summarize(walls),
  };
}

export function formatTestkitBench(r: TestkitBenchResult): string {
  const line = (name: string, s: Summary, goal: string) =>
    `  ${name.padEnd(44)} median ${String(s.median).padStart(8)} ms  p95 ${String(s.p95).padStart(8)} ms  (goal ${goal})`;
  return [
    'test kit',
    line('startBroker() ready (memory store)', r.startReadyMs, '<= 5 ms'),
    line(`reset() after ${TOPICS} topics, ${RECORDS} records, ${GROUPS} groups`, r.resetMs, '<= 5 ms'),
    line('snapshot() + restore() of the same', r.snapshotRestoreMs, '<= 20 ms'),
    line("45 s session timeout via clock.advance('45s')", r.sessionTimeoutRebalanceWallMs, '<= 100 ms'),
    `  1,000 start/stop cycles: RSS growth ${r.cycles.rssGrowthMiB} MiB (goal <= 5), active handles ` +
      `${JSON.stringify(r.cycles.handlesBefore)} -> ${JSON.stringify(r.cycles.handlesAfter)}`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(formatTestkitBench(await benchTestkit()));
}
