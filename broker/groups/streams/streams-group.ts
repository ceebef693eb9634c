// A KIP-1071 streams group (Kafka's StreamsGroup): the group epoch, the topology its members
// run, the members (process, endpoint, client tags), their target tasks at the assignment epoch
// and who currently owns each active task. Like the consumer group (../consumer-group.ts) it
// changes only by replaying its records (streams/records.ts), at start-up and right after the
// heartbeat logic (streams/heartbeat.ts) appended them, so memory equals the log. What Kafka
// keeps in memory only (the endpoint information epoch, a requested application shutdown, when
// the group was created for the initial rebalance delay) is kept here too, and lost on restart.

import { ErrorCode } from '../../../protocol/errors.js';
import { GroupError, type Group } from '../group.js';
import { CommittingGroup } from '../modern-group.js';
import {
  emptyTasks,
  StreamsMemberState,
  type StreamsCurrentAssignment,
  type StreamsGroupRecord,
  type StreamsMemberMetadata,
  type TasksTuple,
  type Topology,
} from './records.js';

export { LEAVE_GROUP_MEMBER_EPOCH, LEAVE_GROUP_STATIC_MEMBER_EPOCH } from '../modern-group.js';

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

export class StreamsGroup
  extends CommittingGroup<StreamsMemberMetadata, StreamsCurrentAssignment, StreamsMember, TasksTuple>
  implements Group
{
  readonly type = 'streams' as const;
  metadataHash = 0;
  validatedTopologyEpoch = -1;
  topology: Topology | null = null;
  /** "subtopology:partition" -> member id running it actively (assigned or pending revocation). */
  private readonly activeOwners = new Map<string, string>();
  /** Bumped when the endpoint-to-partitions map members see may have changed (in memory, as in Kafka). */
  endpointInformationEpoch = 0;
  /** A member asked for the whole application to shut down (in memory, as in Kafka). */
  shutdownRequestedBy: string | null = null;
  /** Broker time before which the first target assignment waits (group.streams.initial.rebalance.delay.ms); 0 once loaded. */
  initialDelayUntilMs = 0;
  /** When the last target assignment was computed (group.streams.assignment.interval.ms counts from it; in memory). */
  lastAssignmentMs: number | null = null;

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
        this.replayTargetEpoch(rec.value);
        return;
      case 'sg-target':
        this.replayTarget(rec.memberId, rec.value);
        return;
      case 'sg-member':
        this.replayMember(rec.memberId, rec.value, (id, meta) => new StreamsMember(id, meta));
        return;
      case 'sg-current':
        this.replayCurrent(rec.memberId, rec.value, emptyStreamsCurrent);
        return;
    }
  }

  protected override memberRemoved(memberId: string): void {
    if (this.shutdownRequestedBy === memberId) this.shutdownRequestedBy = null;
  }

  protected setOwnership(memberId: string, m: StreamsMember | null): void {
    for (const [k, owner] of this.activeOwners) if (owner === memberId) this.activeOwners.delete(k);
    if (!m) return;
    for (const t of [m.current.assigned.active, m.current.pendingRevocation.active]) {
      for (const [sub, ps] of t) for (const p of ps) this.activeOwners.set(`${sub}:${p}`, memberId);
    }
  }

  // ---- Group ----------------------------------------------------------------------------------

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
    const m = this.committingMember(memberId, groupInstanceId, memberEpoch, isTransactional);
    if (!m) return;
    if (!isTransactional && apiVersion < 9) {
      throw new GroupError(
        ErrorCode.UNSUPPORTED_VERSION,
        'OffsetCommit version 9 or above must be used by members using the streams group protocol',
      );
    }
    this.validateMemberEpoch(memberEpoch, m);
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
}
