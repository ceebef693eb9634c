// Operations routes: liveness, readiness, Prometheus metrics, the log level at run time, and
// the broker's description and (dynamic) configuration.
//
//   GET /health                 200 while the process serves HTTP
//   GET /ready                  200 once Kafka clients are served, 503 while starting/stopping
//   GET /metrics                Prometheus text format
//   GET|PUT /api/v1/log-level   { level }: trace, debug, info, warn, error, fatal, silent
//   GET /api/v1/broker          node ids, addresses, cluster id, store, uptime
//   GET|PATCH /api/v1/broker/config   configs with their sources; PATCH { set, delete } changes dynamic ones

import type { FastifyInstance } from 'fastify';
import { RESOURCE_BROKER } from '../configs.js';
import { ERROR_SCHEMA, errorBody, statusFor } from './errors.js';
import { CONFIGS_SCHEMA, CONFIG_PATCH_SCHEMA, configChanges, configView } from './schemas.js';
import type { HttpContext } from './server.js';
import { packageVersion } from './console.js';

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

export function registerOpsRoutes(app: FastifyInstance, ctx: HttpContext): void {
  const { core } = ctx;

  app.get(
    '/health',
    {
      schema: {
        tags: ['ops'],
        summary: 'Liveness: the process answers',
        response: { 200: { type: 'object', properties: { status: { type: 'string' } } } },
      },
    },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/ready',
    {
      schema: {
        tags: ['ops'],
        summary: 'Readiness: Kafka clients are served',
        response: {
          200: { type: 'object', properties: { status: { type: 'string' } } },
          503: { type: 'object', properties: { status: { type: 'string' } } },
        },
      },
    },
    async (_req, reply) => (ctx.ready() ? { status: 'ready' } : reply.status(503).send({ status: 'not ready' })),
  );

  app.get(
    '/metrics',
    { schema: { tags: ['ops'], summary: 'Prometheus metrics (text format 0.0.4)', produces: ['text/plain'] } },
    async (_req, reply) => {
      const text = await ctx.metrics.text();
      return reply.type(ctx.metrics.contentType).send(text);
    },
  );

  const levelSchema = { type: 'object', properties: { level: { type: 'string', enum: LEVELS } }, required: ['level'] } as const;
  app.get(
    '/api/v1/log-level',
    { schema: { tags: ['ops'], summary: 'The broker log level', response: { 200: levelSchema } } },
    async () => ({ level: core.log.level }),
  );
  app.put<{ Body: { level: string } }>(
    '/api/v1/log-level',
    {
      schema: {
        tags: ['ops'],
        summary: 'Change the broker log level at run time',
        body: levelSchema,
        response: { 200: levelSchema, 400: ERROR_SCHEMA },
      },
    },
    async (req) => {
      const before = core.log.level;
      core.log.level = req.body.level;
      core.log.info({ from: before, to: req.body.level }, 'log level changed over HTTP');
      return { level: core.log.level };
    },
  );

  app.get(
    '/api/v1/broker',
    {
      schema: {
        tags: ['broker'],
        summary: 'Broker description',
        response: {
          200: {
            type: 'object',
            properties: {
              clusterId: { type: 'string' },
              version: { type: 'string' },
              controllerId: { type: 'integer' },
              nodes: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { nodeId: { type: 'integer' }, host: { type: 'string' }, port: { type: 'integer' }, up: { type: 'boolean' } },
                },
              },
              store: { type: 'string' },
              uptimeMs: { type: 'integer' },
              topics: { type: 'integer' },
              groupsAvailable: { type: 'boolean' },
            },
          },
        },
      },
    },
    async () => ({
      clusterId: core.store.clusterId,
      version: packageVersion(),
      controllerId: core.cluster.controllerId,
      nodes: core.cluster.nodes.map((n) => ({ nodeId: n.nodeId, host: n.host, port: n.port, up: n.up })),
      store: core.store.kind,
      uptimeMs: Math.max(0, Math.round(core.clock.now() - core.startedAt)),
      topics: core.topics.size,
      groupsAvailable: ctx.groups.available,
    }),
  );

  const nodeId = () => core.cluster.nodes[0]!.nodeId;
  app.get(
    '/api/v1/broker/config',
    {
      schema: {
        tags: ['broker'],
        summary: "Every broker config with its value and source (Kafka's DescribeConfigs)",
        response: { 200: CONFIGS_SCHEMA },
      },
    },
    async () => {
      const res = core.configs.describe(RESOURCE_BROKER, String(nodeId()), null, nodeId(), true);
      return { configs: res.configs.map(configView) };
    },
  );
  app.patch<{ Body: { set?: Record<string, string | number | boolean>; delete?: string[]; validateOnly?: boolean } }>(
    '/api/v1/broker/config',
    {
      schema: {
        tags: ['broker'],
        summary: "Change dynamic broker configs (Kafka's IncrementalAlterConfigs on this node)",
        body: CONFIG_PATCH_SCHEMA,
        response: { 200: CONFIGS_SCHEMA, 400: ERROR_SCHEMA },
      },
    },
    async (req, reply) => {
      const changes = configChanges(req.body);
      const res = core.configs.alter(RESOURCE_BROKER, String(nodeId()), changes, {
        replace: false,
        validateOnly: req.body.validateOnly === true,
        nodeId: nodeId(),
      });
      if (res.errorCode !== 0) return reply.status(statusFor(res.errorCode)).send(errorBody(res.errorCode, res.errorMessage));
      const names = new Set(changes.map((c) => c.name));
      const described = core.configs.describe(RESOURCE_BROKER, String(nodeId()), null, nodeId(), true);
      return { configs: described.configs.filter((c) => names.has(c.name)).map(configView) };
    },
  );
}
