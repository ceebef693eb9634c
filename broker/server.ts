// The TCP listener of one node on one of the broker's listeners (broker/security/listeners.ts).
// Owns its server socket and its connections; stop() releases all of them. On an SSL or
// SASL_SSL listener the socket is TLS (broker/security/tls.ts) and a connection starts once its
// handshake is done.

import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import type { Clock } from '../storage/clock.js';
import type { NodeInfo } from './cluster.js';
import { Connection } from './connection.js';
import type { Dispatcher } from './dispatcher.js';
import type { BrokerLimits } from './limits/index.js';
import { holdPort, type PortHold } from './port-hold.js';
import type { ListenerSpec } from './security/listeners.js';
import type { TlsServerFactory } from './security/tls.js';

let nextConnectionId = 1;

/** How long a stopping listener lets a connection flush what it has written (wall time: socket I/O). */
const FLUSH_MS = 1000;

export class NodeListener {
  private server: Server | null = null;
  /** The port held while a down node's listener is closed (close({ holdPort: true })). */
  private held: PortHold | null = null;
  private readonly connections = new Set<Connection>();
  /** Connections refused by connection_creation_rate, waiting out their throttle. */
  private readonly throttled = new Set<Socket>();

  constructor(
    readonly node: NodeInfo,
    private readonly dispatcher: Dispatcher,
    private readonly log: Logger,
    private readonly limits: {
      maxFrameBytes: number;
      idleMs: number;
      /** Throttle for a new connection from this address (0: accept it); broker/quotas/manager.ts. */
      connectionThrottleMs?: (ip: string) => number;
      /** The broker clock, for closing throttled connections. */
      clock?: Clock;
      /** Connection and request bounds (broker/limits/): max.connections and friends, the request pool. */
      bounds?: BrokerLimits;
    },
    /** The listener this serves (default: one PLAINTEXT listener). */
    readonly spec: ListenerSpec = { name: 'PLAINTEXT', protocol: 'PLAINTEXT', bindHost: '127.0.0.1', port: 0, advertisedHost: '127.0.0.1' },
    /** TLS for an SSL or SASL_SSL listener. */
    private readonly tls: TlsServerFactory | null = null,
  ) {}

  /** The bound port (0 until listening). */
  port = 0;

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Listen on host:port (port 0 picks a free one); resolves with the bound port. */
  async listen(host: string, port: number): Promise<number> {
    await this.releasePort();
    const quotas = this.limits.bounds?.connections(this.node.nodeId);
    quotas?.addListener(this.spec.name);
    const accept = (socket: Socket, principal?: string) =>
      quotas ? quotas.admit(socket, () => start(socket, principal), this.spec.name) : start(socket, principal);
    const start = (socket: Socket, principal?: string) => {
      // connection_creation_rate (Kafka's ConnectionQuotas): a connection over its ip's rate is
      // never read and is closed once the throttle has passed (Acceptor's throttledSockets).
      const throttleMs = this.limits.connectionThrottleMs?.(socket.remoteAddress ?? '') ?? 0;
      if (throttleMs > 0) {
        socket.pause();
        socket.on('error', () => {});
        this.throttled.add(socket);
        socket.on('close', () => this.throttled.delete(socket));
        this.limits.clock?.setTimeout(() => socket.destroy(), throttleMs);
        this.log.debug(
          { node: this.node.nodeId, listener: this.spec.name, client: `${socket.remoteAddress}:${socket.remotePort}`, throttleMs },
          'connection throttled',
        );
        return;
      }
      const conn = new Connection(
        nextConnectionId++,
        socket,
        this.node,
        this.dispatcher,
        this.log,
        this.limits.maxFrameBytes,
        this.limits.idleMs,
        this.spec,
        principal,
        this.limits.bounds,
      );
      this.connections.add(conn);
      socket.on('close', () => this.connections.delete(conn));
      this.log.info(
        {
          conn: conn.id,
          node: this.node.nodeId,
          listener: this.spec.name,
          client: `${conn.remoteAddress}:${conn.remotePort}`,
          ...(principal ? { principal } : {}),
          ...tlsVersion(socket),
        },
        'connection opened',
      );
    };
    const server = this.tls
      ? this.tls.createServer(accept, { node: this.node.nodeId, listener: this.spec.name })
      : createServer((s) => accept(s));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port, exclusive: true }, () => {
        server.off('error', reject);
        const addr = server.address();
        this.port = typeof addr === 'object' && addr ? addr.port : port;
        resolve(this.port);
      });
    });
  }

  /**
   * Stop accepting, drop every connection, and wait until the port is released. Answers already
   * produced still go out first: a request answered during shutdown (a parked JoinGroup) is a few
   * promise reactions away from its socket, so connections close one event-loop turn later, each
   * once its written bytes are flushed. With holdPort (a node going down), the port is then held
   * until listen() (broker/port-hold.ts): it refuses connections, and nothing else can take it.
   */
  async close(opts: { holdPort?: boolean } = {}): Promise<void> {
    await this.releasePort();
    const server = this.server;
    this.server = null;
    const connections = [...this.connections];
    this.connections.clear();
    this.limits.bounds?.connections(this.node.nodeId).close();
    for (const s of this.throttled) s.destroy();
    this.throttled.clear();
    for (const c of connections) c.stopReading();
    await new Promise<void>((resolve) => setImmediate(resolve));
    await Promise.all(connections.map((c) => c.closeFlushed(FLUSH_MS)));
    if (server) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // 'close' is emitted before libuv has released the handle (its close callback runs in a
      // later loop phase): wait for that too, so stop() leaves no active handle behind.
      for (let i = 0; i < 2; i++) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (opts.holdPort && this.port !== 0) {
      try {
        this.held = await holdPort(this.spec.bindHost, this.port);
      } catch (err) {
        this.log.warn({ node: this.node.nodeId, listener: this.spec.name, port: this.port, err }, 'could not hold the port of a down node');
      }
    }
  }

  private async releasePort(): Promise<void> {
    const held = this.held;
    this.held = null;
    await held?.release();
  }
}

/** The negotiated TLS version of a TLS socket (node:tls TLSSocket.getProtocol()), for the log. */
function tlsVersion(socket: Socket): { tls?: string } {
  const p = (socket as Socket & { getProtocol?: () => string | null }).getProtocol?.();
  return p ? { tls: p } : {};
}
