// What a mirror remembers between runs, kept on the SOURCE cluster (as MirrorMaker 2 keeps its
// offset syncs there by default, offset-syncs.topic.location=source):
//
// - its position: committed offsets of the group `kafkalite-mirror-<target cluster id>`, one per
//   mirrored partition: the next source offset to copy, with metadata `t=<next target offset>`.
//   `kafkalite groups describe kafkalite-mirror-<id>` shows the mirror's lag like any consumer's.
// - its offset mapping: the topic `kafkalite-mirror-<target cluster id>-offset-syncs` (one
//   partition, never deleted), one record per partition per pass, key `topic:partition`, value
//   the runs that pass added (bin/mirror/offsets.ts).
//
// The syncs are written before the position, so a crash between the two leaves the position
// behind: the next run finds the target's log end past the position's target offset and skips
// that many records instead of copying them again (bin/mirror/copy.ts).

import { ErrorCode } from '../../protocol/errors.js';
import { OffsetCommit, OffsetFetch, Produce } from '../../protocol/messages/index.js';
import { buildBatch } from '../../protocol/records/index.js';
import { createTopic, EARLIEST, LATEST, listOffsets } from '../client/admin.js';
import { check, type KafkaClient } from '../client/client.js';
import { Consumer } from '../client/consumer.js';
import { decodeRuns, encodeRuns, type PartitionMapping, type Run } from './offsets.js';

export const MIRROR_PREFIX = 'kafkalite-mirror-';

export function mirrorGroupId(targetClusterId: string): string {
  return `${MIRROR_PREFIX}${targetClusterId}`;
}

export function syncsTopic(targetClusterId: string): string {
  return `${MIRROR_PREFIX}${targetClusterId}-offset-syncs`;
}

export interface StoredPosition {
  sourceNext: number;
  targetNext: number;
}

const key = (topic: string, partition: number) => `${topic}:${partition}`;

/** The mirror group's committed positions: `topic:partition` → position. */
export async function loadPositions(source: KafkaClient, groupId: string): Promise<Map<string, StoredPosition>> {
  const node = await source.coordinator(groupId);
  const { response } = await source.send(OffsetFetch, () => ({ groupId, topics: null, requireStable: true }), { node });
  check(response.errorCode, `group ${groupId}`);
  const out = new Map<string, StoredPosition>();
  for (const t of response.topics) {
    for (const p of t.partitions) {
      if (p.errorCode !== ErrorCode.NONE || p.committedOffset < 0) continue;
      const m = /^t=(\d+)$/.exec(p.metadata ?? '');
      if (!m) continue; // not written by a mirror: ignore
      out.set(key(t.name, p.partitionIndex), { sourceNext: p.committedOffset, targetNext: Number(m[1]) });
    }
  }
  return out;
}

/** Commit positions to the mirror group as an admin (the group never has members). */
export async function savePositions(
  source: KafkaClient,
  groupId: string,
  positions: Array<{ topic: string; partition: number; mapping: PartitionMapping }>,
): Promise<void> {
  if (positions.length === 0) return;
  const byTopic = new Map<string, Array<{ partition: number; mapping: PartitionMapping }>>();
  for (const p of positions) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p]);
  const node = await source.coordinator(groupId);
  const { response } = await source.send(
    OffsetCommit,
    () => ({
      groupId,
      generationIdOrMemberEpoch: -1,
      memberId: '',
      groupInstanceId: null,
      retentionTimeMs: -1,
      topics: [...byTopic].map(([name, parts]) => ({
        name,
        partitions: parts.map((p) => ({
          partitionIndex: p.partition,
          committedOffset: p.mapping.sourceNext,
          committedLeaderEpoch: -1,
          commitTimestamp: -1,
          committedMetadata: `t=${p.mapping.targetNext}`,
        })),
      })),
    }),
    { node },
  );
  for (const t of response.topics) for (const p of t.partitions) check(p.errorCode, `commit mirror position ${t.name}-${p.partitionIndex}`);
}

/** Create the offset-syncs topic when missing. */
export async function ensureSyncsTopic(source: KafkaClient, topic: string): Promise<void> {
  await createTopic(source, topic, {
    partitions: 1,
    configs: { 'cleanup.policy': 'delete', 'retention.ms': '-1', 'retention.bytes': '-1' },
    ifNotExists: true,
  });
  for (let attempt = 0; attempt < 50; attempt++) {
    const md = await source.metadata([topic]);
    const t = md.topics.find((x) => x.name === topic);
    if (t && t.errorCode === ErrorCode.NONE && t.partitions.every((p) => p.leader >= 0)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${topic} has no leader on the source`);
}

/** Every run recorded in the offset-syncs topic, per `topic:partition`, in the order written. */
export async function loadSyncs(source: KafkaClient, topic: string): Promise<Map<string, Run[]>> {
  const out = new Map<string, Run[]>();
  const md = await source.topic(topic);
  const start = (await listOffsets(source, topic, EARLIEST, [0])).get(0) ?? 0;
  const end = (await listOffsets(source, topic, LATEST, [0])).get(0) ?? 0;
  if (end <= start) return out;
  const consumer = new Consumer(source, md, { maxWaitMs: 100, partitionMaxBytes: 8 << 20 });
  consumer.assign(new Map([[0, start]]));
  while ((consumer.positions.get(0) ?? end) < end) {
    const { records } = await consumer.poll(100);
    for (const r of records) {
      if (!r.key || r.value === null) continue;
      const k = r.key.toString('utf8');
      const runs = out.get(k) ?? [];
      runs.push(...decodeRuns(r.value.toString('utf8')));
      out.set(k, runs);
    }
  }
  return out;
}

/** Append the runs a pass added, one record per partition. */
export async function appendSyncs(
  source: KafkaClient,
  topic: string,
  added: Array<{ topic: string; partition: number; runs: Run[] }>,
): Promise<void> {
  const records = added
    .filter((a) => a.runs.length > 0)
    .map((a) => ({ key: key(a.topic, a.partition), value: encodeRuns(a.runs), timestamp: Date.now() }));
  if (records.length === 0) return;
  const md = await source.topic(topic);
  const { response } = await source.send(
    Produce,
    () => ({
      transactionalId: null,
      acks: -1,
      timeoutMs: 30_000,
      topicData: [{ name: topic, partitionData: [{ index: 0, records: buildBatch({ records }) }] }],
    }),
    { node: md.partitions[0]!.leader },
  );
  for (const t of response.responses) for (const p of t.partitionResponses) check(p.errorCode, p.errorMessage ?? `${topic}-${p.index}`);
}
