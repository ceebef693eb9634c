// The CLI's Schema Registry (the lean start, issue 15): its port bound at start; its store (the
// `_schemas` topic replayed, with avsc, ajv and protobufjs) and its fastify app made at the first
// request to that port, or to the console's schema routes (the lazy HTTP app asks through
// store()). startBroker({ schemaRegistry: { lazy: true } }); `app` and `store` of the handle
// throw until then. Nothing else reads `_schemas`, so nothing is missed while it waits.

import { createServer } from 'node:http';
import type { Logger } from 'pino';
import type { BrokerConfig } from '../../config/index.js';
import type { Clock } from '../../storage/clock.js';
import { LazyPort, shownHost } from '../http/lazy-port.js';
import type { TopicManager } from '../topics.js';
import type { FastifyInstance } from 'fastify';
import type { SchemaRegistryServer } from './server.js';
import type { SchemaStore, SeedSchema } from './store.js';

export interface LazySchemaRegistry {
  readonly server: SchemaRegistryServer;
  /** The store, made (and its app) now if not yet. */
  store(): Promise<SchemaStore>;
  /** The store if made, else null (the test kit's reset/restore reload it then). */
  readonly madeStore: SchemaStore | null;
}

export async function startLazySchemaRegistry(
  deps: { topics: TopicManager; config: BrokerConfig; clock: Clock; log: Logger; seed?: Readonly<Record<string, SeedSchema>> },
  opts: { port: number; host: string },
): Promise<LazySchemaRegistry> {
  const lazy = new LazyPort<{ app: FastifyInstance; store: SchemaStore }>(
    createServer(),
    async (serverFactory) => {
      const [{ SchemaStore }, { buildSchemaRegistryApp }] = await Promise.all([import('./store.js'), import('./server.js')]);
      const store = new SchemaStore(deps.topics, deps.config, deps.clock, deps.log);
      store.load();
      if (deps.seed) store.seed(deps.seed);
      const app = await buildSchemaRegistryApp(store, deps.log, serverFactory);
      await app.ready();
      return { value: { app, store }, close: () => app.close() };
    },
    deps.log,
    'the Schema Registry',
  );
  const port = await lazy.listen(opts.port, opts.host);
  const made = (what: string) => {
    const v = lazy.value;
    if (!v) throw new Error(`the lazy Schema Registry has no ${what} before its first request`);
    return v;
  };
  return {
    server: {
      get app() {
        return made('app').app;
      },
      get store() {
        return made('store').store;
      },
      url: `http://${shownHost(opts.host)}:${port}`,
      port,
      close: () => lazy.close(),
    },
    store: async () => (await lazy.ensure()).store,
    get madeStore() {
      return lazy.value?.store ?? null;
    },
  };
}
