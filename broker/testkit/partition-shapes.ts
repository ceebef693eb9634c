// Fault injection on per-partition APIs: the failed partitions are taken out of the request the
// handler sees (no append, no commit happens for them), and entries carrying the error are
// added to the response, with the other fields at the error values of the API's
// PartitionShape (declared in its handler file, loaded with it by the registry:
// broker/handlers/index.ts).
//
// APIs without a shape have no partitions here: their faults set the top-level error code.

import type { ApiSpec } from '../../protocol/schema.js';
import { REGISTRY } from '../handlers/index.js';
import type { PartitionShape, ShapeSide } from '../partitions.js';
import type { Topic } from '../topics.js';

function shapeOf(api: ApiSpec): PartitionShape | undefined {
  // Faults run inside the dispatch of the API's request, after its handler module loaded.
  return REGISTRY.get(api.apiKey)?.loaded?.partitions;
}

/** A topic-partition as named in a request. */
export interface NamedPartition {
  topic: string;
  partition: number;
}

type Obj = Record<string, unknown>;

export function hasPartitions(api: ApiSpec): boolean {
  return shapeOf(api) !== undefined;
}

/** Every topic-partition a request names (empty for APIs without partitions, or "all topics"). */
export function requestPartitions(api: ApiSpec, request: unknown, topicById: (id: string) => Topic | undefined): NamedPartition[] {
  const shape = shapeOf(api);
  const topics = shape && ((request as Obj)[shape.req.topics] as Obj[] | null | undefined);
  if (!shape || !Array.isArray(topics)) return [];
  const out: NamedPartition[] = [];
  for (const t of topics) {
    const topic = topicName(t, shape.req, topicById);
    for (const p of (t[shape.req.partitions] as unknown[]) ?? []) out.push({ topic, partition: partitionIndex(p, shape.req) });
  }
  return out;
}

/**
 * Split a request: returns a copy without the partitions `fail` picks (null when it picks none)
 * and how to add their error entries to the handler's response.
 */
export function splitRequest(
  api: ApiSpec,
  request: unknown,
  fail: (tp: NamedPartition) => boolean,
  topicById: (id: string) => Topic | undefined,
): { request: unknown; remaining: number; failed: Array<{ topicEntry: Obj; partition: number }> } | null {
  const shape = shapeOf(api)!;
  const topics = (request as Obj)[shape.req.topics] as Obj[] | null;
  if (!Array.isArray(topics)) return null;
  const failed: Array<{ topicEntry: Obj; partition: number }> = [];
  let remaining = 0;
  const kept: Obj[] = [];
  for (const t of topics) {
    const topic = topicName(t, shape.req, topicById);
    const parts = (t[shape.req.partitions] as unknown[]) ?? [];
    const keep = parts.filter((p) => {
      const partition = partitionIndex(p, shape.req);
      if (!fail({ topic, partition })) return true;
      failed.push({ topicEntry: t, partition });
      return false;
    });
    remaining += keep.length;
    if (keep.length > 0) kept.push(keep.length === parts.length ? t : { ...t, [shape.req.partitions]: keep });
  }
  if (failed.length === 0) return null;
  return { request: { ...(request as Obj), [shape.req.topics]: kept }, remaining, failed };
}

/** Add error entries for the failed partitions to a response (created empty when null). */
export function addFailedPartitions(
  api: ApiSpec,
  response: Obj,
  failed: Array<{ topicEntry: Obj; partition: number }>,
  errorCode: number,
): Obj {
  const shape = shapeOf(api)!;
  const topics = ((response[shape.res.topics] as Obj[] | undefined) ?? []).slice();
  for (const { topicEntry, partition } of failed) {
    const name = topicEntry[shape.req.name];
    const id = shape.req.id ? topicEntry[shape.req.id] : undefined;
    // Topics named by name (or, in the versions without names, by id).
    let entry = topics.find((t) => (name ? t[shape.res.name] === name : shape.res.id !== undefined && t[shape.res.id] === id));
    if (!entry) {
      entry = { [shape.res.name]: name, ...(shape.res.id ? { [shape.res.id]: id } : {}), [shape.res.partitions]: [] };
      topics.push(entry);
    }
    entry[shape.res.partitions] = [
      ...((entry[shape.res.partitions] as Obj[]) ?? []),
      { ...shape.failed, [shape.res.index]: partition, errorCode },
    ];
  }
  return { ...response, [shape.res.topics]: topics };
}

/** Overwrite the error code of response partitions `fail` picks (requests naming "all topics"). Returns how many. */
export function overwritePartitionErrors(
  api: ApiSpec,
  response: Obj,
  fail: (tp: NamedPartition) => boolean,
  errorCode: number,
  topicById: (id: string) => Topic | undefined,
): number {
  const shape = shapeOf(api)!;
  let n = 0;
  for (const t of (response[shape.res.topics] as Obj[] | undefined) ?? []) {
    const topic = topicName(t, shape.res, topicById);
    for (const p of (t[shape.res.partitions] as Obj[]) ?? []) {
      if (!fail({ topic, partition: p[shape.res.index] as number })) continue;
      Object.assign(p, shape.failed, { errorCode });
      n++;
    }
  }
  return n;
}

function topicName(t: Obj, side: ShapeSide, topicById: (id: string) => Topic | undefined): string {
  const name = t[side.name];
  if (typeof name === 'string' && name !== '') return name;
  const id = side.id ? (t[side.id] as string | undefined) : undefined;
  return (id && topicById(id)?.name) ?? '';
}

function partitionIndex(p: unknown, side: ShapeSide): number {
  return side.index === null ? (p as number) : ((p as Obj)[side.index] as number);
}
