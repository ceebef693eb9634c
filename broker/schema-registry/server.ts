// The Schema Registry's HTTP server: a fastify instance of its own on its own port (Confluent's
// 8081 in the CLI), serving routes.ts. Request bodies are JSON whatever the content type the
// client names (application/vnd.schemaregistry.v1+json, application/json, none); answers are
// application/vnd.schemaregistry.v1+json, errors `{error_code, message}` (errors.ts).

import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ServerFactory } from '../http/lazy-port.js';
import { RegistryError } from './errors.js';
import { registerSchemaRegistryRoutes } from './routes.js';
import type { SchemaStore } from './store.js';

export const REGISTRY_CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

export interface SchemaRegistryServer {
  readonly app: FastifyInstance;
  /** 'http://host:port' */
  readonly url: string;
  readonly port: number;
  readonly store: SchemaStore;
  close(): Promise<void>;
}

export async function buildSchemaRegistryApp(store: SchemaStore, log: Logger, serverFactory?: ServerFactory): Promise<FastifyInstance> {
  const app = Fastify({
    // lazy.ts: a server listening since start, handed to fastify at its first request.
    ...(serverFactory ? { serverFactory } : {}),
    loggerInstance: log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: true,
    bodyLimit: 16 * 1024 * 1024,
  }) as unknown as FastifyInstance;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new RegistryError(400, 50005, 'Unrecognized request body: not JSON'), undefined);
    }
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    if (!reply.hasHeader('content-type') || String(reply.getHeader('content-type')).startsWith('application/json'))
      reply.header('content-type', REGISTRY_CONTENT_TYPE);
    return payload;
  });
  app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
    if (err instanceof RegistryError) return reply.status(err.status).send({ error_code: err.errorCode, message: err.message });
    const status = err.statusCode ?? 500;
    if (status >= 500) log.error({ err, method: req.method, url: req.url }, 'Schema Registry request failed');
    return reply.status(status).send({ error_code: status >= 500 ? 50001 : status, message: err.message });
  });
  app.setNotFoundHandler((_req, reply) => reply.status(404).send({ error_code: 404, message: 'HTTP 404 Not Found' }));
  registerSchemaRegistryRoutes(app, store);
  return app;
}

export async function startSchemaRegistryServer(
  store: SchemaStore,
  log: Logger,
  opts: { port: number; host: string },
): Promise<SchemaRegistryServer> {
  const app = await buildSchemaRegistryApp(store, log);
  await app.listen({ port: opts.port, host: opts.host });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  const shownHost = opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  let closing: Promise<void> | null = null;
  return { app, url: `http://${shownHost}:${port}`, port, store, close: () => (closing ??= app.close()) };
}
