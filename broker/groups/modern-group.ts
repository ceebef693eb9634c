// What Kafka's ModernGroup gives its KIP-848-style groups, once for the three of them: the consumer
// group (consumer-group.ts), the streams group (streams/streams-group.ts) and the share group
// (share/share-group.ts). ModernGroup holds the group and assignment epochs (a new group starts
// at 1 and 1: KAFKA-20268, Kafka 4.4's ModernGroup constructor), the members, the target
// assignment and the parts of the Group interface that read only those. CommittingGroup adds
// what the two groups that commit offsets share (Kafka's ConsumerGroup and StreamsGroup): static
// members, session and rebalance timers, the replay of member and current-assignment records,
// and the offset checks. Each subclass still changes only by replaying its own records.

import { ErrorCode } from '../../protocol/errors.js';
import type { TimerHandle } from '../../storage/clock.js';
import { GroupError, type ListedGroup, type OffsetExpiration } from './group.js';

/** Member epochs of a leaving member (-1) and of a static member leaving for now (-2). */
export const LEAVE_GROUP_MEMBER_EPOCH = -1;
export const LEAVE_GROUP_STATIC_MEMBER_EPOCH = -2;

export abstract class ModernGroup<M extends { readonly memberId: string }, T> {
  abstract readonly type: 'consumer' | 'streams' | 'share';
  groupEpoch = 1;
  assignmentEpoch = 1;
  readonly members = new Map<string, M>();
  /** member id -> target assignment at assignmentEpoch. */
  readonly targets = new Map<string, T>();
  dead = false;

  constructor(readonly groupId: string) {}

  /** State name as Kafka prints it. */
  abstract stateName(): string;

  isEmpty(): boolean {
    return this.members.size === 0;
  }

  validateDeleteGroup(): void {
    if (this.dead) throw new GroupError(ErrorCode.GROUP_ID_NOT_FOUND);
    if (this.members.size > 0) throw new GroupError(ErrorCode.NON_EMPTY_GROUP);
  }

  /** The protocol type and the group type are the same word for these groups. */
  asListedGroup(): ListedGroup {
    return { groupId: this.groupId, protocolType: this.type, groupState: this.stateName(), groupType: this.type };
  }

  /** A target assignment epoch record (a tombstone leaves -1). */
  protected replayTargetEpoch(value: number | null): void {
    this.assignmentEpoch = value ?? -1;
  }

  /** A member's target assignment record. */
  protected replayTarget(memberId: string, value: T | null): void {
    if (value === null) this.targets.delete(memberId);
    else this.targets.set(memberId, value);
  }
}

interface CommittingMember<Meta, C> {
  readonly memberId: string;
  meta: Meta;
  current: C;
}

export abstract class CommittingGroup<
  Meta extends { instanceId: string | null },
  C extends { memberEpoch: number; previousMemberEpoch: number },
  M extends CommittingMember<Meta, C>,
  T,
> extends ModernGroup<M, T> {
  /** instance id -> member id. */
  readonly staticMembers = new Map<string, string>();
  /** Timers by key (session:<member>, rebalance:<member>). */
  readonly timers = new Map<string, TimerHandle>();

  /** Who holds what changed for this member (null: it left). */
  protected abstract setOwnership(memberId: string, m: M | null): void;

  /** A member metadata record: the member joins or changes, or (tombstone) leaves. */
  protected replayMember(memberId: string, value: Meta | null, create: (memberId: string, meta: Meta) => M): void {
    const existing = this.members.get(memberId);
    if (value === null) {
      if (!existing) return;
      this.setOwnership(memberId, null);
      this.members.delete(memberId);
      const inst = existing.meta.instanceId;
      if (inst !== null && this.staticMembers.get(inst) === memberId) this.staticMembers.delete(inst);
      this.memberRemoved(memberId);
      return;
    }
    if (existing) existing.meta = value;
    else this.members.set(memberId, create(memberId, value));
    if (value.instanceId !== null) this.staticMembers.set(value.instanceId, memberId);
  }

  /** Called after a member's tombstone was replayed. */
  protected memberRemoved(_memberId: string): void {}

  /** A current assignment record; a tombstone leaves the member at epoch -1 with nothing. */
  protected replayCurrent(memberId: string, value: C | null, empty: () => C): void {
    const m = this.members.get(memberId);
    if (!m) return;
    m.current = value ?? { ...empty(), memberEpoch: LEAVE_GROUP_MEMBER_EPOCH, previousMemberEpoch: LEAVE_GROUP_MEMBER_EPOCH };
    this.setOwnership(memberId, m);
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

  dispose(_errorCode: number): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }

  // ---- offsets --------------------------------------------------------------------------------

  /**
   * The checks Kafka's ConsumerGroup and StreamsGroup.validateOffsetCommit share: the member
   * committing, or null when the commit needs no member (an admin client or a consumer without
   * group management, epoch -1 with no members; a TxnOffsetCommit without member fields).
   */
  protected committingMember(memberId: string, groupInstanceId: string | null, memberEpoch: number, isTransactional: boolean): M | null {
    if (this.dead) throw new GroupError(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    if (memberEpoch < 0 && this.members.size === 0) return null;
    if (isTransactional && memberEpoch === -1 && memberId === '' && groupInstanceId === null) return null;
    const m = this.members.get(memberId);
    if (!m) throw new GroupError(ErrorCode.UNKNOWN_MEMBER_ID, `Member ${memberId} is not a member of group ${this.groupId}.`);
    return m;
  }

  /** Kafka's validateOffsetFetch: OffsetFetch v9 with a member id or epoch must name the member at its epoch. */
  validateOffsetFetch(memberId: string | null, memberEpoch: number): void {
    if (this.dead) throw new GroupError(ErrorCode.GROUP_ID_NOT_FOUND);
    if ((memberId === null || memberId === '') && memberEpoch < 0) return;
    const m = memberId === null ? undefined : this.members.get(memberId);
    if (!m) throw new GroupError(ErrorCode.UNKNOWN_MEMBER_ID);
    if (memberEpoch !== m.current.memberEpoch) throw new GroupError(ErrorCode.STALE_MEMBER_EPOCH);
  }

  validateOffsetDelete(): void {
    if (this.dead) throw new GroupError(ErrorCode.GROUP_ID_NOT_FOUND);
  }

  /** Offsets expire by commit time (or their explicit expiry) once no member subscribes to the topic. */
  offsetExpiration(): OffsetExpiration {
    return (o, now, retentionMs) => (o.expireTimestamp !== null ? now >= o.expireTimestamp : now - o.commitTimestamp >= retentionMs);
  }
}
