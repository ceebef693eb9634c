// Consumer group routes, answered through GroupsView (groups-view.ts): until the broker has a
// group coordinator the list is empty and every group is 404.
//
//   GET    /api/v1/groups                       groups with state and member counts
//   GET    /api/v1/groups/:group                members, assignments, committed offsets, lag
//   GET    /api/v1/groups/:group/lag            committed offsets and lag per partition
//   POST   /api/v1/groups/:group/offsets/reset  { topics?, to, offset?, timestamp?, by?, dryRun? }
//   DELETE /api/v1/groups/:group

import type { FastifyInstance } from 'fastify';
import { ErrorCode } from '../../protocol/errors.js';
import { ERROR_SCHEMA, errorBody, statusFor } from './errors.js';
import type { ResetTarget } from './groups-view.js';
import type { HttpContext } from './server.js';

const GROUP_PARAMS = { type: 'object', properties: { group: { type: 'string' } }, required: ['group'] } as const;

const SUMMARY = {
  type: 'object',
  properties: {
    groupId: { type: 'string' },
    state: { type: 'string' },
    protocolType: { type: 'string' },
    type: { type: 'string' },
    members: { type: 'integer' },
  },
} as const;

const LAG_ROW = {
  type: 'object',
  properties: {
    topic: { type: 'string' },
    partition: { type: 'integer' },
    committedOffset: { type: 'integer', nullable: true },
    logEndOffset: { type: 'integer' },
    lag: { type: 'integer', nullable: true },
    metadata: { type: 'string' },
    memberId: { type: 'string', nullable: true },
  },
} as const;

const DETAIL = {
  type: 'object',
  properties: {
    ...SUMMARY.properties,
    protocol: { type: 'string' },
    members: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          memberId: { type: 'string' },
          groupInstanceId: { type: 'string', nullable: true },
          clientId: { type: 'string' },
          clientHost: { type: 'string' },
          assignment: {
            type: 'array',
            items: { type: 'object', properties: { topic: { type: 'string' }, partitions: { type: 'array', items: { type: 'integer' } } } },
          },
        },
      },
    },
    offsets: { type: 'array', items: LAG_ROW },
    totalLag: { type: 'integer' },
    // Share groups only (KIP-932): per share-partition, from delivery.
    shareProgress: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          topic: { type: 'string' },
          partition: { type: 'integer' },
          startOffset: { type: 'integer' },
          inFlight: { type: 'integer' },
        },
      },
    },
  },
} as const;

interface ResetBody {
  topics?: Array<{ topic: string; partitions?: number[] }>;
  to: 'earliest' | 'latest' | 'offset' | 'timestamp' | 'shift';
  offset?: number;
  timestamp?: number;
  by?: number;
  dryRun?: boolean;
}

function target(body: ResetBody): ResetTarget | string {
  switch (body.to) {
    case 'offset':
      return body.offset === undefined ? 'to "offset" needs offset' : { to: 'offset', offset: body.offset };
    case 'timestamp':
      return body.timestamp === undefined ? 'to "timestamp" needs timestamp' : { to: 'timestamp', timestamp: body.timestamp };
    case 'shift':
      return body.by === undefined ? 'to "shift" needs by' : { to: 'shift', by: body.by };
    default:
      return { to: body.to };
  }
}

export function registerGroupRoutes(app: FastifyInstance, ctx: HttpContext): void {
  const groups = ctx.groups;
  const notFound = (id: string) =>
    errorBody(ErrorCode.GROUP_ID_NOT_FOUND, groups.available ? `no group ${id}` : 'this broker has no group coordinator');

  app.get(
    '/api/v1/groups',
    {
      schema: {
        tags: ['groups'],
        summary: 'List consumer groups',
        response: { 200: { type: 'object', properties: { available: { type: 'boolean' }, groups: { type: 'array', items: SUMMARY } } } },
      },
    },
    async () => ({ available: groups.available, groups: groups.list() }),
  );

  app.get<{ Params: { group: string } }>(
    '/api/v1/groups/:group',
    {
      schema: {
        tags: ['groups'],
        summary: 'Describe a group: members, assignments, committed offsets and lag',
        params: GROUP_PARAMS,
        response: { 200: DETAIL, 404: ERROR_SCHEMA },
      },
    },
    async (req, reply) => groups.describe(req.params.group) ?? reply.status(404).send(notFound(req.params.group)),
  );

  app.get<{ Params: { group: string } }>(
    '/api/v1/groups/:group/lag',
    {
      schema: {
        tags: ['groups'],
        summary: 'Committed offsets and lag per partition',
        params: GROUP_PARAMS,
        response: {
          200: {
            type: 'object',
            properties: { groupId: { type: 'string' }, totalLag: { type: 'integer' }, offsets: { type: 'array', items: LAG_ROW } },
          },
          404: ERROR_SCHEMA,
        },
      },
    },
    async (req, reply) => {
      const d = groups.describe(req.params.group);
      return d ? { groupId: d.groupId, totalLag: d.totalLag, offsets: d.offsets } : reply.status(404).send(notFound(req.params.group));
    },
  );

  app.post<{ Params: { group: string }; Body: ResetBody }>(
    '/api/v1/groups/:group/offsets/reset',
    {
      schema: {
        tags: ['groups'],
        summary: 'Reset committed offsets (the group must have no active members)',
        params: GROUP_PARAMS,
        body: {
          type: 'object',
          required: ['to'],
          properties: {
            topics: {
              type: 'array',
              items: {
                type: 'object',
                required: ['topic'],
                properties: { topic: { type: 'string' }, partitions: { type: 'array', items: { type: 'integer', minimum: 0 } } },
              },
              description: 'default: every topic the group has offsets for',
            },
            to: { type: 'string', enum: ['earliest', 'latest', 'offset', 'timestamp', 'shift'] },
            offset: { type: 'integer' },
            timestamp: { type: 'integer' },
            by: { type: 'integer', description: 'for "shift": added to the committed offset (negative moves back)' },
            dryRun: { type: 'boolean' },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              groupId: { type: 'string' },
              dryRun: { type: 'boolean' },
              offsets: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    topic: { type: 'string' },
                    partition: { type: 'integer' },
                    previousOffset: { type: 'integer', nullable: true },
                    newOffset: { type: 'integer' },
                  },
                },
              },
            },
          },
          400: ERROR_SCHEMA,
          404: ERROR_SCHEMA,
          409: ERROR_SCHEMA,
          503: ERROR_SCHEMA,
        },
      },
    },
    async (req, reply) => {
      if (!groups.available) return reply.status(404).send(notFound(req.params.group));
      const t = target(req.body);
      if (typeof t === 'string') return reply.status(400).send(errorBody(ErrorCode.INVALID_REQUEST, t));
      const res = groups.resetOffsets(req.params.group, { topics: req.body.topics, target: t, dryRun: req.body.dryRun });
      if (res.errorCode !== 0) return reply.status(statusFor(res.errorCode)).send(errorBody(res.errorCode, res.error));
      ctx.core.log.info(
        { group: req.params.group, to: req.body.to, partitions: res.offsets.length, dryRun: req.body.dryRun === true },
        'reset group offsets over HTTP',
      );
      return { groupId: req.params.group, dryRun: req.body.dryRun === true, offsets: res.offsets };
    },
  );

  app.delete<{ Params: { group: string } }>(
    '/api/v1/groups/:group',
    {
      schema: {
        tags: ['groups'],
        summary: 'Delete a group (it must have no active members)',
        params: GROUP_PARAMS,
        response: { 204: { type: 'null' }, 404: ERROR_SCHEMA, 409: ERROR_SCHEMA },
      },
    },
    async (req, reply) => {
      if (!groups.available) return reply.status(404).send(notFound(req.params.group));
      const res = groups.delete(req.params.group);
      if (res.errorCode !== 0) return reply.status(statusFor(res.errorCode)).send(errorBody(res.errorCode, res.error));
      return reply.status(204).send();
    },
  );
}
