#!/usr/bin/env node
// The kafkalite command line. It only parses flags and hands them to startBroker().
//
//   kafkalite start [--port 9092] [--data-dir ./data] [--config server.properties]
//                   [--override key=value ...] [--log-level info] [--http-port 9192 | 0]
//                   [--schema-registry-port 8081 | --no-schema-registry]
//   kafkalite topics|produce|consume|groups|mirror ...   Kafka-protocol client verbs (bin/commands/)

import { Command, InvalidArgumentError } from 'commander';
import { startBroker, type Broker } from '../broker/start.js';
import { createLogger } from '../broker/logger.js';
import { defaultPropertiesPath } from '../config/index.js';
import { KafkaliteError } from '../protocol/errors.js';

function collectOverride(value: string, previous: Record<string, string>): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`expected key=value, got ${JSON.stringify(value)}`);
  return { ...previous, [value.slice(0, eq).trim()]: value.slice(eq + 1) };
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`not a port: ${value}`);
  return n;
}

/** Confluent's Schema Registry port. */
const DEFAULT_SCHEMA_REGISTRY_PORT = 8081;

const program = new Command();
program.name('kafkalite').description('An embedded, single-node, Kafka-compatible broker');

program
  .command('start')
  .description('serve the Kafka protocol until interrupted')
  .option('-p, --port <port>', 'port to listen on (default: from listeners, 9092)', parsePort)
  .option('--host <host>', 'address to bind (default: from listeners, localhost)')
  .option('-d, --data-dir <dir>', 'data directory (default: from log.dirs, ./data)')
  .option('-c, --config <file>', 'server.properties to read', defaultPropertiesPath())
  .option('-o, --override <key=value>', 'set a Kafka config key (repeatable)', collectOverride, {})
  .option('--nodes <n>', 'simulated nodes served from this process', (v) => Number(v), 1)
  .option('--log-level <level>', 'trace, debug, info, warn, error or silent', 'info')
  .option(
    '--http-port <port>',
    'HTTP port: health, /metrics, REST API, console at / (default: http.port, 9192; 0 turns HTTP off)',
    parsePort,
  )
  .option(
    '--schema-registry-port <port>',
    'Confluent Schema Registry API port (default 8081; skipped with a warning when that is taken)',
    parsePort,
  )
  .option('--no-schema-registry', 'do not serve the Schema Registry API')
  .action(
    async (opts: {
      port?: number;
      host?: string;
      dataDir?: string;
      config: string;
      override: Record<string, string>;
      nodes: number;
      logLevel: string;
      httpPort?: number;
      schemaRegistryPort?: number;
      schemaRegistry: boolean;
    }) => {
      const logger = createLogger({ level: opts.logLevel });
      let broker: Broker;
      try {
        broker = await startBroker({
          port: opts.port,
          host: opts.host,
          dataDir: opts.dataDir,
          configFile: opts.config,
          config: opts.override,
          nodes: opts.nodes,
          logger,
          testKit: false,
          http: opts.httpPort === 0 ? false : { port: opts.httpPort, processMetrics: true, lazy: true },
          schemaRegistry: opts.schemaRegistry
            ? { port: opts.schemaRegistryPort ?? DEFAULT_SCHEMA_REGISTRY_PORT, optional: opts.schemaRegistryPort === undefined, lazy: true }
            : false,
        });
      } catch (err) {
        if (err instanceof KafkaliteError || (err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
          logger.fatal((err as Error).message);
          process.exit(1);
        }
        throw err;
      }
      logger.info(
        `kafkalite is ready: bootstrap.servers=${broker.bootstrap}${broker.http ? ` console=${broker.http.url}/` : ''}` +
          `${broker.schemaRegistry ? ` schema.registry.url=${broker.schemaRegistry.url}` : ''}`,
      );
      // Kafka halts a broker whose last log directory failed (LogDirFailureHandler, after its
      // "Shutdown broker because all log dirs in ... have failed", which broker/index.ts logs).
      void broker.failed.then(() => setImmediate(() => process.exit(1)));
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) {
          logger.warn(`${signal} again: exiting now`);
          process.exit(130);
        }
        stopping = true;
        logger.info(`${signal}: shutting down`);
        broker.stop().then(
          () => process.exit(0),
          (err) => {
            logger.error({ err }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.on('SIGINT', () => shutdown('SIGINT'));
      process.on('SIGTERM', () => shutdown('SIGTERM'));
    },
  );

// The client verbs (and the Kafka client they bring, bin/client/) are imported only when the
// command line is not `start`: a broker's start loads none of them (the lean start, issue 15).
// No top-level await: the bundle runs this file as CommonJS (bin/bundle.ts, bin/cli-loader.ts).
async function main(): Promise<void> {
  if (process.argv[2] !== 'start') await registerClientVerbs();
  await program.parseAsync(process.argv);
}

async function registerClientVerbs(): Promise<void> {
  const [dumpLog, topics, produce, consume, groups, mirror, testServer, schemas] = await Promise.all([
    import('./commands/dump-log.js'),
    import('./commands/topics.js'),
    import('./commands/produce.js'),
    import('./commands/consume.js'),
    import('./commands/groups.js'),
    import('./commands/mirror.js'),
    import('./commands/test-server.js'),
    import('./commands/schemas.js'),
  ]);
  dumpLog.registerDumpLog(program);
  topics.registerTopics(program);
  produce.registerProduce(program);
  consume.registerConsume(program);
  groups.registerGroups(program);
  mirror.registerMirror(program);
  testServer.registerTestServer(program);
  schemas.registerSchemas(program);
}

// A failure rejects main(): Node reports it and exits 1, as it did for a failed top-level await.
void main();
