// `kafkalite test-server`: a memory broker for test suites in any language, with the control
// API (broker/control/) on its own port. With --print-env the first two lines on stdout are
//
//   KAFKA_BOOTSTRAP=127.0.0.1:40915
//   KAFKALITE_CONTROL=http://127.0.0.1:40916
//
// and, with --schema-registry, a third: KAFKALITE_SCHEMA_REGISTRY=http://127.0.0.1:40917.
// With --security ssl|mtls (broker/security/testkit-tls.ts) the listener is SSL with a throwaway
// CA, and the lines go on with librdkafka's names for the files:
//
//   KAFKA_SECURITY_PROTOCOL=SSL
//   KAFKA_SSL_CA_LOCATION=/tmp/kafkalite-tls-x/ca.pem
//   KAFKA_SSL_CERTIFICATE_LOCATION=/tmp/kafkalite-tls-x/client.crt   (mtls)
//   KAFKA_SSL_KEY_LOCATION=/tmp/kafkalite-tls-x/client.key           (mtls)
//
// With --security sasl_plaintext|sasl_ssl (broker/security/sasl/test-kit.ts) the listener wants SASL
// and the generated users follow: KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM (SCRAM-SHA-256; PLAIN
// works too), KAFKA_SASL_USERNAME/KAFKA_SASL_PASSWORD (`client`), KAFKA_SASL_ADMIN_USERNAME/_PASSWORD,
// and for sasl_ssl KAFKA_SSL_CA_LOCATION.
//
// With --memory-disk the data directory is the disk store's, on the memory file system
// (storage/fs/memory-fs.ts), so POST /control/v1/faults/disk can fail its writes and fsyncs, and
// POST /control/v1/faults/power-cut drops everything not fsynced and restarts the broker on the
// same ports from what survived (the control API then drives the new broker).
//
// so a harness (pytest fixture, Go TestMain, JUnit extension, a shell `eval`) reads them and
// goes. It stays up until SIGINT/SIGTERM, or until its stdin closes when stdin is a pipe (the
// harness died or closed it), then stops cleanly and exits 0.

import { fstatSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { startBroker, type Broker, type BrokerOptions } from '../../broker/start.js';
import pino from 'pino';
import { silentLogger } from '../../broker/logger.js';
import { misspeltConfigKey } from '../../config/index.js';
import { checkBrokerOptions } from '../../broker/options.js';
import { ConfigError, KafkaliteError } from '../../protocol/errors.js';
import { SASL_PRESETS, type SaslSecurityPreset } from '../../broker/security/sasl/test-kit.js';

interface TestServerOptions {
  nodes: number;
  port: number;
  controlPort: number;
  host: string;
  printEnv?: boolean;
  clock: 'system' | 'virtual';
  topic: Record<string, number>;
  override: Record<string, string>;
  kafkaVersion?: string;
  options?: BrokerOptions;
  logLevel: string;
  schemaRegistry?: boolean;
  security?: SaslSecurityPreset | 'ssl' | 'mtls';
  memoryDisk?: boolean;
}

function int(name: string, min: number, max: number) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be an integer ${min}..${max}, got ${v}`);
    return n;
  };
}

/**
 * --print-env lines of a security preset, with librdkafka's settings as KAFKA_* names: the protocol, the
 * generated SASL users (sasl_*), the CA file and, for mtls, the client's certificate and key.
 */
function securityEnv(broker: Broker): string {
  const s = broker.security;
  const users = broker.saslUsers;
  const lines: string[] = [];
  if (users) {
    lines.push(`KAFKA_SECURITY_PROTOCOL=${broker.listeners[0]!.protocol}`, 'KAFKA_SASL_MECHANISM=SCRAM-SHA-256');
    lines.push(`KAFKA_SASL_USERNAME=${users.client.username}`, `KAFKA_SASL_PASSWORD=${users.client.password}`);
    lines.push(`KAFKA_SASL_ADMIN_USERNAME=${users.admin.username}`, `KAFKA_SASL_ADMIN_PASSWORD=${users.admin.password}`);
  } else if (s) {
    lines.push(`KAFKA_SECURITY_PROTOCOL=${s.protocol}`);
  }
  if (s) lines.push(`KAFKA_SSL_CA_LOCATION=${s.caFile}`);
  if (s?.client) lines.push(`KAFKA_SSL_CERTIFICATE_LOCATION=${s.client.certFile}`, `KAFKA_SSL_KEY_LOCATION=${s.client.keyFile}`);
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

function collectTopic(value: string, previous: Record<string, number>): Record<string, number> {
  const [name, parts] = value.split(':');
  const n = parts === undefined ? 1 : Number(parts);
  if (!name || !Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected name[:partitions], got ${JSON.stringify(value)}`);
  return { ...previous, [name]: n };
}

function collectOverride(value: string, previous: Record<string, string>): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`expected key=value, got ${JSON.stringify(value)}`);
  const key = value.slice(0, eq).trim();
  const typo = misspeltConfigKey([key]);
  if (typo) throw new InvalidArgumentError(`unknown broker config '${key}' (did you mean '${typo.meant}'?)`);
  return { ...previous, [key]: value.slice(eq + 1) };
}

function parseJsonOptions(value: string): BrokerOptions {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (err) {
    throw new InvalidArgumentError(`not JSON: ${(err as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new InvalidArgumentError('expected a JSON object of startBroker() options');
  try {
    checkBrokerOptions(parsed, 'startBroker');
  } catch (err) {
    if (err instanceof ConfigError) throw new InvalidArgumentError(err.message);
    throw err;
  }
  return parsed;
}

const SECURITY_PRESETS = ['ssl', 'mtls', ...SASL_PRESETS] as const;

function parseSecurity(value: string): SaslSecurityPreset | 'ssl' | 'mtls' {
  if (!(SECURITY_PRESETS as readonly string[]).includes(value))
    throw new InvalidArgumentError(`expected ${SECURITY_PRESETS.join(', ')}, got ${value}`);
  return value as SaslSecurityPreset | 'ssl' | 'mtls';
}

function parseClock(value: string): 'system' | 'virtual' {
  if (value !== 'system' && value !== 'virtual') throw new InvalidArgumentError(`expected system or virtual, got ${value}`);
  return value;
}

/** True when stdin is a pipe or socket: its closing means the harness is gone. */
function stdinIsPipe(): boolean {
  try {
    const st = fstatSync(0);
    return st.isFIFO() || st.isSocket();
  } catch {
    return false;
  }
}

export function registerTestServer(program: Command): void {
  program
    .command('test-server')
    .description('a memory broker with the HTTP control API (faults, nodes, reset, ...) for test suites in any language')
    .option('--nodes <n>', 'simulated nodes', int('--nodes', 1, 64), 1)
    .option('-p, --port <port>', 'Kafka port of the first node (0: a free one)', int('--port', 0, 65535), 0)
    .option('--control-port <port>', 'control API port (0: a free one)', int('--control-port', 0, 65535), 0)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--print-env', 'print KAFKA_BOOTSTRAP=... and KAFKALITE_CONTROL=... as the first lines on stdout')
    .option('--clock <clock>', "'system' or 'virtual' (time moves only through POST /control/v1/clock/advance)", parseClock, 'system')
    .option('-t, --topic <name[:partitions]>', 'create a topic at start (repeatable)', collectTopic, {})
    .option('-o, --override <key=value>', 'set a Kafka config key (repeatable)', collectOverride, {})
    .option(
      '--options <json>',
      'startBroker() options as JSON (merged under the flags), e.g. \'{"nodes":3,"topics":{"orders":3}}\'',
      parseJsonOptions,
    )
    .option('--schema-registry', 'serve the Schema Registry API on a free port (with --print-env: KAFKALITE_SCHEMA_REGISTRY=...)')
    .option(
      '--security <preset>',
      "'ssl' or 'mtls' (an SSL listener with a throwaway CA), 'sasl_plaintext' or 'sasl_ssl' (SASL with generated users); with --print-env the client settings",
      parseSecurity,
    )
    .option('--kafka-version <version>', "serve the API versions of this Kafka release (e.g. '2.8')")
    .option('--log-level <level>', 'broker log level, on stderr', 'silent')
    .option('--memory-disk', 'keep the log on the memory file system (disk faults: POST /control/v1/faults/disk)')
    .action(async (opts: TestServerOptions) => {
      // Load the control server (fastify) while the broker starts.
      const controlModule = import('../../broker/control/server.js');
      controlModule.catch(() => {});
      const logger = opts.logLevel === 'silent' ? silentLogger() : pino({ name: 'kafkalite', level: opts.logLevel }, pino.destination(2));
      const extra: BrokerOptions = opts.options ?? {};
      const host = opts.host !== '127.0.0.1' || extra.host === undefined ? opts.host : extra.host;
      let broker: Broker;
      let options: BrokerOptions;
      try {
        options = {
          ...extra,
          port: opts.port !== 0 || extra.port === undefined ? opts.port : extra.port,
          host,
          nodes: opts.nodes !== 1 || extra.nodes === undefined ? opts.nodes : extra.nodes,
          clock: opts.clock !== 'system' || extra.clock === undefined ? opts.clock : extra.clock,
          topics: { ...extra.topics, ...opts.topic },
          config: { ...extra.config, ...opts.override },
          logger,
        };
        if (opts.kafkaVersion !== undefined) options.kafkaVersion = opts.kafkaVersion;
        if (opts.security !== undefined) options.security = opts.security;
        if (opts.schemaRegistry && !options.schemaRegistry) options.schemaRegistry = { port: 0 };
        if (opts.memoryDisk) {
          const { MemoryFileSystem } = await import('../../storage/fs/memory-fs.js');
          options.dataDir = '/kafkalite-data';
          options.fs = new MemoryFileSystem();
        }
        broker = await startBroker(options);
      } catch (err) {
        if (err instanceof KafkaliteError || (err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
          process.stderr.write(`kafkalite test-server: ${(err as Error).message}\n`);
          process.exit(1);
        }
        throw err;
      }
      // The control API drives whichever broker is current: a power cut replaces it.
      const live = new Proxy(broker, {
        get: (_target, key) => {
          const v = Reflect.get(broker, key);
          return typeof v === 'function' ? v.bind(broker) : v;
        },
      });
      const powerCut = async (): Promise<{ bootstrap: string }> => {
        const { ControlError } = await import('../../broker/control/kit.js');
        if (!opts.memoryDisk)
          throw new ControlError(501, 'NOT_AVAILABLE', 'a power cut needs the memory file system: test-server --memory-disk');
        // Every node back on its ports, on every listener (with --nodes, each node has its own).
        const nodePorts = Object.fromEntries(broker.listeners.map((l) => [l.name, l.ports]));
        const registry = broker.schemaRegistry ? Number(new URL(broker.schemaRegistry.url).port) : 0;
        await broker.faults.powerCut();
        broker = await startBroker({
          ...options,
          nodePorts,
          ...(options.schemaRegistry ? { schemaRegistry: { port: registry } } : {}),
        });
        logger.info({ bootstrap: broker.bootstrap }, 'power cut: restarted from what was fsynced');
        return { bootstrap: broker.bootstrap };
      };
      const control = await controlModule
        .then((m) => m.startControlServer(live, { port: opts.controlPort, host, hooks: { powerCut } }))
        .catch(async (err: Error) => {
          await broker.stop();
          process.stderr.write(`kafkalite test-server: control API: ${err.message}\n`);
          process.exit(1);
        });
      if (opts.printEnv)
        process.stdout.write(
          `KAFKA_BOOTSTRAP=${broker.bootstrap}\nKAFKALITE_CONTROL=${control.url}\n` +
            (broker.schemaRegistry ? `KAFKALITE_SCHEMA_REGISTRY=${broker.schemaRegistry.url}\n` : '') +
            securityEnv(broker),
        );
      else
        process.stdout.write(
          `kafkalite test-server ready: bootstrap.servers=${broker.bootstrap} control=${control.url}/control/v1 ` +
            `(OpenAPI: ${control.url}/control/v1/openapi.json)\n`,
        );

      let stopping = false;
      const shutdown = (why: string) => {
        if (stopping) return;
        stopping = true;
        logger.info(`${why}: stopping`);
        void control
          .close()
          .then(() => broker.stop())
          .then(
            () => process.exit(0),
            (err: Error) => {
              process.stderr.write(`kafkalite test-server: stop failed: ${err.message}\n`);
              process.exit(1);
            },
          );
      };
      process.on('SIGINT', () => shutdown('SIGINT'));
      process.on('SIGTERM', () => shutdown('SIGTERM'));
      if (stdinIsPipe()) {
        process.stdin.on('data', () => {});
        process.stdin.on('end', () => shutdown('stdin closed'));
        process.stdin.on('close', () => shutdown('stdin closed'));
        process.stdin.resume();
      }
    });
}
