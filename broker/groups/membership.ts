// Classic group membership requests (Kafka's GroupMetadataManager; static members per KIP-345):
// JoinGroup for new, pending, known and static members; LeaveGroup; Heartbeat. They change the
// ClassicGroup (its owner) and hand phase changes to rebalance.ts. Request-level checks (group id,
// session timeout bounds, coordinator) happen before, in coordinator.ts.

import { ErrorCode } from '../../protocol/errors.js';
import { heartbeatKey, type ClassicGroup } from './classic-group.js';
import { ClassicMember, joinError, type JoinResponse, type Protocol } from './classic-member.js';
import { GroupError } from './group.js';
import {
  expireHeartbeat,
  maybeCompleteJoinPhase,
  maybePrepareRebalanceOrCompleteJoin,
  prepareRebalance,
  rescheduleHeartbeat,
  type ClassicContext,
} from './rebalance.js';

export interface JoinRequest {
  memberId: string;
  groupInstanceId: string | null;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: Protocol[];
  clientId: string;
  clientHost: string;
  apiVersion: number;
  reason: string | null;
}

type Resolve = (r: JoinResponse) => void;

/** JoinGroup on a group that exists (or was just created for an unknown member). */
export function joinGroup(ctx: ClassicContext, group: ClassicGroup, req: JoinRequest, groupMaxSize: number): Promise<JoinResponse> {
  return new Promise<JoinResponse>((resolve) => {
    if (!acceptJoiningMember(group, req.memberId, groupMaxSize)) {
      group.remove(req.memberId);
      resolve(joinError('', ErrorCode.GROUP_MAX_SIZE_REACHED));
    } else if (req.memberId === '') {
      joinNewMember(ctx, group, req, resolve);
    } else {
      joinExistingMember(ctx, group, req, resolve);
    }
  });
}

function acceptJoiningMember(group: ClassicGroup, memberId: string, maxSize: number): boolean {
  switch (group.state) {
    case 'Empty':
    case 'Dead':
      return true;
    case 'PreparingRebalance':
      // Counting members already awaiting (not the size) lets a shrunk max size kick out the last rejoiners.
      return (group.members.get(memberId)?.awaitingJoin ?? null) !== null || group.numMembersAwaitingJoin < maxSize;
    default:
      return group.members.has(memberId) || group.members.size < maxSize;
  }
}

function joinNewMember(ctx: ClassicContext, group: ClassicGroup, req: JoinRequest, resolve: Resolve): void {
  if (group.is('Dead')) {
    resolve(joinError('', ErrorCode.COORDINATOR_NOT_AVAILABLE));
    return;
  }
  if (!group.supportsProtocols(req.protocolType, req.protocols)) {
    resolve(joinError('', ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    return;
  }
  const newMemberId = group.generateMemberId(req.clientId, req.groupInstanceId);
  if (req.groupInstanceId !== null) {
    const existing = group.staticMembers.get(req.groupInstanceId);
    if (existing !== undefined) {
      updateStaticMember(ctx, group, req, existing, newMemberId, resolve);
      return;
    }
    addMemberAndRebalance(ctx, group, req, newMemberId, resolve);
    return;
  }
  if (req.apiVersion >= 4) {
    // JoinGroup v4+: hand out the id and expect the member back with it (KIP-394).
    group.expectMember(newMemberId);
    group.scheduleTimer(heartbeatKey(newMemberId), req.sessionTimeoutMs, () => expireHeartbeat(ctx, group, newMemberId));
    resolve(joinError(newMemberId, ErrorCode.MEMBER_ID_REQUIRED));
    return;
  }
  addMemberAndRebalance(ctx, group, req, newMemberId, resolve);
}

function joinExistingMember(ctx: ClassicContext, group: ClassicGroup, req: JoinRequest, resolve: Resolve): void {
  const memberId = req.memberId;
  if (group.is('Dead')) {
    resolve(joinError(memberId, ErrorCode.COORDINATOR_NOT_AVAILABLE));
    return;
  }
  if (!group.supportsProtocols(req.protocolType, req.protocols)) {
    resolve(joinError(memberId, ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    return;
  }
  if (group.pendingMembers.has(memberId)) {
    if (req.groupInstanceId !== null) {
      resolve(joinError(memberId, ErrorCode.INVALID_REQUEST));
      return;
    }
    addMemberAndRebalance(ctx, group, req, memberId, resolve);
    return;
  }
  try {
    group.validateMember(memberId, req.groupInstanceId);
  } catch (err) {
    if (err instanceof GroupError) {
      resolve(joinError(memberId, err.errorCode));
      return;
    }
    throw err;
  }
  const member = group.members.get(memberId)!;
  const current = (members: JoinResponse['members']): JoinResponse => ({
    errorCode: ErrorCode.NONE,
    generationId: group.generationId,
    protocolType: group.protocolType,
    protocolName: group.protocolName,
    leader: group.leaderId ?? '',
    skipAssignment: false,
    memberId,
    members,
  });
  const client = req.reason ? `; client reason: ${req.reason}` : '';
  switch (group.state) {
    case 'PreparingRebalance':
      updateMemberAndRebalance(ctx, group, member, req, resolve, `member ${memberId} is joining during PreparingRebalance${client}`);
      return;
    case 'CompletingRebalance':
      // Same metadata (it probably lost the JoinGroup answer): the current generation again.
      if (member.matches(req.protocols)) {
        resolve(current(group.isLeader(memberId) ? group.memberMetadata() : []));
        return;
      }
      updateMemberAndRebalance(ctx, group, member, req, resolve, `updating metadata of ${memberId} during CompletingRebalance${client}`);
      return;
    case 'Stable':
      // A rejoining leader may have seen metadata changes (new topics) that need a new assignment.
      if (group.isLeader(memberId)) {
        updateMemberAndRebalance(ctx, group, member, req, resolve, `leader ${memberId} re-joining${client}`);
        return;
      }
      if (!member.matches(req.protocols)) {
        updateMemberAndRebalance(ctx, group, member, req, resolve, `updating metadata of ${memberId}${client}`);
        return;
      }
      resolve(current([]));
      return;
    default:
      resolve(joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID));
      return;
  }
}

function addMemberAndRebalance(ctx: ClassicContext, group: ClassicGroup, req: JoinRequest, memberId: string, resolve: Resolve): void {
  const member = new ClassicMember(
    memberId,
    req.groupInstanceId,
    req.clientId,
    req.clientHost,
    req.rebalanceTimeoutMs,
    req.sessionTimeoutMs,
    req.protocolType,
    req.protocols,
  );
  group.addNewMember(member, resolve);
  // A new member parked in JoinGroup cannot heartbeat: it gets a fixed join timeout instead.
  rescheduleHeartbeat(ctx, group, member, ctx.newMemberJoinTimeoutMs);
  maybePrepareRebalanceOrCompleteJoin(ctx, group, `adding new member ${memberId}${req.reason ? `; client reason: ${req.reason}` : ''}`);
}

function updateMemberAndRebalance(
  ctx: ClassicContext,
  group: ClassicGroup,
  member: ClassicMember,
  req: JoinRequest,
  resolve: Resolve,
  reason: string,
): void {
  group.updateMember(member, req.protocols, req.rebalanceTimeoutMs, req.sessionTimeoutMs, resolve);
  maybePrepareRebalanceOrCompleteJoin(ctx, group, reason);
}

/**
 * A known group.instance.id with an unknown member id: the new id replaces the old one (fenced
 * from now on). In a Stable group whose selected protocol would not change, no rebalance: the
 * member gets the current generation (a v9+ leader with the member list and skip_assignment)
 * and SyncGroup hands back its old assignment.
 */
function updateStaticMember(
  ctx: ClassicContext,
  group: ClassicGroup,
  req: JoinRequest,
  oldMemberId: string,
  newMemberId: string,
  resolve: Resolve,
): void {
  const instanceId = req.groupInstanceId!;
  const currentLeader = group.leaderId ?? '';
  const member = group.replaceStaticMember(instanceId, oldMemberId, newMemberId);
  rescheduleHeartbeat(ctx, group, member);
  const old = { protocols: member.protocols, rebalanceTimeoutMs: member.rebalanceTimeoutMs, sessionTimeoutMs: member.sessionTimeoutMs };
  group.updateMember(member, req.protocols, req.rebalanceTimeoutMs, req.sessionTimeoutMs, resolve);
  const reason = `static member ${newMemberId} (instance ${instanceId}) rejoined${req.reason ? `; client reason: ${req.reason}` : ''}`;
  if (group.is('Stable')) {
    if (group.protocolName !== group.selectProtocol()) {
      maybePrepareRebalanceOrCompleteJoin(ctx, group, `${reason} with a change of protocol`);
      return;
    }
    ctx.log.info(
      { group: group.groupId, member: newMemberId, instance: instanceId },
      'static member rejoined a stable group without a rebalance',
    );
    const error = ctx.storeGroup(group, group.groupAssignment());
    if (error !== ErrorCode.NONE) {
      group.updateMember(member, old.protocols, old.rebalanceTimeoutMs, old.sessionTimeoutMs, null);
      const back = group.replaceStaticMember(instanceId, newMemberId, oldMemberId);
      rescheduleHeartbeat(ctx, group, back);
      resolve({
        ...joinError('', error),
        generationId: group.generationId,
        protocolType: group.protocolType,
        protocolName: group.protocolName,
        leader: currentLeader,
      });
      return;
    }
    const base = {
      errorCode: ErrorCode.NONE,
      generationId: group.generationId,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      memberId: newMemberId,
    };
    if (req.apiVersion >= 9) {
      const isLeader = group.isLeader(newMemberId);
      group.completeJoin(member, {
        ...base,
        leader: group.leaderId ?? '',
        skipAssignment: isLeader,
        members: isLeader ? group.memberMetadata() : [],
      });
    } else {
      // The old leader id keeps a rejoining leader from computing an assignment a Stable group would not hand out.
      group.completeJoin(member, { ...base, leader: currentLeader, skipAssignment: false, members: [] });
    }
    return;
  }
  if (group.is('CompletingRebalance')) {
    prepareRebalance(ctx, group, reason);
    return;
  }
  maybeCompleteJoinPhase(ctx, group);
}

// ---- LeaveGroup ---------------------------------------------------------------------------

export interface LeaveMember {
  memberId: string;
  groupInstanceId: string | null;
  reason?: string | null;
}

export interface LeaveResult {
  memberId: string;
  groupInstanceId: string | null;
  errorCode: number;
}

/** LeaveGroup: each member leaves (or gets its error); then rebalance or finish the join phase. */
export function leaveGroup(
  ctx: ClassicContext,
  group: ClassicGroup,
  members: readonly LeaveMember[],
): { errorCode: number; members: LeaveResult[] } {
  if (group.is('Dead')) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, members: [] };
  const results: LeaveResult[] = [];
  const left: string[] = [];
  for (const m of members) {
    const result = (errorCode: number) => results.push({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, errorCode });
    if (m.memberId === '') {
      // Administrative removal by group.instance.id.
      const id = m.groupInstanceId !== null ? group.staticMembers.get(m.groupInstanceId) : undefined;
      if (id === undefined) {
        result(ErrorCode.UNKNOWN_MEMBER_ID);
        continue;
      }
      removeLeaving(ctx, group, id, m.reason ?? null);
      left.push(id);
      result(ErrorCode.NONE);
    } else if (group.pendingMembers.has(m.memberId)) {
      group.remove(m.memberId);
      left.push(m.memberId);
      result(ErrorCode.NONE);
    } else {
      try {
        group.validateMember(m.memberId, m.groupInstanceId);
      } catch (err) {
        if (!(err instanceof GroupError)) throw err;
        result(err.errorCode);
        continue;
      }
      removeLeaving(ctx, group, m.memberId, m.reason ?? null);
      left.push(m.memberId);
      result(ErrorCode.NONE);
    }
  }
  if (left.length > 0) {
    const reason = `explicitly removed members ${left.join(', ')} from the group`;
    if (group.is('Stable') || group.is('CompletingRebalance')) maybePrepareRebalanceOrCompleteJoin(ctx, group, reason);
    else if (group.is('PreparingRebalance')) maybeCompleteJoinPhase(ctx, group);
  }
  return { errorCode: ErrorCode.NONE, members: results };
}

function removeLeaving(ctx: ClassicContext, group: ClassicGroup, memberId: string, reason: string | null): void {
  const member = group.members.get(memberId)!;
  ctx.log.info({ group: group.groupId, member: memberId, reason }, 'member left the group');
  group.completeJoin(member, joinError('', ErrorCode.UNKNOWN_MEMBER_ID));
  group.remove(memberId);
}

// ---- Heartbeat ----------------------------------------------------------------------------

/** Heartbeat checks in Kafka's order; a heartbeat resets the session timer even while rebalancing. */
export function heartbeat(
  ctx: ClassicContext,
  group: ClassicGroup,
  memberId: string,
  groupInstanceId: string | null,
  generationId: number,
): number {
  if (group.is('Dead')) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
  try {
    group.validateMember(memberId, groupInstanceId);
  } catch (err) {
    if (err instanceof GroupError) return err.errorCode;
    throw err;
  }
  if (generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
  const member = group.members.get(memberId)!;
  switch (group.state) {
    case 'Empty':
      return ErrorCode.UNKNOWN_MEMBER_ID;
    case 'PreparingRebalance':
      rescheduleHeartbeat(ctx, group, member);
      return ErrorCode.REBALANCE_IN_PROGRESS;
    default:
      rescheduleHeartbeat(ctx, group, member);
      return ErrorCode.NONE;
  }
}
