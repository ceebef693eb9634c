// KIP-848 consumer group records as typed values, and their bytes (Kafka's
// GroupCoordinatorRecordHelpers, key versions 3-8; schemas in
// protocol/messages/consumer-group-records.ts). Pure: no I/O, no state. records.ts delegates key
// versions 3-8 here. Assignments are maps topic id -> partitions.

import {
  ConsumerGroupCurrentMemberAssignmentKey as CurrentKey,
  ConsumerGroupCurrentMemberAssignmentValue as CurrentValue,
  ConsumerGroupMemberMetadataKey as MemberKey,
  ConsumerGroupMemberMetadataValue as MemberValue,
  ConsumerGroupMetadataKey as EpochKey,
  ConsumerGroupMetadataValue as EpochValue,
  ConsumerGroupPartitionMetadataKey as TopicsKey,
  ConsumerGroupPartitionMetadataValue as TopicsValue,
  ConsumerGroupTargetAssignmentMemberKey as TargetKey,
  ConsumerGroupTargetAssignmentMemberValue as TargetValue,
  ConsumerGroupTargetAssignmentMetadataKey as TargetEpochKey,
  ConsumerGroupTargetAssignmentMetadataValue as TargetEpochValue,
  ConsumerRecordKeyVersion as V,
} from '../../protocol/messages/consumer-group-records.js';
import { decodeVersioned, encodeVersioned } from '../../protocol/messages/group-records.js';

/** topic id -> partitions. */
export type Assignment = Map<string, Set<number>>;

/** Kafka's MemberState (int8 in CurrentMemberAssignment). */
export const MemberState = Object.freeze({ UNREVOKED_PARTITIONS: 0, UNRELEASED_PARTITIONS: 1, STABLE: 2, UNKNOWN: 127 } as const);
export type MemberStateCode = (typeof MemberState)[keyof typeof MemberState];

export interface MemberMetadata {
  instanceId: string | null;
  rackId: string | null;
  clientId: string;
  clientHost: string;
  subscribedTopicNames: string[];
  /** KIP-848 regex subscription (ConsumerGroupHeartbeat v1), full-match; null: none. */
  subscribedTopicRegex: string | null;
  rebalanceTimeoutMs: number;
  serverAssignor: string | null;
  /** Set for a member speaking the classic protocol (KIP-848 migration), else null. */
  classic: ClassicMemberMetadata | null;
}

/** ConsumerGroupMemberMetadataValue.ClassicMemberMetadata: the JoinGroup session timeout and protocols. */
export interface ClassicMemberMetadata {
  sessionTimeoutMs: number;
  supportedProtocols: Array<{ name: string; metadata: Buffer }>;
}

export interface CurrentAssignment {
  memberEpoch: number;
  previousMemberEpoch: number;
  state: MemberStateCode;
  assigned: Assignment;
  pendingRevocation: Assignment;
}

export interface SubscribedTopic {
  topicId: string;
  topicName: string;
  numPartitions: number;
}

export type ConsumerGroupRecord =
  | { kind: 'cg-epoch'; group: string; value: number | null }
  | { kind: 'cg-topics'; group: string; value: SubscribedTopic[] | null }
  | { kind: 'cg-member'; group: string; memberId: string; value: MemberMetadata | null }
  | { kind: 'cg-target-epoch'; group: string; value: number | null }
  | { kind: 'cg-target'; group: string; memberId: string; value: Assignment | null }
  | { kind: 'cg-current'; group: string; memberId: string; value: CurrentAssignment | null };

const KINDS = new Set(['cg-epoch', 'cg-topics', 'cg-member', 'cg-target-epoch', 'cg-target', 'cg-current']);

export function isConsumerGroupRecord(rec: { kind: string }): rec is ConsumerGroupRecord {
  return KINDS.has(rec.kind);
}

export function isConsumerGroupKeyVersion(v: number): boolean {
  return v >= V.GROUP_METADATA && v <= V.CURRENT_MEMBER_ASSIGNMENT;
}

export function toWire(a: Assignment): Array<{ topicId: string; partitions: number[] }> {
  return [...a].filter(([, ps]) => ps.size > 0).map(([topicId, ps]) => ({ topicId, partitions: [...ps].sort((x, y) => x - y) }));
}

export function fromWire(list: ReadonlyArray<{ topicId: string; partitions: readonly number[] }>): Assignment {
  const out: Assignment = new Map();
  for (const t of list) {
    if (t.partitions.length === 0) continue;
    let s = out.get(t.topicId);
    if (!s) {
      s = new Set();
      out.set(t.topicId, s);
    }
    for (const p of t.partitions) s.add(p);
  }
  return out;
}

export function encodeConsumerGroupRecord(rec: ConsumerGroupRecord): { key: Buffer; value: Buffer | null } {
  const g = { groupId: rec.group };
  switch (rec.kind) {
    case 'cg-epoch':
      return {
        key: encodeVersioned(EpochKey, V.GROUP_METADATA, g),
        value: rec.value === null ? null : encodeVersioned(EpochValue, 0, { epoch: rec.value }),
      };
    case 'cg-topics':
      return {
        key: encodeVersioned(TopicsKey, V.PARTITION_METADATA, g),
        value:
          rec.value === null ? null : encodeVersioned(TopicsValue, 0, { topics: rec.value.map((t) => ({ ...t, partitionMetadata: [] })) }),
      };
    case 'cg-member':
      return {
        key: encodeVersioned(MemberKey, V.MEMBER_METADATA, { ...g, memberId: rec.memberId }),
        value: rec.value === null ? null : encodeVersioned(MemberValue, 0, { ...rec.value, classicMemberMetadata: rec.value.classic }),
      };
    case 'cg-target-epoch':
      return {
        key: encodeVersioned(TargetEpochKey, V.TARGET_ASSIGNMENT_METADATA, g),
        value: rec.value === null ? null : encodeVersioned(TargetEpochValue, 0, { assignmentEpoch: rec.value }),
      };
    case 'cg-target':
      return {
        key: encodeVersioned(TargetKey, V.TARGET_ASSIGNMENT_MEMBER, { ...g, memberId: rec.memberId }),
        value: rec.value === null ? null : encodeVersioned(TargetValue, 0, { topicPartitions: toWire(rec.value) }),
      };
    case 'cg-current': {
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
                partitionsPendingRevocation: toWire(v.pendingRevocation),
              }),
      };
    }
  }
}

const NEWER = { newerAsLatest: true };

/** Decode a record whose key version is 3-8 (throws ProtocolDecodeError on malformed bytes). */
export function decodeConsumerGroupRecord(keyVersion: number, key: Buffer, value: Buffer | null): ConsumerGroupRecord {
  switch (keyVersion) {
    case V.GROUP_METADATA: {
      const group = decodeVersioned(EpochKey, key).value.groupId;
      return { kind: 'cg-epoch', group, value: value === null ? null : decodeVersioned(EpochValue, value, NEWER).value.epoch };
    }
    case V.PARTITION_METADATA: {
      const group = decodeVersioned(TopicsKey, key).value.groupId;
      const v =
        value === null
          ? null
          : decodeVersioned(TopicsValue, value, NEWER).value.topics.map((t) => ({
              topicId: t.topicId,
              topicName: t.topicName,
              numPartitions: t.numPartitions,
            }));
      return { kind: 'cg-topics', group, value: v };
    }
    case V.MEMBER_METADATA: {
      const k = decodeVersioned(MemberKey, key).value;
      let v: MemberMetadata | null = null;
      if (value !== null) {
        const d = decodeVersioned(MemberValue, value, NEWER).value;
        v = {
          instanceId: d.instanceId,
          rackId: d.rackId,
          clientId: d.clientId,
          clientHost: d.clientHost,
          subscribedTopicNames: d.subscribedTopicNames,
          subscribedTopicRegex: d.subscribedTopicRegex ?? null,
          rebalanceTimeoutMs: d.rebalanceTimeoutMs,
          serverAssignor: d.serverAssignor,
          classic: d.classicMemberMetadata ?? null,
        };
      }
      return { kind: 'cg-member', group: k.groupId, memberId: k.memberId, value: v };
    }
    case V.TARGET_ASSIGNMENT_METADATA: {
      const group = decodeVersioned(TargetEpochKey, key).value.groupId;
      return {
        kind: 'cg-target-epoch',
        group,
        value: value === null ? null : decodeVersioned(TargetEpochValue, value, NEWER).value.assignmentEpoch,
      };
    }
    case V.TARGET_ASSIGNMENT_MEMBER: {
      const k = decodeVersioned(TargetKey, key).value;
      const v = value === null ? null : fromWire(decodeVersioned(TargetValue, value, NEWER).value.topicPartitions);
      return { kind: 'cg-target', group: k.groupId, memberId: k.memberId, value: v };
    }
    default: {
      const k = decodeVersioned(CurrentKey, key).value;
      let v: CurrentAssignment | null = null;
      if (value !== null) {
        const d = decodeVersioned(CurrentValue, value, NEWER).value;
        v = {
          memberEpoch: d.memberEpoch,
          previousMemberEpoch: d.previousMemberEpoch,
          state: d.state as MemberStateCode,
          assigned: fromWire(d.assignedPartitions),
          pendingRevocation: fromWire(d.partitionsPendingRevocation),
        };
      }
      return { kind: 'cg-current', group: k.groupId, memberId: k.memberId, value: v };
    }
  }
}
