// Client telemetry routes (KIP-714): the clients that pushed metrics recently and their latest
// push, as ClientTelemetry keeps them (broker/telemetry/manager.ts).
//
//   GET /api/v1/clients         every client heard from recently: identity, push interval, counts
//   GET /api/v1/clients/:id     one client instance: identity, resource attributes, every metric point

import type { FastifyInstance } from 'fastify';
import { clientDetail, clientSummary } from '../telemetry/view.js';
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

export function registerClientRoutes(app: FastifyInstance, ctx: HttpContext): void {
  app.get(
    '/api/v1/clients',
    {
      schema: {
        tags: ['clients'],
        summary: 'Clients that pushed metrics recently (KIP-714), most recent last',
        response: { 200: { type: 'array', items: { type: 'object', properties: CLIENT_PROPS } } },
      },
    },
    async () => ctx.core.telemetryClients().map(clientSummary),
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
      const c = ctx.core.telemetry?.client(req.params.id);
      if (!c) return reply.status(404).send({ error: 'NOT_FOUND', message: `no metrics pushed by client instance ${req.params.id}` });
      return clientDetail(c);
    },
  );
}
