// A KIP-1071 streams group (Kafka's StreamsGroup): the group epoch, the topology its members
// run, the members (process, endpoint, client tags), their target tasks at the assignment epoch
// and who currently owns each active task. Like the consumer group (../consumer-group.ts) it
// changes only by replaying its records (streams/records.ts), at start-up and right after the
// heartbeat logic (streams/heartbeat.ts) appended them, so memory equals the log. What Kafka
// keeps in memory only (the endpoint information epoch, a requested application shutdown, when
// the group was created for the initial rebalance delay) is kept here too, and lost on restart.

import { ErrorCode } from '../../../protocol/errors.js';
import type { TimerHandle } from '../../../storage/clock.js';
import { GroupError, type Group, type ListedGroup, type OffsetExpiration } from '../group.js';
import {
  emptyTasks,
  StreamsMemberState,
  type StreamsCurrentAssignment,
  type StreamsGroupRecord,
  type StreamsMemberMetadata,
  type TasksTuple,
  type Topology,
} from './records.js';

export const STREAMS_GROUP_PROTOCOL_TYPE = 'streams';
export const LEAVE_GROUP_MEMBER_EPOCH = -1;
export const LEAVE_GROUP_STATIC_MEMBER_EPOCH = -2;

export type StreamsGroupState = 'Empty' | 'NotReady' | 'Assigning' | 'Reconciling' | 'Stable' | 'Dead';

export function emptyStreamsCurrent(): StreamsCurrentAssignment {
  return {
    memberEpoch: 0,
    previousMemberEpoch: 0,
    state: StreamsMemberState.STABLE,
    assigned: emptyTasks(),
    pendingRevocation: emptyTasks(),
  };
}

/** A task's offset as a member reports it (StreamsGroupHeartbeat's TaskOffsets / TaskEndOffsets). */
export interface TaskOffset {
  subtopologyId: string;
  partition: number;
  offset: number;
}

export class StreamsMember {
  /** The last task offsets and end offsets the member reported (in memory, as in Kafka). */
  taskOffsets: TaskOffset[] = [];
  taskEndOffsets: TaskOffset[] = [];
  constructor(
    readonly memberId: string,
    public meta: StreamsMemberMetadata,
    public current: StreamsCurrentAssignment = emptyStreamsCurrent(),
  ) {}
}

export class StreamsGroup implements Group {
  readonly type = 'streams' as const;
  // A new group starts at group epoch 1 with an empty target assignment at epoch 1, as Kafka 4.4's
  // ModernGroup does (KAFKA-20268): the first member's join takes the group to epoch 2.
  groupEpoch = 1;
  assignmentEpoch = 1;
  metadataHash = 0;
  validatedTopologyEpoch = -1;
  topology: Topology | null = null;
  readonly members = new Map<string, StreamsMember>();
  /** instance id -> member id. */
  readonly staticMembers = new Map<string, string>();
  /** member id -> target tasks at assignmentEpoch. */
  readonly targets = new Map<string, TasksTuple>();
  /** "subtopology:partition" -> member id running it actively (assigned or pending revocation). */
  private readonly activeOwners = new Map<string, string>();
  /** Timers by key (session:<member>, rebalance:<member>). */
  readonly timers = new Map<string, TimerHandle>();
  /** Bumped when the endpoint-to-partitions map members see may have changed (in memory, as in Kafka). */
  endpointInformationEpoch = 0;
  /** A member asked for the whole application to shut down (in memory, as in Kafka). */
  shutdownRequestedBy: string | null = null;
  /** Broker time before which the first target assignment waits (group.streams.initial.rebalance.delay.ms); 0 once loaded. */
  initialDelayUntilMs = 0;
  /** When the last target assignment was computed (group.streams.assignment.interval.ms counts from it; in memory). */
  lastAssignmentMs: number | null = null;
  dead = false;

  constructor(readonly groupId: string) {}

  // ---- state ----------------------------------------------------------------------------------

  /** Whether the current topology was found in a valid configuration of topics. */
  isReady(): boolean {
    return this.topology !== null && this.validatedTopologyEpoch === this.topology.epoch;
  }

  stateName(): StreamsGroupState {
    if (this.dead) return 'Dead';
    if (this.members.size === 0) return 'Empty';
    if (!this.isReady()) return 'NotReady';
    if (this.groupEpoch > this.assignmentEpoch) return 'Assigning';
    for (const m of this.members.values()) {
      if (m.current.memberEpoch !== this.assignmentEpoch || m.current.state !== StreamsMemberState.STABLE) return 'Reconciling';
    }
    return 'Stable';
  }

  /** Member running an active task, if any. */
  activeOwnerOf(subtopologyId: string, partition: number): string | undefined {
    return this.activeOwners.get(`${subtopologyId}:${partition}`);
  }

  // ---- replay ---------------------------------------------------------------------------------

  /** Apply one record of this group (the group-level tombstone is the coordinator's). */
  replay(rec: StreamsGroupRecord): void {
    switch (rec.kind) {
      case 'sg-epoch':
        if (rec.value !== null) {
          this.groupEpoch = rec.value.epoch;
          this.metadataHash = rec.value.metadataHash;
          this.validatedTopologyEpoch = rec.value.validatedTopologyEpoch;
        }
        return;
      case 'sg-topology':
        this.topology = rec.value;
        return;
      case 'sg-target-epoch':
        this.assignmentEpoch = rec.value ?? -1;
        return;
      case 'sg-target':
        if (rec.value === null) this.targets.delete(rec.memberId);
        else this.targets.set(rec.memberId, rec.value);
        return;
      case 'sg-member': {
        const existing = this.members.get(rec.memberId);
        if (rec.value === null) {
          if (!existing) return;
          this.setOwnership(existing.memberId, null);
          this.members.delete(rec.memberId);
          const inst = existing.meta.instanceId;
          if (inst !== null && this.staticMembers.get(inst) === rec.memberId) this.staticMembers.delete(inst);
          if (this.shutdownRequestedBy === rec.memberId) this.shutdownRequestedBy = null;
          return;
        }
        if (existing) existing.meta = rec.value;
        else this.members.set(rec.memberId, new StreamsMember(rec.memberId, rec.value));
        if (rec.value.instanceId !== null) this.staticMembers.set(rec.value.instanceId, rec.memberId);
        return;
      }
      case 'sg-current': {
        const m = this.members.get(rec.memberId);
        if (!m) return;
        m.current = rec.value ?? {
          ...emptyStreamsCurrent(),
          memberEpoch: LEAVE_GROUP_MEMBER_EPOCH,
          previousMemberEpoch: LEAVE_GROUP_MEMBER_EPOCH,
        };
        this.setOwnership(m.memberId, m);
        return;
      }
    }
  }

  private setOwnership(memberId: string, m: StreamsMember | null): void {
    for (const [k, owner] of this.activeOwners) if (owner === memberId) this.activeOwners.delete(k);
    if (!m) return;
    for (const t of [m.current.assigned.active, m.current.pendingRevocation.active]) {
      for (const [sub, ps] of t) for (const p of ps) this.activeOwners.set(`${sub}:${p}`, memberId);
    }
  }

  // ---- timers ---------------------------------------------------------------------------------

  setTimer(key: string, t: TimerHandle): void {
    this.timers.get(key)?.cancel();
    this.timers.set(key, t);
  }

  cancelTimer(key: string): void {
    this.timers.get(key)?.cancel();
    this.timers.delete(key);
  }

  // ---- Group ----------------------------------------------------------------------------------

  isEmpty(): boolean {
    return this.members.size === 0;
  }

  isSubscribedToTopic(topic: string): boolean {
    if (this.topology === null || this.members.size === 0) return false;
    return this.topology.subtopologies.some(
      (s) => s.sourceTopics.includes(topic) || s.repartitionSourceTopics.some((t) => t.name === topic),
    );
  }

  /** Kafka's StreamsGroup.validateOffsetCommit (member epochs; per-task assignment epochs are not kept). */
  validateOffsetCommit(
    memberId: string,
    groupInstanceId: string | null,
    memberEpoch: number,
    apiVersion: number,
    isTransactional = false,
  ): void {
    if (this.dead) throw new GroupError(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    // Epoch -1 with no members: an admin client or a consumer without group management.
    if (memberEpoch < 0 && this.members.size === 0) return;
    // TxnOffsetCommit's member fields are optional: checked only when one is given.
    if (isTransactional && memberEpoch === -1 && memberId === '' && groupInstanceId === null) return;
    const m = this.members.get(memberId);
    if (!m) throw new GroupError(ErrorCode.UNKNOWN_MEMBER_ID, `Member ${memberId} is not a member of group ${this.groupId}.`);
    if (!isTransactional && apiVersion < 9) {
      throw new GroupError(
        ErrorCode.UNSUPPORTED_VERSION,
        'OffsetCommit version 9 or above must be used by members using the streams group protocol',
      );
    }
    this.validateMemberEpoch(memberEpoch, m);
  }

  /** Kafka's StreamsGroup.validateOffsetFetch: OffsetFetch v9 with a member id or epoch. */
  validateOffsetFetch(memberId: string | null, memberEpoch: number): void {
    if (this.dead) throw new GroupError(ErrorCode.GROUP_ID_NOT_FOUND);
    if ((memberId === null || memberId === '') && memberEpoch < 0) return;
    const m = memberId === null ? undefined : this.members.get(memberId);
    if (!m) throw new GroupError(ErrorCode.UNKNOWN_MEMBER_ID);
    if (memberEpoch !== m.current.memberEpoch) throw new GroupError(ErrorCode.STALE_MEMBER_EPOCH);
  }

  /** A commit carries the member's epoch, or the one before it while the member catches up. */
  private validateMemberEpoch(received: number, m: StreamsMember): void {
    const expected = m.current.memberEpoch;
    if (received > expected) {
      throw new GroupError(
        ErrorCode.STALE_MEMBER_EPOCH,
        `Received member epoch ${received} is newer than current member epoch ${expected}.`,
      );
    }
    if (received !== expected && received !== m.current.previousMemberEpoch) {
      throw new GroupError(
        ErrorCode.STALE_MEMBER_EPOCH,
        `The received member epoch ${received} does not match the expected member epoch ${expected}.`,
      );
    }
  }

  validateOffsetDelete(): void {
    if (this.dead) throw new GroupError(ErrorCode.GROUP_ID_NOT_FOUND);
  }

  validateDeleteGroup(): void {
    if (this.dead) throw new GroupError(ErrorCode.GROUP_ID_NOT_FOUND);
    if (this.members.size > 0) throw new GroupError(ErrorCode.NON_EMPTY_GROUP);
  }

  offsetExpiration(): OffsetExpiration {
    return (o, now, retentionMs) => (o.expireTimestamp !== null ? now >= o.expireTimestamp : now - o.commitTimestamp >= retentionMs);
  }

  asListedGroup(): ListedGroup {
    return { groupId: this.groupId, protocolType: STREAMS_GROUP_PROTOCOL_TYPE, groupState: this.stateName(), groupType: 'streams' };
  }

  dispose(_errorCode: number): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }
}
