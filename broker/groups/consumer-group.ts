// A KIP-848 consumer group (Kafka's ConsumerGroup): the group epoch, the
// subscribed topics' metadata, the members, their target assignment at the assignment epoch
// and who currently owns each partition. It changes only by replaying its records (key
// versions 3-8, consumer-group-records.ts), at start-up and right after the heartbeat logic
// (consumer-group-heartbeat.ts) appended them, so memory always equals the log. Its timers
// (session and rebalance timeouts per member) are kept here and cancelled by dispose().

import { ErrorCode } from '../../protocol/errors.js';
import type { TimerHandle } from '../../storage/clock.js';
import { ConsumerMember, emptyCurrent, matchesRegex } from './consumer-group-member.js';
import { MemberState, type Assignment, type ConsumerGroupRecord, type SubscribedTopic } from './consumer-group-records.js';
import { GroupError, type Group, type ListedGroup, type OffsetExpiration } from './group.js';

export const CONSUMER_GROUP_PROTOCOL_TYPE = 'consumer';
/** Member epochs of a leaving member (-1) and of a static member leaving for now (-2). */
export const LEAVE_GROUP_MEMBER_EPOCH = -1;
export const LEAVE_GROUP_STATIC_MEMBER_EPOCH = -2;

export type ConsumerGroupState = 'Empty' | 'Assigning' | 'Reconciling' | 'Stable' | 'Dead';

export class ConsumerGroup implements Group {
  readonly type = 'consumer' as const;
  // A new group starts at group epoch 1 with an empty target assignment at epoch 1, so the first
  // computed assignment is epoch 2 (KAFKA-20268, Kafka 4.4's ModernGroup constructor and
  // TargetAssignmentMetadata.INITIAL); a member joining an empty subscription stays at epoch 1.
  groupEpoch = 1;
  assignmentEpoch = 1;
  readonly members = new Map<string, ConsumerMember>();
  /** instance id -> member id. */
  readonly staticMembers = new Map<string, string>();
  /** member id -> target assignment at assignmentEpoch. */
  readonly targets = new Map<string, Assignment>();
  /** Metadata of the subscribed topics when the group epoch was last bumped for it. */
  subscribedTopics: SubscribedTopic[] = [];
  /** "topicId:partition" -> member id holding it (assigned or pending revocation). */
  private readonly owners = new Map<string, string>();
  /** Timers by key (session:<member>, rebalance:<member>). */
  readonly timers = new Map<string, TimerHandle>();
  dead = false;

  constructor(readonly groupId: string) {}

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
        this.assignmentEpoch = rec.value ?? -1;
        return;
      case 'cg-target':
        if (rec.value === null) this.targets.delete(rec.memberId);
        else this.targets.set(rec.memberId, rec.value);
        return;
      case 'cg-member': {
        const existing = this.members.get(rec.memberId);
        if (rec.value === null) {
          if (!existing) return;
          this.setOwnership(existing.memberId, null);
          this.members.delete(rec.memberId);
          const inst = existing.meta.instanceId;
          if (inst !== null && this.staticMembers.get(inst) === rec.memberId) this.staticMembers.delete(inst);
          return;
        }
        if (existing) existing.meta = rec.value;
        else this.members.set(rec.memberId, new ConsumerMember(rec.memberId, rec.value));
        if (rec.value.instanceId !== null) this.staticMembers.set(rec.value.instanceId, rec.memberId);
        return;
      }
      case 'cg-current': {
        const m = this.members.get(rec.memberId);
        if (!m) return;
        m.current = rec.value ?? {
          ...emptyCurrent(),
          memberEpoch: LEAVE_GROUP_MEMBER_EPOCH,
          previousMemberEpoch: LEAVE_GROUP_MEMBER_EPOCH,
        };
        this.setOwnership(m.memberId, m);
        return;
      }
    }
  }

  private setOwnership(memberId: string, m: ConsumerMember | null): void {
    for (const [k, owner] of this.owners) if (owner === memberId) this.owners.delete(k);
    if (!m) return;
    for (const a of [m.current.assigned, m.current.pendingRevocation]) {
      for (const [t, ps] of a) for (const p of ps) this.owners.set(`${t}:${p}`, memberId);
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
    if (this.dead) throw new GroupError(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    // Epoch -1 with no members: an admin client or a consumer without group management.
    if (memberEpoch < 0 && this.members.size === 0) return;
    // TxnOffsetCommit's member fields are optional: checked only when one is given.
    if (isTransactional && memberEpoch === -1 && memberId === '' && groupInstanceId === null) return;
    const m = this.members.get(memberId);
    if (!m) throw new GroupError(ErrorCode.UNKNOWN_MEMBER_ID, `member ${memberId} is not in group ${this.groupId}`);
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
    this.validateMemberEpoch(memberEpoch, m.current.memberEpoch);
  }

  /** Kafka's ConsumerGroup.validateOffsetFetch: OffsetFetch v9 with a member id or epoch. */
  validateOffsetFetch(memberId: string | null, memberEpoch: number): void {
    if (this.dead) throw new GroupError(ErrorCode.GROUP_ID_NOT_FOUND);
    if ((memberId === null || memberId === '') && memberEpoch < 0) return;
    const m = memberId === null ? undefined : this.members.get(memberId);
    if (!m) throw new GroupError(ErrorCode.UNKNOWN_MEMBER_ID);
    this.validateMemberEpoch(memberEpoch, m.current.memberEpoch);
  }

  /** Kafka's ConsumerGroup.validateMemberEpoch: any other epoch is stale. */
  private validateMemberEpoch(received: number, expected: number): void {
    if (received !== expected) throw new GroupError(ErrorCode.STALE_MEMBER_EPOCH);
  }

  validateOffsetDelete(): void {
    if (this.dead) throw new GroupError(ErrorCode.GROUP_ID_NOT_FOUND);
  }

  validateDeleteGroup(): void {
    if (this.dead) throw new GroupError(ErrorCode.GROUP_ID_NOT_FOUND);
    if (this.members.size > 0) throw new GroupError(ErrorCode.NON_EMPTY_GROUP);
  }

  /** Consumer groups expire offsets of unsubscribed topics by commit time. */
  offsetExpiration(): OffsetExpiration {
    return (o, now, retentionMs) => (o.expireTimestamp !== null ? now >= o.expireTimestamp : now - o.commitTimestamp >= retentionMs);
  }

  asListedGroup(): ListedGroup {
    return { groupId: this.groupId, protocolType: CONSUMER_GROUP_PROTOCOL_TYPE, groupState: this.stateName(), groupType: 'consumer' };
  }

  dispose(_errorCode: number): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }
}
