// The shared set-up of groups-rebalance*.test.ts: a broker on the virtual clock with the raw group client
// (group-client.ts), and waits on I/O (never on time) until the broker's classic group shows a state.

import assert from 'node:assert/strict';
import { startBroker, type Broker, type BrokerOptions, type VirtualClock } from '../../broker/index.js';
import { MEMBER_ID_REQUIRED, Member, tracked, type MemberOptions } from './group-client.js';

export const T = { timeout: 30_000 };

export async function withGroupBroker(
  opts: BrokerOptions,
  fn: (b: Broker, clock: VirtualClock, member: (group: string, o?: MemberOptions) => Promise<Member>) => Promise<void>,
): Promise<void> {
  const broker = await startBroker({ clock: 'virtual', topics: { t: 4, u: 2 }, ...opts });
  const members: Member[] = [];
  const member = async (group: string, o?: MemberOptions) => {
    const m = await Member.connect(broker.bootstrap, group, o);
    members.push(m);
    return m;
  };
  try {
    await fn(broker, broker.clock as VirtualClock, member);
  } finally {
    await Promise.all(members.map((m) => m.close()));
    await broker.stop();
  }
}

export function state(b: Broker, group: string): string | undefined {
  return b.core.groups.classicGroup(group)?.state;
}

/** Wait (on I/O, not on time) until the broker shows `cond`. */
export async function until(cond: () => boolean, what = 'condition'): Promise<void> {
  for (let i = 0; i < 20_000; i++) {
    if (cond()) return;
    await new Promise((r) => setImmediate(r));
  }
  assert.fail(`never reached: ${what}`);
}

/** The member's JoinGroup is parked at the broker. */
export function isParked(b: Broker, m: Member): boolean {
  const g = b.core.groups.classicGroup(m.groupId);
  const id = m.opts.instanceId !== null ? g?.staticMembers.get(m.opts.instanceId) : m.memberId;
  return id !== undefined && (g?.members.get(id)?.awaitingJoin ?? null) !== null;
}

/** Send a JoinGroup (after the MEMBER_ID_REQUIRED round for a new dynamic member) and return once it is parked or answered. */
export async function parkedJoin(b: Broker, m: Member, version = 5) {
  if (m.memberId === '' && version >= 4 && m.opts.instanceId === null)
    assert.equal((await m.joinOnce(version)).errorCode, MEMBER_ID_REQUIRED);
  const before = b.core.groups.classicGroup(m.groupId)?.numMembersAwaitingJoin ?? 0;
  const p = tracked(m.joinOnce(version));
  await until(
    () => p.settled() || (b.core.groups.classicGroup(m.groupId)?.numMembersAwaitingJoin ?? 0) > before,
    `${m.groupId}: join parked`,
  );
  return p;
}
