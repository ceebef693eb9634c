// The classic rebalance machinery (Kafka's GroupMetadataManager): preparing a
// rebalance, the initial delay, completing the join phase, SyncGroup and the assignment hand-out,
// and every timer that ends a phase: the join timer (initial delay, then the rebalance
// timeout), the pending-sync timer (members that never send SyncGroup) and the per-member
// session timers. All timers run on the injected clock through ClassicGroup.scheduleTimer, so
// the group owns and cancels them.

import type { Logger } from 'pino';
import { ErrorCode } from '../../protocol/errors.js';
import type { Clock } from '../../storage/clock.js';
import { JOIN_KEY, SYNC_KEY, heartbeatKey, type ClassicGroup } from './classic-group.js';
import { EMPTY_BYTES, joinError, syncError, type ClassicMember, type SyncResponse } from './classic-member.js';
import { GroupError } from './group.js';

/** What the classic state machine needs from the coordinator. */
export interface ClassicContext {
  readonly clock: Clock;
  readonly log: Logger;
  /** group.initial.rebalance.delay.ms */
  initialRebalanceDelayMs(): number;
  /** How long a brand-new member may sit in its first JoinGroup (Kafka: 5 minutes). */
  readonly newMemberJoinTimeoutMs: number;
  /** Append a GroupMetadata record with these assignments; 0, or the error code to answer with. */
  storeGroup(group: ClassicGroup, assignment: ReadonlyMap<string, Buffer>): number;
}

export interface SyncRequest {
  memberId: string;
  groupInstanceId: string | null;
  generationId: number;
  protocolType: string | null;
  protocolName: string | null;
  assignments: ReadonlyArray<{ memberId: string; assignment: Buffer }>;
}

// ---- session timeouts ---------------------------------------------------------------------

export function rescheduleHeartbeat(
  ctx: ClassicContext,
  group: ClassicGroup,
  member: ClassicMember,
  timeoutMs = member.sessionTimeoutMs,
): void {
  const memberId = member.memberId;
  group.scheduleTimer(heartbeatKey(memberId), timeoutMs, () => expireHeartbeat(ctx, group, memberId));
}

/** A member's session timer fired (pending members use the same key). */
export function expireHeartbeat(ctx: ClassicContext, group: ClassicGroup, memberId: string): void {
  if (group.is('Dead')) return;
  if (group.pendingMembers.has(memberId)) {
    ctx.log.info({ group: group.groupId, member: memberId }, 'pending member expired');
    group.remove(memberId);
    if (group.is('PreparingRebalance') && group.hasAllMembersJoined()) completeJoinPhase(ctx, group);
    return;
  }
  const member = group.members.get(memberId);
  if (!member || member.hasSatisfiedHeartbeat()) return;
  ctx.log.info({ group: group.groupId, member: memberId }, 'member failed (session timeout), removing it from the group');
  removeMemberAndUpdateGroup(ctx, group, member, `removing member ${memberId} on heartbeat expiration`);
}

/** Remove a member (timeout, LeaveGroup) and rebalance, or finish the join phase it held up. */
export function removeMemberAndUpdateGroup(ctx: ClassicContext, group: ClassicGroup, member: ClassicMember, reason: string): void {
  // A new member may still be parked in JoinGroup: answer it so the client retries.
  group.completeJoin(member, joinError('', ErrorCode.UNKNOWN_MEMBER_ID));
  group.remove(member.memberId);
  if (group.is('Stable') || group.is('CompletingRebalance')) maybePrepareRebalanceOrCompleteJoin(ctx, group, reason);
  else if (group.is('PreparingRebalance') && group.hasAllMembersJoined()) completeJoinPhase(ctx, group);
}

// ---- join phase ---------------------------------------------------------------------------

export function maybePrepareRebalanceOrCompleteJoin(ctx: ClassicContext, group: ClassicGroup, reason: string): void {
  if (group.canRebalance()) prepareRebalance(ctx, group, reason);
  else maybeCompleteJoinPhase(ctx, group);
}

/** Finish the join phase early once everyone rejoined (never during the initial delay). */
export function maybeCompleteJoinPhase(ctx: ClassicContext, group: ClassicGroup): void {
  if (group.is('PreparingRebalance') && group.hasAllMembersJoined() && group.previousState !== 'Empty') completeJoinPhase(ctx, group);
}

export function prepareRebalance(ctx: ClassicContext, group: ClassicGroup, reason: string): void {
  // Members waiting in SyncGroup must rejoin.
  if (group.is('CompletingRebalance')) resetAndPropagateAssignmentWithError(ctx, group, ErrorCode.REBALANCE_IN_PROGRESS);
  group.cancelTimer(SYNC_KEY);
  const initial = group.is('Empty');
  group.transitionTo('PreparingRebalance');
  ctx.log.info({ group: group.groupId, generation: group.generationId, reason }, 'preparing to rebalance group');
  if (!initial) {
    maybeCompleteJoinElseSchedule(ctx, group);
    return;
  }
  // A new group waits group.initial.rebalance.delay.ms for more members, each newcomer
  // extending the wait by up to that delay again, up to the rebalance timeout in total.
  const delayMs = ctx.initialRebalanceDelayMs();
  const remainingMs = Math.max(group.rebalanceTimeoutMs() - delayMs, 0);
  if (delayMs === 0) completeJoinPhase(ctx, group);
  else group.scheduleTimer(JOIN_KEY, delayMs, () => tryCompleteInitialRebalance(ctx, group, delayMs, remainingMs));
}

function tryCompleteInitialRebalance(ctx: ClassicContext, group: ClassicGroup, delayMs: number, remainingMs: number): void {
  if (group.newMemberAdded && remainingMs !== 0) {
    group.clearNewMemberAdded();
    const nextDelay = Math.min(ctx.initialRebalanceDelayMs(), remainingMs);
    const nextRemaining = Math.max(remainingMs - delayMs, 0);
    group.scheduleTimer(JOIN_KEY, nextDelay, () => tryCompleteInitialRebalance(ctx, group, nextDelay, nextRemaining));
  } else {
    completeJoinPhase(ctx, group);
  }
}

function maybeCompleteJoinElseSchedule(ctx: ClassicContext, group: ClassicGroup): void {
  if (group.hasAllMembersJoined()) completeJoinPhase(ctx, group);
  else group.scheduleTimer(JOIN_KEY, group.rebalanceTimeoutMs(), () => completeJoinPhase(ctx, group));
}

/**
 * End of the join phase: drop dynamic members that did not rejoin, elect a leader among those
 * that did, start the next generation and answer every parked JoinGroup (only the leader gets
 * the member list). Nobody left: the group goes Empty and an empty GroupMetadata is stored.
 */
export function completeJoinPhase(ctx: ClassicContext, group: ClassicGroup): void {
  group.cancelTimer(JOIN_KEY);
  if (!group.is('PreparingRebalance')) return;
  for (const m of [...group.members.values()]) {
    if (!m.awaitingJoin && m.groupInstanceId === null) {
      ctx.log.info({ group: group.groupId, member: m.memberId }, 'member did not rejoin before the rebalance timeout; removed');
      group.remove(m.memberId);
    }
  }
  if (!group.maybeElectNewJoinedLeader() && group.members.size > 0) {
    // Only static members that did not rejoin are left: wait for their session timeouts.
    ctx.log.warn({ group: group.groupId }, 'could not complete the rebalance because no members rejoined');
    group.scheduleTimer(JOIN_KEY, group.rebalanceTimeoutMs(), () => completeJoinPhase(ctx, group));
    return;
  }
  group.initNextGeneration();
  if (group.is('Empty')) {
    ctx.log.info({ group: group.groupId, generation: group.generationId }, 'group is now empty');
    ctx.storeGroup(group, new Map());
    return;
  }
  ctx.log.info(
    { group: group.groupId, generation: group.generationId, protocol: group.protocolName, members: group.members.size },
    'join phase complete',
  );
  for (const m of group.members.values()) {
    group.completeJoin(m, {
      errorCode: ErrorCode.NONE,
      generationId: group.generationId,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      leader: group.leaderId ?? '',
      skipAssignment: false,
      memberId: m.memberId,
      members: group.isLeader(m.memberId) ? group.memberMetadata() : [],
    });
    rescheduleHeartbeat(ctx, group, m);
    group.memberJoined(m);
  }
  const generation = group.generationId;
  group.scheduleTimer(SYNC_KEY, group.rebalanceTimeoutMs(), () => expirePendingSync(ctx, group, generation));
}

/** Members that had the rebalance timeout to send SyncGroup and didn't are removed. */
function expirePendingSync(ctx: ClassicContext, group: ClassicGroup, generationId: number): void {
  if (generationId !== group.generationId) return;
  if (!(group.is('CompletingRebalance') || group.is('Stable')) || group.hasReceivedSyncFromAllMembers()) return;
  const late = [...group.pendingSyncMembers];
  for (const id of late) group.remove(id);
  ctx.log.info({ group: group.groupId, members: late }, 'removed members that did not sync in time');
  prepareRebalance(ctx, group, `removing ${late.join(', ')} on pending sync request expiration`);
}

// ---- sync phase ---------------------------------------------------------------------------

/** SyncGroup on an existing group: an answer now, or a parked one (followers in CompletingRebalance). */
export function syncGroup(ctx: ClassicContext, group: ClassicGroup, req: SyncRequest): SyncResponse | Promise<SyncResponse> {
  if (group.is('Dead')) return syncError(ErrorCode.COORDINATOR_NOT_AVAILABLE);
  try {
    group.validateMember(req.memberId, req.groupInstanceId);
  } catch (err) {
    if (err instanceof GroupError) return syncError(err.errorCode);
    throw err;
  }
  if (req.generationId !== group.generationId) return syncError(ErrorCode.ILLEGAL_GENERATION);
  const inconsistent = (mine: string | null, theirs: string | null) => mine !== null && theirs !== null && mine !== theirs;
  if (inconsistent(req.protocolType, group.protocolType) || inconsistent(req.protocolName, group.protocolName)) {
    return syncError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  }
  const member = group.members.get(req.memberId)!;
  if (group.is('PreparingRebalance')) return syncError(ErrorCode.REBALANCE_IN_PROGRESS);
  if (group.is('Stable')) {
    group.syncReceived(req.memberId);
    return { errorCode: ErrorCode.NONE, protocolType: group.protocolType, protocolName: group.protocolName, assignment: member.assignment };
  }
  if (!group.is('CompletingRebalance')) return syncError(ErrorCode.UNKNOWN_MEMBER_ID);
  return new Promise<SyncResponse>((resolve) => {
    group.awaitSync(member, resolve);
    group.syncReceived(req.memberId);
    if (!group.isLeader(req.memberId)) return;
    // The leader's assignments complete the phase; members it left out get empty bytes.
    const assignment = new Map<string, Buffer>();
    for (const a of req.assignments) assignment.set(a.memberId, a.assignment);
    for (const id of group.members.keys()) if (!assignment.has(id)) assignment.set(id, EMPTY_BYTES);
    const error = ctx.storeGroup(group, assignment);
    if (!group.is('CompletingRebalance') || req.generationId !== group.generationId) return;
    if (error !== ErrorCode.NONE) {
      resetAndPropagateAssignmentWithError(ctx, group, error);
      maybePrepareRebalanceOrCompleteJoin(ctx, group, `error ${error} storing the group assignment during SyncGroup`);
      return;
    }
    group.setAssignments(assignment);
    propagateAssignment(ctx, group, ErrorCode.NONE);
    group.transitionTo('Stable');
    ctx.log.info({ group: group.groupId, generation: group.generationId }, 'group is stable');
  });
}

function resetAndPropagateAssignmentWithError(ctx: ClassicContext, group: ClassicGroup, errorCode: number): void {
  group.setAssignments(new Map());
  propagateAssignment(ctx, group, errorCode);
}

/** Answer every parked SyncGroup; their session timers restart from here. */
function propagateAssignment(ctx: ClassicContext, group: ClassicGroup, errorCode: number): void {
  const ok = errorCode === ErrorCode.NONE;
  for (const m of group.members.values()) {
    const answered = group.completeSync(m, {
      errorCode,
      protocolType: ok ? group.protocolType : null,
      protocolName: ok ? group.protocolName : null,
      assignment: m.assignment,
    });
    if (answered) rescheduleHeartbeat(ctx, group, m);
  }
}
