// Record routes: read a partition by offset or timestamp, produce a record, and tail a topic
// live (Server-Sent Events).
//
//   GET  /api/v1/topics/:topic/partitions/:partition/records   ?offset= | ?timestamp=, &limit=, &format=
//   POST /api/v1/topics/:topic/records                          { partition?, key?, value, headers?, encoding? }
//   GET  /api/v1/topics/:topic/tail                             ?partition=, &from=end|beginning, &format=  (text/event-stream)

import type { FastifyInstance } from 'fastify';
import { ErrorCode } from '../../protocol/errors.js';
import { ERROR_SCHEMA, errorBody, statusFor } from './errors.js';
import { ProduceFailure, offsetForTimestamp, produceRecord, readRecords, type Format } from './records.js';
import { findPartition, findTopic, PARTITION_PARAMS } from './routes-topics.js';
import { FORMAT_PARAM, RECORD_SCHEMA } from './schemas.js';
import type { HttpContext } from './server.js';

type Encoding = 'utf8' | 'base64' | 'hex' | 'json';

interface ProduceBody {
  partition?: number;
  key?: string | null;
  value?: unknown;
  headers?: Record<string, string | null> | Array<{ key: string; value: string | null }>;
  encoding?: Encoding;
  timestamp?: number;
}

function bytes(value: unknown, encoding: Encoding): Buffer | null {
  if (value === null || value === undefined) return null;
  if (encoding === 'json') return Buffer.from(JSON.stringify(value), 'utf8');
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return encoding === 'utf8' ? Buffer.from(text, 'utf8') : Buffer.from(text, encoding);
}

export function registerRecordRoutes(app: FastifyInstance, ctx: HttpContext): void {
  const { core } = ctx;

  app.get<{
    Params: { topic: string; partition: number };
    Querystring: { offset?: number; timestamp?: number; limit: number; format: Format };
  }>(
    '/api/v1/topics/:topic/partitions/:partition/records',
    {
      schema: {
        tags: ['records'],
        summary: 'Read records from an offset (default: the log start) or from the first record at or after a timestamp',
        params: PARTITION_PARAMS,
        querystring: {
          type: 'object',
          properties: {
            offset: { type: 'integer', description: 'first offset to read; negative counts back from the high watermark' },
            timestamp: { type: 'integer', description: 'epoch ms: start at the first record at or after it' },
            limit: { type: 'integer', minimum: 1, maximum: 10000, default: 100 },
            format: FORMAT_PARAM,
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              records: { type: 'array', items: RECORD_SCHEMA },
              nextOffset: { type: 'integer' },
              logStartOffset: { type: 'integer' },
              highWatermark: { type: 'integer' },
            },
          },
          404: ERROR_SCHEMA,
        },
      },
    },
    async (req, reply) => {
      const found = findPartition(ctx, req.params.topic, req.params.partition, reply);
      if (!found) return reply;
      const p = found.partition;
      let from = p.log.logStartOffset;
      if (req.query.timestamp !== undefined) from = offsetForTimestamp(p, req.query.timestamp);
      else if (req.query.offset !== undefined)
        from = req.query.offset < 0 ? Math.max(p.log.logStartOffset, p.highWatermark + req.query.offset) : req.query.offset;
      return readRecords(p, from, req.query.limit, req.query.format, ctx.decodeValue);
    },
  );

  app.post<{ Params: { topic: string }; Body: ProduceBody }>(
    '/api/v1/topics/:topic/records',
    {
      schema: {
        tags: ['records'],
        summary: 'Produce one record (the partition follows the key as in Kafka clients, else round-robin)',
        params: { type: 'object', properties: { topic: { type: 'string' } }, required: ['topic'] },
        body: {
          type: 'object',
          properties: {
            partition: { type: 'integer', minimum: 0 },
            key: { type: 'string', nullable: true },
            value: { description: 'a string (or any JSON value with encoding "json"); null for a tombstone' },
            headers: {
              oneOf: [
                { type: 'object', additionalProperties: { type: 'string', nullable: true } },
                {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['key'],
                    properties: { key: { type: 'string' }, value: { type: 'string', nullable: true } },
                  },
                },
              ],
            },
            encoding: {
              type: 'string',
              enum: ['utf8', 'base64', 'hex', 'json'],
              default: 'utf8',
              description: 'how key, value and header values are given',
            },
            timestamp: { type: 'integer', description: 'CreateTime in epoch ms (default: now)' },
          },
          additionalProperties: false,
        },
        response: {
          201: {
            type: 'object',
            properties: {
              topic: { type: 'string' },
              partition: { type: 'integer' },
              offset: { type: 'integer' },
              timestamp: { type: 'integer' },
            },
          },
          400: ERROR_SCHEMA,
          404: ERROR_SCHEMA,
          413: ERROR_SCHEMA,
        },
      },
    },
    async (req, reply) => {
      const topic = findTopic(ctx, req.params.topic, reply);
      if (!topic) return reply;
      const enc = req.body.encoding ?? 'utf8';
      const keyEnc: Encoding = enc === 'json' ? 'utf8' : enc;
      const rawHeaders = req.body.headers ?? [];
      const headers = (Array.isArray(rawHeaders) ? rawHeaders : Object.entries(rawHeaders).map(([key, value]) => ({ key, value }))).map(
        (h) => ({
          key: h.key,
          value: bytes(h.value, keyEnc),
        }),
      );
      try {
        const res = produceRecord(
          core,
          topic,
          {
            partition: req.body.partition,
            key: bytes(req.body.key, keyEnc),
            value: bytes(req.body.value, enc),
            headers,
            timestamp: req.body.timestamp,
          },
          ctx.roundRobin,
        );
        return reply.status(201).send({ topic: topic.name, ...res });
      } catch (err) {
        if (err instanceof ProduceFailure) return reply.status(statusFor(err.errorCode)).send(errorBody(err.errorCode, err.message));
        throw err;
      }
    },
  );

  app.get<{ Params: { topic: string }; Querystring: { partition?: number; from: string; format: Format } }>(
    '/api/v1/topics/:topic/tail',
    {
      schema: {
        tags: ['records'],
        summary: 'Live tail: a text/event-stream of `records` events as records arrive',
        params: { type: 'object', properties: { topic: { type: 'string' } }, required: ['topic'] },
        querystring: {
          type: 'object',
          properties: {
            partition: { type: 'integer', minimum: 0, description: 'one partition (default: all)' },
            from: { type: 'string', default: 'end', description: '"end" (only new records), "beginning", or an offset (with partition)' },
            format: FORMAT_PARAM,
          },
        },
        produces: ['text/event-stream'],
        response: { 404: ERROR_SCHEMA },
      },
    },
    async (req, reply) => {
      const topic = findTopic(ctx, req.params.topic, reply);
      if (!topic) return reply;
      const indexes = req.query.partition === undefined ? topic.partitions.map((p) => p.index) : [req.query.partition];
      const start = new Map<number, number>();
      for (const i of indexes) {
        const p = topic.partitions[i];
        if (!p) return reply.status(404).send(errorBody(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic ${topic.name} has no partition ${i}`));
        const from = req.query.from;
        start.set(i, from === 'beginning' ? p.log.logStartOffset : /^\d+$/.test(from) ? Number(from) : p.highWatermark);
      }
      reply.hijack();
      ctx.tails.open(reply.raw, topic, start, req.query.format);
      return reply;
    },
  );
}
