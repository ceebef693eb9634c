// What every group type offers the coordinator. Classic groups (JoinGroup/SyncGroup,
// classic-group.ts) implement it today; KIP-848 consumer groups (ConsumerGroupHeartbeat) will
// implement it beside them, in the same group map (GroupCoordinator.groups, keyed by group id)
// and over the same committed offsets (OffsetStore). Offsets, DeleteGroups, ListGroups and
// offset expiry only go through this interface, never through a concrete group type.

import type { OffsetAndMetadata } from './offsets.js';

export type GroupType = 'classic' | 'consumer' | 'streams' | 'share';

/** A failed check, carrying the Kafka error code to answer with. */
export class GroupError extends Error {
  constructor(
    readonly errorCode: number,
    message?: string,
  ) {
    super(message ?? `group error ${errorCode}`);
  }
}

/** One row of ListGroups. */
export interface ListedGroup {
  groupId: string;
  protocolType: string;
  groupState: string;
  groupType: GroupType;
}

/** When an offset expires, given the retention period; null: the group keeps its offsets. */
export type OffsetExpiration = (offset: OffsetAndMetadata, nowMs: number, retentionMs: number) => boolean;

export interface Group {
  readonly groupId: string;
  readonly type: GroupType;
  /** State name as Kafka prints it (Empty, Stable, ...). */
  stateName(): string;
  /** True when the group has no members (it may then be deleted, and expires when it has no offsets). */
  isEmpty(): boolean;
  /** Members subscribe to this topic (OffsetDelete refuses, expiry skips it). */
  isSubscribedToTopic(topic: string): boolean;
  /**
   * Throws GroupError when this commit may not be accepted (Kafka's Group.validateOffsetCommit);
   * `isTransactional` for TxnOffsetCommit, whose member fields are optional.
   */
  validateOffsetCommit(
    memberId: string,
    groupInstanceId: string | null,
    generationOrEpoch: number,
    apiVersion: number,
    isTransactional?: boolean,
  ): void;
  /** Throws GroupError when this OffsetFetch v9+ member may not fetch (consumer groups only). */
  validateOffsetFetch?(memberId: string | null, memberEpoch: number): void;
  /** Throws GroupError when offsets may not be deleted (OffsetDelete). */
  validateOffsetDelete(): void;
  /** Throws GroupError when the group may not be deleted (DeleteGroups). */
  validateDeleteGroup(): void;
  /** How this group's offsets expire now, or null when they don't. */
  offsetExpiration(): OffsetExpiration | null;
  asListedGroup(): ListedGroup;
  /** The group is being removed (deleted, expired) or the broker stops: cancel timers, answer parked requests. */
  dispose(errorCode: number): void;
}

/** A group as DescribeGroups answers it (Kafka's DescribeGroupsResponseData.DescribedGroup). */
export interface DescribedGroup {
  errorCode: number;
  groupId: string;
  groupState: string;
  protocolType: string;
  protocolData: string;
  members: Array<{
    memberId: string;
    groupInstanceId: string | null;
    clientId: string;
    clientHost: string;
    memberMetadata: Buffer;
    memberAssignment: Buffer;
  }>;
}
