// A KIP-932 share group (Kafka's ShareGroup): the group epoch with the metadata hash of the
// subscribed topics, the members with their subscriptions, their target assignment at the
// assignment epoch, each member's current assignment, and which share-partitions the group
// initialized (ShareGroupStatePartitionMetadata). It changes only by replaying its records (key
// versions 10-15, records.ts), at start-up and right after the heartbeat logic (heartbeat.ts)
// appended them, so memory always equals the log. States: Empty, Stable, Dead (a share member
// takes its target assignment at once: nothing to revoke, so no Assigning or Reconciling).
// Timers (session timeouts per member) are in a KeyedTimers, cancelled by dispose().

import { ErrorCode } from '../../../protocol/errors.js';
import type { Clock } from '../../../storage/clock.js';
import type { Assignment } from '../consumer-group-records.js';
import { GroupError, type Group, type OffsetExpiration } from '../group.js';
import { ModernGroup } from '../modern-group.js';
import { KeyedTimers } from '../timers.js';
import type { ShareCurrentAssignment, ShareGroupRecord, ShareMemberMetadata, StatePartitionMetadata } from './records.js';

export type ShareGroupState = 'Empty' | 'Stable' | 'Dead';

export interface ShareMember {
  readonly memberId: string;
  meta: ShareMemberMetadata;
  current: ShareCurrentAssignment;
}

export const emptyShareCurrent = (): ShareCurrentAssignment => ({ memberEpoch: 0, previousMemberEpoch: 0, state: 2, assigned: new Map() });

export class ShareGroup extends ModernGroup<ShareMember, Assignment> implements Group {
  readonly type = 'share' as const;
  metadataHash = 0;
  statePartitions: StatePartitionMetadata = { initializing: [], initialized: [], deleting: [] };
  /** When the last target assignment was computed (share.assignment.interval.ms counts from it; in memory). */
  lastAssignmentMs: number | null = null;
  readonly timers: KeyedTimers;

  constructor(groupId: string, clock: Clock) {
    super(groupId);
    this.timers = new KeyedTimers(clock);
  }

  stateName(): ShareGroupState {
    if (this.dead) return 'Dead';
    return this.members.size === 0 ? 'Empty' : 'Stable';
  }

  /** Apply one record of this group (the group-level tombstone is the coordinator's). */
  replay(rec: ShareGroupRecord): void {
    switch (rec.kind) {
      case 'share-epoch':
        if (rec.value !== null) {
          this.groupEpoch = rec.value.epoch;
          this.metadataHash = rec.value.metadataHash;
        }
        return;
      case 'share-target-epoch':
        this.replayTargetEpoch(rec.value);
        return;
      case 'share-target':
        this.replayTarget(rec.memberId, rec.value);
        return;
      case 'share-state':
        this.statePartitions = rec.value ?? { initializing: [], initialized: [], deleting: [] };
        return;
      case 'share-member': {
        const existing = this.members.get(rec.memberId);
        if (rec.value === null) this.members.delete(rec.memberId);
        else if (existing) existing.meta = rec.value;
        else this.members.set(rec.memberId, { memberId: rec.memberId, meta: rec.value, current: emptyShareCurrent() });
        return;
      }
      case 'share-current': {
        const m = this.members.get(rec.memberId);
        if (m) m.current = rec.value ?? { ...emptyShareCurrent(), memberEpoch: -1, previousMemberEpoch: -1 };
        return;
      }
    }
  }

  // ---- Group ----------------------------------------------------------------------------------

  isSubscribedToTopic(topic: string): boolean {
    for (const m of this.members.values()) if (m.meta.subscribedTopicNames.includes(topic)) return true;
    return false;
  }

  /** Share groups commit no offsets (Kafka's ShareGroup.validateOffsetCommit: "Group %s is not a consumer group."). */
  validateOffsetCommit(): void {
    throw new GroupError(ErrorCode.GROUP_ID_NOT_FOUND, `Group ${this.groupId} is not a consumer group.`);
  }

  /** OffsetFetch reads nothing, without an error, with or without a member id, as in Kafka 4.4. */
  validateOffsetFetch(): void {}

  validateOffsetDelete(): void {
    throw new GroupError(ErrorCode.GROUP_ID_NOT_FOUND, `Group ${this.groupId} is not a consumer group.`);
  }

  /** Share groups keep no committed offsets (their progress is the share-partitions' state). */
  offsetExpiration(): OffsetExpiration | null {
    return null;
  }

  dispose(_errorCode: number): void {
    this.timers.cancelAll();
  }
}
