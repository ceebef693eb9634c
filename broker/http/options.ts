// Whether and where a broker serves HTTP, from startBroker()'s `http` option and the config
// keys http.port / http.host. Kept apart from server.ts so brokers without HTTP never load
// fastify.
//
//   http: undefined   off, unless the config names http.port (then as the config says)
//   http: false       off
//   http: true | {}   on, at http.port (default 9192; 0 there means off)
//   http: { port }    on, at that port (0: a free one)
//
// When the port is only the default (nothing asked for it) and it is taken, the broker runs
// without HTTP and says so, rather than failing to start.

import type { BrokerConfig } from '../../config/index.js';

export interface HttpOption {
  /** Port to listen on; 0 picks a free one. Default: config http.port (9192). */
  port?: number;
  /** Address to bind. Default: config http.host, else the Kafka listener's host. */
  host?: string;
  /** Export process metrics (CPU, memory, event loop, GC) too; the CLI does. */
  processMetrics?: boolean;
  /**
   * Bind the port at start but load fastify, the console and metrics at the first HTTP request
   * (broker/http/lazy.ts; the CLI does): /metrics counts from then, `broker.http.app` throws before.
   */
  lazy?: boolean;
}

export interface HttpSettings {
  port: number;
  host: string;
  processMetrics: boolean;
  /** The port is the documented default, not asked for: if it is taken, run without HTTP (with a warning). */
  portIsDefault: boolean;
  /** Build the app at the first request (broker/http/lazy.ts). */
  lazy: boolean;
}

export function resolveHttp(option: boolean | HttpOption | undefined, config: BrokerConfig, kafkaHost: string): HttpSettings | null {
  if (option === false) return null;
  if (option === undefined && !config.has('http.port')) return null;
  const o = typeof option === 'object' ? option : {};
  let port: number;
  if (o.port !== undefined) port = o.port;
  else {
    port = config.int('http.port');
    if (port === 0) return null;
  }
  const host = o.host ?? (config.has('http.host') && config.str('http.host') !== '' ? config.str('http.host') : kafkaHost);
  return {
    port,
    host,
    processMetrics: o.processMetrics ?? false,
    portIsDefault: o.port === undefined && !config.has('http.port'),
    lazy: o.lazy ?? false,
  };
}
