// The public types of startBroker() (broker/index.ts): its options and the Broker handle it
// returns. The README's tables document them; broker/options.ts checks the options' names.

import type { Logger } from 'pino';
import type { BrokerConfig, ConfigValue } from '../config/index.js';
import type { FileSystem } from '../storage/fs/file-system.js';
import type { LogDirFailure } from '../storage/log-dir-failure.js';
import type { Clock } from '../storage/clock.js';
import type { LogStore } from '../storage/types.js';
import type { BrokerCore } from './core.js';
import type { BrokerListener, ListenerOption } from './security/listeners.js';
import type { BrokerSecurity, SecurityOption, SecurityPreset } from './security/testkit-tls.js';
import type { ClientConfigOf, ClientKind } from './security/client-config.js';
import type { ClientConfigOptions, SaslPreset, SaslSecurityPreset } from './security/sasl/test-kit.js';
import type { HttpOption } from './http/options.js';
import type { HttpServer } from './http/server.js';
import type { SchemaRegistryServer } from './schema-registry/server.js';
import type { SeedSchema } from './schema-registry/store.js';
import type {
  ApiVersionsOption,
  BrokerSnapshot,
  CoordinatorControl,
  FaultInjector,
  InterceptFn,
  InterceptHandle,
  NodeControl,
  PartitionControl,
  ProducedRecord,
  ProduceRecordInput,
  RequestRecorder,
  WaitFor,
} from './testkit/index.js';

export interface BrokerOptions {
  /** Port of the first node; 0 picks a free one (default 0). Further nodes take the next ports, or free ones when 0. */
  port?: number;
  /** Address to bind (default 127.0.0.1). */
  host?: string;
  /**
   * The client listeners, instead of the `listeners` config: [{ name: 'PLAINTEXT' }, { name: 'SSL', protocol: 'SSL', port: 0 }].
   * Every simulated node gets each of them; `broker.listeners` gives their bootstrap addresses.
   */
  listeners?: ListenerOption[];
  /**
   * Each node's port on each listener, by listener name, in node order: a restart where a broker
   * was (`broker.listeners[i].ports`; test-server's power cut). Wins over `port` and listener ports.
   */
  nodePorts?: Readonly<Record<string, readonly number[]>>;
  /** Host advertised to clients in Metadata (default: the bind host). */
  advertisedHost?: string;
  /** Port advertised for the first node (default: the bound port), e.g. behind a proxy. */
  advertisedPort?: number;
  /** Keep data in this directory (disk store). Without it, data lives in memory. */
  dataDir?: string;
  /** Supply a store directly (overrides dataDir). */
  store?: LogStore;
  /** Number of simulated nodes served from this process (default 1). */
  nodes?: number;
  /** broker.rack of each simulated node, in node order (null: no rack); default broker.rack for every node. */
  racks?: ReadonlyArray<string | null>;
  /** Id of the first node (default: node.id from config, 1). */
  nodeId?: number;
  /** Cluster id for a new data dir or memory store (default: random). */
  clusterId?: string;
  /** Kafka configuration keys, e.g. { 'num.partitions': 3, 'auto.create.topics.enable': false }. */
  config?: Record<string, ConfigValue | undefined>;
  /** A server.properties file read before `config`. */
  configFile?: string;
  /** Topics to create at start: name -> partition count, or { partitions, configs }. */
  topics?: Record<string, number | { partitions?: number; replicationFactor?: number; configs?: Record<string, string> }>;
  /** Shorthand for config 'auto.create.topics.enable'. */
  autoCreateTopics?: boolean;
  /** 'system' (default), 'virtual' (moves only with broker.clock.advance), or a Clock. */
  clock?: 'system' | 'virtual' | Clock;
  /** A pino logger, or a level for a new one; in-process brokers are silent by default. */
  logger?: Logger | string;
  /** Serve HTTP (health, /metrics, REST API, console): true or { port, host } (port 0: a free one). Off by default in-process. */
  http?: boolean | HttpOption;
  /** Advertise and serve only the API versions this Kafka release did ('0.11' .. '3.0'; later releases: no cap). */
  kafkaVersion?: string;
  /** Per-API version caps over kafkaVersion: `{ Produce: [3, 7], Fetch: 11, DescribeCluster: null }`. */
  apiVersions?: ApiVersionsOption;
  /**
   * The data directory's file system (storage/fs/): with a MemoryFileSystem and a dataDir, the disk
   * store runs in memory, where storage/fs/memory-fs-faults.ts injects disk faults and power cuts.
   */
  fs?: FileSystem;
  /** Test kit strict mode: stop() fails when an injected fault never fired. */
  strictFaults?: boolean;
  /**
   * false: no test kit (broker/testkit/ is never loaded; `faults`, `requests`, `nodes`, `partitions`,
   * `coordinators`, `waitFor`, `intercept`, `produce`, `reset`, `snapshot` and `restore` throw). The CLI's
   * `kafkalite start` passes it: a smaller, faster start (issue 15). Default true.
   */
  testKit?: boolean;
  /**
   * Serve Confluent's Schema Registry REST API (broker/schema-registry/), its state in the `_schemas`
   * topic: true or { port, host } (port 0, the default in-process: a free one). Off by default in-process.
   */
  schemaRegistry?: boolean | SchemaRegistryOption;
  /** Schemas registered at start, e.g. { 'orders-value': { type: 'AVRO', schema } } (turns the Schema Registry on); reset() registers them again. */
  schemas?: Record<string, SeedSchema>;
  /**
   * Test kit security preset (broker/security/testkit-tls.ts): 'ssl' serves an SSL listener with a
   * throwaway CA and certificate, 'mtls' also requires a client certificate. See broker.security
   * and broker.clientConfig(). 'sasl_plaintext' (broker/security/sasl/test-kit.ts) serves SASL_PLAINTEXT with
   * PLAIN, SCRAM-SHA-256/512 and OAUTHBEARER and generated users `admin` and `client` (broker.saslUsers).
   */
  security?: SecurityPreset | SecurityOption | SaslSecurityPreset;
}

export interface SchemaRegistryOption {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Address to bind. Default: the Kafka listener's host. */
  host?: string;
  /** When the port is taken, serve without the registry (with a warning) instead of failing: the CLI's default 8081. */
  optional?: boolean;
  /**
   * Bind the port at start but make the store (`_schemas` replayed) and the app at the first
   * request (broker/schema-registry/lazy.ts; the CLI does). `broker.schemaRegistry.app` and `.store` throw before.
   */
  lazy?: boolean;
}

export interface Broker<C extends Clock = Clock> extends AsyncDisposable {
  /** 'host:port' of the first node on the first listener, for bootstrap.servers. */
  readonly bootstrap: string;
  /** Every listener with its name, security protocol and bootstrap address (the first is `bootstrap`'s). */
  readonly listeners: readonly BrokerListener[];
  /** The users a SASL preset generated (startBroker({ security: 'sasl_plaintext' })), or null. */
  readonly saslUsers: SaslPreset['users'] | null;
  readonly host: string;
  readonly port: number;
  /** Every node's 'host:port'. */
  readonly brokers: string[];
  readonly clusterId: string;
  /** The broker's clock: a VirtualClock (advance('45s')) with `clock: 'virtual'`. */
  readonly clock: C;
  readonly config: BrokerConfig;
  readonly log: Logger;
  /** The broker's state, for tests and tools that go beyond the Kafka protocol. */
  readonly core: BrokerCore;
  /** The HTTP server (url, fastify app), or null when HTTP is off. */
  readonly http: HttpServer | null;
  /** The Schema Registry (url for schema.registry.url, its store), or null when it is off. */
  readonly schemaRegistry: SchemaRegistryServer | null;
  /** The security preset's CA, certificates and files (startBroker({ security })), or null. */
  readonly security: BrokerSecurity | null;
  /** Settings to connect a client to `bootstrap` (with the preset's TLS files): kafkajs, librdkafka, kafka-python, java, franz-go. */
  clientConfig<K extends ClientKind>(kind: K, options?: ClientConfigOptions): ClientConfigOf<K>;
  /**
   * Handle one request without a socket: `request` is a frame without its size prefix
   * (header and body); the answer likewise, or null when the request gets none.
   */
  handle(request: Buffer, nodeId?: number): Promise<Buffer | null>;
  /** Stop listening, close connections, flush and close the store. Idempotent. Strict faults: rejects when a fault never fired. */
  stop(): Promise<void>;
  /**
   * Resolves when the data directory fails (an I/O error: storage/log-dir-failure.ts): Kafka stops a
   * broker whose last log directory failed; in process the handle reports it here (never resolves in memory).
   */
  readonly failed: Promise<LogDirFailure>;

  // ---- test kit (broker/testkit/, built on first use) ----------------------------------------
  /** Fault injection: inject({ api, match, error | delayMs | disconnect | noResponse | response, times }). */
  readonly faults: FaultInjector;
  /** Request recording: record(filter?) -> entries, filter(), stop(). */
  readonly requests: RequestRecorder;
  /** Simulated nodes: down(id, { failover }), up(id, { failback }), setRtt(id, ms), list(). */
  readonly nodes: NodeControl;
  /** Partition leaders: moveLeader(topic, partition, node), describe(topic). */
  readonly partitions: PartitionControl;
  /** Coordinator pins: set('group' | 'transaction', key, node), clear(), get(). */
  readonly coordinators: CoordinatorControl;
  /** Waits: records(topic, opts), groupStable(group), committed(group, topic, p, offset), idle(). */
  readonly waitFor: WaitFor;
  /** Handle requests of one API ('*' for all) before the broker: (request, ctx, next) => response. */
  intercept(api: string | number, fn: InterceptFn): InterceptHandle;
  /** Append records without a client (strings are UTF-8 values). */
  produce(topic: string, records: ReadonlyArray<string | ProduceRecordInput>): ProducedRecord[];
  /** Empty topics, groups and offsets; feature levels back to a new cluster's; keep listeners and seeded topics; retire faults and recordings. */
  reset(): Promise<void>;
  /** The whole data state (memory store only). */
  snapshot(): BrokerSnapshot;
  restore(snapshot: BrokerSnapshot): Promise<void>;
}
