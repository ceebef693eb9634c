// Per-partition APIs (Produce, Fetch, ListOffsets, OffsetCommit, OffsetFetch, DeleteRecords,
// OffsetForLeaderEpoch): where a request and its response keep their topics and partitions,
// declared once per API as a PartitionShape in its handler file and listed in the registry
// (broker/handlers/index.ts). Two users read it:
// - answerPartitions(), the skeleton those handlers share: resolve each topic (by name, or by
//   id in the versions that name topics by id), find the partition this node leads, answer it
//   or fail it with the shape's error values;
// - the test kit's faults (broker/testkit/partition-shapes.ts), which fail single partitions
//   of any of these APIs with a well-formed response.

import { ResourceType } from './security/authorizer/acl.js';
import { deniedCode } from './security/authorizer/checks.js';
import { ErrorCode } from '../protocol/errors.js';
import { ZERO_UUID } from '../protocol/primitives.js';
import { inRange, type ApiSpec, type Input, type RequestOf, type ResponseOf } from '../protocol/schema.js';
import type { RequestContext } from './handler.js';
import { leaderPartition } from './leadership.js';
import type { Partition } from './partition.js';
import type { Topic } from './topics.js';

type Obj = Record<string, unknown>;
type Elem<T> = NonNullable<T> extends readonly (infer E)[] ? E : never;
/** Keys of T whose value is an array (of structs or of int32 partition indexes). */
type ArrayKey<T> = { [K in keyof T]-?: NonNullable<T[K]> extends readonly unknown[] ? K : never }[keyof T] & string;
type Key<T> = keyof T & string;

export interface ShapeSide {
  /** The top-level array of topics. */
  readonly topics: string;
  /** The topic's name field (absent from the versions that name topics by id). */
  readonly name: string;
  /** The topic's id field, when the API has one. */
  readonly id?: string;
  /** The topic's array of partitions. */
  readonly partitions: string;
  /** The partition index field; null when partitions are plain int32 indexes (OffsetFetch requests). */
  readonly index: string | null;
}

export interface PartitionShape<
  A extends ApiSpec = ApiSpec,
  RT extends string = string,
  RP extends string = string,
  ST extends string = string,
  SP extends string = string,
> {
  readonly api: A;
  readonly req: ShapeSide & { readonly topics: RT; readonly partitions: RP };
  readonly res: ShapeSide & { readonly topics: ST; readonly partitions: SP; readonly index: string };
  /** Fields of a failed response partition besides its index and error code. */
  readonly failed: Obj;
}

type ReqTopic<A extends ApiSpec, RT extends string> = Elem<RequestOf<A>[RT & keyof RequestOf<A>]>;
type ReqPartition<A extends ApiSpec, RT extends string, RP extends string> = Elem<ReqTopic<A, RT>[RP & keyof ReqTopic<A, RT>]>;
type ResTopic<A extends ApiSpec, ST extends string> = Elem<ResponseOf<A>[ST & keyof ResponseOf<A>]>;
type ResPartition<A extends ApiSpec, ST extends string, SP extends string> = Elem<ResTopic<A, ST>[SP & keyof ResTopic<A, ST>]>;

/** Declare where an API keeps its topics and partitions; field names are checked against its schema. */
export function partitionShape<
  A extends ApiSpec,
  RT extends ArrayKey<RequestOf<A>>,
  RP extends ArrayKey<ReqTopic<A, RT>>,
  ST extends ArrayKey<ResponseOf<A>>,
  SP extends ArrayKey<ResTopic<A, ST>>,
>(
  api: A,
  def: {
    req: { topics: RT; name: Key<ReqTopic<A, RT>>; id?: Key<ReqTopic<A, RT>>; partitions: RP; index: Key<ReqPartition<A, RT, RP>> | null };
    res: { topics: ST; name: Key<ResTopic<A, ST>>; id?: Key<ResTopic<A, ST>>; partitions: SP; index: Key<ResPartition<A, ST, SP>> };
    failed: Input<Partial<ResPartition<A, ST, SP>>>;
  },
): PartitionShape<A, RT, RP, ST, SP> {
  return { api, req: def.req, res: def.res, failed: def.failed as Obj };
}

/** A request topic resolved: the topic (undefined when unknown) and the error its partitions get then. */
export interface ResolvedTopic {
  readonly topic: Topic | undefined;
  /** The name to answer with: the topic's, else the one asked. */
  readonly name: string;
  /** The id to answer with: the topic's, else the one asked (zero when asked by name). */
  readonly id: string;
  /** UNKNOWN_TOPIC_ID when asked by an unknown id, else UNKNOWN_TOPIC_OR_PARTITION. */
  readonly unknownError: number;
}

/** Whether this request version names topics by id (its name field is gone in this version). */
export function byTopicId(shape: PartitionShape, version: number): boolean {
  if (!shape.req.id) return false;
  const nameField = shape.api.request.fields[shape.req.topics]?.fields?.[shape.req.name];
  return !!nameField && !inRange(nameField.versions, version);
}

/** Resolve a request's topic entry by name, or by id in the versions that name topics by id. */
export function resolveTopic(shape: PartitionShape, ctx: RequestContext, entry: unknown): ResolvedTopic {
  const t = entry as Obj;
  if (byTopicId(shape, ctx.apiVersion)) {
    const id = t[shape.req.id!] as string;
    const topic = ctx.broker.topics.getById(id);
    return { topic, name: topic?.name ?? '', id, unknownError: ErrorCode.UNKNOWN_TOPIC_ID };
  }
  const name = t[shape.req.name] as string;
  const topic = ctx.broker.topics.get(name);
  return { topic, name, id: topic?.id ?? ZERO_UUID, unknownError: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
}

/** A partition this node leads, as answerPartitions hands it to the handler. */
export interface LedPartition {
  readonly partition: Partition;
  readonly topic: Topic;
}

export interface AnswerOptions<T, P, R> {
  /** The AclOperation the caller needs on each topic (Kafka checks it first): TOPIC_AUTHORIZATION_FAILED without it. */
  access?: number;
  /** Checked before the partition is looked up: an error code fails it (e.g. the same partition twice). */
  before?(p: P, t: T, resolved: ResolvedTopic): number;
  /** Extra fields of a failed partition for this error (e.g. CurrentLeader for NOT_LEADER_OR_FOLLOWER). */
  failed?(p: P, errorCode: number, resolved: ResolvedTopic): Input<Partial<R>>;
}

/**
 * The per-partition skeleton: each request topic resolved, each of its partitions looked up
 * on this node and answered by `answer` (a response partition, or an error code to fail it
 * with). Unknown topics and partitions, and partitions another node leads, fail with the
 * shape's error values. Returns the response's topic array.
 */
export function answerPartitions<A extends ApiSpec, RT extends string, RP extends string, ST extends string, SP extends string>(
  shape: PartitionShape<A, RT, RP, ST, SP>,
  ctx: RequestContext,
  topics: readonly ReqTopic<A, RT>[],
  answer: (p: ReqPartition<A, RT, RP>, led: LedPartition, t: ReqTopic<A, RT>) => Input<ResPartition<A, ST, SP>> | number,
  opts: AnswerOptions<ReqTopic<A, RT>, ReqPartition<A, RT, RP>, ResPartition<A, ST, SP>> = {},
): Input<ResTopic<A, ST>>[] {
  const { req, res } = shape;
  return topics.map((t) => {
    const resolved = resolveTopic(shape, ctx, t);
    const parts = ((t as Obj)[req.partitions] as ReqPartition<A, RT, RP>[] | null) ?? [];
    const fail = (p: ReqPartition<A, RT, RP>, index: number, errorCode: number) => ({
      ...shape.failed,
      ...opts.failed?.(p, errorCode, resolved),
      [res.index]: index,
      errorCode,
    });
    const unknownId = !resolved.topic && resolved.unknownError === ErrorCode.UNKNOWN_TOPIC_ID;
    const denied = opts.access === undefined || unknownId ? 0 : deniedCode(ctx, opts.access, ResourceType.TOPIC, resolved.name);
    const partitions = parts.map((p) => {
      const index = req.index === null ? (p as number) : ((p as Obj)[req.index] as number);
      const early = denied || (opts.before?.(p, t, resolved) ?? 0);
      if (early) return fail(p, index, early);
      const found = leaderPartition(ctx, resolved.topic, index);
      if (!found.partition) return fail(p, index, resolved.topic ? found.errorCode : resolved.unknownError);
      const out = answer(p, { partition: found.partition, topic: found.topic }, t);
      if (typeof out === 'number') return fail(p, index, out);
      const failedFields = (out as Obj).errorCode
        ? { ...shape.failed, ...opts.failed?.(p, (out as Obj).errorCode as number, resolved) }
        : {};
      return { ...failedFields, [res.index]: index, ...(out as Obj) };
    });
    const entry: Obj = { [res.name]: resolved.name, [res.partitions]: partitions };
    if (res.id) entry[res.id] = resolved.id;
    return entry as Input<ResTopic<A, ST>>;
  });
}
