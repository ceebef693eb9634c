// What the HTTP API, the console and /metrics see of consumer groups. GroupsView is the seam
// between the HTTP layer and the group coordinator: routes and metrics only use this
// interface, never broker/groups/ directly, so the coordinator can change behind it.
//
// groupsViewFor(core) answers from `core.groups` (the GroupCoordinator) when the broker has
// one, and otherwise from NO_GROUPS (empty lists, 404s). Resetting offsets goes through the
// coordinator's own OffsetCommit path (commitOffsets), so its rules hold: a group with live
// members refuses (UNKNOWN_MEMBER_ID, as Kafka's tools report "group is not empty").

import { ErrorCode, errorName } from '../../protocol/errors.js';
import { decodeAssignment } from '../../protocol/messages/consumer-protocol.js';
import { CoordinatorKeyType } from '../coordinator-placement.js';
import type { BrokerCore } from '../core.js';
import { commitOffsets, fetchOffsets } from '../groups/commits.js';
import type { GroupCoordinator } from '../groups/coordinator.js';
import { SHARE_ASSIGNOR_NAME } from '../groups/share/assignor.js';
import type { ShareGroupView } from '../groups/share/owner.js';
import type { Partition } from '../partition.js';

export interface GroupSummary {
  groupId: string;
  state: string;
  protocolType: string;
  type: string;
  members: number;
}

export interface GroupMemberView {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  /** Decoded for protocol type "consumer"; empty otherwise. */
  assignment: Array<{ topic: string; partitions: number[] }>;
}

export interface PartitionLag {
  topic: string;
  partition: number;
  /** null: assigned but never committed. */
  committedOffset: number | null;
  logEndOffset: number;
  /** logEndOffset − committedOffset (never negative), null when nothing is committed. */
  lag: number | null;
  metadata: string;
  /** Member the partition is assigned to, if any. */
  memberId: string | null;
}

export interface GroupDetail extends Omit<GroupSummary, 'members'> {
  protocol: string;
  members: GroupMemberView[];
  offsets: PartitionLag[];
  totalLag: number;
  /** Share groups (KIP-932): start offset and records in flight per share-partition, from delivery (core.shareGroups.progress). */
  shareProgress?: Array<{ topic: string; partition: number; startOffset: number; inFlight: number }>;
}

export type ResetTarget =
  | { to: 'earliest' }
  | { to: 'latest' }
  | { to: 'offset'; offset: number }
  | { to: 'timestamp'; timestamp: number }
  | { to: 'shift'; by: number };

export interface ResetRequest {
  /** Topics to reset; omitted: every topic the group has committed offsets for. */
  topics?: Array<{ topic: string; partitions?: number[] }>;
  target: ResetTarget;
  /** Compute and return the new offsets without committing them. */
  dryRun?: boolean;
}

export interface ResetResult {
  errorCode: number;
  error: string | null;
  offsets: Array<{ topic: string; partition: number; previousOffset: number | null; newOffset: number }>;
}

export interface GroupsView {
  /** False until the broker has a group coordinator. */
  readonly available: boolean;
  list(): GroupSummary[];
  /** null: no such group. */
  describe(groupId: string): GroupDetail | null;
  /** Committed offset and lag of every group's every committed partition (for /metrics). */
  allLag(): Array<{ group: string; topic: string; partition: number; committedOffset: number; lag: number }>;
  resetOffsets(groupId: string, req: ResetRequest): ResetResult;
  delete(groupId: string): { errorCode: number; error: string | null };
}

const unavailable = { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, error: 'this broker has no group coordinator' };

/** The view of a broker without a group coordinator. */
export const NO_GROUPS: GroupsView = {
  available: false,
  list: () => [],
  describe: () => null,
  allLag: () => [],
  resetOffsets: () => ({ ...unavailable, offsets: [] }),
  delete: () => unavailable,
};

export function groupsViewFor(core: BrokerCore): GroupsView {
  const coord = (core as { groups?: GroupCoordinator }).groups;
  return coord ? new CoordinatorGroupsView(core, coord) : NO_GROUPS;
}

/** Offset a reset moves a partition to, clamped to [logStartOffset, highWatermark]. */
export function resetOffsetFor(p: Partition, target: ResetTarget, current: number | null): number {
  const start = p.log.logStartOffset;
  const end = p.highWatermark;
  let offset: number;
  switch (target.to) {
    case 'earliest':
      offset = start;
      break;
    case 'latest':
      offset = end;
      break;
    case 'offset':
      offset = target.offset;
      break;
    case 'timestamp':
      offset = p.log.offsetForTimestamp(target.timestamp, end)?.offset ?? end;
      break;
    case 'shift':
      offset = (current ?? end) + target.by;
      break;
  }
  return Math.min(Math.max(offset, start), end);
}

class CoordinatorGroupsView implements GroupsView {
  readonly available = true;

  constructor(
    private readonly core: BrokerCore,
    private readonly coord: GroupCoordinator,
  ) {}

  private nodeFor(groupId: string): number {
    const node = this.core.placement.nodeFor(CoordinatorKeyType.GROUP, groupId);
    return node === -1 ? this.core.cluster.nodes[0]!.nodeId : node;
  }

  list(): GroupSummary[] {
    const out: GroupSummary[] = [];
    for (const node of this.core.cluster.nodes) {
      for (const g of this.coord.listGroups(node.nodeId, [], [])) {
        out.push({
          groupId: g.groupId,
          state: g.groupState,
          protocolType: g.protocolType,
          type: g.groupType,
          members: this.coord.classicGroup(g.groupId)?.members.size ?? this.coord.shareGroups.group(g.groupId)?.members.length ?? 0,
        });
      }
    }
    return out.sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
  }

  describe(groupId: string): GroupDetail | null {
    const share = this.coord.shareGroups.group(groupId);
    if (share) return this.describeShare(share);
    const group = this.coord.group(groupId);
    if (!group && !this.coord.offsets.hasOffsets(groupId)) return null;
    const d = this.coord.describeGroup(groupId, this.nodeFor(groupId));
    if (d.errorCode !== ErrorCode.NONE) return null;
    const members: GroupMemberView[] = d.members.map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      assignment: d.protocolType === 'consumer' ? assignmentOf(m.memberAssignment) : [],
    }));
    const owner = new Map<string, string>();
    for (const m of members) for (const a of m.assignment) for (const p of a.partitions) owner.set(`${a.topic}\0${p}`, m.memberId);
    const offsets: PartitionLag[] = [];
    const seen = new Set<string>();
    const fetched = fetchOffsets(this.coord, groupId, null, this.nodeFor(groupId));
    for (const t of fetched.topics) {
      for (const p of t.partitions) {
        seen.add(`${t.name}\0${p.partitionIndex}`);
        offsets.push(
          this.lagRow(t.name, p.partitionIndex, p.committedOffset, p.metadata, owner.get(`${t.name}\0${p.partitionIndex}`) ?? null),
        );
      }
    }
    for (const [key, memberId] of owner) {
      if (seen.has(key)) continue;
      const [topic, partition] = key.split('\0') as [string, string];
      offsets.push(this.lagRow(topic, Number(partition), -1, '', memberId));
    }
    offsets.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
    return {
      groupId,
      state: d.groupState,
      protocolType: d.protocolType,
      type: group?.type ?? 'classic',
      protocol: d.protocolData,
      members,
      offsets,
      totalLag: offsets.reduce((sum, o) => sum + (o.lag ?? 0), 0),
    };
  }

  /** A share group: its members with their assignments and delivery's progress; no committed offsets. */
  private describeShare(g: ShareGroupView): GroupDetail {
    return {
      groupId: g.groupId,
      state: g.state,
      protocolType: 'share',
      type: 'share',
      protocol: SHARE_ASSIGNOR_NAME,
      members: g.members.map((m) => ({
        memberId: m.memberId,
        groupInstanceId: null,
        clientId: m.clientId,
        clientHost: m.clientHost,
        assignment: m.assignment.map((a) => ({ topic: a.topicName, partitions: a.partitions })),
      })),
      offsets: [],
      totalLag: 0,
      shareProgress: this.coord.shareGroups.progress(g.groupId),
    };
  }

  private lagRow(topic: string, partition: number, committed: number, metadata: string, memberId: string | null): PartitionLag {
    const end = this.core.topics.partition(topic, partition)?.highWatermark ?? -1;
    const has = committed >= 0;
    return {
      topic,
      partition,
      committedOffset: has ? committed : null,
      logEndOffset: end,
      lag: has && end >= 0 ? Math.max(0, end - committed) : null,
      metadata,
      memberId,
    };
  }

  allLag(): Array<{ group: string; topic: string; partition: number; committedOffset: number; lag: number }> {
    const out: Array<{ group: string; topic: string; partition: number; committedOffset: number; lag: number }> = [];
    for (const group of this.coord.offsets.groupIds()) {
      for (const o of this.coord.offsets.all(group)) {
        const p = this.core.topics.partition(o.topic, o.partition);
        if (!p) continue;
        out.push({
          group,
          topic: o.topic,
          partition: o.partition,
          committedOffset: o.value.offset,
          lag: Math.max(0, p.highWatermark - o.value.offset),
        });
      }
    }
    return out;
  }

  resetOffsets(groupId: string, req: ResetRequest): ResetResult {
    const wanted: Array<{ topic: string; partitions?: number[] }> =
      req.topics ?? this.coord.offsets.topics(groupId).map((topic) => ({ topic }));
    if (wanted.length === 0)
      return { errorCode: ErrorCode.INVALID_REQUEST, error: 'name the topics to reset (the group has no committed offsets)', offsets: [] };
    const offsets: ResetResult['offsets'] = [];
    for (const w of wanted) {
      const topic = this.core.topics.get(w.topic);
      if (!topic) return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, error: `no topic ${w.topic}`, offsets: [] };
      const indexes = w.partitions ?? topic.partitions.map((p) => p.index);
      for (const i of indexes) {
        const p = topic.partitions[i];
        if (!p) return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, error: `no partition ${w.topic}-${i}`, offsets: [] };
        const previous = this.coord.offsets.get(groupId, w.topic, i)?.offset ?? null;
        offsets.push({ topic: w.topic, partition: i, previousOffset: previous, newOffset: resetOffsetFor(p, req.target, previous) });
      }
    }
    if (req.dryRun) return { errorCode: ErrorCode.NONE, error: null, offsets };
    const byTopic = new Map<
      string,
      Array<{
        partitionIndex: number;
        committedOffset: number;
        committedLeaderEpoch: number;
        commitTimestamp: number;
        committedMetadata: string | null;
      }>
    >();
    for (const o of offsets) {
      let parts = byTopic.get(o.topic);
      if (!parts) {
        parts = [];
        byTopic.set(o.topic, parts);
      }
      parts.push({
        partitionIndex: o.partition,
        committedOffset: o.newOffset,
        committedLeaderEpoch: -1,
        commitTimestamp: -1,
        committedMetadata: '',
      });
    }
    const result = commitOffsets(
      this.coord,
      this.core.topics,
      {
        groupId,
        generationIdOrMemberEpoch: -1,
        memberId: '',
        groupInstanceId: null,
        retentionTimeMs: -1,
        topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })),
      },
      8,
      this.nodeFor(groupId),
    );
    const failed = result.flatMap((t) => t.partitions).find((p) => p.errorCode !== ErrorCode.NONE);
    if (failed) {
      const why =
        failed.errorCode === ErrorCode.UNKNOWN_MEMBER_ID
          ? 'the group has active members; stop its consumers first'
          : errorName(failed.errorCode);
      return { errorCode: failed.errorCode, error: why, offsets };
    }
    return { errorCode: ErrorCode.NONE, error: null, offsets };
  }

  delete(groupId: string): { errorCode: number; error: string | null } {
    const code = this.coord.deleteGroup(groupId, this.nodeFor(groupId));
    return { errorCode: code, error: code === ErrorCode.NONE ? null : errorName(code) };
  }
}

function assignmentOf(bytes: Buffer): Array<{ topic: string; partitions: number[] }> {
  if (bytes.length === 0) return [];
  try {
    return decodeAssignment(bytes).assignedPartitions.map((a) => ({ topic: a.topic, partitions: [...a.partitions].sort((x, y) => x - y) }));
  } catch {
    return [];
  }
}
