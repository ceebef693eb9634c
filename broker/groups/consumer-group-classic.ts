// Classic members inside a KIP-848 consumer group (online migration, KIP-848; Kafka's
// GroupMetadataManager.classicGroupJoinToConsumerGroup, classicGroupSyncToConsumerGroup,
// classicGroupHeartbeatToConsumerGroup). A classic member's JoinGroup is a heartbeat of the
// consumer group's state machine (updateMember in consumer-group-heartbeat.ts): its subscription
// and owned partitions come from its JoinGroup metadata, its generation is its member epoch, and
// the assignment SyncGroup hands out is the one the server-side assignor computed. Heartbeat says
// REBALANCE_IN_PROGRESS when it must rejoin to move toward its target. Timers: the session
// timeout of its JoinGroup, a sync timeout (rebalance timeout) after each JoinGroup and a join
// timeout (rebalance timeout) once it was told to rejoin. LeaveGroup is leaveConsumerGroup.

import { ErrorCode } from '../../protocol/errors.js';
import { newTopicId } from '../topics.js';
import { CONSUMER_PROTOCOL_TYPE, joinError, syncError, type JoinResponse, type SyncResponse } from './classic-member.js';
import type { ConsumerGroup } from './consumer-group.js';
import { emptyCurrent, type ConsumerMember } from './consumer-group-member.js';
import { removeMember, scheduleSession } from './consumer-group-fencing.js';
import { updateMember, type ConsumerContext } from './consumer-group-heartbeat.js';
import { MemberState, type MemberMetadata } from './consumer-group-records.js';
import type { JoinRequest } from './membership.js';
import { assignmentByIds, classicAssignmentBytes, classicSubscription, replacementDowngradeAllowed } from './migration.js';
import type { SyncRequest } from './rebalance.js';
import type { CoordinatorRecord } from './records.js';

const joinKey = (memberId: string) => `classic-join:${memberId}`;
const syncKey = (memberId: string) => `classic-sync:${memberId}`;

/** Kafka's JoinGroupRequest.requiresKnownMemberId: v4+ dynamic members get their id first (KIP-394). */
function requiresKnownMemberId(req: JoinRequest): boolean {
  return req.apiVersion >= 4 && req.memberId === '' && req.groupInstanceId === null;
}

/** Kafka's ConsumerGroup.supportsClassicProtocols: a protocol every classic member supports. */
function supportsClassicProtocols(group: ConsumerGroup, req: JoinRequest): boolean {
  if (req.protocolType !== CONSUMER_PROTOCOL_TYPE || req.protocols.length === 0) return false;
  const classic = [...group.members.values()].filter((m) => m.meta.classic !== null);
  return req.protocols.some((p) => classic.every((m) => m.meta.classic!.supportedProtocols.some((q) => q.name === p.name)));
}

/** JoinGroup from a classic member to a consumer group with members. */
export function classicJoin(ctx: ConsumerContext, group: ConsumerGroup, req: JoinRequest): JoinResponse {
  const unknown = req.memberId === '';
  const memberId = unknown ? newTopicId() : req.memberId;
  const max = ctx.config.int('group.consumer.max.size');
  const known = group.members.has(memberId) || (req.groupInstanceId !== null && group.staticMembers.has(req.groupInstanceId));
  if (!known && group.members.size >= max) return joinError(req.memberId, ErrorCode.GROUP_MAX_SIZE_REACHED);
  if (!supportsClassicProtocols(group, req)) return joinError(req.memberId, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  if (requiresKnownMemberId(req)) return { ...joinError(memberId, ErrorCode.MEMBER_ID_REQUIRED), memberId };

  let member: ConsumerMember | undefined;
  let replaced: ConsumerMember | undefined;
  if (req.groupInstanceId === null) {
    member = group.members.get(memberId);
  } else {
    // Kafka's getOrMaybeSubscribeStaticConsumerGroupMember: without a member id the instance
    // takes over whoever holds it; with one, it must be the holder.
    const oldId = group.staticMembers.get(req.groupInstanceId);
    const old = oldId === undefined ? undefined : group.members.get(oldId);
    if (old && unknown) replaced = old;
    else if (!unknown && !old) return joinError(req.memberId, ErrorCode.UNKNOWN_MEMBER_ID);
    else if (old && old.memberId !== memberId) return joinError(req.memberId, ErrorCode.FENCED_INSTANCE_ID);
    else member = old;
  }

  const sub = classicSubscription(req.protocols[0]?.metadata);
  if (sub === null) return joinError(req.memberId, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  const base = member ?? replaced;
  const meta: MemberMetadata = {
    instanceId: req.groupInstanceId ?? base?.meta.instanceId ?? null,
    rackId: sub.rackId ?? base?.meta.rackId ?? null,
    clientId: req.clientId,
    clientHost: req.clientHost,
    subscribedTopicNames: sub.topics,
    subscribedTopicRegex: base?.meta.subscribedTopicRegex ?? null,
    rebalanceTimeoutMs: req.rebalanceTimeoutMs !== -1 ? req.rebalanceTimeoutMs : (base?.meta.rebalanceTimeoutMs ?? -1),
    serverAssignor: base?.meta.serverAssignor ?? null,
    classic: {
      sessionTimeoutMs: req.sessionTimeoutMs,
      supportedProtocols: req.protocols.map((p) => ({ name: p.name, metadata: p.metadata })),
    },
  };
  const response = (generationId: number): JoinResponse => ({
    errorCode: ErrorCode.NONE,
    generationId,
    protocolType: CONSUMER_PROTOCOL_TYPE,
    protocolName: req.protocols[0]!.name,
    leader: '',
    skipAssignment: false,
    memberId,
    members: [],
  });
  // Replacing the last member that does not speak the classic protocol: the group turns classic,
  // this member in the replaced one's place, without a rebalance (Kafka's convertToClassicGroup).
  const holder = replaced ?? member;
  if (holder && replacementDowngradeAllowed(ctx.config, group, holder.memberId)) {
    const generation = group.groupEpoch;
    const error = ctx.downgrade(group, holder.memberId, { memberId, meta });
    return error === ErrorCode.NONE ? response(generation) : joinError(req.memberId, error);
  }
  // A static replacement takes over the old member's partitions.
  const current = member ? member.current : replaced ? { ...emptyCurrent(), assigned: replaced.current.assigned } : emptyCurrent();
  const owned = assignmentByIds(ctx.topics, sub.ownedPartitions ?? []);
  const records: CoordinatorRecord[] = [];
  const out = updateMember(ctx, group, false, { memberId, member, replaced, meta, current, owned, alwaysWriteCurrent: false }, records);
  if (typeof out === 'number') return joinError(req.memberId, out);

  group.cancelTimer(joinKey(memberId));
  group.setTimer(
    syncKey(memberId),
    ctx.clock.setTimeout(
      () => fence(ctx, group, memberId, 'the member failed to sync within timeout.'),
      Math.max(req.rebalanceTimeoutMs, 0),
    ),
  );
  return response(out.next.memberEpoch);
}

/** Kafka's validateConsumerGroupMember then throwIfMemberDoesNotUseClassicProtocol: the member, or the error code. */
function classicMember(group: ConsumerGroup, memberId: string, instanceId: string | null): ConsumerMember | number {
  let m: ConsumerMember | undefined;
  if (instanceId === null) m = group.members.get(memberId);
  else {
    const id = group.staticMembers.get(instanceId);
    m = id === undefined ? undefined : group.members.get(id);
    if (m && m.memberId !== memberId) return ErrorCode.FENCED_INSTANCE_ID;
  }
  if (!m || m.meta.classic === null) return ErrorCode.UNKNOWN_MEMBER_ID;
  return m;
}

/** The member must rejoin to move on (Kafka's throwIfRebalanceInProgress); its join timeout starts. */
function mustRejoin(ctx: ConsumerContext, group: ConsumerGroup, m: ConsumerMember, forHeartbeat: boolean): boolean {
  const cur = m.current;
  const rejoin = forHeartbeat
    ? cur.memberEpoch < group.groupEpoch ||
      cur.state === MemberState.UNREVOKED_PARTITIONS ||
      (cur.state === MemberState.UNRELEASED_PARTITIONS && !waitingOnUnreleased(group, m))
    : group.groupEpoch > cur.memberEpoch && cur.state !== MemberState.UNREVOKED_PARTITIONS;
  if (rejoin && !group.timers.has(joinKey(m.memberId))) {
    const id = m.memberId;
    group.setTimer(
      joinKey(id),
      ctx.clock.setTimeout(
        () => fence(ctx, group, id, 'the classic member failed to join within the rebalance timeout.'),
        Math.max(m.meta.rebalanceTimeoutMs, 0),
      ),
    );
  }
  return rejoin;
}

/** Kafka's ConsumerGroup.waitingOnUnreleasedPartition: a partition of its target is still held by another member. */
function waitingOnUnreleased(group: ConsumerGroup, m: ConsumerMember): boolean {
  for (const [t, ps] of group.targets.get(m.memberId) ?? new Map<string, Set<number>>()) {
    for (const p of ps) {
      if (m.current.assigned.get(t)?.has(p)) continue;
      const owner = group.ownerOf(t, p);
      if (owner !== undefined && owner !== m.memberId) return true;
    }
  }
  return false;
}

function fence(ctx: ConsumerContext, group: ConsumerGroup, memberId: string, reason: string): void {
  group.timers.delete(joinKey(memberId));
  group.timers.delete(syncKey(memberId));
  if (group.members.has(memberId) && !group.dead) removeMember(ctx, group, memberId, `fenced: ${reason}`);
}

/** SyncGroup from a classic member of a consumer group: its current assignment in the consumer protocol. */
export function classicSync(ctx: ConsumerContext, group: ConsumerGroup, req: SyncRequest): SyncResponse {
  const m = classicMember(group, req.memberId, req.groupInstanceId);
  if (typeof m === 'number') return syncError(m);
  if (req.generationId !== m.current.memberEpoch) return syncError(ErrorCode.ILLEGAL_GENERATION);
  const protocols = m.meta.classic!.supportedProtocols;
  if (req.protocolType !== null && req.protocolType !== CONSUMER_PROTOCOL_TYPE) return syncError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  if (req.protocolName !== null && req.protocolName !== protocols[0]?.name) return syncError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  if (mustRejoin(ctx, group, m, false)) return syncError(ErrorCode.REBALANCE_IN_PROGRESS);
  group.cancelTimer(syncKey(m.memberId));
  scheduleSession(ctx, group, m.memberId);
  return {
    errorCode: ErrorCode.NONE,
    protocolType: req.protocolType,
    protocolName: req.protocolName,
    assignment: classicAssignmentBytes(ctx.topics, m.current.assigned, protocols[0]?.metadata ?? Buffer.alloc(0)),
  };
}

/** Heartbeat from a classic member of a consumer group. */
export function classicHeartbeat(
  ctx: ConsumerContext,
  group: ConsumerGroup,
  memberId: string,
  instanceId: string | null,
  generationId: number,
): number {
  const m = classicMember(group, memberId, instanceId);
  if (typeof m === 'number') return m;
  if (generationId !== m.current.memberEpoch) return ErrorCode.ILLEGAL_GENERATION;
  scheduleSession(ctx, group, m.memberId);
  return mustRejoin(ctx, group, m, true) ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE;
}
