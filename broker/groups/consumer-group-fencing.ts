// Members leaving a KIP-848 consumer group (Kafka's GroupMetadataManager: consumerGroupFenceMember,
// scheduleConsumerGroupSessionTimeout, scheduleConsumerGroupRebalanceTimeout, cancelTimers, and
// classicGroupLeaveToConsumerGroup for a classic LeaveGroup): the session and rebalance timers on the
// broker clock, the removal of a member (its tombstones, the subscribed topics recomputed, the group
// epoch bumped, or the downgrade to a classic group when the migration policy allows), and the
// tombstones of a whole group; and the subscribed topic metadata a removal (and a join,
// consumer-group-heartbeat.ts updateMember) recomputes. Records are appended, then replayed onto
// the group, which changes only by replaying them. The heartbeat itself is in consumer-group-heartbeat.ts.

import { ErrorCode } from '../../protocol/errors.js';
import type { TopicManager } from '../topics.js';
import type { ConsumerGroup } from './consumer-group.js';
import { matchesRegex, type ConsumerMember } from './consumer-group-member.js';
import { MemberState, type ConsumerGroupRecord, type SubscribedTopic } from './consumer-group-records.js';
import type { ConsumerContext } from './consumer-group-heartbeat.js';
import { downgradeAllowed } from './migration.js';

const sessionKey = (memberId: string) => `session:${memberId}`;
export const rebalanceKey = (memberId: string) => `rebalance:${memberId}`;

/**
 * A classic LeaveGroup sent to a consumer group (Kafka's classicGroupLeaveToConsumerGroup): an
 * empty member id with a group instance id is the admin removing that static member
 * (removeMembersFromConsumerGroup); it goes as if fenced. Members naming themselves must use the
 * classic protocol (consumer-group-classic.ts), else UNKNOWN_MEMBER_ID.
 */
export function leaveConsumerGroup(
  ctx: ConsumerContext,
  group: ConsumerGroup,
  members: ReadonlyArray<{ memberId: string; groupInstanceId: string | null; reason?: string | null }>,
): Array<{ memberId: string; groupInstanceId: string | null; errorCode: number }> {
  return members.map(({ memberId, groupInstanceId, reason }) => {
    // Each answer names the member as the request did: the admin client matches them that way.
    const result = (errorCode: number) => ({ memberId, groupInstanceId, errorCode });
    const id = groupInstanceId === null ? memberId : group.staticMembers.get(groupInstanceId);
    if (id === undefined || !group.members.has(id)) return result(ErrorCode.UNKNOWN_MEMBER_ID);
    if (groupInstanceId !== null && memberId !== '' && memberId !== id) return result(ErrorCode.FENCED_INSTANCE_ID);
    if (memberId !== '' && group.members.get(id)!.meta.classic === null) return result(ErrorCode.UNKNOWN_MEMBER_ID);
    const error = removeMember(ctx, group, id, `removed by LeaveGroup (reason: ${reason ?? 'not provided'})`);
    return result(error);
  });
}

/** Fence a member: its records get tombstones and the group epoch goes up. */
export function removeMember(ctx: ConsumerContext, group: ConsumerGroup, memberId: string, reason: string): number {
  if (downgradeAllowed(ctx.config, group, memberId)) {
    const error = ctx.downgrade(group, memberId);
    if (error === ErrorCode.NONE)
      ctx.log.info({ group: group.groupId, member: memberId }, `consumer group member ${reason}; group downgraded to classic`);
    return error;
  }
  const records: ConsumerGroupRecord[] = memberTombstones(group.groupId, memberId);
  const rest = [...group.members.values()].filter((m) => m.memberId !== memberId);
  const topics = subscribedTopics(ctx.topics, rest);
  if (!sameTopics(topics, group.subscribedTopics)) records.push({ kind: 'cg-topics', group: group.groupId, value: topics });
  records.push({ kind: 'cg-epoch', group: group.groupId, value: group.groupEpoch + 1 });
  // The last member gone: the assignment epoch catches up (KAFKA-20442, consumerGroupFenceMembers).
  if (rest.length === 0) records.push({ kind: 'cg-target-epoch', group: group.groupId, value: group.groupEpoch + 1 });
  const error = ctx.write(group.groupId, records);
  if (error !== ErrorCode.NONE) return error;
  for (const r of records) group.replay(r);
  cancelMemberTimers(group, memberId);
  ctx.log.info({ group: group.groupId, member: memberId, epoch: group.groupEpoch }, `consumer group member ${reason}`);
  return ErrorCode.NONE;
}

export function memberTombstones(groupId: string, memberId: string): ConsumerGroupRecord[] {
  return [
    { kind: 'cg-current', group: groupId, memberId, value: null },
    { kind: 'cg-target', group: groupId, memberId, value: null },
    { kind: 'cg-member', group: groupId, memberId, value: null },
  ];
}

/** Tombstones for every record of a group (DeleteGroups, expiry, conversion to classic). */
export function consumerGroupTombstones(group: ConsumerGroup): ConsumerGroupRecord[] {
  const out: ConsumerGroupRecord[] = [];
  for (const id of group.members.keys()) out.push(...memberTombstones(group.groupId, id));
  out.push({ kind: 'cg-target-epoch', group: group.groupId, value: null });
  out.push({ kind: 'cg-topics', group: group.groupId, value: null });
  out.push({ kind: 'cg-epoch', group: group.groupId, value: null });
  return out;
}

/** Every timer of a member: session, rebalance, and a classic member's join and sync (consumer-group-classic.ts). */
export function cancelMemberTimers(group: ConsumerGroup, memberId: string): void {
  for (const prefix of ['session', 'rebalance', 'classic-join', 'classic-sync']) group.cancelTimer(`${prefix}:${memberId}`);
}

export function scheduleSession(ctx: ConsumerContext, group: ConsumerGroup, memberId: string): void {
  // A classic member's session timeout is its JoinGroup's (Kafka's classicProtocolSessionTimeout).
  const ms = group.members.get(memberId)?.meta.classic?.sessionTimeoutMs ?? ctx.groupConfigs.sessionTimeoutMs(group.groupId, 'consumer');
  group.setTimer(
    sessionKey(memberId),
    ctx.clock.setTimeout(() => {
      group.timers.delete(sessionKey(memberId));
      if (group.members.has(memberId)) removeMember(ctx, group, memberId, `fenced: session timeout (${ms} ms)`);
    }, ms),
  );
}

export function scheduleRebalance(ctx: ConsumerContext, group: ConsumerGroup, memberId: string, epoch: number, ms: number): void {
  group.setTimer(
    rebalanceKey(memberId),
    ctx.clock.setTimeout(
      () => {
        group.timers.delete(rebalanceKey(memberId));
        const m = group.members.get(memberId);
        if (m && m.current.state === MemberState.UNREVOKED_PARTITIONS && m.current.memberEpoch === epoch) {
          removeMember(ctx, group, memberId, `fenced: partitions not revoked within the rebalance timeout (${ms} ms)`);
        }
      },
      Math.max(ms, 0),
    ),
  );
}

/** After load: every member's session timer is armed, as after a coordinator failover. */
export function armLoadedGroup(ctx: ConsumerContext, group: ConsumerGroup): void {
  for (const id of group.members.keys()) scheduleSession(ctx, group, id);
}

/** Metadata of the existing topics the members subscribe to, by name. */
export function subscribedTopics(topics: TopicManager, members: Iterable<ConsumerMember>): SubscribedTopic[] {
  const names = new Set<string>();
  const regexes = new Set<string>();
  for (const m of members) {
    for (const n of m.meta.subscribedTopicNames) names.add(n);
    if (m.meta.subscribedTopicRegex !== null) regexes.add(m.meta.subscribedTopicRegex);
  }
  if (regexes.size > 0) {
    for (const t of topics.all()) if ([...regexes].some((r) => matchesRegex(r, t.name))) names.add(t.name);
  }
  const out: SubscribedTopic[] = [];
  for (const name of [...names].sort()) {
    const t = topics.get(name);
    if (t) out.push({ topicId: t.id, topicName: name, numPartitions: t.partitions.length });
  }
  return out;
}

export function sameTopics(a: readonly SubscribedTopic[], b: readonly SubscribedTopic[]): boolean {
  return (
    a.length === b.length &&
    a.every((t, i) => t.topicId === b[i]!.topicId && t.topicName === b[i]!.topicName && t.numPartitions === b[i]!.numPartitions)
  );
}
