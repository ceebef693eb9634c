// Consumer group administration over the Kafka protocol, as kafka-consumer-groups.sh does it:
// ListGroups on every broker, DescribeGroups and OffsetFetch at the coordinator, ListOffsets
// for log end offsets (lag), OffsetCommit as an admin (generation -1) to reset offsets, and
// DeleteGroups. KIP-932 share groups are described with ShareGroupDescribe (members and their
// assigned partitions) and DescribeShareGroupOffsets (each share-partition's start offset and, from
// v1, its lag), as kafka-share-groups.sh --describe does: they commit no offsets.

import { ErrorCode } from '../../protocol/errors.js';
import { decodeAssignment } from '../../protocol/messages/consumer-protocol.js';
import {
  DeleteGroups,
  DescribeGroups,
  DescribeShareGroupOffsets,
  ListGroups,
  OffsetFetch,
  ShareGroupDescribe,
} from '../../protocol/messages/index.js';
import { EARLIEST, LATEST, listOffsets } from './admin.js';
import { check, KafkaError, type KafkaClient } from './client.js';
import { commitOffsets, fetchCommitted } from './group-member.js';

export interface ListedGroup {
  groupId: string;
  protocolType: string;
  state: string;
  /** classic, consumer, share or streams (ListGroups v5+; '' from older brokers). */
  type: string;
}

export interface GroupDescription {
  groupId: string;
  state: string;
  protocolType: string;
  protocol: string;
  members: Array<{ memberId: string; clientId: string; clientHost: string; assignment: Array<{ topic: string; partitions: number[] }> }>;
  offsets: Array<{
    topic: string;
    partition: number;
    /** The committed offset; for a share group its share-partition start offset (SPSO). */
    committed: number | null;
    logEnd: number;
    lag: number | null;
    memberId: string | null;
    clientId: string | null;
    host: string | null;
  }>;
}

export async function listGroups(client: KafkaClient): Promise<ListedGroup[]> {
  const md = await client.metadata([]);
  const seen = new Map<string, ListedGroup>();
  for (const b of md.brokers) {
    const { response } = await client.send(ListGroups, () => ({ statesFilter: [], typesFilter: [] }), { node: b.nodeId });
    check(response.errorCode);
    for (const g of response.groups)
      seen.set(g.groupId, { groupId: g.groupId, protocolType: g.protocolType, state: g.groupState, type: g.groupType ?? '' });
  }
  return [...seen.values()].sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
}

export async function describeGroup(client: KafkaClient, groupId: string): Promise<GroupDescription> {
  const node = await client.coordinator(groupId);
  const share = client.supports(ShareGroupDescribe) ? await describeShareGroup(client, groupId, node) : null;
  if (share) return share;
  const { response } = await client.send(DescribeGroups, () => ({ groups: [groupId], includeAuthorizedOperations: false }), { node });
  const g = response.groups[0]!;
  check(g.errorCode, `group ${groupId}`);
  const members = g.members.map((m) => {
    let assignment: Array<{ topic: string; partitions: number[] }> = [];
    if (g.protocolType === 'consumer' && m.memberAssignment.length > 0) {
      try {
        assignment = decodeAssignment(m.memberAssignment).assignedPartitions.map((a) => ({
          topic: a.topic,
          partitions: [...a.partitions].sort((x, y) => x - y),
        }));
      } catch {
        assignment = [];
      }
    }
    return { memberId: m.memberId, clientId: m.clientId, clientHost: m.clientHost, assignment };
  });
  // Every committed offset of the group (topics: null), plus assigned partitions without one.
  const { response: fetched } = await client.send(OffsetFetch, () => ({ groupId, topics: null, requireStable: false }), { node });
  check(fetched.errorCode);
  const committed = new Map<string, Map<number, number>>();
  for (const t of fetched.topics)
    for (const p of t.partitions)
      if (p.errorCode === ErrorCode.NONE && p.committedOffset >= 0)
        committed.set(t.name, (committed.get(t.name) ?? new Map()).set(p.partitionIndex, p.committedOffset));
  const owner = new Map<string, (typeof members)[number]>();
  for (const m of members) for (const a of m.assignment) for (const p of a.partitions) owner.set(`${a.topic}\0${p}`, m);
  const partitions = new Map<string, Set<number>>();
  for (const [topic, parts] of committed) partitions.set(topic, new Set(parts.keys()));
  for (const key of owner.keys()) {
    const [topic, p] = key.split('\0') as [string, string];
    partitions.set(topic, (partitions.get(topic) ?? new Set()).add(Number(p)));
  }
  const offsets: GroupDescription['offsets'] = [];
  for (const [topic, parts] of [...partitions].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const ends = await listOffsets(client, topic, LATEST, [...parts]).catch(() => new Map<number, number>());
    for (const p of [...parts].sort((a, b) => a - b)) {
      const c = committed.get(topic)?.get(p) ?? null;
      const end = ends.get(p) ?? -1;
      const m = owner.get(`${topic}\0${p}`) ?? null;
      offsets.push({
        topic,
        partition: p,
        committed: c,
        logEnd: end,
        lag: c !== null && end >= 0 ? Math.max(0, end - c) : null,
        memberId: m?.memberId ?? null,
        clientId: m?.clientId ?? null,
        host: m?.clientHost ?? null,
      });
    }
  }
  return { groupId, state: g.groupState, protocolType: g.protocolType, protocol: g.protocolData, members, offsets };
}

export type ResetSpec =
  | { to: 'earliest' }
  | { to: 'latest' }
  | { to: 'offset'; offset: number }
  | { to: 'datetime'; timestamp: number }
  | { to: 'shift'; by: number };

export interface ResetPlan {
  topic: string;
  partition: number;
  current: number | null;
  target: number;
}

/** Compute (and with execute, commit) new offsets; refuses while the group has members. */
export async function resetOffsets(
  client: KafkaClient,
  groupId: string,
  topic: string,
  partitions: number[] | null,
  spec: ResetSpec,
  execute: boolean,
): Promise<ResetPlan[]> {
  const node = await client.coordinator(groupId);
  const { response } = await client.send(DescribeGroups, () => ({ groups: [groupId], includeAuthorizedOperations: false }), { node });
  const g = response.groups[0]!;
  check(g.errorCode, `group ${groupId}`);
  if (g.groupState !== 'Empty' && g.groupState !== 'Dead') {
    throw new KafkaError(
      ErrorCode.NON_EMPTY_GROUP,
      `group ${groupId} is ${g.groupState} with ${g.members.length} member(s); reset offsets only when it is inactive`,
    );
  }
  const md = await client.topic(topic);
  const parts = partitions ?? md.partitions.map((p) => p.partition);
  const current = await fetchCommitted(client, groupId, topic, parts, node);
  const earliest = await listOffsets(client, topic, EARLIEST, parts);
  const latest = await listOffsets(client, topic, LATEST, parts);
  const byTime = spec.to === 'datetime' ? await listOffsets(client, topic, spec.timestamp, parts) : null;
  const plan = parts.map((p) => {
    const cur = current.get(p) ?? -1;
    const lo = earliest.get(p) ?? 0;
    const hi = latest.get(p) ?? 0;
    let target: number;
    if (spec.to === 'earliest') target = lo;
    else if (spec.to === 'latest') target = hi;
    else if (spec.to === 'offset') target = spec.offset;
    else if (spec.to === 'datetime') target = byTime!.get(p)! >= 0 ? byTime!.get(p)! : hi;
    else target = (cur >= 0 ? cur : hi) + spec.by;
    return { topic, partition: p, current: cur >= 0 ? cur : null, target: Math.min(Math.max(target, lo), hi) };
  });
  if (execute) await commitOffsets(client, groupId, topic, new Map(plan.map((r) => [r.partition, r.target])), { coordinator: node });
  return plan;
}

export async function deleteGroups(client: KafkaClient, groupIds: string[]): Promise<Array<{ groupId: string; errorCode: number }>> {
  const out: Array<{ groupId: string; errorCode: number }> = [];
  for (const groupId of groupIds) {
    const node = await client.coordinator(groupId);
    const { response } = await client.send(DeleteGroups, () => ({ groupsNames: [groupId] }), { node });
    for (const r of response.results) out.push({ groupId: r.groupId, errorCode: r.errorCode });
  }
  return out;
}

/** A share group's members and assignments (ShareGroupDescribe); null when the group is not a share group. */
async function describeShareGroup(client: KafkaClient, groupId: string, node: number): Promise<GroupDescription | null> {
  const { response } = await client.send(ShareGroupDescribe, () => ({ groupIds: [groupId], includeAuthorizedOperations: false }), {
    node,
  });
  const g = response.groups[0];
  if (!g || g.errorCode !== ErrorCode.NONE) return null;
  return {
    groupId,
    state: g.groupState,
    protocolType: 'share',
    protocol: g.assignorName,
    members: g.members.map((m) => ({
      memberId: m.memberId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      assignment: m.assignment.topicPartitions
        .map((t) => ({ topic: t.topicName, partitions: [...t.partitions].sort((a, b) => a - b) }))
        .sort((a, b) => (a.topic < b.topic ? -1 : 1)),
    })),
    offsets: await shareOffsets(client, groupId, node, g.members),
  };
}

/**
 * A share group's start offset and lag per share-partition (DescribeShareGroupOffsets, all topics; lag from v1, else the
 * log end less the start offset), with the member each partition is assigned to (several may share one: the first).
 */
async function shareOffsets(
  client: KafkaClient,
  groupId: string,
  node: number,
  members: Array<{
    memberId: string;
    clientId: string;
    clientHost: string;
    assignment: { topicPartitions: Array<{ topicName: string; partitions: number[] }> };
  }>,
): Promise<GroupDescription['offsets']> {
  if (!client.supports(DescribeShareGroupOffsets)) return [];
  const { response } = await client.send(DescribeShareGroupOffsets, () => ({ groups: [{ groupId, topics: null }] }), { node });
  const g = response.groups[0];
  if (!g || g.errorCode !== ErrorCode.NONE) return [];
  const owner = new Map<string, (typeof members)[number]>();
  for (const m of members)
    for (const t of m.assignment.topicPartitions)
      for (const p of t.partitions) if (!owner.has(`${t.topicName}\0${p}`)) owner.set(`${t.topicName}\0${p}`, m);
  const offsets: GroupDescription['offsets'] = [];
  for (const t of [...g.topics].sort((a, b) => (a.topicName < b.topicName ? -1 : a.topicName > b.topicName ? 1 : 0))) {
    const parts = t.partitions.filter((p) => p.errorCode === ErrorCode.NONE).sort((a, b) => a.partitionIndex - b.partitionIndex);
    const ends = await listOffsets(
      client,
      t.topicName,
      LATEST,
      parts.map((p) => p.partitionIndex),
    ).catch(() => new Map<number, number>());
    for (const p of parts) {
      const start = p.startOffset >= 0 ? p.startOffset : null;
      const end = ends.get(p.partitionIndex) ?? -1;
      const lag = p.lag !== undefined && p.lag >= 0 ? p.lag : start !== null && end >= 0 ? Math.max(0, end - start) : null;
      const m = owner.get(`${t.topicName}\0${p.partitionIndex}`) ?? null;
      offsets.push({
        topic: t.topicName,
        partition: p.partitionIndex,
        committed: start,
        logEnd: end,
        lag,
        memberId: m?.memberId ?? null,
        clientId: m?.clientId ?? null,
        host: m?.clientHost ?? null,
      });
    }
  }
  return offsets;
}
