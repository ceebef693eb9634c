// The control server: the test kit of one broker as an HTTP JSON API, so a broker shared by
// test workers, or driven from pytest, Go or JUnit, can be controlled. Its own fastify app on
// its own port (one URL: KAFKALITE_CONTROL), with its OpenAPI description at
// /control/v1/openapi.json. `kafkalite test-server` and the runner presets start one;
// connectControl(url) (client.ts) is the typed TypeScript client.
//
//   const broker = await startBroker();
//   const control = await startControlServer(broker);     // control.url: 'http://127.0.0.1:41235'
//   ...
//   await control.close(); await broker.stop();
//
// TLS and authentication are the HTTP server's (broker/http/security.ts, off by default): with
// http.ssl.enabled the control API is served over https (control.url says so), with
// http.auth.type=basic|bearer every route wants the Authorization header
// (connectControl(url, { authorization, ca })). Listening beyond loopback without
// authentication is logged as a loud warning: the control API can reset and reconfigure the broker.

import { createRequire } from 'node:module';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Broker } from '../index.js';
import { packageVersion } from '../http/console.js';
import { httpSecurity, isLoopback, requireAuthentication, type HttpSecurity } from '../http/security.js';
import type { ControlState } from './kit.js';
import { CONTROL_PREFIX, registerControlRoutes, type ControlHooks } from './routes.js';

export interface ControlServerOptions {
  /** Port; 0 (default) picks a free one. */
  port?: number;
  /** Address to bind (default: 127.0.0.1). */
  host?: string;
  /** What only the host can do: POST /faults/power-cut (test-server --memory-disk). */
  hooks?: ControlHooks;
}

export interface ControlServer extends AsyncDisposable {
  /** 'http://host:port' ('https://' with http.ssl.enabled): the base for /control/v1/... (KAFKALITE_CONTROL). */
  readonly url: string;
  readonly port: number;
  readonly app: FastifyInstance;
  readonly state: ControlState;
  close(): Promise<void>;
}

type Validator = ((data: unknown) => unknown) & { errors?: unknown };
type RouteDef = { schema: unknown; method: string; url: string; httpPart: string };
type ValidatorFactory = (externalSchemas: unknown, options: unknown) => (route: RouteDef) => Validator;

/**
 * Fastify's own validator (ajv, through @fastify/ajv-compiler, resolved from fastify's
 * location), compiled per route on its first request instead of at start-up. Answers go out
 * with JSON.stringify: response schemas only document the API. Together this keeps the
 * control server's start within test-server's exec-to-ready budget.
 */
function lazyCompilers() {
  let factory: ValidatorFactory | null = null;
  const load = (): ValidatorFactory =>
    (factory ??= (createRequire(createRequire(import.meta.url).resolve('fastify'))('@fastify/ajv-compiler') as () => ValidatorFactory)());
  return {
    buildValidator: (externalSchemas: unknown, options: unknown) => {
      let compile: ((route: RouteDef) => Validator) | null = null;
      return (route: RouteDef): Validator => {
        let fn: Validator | null = null;
        const v: Validator = (data) => {
          compile ??= load()(externalSchemas, options);
          fn ??= compile(route);
          const ok = fn(data);
          v.errors = fn.errors;
          return ok;
        };
        return v;
      };
    },
    buildSerializer: () => () => (data: unknown) => JSON.stringify(data),
  };
}

/**
 * The OpenAPI document, made by @fastify/swagger on first request: the routes (method, url,
 * schema) are replayed into a bare fastify app with the swagger plugin.
 */
async function buildOpenApi(routes: Array<{ method: string | string[]; url: string; schema?: unknown }>): Promise<unknown> {
  const swagger = (await import('@fastify/swagger')).default;
  const doc = Fastify({ schemaController: { compilersFactory: lazyCompilers() } } as FastifyServerOptions) as unknown as FastifyInstance;
  await doc.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'kafkalite control API',
        description:
          'Drive a kafkalite test broker (kafkalite test-server, or a runner preset): faults, node outages, leader moves, ' +
          'coordinators, reset/snapshot/restore, produce, waits, recorded requests, the virtual clock. ' +
          'Errors are `{ error, message }`; 501 NOT_AVAILABLE when the broker lacks a test kit member.',
        version: packageVersion(),
      },
      tags: [{ name: 'control', description: 'The test kit over HTTP' }],
    },
  });
  for (const r of routes) doc.route({ method: r.method as 'GET', url: r.url, schema: r.schema as object, handler: async () => null });
  await doc.ready();
  const out = doc.swagger();
  await doc.close();
  return out;
}

/** Build the control app without listening (app.inject() in tests). */
export async function buildControlApp(
  broker: Broker,
  controlUrl: () => string = () => '',
  security: HttpSecurity | null = null,
  hooks: ControlHooks = {},
): Promise<{ app: FastifyInstance; state: ControlState }> {
  const app = Fastify({
    ...(security?.https ? { https: security.https } : {}),
    forceCloseConnections: true,
    bodyLimit: 64 * 1024 * 1024,
    schemaController: { compilersFactory: lazyCompilers() },
  } as FastifyServerOptions) as unknown as FastifyInstance;
  // An empty JSON body is no body (curl -X POST -H 'content-type: application/json' ...).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      (err as Error & { statusCode?: number }).statusCode = 400;
      done(err as Error, undefined);
    }
  });
  if (security) requireAuthentication(app, security);
  const routes: Array<{ method: string | string[]; url: string; schema?: unknown }> = [];
  app.addHook('onRoute', (r) => {
    if (r.method !== 'HEAD' && !(r.schema as { hide?: boolean } | undefined)?.hide)
      routes.push({ method: r.method, url: r.url, schema: r.schema });
  });
  const state = registerControlRoutes(app, broker, controlUrl, hooks);
  let openapi: Promise<unknown> | null = null;
  app.get(`${CONTROL_PREFIX}/openapi.json`, { schema: { hide: true } }, async () => (openapi ??= buildOpenApi(routes)));
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error: 'NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}` });
  });
  return { app, state };
}

export async function startControlServer(broker: Broker, options: ControlServerOptions = {}): Promise<ControlServer> {
  const host = options.host ?? '127.0.0.1';
  let url = '';
  // http.ssl.* / http.auth.* (broker/http/security.ts), as the HTTP server reads them.
  const security = await httpSecurity(broker.config);
  if (security.authType === 'none' && !isLoopback(host))
    broker.log.warn(
      `CONTROL API on ${host}:${options.port ?? 0} WITHOUT AUTHENTICATION: anyone who can reach it can reset the broker, inject faults, ` +
        'stop nodes and produce. Set http.auth.type=basic|bearer (http.auth.users / http.auth.tokens), or bind it to 127.0.0.1',
    );
  const { app, state } = await buildControlApp(broker, () => url, security, options.hooks);
  await app.listen({ port: options.port ?? 0, host });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : (options.port ?? 0);
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  url = `${security.https ? 'https' : 'http'}://${shown}:${port}`;
  let closing: Promise<void> | null = null;
  const close = () => (closing ??= app.close());
  return { url, port, app, state, close, [Symbol.asyncDispose]: close };
}
