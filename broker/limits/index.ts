// The broker's bounds on connections and on what they hold (issue 14, item 4), Kafka's configs:
// - socket.request.max.bytes: checked on a frame's 4-byte size before anything is allocated
//   (protocol/frame.ts); the connection is closed, as Kafka's NetworkReceive/Processor do.
// - queued.max.requests, queued.max.request.bytes: the request queue and memory pool (request-pool.ts).
// - max.connections, max.connections.per.ip(.overrides), max.connection.creation.rate, and
//   listener.name.<l>.max.connections / .max.connection.creation.rate: ConnectionQuotas per node
//   (connection-quotas.ts), dynamic; the listener-prefixed values of the broker's listeners are
//   checked at start-up (checkListener), a prefix naming no listener is ignored, as by Kafka.
// - connections.max.idle.ms: idle connections closed on the broker clock (broker/connection.ts),
//   and a frame that takes longer than that to arrive (a slow sender) closes its connection too.
// - outgoing data: one response in flight per connection; no request of that connection is read
//   or handled while its socket's write buffer is above the bound (broker/connection.ts).
//
// Owner: BrokerCore (core.limits); the listeners and connections read it, /metrics shows it.

import type { Logger } from 'pino';
// Types only: prom-client is loaded with the HTTP server (broker/metrics.ts passes its classes), not at start.
import type * as Prom from 'prom-client';
import type { BrokerConfig } from '../../config/index.js';
import { ConfigError } from '../../protocol/errors.js';
import type { Clock } from '../../storage/clock.js';
import { ConnectionQuotas, listenerLimitProblem, normalizeIp, parseIpOverrides } from './connection-quotas.js';
import { IdleSweeper } from './idle.js';
import { RequestPool } from './request-pool.js';

export { ConnectionQuotas, listenerLimitProblem } from './connection-quotas.js';
export { RequestPool } from './request-pool.js';

const LISTENER_LIMIT_KEYS = ['max.connections', 'max.connection.creation.rate'] as const;

export class BrokerLimits {
  readonly pool: RequestPool;
  private readonly quotas = new Map<number, ConnectionQuotas>();
  /** Connections closed for idleness or a frame that took too long (connections.max.idle.ms). */
  readonly closed = { idle: 0, slowSender: 0 };
  /** The one sweep closing idle connections (connections.max.idle.ms). */
  readonly idle: IdleSweeper;

  constructor(
    private readonly config: BrokerConfig,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    const maxBytes = config.int('queued.max.request.bytes');
    const frameMax = config.int('socket.request.max.bytes');
    // KafkaConfig's check: a pool smaller than one request could never serve it.
    if (maxBytes > 0 && maxBytes < frameMax) {
      throw new ConfigError('queued.max.request.bytes', `queued.max.request.bytes must be larger or equal to socket.request.max.bytes`);
    }
    try {
      parseIpOverrides(config.str('max.connections.per.ip.overrides'));
    } catch (err) {
      throw new ConfigError('max.connections.per.ip.overrides', (err as Error).message);
    }
    this.idle = new IdleSweeper(clock, config.int('connections.max.idle.ms'));
    this.pool = new RequestPool({ maxBytes, maxRequests: config.int('queued.max.requests') });
  }

  /**
   * listener.name.<l>.max.connections and .max.connection.creation.rate of a listener the broker
   * opens, checked before it listens: Kafka parses them when ConnectionQuotas.addListener builds
   * the listener's quota, and stops at start-up on a bad value. A prefix naming a listener the
   * broker does not have is never read (test/integration/config-errors-kafka.test.ts).
   */
  checkListener(name: string): void {
    for (const base of LISTENER_LIMIT_KEYS) {
      const key = `listener.name.${name.toLowerCase()}.${base}`;
      const value = this.config.get(key);
      const problem = value === undefined ? null : listenerLimitProblem(key, value);
      if (problem) throw new ConfigError(key, problem, true);
    }
  }

  get maxFrameBytes(): number {
    return this.config.int('socket.request.max.bytes');
  }

  get idleMs(): number {
    return this.config.int('connections.max.idle.ms');
  }

  get brokerClock(): Clock {
    return this.clock;
  }

  /** The connection limits of one node (each simulated node is one Kafka broker). */
  connections(nodeId: number): ConnectionQuotas {
    let q = this.quotas.get(nodeId);
    if (!q) {
      const config = this.config;
      q = new ConnectionQuotas(
        {
          maxConnections: () => config.int('max.connections'),
          maxConnectionsPerIp: (ip) => {
            let overrides: Map<string, number>;
            try {
              overrides = parseIpOverrides(config.str('max.connections.per.ip.overrides'));
            } catch {
              overrides = new Map();
            }
            return overrides.get(normalizeIp(ip)) ?? config.int('max.connections.per.ip');
          },
          maxCreationRate: () => config.int('max.connection.creation.rate'),
          maxListenerConnections: (l) => listenerLimit(config, l, 'max.connections'),
          maxListenerCreationRate: (l) => listenerLimit(config, l, 'max.connection.creation.rate'),
          interBrokerListener: () => interBrokerListener(config),
          window: { samples: config.int('quota.window.num'), windowMs: config.int('quota.window.size.seconds') * 1000 },
        },
        this.clock,
        this.log,
        nodeId,
      );
      this.quotas.set(nodeId, q);
    }
    return q;
  }

  /** The kafkalite_connection_* and kafkalite_request_pool_* families of /metrics (broker/metrics.ts, which passes prom-client's classes). */
  register(registry: Prom.Registry, prom: Pick<typeof Prom, 'Gauge' | 'Counter'>): void {
    const { Gauge, Counter } = prom;
    const registers = [registry];
    const perNode = (name: string, help: string, pick: (q: ConnectionQuotas) => number, kind: 'gauge' | 'counter') => {
      const quotas = this.quotas;
      const def = {
        name,
        help,
        labelNames: ['node'] as const,
        registers,
        collect(this: Prom.Gauge<'node'> | Prom.Counter<'node'>) {
          this.reset();
          for (const [node, q] of quotas) {
            if (this instanceof Counter) this.inc({ node: String(node) }, pick(q));
            else this.set({ node: String(node) }, pick(q));
          }
        },
      };
      if (kind === 'counter') new Counter(def);
      else new Gauge(def);
    };
    perNode(
      'kafkalite_connections_waiting',
      'Accepted sockets held by max.connections or max.connection.creation.rate',
      (q) => q.stats().waiting,
      'gauge',
    );
    perNode(
      'kafkalite_connections_rejected_per_ip_total',
      'Connections closed by max.connections.per.ip',
      (q) => q.stats().rejectedPerIp,
      'counter',
    );
    perNode('kafkalite_connections_blocked_total', 'Connections that waited for max.connections', (q) => q.stats().blockedByMax, 'counter');
    perNode(
      'kafkalite_connections_rate_throttled_total',
      'Connections delayed by max.connection.creation.rate',
      (q) => q.stats().throttledByRate,
      'counter',
    );
    const pool = this.pool;
    const closed = this.closed;
    new Gauge({
      name: 'kafkalite_request_pool_used_bytes',
      help: 'Bytes of request frames read or being read and not yet handled (queued.max.request.bytes)',
      registers,
      collect() {
        this.set(pool.used);
      },
    });
    new Gauge({
      name: 'kafkalite_request_queue_size',
      help: 'Requests read and waiting to be handled (queued.max.requests)',
      registers,
      collect() {
        this.set(pool.queued);
      },
    });
    new Counter({
      name: 'kafkalite_request_pool_refusals_total',
      help: 'Frames that had to wait for request memory (the connection stopped reading)',
      registers,
      collect() {
        this.reset();
        this.inc(pool.refused);
      },
    });
    new Counter({
      name: 'kafkalite_connections_closed_idle_total',
      help: 'Connections closed by connections.max.idle.ms, by reason (idle, or a frame arriving too slowly)',
      labelNames: ['reason'],
      registers,
      collect() {
        this.reset();
        this.inc({ reason: 'idle' }, closed.idle);
        this.inc({ reason: 'slow_sender' }, closed.slowSender);
      },
    });
  }
}

/** Kafka's KafkaConfig.interBrokerListenerName: inter.broker.listener.name, else security.inter.broker.protocol's name (PLAINTEXT). */
function interBrokerListener(config: BrokerConfig): string {
  const v = config.get('inter.broker.listener.name') ?? config.get('security.inter.broker.protocol') ?? 'PLAINTEXT';
  return v.trim().toUpperCase();
}

/** listener.name.<l>.<key> (the listener's name lower-cased, as Kafka's ListenerName.configPrefix), else no limit. */
function listenerLimit(config: BrokerConfig, listener: string, key: string): number {
  const v = config.get(`listener.name.${listener.toLowerCase()}.${key}`);
  const n = v === undefined ? Number.NaN : Number(v);
  return Number.isSafeInteger(n) && n >= 0 ? n : 2_147_483_647;
}
