// The share-group offsets admin APIs (KIP-932): DescribeShareGroupOffsets (90),
// AlterShareGroupOffsets (91) and DeleteShareGroupOffsets (92) over the share partitions of
// broker/share/manager.ts, with Kafka 4.4's answers (GroupCoordinatorService
// describeShareGroupOffsets / alterShareGroupOffsets / deleteShareGroupOffsets, captured from a
// real broker): a group of another type is GROUP_ID_NOT_FOUND "Group <id> is not a share group.",
// a share group with members NON_EMPTY_GROUP "The group is not empty.", deleting the offsets of
// an unknown group GROUP_ID_NOT_FOUND "Group <id> not found.", unknown topics and partitions UNKNOWN_TOPIC_OR_PARTITION with its default message (a zero topic id).

import { defaultErrorMessage } from '../../protocol/error-messages.js';
import { ErrorCode } from '../../protocol/errors.js';
import { ZERO_UUID } from '../../protocol/primitives.js';
import type { BrokerCore } from '../core.js';

/** NONE, or the group-level error of an alteration or deletion of `groupId`'s share offsets. */
export function groupCheck(core: BrokerCore, groupId: string, op: 'alter' | 'delete'): { errorCode: number; errorMessage: string | null } {
  const state = core.share.shareGroupState(groupId);
  if (state === 'active') return { errorCode: ErrorCode.NON_EMPTY_GROUP, errorMessage: 'The group is not empty.' };
  if (state === undefined && core.groups.group(groupId)) {
    return { errorCode: ErrorCode.GROUP_ID_NOT_FOUND, errorMessage: `Group ${groupId} is not a share group.` };
  }
  // Kafka's AlterShareGroupOffsets makes an unknown group; deleting offsets needs one (or its share state).
  if (op === 'delete' && state === undefined && !core.share.ofGroup(groupId).some((sp) => sp.initialised)) {
    return { errorCode: ErrorCode.GROUP_ID_NOT_FOUND, errorMessage: `Group ${groupId} not found.` };
  }
  return { errorCode: ErrorCode.NONE, errorMessage: null };
}

const UNKNOWN = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;

export interface DescribedPartition {
  partitionIndex: number;
  startOffset: number;
  leaderEpoch: number;
  lag: number;
  errorCode: number;
  errorMessage: string | null;
}

/** One partition's start offset and lag (KIP-1226: high watermark - start offset - records delivered for good). */
export function describePartition(core: BrokerCore, groupId: string, topicId: string, index: number): DescribedPartition {
  const sp = topicId === ZERO_UUID ? undefined : core.share.find(groupId, topicId, index);
  const out = { partitionIndex: index, startOffset: -1, leaderEpoch: 0, lag: -1, errorCode: 0, errorMessage: null };
  if (!sp?.initialised) return out;
  const hw = core.topics.getById(topicId)?.partitions[index]?.log.highWatermark;
  const lag = hw === undefined ? -1 : Math.max(0, hw - sp.startOffset - sp.deliveryCompleteCount());
  return { ...out, startOffset: sp.startOffset, lag };
}

/** DescribeShareGroupOffsets for one group: the requested partitions, or (topics null) every share partition it has. */
export function describeGroupOffsets(
  core: BrokerCore,
  groupId: string,
  topics: ReadonlyArray<{ topicName: string; partitions: readonly number[] }> | null,
) {
  if (topics === null) {
    const byTopic = new Map<string, { topicName: string; topicId: string; partitions: DescribedPartition[] }>();
    const isShare = core.share.shareGroupState(groupId) !== undefined;
    if (groupId !== '' && (isShare || !core.groups.group(groupId))) {
      // The partitions with share state, and those assigned to members (Kafka initialises their
      // state when it assigns them; here at the first fetch): -1 until then.
      const parts = new Map<string, { topicId: string; partition: number }>();
      for (const sp of core.share.ofGroup(groupId)) if (sp.initialised) parts.set(`${sp.topicId}:${sp.partition}`, sp);
      for (const m of core.share.shareGroups?.group(groupId)?.members ?? []) {
        for (const a of m.assignment) for (const p of a.partitions) parts.set(`${a.topicId}:${p}`, { topicId: a.topicId, partition: p });
      }
      for (const { topicId, partition } of parts.values()) {
        const topic = core.topics.getById(topicId);
        if (!topic) continue;
        let t = byTopic.get(topic.name);
        if (!t) {
          t = { topicName: topic.name, topicId: topic.id, partitions: [] };
          byTopic.set(topic.name, t);
        }
        t.partitions.push(describePartition(core, groupId, topicId, partition));
      }
    }
    const list = [...byTopic.values()].sort((a, b) => a.topicName.localeCompare(b.topicName));
    for (const t of list) t.partitions.sort((a, b) => a.partitionIndex - b.partitionIndex);
    return { groupId, topics: list, errorCode: 0, errorMessage: null };
  }
  return {
    groupId,
    topics: topics.map((t) => {
      const topicId = core.topics.get(t.topicName)?.id ?? ZERO_UUID;
      return { topicName: t.topicName, topicId, partitions: t.partitions.map((i) => describePartition(core, groupId, topicId, i)) };
    }),
    errorCode: 0,
    errorMessage: null,
  };
}

/** AlterShareGroupOffsets: new start offsets (state epoch + 1, in-flight states dropped); unknown topics answered first. */
export function alterGroupOffsets(
  core: BrokerCore,
  groupId: string,
  topics: ReadonlyArray<{ topicName: string; partitions: ReadonlyArray<{ partitionIndex: number; startOffset: number }> }>,
) {
  const unknownTopics = [];
  const known = [];
  for (const t of topics) {
    const topic = core.topics.get(t.topicName);
    if (!topic) {
      unknownTopics.push({
        topicName: t.topicName,
        topicId: ZERO_UUID,
        partitions: t.partitions.map((p) => ({
          partitionIndex: p.partitionIndex,
          errorCode: UNKNOWN,
          errorMessage: defaultErrorMessage(UNKNOWN),
        })),
      });
      continue;
    }
    known.push({
      topicName: t.topicName,
      topicId: topic.id,
      partitions: t.partitions.map((p) => {
        if (!topic.partitions[p.partitionIndex])
          return { partitionIndex: p.partitionIndex, errorCode: UNKNOWN, errorMessage: defaultErrorMessage(UNKNOWN) };
        const sp = core.share.partition(groupId, topic.id, p.partitionIndex);
        sp.initialise(p.startOffset, sp.initialised ? sp.stateEpoch + 1 : 0);
        core.share.persistence?.changed(sp);
        return { partitionIndex: p.partitionIndex, errorCode: 0, errorMessage: null };
      }),
    });
  }
  const altered = known.map((t) => ({
    topicId: t.topicId,
    topicName: t.topicName,
    partitions: t.partitions.filter((p) => p.errorCode === 0).map((p) => p.partitionIndex),
  }));
  if (altered.some((t) => t.partitions.length > 0)) core.groups.shareOffsetsAltered(groupId, altered);
  return [...unknownTopics, ...known];
}

/** DeleteShareGroupOffsets: every share partition of the named topics dropped; unknown topics answered last. */
export function deleteGroupOffsets(core: BrokerCore, groupId: string, topics: ReadonlyArray<{ topicName: string }>) {
  const known = [];
  const unknownTopics = [];
  for (const t of topics) {
    const topic = core.topics.get(t.topicName);
    if (!topic) {
      unknownTopics.push({ topicName: t.topicName, topicId: ZERO_UUID, errorCode: UNKNOWN, errorMessage: defaultErrorMessage(UNKNOWN) });
      continue;
    }
    for (const sp of core.share.ofGroup(groupId)) if (sp.topicId === topic.id) core.share.drop(sp);
    known.push({ topicName: t.topicName, topicId: topic.id, errorCode: 0, errorMessage: null });
  }
  return [...known, ...unknownTopics];
}
