// A KIP-848 consumer group (Kafka's ConsumerGroup): the group epoch, the
// subscribed topics' metadata, the members, their target assignment at the assignment epoch
// and who currently owns each partition. It changes only by replaying its records (key
// versions 3-8, consumer-group-records.ts), at start-up and right after the heartbeat logic
// (consumer-group-heartbeat.ts) appended them, so memory always equals the log. Its timers, static
// members and the replay steps it shares with streams groups are CommittingGroup's (modern-group.ts).

import { ErrorCode } from '../../protocol/errors.js';
import { ConsumerMember, emptyCurrent, matchesRegex } from './consumer-group-member.js';
import {
  MemberState,
  type Assignment,
  type ConsumerGroupRecord,
  type CurrentAssignment,
  type MemberMetadata,
  type SubscribedTopic,
} from './consumer-group-records.js';
import { GroupError, type Group } from './group.js';
import { CommittingGroup } from './modern-group.js';

export { LEAVE_GROUP_MEMBER_EPOCH, LEAVE_GROUP_STATIC_MEMBER_EPOCH } from './modern-group.js';

export type ConsumerGroupState = 'Empty' | 'Assigning' | 'Reconciling' | 'Stable' | 'Dead';

export class ConsumerGroup extends CommittingGroup<MemberMetadata, CurrentAssignment, ConsumerMember, Assignment> implements Group {
  readonly type = 'consumer' as const;
  /** Metadata of the subscribed topics when the group epoch was last bumped for it. */
  subscribedTopics: SubscribedTopic[] = [];
  /** "topicId:partition" -> member id holding it (assigned or pending revocation). */
  private readonly owners = new Map<string, string>();

  // ---- state ----------------------------------------------------------------------------------

  stateName(): ConsumerGroupState {
    if (this.dead) return 'Dead';
    if (this.members.size === 0) return 'Empty';
    if (this.groupEpoch > this.assignmentEpoch) return 'Assigning';
    for (const m of this.members.values()) {
      if (m.current.memberEpoch !== this.assignmentEpoch || m.current.state !== MemberState.STABLE) return 'Reconciling';
    }
    return 'Stable';
  }

  /** Member holding a partition, if any. */
  ownerOf(topicId: string, partition: number): string | undefined {
    return this.owners.get(`${topicId}:${partition}`);
  }

  /** The assignor most members asked for, else null. */
  preferredAssignor(members: Iterable<ConsumerMember>): string | null {
    const votes = new Map<string, number>();
    for (const m of members)
      if (m.meta.serverAssignor !== null) votes.set(m.meta.serverAssignor, (votes.get(m.meta.serverAssignor) ?? 0) + 1);
    let best: string | null = null;
    for (const [name, n] of votes) if (best === null || n > votes.get(best)! || (n === votes.get(best)! && name < best)) best = name;
    return best;
  }

  // ---- replay ---------------------------------------------------------------------------------

  /** Apply one record of this group (the group-level tombstone is the coordinator's). */
  replay(rec: ConsumerGroupRecord): void {
    switch (rec.kind) {
      case 'cg-epoch':
        if (rec.value !== null) this.groupEpoch = rec.value;
        return;
      case 'cg-topics':
        this.subscribedTopics = rec.value ?? [];
        return;
      case 'cg-target-epoch':
        this.replayTargetEpoch(rec.value);
        return;
      case 'cg-target':
        this.replayTarget(rec.memberId, rec.value);
        return;
      case 'cg-member':
        this.replayMember(rec.memberId, rec.value, (id, meta) => new ConsumerMember(id, meta));
        return;
      case 'cg-current':
        this.replayCurrent(rec.memberId, rec.value, emptyCurrent);
        return;
    }
  }

  protected setOwnership(memberId: string, m: ConsumerMember | null): void {
    for (const [k, owner] of this.owners) if (owner === memberId) this.owners.delete(k);
    if (!m) return;
    for (const a of [m.current.assigned, m.current.pendingRevocation]) {
      for (const [t, ps] of a) for (const p of ps) this.owners.set(`${t}:${p}`, memberId);
    }
  }

  // ---- Group ----------------------------------------------------------------------------------

  isSubscribedToTopic(topic: string): boolean {
    for (const m of this.members.values()) {
      if (m.meta.subscribedTopicNames.includes(topic) || matchesRegex(m.meta.subscribedTopicRegex, topic)) return true;
    }
    return false;
  }

  /**
   * Kafka's ConsumerGroup.validateOffsetCommit. A member's older epoch is stale here; Kafka 4.4
   * still accepts it for a partition assigned to the member at or before that epoch (its
   * per-partition assignment epochs, which kafkalite does not keep).
   */
  validateOffsetCommit(
    memberId: string,
    groupInstanceId: string | null,
    memberEpoch: number,
    apiVersion: number,
    isTransactional = false,
  ): void {
    const m = this.committingMember(memberId, groupInstanceId, memberEpoch, isTransactional);
    if (!m) return;
    // A classic member of the group (KIP-848 migration) commits at any version, with its generation.
    const classic = m.meta.classic !== null;
    if (!isTransactional && !classic && apiVersion < 9)
      throw new GroupError(
        ErrorCode.UNSUPPORTED_VERSION,
        'OffsetCommit version 9 or above must be used by members using the consumer group protocol',
      );
    if (classic && memberEpoch !== m.current.memberEpoch)
      throw new GroupError(
        ErrorCode.ILLEGAL_GENERATION,
        `The received generation id ${memberEpoch} does not match the expected member epoch ${m.current.memberEpoch}.`,
      );
    if (memberEpoch !== m.current.memberEpoch) throw new GroupError(ErrorCode.STALE_MEMBER_EPOCH);
  }
}
