// Moving consumer groups' positions: each source group matching --groups has its committed
// offsets read (OffsetFetch, all topics) and, for the mirrored topics, translated through the
// partitions' offset mappings (bin/mirror/offsets.ts) and committed on the target as an admin
// (OffsetCommit with generation -1, as kafka-consumer-groups.sh --reset-offsets does), which
// Kafka accepts only while the group has no members there. MirrorMaker 2's checkpoints
// (org.apache.kafka.connect.mirror.MirrorCheckpointTask) do the same and, like them, a
// translation never moves a target group backwards: a consumer already running on the target
// keeps its own progress.

import { ErrorCode } from '../../protocol/errors.js';
import { DescribeGroups, OffsetFetch } from '../../protocol/messages/index.js';
import { check, type KafkaClient } from '../client/client.js';
import { commitOffsets } from '../client/group-member.js';
import { listGroups } from '../client/groups.js';
import type { PartitionMapping } from './offsets.js';
import { namePattern } from './plan.js';
import { MIRROR_PREFIX } from './state.js';

/** A group's committed offsets on the source: topic → partition → offset. */
export type GroupOffsets = Map<string, Map<number, number>>;

export interface GroupResult {
  groupId: string;
  partitions: number;
  /** Partitions where the target already had a later offset (kept). */
  kept: number;
  error: string | null;
}

/** The committed offsets of the source's groups matching `pattern`, for the mirrored topics. */
export async function snapshotGroups(
  source: KafkaClient,
  pattern: string | undefined,
  topics: Set<string>,
): Promise<Map<string, GroupOffsets>> {
  const wanted = namePattern(pattern);
  const out = new Map<string, GroupOffsets>();
  for (const g of await listGroups(source)) {
    if (g.groupId.startsWith(MIRROR_PREFIX) || !wanted(g.groupId)) continue;
    if (g.protocolType !== 'consumer' && g.protocolType !== '') continue; // Connect workers, streams internals...
    const node = await source.coordinator(g.groupId);
    const { response } = await source.send(OffsetFetch, () => ({ groupId: g.groupId, topics: null, requireStable: true }), { node });
    check(response.errorCode, `group ${g.groupId}`);
    const offsets: GroupOffsets = new Map();
    for (const t of response.topics) {
      if (!topics.has(t.name)) continue;
      for (const p of t.partitions) {
        if (p.errorCode !== ErrorCode.NONE || p.committedOffset < 0) continue;
        offsets.set(t.name, (offsets.get(t.name) ?? new Map()).set(p.partitionIndex, p.committedOffset));
      }
    }
    if (offsets.size > 0) out.set(g.groupId, offsets);
  }
  return out;
}

/** Translate and commit one group on the target. */
export async function translateGroup(
  target: KafkaClient,
  groupId: string,
  offsets: GroupOffsets,
  mappingOf: (topic: string, partition: number) => PartitionMapping | undefined,
): Promise<GroupResult> {
  const result: GroupResult = { groupId, partitions: 0, kept: 0, error: null };
  const translated = new Map<string, Map<number, number>>();
  const problems: string[] = [];
  for (const [topic, parts] of offsets) {
    for (const [partition, committed] of parts) {
      const mapping = mappingOf(topic, partition);
      const t = mapping?.translate(committed) ?? null;
      if (t === null) {
        problems.push(`${topic}-${partition} at ${committed} is past what was copied (${mapping?.sourceNext ?? 'nothing'})`);
        continue;
      }
      translated.set(topic, (translated.get(topic) ?? new Map()).set(partition, t));
    }
  }
  try {
    const node = await target.coordinator(groupId);
    const { response } = await target.send(DescribeGroups, () => ({ groups: [groupId], includeAuthorizedOperations: false }), { node });
    const g = response.groups[0];
    if (g && g.errorCode === ErrorCode.NONE && g.members.length > 0) {
      result.error = `group ${groupId} has ${g.members.length} active member(s) on the target; its offsets there were left alone`;
      return result;
    }
    const { response: current } = await target.send(OffsetFetch, () => ({ groupId, topics: null, requireStable: true }), { node });
    check(current.errorCode, `group ${groupId} on the target`);
    for (const t of current.topics) {
      for (const p of t.partitions) {
        const mine = translated.get(t.name)?.get(p.partitionIndex);
        if (mine !== undefined && p.errorCode === ErrorCode.NONE && p.committedOffset > mine) {
          translated.get(t.name)!.delete(p.partitionIndex);
          result.kept++;
        }
      }
    }
    for (const [topic, parts] of translated) {
      await commitOffsets(target, groupId, topic, parts, { coordinator: node });
      result.partitions += parts.size;
    }
  } catch (err) {
    problems.push((err as Error).message);
  }
  if (problems.length > 0) result.error = `group ${groupId}: ${problems.join('; ')}`;
  return result;
}
