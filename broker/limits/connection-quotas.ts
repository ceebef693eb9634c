// Connection limits of one node, as Kafka's ConnectionQuotas (kafka.network.SocketServer) applies
// them when its Acceptor takes a connection:
// - max.connections (broker-wide): at the limit the Acceptor stops accepting until a connection
//   closes (waitForConnectionSlot). Here the excess socket is held unread, in arrival order, and
//   admitted when a slot frees: to the client it looks the same as Kafka's backlogged accept
//   (connected, never answered until then).
// - max.connection.creation.rate (broker-wide, per second over quota.window.num samples of
//   quota.window.size.seconds): a connection over the rate is held for its throttle time on the
//   broker clock, then admitted (Kafka's Acceptor waits the throttle out), and later ones queue behind it.
// - max.connections.per.ip and max.connections.per.ip.overrides ("ip:count,..."): an address at its
//   limit gets its new connection closed at once (TooManyConnectionsException, logged).
// All four are read when a connection arrives, so a dynamic change (IncrementalAlterConfigs on
// the broker) applies to the next one, as DynamicConnectionQuota does. Not modelled: the
// listener-prefixed variants (listener.name.<l>.max.connections) and the inter-broker listener's
// exemption (kafkalite's simulated nodes have no inter-broker listener).

import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../../storage/clock.js';
import { Rate, rateThrottleMs, type WindowConfig } from '../quotas/rate.js';

export interface ConnectionLimitSettings {
  maxConnections(): number;
  maxConnectionsPerIp(ip: string): number;
  maxCreationRate(): number;
  window: WindowConfig;
}

/** What a node's /metrics shows of its connection limits. */
export interface ConnectionQuotaFigures {
  open: number;
  /** Sockets held until a slot frees or their creation-rate throttle passes. */
  waiting: number;
  rejectedPerIp: number;
  /** Connections that had to wait for max.connections. */
  blockedByMax: number;
  /** Connections delayed by max.connection.creation.rate. */
  throttledByRate: number;
}

interface Held {
  socket: Socket;
  ip: string;
  start: () => void;
  /** Already counted by the creation rate (and waiting out its throttle). */
  rated: boolean;
}

/** `::ffff:1.2.3.4` (an IPv4 peer on a dual-stack socket) is 1.2.3.4, as Java sees it. */
export function normalizeIp(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

export class ConnectionQuotas {
  private readonly perIp = new Map<string, number>();
  private total = 0;
  private readonly held: Held[] = [];
  private readonly rate: Rate;
  private blockedUntil = 0;
  private timer: TimerHandle | null = null;
  private readonly figures = { rejectedPerIp: 0, blockedByMax: 0, throttledByRate: 0 };

  constructor(
    private readonly settings: ConnectionLimitSettings,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly nodeId: number,
  ) {
    this.rate = new Rate(settings.window);
  }

  stats(): ConnectionQuotaFigures {
    return { open: this.total, waiting: this.held.length, ...this.figures };
  }

  /** A socket the listener accepted: `start` runs once it may be served (now, later, or never). */
  admit(socket: Socket, start: () => void): void {
    const ip = normalizeIp(socket.remoteAddress ?? '');
    if (this.held.length > 0 || !this.slotFree()) {
      this.hold({ socket, ip, start, rated: false });
      return;
    }
    this.tryStart({ socket, ip, start, rated: false });
  }

  /** Drop every held socket (the listener is stopping). */
  close(): void {
    this.timer?.cancel();
    this.timer = null;
    for (const h of this.held.splice(0)) h.socket.destroy();
  }

  private slotFree(): boolean {
    return this.total < this.settings.maxConnections() && this.clock.now() >= this.blockedUntil;
  }

  private hold(h: Held): void {
    if (!h.rated && this.total >= this.settings.maxConnections()) this.figures.blockedByMax++;
    h.socket.pause();
    h.socket.on('error', () => {});
    this.held.push(h);
    this.log.debug({ node: this.nodeId, client: h.ip, waiting: this.held.length }, 'connection waiting for a slot (max.connections)');
  }

  /** Count the connection's creation and start it, unless the rate throttles it first. */
  private tryStart(h: Held): void {
    if (!h.rated) {
      h.rated = true;
      const throttleMs = this.recordCreation();
      if (throttleMs > 0) {
        this.figures.throttledByRate++;
        this.blockedUntil = this.clock.now() + throttleMs;
        this.held.unshift(h);
        h.socket.pause();
        h.socket.on('error', () => {});
        this.schedule(throttleMs);
        return;
      }
    }
    if (h.socket.destroyed) return;
    const max = this.settings.maxConnectionsPerIp(h.ip);
    const count = this.perIp.get(h.ip) ?? 0;
    if (count >= max) {
      this.figures.rejectedPerIp++;
      this.log.info(
        { node: this.nodeId, client: `${h.ip}:${h.socket.remotePort}` },
        // Kafka prints the address as InetAddress.toString does: "/127.0.0.1" (SocketServer Acceptor).
        `Rejected connection from /${h.ip}, address already has the configured maximum of ${max} connections.`,
      );
      h.socket.destroy();
      return;
    }
    this.perIp.set(h.ip, count + 1);
    this.total++;
    h.socket.once('close', () => this.release(h.ip));
    h.socket.resume();
    h.start();
  }

  private release(ip: string): void {
    const n = (this.perIp.get(ip) ?? 1) - 1;
    if (n <= 0) this.perIp.delete(ip);
    else this.perIp.set(ip, n);
    this.total--;
    this.drain();
  }

  /** Admit held sockets while slots are free and no throttle is running. */
  private drain(): void {
    while (this.held.length > 0) {
      const now = this.clock.now();
      if (now < this.blockedUntil) {
        this.schedule(this.blockedUntil - now);
        return;
      }
      if (this.total >= this.settings.maxConnections()) return;
      const h = this.held.shift()!;
      if (h.socket.destroyed) continue;
      this.tryStart(h);
    }
  }

  private schedule(ms: number): void {
    if (this.timer) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.drain();
    }, ms);
  }

  /** Record one connection creation; the throttle (ms) when over max.connection.creation.rate. */
  private recordCreation(): number {
    const bound = this.settings.maxCreationRate();
    if (bound >= 2_147_483_647) return 0;
    const now = this.clock.now();
    this.rate.record(1, now);
    const observed = this.rate.measure(now);
    if (observed <= bound) return 0;
    return Math.min(
      rateThrottleMs(observed, bound, this.rate.windowSize(now)),
      this.settings.window.windowMs * this.settings.window.samples,
    );
  }
}

/** max.connections.per.ip.overrides: "host-or-ip:count,..." (Kafka's getMap); throws on a bad entry. */
export function parseIpOverrides(value: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const entry of value.split(',')) {
    const e = entry.trim();
    if (e === '') continue;
    const at = e.lastIndexOf(':');
    const count = Number(e.slice(at + 1));
    if (at <= 0 || !/^\d+$/.test(e.slice(at + 1).trim()) || !Number.isSafeInteger(count)) {
      throw new Error(`Map entry '${e}' is not of the form key:value`);
    }
    out.set(normalizeIp(e.slice(0, at).trim()), count);
  }
  return out;
}
