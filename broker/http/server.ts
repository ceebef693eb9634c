// The broker's HTTP server (fastify): health and readiness, Prometheus metrics, the REST API
// with its OpenAPI description (@fastify/swagger, browsable at /docs), and the web console
// at /. One per broker instance; it reads the broker's state (BrokerCore) and never owns any
// of it. Started by startBroker() when HTTP is on; stop() closes it before the listeners.
//
//   GET /health /ready /metrics          GET /openapi.json, /docs
//   /api/v1/...                          see the route files (routes-*.ts; clients: routes-clients.ts)
//   GET /                                the console (broker/console/, served from the package)

import { httpSecurity, isLoopback, requireAuthentication, type HttpSecurity } from './security.js';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { BrokerCore } from '../core.js';
import type { SchemaStore } from '../schema-registry/store.js';
import { decodeWireFormat } from '../schema-registry/wire-format.js';
import { BrokerMetrics } from '../metrics.js';
import type { ServerFactory } from './lazy-port.js';
import { registerClientRoutes } from './routes-clients.js';
import { registerConsole, packageVersion } from './console.js';
import { groupsViewFor, type GroupsView } from './groups-view.js';
import { registerGroupRoutes } from './routes-groups.js';
import { registerOpsRoutes } from './routes-ops.js';
import type { ValueDecoder } from './records.js';
import { registerRecordRoutes } from './routes-records.js';
import { registerSchemaRoutes } from './routes-schemas.js';
import { registerTopicRoutes } from './routes-topics.js';
import { TailHub } from './tail.js';

export interface HttpOptions {
  /** Port to listen on; 0 picks a free one. */
  port: number;
  /** Address to bind. */
  host: string;
  /** Also export process metrics (CPU, memory, event loop, GC) on /metrics (the CLI does). */
  processMetrics?: boolean;
}

/** What route modules get. */
export interface HttpContext {
  readonly core: BrokerCore;
  readonly groups: GroupsView;
  readonly metrics: BrokerMetrics;
  readonly tails: TailHub;
  /** True once the broker serves Kafka clients, false again while it stops. */
  ready(): boolean;
  /** Round-robin cursor for unkeyed records produced over HTTP. */
  readonly roundRobin: { next: number };
  /** The Schema Registry's state and URL when it is on (broker/schema-registry/), else null. */
  readonly schemas: { store: SchemaStore; url: string | null } | null;
  /** Decodes values in Confluent's wire format with their schema (records with format=schema). */
  readonly decodeValue?: ValueDecoder;
}

export interface HttpDeps {
  core: BrokerCore;
  log: Logger;
  /** Open Kafka connections per node. */
  connections(): Array<{ nodeId: number; open: number }>;
  ready(): boolean;
  /** The Schema Registry, when it is on. */
  schemas?: { store: SchemaStore; url: string | null } | null;
  /** Or the lazy Schema Registry's, made when the lazy HTTP app is (lazy.ts). */
  schemasLater?: () => Promise<{ store: SchemaStore; url: string | null } | null>;
}

export interface HttpServer {
  /** The fastify instance (app.inject() for tests). */
  readonly app: FastifyInstance;
  /** 'http://host:port'. */
  readonly url: string;
  readonly port: number;
  readonly metrics: BrokerMetrics;
  close(): Promise<void>;
}

/** Build the app without listening. */
export async function buildHttpApp(
  deps: HttpDeps,
  opts: { processMetrics?: boolean; serverFactory?: ServerFactory } = {},
): Promise<{ app: FastifyInstance; ctx: HttpContext; security: HttpSecurity }> {
  // https and authentication from http.ssl.* / http.auth.* (broker/http/security.ts).
  const security = await httpSecurity(deps.core.config);
  // Groups, lag and share metrics read the group side: made here if the start left it for later.
  await deps.core.coordinators();
  const app = Fastify({
    ...(security.https ? { https: security.https } : {}),
    // lazy.ts: a server listening since start, handed to fastify at its first request.
    ...(opts.serverFactory ? { serverFactory: opts.serverFactory } : {}),
    loggerInstance: deps.log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: true,
    bodyLimit: 16 * 1024 * 1024,
  }) as unknown as FastifyInstance;
  const groups = groupsViewFor(deps.core);
  const metrics = new BrokerMetrics(deps.core, { connections: deps.connections, groups }, { processMetrics: opts.processMetrics });
  // A lazy Schema Registry (broker/schema-registry/lazy.ts) makes its store when this app is made.
  const schemas = deps.schemas ?? (deps.schemasLater ? await deps.schemasLater() : null);
  const decodeValue: ValueDecoder | undefined = schemas ? (bytes) => decodeWireFormat(schemas.store, bytes) : undefined;
  const ctx: HttpContext = {
    core: deps.core,
    groups,
    metrics,
    tails: new TailHub(deps.core, decodeValue),
    ready: deps.ready,
    roundRobin: { next: 0 },
    schemas,
    decodeValue,
  };

  app.setErrorHandler((err: Error & { statusCode?: number; validation?: unknown }, req, reply) => {
    const status = err.statusCode ?? 500;
    if (status >= 500) deps.log.error({ err, method: req.method, url: req.url }, 'HTTP request failed');
    void reply
      .status(status)
      .send({ error: err.validation ? 'INVALID_REQUEST' : status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST', message: err.message });
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error: 'NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}` });
  });
  requireAuthentication(app, security);
  app.addHook('preClose', async () => {
    ctx.tails.closeAll();
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'kafkalite HTTP API',
        description:
          'Topics, partitions, records, consumer groups and broker configuration of a kafkalite broker. ' +
          "Errors are `{ error, message }` with Kafka's error names.",
        version: packageVersion(),
      },
      tags: [
        { name: 'ops', description: 'Health, readiness, metrics, logging' },
        { name: 'topics', description: 'Topics, partitions and their configs' },
        { name: 'records', description: 'Read and produce records, live tail' },
        { name: 'groups', description: 'Consumer groups' },
        { name: 'broker', description: 'Broker information and configuration' },
        { name: 'schemas', description: "The Schema Registry's subjects for the console (the registry's own API is on its port)" },
        { name: 'clients', description: 'Client metrics pushed over KIP-714' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  registerOpsRoutes(app, ctx);
  registerTopicRoutes(app, ctx);
  registerRecordRoutes(app, ctx);
  registerGroupRoutes(app, ctx);
  registerSchemaRoutes(app, ctx);
  registerClientRoutes(app, ctx);
  registerConsole(app);
  return { app, ctx, security };
}

/**
 * Build the app and listen; metrics start counting at once. Null when `portIsDefault` and the
 * port is taken (logged as a warning).
 */
export async function startHttpServer(deps: HttpDeps, opts: HttpOptions & { portIsDefault?: boolean }): Promise<HttpServer | null> {
  const { app, ctx, security } = await buildHttpApp(deps, opts);
  if (security.authType === 'none' && !isLoopback(opts.host))
    deps.log.warn(
      `HTTP on ${opts.host}:${opts.port} WITHOUT AUTHENTICATION: anyone who can reach it can read and produce records, delete topics and alter configs. ` +
        'Set http.auth.type=basic|bearer (http.auth.users / http.auth.tokens), or bind http.host to 127.0.0.1',
    );
  ctx.metrics.install();
  try {
    await app.listen({ port: opts.port, host: opts.host });
  } catch (err) {
    ctx.metrics.uninstall();
    await app.close();
    if (opts.portIsDefault && (err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      deps.log.warn(`HTTP port ${opts.port} (the default http.port) is in use: serving without HTTP; set --http-port or http.port`);
      return null;
    }
    throw err;
  }
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  const shownHost = opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  let closing: Promise<void> | null = null;
  return {
    app,
    url: `${security.https ? 'https' : 'http'}://${shownHost}:${port}`,
    port,
    metrics: ctx.metrics,
    close: () =>
      (closing ??= (async () => {
        ctx.metrics.uninstall();
        await app.close();
      })()),
  };
}
