// The HTTP port bound at start, its app built at the first request (the lean start, issue 15).
// startBroker({ http: { lazy: true } }) uses this instead of server.ts; the CLI does. The port is
// a plain node:http (or https) server from the start; fastify, the OpenAPI description, the
// console's routes and prom-client (about 25 MiB and 200 ms of CPU) are loaded when a first
// request arrives, which waits for them, and later requests go straight to fastify.
//
// What differs from the eager server: /metrics counts from that first request (requests served
// before it are not counted; a Prometheus scrape or a /health probe is usually that request),
// and `app` and `metrics` of the handle throw until then.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { FastifyInstance } from 'fastify';
import type { BrokerMetrics } from '../metrics.js';
import { httpSecurity, isLoopback } from './security.js';
import type { HttpDeps, HttpOptions, HttpServer } from './server.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

interface Built {
  app: FastifyInstance;
  metrics: BrokerMetrics;
  handler: Handler;
}

/** Same contract as server.ts's startHttpServer (null when `portIsDefault` and the port is taken). */
export async function startHttpServer(deps: HttpDeps, opts: HttpOptions & { portIsDefault?: boolean }): Promise<HttpServer | null> {
  const security = await httpSecurity(deps.core.config);
  if (security.authType === 'none' && !isLoopback(opts.host))
    deps.log.warn(
      `HTTP on ${opts.host}:${opts.port} WITHOUT AUTHENTICATION: anyone who can reach it can read and produce records, delete topics and alter configs. ` +
        'Set http.auth.type=basic|bearer (http.auth.users / http.auth.tokens), or bind http.host to 127.0.0.1',
    );
  const server: Server = security.https ? createHttpsServer(security.https) : createServer();
  let built: Built | null = null;
  let building: Promise<Built> | null = null;
  let closed = false;
  const build = async (): Promise<Built> => {
    const { buildHttpApp } = await import('./server.js');
    let handler: Handler | null = null;
    const { app, ctx } = await buildHttpApp(deps, {
      processMetrics: opts.processMetrics,
      serverFactory: (h) => {
        handler = h;
        return server;
      },
    });
    await app.ready();
    if (closed) {
      await app.close();
      throw new Error('HTTP server closed');
    }
    ctx.metrics.install();
    return { app, metrics: ctx.metrics, handler: handler! };
  };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (built) return built.handler(req, res);
    building ??= build();
    building.then(
      (b) => {
        built = b;
        b.handler(req, res);
      },
      (err: unknown) => {
        building = null;
        if (!closed) deps.log.error({ err }, 'HTTP server failed to start');
        res.statusCode = 503;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ error: 'UNAVAILABLE', message: 'the HTTP server could not start; see the broker log' }));
      },
    );
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port, opts.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    if (opts.portIsDefault && (err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      deps.log.warn(`HTTP port ${opts.port} (the default http.port) is in use: serving without HTTP; set --http-port or http.port`);
      return null;
    }
    throw err;
  }
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  const shownHost = opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  const notYet = (what: string) => new Error(`the lazy HTTP server has no ${what} before its first request`);
  let closing: Promise<void> | null = null;
  return {
    get app() {
      if (!built) throw notYet('app');
      return built.app;
    },
    get metrics() {
      if (!built) throw notYet('metrics');
      return built.metrics;
    },
    url: `${security.https ? 'https' : 'http'}://${shownHost}:${port}`,
    port,
    close: () =>
      (closing ??= (async () => {
        closed = true;
        const b = built ?? (building ? await building.catch(() => null) : null);
        if (b) {
          b.metrics.uninstall();
          await b.app.close();
        }
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })()),
  };
}
