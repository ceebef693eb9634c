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
// - listener.name.<l>.max.connections and listener.name.<l>.max.connection.creation.rate: the
//   same per listener (Kafka's one Acceptor per listener): a listener at its limit holds its own
//   new connections, the other listeners keep accepting; a connection counts against its
//   listener's rate and the broker-wide one, and waits out the longer throttle.
// - the inter-broker listener (inter.broker.listener.name, else security.inter.broker.protocol's
//   name), when the node has more than one listener (ConnectionQuotas.protectedListener): its
//   connections wait only for its own listener.name.<l>.max.connections and are not recorded by
//   the broker-wide creation rate, though they count towards max.connections for the others.
// All are read when a connection arrives, so a dynamic change (IncrementalAlterConfigs on
// the broker) applies to the next one, as DynamicConnectionQuota does.

import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../../storage/clock.js';
import { Rate, rateThrottleMs, type WindowConfig } from '../quotas/rate.js';

export interface ConnectionLimitSettings {
  maxConnections(): number;
  maxConnectionsPerIp(ip: string): number;
  maxCreationRate(): number;
  /** listener.name.<l>.max.connections (no limit when unset). */
  maxListenerConnections(listener: string): number;
  /** listener.name.<l>.max.connection.creation.rate (no limit when unset). */
  maxListenerCreationRate(listener: string): number;
  /** Kafka's interBrokerListenerName (upper-case). */
  interBrokerListener(): string;
  window: WindowConfig;
}

/** The per-listener keys of these limits (Kafka's ListenerName.configPrefix: the name lower-cased). */
export const LISTENER_LIMIT_KEY = /^listener\.name\.([^.]+)\.(max\.connections|max\.connection\.creation\.rate)$/;

/**
 * A per-listener limit's value problem (an int of at least 0, as the broker-wide key), else null;
 * Kafka's words name the key without its listener prefix ("... for configuration max.connections: ...").
 */
export function listenerLimitProblem(key: string, value: string): string | null {
  const base = LISTENER_LIMIT_KEY.exec(key)?.[2];
  if (!base) return null;
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(Number(value)) || Math.abs(Number(value)) > 2_147_483_647) {
    return `Invalid value ${value} for configuration ${base}: Not a number of type INT`;
  }
  if (Number(value) < 0) return `Invalid value ${value} for configuration ${base}: Value must be at least 0`;
  return null;
}

const NO_LIMIT = 2_147_483_647;

/** One listener's share: its open connections, its creation rate and throttle. */
interface ListenerState {
  open: number;
  rate: Rate;
  blockedUntil: number;
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
  listener: string;
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
  private readonly listeners = new Map<string, ListenerState>();
  /** The node's listeners, as Kafka's ConnectionQuotas.addListener registers them at start-up. */
  private readonly registered = new Set<string>();
  private timer: TimerHandle | null = null;
  private timerAt = 0;
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

  /** A listener of this node opens (Kafka's addListener): with two or more, the inter-broker one is protected. */
  addListener(listener: string): void {
    this.registered.add(listener);
  }

  /** Kafka's protectedListener: the inter-broker listener of a node with more than one listener. */
  private protectedListener(listener: string): boolean {
    return listener === this.settings.interBrokerListener() && this.registered.size > 1;
  }

  /** Open connections on one listener. */
  openOn(listener: string): number {
    return this.listeners.get(listener)?.open ?? 0;
  }

  /** A socket `listener` accepted: `start` runs once it may be served (now, later, or never). */
  admit(socket: Socket, start: () => void, listener = 'PLAINTEXT'): void {
    const ip = normalizeIp(socket.remoteAddress ?? '');
    const h: Held = { socket, ip, listener, start, rated: false };
    if (this.held.some((x) => x.listener === listener) || !this.slotFree(listener)) {
      this.hold(h);
      return;
    }
    this.tryStart(h);
  }

  private state(listener: string): ListenerState {
    let l = this.listeners.get(listener);
    if (!l) {
      l = { open: 0, rate: new Rate(this.settings.window), blockedUntil: 0 };
      this.listeners.set(listener, l);
    }
    return l;
  }

  /** Drop every held socket (the listener is stopping). */
  close(): void {
    this.timer?.cancel();
    this.timer = null;
    for (const h of this.held.splice(0)) h.socket.destroy();
  }

  /** Kafka's connectionSlotAvailable, and no throttle running on the listener. */
  private slotFree(listener: string): boolean {
    const l = this.state(listener);
    return (
      (this.protectedListener(listener) || this.total < this.settings.maxConnections()) &&
      l.open < this.settings.maxListenerConnections(listener) &&
      this.clock.now() >= l.blockedUntil
    );
  }

  private hold(h: Held): void {
    const full =
      (!this.protectedListener(h.listener) && this.total >= this.settings.maxConnections()) ||
      this.state(h.listener).open >= this.settings.maxListenerConnections(h.listener);
    if (!h.rated && full) this.figures.blockedByMax++;
    h.socket.pause();
    h.socket.on('error', () => {});
    this.held.push(h);
    this.log.debug({ node: this.nodeId, client: h.ip, waiting: this.held.length }, 'connection waiting for a slot (max.connections)');
  }

  /** Count the connection's creation and start it, unless the rate throttles it first. */
  private tryStart(h: Held): void {
    if (!h.rated) {
      h.rated = true;
      const throttleMs = this.recordCreation(h.listener);
      if (throttleMs > 0) {
        this.figures.throttledByRate++;
        this.state(h.listener).blockedUntil = this.clock.now() + throttleMs;
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
    this.state(h.listener).open++;
    h.socket.once('close', () => this.release(h.ip, h.listener));
    h.socket.resume();
    h.start();
  }

  private release(ip: string, listener: string): void {
    const n = (this.perIp.get(ip) ?? 1) - 1;
    if (n <= 0) this.perIp.delete(ip);
    else this.perIp.set(ip, n);
    this.total--;
    this.state(listener).open--;
    this.drain();
  }

  /**
   * Admit held sockets while slots are free and no throttle is running, in arrival order per
   * listener (each listener is its own Acceptor: one that must wait does not hold up the others).
   */
  private drain(): void {
    const waiting = new Set<string>();
    for (let i = 0; i < this.held.length; ) {
      const h = this.held[i]!;
      if (h.socket.destroyed) {
        this.held.splice(i, 1);
        continue;
      }
      if (waiting.has(h.listener)) {
        i++;
        continue;
      }
      const now = this.clock.now();
      const until = this.state(h.listener).blockedUntil;
      if (now < until) this.schedule(until - now);
      if (!this.slotFree(h.listener)) {
        waiting.add(h.listener);
        i++;
        continue;
      }
      this.held.splice(i, 1);
      // Starting one changes the counts, and a throttled one goes back to the front (tryStart):
      // look again from the start (each pass starts, drops or sets aside at least one).
      this.tryStart(h);
      waiting.clear();
      i = 0;
    }
  }

  /** One timer, at the earliest throttle's end. */
  private schedule(ms: number): void {
    const at = this.clock.now() + ms;
    if (this.timer && this.timerAt <= at) return;
    this.timer?.cancel();
    this.timerAt = at;
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.drain();
    }, ms);
  }

  /**
   * Record one connection creation on its listener's rate and the broker-wide one (not for the
   * protected inter-broker listener); the longer throttle (ms) when over
   * listener.name.<l>.max.connection.creation.rate or max.connection.creation.rate.
   */
  private recordCreation(listener: string): number {
    const now = this.clock.now();
    const own = this.throttleOf(this.state(listener).rate, this.settings.maxListenerCreationRate(listener), now);
    return this.protectedListener(listener) ? own : Math.max(own, this.throttleOf(this.rate, this.settings.maxCreationRate(), now));
  }

  private throttleOf(rate: Rate, bound: number, now: number): number {
    if (bound >= NO_LIMIT) return 0;
    rate.record(1, now);
    const observed = rate.measure(now);
    if (observed <= bound) return 0;
    return Math.min(rateThrottleMs(observed, bound, rate.windowSize(now)), this.settings.window.windowMs * this.settings.window.samples);
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
