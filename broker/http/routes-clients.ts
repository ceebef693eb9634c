// Client telemetry routes (KIP-714): the clients that pushed metrics recently and their latest
// push, as ClientTelemetry keeps them (broker/telemetry/manager.ts).
//
//   GET /api/v1/clients         every client heard from recently: identity, push interval, counts
//   GET /api/v1/clients/:id     one client instance: identity, resource attributes, every metric point

import type { FastifyInstance } from 'fastify';
import { codecName } from '../../protocol/records/compression.js';
import type { ClientPush } from '../telemetry/manager.js';
import { seriesKey } from '../telemetry/manager.js';
import { ERROR_SCHEMA } from './errors.js';
import type { HttpContext } from './server.js';

const CLIENT_PROPS = {
  clientInstanceId: { type: 'string' },
  clientId: { type: 'string' },
  clientSoftwareName: { type: 'string' },
  clientSoftwareVersion: { type: 'string' },
  clientSourceAddress: { type: 'string' },
  clientSourcePort: { type: 'string' },
  receivedAt: { type: 'string', description: 'When the latest push arrived (ISO 8601)' },
  pushIntervalMs: { type: 'integer' },
  pushes: { type: 'integer', description: 'Pushes kept since the client was first heard from' },
  bytes: { type: 'integer', description: 'Size of the latest payload as sent' },
  compression: { type: 'string' },
  terminating: { type: 'boolean', description: 'The latest push was the client closing' },
  metricCount: { type: 'integer' },
} as const;

const POINT_SCHEMA = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    kind: { type: 'string', enum: ['gauge', 'sum', 'histogram', 'summary'] },
    value: {
      type: ['number', 'null'],
      description:
        'gauge: the value; monotonic sum: the running total; histogram/summary: the sum; null for NaN and infinities (JSON has none)',
    },
    count: { type: 'number' },
    unit: { type: 'string' },
    description: { type: 'string' },
    attributes: { type: 'object', additionalProperties: { type: 'string' } },
  },
} as const;

/** JSON has no NaN or infinities (Java clients report NaN for an average with no samples). */
const finite = (v: number) => (Number.isFinite(v) ? v : null);

function summary(c: ClientPush) {
  return {
    clientInstanceId: c.clientInstanceId,
    clientId: c.clientId,
    clientSoftwareName: c.clientSoftwareName,
    clientSoftwareVersion: c.clientSoftwareVersion,
    clientSourceAddress: c.clientSourceAddress,
    clientSourcePort: c.clientSourcePort,
    receivedAt: new Date(c.receivedAt).toISOString(),
    pushIntervalMs: c.pushIntervalMs,
    pushes: c.pushes,
    bytes: c.bytes,
    compression: codecName(c.compressionType),
    terminating: c.terminating,
    metricCount: c.points.length,
  };
}

export function registerClientRoutes(app: FastifyInstance, ctx: HttpContext): void {
  const telemetry = ctx.core.telemetry;
  app.get(
    '/api/v1/clients',
    {
      schema: {
        tags: ['clients'],
        summary: 'Clients that pushed metrics recently (KIP-714), most recent last',
        response: { 200: { type: 'array', items: { type: 'object', properties: CLIENT_PROPS } } },
      },
    },
    async () => telemetry.clients().map(summary),
  );
  app.get<{ Params: { id: string } }>(
    '/api/v1/clients/:id',
    {
      schema: {
        tags: ['clients'],
        summary: "A client instance's latest metrics push",
        params: { type: 'object', properties: { id: { type: 'string', description: 'client instance id' } }, required: ['id'] },
        response: {
          200: {
            type: 'object',
            properties: {
              ...CLIENT_PROPS,
              resource: { type: 'object', additionalProperties: { type: 'string' } },
              metrics: { type: 'array', items: POINT_SCHEMA },
            },
          },
          404: ERROR_SCHEMA,
        },
      },
    },
    async (req, reply) => {
      const c = telemetry.client(req.params.id);
      if (!c) return reply.status(404).send({ error: 'NOT_FOUND', message: `no metrics pushed by client instance ${req.params.id}` });
      return {
        ...summary(c),
        resource: c.resource,
        metrics: c.points.map((p) => ({
          name: p.name,
          kind: p.kind,
          value: finite(p.kind === 'sum' && p.monotonic ? (c.totals.get(seriesKey(p)) ?? p.value) : p.value),
          ...(p.count === undefined ? {} : { count: p.count }),
          unit: p.unit,
          description: p.description,
          attributes: p.attributes,
        })),
      };
    },
  );
}
