// KIP-932 share group records as typed values, and their bytes (Kafka's
// GroupCoordinatorRecordHelpers newShareGroup*Record, key versions 10-15; schemas in
// protocol/messages/share-group-records.ts). Pure: no I/O, no state. broker/groups/records.ts
// delegates key versions 10-15 here. Assignments are maps topic id -> partitions, as for
// consumer groups (consumer-group-records.ts toWire/fromWire).

import { decodeVersioned, encodeVersioned } from '../../../protocol/messages/group-records.js';
import {
  ShareGroupCurrentMemberAssignmentKey as CurrentKey,
  ShareGroupCurrentMemberAssignmentValue as CurrentValue,
  ShareGroupMemberMetadataKey as MemberKey,
  ShareGroupMemberMetadataValue as MemberValue,
  ShareGroupMetadataKey as EpochKey,
  ShareGroupMetadataValue as EpochValue,
  ShareGroupStatePartitionMetadataKey as StateKey,
  ShareGroupStatePartitionMetadataValue as StateValue,
  ShareGroupTargetAssignmentMemberKey as TargetKey,
  ShareGroupTargetAssignmentMemberValue as TargetValue,
  ShareGroupTargetAssignmentMetadataKey as TargetEpochKey,
  ShareGroupTargetAssignmentMetadataValue as TargetEpochValue,
  ShareRecordKeyVersion as V,
} from '../../../protocol/messages/share-group-records.js';
import { fromWire, toWire, type Assignment } from '../consumer-group-records.js';

export interface ShareMemberMetadata {
  rackId: string | null;
  clientId: string;
  clientHost: string;
  subscribedTopicNames: string[];
}

export interface ShareCurrentAssignment {
  memberEpoch: number;
  previousMemberEpoch: number;
  /** Kafka's MemberState: share members are always STABLE (2). */
  state: number;
  assigned: Assignment;
}

/** A topic whose share-partitions the group initialized (or is deleting), by id. */
export interface StateTopic {
  topicId: string;
  topicName: string;
  partitions: number[];
}

export interface StatePartitionMetadata {
  initializing: StateTopic[];
  initialized: StateTopic[];
  deleting: Array<{ topicId: string; topicName: string }>;
}

export type ShareGroupRecord =
  | { kind: 'share-epoch'; group: string; value: { epoch: number; metadataHash: number } | null }
  | { kind: 'share-member'; group: string; memberId: string; value: ShareMemberMetadata | null }
  | { kind: 'share-target-epoch'; group: string; value: number | null }
  | { kind: 'share-target'; group: string; memberId: string; value: Assignment | null }
  | { kind: 'share-current'; group: string; memberId: string; value: ShareCurrentAssignment | null }
  | { kind: 'share-state'; group: string; value: StatePartitionMetadata | null };

const KINDS = new Set(['share-epoch', 'share-member', 'share-target-epoch', 'share-target', 'share-current', 'share-state']);

export function isShareGroupRecord(rec: { kind: string }): rec is ShareGroupRecord {
  return KINDS.has(rec.kind);
}

export function isShareGroupKeyVersion(v: number): boolean {
  return v >= V.MEMBER_METADATA && v <= V.STATE_PARTITION_METADATA;
}

export function encodeShareGroupRecord(rec: ShareGroupRecord): { key: Buffer; value: Buffer | null } {
  const g = { groupId: rec.group };
  switch (rec.kind) {
    case 'share-epoch':
      return {
        key: encodeVersioned(EpochKey, V.GROUP_METADATA, g),
        value: rec.value === null ? null : encodeVersioned(EpochValue, 0, rec.value),
      };
    case 'share-member':
      return {
        key: encodeVersioned(MemberKey, V.MEMBER_METADATA, { ...g, memberId: rec.memberId }),
        value: rec.value === null ? null : encodeVersioned(MemberValue, 0, rec.value),
      };
    case 'share-target-epoch':
      return {
        key: encodeVersioned(TargetEpochKey, V.TARGET_ASSIGNMENT_METADATA, g),
        value: rec.value === null ? null : encodeVersioned(TargetEpochValue, 0, { assignmentEpoch: rec.value }),
      };
    case 'share-target':
      return {
        key: encodeVersioned(TargetKey, V.TARGET_ASSIGNMENT_MEMBER, { ...g, memberId: rec.memberId }),
        value: rec.value === null ? null : encodeVersioned(TargetValue, 0, { topicPartitions: toWire(rec.value) }),
      };
    case 'share-current': {
      const v = rec.value;
      return {
        key: encodeVersioned(CurrentKey, V.CURRENT_MEMBER_ASSIGNMENT, { ...g, memberId: rec.memberId }),
        value:
          v === null
            ? null
            : encodeVersioned(CurrentValue, 0, {
                memberEpoch: v.memberEpoch,
                previousMemberEpoch: v.previousMemberEpoch,
                state: v.state,
                assignedPartitions: toWire(v.assigned),
              }),
      };
    }
    case 'share-state': {
      const v = rec.value;
      return {
        key: encodeVersioned(StateKey, V.STATE_PARTITION_METADATA, g),
        value:
          v === null
            ? null
            : encodeVersioned(StateValue, 0, {
                initializingTopics: v.initializing,
                initializedTopics: v.initialized,
                deletingTopics: v.deleting,
              }),
      };
    }
  }
}

const NEWER = { newerAsLatest: true };

/** Decode a record whose key version is 10-15 (throws ProtocolDecodeError on malformed bytes). */
export function decodeShareGroupRecord(keyVersion: number, key: Buffer, value: Buffer | null): ShareGroupRecord {
  switch (keyVersion) {
    case V.MEMBER_METADATA: {
      const k = decodeVersioned(MemberKey, key).value;
      const v = value === null ? null : decodeVersioned(MemberValue, value, NEWER).value;
      return { kind: 'share-member', group: k.groupId, memberId: k.memberId, value: v };
    }
    case V.GROUP_METADATA: {
      const group = decodeVersioned(EpochKey, key).value.groupId;
      const v = value === null ? null : decodeVersioned(EpochValue, value, NEWER).value;
      return { kind: 'share-epoch', group, value: v === null ? null : { epoch: v.epoch, metadataHash: v.metadataHash } };
    }
    case V.TARGET_ASSIGNMENT_METADATA: {
      const group = decodeVersioned(TargetEpochKey, key).value.groupId;
      const v = value === null ? null : decodeVersioned(TargetEpochValue, value, NEWER).value.assignmentEpoch;
      return { kind: 'share-target-epoch', group, value: v };
    }
    case V.TARGET_ASSIGNMENT_MEMBER: {
      const k = decodeVersioned(TargetKey, key).value;
      const v = value === null ? null : fromWire(decodeVersioned(TargetValue, value, NEWER).value.topicPartitions);
      return { kind: 'share-target', group: k.groupId, memberId: k.memberId, value: v };
    }
    case V.CURRENT_MEMBER_ASSIGNMENT: {
      const k = decodeVersioned(CurrentKey, key).value;
      let v: ShareCurrentAssignment | null = null;
      if (value !== null) {
        const d = decodeVersioned(CurrentValue, value, NEWER).value;
        v = {
          memberEpoch: d.memberEpoch,
          previousMemberEpoch: d.previousMemberEpoch,
          state: d.state,
          assigned: fromWire(d.assignedPartitions),
        };
      }
      return { kind: 'share-current', group: k.groupId, memberId: k.memberId, value: v };
    }
    default: {
      const group = decodeVersioned(StateKey, key).value.groupId;
      let v: StatePartitionMetadata | null = null;
      if (value !== null) {
        const d = decodeVersioned(StateValue, value, NEWER).value;
        v = { initializing: d.initializingTopics, initialized: d.initializedTopics, deleting: d.deletingTopics };
      }
      return { kind: 'share-state', group, value: v };
    }
  }
}
