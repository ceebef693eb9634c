// Topic routes: list, create, describe, delete, configs, and partition offsets. They go
// through TopicManager and ConfigAdmin, the same owners the Kafka APIs use, so the rules and
// error codes are Kafka's (TOPIC_ALREADY_EXISTS → 409, UNKNOWN_TOPIC_OR_PARTITION → 404, ...).
//
//   GET    /api/v1/topics                              ?internal=true to include __consumer_offsets
//   POST   /api/v1/topics                              { name, partitions?, configs? }
//   GET    /api/v1/topics/:topic                       partitions with offsets and sizes, overrides
//   DELETE /api/v1/topics/:topic
//   GET    /api/v1/topics/:topic/configs               every topic config with its source
//   PATCH  /api/v1/topics/:topic/configs               { set, delete }
//   GET    /api/v1/topics/:topic/partitions            offsets of every partition
//   GET    /api/v1/topics/:topic/partitions/:partition/offsets   ?timestamp=ms: also the offset for it

import type { FastifyInstance, FastifyReply } from 'fastify';
import { ErrorCode } from '../../protocol/errors.js';
import { RESOURCE_TOPIC } from '../configs.js';
import type { Partition } from '../partition.js';
import type { Topic } from '../topics.js';
import { ERROR_SCHEMA, errorBody, statusFor } from './errors.js';
import { offsetForTimestamp } from './records.js';
import {
  CONFIGS_SCHEMA,
  CONFIG_PATCH_SCHEMA,
  PARTITION_SCHEMA,
  TOPIC_SCHEMA,
  TOPIC_SUMMARY_SCHEMA,
  configChanges,
  configView,
  type ConfigPatch,
} from './schemas.js';
import type { HttpContext } from './server.js';

export function partitionView(p: Partition) {
  return {
    partition: p.index,
    leader: p.leaderId,
    leaderEpoch: p.leaderEpoch,
    logStartOffset: p.log.logStartOffset,
    logEndOffset: p.log.logEndOffset,
    highWatermark: p.highWatermark,
    sizeBytes: p.log.size,
  };
}

function totals(t: Topic): { sizeBytes: number; records: number } {
  let sizeBytes = 0;
  let records = 0;
  for (const p of t.partitions) {
    sizeBytes += p.log.size;
    records += p.log.logEndOffset - p.log.logStartOffset;
  }
  return { sizeBytes, records };
}

export function topicView(t: Topic) {
  return {
    name: t.name,
    id: t.id,
    internal: t.internal,
    partitions: t.partitions.map(partitionView),
    configs: { ...t.configs },
    ...totals(t),
  };
}

/** The topic, or a 404 already sent. */
export function findTopic(ctx: HttpContext, name: string, reply: FastifyReply): Topic | null {
  const t = ctx.core.topics.get(name);
  if (!t) void reply.status(404).send(errorBody(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `no topic ${name}`));
  return t ?? null;
}

export function findPartition(
  ctx: HttpContext,
  name: string,
  index: number,
  reply: FastifyReply,
): { topic: Topic; partition: Partition } | null {
  const topic = findTopic(ctx, name, reply);
  if (!topic) return null;
  const partition = topic.partitions[index];
  if (!partition) {
    void reply.status(404).send(errorBody(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic ${name} has no partition ${index}`));
    return null;
  }
  return { topic, partition };
}

const TOPIC_PARAMS = { type: 'object', properties: { topic: { type: 'string' } }, required: ['topic'] } as const;
export const PARTITION_PARAMS = {
  type: 'object',
  properties: { topic: { type: 'string' }, partition: { type: 'integer', minimum: 0 } },
  required: ['topic', 'partition'],
} as const;

export function registerTopicRoutes(app: FastifyInstance, ctx: HttpContext): void {
  const { core } = ctx;
  const nodeId = () => core.cluster.nodes[0]!.nodeId;

  app.get<{ Querystring: { internal?: boolean } }>(
    '/api/v1/topics',
    {
      schema: {
        tags: ['topics'],
        summary: 'List topics with partition counts and sizes',
        querystring: {
          type: 'object',
          properties: { internal: { type: 'boolean', default: false, description: 'include internal topics' } },
        },
        response: { 200: { type: 'object', properties: { topics: { type: 'array', items: TOPIC_SUMMARY_SCHEMA } } } },
      },
    },
    async (req) => ({
      topics: [...core.topics.all()]
        .filter((t) => req.query.internal || !t.internal)
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        .map((t) => ({ name: t.name, id: t.id, internal: t.internal, partitions: t.partitions.length, ...totals(t) })),
    }),
  );

  app.post<{ Body: { name: string; partitions?: number; configs?: Record<string, string | number | boolean>; validateOnly?: boolean } }>(
    '/api/v1/topics',
    {
      schema: {
        tags: ['topics'],
        summary: 'Create a topic',
        body: {
          type: 'object',
          required: ['name'],
          properties: {
            name: { type: 'string' },
            partitions: { type: 'integer', description: 'default: num.partitions' },
            configs: { type: 'object', additionalProperties: { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] } },
            validateOnly: { type: 'boolean' },
          },
          additionalProperties: false,
        },
        response: {
          201: TOPIC_SCHEMA,
          200: { type: 'object', properties: { valid: { type: 'boolean' } } },
          400: ERROR_SCHEMA,
          409: ERROR_SCHEMA,
        },
      },
    },
    async (req, reply) => {
      const configs = Object.fromEntries(Object.entries(req.body.configs ?? {}).map(([k, v]) => [k, String(v)]));
      const res = core.topics.create(req.body.name, { partitions: req.body.partitions, configs, validateOnly: req.body.validateOnly });
      if (res.errorCode !== 0) return reply.status(statusFor(res.errorCode)).send(errorBody(res.errorCode, res.errorMessage));
      if (req.body.validateOnly) return { valid: true };
      core.log.info({ topic: req.body.name, partitions: res.topic!.partitions.length }, 'created topic over HTTP');
      return reply.status(201).send(topicView(res.topic!));
    },
  );

  app.get<{ Params: { topic: string } }>(
    '/api/v1/topics/:topic',
    {
      schema: {
        tags: ['topics'],
        summary: 'Describe a topic: partitions, offsets, sizes, config overrides',
        params: TOPIC_PARAMS,
        response: { 200: TOPIC_SCHEMA, 404: ERROR_SCHEMA },
      },
    },
    async (req, reply) => {
      const t = findTopic(ctx, req.params.topic, reply);
      return t ? topicView(t) : reply;
    },
  );

  app.delete<{ Params: { topic: string } }>(
    '/api/v1/topics/:topic',
    {
      schema: {
        tags: ['topics'],
        summary: 'Delete a topic',
        params: TOPIC_PARAMS,
        response: { 204: { type: 'null' }, 400: ERROR_SCHEMA, 403: ERROR_SCHEMA, 404: ERROR_SCHEMA },
      },
    },
    async (req, reply) => {
      const t = findTopic(ctx, req.params.topic, reply);
      if (!t) return reply;
      if (!core.config.bool('delete.topic.enable'))
        return reply.status(403).send(errorBody(ErrorCode.TOPIC_DELETION_DISABLED, 'delete.topic.enable is false'));
      if (t.internal) return reply.status(400).send(errorBody(ErrorCode.INVALID_TOPIC_EXCEPTION, `${t.name} is an internal topic`));
      const res = core.deleteTopic(t.name);
      if (res.errorCode !== 0) return reply.status(statusFor(res.errorCode)).send(errorBody(res.errorCode, res.errorMessage));
      core.log.info({ topic: t.name }, 'deleted topic over HTTP');
      return reply.status(204).send();
    },
  );

  app.get<{ Params: { topic: string } }>(
    '/api/v1/topics/:topic/configs',
    {
      schema: {
        tags: ['topics'],
        summary: 'Every config of a topic, with its value and source',
        params: TOPIC_PARAMS,
        response: { 200: CONFIGS_SCHEMA, 404: ERROR_SCHEMA },
      },
    },
    async (req, reply) => {
      const res = core.configs.describe(RESOURCE_TOPIC, req.params.topic, null, nodeId(), true);
      if (res.errorCode !== 0) return reply.status(statusFor(res.errorCode)).send(errorBody(res.errorCode, res.errorMessage));
      return { configs: res.configs.map(configView) };
    },
  );

  app.patch<{ Params: { topic: string }; Body: ConfigPatch & { validateOnly?: boolean } }>(
    '/api/v1/topics/:topic/configs',
    {
      schema: {
        tags: ['topics'],
        summary: 'Set or remove topic config overrides',
        params: TOPIC_PARAMS,
        body: CONFIG_PATCH_SCHEMA,
        response: { 200: CONFIGS_SCHEMA, 400: ERROR_SCHEMA, 404: ERROR_SCHEMA },
      },
    },
    async (req, reply) => {
      const changes = configChanges(req.body);
      const res = core.configs.alter(RESOURCE_TOPIC, req.params.topic, changes, {
        replace: false,
        validateOnly: req.body.validateOnly === true,
        nodeId: nodeId(),
      });
      if (res.errorCode !== 0) return reply.status(statusFor(res.errorCode)).send(errorBody(res.errorCode, res.errorMessage));
      const names = new Set(changes.map((c) => c.name));
      const described = core.configs.describe(RESOURCE_TOPIC, req.params.topic, null, nodeId(), true);
      return { configs: described.configs.filter((c) => names.has(c.name)).map(configView) };
    },
  );

  app.get<{ Params: { topic: string } }>(
    '/api/v1/topics/:topic/partitions',
    {
      schema: {
        tags: ['topics'],
        summary: 'Offsets and sizes of every partition',
        params: TOPIC_PARAMS,
        response: { 200: { type: 'object', properties: { partitions: { type: 'array', items: PARTITION_SCHEMA } } }, 404: ERROR_SCHEMA },
      },
    },
    async (req, reply) => {
      const t = findTopic(ctx, req.params.topic, reply);
      return t ? { partitions: t.partitions.map(partitionView) } : reply;
    },
  );

  app.get<{ Params: { topic: string; partition: number }; Querystring: { timestamp?: number } }>(
    '/api/v1/topics/:topic/partitions/:partition/offsets',
    {
      schema: {
        tags: ['topics'],
        summary: 'Offsets of one partition; with ?timestamp, also the first offset at or after it',
        params: PARTITION_PARAMS,
        querystring: { type: 'object', properties: { timestamp: { type: 'integer', description: 'epoch milliseconds' } } },
        response: {
          200: {
            ...PARTITION_SCHEMA,
            properties: { ...PARTITION_SCHEMA.properties, timestamp: { type: 'integer' }, offsetForTimestamp: { type: 'integer' } },
          },
          404: ERROR_SCHEMA,
        },
      },
    },
    async (req, reply) => {
      const found = findPartition(ctx, req.params.topic, req.params.partition, reply);
      if (!found) return reply;
      const view = partitionView(found.partition);
      if (req.query.timestamp === undefined) return view;
      return { ...view, timestamp: req.query.timestamp, offsetForTimestamp: offsetForTimestamp(found.partition, req.query.timestamp) };
    },
  );
}
