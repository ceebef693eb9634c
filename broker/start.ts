// startBroker(): a broker in this process (the public API is broker/index.ts, which re-exports it).
// The CLI imports this file, not broker/index.ts, so that its start does not load what only the
// public API offers (MemoryStore and its in-memory file system: issue 15, lean start).
//
// Options are validated once here (names in broker/options.ts); nothing later re-reads them.

import type { Logger } from 'pino';
import { readFileSync } from 'node:fs';
import { loadConfig, parseProperties, reviewLines, reviewProperties, type ConfigValue } from '../config/index.js';
import { ConfigError } from '../protocol/errors.js';
import type { LogDirFailure } from '../storage/log-dir-failure.js';
import type { LogStore } from '../storage/types.js';
import { SystemClock, VirtualClock } from '../storage/clock.js';
import { BrokerCore } from './core.js';
import { REGISTRY } from './handlers/index.js';
import { createLogger, silentLogger } from './logger.js';
import { checkBrokerOptions } from './options.js';
import { NodeListener } from './server.js';
import { isSsl, resolveListeners, type BrokerListener } from './security/listeners.js';
import type { TlsListener } from './security/tls.js';
import type { PreparedSecurity, SecurityOption, SecurityPreset } from './security/testkit-tls.js';
import { clientConfig as clientConfigOf, type ClientConfigOf, type ClientKind } from './security/client-config.js';
import { storeSettings } from './store-settings.js';
import {
  type ClientConfigOptions,
  isSaslPreset,
  type SaslPreset,
  saslClientConfig,
  saslPreset,
  seedScramUsers,
} from './security/sasl/test-kit.js';
import { resolveHttp } from './http/options.js';
import type { HttpServer } from './http/server.js';
import type { SchemaRegistryServer } from './schema-registry/server.js';
import type { SchemaStore } from './schema-registry/store.js';
import type { LazySchemaRegistry } from './schema-registry/lazy.js';
import type { TestKit } from './testkit/index.js';
import { resolveVersionCaps } from './testkit/versions.js';

import type { Broker, BrokerOptions } from './broker-api.js';

export type { Broker, BrokerOptions, SchemaRegistryOption } from './broker-api.js';

/** storage/memory-store.ts once imported (later in-memory starts skip the await). */
let memoryStoreModule: typeof import('../storage/memory-store.js') | undefined;
/** broker/testkit/index.ts once imported (later starts skip the await). */
let testKitModule: typeof import('./testkit/index.js') | undefined;

export async function startBroker(options: BrokerOptions & { clock: 'virtual' }): Promise<Broker<VirtualClock>>;
export async function startBroker(options?: BrokerOptions): Promise<Broker>;
export async function startBroker(options: BrokerOptions = {}): Promise<Broker> {
  checkBrokerOptions(options);
  // The security preset's certificates are made first (x509 loaded only then); its keys sit under the user's config.
  const saslKit = isSaslPreset(options.security) ? saslPreset(options.security) : null;
  // sasl_ssl: the 'ssl' preset's CA and certificate under a SASL_SSL listener.
  const tlsPreset = saslKit
    ? options.security === 'sasl_ssl'
      ? 'ssl'
      : null
    : (options.security as SecurityPreset | SecurityOption | undefined);
  const prepared: PreparedSecurity | null = tlsPreset ? await (await import('./security/testkit-tls.js')).prepareSecurity(tlsPreset) : null;
  try {
    return await start(options, prepared, saslKit);
  } catch (err) {
    prepared?.close();
    throw err;
  }
}

async function start(options: BrokerOptions, prepared: PreparedSecurity | null, saslKit: SaslPreset | null): Promise<Broker> {
  const overrides: Record<string, ConfigValue | undefined> = { ...prepared?.config, ...saslKit?.config, ...options.config };
  if (options.autoCreateTopics !== undefined) overrides['auto.create.topics.enable'] = options.autoCreateTopics;
  if (options.nodeId !== undefined) overrides['node.id'] = options.nodeId;
  const loaded = loadConfig({ file: options.configFile ?? null, overrides });
  // In-process groups start at once (delay 0) unless config or a properties file sets the delay;
  // the CLI reads config/server.properties, which sets Kafka's 3000.
  const config = loaded.has('group.initial.rebalance.delay.ms')
    ? loaded
    : loadConfig({ file: options.configFile ?? null, overrides: { 'group.initial.rebalance.delay.ms': 0, ...overrides } });
  const nodeCount = options.nodes ?? 1;
  if (!Number.isInteger(nodeCount) || nodeCount < 1 || nodeCount > 64) throw new ConfigError('nodes', `must be 1..64, got ${nodeCount}`);
  const firstId = config.nodeId();
  const nodeIds = Array.from({ length: nodeCount }, (_, i) => firstId + i);
  const log =
    typeof options.logger === 'object' ? options.logger : options.logger ? createLogger({ level: options.logger }) : silentLogger();
  // A server.properties is taken as Kafka takes it: what one node does not use is said once, not refused.
  if (options.configFile) {
    const review = reviewProperties(parseProperties(readFileSync(options.configFile, 'utf8')));
    for (const [level, message] of reviewLines(options.configFile, review)) log[level](message);
  }
  const clock = options.clock === 'virtual' ? new VirtualClock() : typeof options.clock === 'object' ? options.clock : new SystemClock();
  // In-process defaults (127.0.0.1, a free port, memory) give way to what a properties file
  // or config names explicitly: listeners, advertised.listeners, log.dirs.
  const specs = resolveListeners(config, {
    host: options.host,
    port: options.port,
    advertisedHost: options.advertisedHost,
    advertisedPort: options.advertisedPort,
    listeners: options.listeners,
    defaultProtocol: saslKit?.protocol ?? prepared?.protocol,
  });
  const host = specs[0]!.bindHost;
  const dataDir = options.dataDir ?? (config.has('log.dirs') || config.has('log.dir') ? config.dataDir() : undefined);

  if (!options.store && !dataDir) memoryStoreModule ??= await import('../storage/memory-store.js');
  const store =
    options.store ??
    (dataDir
      ? await (await import('../storage/disk-store.js')).openDiskStore({
          dataDir,
          nodeId: firstId,
          clusterId: options.clusterId,
          logger: log,
          clock,
          settings: storeSettings(config),
          fs: options.fs,
        })
      : new memoryStoreModule!.MemoryStore({
          nodeId: firstId,
          clusterId: options.clusterId,
          logger: log,
          clock,
          settings: storeSettings(config),
        }));

  const core = new BrokerCore(config, store, clock, log, REGISTRY, nodeIds);
  const failed = watchLogDir(store, log);
  if (options.racks !== undefined && (!Array.isArray(options.racks) || options.racks.length !== nodeCount)) {
    throw new ConfigError('racks', `must list one rack (or null) per node: ${nodeCount} expected`);
  }
  for (const [i, node] of core.cluster.nodes.entries()) node.rack = options.racks?.[i] ?? (config.str('broker.rack') || null);
  const caps = resolveVersionCaps(options.kafkaVersion, options.apiVersions);
  if (caps) core.dispatcher.capVersions(caps);
  const listeners: NodeListener[] = [];
  const tlsListeners: TlsListener[] = [];
  const httpSettings = resolveHttp(options.http, config, host);
  let http: HttpServer | null = null;
  const registryOption = options.schemaRegistry ?? options.schemas !== undefined;
  let schemaStore: SchemaStore | null = null;
  let lazyRegistry: LazySchemaRegistry | null = null;
  let schemaRegistry: SchemaRegistryServer | null = null;
  let serving = false;
  try {
    core.configs.load();
    core.features.load();
    core.clientMetrics.load();
    core.quotas.load();
    await core.sasl.load(specs);
    if (saslKit) seedScramUsers(core.sasl.credentials, saslKit);
    core.authorizer.load();
    core.topics.load();
    for (const [name, spec] of Object.entries(options.topics ?? {})) {
      if (core.topics.get(name)) continue;
      const s = typeof spec === 'number' ? { partitions: spec } : spec;
      const res = core.topics.create(name, { partitions: s.partitions, replicationFactor: s.replicationFactor, configs: s.configs });
      if (res.errorCode !== 0) throw new ConfigError(`topics.${name}`, res.errorMessage ?? `error ${res.errorCode}`);
    }
    // The group side (broker/coordinators.ts) replays its topics now, unless nothing needs it at
    // start: a broker without a test kit (the CLI) whose store holds none of them makes it before
    // the first request that may reach it (dispatcher.ts), which a client cannot tell apart.
    if (options.testKit !== false || core.hasCoordinatorState()) await core.coordinators();
    const limits = {
      maxFrameBytes: config.int('socket.request.max.bytes'),
      idleMs: config.int('connections.max.idle.ms'),
      connectionThrottleMs: (ip: string) => core.throttling.recordConnection(ip),
      clock,
      bounds: core.limits,
    };
    for (const spec of specs) core.limits.checkListener(spec.name);
    for (const spec of specs) {
      let port = spec.port;
      // TLS (broker/security/tls.ts) is loaded only when a listener needs it.
      const tls = isSsl(spec.protocol) ? (await import('./security/tls.js')).tlsListener(config, spec.name, log) : null;
      if (tls) tlsListeners.push(tls);
      for (const [i, node] of core.cluster.nodes.entries()) {
        const listener = new NodeListener(node, core.dispatcher, log, limits, spec, tls);
        listeners.push(listener);
        const bound = await listener.listen(spec.bindHost, options.nodePorts?.[spec.name]?.[i] ?? port);
        const advertised = {
          host: spec.advertisedHost,
          port: node === core.cluster.nodes[0] && spec.advertisedPort !== undefined ? spec.advertisedPort : bound,
        };
        node.endpoints.set(spec.name, advertised);
        if (spec === specs[0]) {
          node.host = advertised.host;
          node.port = advertised.port;
        }
        if (port !== 0) port++;
      }
    }
    if (registryOption !== false) {
      const o = typeof registryOption === 'object' ? registryOption : {};
      const port = o.port ?? 0;
      try {
        if (o.lazy) {
          // The CLI's: its store and app made at its first request (broker/schema-registry/lazy.ts).
          lazyRegistry = await (await import('./schema-registry/lazy.js')).startLazySchemaRegistry(
            { topics: core.topics, config, clock, log, seed: options.schemas },
            { port, host: o.host ?? host },
          );
          schemaRegistry = lazyRegistry.server;
        } else {
          const { SchemaStore } = await import('./schema-registry/store.js');
          schemaStore = new SchemaStore(core.topics, config, clock, log);
          schemaStore.load();
          if (options.schemas) schemaStore.seed(options.schemas);
          schemaRegistry = await (await import('./schema-registry/server.js')).startSchemaRegistryServer(schemaStore, log, {
            port,
            host: o.host ?? host,
          });
        }
      } catch (err) {
        if (!o.optional || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
        log.warn(`Schema Registry port ${port} is in use: serving without the Schema Registry; set --schema-registry-port`);
      }
    }
    if (httpSettings) {
      const connections = () =>
        core.cluster.nodes.map((n) => ({
          nodeId: n.nodeId,
          open: listeners.filter((l) => l.node === n).reduce((sum, l) => sum + l.connectionCount, 0),
        }));
      const schemas = schemaStore ? { store: schemaStore, url: schemaRegistry?.url ?? null } : null;
      const lazySchemas = lazyRegistry;
      const schemasLater = lazySchemas ? async () => ({ store: await lazySchemas.store(), url: lazySchemas.server.url }) : undefined;
      http = await (await import(httpSettings.lazy ? './http/lazy.js' : './http/server.js')).startHttpServer(
        { core, log, connections, ready: () => serving, schemas, schemasLater },
        httpSettings,
      );
    }
  } catch (err) {
    await http?.close();
    await schemaRegistry?.close();
    core.shutdownCoordinators();
    core.sasl.tokens.shutdown();
    await Promise.all(listeners.map((l) => l.close()));
    for (const t of tlsListeners) t.stop();
    await core.closeStore();
    throw err;
  }

  const first = core.cluster.nodes[0]!;
  const listenersOf = (nodeId: number) => {
    const ls = listeners.filter((x) => x.node.nodeId === nodeId);
    if (ls.length === 0) throw new RangeError(`no node ${nodeId}`);
    return ls;
  };
  // The test kit's module loads with the broker (its members are synchronous), unless
  // testKit: false (the CLI): then it is never imported (issue 15, lean start).
  if (options.testKit !== false && !testKitModule) testKitModule = await import('./testkit/index.js');
  const kitModule = options.testKit === false ? null : testKitModule!;
  let kit: TestKit | null = null;
  const testKit = () => {
    if (!kitModule) throw new Error('this broker was started with testKit: false: it has no test kit (faults, requests, produce...)');
    kit ??= new kitModule.TestKit(
      core,
      {
        close: async (id) => void (await Promise.all(listenersOf(id).map((l) => l.close({ holdPort: true })))),
        reopen: async (id) => {
          for (const l of listenersOf(id)) {
            await l.listen(l.spec.bindHost, l.port).catch((err: NodeJS.ErrnoException) => {
              if (err.code !== 'EADDRINUSE') throw err;
              throw new Error(`node ${id} cannot come back up: port ${l.port} of listener ${l.spec.name} was taken while it was down`, {
                cause: err,
              });
            });
          }
        },
      },
      options.topics ?? {},
      options.strictFaults ?? false,
      { fs: dataDir ? options.fs : undefined, stop: () => stop() },
    );
    return kit;
  };
  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      serving = false;
      await http?.close();
      await schemaRegistry?.close();
      core.shutdownCoordinators();
      core.sasl.tokens.shutdown();
      core.telemetry?.close();
      await Promise.all(listeners.map((l) => l.close()));
      for (const t of tlsListeners) t.stop();
      await core.closeStore();
      prepared?.close();
      log.info('broker stopped');
      kit?.close();
    })());

  serving = true;
  log.info(
    {
      nodes: core.cluster.nodes.map((n) => `${n.nodeId}@${n.host}:${n.port}`),
      store: store.kind,
      clusterId: store.clusterId,
      http: http?.url,
      schemaRegistry: schemaRegistry?.url,
    },
    'broker started',
  );

  const boundPort = listeners[0]!.port;
  const loopback = (h: string) => (h === '0.0.0.0' || h === '::' ? '127.0.0.1' : h);
  const brokerListeners: BrokerListener[] = specs.map((spec) => {
    const l = listeners.find((x) => x.spec === spec && x.node === first)!;
    return {
      name: spec.name,
      protocol: spec.protocol,
      host: loopback(spec.bindHost),
      port: l.port,
      ports: core.cluster.nodes.map((n) => listeners.find((x) => x.spec === spec && x.node === n)!.port),
      bootstrap: `${loopback(spec.bindHost)}:${l.port}`,
    };
  });
  return {
    bootstrap: brokerListeners[0]!.bootstrap,
    listeners: brokerListeners,
    saslUsers: saslKit?.users ?? null,
    host: first.host,
    port: boundPort,
    brokers: core.cluster.nodes.map((n) => `${n.host}:${n.port}`),
    clusterId: store.clusterId,
    clock,
    config,
    log,
    core,
    http,
    schemaRegistry,
    security: prepared?.security ?? null,
    clientConfig: <K extends ClientKind>(kind: K, o?: ClientConfigOptions): ClientConfigOf<K> => {
      const security = prepared?.security ?? null;
      if (saslKit) {
        const tls = security ? (clientConfigOf(kind, brokerListeners[0]!.bootstrap, security) as Record<string, unknown>) : {};
        return saslClientConfig(saslKit, brokerListeners[0]!.bootstrap, kind, o, tls) as ClientConfigOf<K>;
      }
      // The preset's listener is the first one; without a preset, a client of the first listener gets no TLS files.
      return clientConfigOf(kind, brokerListeners[0]!.bootstrap, security);
    },
    async handle(request: Buffer, nodeId?: number) {
      const node = nodeId === undefined ? first : core.cluster.node(nodeId);
      if (!node) throw new RangeError(`no node ${nodeId}`);
      const abort = new AbortController();
      const result = await core.dispatcher.dispatch(request, node, {
        id: 0,
        remoteAddress: 'in-process',
        remotePort: 0,
        listenerName: specs[0]!.name,
        securityProtocol: specs[0]!.protocol,
        signal: abort.signal,
      });
      if (!result.response) return null;
      const out = Buffer.concat(result.response);
      return out.subarray(4);
    },
    stop,
    failed,
    [Symbol.asyncDispose]: stop,
    get faults() {
      return testKit().faults;
    },
    get requests() {
      return testKit().requests;
    },
    get nodes() {
      return testKit().nodes;
    },
    get partitions() {
      return testKit().partitions;
    },
    get coordinators() {
      return testKit().coordinators;
    },
    get waitFor() {
      return testKit().waitFor;
    },
    intercept: (api, fn) => testKit().intercept(api, fn),
    produce: (topic, records) => testKit().produce(topic, records),
    // The registry's state is the `_schemas` topic: reset() empties it like any topic and the
    // seeded schemas are registered again; restore() brings the topic back and the store replays it.
    reset: async () => {
      await testKit().reset();
      const store = schemaStore ?? lazyRegistry?.madeStore;
      store?.load();
      if (options.schemas) store?.seed(options.schemas);
    },
    snapshot: () => testKit().snapshot(),
    restore: async (snapshot) => {
      await testKit().restore(snapshot);
      (schemaStore ?? lazyRegistry?.madeStore)?.load();
    },
  };
}

/** The data directory's failure, logged with Kafka's message for a broker left without log directories. */
function watchLogDir(store: LogStore, log: Logger): Promise<LogDirFailure> {
  const channel = store.logDirFailure;
  return new Promise((resolve) => {
    channel?.onFailure((failure) => {
      log.fatal({ dir: failure.dir }, `Shutdown broker because all log dirs in ${failure.dir} have failed`);
      resolve(failure);
    });
  });
}
