// ConsumerGroupHeartbeat (KIP-848, Kafka's GroupMetadataManager.consumerGroupHeartbeat):
// join (epoch 0), heartbeat (epoch > 0), leave (-1), static leave (-2). Each request computes
// the records that change the group (member metadata, subscribed topic metadata, group epoch,
// target assignment, the member's current assignment), appends them in one batch and replays
// them onto the group, so the group only ever holds what the log holds. Members leaving or
// fenced by their timers (session, rebalance timeout) are in consumer-group-fencing.ts.

import type { Logger } from 'pino';
import type { BrokerConfig } from '../../config/index.js';
import { ErrorCode } from '../../protocol/errors.js';
import type { Clock } from '../../storage/clock.js';
import type { TopicManager } from '../topics.js';
import { ASSIGNORS, DEFAULT_ASSIGNOR } from './assignors/index.js';
import { ConsumerGroup, LEAVE_GROUP_STATIC_MEMBER_EPOCH } from './consumer-group.js';
import { ConsumerMember, emptyCurrent, isSubset, matchesRegex, reconcile, sameAssignment, sameCurrent } from './consumer-group-member.js';
import {
  MemberState,
  fromWire,
  isConsumerGroupRecord,
  toWire,
  type Assignment,
  type ClassicMemberMetadata,
  type ConsumerGroupRecord,
  type CurrentAssignment,
  type MemberMetadata,
  type SubscribedTopic,
} from './consumer-group-records.js';
import { ClassicGroup } from './classic-group.js';
import {
  cancelMemberTimers,
  memberTombstones,
  rebalanceKey,
  removeMember,
  sameTopics,
  scheduleRebalance,
  scheduleSession,
  subscribedTopics,
} from './consumer-group-fencing.js';
import type { Group } from './group.js';
import { upgradeRecords, upgradeRefusal, type JoiningMember } from './migration.js';
import type { GroupConfigs } from './group-configs.js';
import { heartbeatError, invalidHeartbeat, type HeartbeatRequest, type HeartbeatResponse } from './consumer-group-request.js';
import type { CoordinatorRecord } from './records.js';
import { newTopicId } from '../topics.js';

export interface ConsumerContext {
  clock: Clock;
  log: Logger;
  config: BrokerConfig;
  /** The group's own consumer.session.timeout.ms and consumer.heartbeat.interval.ms (or the broker's). */
  groupConfigs: GroupConfigs;
  topics: TopicManager;
  write(groupId: string, records: readonly CoordinatorRecord[]): number;
  group(groupId: string): Group | undefined;
  /** Put a new consumer group in the coordinator's map (replacing an empty classic one). */
  addGroup(group: ConsumerGroup): void;
  /**
   * Turn the group into a classic group without this member (migration.ts downgradedGroup), with
   * `joining` in its place when a classic static member replaces it; 0 or the write's error.
   */
  downgrade(group: ConsumerGroup, leavingMemberId: string, joining?: JoiningMember): number;
}

/** The whole request; the coordinator has checked NOT_COORDINATOR. */
export function consumerGroupHeartbeat(ctx: ConsumerContext, req: HeartbeatRequest): HeartbeatResponse {
  const bad = invalidHeartbeat(req);
  if (bad) return bad;
  const existing = ctx.group(req.groupId);
  if (req.memberEpoch < 0) {
    if (!(existing instanceof ConsumerGroup))
      return heartbeatError(ErrorCode.GROUP_ID_NOT_FOUND, `Consumer group ${req.groupId} not found.`);
    return leave(ctx, existing, req);
  }
  const records: CoordinatorRecord[] = [];
  let group: ConsumerGroup;
  let isNew = false;
  if (existing instanceof ConsumerGroup) {
    group = existing;
  } else if (existing && !existing.isEmpty()) {
    // A classic group with members becomes a consumer group when the policy allows (migration.ts).
    if (!(existing instanceof ClassicGroup) || req.memberEpoch !== 0)
      return heartbeatError(ErrorCode.GROUP_ID_NOT_FOUND, `Group ${req.groupId} is not a consumer group.`);
    const refused = upgradeRefusal(ctx.config, existing);
    if (refused) return heartbeatError(ErrorCode.GROUP_ID_NOT_FOUND, refused);
    const converted = upgradeRecords(ctx.topics, existing);
    if (converted === null) {
      return heartbeatError(
        ErrorCode.GROUP_ID_NOT_FOUND,
        `Cannot upgrade the classic group ${req.groupId} to consumer group because the embedded consumer protocol is malformed.`,
      );
    }
    records.push({ kind: 'group', group: req.groupId, value: null }, ...converted);
    group = new ConsumerGroup(req.groupId);
    for (const r of converted) group.replay(r);
    return join(ctx, group, true, req, records, existing);
  } else if (req.memberEpoch !== 0) {
    return heartbeatError(ErrorCode.GROUP_ID_NOT_FOUND, `Consumer group ${req.groupId} not found.`);
  } else {
    // A new group, or an empty classic group (it keeps its offsets) becomes a consumer group.
    if (existing) records.push({ kind: 'group', group: req.groupId, value: null });
    group = new ConsumerGroup(req.groupId);
    isNew = true;
  }
  return join(ctx, group, isNew, req, records);
}

function join(
  ctx: ConsumerContext,
  group: ConsumerGroup,
  isNew: boolean,
  req: HeartbeatRequest,
  records: CoordinatorRecord[],
  upgraded?: ClassicGroup,
): HeartbeatResponse {
  const owned = req.topicPartitions === null ? null : fromWire(req.topicPartitions);
  let member: ConsumerMember | undefined;
  let replaced: ConsumerMember | undefined;
  let memberId = req.memberId;
  let staticRejoin = false;
  if (req.memberEpoch === 0) {
    if (req.instanceId !== null) {
      const oldId = group.staticMembers.get(req.instanceId);
      replaced = oldId === undefined ? undefined : group.members.get(oldId);
      // A classic member's instance id is taken over without its leave (Kafka's getOrMaybeSubscribeStaticConsumerGroupMember).
      if (replaced && replaced.meta.classic === null && replaced.current.memberEpoch !== LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
        return heartbeatError(
          ErrorCode.UNRELEASED_INSTANCE_ID,
          `Static member ${oldId} with instance id ${req.instanceId} is not released yet.`,
        );
      }
      if (memberId === '') memberId = newTopicId();
      if (replaced?.memberId === memberId) {
        // The same static member coming back under its own id: it keeps its partitions.
        member = replaced;
        replaced = undefined;
        staticRejoin = true;
      }
    } else if (memberId === '') {
      // A v0 member gets its id from the coordinator: a Kafka Uuid (22 base64url characters).
      memberId = newTopicId();
    }
    member ??= group.members.get(memberId);
    if (!member && !replaced && group.members.size >= ctx.config.int('group.consumer.max.size')) {
      return heartbeatError(
        ErrorCode.GROUP_MAX_SIZE_REACHED,
        `The consumer group has reached its maximum capacity of ${ctx.config.int('group.consumer.max.size')} members.`,
      );
    }
  } else {
    member = group.members.get(memberId);
    if (!member) return heartbeatError(ErrorCode.UNKNOWN_MEMBER_ID, `Member ${memberId} is not a member of group ${group.groupId}.`);
    if (req.instanceId !== null && member.meta.instanceId !== req.instanceId) return heartbeatError(ErrorCode.FENCED_INSTANCE_ID);
    const cur = member.current;
    if (
      req.memberEpoch > cur.memberEpoch ||
      (req.memberEpoch < cur.memberEpoch &&
        (req.memberEpoch !== cur.previousMemberEpoch || (owned !== null && !isSubset(owned, cur.assigned))))
    ) {
      return heartbeatError(
        ErrorCode.FENCED_MEMBER_EPOCH,
        `The member epoch ${req.memberEpoch} does not match the expected epoch ${cur.memberEpoch}.`,
      );
    }
  }

  const base = member ?? replaced;
  const meta: MemberMetadata = {
    instanceId: req.instanceId ?? base?.meta.instanceId ?? null,
    rackId: req.rackId ?? base?.meta.rackId ?? null,
    clientId: req.clientId,
    clientHost: req.clientHost,
    subscribedTopicNames: req.subscribedTopicNames ?? base?.meta.subscribedTopicNames ?? [],
    subscribedTopicRegex: req.subscribedTopicRegex ?? base?.meta.subscribedTopicRegex ?? null,
    rebalanceTimeoutMs: req.rebalanceTimeoutMs !== -1 ? req.rebalanceTimeoutMs : (base?.meta.rebalanceTimeoutMs ?? -1),
    serverAssignor: req.serverAssignor ?? base?.meta.serverAssignor ?? null,
    classic: null,
  };
  // A rejoin (epoch 0) starts from nothing owned; a static replacement keeps the old assignment.
  let current = member && req.memberEpoch !== 0 ? member.current : emptyCurrent();
  if (replaced || staticRejoin) current = { ...emptyCurrent(), assigned: (replaced ?? member)!.current.assigned };

  const out = updateMember(
    ctx,
    group,
    isNew,
    { memberId, member, replaced, meta, current, owned, alwaysWriteCurrent: req.memberEpoch === 0 },
    records,
  );
  if (typeof out === 'number') return heartbeatError(out);
  const { next, before } = out;
  if (upgraded) {
    // Parked classic JoinGroup/SyncGroup requests rejoin the new group (Kafka's convertToConsumerGroup).
    upgraded.dispose(ErrorCode.REBALANCE_IN_PROGRESS);
    for (const id of group.members.keys()) if (id !== memberId) scheduleSession(ctx, group, id);
    ctx.log.info({ group: group.groupId, members: group.members.size }, 'classic group upgraded to a consumer group');
  }

  if (next.state === MemberState.UNREVOKED_PARTITIONS) {
    if (
      before?.state !== MemberState.UNREVOKED_PARTITIONS ||
      before.memberEpoch !== next.memberEpoch ||
      !group.timers.has(rebalanceKey(memberId))
    ) {
      scheduleRebalance(ctx, group, memberId, next.memberEpoch, meta.rebalanceTimeoutMs);
    }
  } else {
    group.cancelTimer(rebalanceKey(memberId));
  }

  const assignmentChanged = !before || !sameAssignment(before.assigned, next.assigned);
  return {
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    memberId,
    memberEpoch: next.memberEpoch,
    heartbeatIntervalMs: ctx.groupConfigs.heartbeatIntervalMs(group.groupId, 'consumer'),
    assignment: owned !== null || req.memberEpoch === 0 || assignmentChanged ? { topicPartitions: toWire(next.assigned) } : null,
  };
}

/** A member's new metadata and assignment, as a join (heartbeat or classic JoinGroup) computed them. */
export interface MemberUpdate {
  memberId: string;
  /** The member as it is in the group, if it is. */
  member: ConsumerMember | undefined;
  /** The static member this one replaces, if any. */
  replaced: ConsumerMember | undefined;
  meta: MemberMetadata;
  current: CurrentAssignment;
  /** The partitions the member says it owns, null when it did not say. */
  owned: Assignment | null;
  alwaysWriteCurrent: boolean;
}

/**
 * Kafka's consumerGroupHeartbeat steps 1-3, shared with classic members' JoinGroup: the member's
 * records, the subscribed topics and group epoch, the target assignment when the group epoch moved
 * past it, and the member's reconciliation; written in one batch with `records` before them, then
 * replayed, and the member's session timer armed. The error code when the write failed.
 */
export function updateMember(
  ctx: ConsumerContext,
  group: ConsumerGroup,
  isNew: boolean,
  u: MemberUpdate,
  records: CoordinatorRecord[],
): { next: CurrentAssignment; before: CurrentAssignment | undefined } | number {
  const { memberId, member, replaced, meta, current, owned } = u;
  const base = member ?? replaced;
  // Kafka's hasMemberSubscriptionChanged compares with an empty member when the member is new: a
  // new member with an empty subscription does not bump the group epoch.
  const subscriptionChanged =
    !sameList(base?.meta.subscribedTopicNames ?? [], meta.subscribedTopicNames) ||
    (base?.meta.subscribedTopicRegex ?? null) !== meta.subscribedTopicRegex ||
    (base?.meta.serverAssignor ?? null) !== meta.serverAssignor;
  const updated = new ConsumerMember(memberId, meta, current);
  if (replaced) records.push(...memberTombstones(group.groupId, replaced.memberId));
  if (!member || !sameMeta(member.meta, meta)) records.push({ kind: 'cg-member', group: group.groupId, memberId, value: meta });

  const members = new Map(group.members);
  if (replaced) members.delete(replaced.memberId);
  members.set(memberId, updated);
  const topics = subscribedTopics(ctx.topics, members.values());
  const topicsChanged = !sameTopics(topics, group.subscribedTopics);
  if (topicsChanged) records.push({ kind: 'cg-topics', group: group.groupId, value: topics });
  let groupEpoch = group.groupEpoch;
  if (subscriptionChanged || topicsChanged) {
    groupEpoch++;
    records.push({ kind: 'cg-epoch', group: group.groupId, value: groupEpoch });
  }

  // The target assignment, computed when the group epoch moved past it.
  let targetEpoch = group.assignmentEpoch;
  const previousTargets = new Map(group.targets);
  if (replaced) {
    const t = previousTargets.get(replaced.memberId);
    previousTargets.delete(replaced.memberId);
    if (t) previousTargets.set(memberId, t);
  }
  let memberTarget = previousTargets.get(memberId) ?? new Map();
  if (groupEpoch > group.assignmentEpoch) {
    const targets = computeTargets(group, members, topics, previousTargets);
    for (const [id, a] of targets) {
      const prev = group.targets.get(id);
      if (!prev || !sameAssignment(prev, a) || id === memberId)
        records.push({ kind: 'cg-target', group: group.groupId, memberId: id, value: a });
    }
    records.push({ kind: 'cg-target-epoch', group: group.groupId, value: groupEpoch });
    targetEpoch = groupEpoch;
    memberTarget = targets.get(memberId) ?? new Map();
  } else if (replaced) {
    records.push({ kind: 'cg-target', group: group.groupId, memberId, value: memberTarget });
  }

  const isFree = (t: string, p: number) => {
    const o = group.ownerOf(t, p);
    return o === undefined || o === memberId || o === replaced?.memberId;
  };
  const next = reconcile(current, memberTarget, targetEpoch, owned, isFree);
  if (!member || replaced || u.alwaysWriteCurrent || !sameCurrent(member.current, next)) {
    records.push({ kind: 'cg-current', group: group.groupId, memberId, value: next });
  }

  // Replaying the records replaces the member's current assignment in place: compare with a copy.
  const before = member?.current;
  const error = ctx.write(group.groupId, records);
  if (error !== ErrorCode.NONE) return error;
  if (isNew) ctx.addGroup(group);
  for (const r of records) if (isConsumerGroupRecord(r)) group.replay(r);
  if (replaced) cancelMemberTimers(group, replaced.memberId);

  scheduleSession(ctx, group, memberId);
  return { next, before };
}

function leave(ctx: ConsumerContext, group: ConsumerGroup, req: HeartbeatRequest): HeartbeatResponse {
  let memberId = req.memberId;
  if (req.instanceId !== null) {
    const id = group.staticMembers.get(req.instanceId);
    if (id === undefined) return heartbeatError(ErrorCode.UNKNOWN_MEMBER_ID, `Instance id ${req.instanceId} is unknown.`);
    if (id !== req.memberId)
      return heartbeatError(
        ErrorCode.FENCED_INSTANCE_ID,
        `Static member ${req.memberId} with instance id ${req.instanceId} is not the owner of that instance id.`,
      );
    memberId = id;
  }
  const member = group.members.get(memberId);
  if (!member) return heartbeatError(ErrorCode.UNKNOWN_MEMBER_ID, `Member ${memberId} is not a member of group ${group.groupId}.`);
  const left: HeartbeatResponse = {
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    memberId,
    memberEpoch: req.memberEpoch,
    heartbeatIntervalMs: 0,
    assignment: null,
  };
  if (req.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
    // The instance id stays reserved, and its partitions assigned, until it rejoins or its session times out.
    const value = { ...member.current, previousMemberEpoch: member.current.memberEpoch, memberEpoch: LEAVE_GROUP_STATIC_MEMBER_EPOCH };
    const records: ConsumerGroupRecord[] = [{ kind: 'cg-current', group: group.groupId, memberId, value }];
    const error = ctx.write(group.groupId, records);
    if (error !== ErrorCode.NONE) return heartbeatError(error);
    for (const r of records) group.replay(r);
    group.cancelTimer(rebalanceKey(memberId));
    scheduleSession(ctx, group, memberId);
    return left;
  }
  const error = removeMember(ctx, group, memberId, 'left the group');
  return error === ErrorCode.NONE ? left : heartbeatError(error);
}

function computeTargets(
  group: ConsumerGroup,
  members: ReadonlyMap<string, ConsumerMember>,
  topics: SubscribedTopic[],
  previous: ReadonlyMap<string, Assignment>,
): Map<string, Assignment> {
  const assignor = ASSIGNORS.get(group.preferredAssignor(members.values()) ?? DEFAULT_ASSIGNOR) ?? ASSIGNORS.get(DEFAULT_ASSIGNOR)!;
  return assignor.assign({
    topics: new Map(topics.map((t) => [t.topicId, t.numPartitions])),
    members: [...members.values()].map((m) => ({
      memberId: m.memberId,
      instanceId: m.meta.instanceId,
      subscribedTopicIds: new Set(
        topics
          .filter((t) => m.meta.subscribedTopicNames.includes(t.topicName) || matchesRegex(m.meta.subscribedTopicRegex, t.topicName))
          .map((t) => t.topicId),
      ),
      current: previous.get(m.memberId) ?? new Map(),
    })),
  });
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  const sa = [...new Set(a)].sort();
  const sb = [...new Set(b)].sort();
  return sa.length === sb.length && sa.every((x, i) => x === sb[i]);
}

function sameMeta(a: MemberMetadata, b: MemberMetadata): boolean {
  return (
    a.instanceId === b.instanceId &&
    a.rackId === b.rackId &&
    a.clientId === b.clientId &&
    a.clientHost === b.clientHost &&
    a.rebalanceTimeoutMs === b.rebalanceTimeoutMs &&
    a.serverAssignor === b.serverAssignor &&
    a.subscribedTopicRegex === b.subscribedTopicRegex &&
    a.subscribedTopicNames.length === b.subscribedTopicNames.length &&
    a.subscribedTopicNames.every((x, i) => x === b.subscribedTopicNames[i]) &&
    sameClassic(a.classic, b.classic)
  );
}

function sameClassic(a: ClassicMemberMetadata | null, b: ClassicMemberMetadata | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.sessionTimeoutMs === b.sessionTimeoutMs &&
    a.supportedProtocols.length === b.supportedProtocols.length &&
    a.supportedProtocols.every((p, i) => p.name === b.supportedProtocols[i]!.name && p.metadata.equals(b.supportedProtocols[i]!.metadata))
  );
}
