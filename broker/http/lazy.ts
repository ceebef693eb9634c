// The HTTP port bound at start, its app built at the first request (the lean start, issue 15).
// startBroker({ http: { lazy: true } }) uses this instead of server.ts; the CLI does. The port is
// a plain node:http (or https) server from the start; fastify, the OpenAPI description, the
// console's routes and prom-client (about 25 MiB and 200 ms of CPU) are loaded when a first
// request arrives, which waits for them, and later requests go straight to fastify.
//
// What differs from the eager server: /metrics counts from that first request (requests served
// before it are not counted; a Prometheus scrape or a /health probe is usually that request),
// and `app` and `metrics` of the handle throw until then.

import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { FastifyInstance } from 'fastify';
import type { BrokerMetrics } from '../metrics.js';
import { LazyPort, shownHost } from './lazy-port.js';
import { httpSecurity, isLoopback } from './security.js';
import type { HttpDeps, HttpOptions, HttpServer } from './server.js';

/** Same contract as server.ts's startHttpServer (null when `portIsDefault` and the port is taken). */
export async function startHttpServer(deps: HttpDeps, opts: HttpOptions & { portIsDefault?: boolean }): Promise<HttpServer | null> {
  const security = await httpSecurity(deps.core.config);
  if (security.authType === 'none' && !isLoopback(opts.host))
    deps.log.warn(
      `HTTP on ${opts.host}:${opts.port} WITHOUT AUTHENTICATION: anyone who can reach it can read and produce records, delete topics and alter configs. ` +
        'Set http.auth.type=basic|bearer (http.auth.users / http.auth.tokens), or bind http.host to 127.0.0.1',
    );
  const lazy = new LazyPort<{ app: FastifyInstance; metrics: BrokerMetrics }>(
    security.https ? createHttpsServer(security.https) : createServer(),
    async (serverFactory) => {
      const { buildHttpApp } = await import('./server.js');
      const { app, ctx } = await buildHttpApp(deps, { processMetrics: opts.processMetrics, serverFactory });
      await app.ready();
      ctx.metrics.install();
      return {
        value: { app, metrics: ctx.metrics },
        close: async () => {
          ctx.metrics.uninstall();
          await app.close();
        },
      };
    },
    deps.log,
    'the HTTP server',
  );
  let port: number;
  try {
    port = await lazy.listen(opts.port, opts.host);
  } catch (err) {
    if (opts.portIsDefault && (err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      deps.log.warn(`HTTP port ${opts.port} (the default http.port) is in use: serving without HTTP; set --http-port or http.port`);
      return null;
    }
    throw err;
  }
  const built = (what: 'app' | 'metrics') => {
    const v = lazy.value;
    if (!v) throw new Error(`the lazy HTTP server has no ${what} before its first request`);
    return v;
  };
  return {
    get app() {
      return built('app').app;
    },
    get metrics() {
      return built('metrics').metrics;
    },
    url: `${security.https ? 'https' : 'http'}://${shownHost(opts.host)}:${port}`,
    port,
    close: () => lazy.close(),
  };
}
