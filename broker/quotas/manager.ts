// QuotaManager: quota enforcement as Kafka's ClientQuotaManager, ClientRequestQuotaManager and
// ControllerMutationQuotaManager do it, on the broker clock. Each quota type keeps one sensor per
// metric-tag pair (user, client-id), the pair chosen by DefaultQuotaCallback.quotaMetricTags, so
// clients sharing a quota entity share its rate. A type records nothing until some entity sets
// its key (Kafka's quotasEnabled). The limits are read from ClientQuotaStore on each use, so an
// alteration applies at once, to the samples already kept.
//
// Throttle times: produce and fetch byte rates and request time use Kafka's Rate over
// quota.window.num samples of quota.window.size.seconds; the request throttle is capped at one
// window (ClientRequestQuotaManager). controller_mutation_rate uses a token bucket over
// controller.quota.window.num x controller.quota.window.size.seconds (KIP-599).

import type { BrokerConfig } from '../../config/index.js';
import type { Clock } from '../../storage/clock.js';
import type { RequestContext } from '../handler.js';
import { CONSUMER_BYTE_RATE, CONTROLLER_MUTATION_RATE, PRODUCER_BYTE_RATE, REQUEST_PERCENTAGE } from './entity.js';
import { Rate, TokenBucket, bucketThrottleMs, rateThrottleMs, type WindowConfig } from './rate.js';
import type { ClientQuotaStore } from './store.js';

/** Kafka's QuotaType names, as its metrics group them. */
export type QuotaType = 'Produce' | 'Fetch' | 'Request' | 'ControllerMutation';

const KEY_OF: Record<QuotaType, string> = {
  Produce: PRODUCER_BYTE_RATE,
  Fetch: CONSUMER_BYTE_RATE,
  Request: REQUEST_PERCENTAGE,
  ControllerMutation: CONTROLLER_MUTATION_RATE,
};

/** Without SASL every connection is this principal (Kafka's KafkaPrincipal.ANONYMOUS). */
export const ANONYMOUS = 'User:ANONYMOUS';

interface Sensor {
  readonly type: QuotaType;
  readonly user: string;
  readonly clientId: string;
  rate: Rate;
  bucket: TokenBucket | null;
  /** Throttles applied: count, total and largest ms (Kafka's throttle-time sensor). */
  throttles: number;
  throttleMsTotal: number;
  throttleMsMax: number;
}

export interface ThrottleFigure {
  type: QuotaType;
  user: string;
  clientId: string;
  throttles: number;
  throttleMsTotal: number;
  throttleMsMax: number;
}

/** A mutation quota for one request (strict from the versions that carry THROTTLING_QUOTA_EXCEEDED). */
export interface MutationQuota {
  /** Take `permits` (partitions created or deleted); false when strict and the quota is already exceeded. */
  record(permits: number): boolean;
  /** The throttle the request earned, less the time since it was computed. */
  throttleMs(): number;
}

const UNBOUNDED: MutationQuota = { record: () => true, throttleMs: () => 0 };

export class QuotaManager {
  private readonly sensors = new Map<string, Sensor>();
  /** Connection creation rates per client address. */
  private readonly connectionRates = new Map<string, Rate>();
  private readonly window: WindowConfig;
  private readonly controllerWindow: WindowConfig;

  constructor(
    private readonly store: ClientQuotaStore,
    config: BrokerConfig,
    private readonly clock: Clock,
  ) {
    this.window = { samples: config.int('quota.window.num'), windowMs: config.int('quota.window.size.seconds') * 1000 };
    this.controllerWindow = {
      samples: config.int('controller.quota.window.num'),
      windowMs: config.int('controller.quota.window.size.seconds') * 1000,
    };
  }

  /** Whether any entity sets a quota of this type. */
  enabled(type: QuotaType): boolean {
    return this.store.shapes(KEY_OF[type]).any;
  }

  /** Record produce request bytes; the throttle time (0: within quota). */
  recordProduce(ctx: RequestContext, bytes: number): number {
    return this.recordRate('Produce', ctx, bytes);
  }

  /** Record fetch response bytes; the throttle time. */
  recordFetch(ctx: RequestContext, bytes: number): number {
    return this.recordRate('Fetch', ctx, bytes);
  }

  /** A throttled fetch returns no data: take its bytes back (ClientQuotaManager.unrecordQuotaSensor). */
  unrecordFetch(ctx: RequestContext, bytes: number): void {
    if (!this.enabled('Fetch')) return;
    this.sensor('Fetch', ctx).rate.record(-bytes, this.clock.now());
  }

  /** Record request handler time; the throttle time, at most one quota window. */
  recordRequestTime(ctx: RequestContext, ms: number): number {
    // ClientRequestQuotaManager: nanoseconds x 100 / 1e9 = percent of one thread for one second.
    const t = this.recordRate('Request', ctx, ms / 10);
    return Math.min(t, this.window.windowMs);
  }

  /** Kafka caps a consumer's fetch size to what one quota window (less one sample) lets through. */
  fetchMaxBytes(ctx: RequestContext, fromFollower = false): number {
    if (fromFollower || !this.enabled('Fetch')) return Number.MAX_SAFE_INTEGER;
    const s = this.sensor('Fetch', ctx);
    const bound = this.limit('Fetch', s.user, s.clientId);
    if (bound === undefined) return Number.MAX_SAFE_INTEGER;
    return Math.floor(bound * (this.window.samples - 1) * (this.window.windowMs / 1000));
  }

  /** The mutation quota of a CreateTopics/DeleteTopics/CreatePartitions request. */
  mutationQuota(ctx: RequestContext, strict: boolean): MutationQuota {
    if (!this.enabled('ControllerMutation')) return UNBOUNDED;
    const s = this.sensor('ControllerMutation', ctx);
    s.bucket ??= new TokenBucket(this.controllerWindow);
    const bucket = s.bucket;
    let lastThrottle = 0;
    let lastAt = 0;
    const clock = this.clock;
    const limit = () => this.limit('ControllerMutation', s.user, s.clientId);
    return {
      record(permits: number): boolean {
        const bound = limit();
        const now = clock.now();
        s.rate.record(permits, now);
        if (bound === undefined) return true;
        if (strict) {
          const tokens = bucket.measure(bound, now);
          if (tokens < 0) {
            lastThrottle = bucketThrottleMs(tokens, bound);
            lastAt = now;
            return false;
          }
          bucket.record(bound, permits, now);
          return true;
        }
        bucket.record(bound, permits, now);
        const tokens = bucket.measure(bound, now);
        if (tokens < 0) {
          lastThrottle = bucketThrottleMs(tokens, bound);
          lastAt = now;
        }
        return true;
      },
      throttleMs: () => Math.max(0, lastThrottle - (clock.now() - lastAt)),
    };
  }

  /**
   * A new connection from `ip` against its connection_creation_rate (the ip's own quota, else the
   * default ip's): the throttle time, at most one quota window, 0 to accept it. A refused
   * connection is not counted (Kafka's ConnectionQuotas.recordIpConnectionMaybeThrottle).
   */
  recordConnection(ip: string): number {
    const addr = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
    if (!this.store.hasIpQuotas()) return 0;
    const bound = this.store.ipValue(addr) ?? this.store.ipValue(null);
    if (bound === undefined) return 0;
    let rate = this.connectionRates.get(addr);
    if (!rate) {
      rate = new Rate(this.window);
      this.connectionRates.set(addr, rate);
    }
    const now = this.clock.now();
    rate.record(1, now);
    const observed = rate.measure(now);
    if (observed <= bound) return 0;
    rate.record(-1, now);
    return Math.min(rateThrottleMs(observed, bound, rate.windowSize(now)), this.window.windowMs);
  }

  /** Count a throttle applied to a connection (Kafka's <type>ThrottleTime sensor). */
  noteThrottle(type: QuotaType, ctx: RequestContext, ms: number): void {
    if (ms <= 0) return;
    const s = this.sensor(type, ctx);
    s.throttles++;
    s.throttleMsTotal += ms;
    s.throttleMsMax = Math.max(s.throttleMsMax, ms);
  }

  /** Forget every rate and throttle figure (the test kit's reset). */
  clear(): void {
    this.sensors.clear();
    this.connectionRates.clear();
  }

  /** Throttle figures per quota type and metric tags, for /metrics. */
  figures(): ThrottleFigure[] {
    return [...this.sensors.values()].map((s) => ({
      type: s.type,
      user: s.user,
      clientId: s.clientId,
      throttles: s.throttles,
      throttleMsTotal: s.throttleMsTotal,
      throttleMsMax: s.throttleMsMax,
    }));
  }

  private recordRate(type: QuotaType, ctx: RequestContext, value: number): number {
    if (!this.enabled(type)) return 0;
    const s = this.sensor(type, ctx);
    const now = this.clock.now();
    s.rate.record(value, now);
    const bound = this.limit(type, s.user, s.clientId);
    if (bound === undefined) return 0;
    const observed = s.rate.measure(now);
    if (observed <= bound) return 0;
    return rateThrottleMs(observed, bound, s.rate.windowSize(now));
  }

  private sensor(type: QuotaType, ctx: RequestContext): Sensor {
    const principal = ctx.connection.principal ?? ANONYMOUS;
    const user = principal.slice(principal.indexOf(':') + 1);
    const [userTag, clientTag] = this.metricTags(KEY_OF[type], user, ctx.header.clientId ?? '');
    const key = `${type}\u0000${userTag}\u0000${clientTag}`;
    let s = this.sensors.get(key);
    if (!s) {
      s = {
        type,
        user: userTag,
        clientId: clientTag,
        rate: new Rate(type === 'ControllerMutation' ? this.controllerWindow : this.window),
        bucket: null,
        throttles: 0,
        throttleMsTotal: 0,
        throttleMsMax: 0,
      };
      this.sensors.set(key, s);
    }
    return s;
  }

  /** DefaultQuotaCallback.quotaMetricTags: the (user, client-id) pair whose quota applies. */
  private metricTags(key: string, user: string, clientId: string): [string, string] {
    const shapes = this.store.shapes(key);
    const kinds = Number(shapes.clientOnly) + Number(shapes.userOnly) + Number(shapes.both);
    if (kinds <= 1) {
      if (shapes.userOnly) return [user, ''];
      if (shapes.both) return [user, clientId];
      return ['', clientId];
    }
    const has = (u: string | null | undefined, c: string | null | undefined) => this.store.value(key, u, c) !== undefined;
    if (has(user, clientId) || has(user, null)) return [user, clientId];
    if (has(user, undefined)) return [user, ''];
    if (has(null, clientId) || has(null, null)) return [user, clientId];
    if (has(null, undefined)) return [user, ''];
    return ['', clientId];
  }

  /** DefaultQuotaCallback.quotaLimit: the most specific quota for these tags, or undefined. */
  private limit(type: QuotaType, user: string, clientId: string): number | undefined {
    const key = KEY_OF[type];
    const v = (u: string | null | undefined, c: string | null | undefined) => this.store.value(key, u, c);
    if (user !== '' && clientId !== '') return v(user, clientId) ?? v(user, null) ?? v(null, clientId) ?? v(null, null);
    if (user !== '') return v(user, undefined) ?? v(null, undefined);
    if (clientId !== '') return v(undefined, clientId) ?? v(undefined, null);
    return undefined;
  }
}
