// KIP-1071 streams group records as typed values, and their bytes (Kafka's
// StreamsCoordinatorRecordHelpers, key versions 17 and 19-23; schemas in
// protocol/messages/streams-group-records.ts). Pure: no I/O, no state. broker/groups/records.ts
// delegates these key versions here. Tasks are maps subtopology id -> partitions, the same shape
// as a consumer group's topic id -> partitions (consumer-group-records.ts's Assignment).

import { decodeVersioned, encodeVersioned } from '../../../protocol/messages/group-records.js';
import {
  StreamsGroupCurrentMemberAssignmentKey as CurrentKey,
  StreamsGroupCurrentMemberAssignmentValue as CurrentValue,
  StreamsGroupMemberMetadataKey as MemberKey,
  StreamsGroupMemberMetadataValue as MemberValue,
  StreamsGroupMetadataKey as EpochKey,
  StreamsGroupMetadataValue as EpochValue,
  StreamsGroupTargetAssignmentMemberKey as TargetKey,
  StreamsGroupTargetAssignmentMemberValue as TargetValue,
  StreamsGroupTargetAssignmentMetadataKey as TargetEpochKey,
  StreamsGroupTargetAssignmentMetadataValue as TargetEpochValue,
  StreamsGroupTopologyKey as TopologyKey,
  StreamsGroupTopologyValue as TopologyValue,
  StreamsRecordKeyVersion as V,
} from '../../../protocol/messages/streams-group-records.js';
import type { Infer } from '../../../protocol/schema.js';
import { fromWire, toWire, type Assignment } from '../consumer-group-records.js';

/** subtopology id -> partitions (task ids). */
export type Tasks = Assignment;

export interface TasksTuple {
  active: Tasks;
  standby: Tasks;
  warmup: Tasks;
}

/** Kafka's streams MemberState (int8 in StreamsGroupCurrentMemberAssignmentValue). */
export const StreamsMemberState = Object.freeze({ STABLE: 1, UNREVOKED_TASKS: 2, UNRELEASED_TASKS: 3, UNKNOWN: 127 } as const);
export type StreamsMemberStateCode = (typeof StreamsMemberState)[keyof typeof StreamsMemberState];

export interface KeyValue {
  key: string;
  value: string;
}

export interface Endpoint {
  host: string;
  port: number;
}

export interface StreamsMemberMetadata {
  instanceId: string | null;
  rackId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  topologyEpoch: number;
  processId: string;
  userEndpoint: Endpoint | null;
  clientTags: KeyValue[];
}

export interface StreamsCurrentAssignment {
  memberEpoch: number;
  previousMemberEpoch: number;
  state: StreamsMemberStateCode;
  assigned: TasksTuple;
  pendingRevocation: TasksTuple;
}

export interface StreamsGroupMetadata {
  epoch: number;
  /** Hash of the topics the topology reads and creates (names, ids, partition counts). */
  metadataHash: number;
  /** The topology epoch whose topics were found in a valid configuration, else -1. */
  validatedTopologyEpoch: number;
}

/** The topology as members send it (StreamsGroupHeartbeat's Topology, StreamsGroupTopologyValue). */
export type Topology = Infer<(typeof TopologyValue)['fields']>;
export type Subtopology = Topology['subtopologies'][number];
export type TopicInfo = Subtopology['stateChangelogTopics'][number];

export type StreamsGroupRecord =
  | { kind: 'sg-epoch'; group: string; value: StreamsGroupMetadata | null }
  | { kind: 'sg-topology'; group: string; value: Topology | null }
  | { kind: 'sg-member'; group: string; memberId: string; value: StreamsMemberMetadata | null }
  | { kind: 'sg-target-epoch'; group: string; value: number | null }
  | { kind: 'sg-target'; group: string; memberId: string; value: TasksTuple | null }
  | { kind: 'sg-current'; group: string; memberId: string; value: StreamsCurrentAssignment | null };

const KINDS = new Set(['sg-epoch', 'sg-topology', 'sg-member', 'sg-target-epoch', 'sg-target', 'sg-current']);

export function isStreamsGroupRecord(rec: { kind: string }): rec is StreamsGroupRecord {
  return KINDS.has(rec.kind);
}

export function isStreamsGroupKeyVersion(v: number): boolean {
  return v === V.GROUP_METADATA || (v >= V.MEMBER_METADATA && v <= V.TOPOLOGY);
}

export function emptyTasks(): TasksTuple {
  return { active: new Map(), standby: new Map(), warmup: new Map() };
}

/** Tasks as the wire and the records list them: subtopologies with partitions, sorted. */
export function tasksToWire(t: Tasks): Array<{ subtopologyId: string; partitions: number[] }> {
  return toWire(t)
    .map(({ topicId, partitions }) => ({ subtopologyId: topicId, partitions }))
    .sort((a, b) => (a.subtopologyId < b.subtopologyId ? -1 : a.subtopologyId > b.subtopologyId ? 1 : 0));
}

export function tasksFromWire(list: ReadonlyArray<{ subtopologyId: string; partitions: readonly number[] }>): Tasks {
  return fromWire(list.map((t) => ({ topicId: t.subtopologyId, partitions: t.partitions })));
}

const withEpochs = (t: Tasks) => tasksToWire(t).map((x) => ({ ...x, assignmentEpochs: null }));

export function encodeStreamsGroupRecord(rec: StreamsGroupRecord): { key: Buffer; value: Buffer | null } {
  const g = { groupId: rec.group };
  switch (rec.kind) {
    case 'sg-epoch':
      return {
        key: encodeVersioned(EpochKey, V.GROUP_METADATA, g),
        value:
          rec.value === null
            ? null
            : encodeVersioned(EpochValue, 0, {
                epoch: rec.value.epoch,
                metadataHash: rec.value.metadataHash,
                validatedTopologyEpoch: rec.value.validatedTopologyEpoch,
              }),
      };
    case 'sg-topology':
      return {
        key: encodeVersioned(TopologyKey, V.TOPOLOGY, g),
        value: rec.value === null ? null : encodeVersioned(TopologyValue, 0, rec.value),
      };
    case 'sg-member':
      return {
        key: encodeVersioned(MemberKey, V.MEMBER_METADATA, { ...g, memberId: rec.memberId }),
        value: rec.value === null ? null : encodeVersioned(MemberValue, 0, rec.value),
      };
    case 'sg-target-epoch':
      return {
        key: encodeVersioned(TargetEpochKey, V.TARGET_ASSIGNMENT_METADATA, g),
        value: rec.value === null ? null : encodeVersioned(TargetEpochValue, 0, { assignmentEpoch: rec.value }),
      };
    case 'sg-target':
      return {
        key: encodeVersioned(TargetKey, V.TARGET_ASSIGNMENT_MEMBER, { ...g, memberId: rec.memberId }),
        value:
          rec.value === null
            ? null
            : encodeVersioned(TargetValue, 0, {
                activeTasks: tasksToWire(rec.value.active),
                standbyTasks: tasksToWire(rec.value.standby),
                warmupTasks: tasksToWire(rec.value.warmup),
              }),
      };
    case 'sg-current': {
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
                activeTasks: withEpochs(v.assigned.active),
                standbyTasks: withEpochs(v.assigned.standby),
                warmupTasks: withEpochs(v.assigned.warmup),
                activeTasksPendingRevocation: withEpochs(v.pendingRevocation.active),
                standbyTasksPendingRevocation: withEpochs(v.pendingRevocation.standby),
                warmupTasksPendingRevocation: withEpochs(v.pendingRevocation.warmup),
              }),
      };
    }
  }
}

const NEWER = { newerAsLatest: true };

/** Decode a record whose key version is 17 or 19-23 (throws ProtocolDecodeError on malformed bytes). */
export function decodeStreamsGroupRecord(keyVersion: number, key: Buffer, value: Buffer | null): StreamsGroupRecord {
  switch (keyVersion) {
    case V.GROUP_METADATA: {
      const group = decodeVersioned(EpochKey, key).value.groupId;
      if (value === null) return { kind: 'sg-epoch', group, value: null };
      const d = decodeVersioned(EpochValue, value, NEWER).value;
      return {
        kind: 'sg-epoch',
        group,
        value: { epoch: d.epoch, metadataHash: d.metadataHash, validatedTopologyEpoch: d.validatedTopologyEpoch },
      };
    }
    case V.TOPOLOGY: {
      const group = decodeVersioned(TopologyKey, key).value.groupId;
      return { kind: 'sg-topology', group, value: value === null ? null : decodeVersioned(TopologyValue, value, NEWER).value };
    }
    case V.MEMBER_METADATA: {
      const k = decodeVersioned(MemberKey, key).value;
      return {
        kind: 'sg-member',
        group: k.groupId,
        memberId: k.memberId,
        value: value === null ? null : decodeVersioned(MemberValue, value, NEWER).value,
      };
    }
    case V.TARGET_ASSIGNMENT_METADATA: {
      const group = decodeVersioned(TargetEpochKey, key).value.groupId;
      return {
        kind: 'sg-target-epoch',
        group,
        value: value === null ? null : decodeVersioned(TargetEpochValue, value, NEWER).value.assignmentEpoch,
      };
    }
    case V.TARGET_ASSIGNMENT_MEMBER: {
      const k = decodeVersioned(TargetKey, key).value;
      let v: TasksTuple | null = null;
      if (value !== null) {
        const d = decodeVersioned(TargetValue, value, NEWER).value;
        v = { active: tasksFromWire(d.activeTasks), standby: tasksFromWire(d.standbyTasks), warmup: tasksFromWire(d.warmupTasks) };
      }
      return { kind: 'sg-target', group: k.groupId, memberId: k.memberId, value: v };
    }
    default: {
      const k = decodeVersioned(CurrentKey, key).value;
      let v: StreamsCurrentAssignment | null = null;
      if (value !== null) {
        const d = decodeVersioned(CurrentValue, value, NEWER).value;
        v = {
          memberEpoch: d.memberEpoch,
          previousMemberEpoch: d.previousMemberEpoch,
          state: d.state as StreamsMemberStateCode,
          assigned: { active: tasksFromWire(d.activeTasks), standby: tasksFromWire(d.standbyTasks), warmup: tasksFromWire(d.warmupTasks) },
          pendingRevocation: {
            active: tasksFromWire(d.activeTasksPendingRevocation),
            standby: tasksFromWire(d.standbyTasksPendingRevocation),
            warmup: tasksFromWire(d.warmupTasksPendingRevocation),
          },
        };
      }
      return { kind: 'sg-current', group: k.groupId, memberId: k.memberId, value: v };
    }
  }
}

// ---- record builders and comparisons used by the heartbeat (heartbeat.ts) ----

export function memberTombstones(groupId: string, memberId: string): StreamsGroupRecord[] {
  return [
    { kind: 'sg-current', group: groupId, memberId, value: null },
    { kind: 'sg-target', group: groupId, memberId, value: null },
    { kind: 'sg-member', group: groupId, memberId, value: null },
  ];
}

/** Tombstones for every record of a group (DeleteGroups, expiry, conversion to classic). */
export function streamsGroupTombstones(group: { groupId: string; members: ReadonlyMap<string, unknown> }): StreamsGroupRecord[] {
  const out: StreamsGroupRecord[] = [];
  for (const id of group.members.keys()) out.push(...memberTombstones(group.groupId, id));
  out.push({ kind: 'sg-target-epoch', group: group.groupId, value: null });
  out.push({ kind: 'sg-topology', group: group.groupId, value: null });
  out.push({ kind: 'sg-epoch', group: group.groupId, value: null });
  return out;
}

/** Member metadata unchanged: no record to write. */
export function sameMeta(a: StreamsMemberMetadata, b: StreamsMemberMetadata): boolean {
  return (
    a.instanceId === b.instanceId &&
    a.clientId === b.clientId &&
    a.clientHost === b.clientHost &&
    a.rebalanceTimeoutMs === b.rebalanceTimeoutMs &&
    sameAssignmentInputs(a, b)
  );
}

export function sameEndpoint(a: Endpoint | null, b: Endpoint | null): boolean {
  return a?.host === b?.host && a?.port === b?.port;
}

/** What the assignor looks at: a change bumps the group epoch. */
export function sameAssignmentInputs(a: StreamsMemberMetadata, b: StreamsMemberMetadata): boolean {
  return (
    a.rackId === b.rackId &&
    a.topologyEpoch === b.topologyEpoch &&
    a.processId === b.processId &&
    sameEndpoint(a.userEndpoint, b.userEndpoint) &&
    JSON.stringify(a.clientTags) === JSON.stringify(b.clientTags)
  );
}
