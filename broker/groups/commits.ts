// Offset requests for every group type (Kafka's OffsetMetadataManager and the
// checks KafkaApis makes first): OffsetCommit, OffsetFetch, OffsetDelete and offset expiry.
// They read the OffsetStore and change it only by appending records and replaying them; which
// commits a group accepts is the group's own rule (Group.validateOffsetCommit).

import { ErrorCode } from '../../protocol/errors.js';
import type { TopicManager } from '../topics.js';
import type { GroupCoordinator } from './coordinator.js';
import { GroupError } from './group.js';
import { ShareGroup } from './share/share-group.js';
import type { OffsetAndMetadata } from './offsets.js';
import type { CoordinatorRecord, OffsetCommitRecord } from './records.js';

export interface CommitRequest {
  groupId: string;
  generationIdOrMemberEpoch: number;
  memberId: string;
  groupInstanceId: string | null;
  /** -1: broker default (OffsetCommit v2-4 only). */
  retentionTimeMs: number;
  topics: ReadonlyArray<{
    name: string;
    partitions: ReadonlyArray<{
      partitionIndex: number;
      committedOffset: number;
      committedLeaderEpoch: number;
      commitTimestamp: number;
      committedMetadata: string | null;
    }>;
  }>;
}

export type PartitionErrors = Array<{ name: string; partitions: Array<{ partitionIndex: number; errorCode: number }> }>;

function partitionExists(topics: TopicManager, topic: string, partition: number): boolean {
  return topics.get(topic)?.partitions[partition] !== undefined;
}

/**
 * TxnOffsetCommit v3+'s member checks (Kafka's OffsetMetadataManager.validateTransactionalOffsetCommit):
 * NONE, or the error every partition of the request gets. No group: generation -1 makes a
 * simple group, else GROUP_ID_NOT_FOUND (v6+) / ILLEGAL_GENERATION; then the group's own rule
 * (classic: UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID, ILLEGAL_GENERATION; consumer:
 * UNKNOWN_MEMBER_ID, STALE_MEMBER_EPOCH, which before v6 goes out as ILLEGAL_GENERATION).
 */
export function validateTxnOffsetCommit(
  coord: GroupCoordinator,
  req: { groupId: string; memberId: string; groupInstanceId: string | null; generationId: number },
  apiVersion: number,
): number {
  let group = coord.group(req.groupId);
  if (!group) {
    if (req.generationId >= 0) return apiVersion >= 6 ? ErrorCode.GROUP_ID_NOT_FOUND : ErrorCode.ILLEGAL_GENERATION;
    group = coord.getOrCreateClassicGroup(req.groupId);
  }
  try {
    group.validateOffsetCommit(req.memberId, req.groupInstanceId, req.generationId, apiVersion, true);
    return ErrorCode.NONE;
  } catch (err) {
    if (!(err instanceof GroupError)) throw err;
    // TxnOffsetCommitRequest.supportsStaleMemberEpochError: v6 and up.
    if (err.errorCode === ErrorCode.STALE_MEMBER_EPOCH && apiVersion < 6) return ErrorCode.ILLEGAL_GENERATION;
    return err.errorCode;
  }
}

/** OffsetCommit: per-partition errors, in request order. */
export function commitOffsets(
  coord: GroupCoordinator,
  topics: TopicManager,
  req: CommitRequest,
  apiVersion: number,
  nodeId: number,
): PartitionErrors {
  const out: PartitionErrors = req.topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: ErrorCode.NONE })),
  }));
  const all = (errorCode: number) => {
    for (const t of out) for (const p of t.partitions) if (p.errorCode === ErrorCode.NONE) p.errorCode = errorCode;
    return out;
  };
  if (req.groupId === '') return all(ErrorCode.INVALID_GROUP_ID);
  const notHere = coord.checkCoordinator(req.groupId, nodeId);
  if (notHere !== ErrorCode.NONE) return all(notHere);
  // Unknown topics and partitions are answered before the group is looked at (KafkaApis).
  let valid = 0;
  req.topics.forEach((t, i) => {
    t.partitions.forEach((p, j) => {
      if (partitionExists(topics, t.name, p.partitionIndex)) valid++;
      else out[i]!.partitions[j]!.errorCode = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
    });
  });
  if (valid === 0) return out;

  let group = coord.group(req.groupId);
  if (!group) {
    // No group and generation -1: a standalone consumer or an admin client; a "simple" group is created.
    if (req.generationIdOrMemberEpoch >= 0) return all(apiVersion >= 9 ? ErrorCode.GROUP_ID_NOT_FOUND : ErrorCode.ILLEGAL_GENERATION);
    group = coord.getOrCreateClassicGroup(req.groupId);
  }
  try {
    group.validateOffsetCommit(req.memberId, req.groupInstanceId, req.generationIdOrMemberEpoch, apiVersion);
  } catch (err) {
    if (err instanceof GroupError) return all(err.errorCode);
    throw err;
  }

  const now = coord.clock.now();
  const maxMetadata = coord.config.int('offset.metadata.max.bytes');
  const expireTimestamp = req.retentionTimeMs === -1 ? null : now + req.retentionTimeMs;
  const records: OffsetCommitRecord[] = [];
  const written: Array<{ partitionIndex: number; errorCode: number }> = [];
  req.topics.forEach((t, i) => {
    t.partitions.forEach((p, j) => {
      const slot = out[i]!.partitions[j]!;
      if (slot.errorCode !== ErrorCode.NONE) return;
      if (p.committedMetadata !== null && p.committedMetadata.length > maxMetadata) {
        slot.errorCode = ErrorCode.OFFSET_METADATA_TOO_LARGE;
        return;
      }
      const value: OffsetAndMetadata = {
        offset: p.committedOffset,
        leaderEpoch: p.committedLeaderEpoch,
        metadata: p.committedMetadata ?? '',
        commitTimestamp: p.commitTimestamp === -1 ? now : p.commitTimestamp,
        expireTimestamp,
      };
      records.push({
        kind: 'offset',
        group: req.groupId,
        topic: t.name,
        partition: p.partitionIndex,
        value,
        topicId: topics.get(t.name)?.id,
      });
      written.push(slot);
    });
  });
  const error = coord.write(req.groupId, records);
  if (error !== ErrorCode.NONE) {
    for (const slot of written) slot.errorCode = error;
    return out;
  }
  for (const r of records) coord.offsets.replay(r);
  return out;
}

export interface FetchedOffsets {
  errorCode: number;
  topics: Array<{
    name: string;
    partitions: Array<{
      partitionIndex: number;
      committedOffset: number;
      committedLeaderEpoch: number;
      metadata: string;
      errorCode: number;
    }>;
  }>;
}

/**
 * OffsetFetch for one group: the requested partitions (offset -1, metadata "" when never
 * committed), or every committed offset when `topics` is null. `requireStable` would report
 * UNSTABLE_OFFSET_COMMIT for pending transactional commits; there are none yet.
 */
export function fetchOffsets(
  coord: GroupCoordinator,
  groupId: string,
  topics: ReadonlyArray<{ name: string; partitionIndexes: readonly number[] }> | null,
  nodeId: number,
  member: { memberId: string | null; memberEpoch: number } | null = null,
): FetchedOffsets {
  const notHere = coord.checkCoordinator(groupId, nodeId);
  if (notHere !== ErrorCode.NONE) return { errorCode: notHere, topics: [] };
  const group = coord.group(groupId);
  // v9+: a consumer group member's id and epoch are checked (STALE_MEMBER_EPOCH, UNKNOWN_MEMBER_ID).
  if (member && group?.validateOffsetFetch) {
    try {
      group.validateOffsetFetch(member.memberId, member.memberEpoch);
    } catch (err) {
      if (err instanceof GroupError) return { errorCode: err.errorCode, topics: [] };
      throw err;
    }
  }
  const known = group !== undefined && group.stateName() !== 'Dead';
  const entry = (partitionIndex: number, o: OffsetAndMetadata | undefined) => ({
    partitionIndex,
    committedOffset: o?.offset ?? -1,
    committedLeaderEpoch: o?.leaderEpoch ?? -1,
    metadata: o?.metadata ?? '',
    errorCode: ErrorCode.NONE,
  });
  if (topics === null) {
    if (!known) return { errorCode: ErrorCode.NONE, topics: [] };
    const byTopic = new Map<string, FetchedOffsets['topics'][number]['partitions']>();
    for (const o of coord.offsets.all(groupId)) {
      let parts = byTopic.get(o.topic);
      if (!parts) {
        parts = [];
        byTopic.set(o.topic, parts);
      }
      parts.push(entry(o.partition, o.value));
    }
    return {
      errorCode: ErrorCode.NONE,
      topics: [...byTopic]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, partitions]) => ({ name, partitions: partitions.sort((a, b) => a.partitionIndex - b.partitionIndex) })),
    };
  }
  return {
    errorCode: ErrorCode.NONE,
    topics: topics.map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((p) => entry(p, known ? coord.offsets.get(groupId, t.name, p) : undefined)),
    })),
  };
}

/** OffsetDelete: a top-level error, or per-partition results. */
export function deleteOffsets(
  coord: GroupCoordinator,
  topicManager: TopicManager,
  groupId: string,
  topics: ReadonlyArray<{ name: string; partitions: ReadonlyArray<{ partitionIndex: number }> }>,
  nodeId: number,
): { errorCode: number; topics: PartitionErrors } {
  if (groupId === '') return { errorCode: ErrorCode.INVALID_GROUP_ID, topics: [] };
  const notHere = coord.checkCoordinator(groupId, nodeId);
  if (notHere !== ErrorCode.NONE) return { errorCode: notHere, topics: [] };
  const group = coord.group(groupId);
  if (!group) return { errorCode: ErrorCode.GROUP_ID_NOT_FOUND, topics: [] };
  try {
    group.validateOffsetDelete();
  } catch (err) {
    if (err instanceof GroupError) return { errorCode: err.errorCode, topics: [] };
    throw err;
  }
  const records: OffsetCommitRecord[] = [];
  const out: PartitionErrors = topics.map((t) => {
    const subscribed = group.isSubscribedToTopic(t.name);
    return {
      name: t.name,
      partitions: t.partitions.map(({ partitionIndex }) => {
        if (!partitionExists(topicManager, t.name, partitionIndex))
          return { partitionIndex, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
        if (subscribed) return { partitionIndex, errorCode: ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC };
        if (coord.offsets.get(groupId, t.name, partitionIndex))
          records.push({ kind: 'offset', group: groupId, topic: t.name, partition: partitionIndex, value: null });
        return { partitionIndex, errorCode: ErrorCode.NONE };
      }),
    };
  });
  const error = coord.write(groupId, records);
  if (error !== ErrorCode.NONE) return { errorCode: error, topics: [] };
  for (const r of records) coord.offsets.replay(r);
  return { errorCode: ErrorCode.NONE, topics: out };
}

/**
 * Tombstones for a group's expired offsets (appended to `records`). True when every offset the
 * group had is expiring (or it had none): the group may then go if it is empty. Offsets of
 * subscribed topics never expire.
 */
export function expireOffsets(
  coord: GroupCoordinator,
  groupId: string,
  now: number,
  retentionMs: number,
  records: CoordinatorRecord[],
): boolean {
  if (!coord.offsets.hasOffsets(groupId)) return true;
  const group = coord.group(groupId);
  const expired = group?.offsetExpiration() ?? null;
  if (!group || !expired) return false;
  let all = true;
  for (const o of coord.offsets.all(groupId)) {
    if (!group.isSubscribedToTopic(o.topic) && expired(o.value, now, retentionMs)) {
      records.push({ kind: 'offset', group: groupId, topic: o.topic, partition: o.partition, value: null });
    } else {
      all = false;
    }
  }
  return all;
}

/**
 * A deleted topic's committed offsets removed from every group with tombstones, as Kafka's group
 * coordinator does when partitions are deleted. Never creates the offsets topic (nothing can be
 * committed without it).
 */
export function removeTopicOffsets(coord: GroupCoordinator, deleted: string): void {
  if (!coord.topic.get()) return;
  for (const groupId of [...coord.offsets.groupIds()]) {
    const records: CoordinatorRecord[] = [];
    for (const o of coord.offsets.all(groupId)) {
      if (o.topic === deleted) records.push({ kind: 'offset', group: groupId, topic: deleted, partition: o.partition, value: null });
    }
    if (records.length === 0 || coord.write(groupId, records) !== ErrorCode.NONE) continue;
    for (const r of records) if (r.kind === 'offset') coord.offsets.replay(r);
    coord.log.info({ group: groupId, topic: deleted, offsets: records.length }, 'removed committed offsets of a deleted topic');
  }
}

/** Every offsets.retention.check.interval.ms: expire offsets, then drop empty groups left without any. */
export function cleanupGroupMetadata(coord: GroupCoordinator): void {
  const now = coord.clock.now();
  const retentionMs = coord.config.int('offsets.retention.minutes') * 60_000;
  const groupIds = new Set<string>([...coord.allGroups()].map((g) => g.groupId));
  for (const id of coord.offsets.groupIds()) groupIds.add(id);
  for (const groupId of groupIds) {
    const records: CoordinatorRecord[] = [];
    const allExpired = expireOffsets(coord, groupId, now, retentionMs, records);
    const group = coord.group(groupId);
    // Share groups never expire (Kafka's ShareGroup.shouldExpire): their progress lives in the share-partitions' state.
    const deleteGroup = allExpired && group?.isEmpty() && !(group instanceof ShareGroup);
    if (deleteGroup) records.push(...coord.groupTombstones(group, groupId));
    if (records.length === 0) continue;
    if (coord.write(groupId, records) !== ErrorCode.NONE) continue;
    for (const r of records) if (r.kind === 'offset') coord.offsets.replay(r);
    if (deleteGroup) coord.removeGroup(groupId);
    coord.log.info(
      { group: groupId, expiredOffsets: records.filter((r) => r.kind === 'offset').length, groupDeleted: deleteGroup },
      'removed expired group metadata',
    );
  }
}
