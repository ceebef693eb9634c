// `kafkalite mirror`: copy topics, records and consumer group positions from one Kafka-protocol
// cluster to another, as a client of both (bin/client/). The steps, each in its own file:
//
//   plan.ts     which topics, created on the target with partition counts and configs
//   state.ts    the mirror's position and offset syncs, kept on the source
//   copy.ts     records, read_committed, re-encoded, produced; the offset mapping grows
//   offsets.ts  the mapping and the translation of a committed offset
//   groups.ts   the source groups' offsets translated and committed on the target
//   report.ts   progress line and final report
//
// Without --follow the copy is bounded: the source's groups are read first, then each
// partition's last stable offset, and everything below it is copied, so every committed offset
// read has its records on the target and translates exactly. With --follow it copies until
// the signal, saving its position every second and translating groups every few seconds.
// With --max-records (a sample of a cluster, usually a production one pulled into a local
// kafkalite) it copies the newest N records of each partition, keeps no state and writes
// nothing to the source.

import { EARLIEST, LATEST, listOffsets } from '../client/admin.js';
import { KafkaClient, type TopicMetadata } from '../client/client.js';
import { Copier, type CopyPartition } from './copy.js';
import { type GroupOffsets, snapshotGroups, translateGroup, type GroupResult } from './groups.js';
import { PartitionMapping, type Run } from './offsets.js';
import { planTopics, whileSettling } from './plan.js';
import { type MirrorReport, progressLine, totals } from './report.js';
import { appendSyncs, ensureSyncsTopic, loadPositions, loadSyncs, mirrorGroupId, savePositions, syncsTopic } from './state.js';

export { formatReport, type MirrorReport } from './report.js';

export interface MirrorOptions {
  from: string;
  to: string;
  topics?: string;
  groups?: string;
  follow?: boolean;
  /** Newest records per partition to copy; no state, no groups. */
  maxRecords?: number;
  compression?: number;
  /** Stops a --follow mirror (or cuts a bounded one short). */
  signal?: AbortSignal;
  /** Progress lines (default: none). */
  progress?: (line: string) => void;
  progressIntervalMs?: number;
  clientId?: string;
}

const SAVE_EVERY_MS = 1000;
const GROUPS_EVERY_MS = 5000;

export async function runMirror(opts: MirrorOptions): Promise<MirrorReport> {
  const started = Date.now();
  const clientId = opts.clientId ?? 'kafkalite-mirror';
  const source = await KafkaClient.connect({ bootstrap: opts.from, clientId });
  let target: KafkaClient;
  try {
    target = await KafkaClient.connect({ bootstrap: opts.to, clientId });
  } catch (err) {
    source.close();
    throw err;
  }
  try {
    return await mirror(source, target, opts, started);
  } finally {
    source.close();
    target.close();
  }
}

async function mirror(source: KafkaClient, target: KafkaClient, opts: MirrorOptions, started: number): Promise<MirrorReport> {
  const stateful = opts.maxRecords === undefined;
  const report: MirrorReport = { from: opts.from, to: opts.to, topics: [], parts: [], groups: [], warnings: [], errors: [], elapsedMs: 0 };
  const targetId = (await target.metadata([])).clusterId;
  const sourceId = (await source.metadata([])).clusterId;
  if (targetId !== null && targetId === sourceId) throw new Error(`${opts.from} and ${opts.to} are the same cluster (${targetId})`);
  if (stateful && !targetId) throw new Error(`${opts.to} reports no cluster id; the mirror names its state after it`);
  const groupId = mirrorGroupId(targetId ?? '');
  const syncs = syncsTopic(targetId ?? '');

  report.topics = await planTopics(source, target, { topics: opts.topics });
  for (const t of report.topics) {
    if (t.error !== null) report.errors.push(t.error);
    for (const d of t.differences) report.warnings.push(`${t.name}: ${d} (left as it is)`);
  }
  const ready = report.topics.filter((t) => t.target !== null);

  let positions = new Map<string, { sourceNext: number; targetNext: number }>();
  let runs = new Map<string, Run[]>();
  if (stateful) {
    await ensureSyncsTopic(source, syncs);
    positions = await loadPositions(source, groupId);
    runs = await loadSyncs(source, syncs);
  }
  // Groups before end offsets: every offset read is then below the end the copy goes to.
  let groups =
    stateful && !opts.follow
      ? await snapshotGroups(source, opts.groups, new Set(ready.map((t) => t.name)))
      : new Map<string, GroupOffsets>();

  const sourceTopics = new Map<string, TopicMetadata>();
  const targetTopics = new Map<string, TopicMetadata>();
  for (const t of ready) {
    sourceTopics.set(t.name, await source.topic(t.name));
    targetTopics.set(t.name, t.target!);
    const parts = Array.from({ length: t.partitions }, (_, i) => i);
    const starts = await whileSettling(() => listOffsets(source, t.name, EARLIEST, parts));
    const ends = await whileSettling(() => listOffsets(source, t.name, LATEST, parts, 1));
    const targetEnds = await whileSettling(() => listOffsets(target, t.name, LATEST, parts));
    for (const p of parts) {
      const key = `${t.name}:${p}`;
      const start = starts.get(p) ?? 0;
      const end = ends.get(p) ?? 0;
      const targetEnd = targetEnds.get(p) ?? 0;
      const stored = positions.get(key);
      const part: CopyPartition = {
        topic: t.name,
        partition: p,
        mapping: new PartitionMapping(start, targetEnd),
        end: opts.follow ? null : end,
        skip: 0,
        records: 0,
        bytes: 0,
        lost: 0,
        cursor: 0,
        sourceEnd: end,
        done: false,
        error: null,
      };
      if (stored) {
        part.mapping = new PartitionMapping(stored.sourceNext, stored.targetNext);
        for (const run of runs.get(key) ?? []) part.mapping.addRun(run);
        part.skip = targetEnd - stored.targetNext;
        if (part.skip < 0) {
          part.skip = 0;
          part.error =
            `${t.name}-${p} on the target ends at ${targetEnd}, before the ${stored.targetNext} this mirror wrote: it was deleted or ` +
            `truncated. Delete the group ${groupId} and the topic ${syncs} on the source to start over`;
          report.errors.push(part.error);
        }
        if (stored.sourceNext < start) {
          report.warnings.push(
            `${t.name}-${p}: records ${stored.sourceNext}-${start - 1} were deleted on the source before they were copied`,
          );
          part.mapping.sourceNext = start;
        }
      } else if (opts.maxRecords !== undefined) {
        part.mapping.sourceNext = Math.max(start, end - opts.maxRecords);
      } else if (targetEnd > 0 && stateful) {
        report.warnings.push(`${t.name}-${p} already has ${targetEnd} record(s) on the target; the copy goes after them`);
      }
      part.cursor = part.mapping.sourceNext;
      report.parts.push(part);
    }
  }

  const copier = new Copier(source, target, sourceTopics, targetTopics, report.parts, {
    compression: opts.compression ?? 0,
    batchRecords: 10_000,
    batchBytes: 900 * 1024,
    fetchBytes: 4 << 20,
  });
  const saved = new Map<CopyPartition, [run: number, length: number]>();
  for (const p of report.parts) saved.set(p, [Math.max(0, p.mapping.runs.length - 1), p.mapping.runs.at(-1)?.[2] ?? 0]);
  const positionKey = (p: CopyPartition) => `${p.mapping.sourceNext}/${p.mapping.targetNext}`;
  const lastSaved = new Map<CopyPartition, string>(report.parts.map((p) => [p, positionKey(p)]));
  const save = async () => {
    if (!stateful) return;
    const added = report.parts.map((p) => {
      const [run, length] = saved.get(p)!;
      return { topic: p.topic, partition: p.partition, runs: p.mapping.runsSince(run, length) };
    });
    await appendSyncs(source, syncs, added);
    for (const p of report.parts) saved.set(p, [Math.max(0, p.mapping.runs.length - 1), p.mapping.runs.at(-1)?.[2] ?? 0]);
    // Only positions that moved: an idle --follow writes nothing.
    const moved = report.parts.filter((p) => (p.error === null || p.records > 0) && lastSaved.get(p) !== positionKey(p));
    await savePositions(source, groupId, moved);
    for (const p of moved) lastSaved.set(p, positionKey(p));
  };
  const mappingOf = (topic: string, partition: number) => report.parts.find((p) => p.topic === topic && p.partition === partition)?.mapping;
  const translate = async (final: boolean): Promise<GroupResult[]> => {
    if (opts.follow) groups = await snapshotGroups(source, opts.groups, new Set(ready.map((t) => t.name)));
    const results: GroupResult[] = [];
    for (const [g, offsets] of groups) results.push(await translateGroup(target, g, offsets, mappingOf));
    if (!final) return results.filter((r) => r.error === null);
    return results;
  };

  let lastSave = Date.now();
  let lastGroups = Date.now();
  let lastProgress = Date.now();
  let recordsAtProgress = 0;
  const interval = opts.progressIntervalMs ?? 1000;
  while (!opts.signal?.aborted && (opts.follow || copier.active.length > 0)) {
    if (copier.active.length === 0) {
      await new Promise((r) => setTimeout(r, 200)); // every partition failed: wait for the signal
      continue;
    }
    await copier.round(opts.follow ? 500 : 100);
    const now = Date.now();
    if (now - lastSave >= SAVE_EVERY_MS) {
      await save();
      lastSave = now;
    }
    if (opts.follow && stateful && now - lastGroups >= GROUPS_EVERY_MS) {
      await translate(false);
      lastGroups = now;
    }
    if (opts.progress && now - lastProgress >= interval) {
      const { records } = totals(report.parts);
      opts.progress(progressLine(report.parts, ((records - recordsAtProgress) * 1000) / (now - lastProgress)));
      lastProgress = now;
      recordsAtProgress = records;
    }
  }
  await copier.drain();
  if (opts.progress && opts.follow) opts.progress(progressLine(report.parts, 0));
  report.elapsedMs = Date.now() - started;
  await save();
  if (stateful) report.groups = await translate(true);
  for (const p of report.parts) {
    if (p.error !== null && !report.errors.includes(p.error)) report.errors.push(`${p.topic}-${p.partition}: ${p.error}`);
    else if (!opts.follow && !p.done && p.error === null)
      report.errors.push(`${p.topic}-${p.partition}: stopped before the end (${p.mapping.sourceNext} of ${p.end})`);
  }
  for (const g of report.groups) if (g.error !== null) report.errors.push(g.error);
  for (const p of report.parts) {
    if (p.lost > 0)
      report.warnings.push(`${p.topic}-${p.partition}: ${p.lost} offset(s) deleted on the source (retention) before they were copied`);
  }
  return report;
}
