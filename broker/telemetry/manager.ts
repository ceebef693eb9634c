// Client telemetry (KIP-714): the one owner of client instance ids, their subscriptions, push
// timing and the latest push of each client. GetTelemetrySubscriptions (71) and PushTelemetry
// (72) call it; /metrics, the HTTP API and the console read the latest pushes.
//
// Behaviour follows Kafka's ClientMetricsManager and ClientMetricsInstance
// (server/src/main/java/org/apache/kafka/server/ClientMetricsManager.java):
// - A zero client instance id gets a new random one. An instance is created on its first
//   request with the metadata of that request (client id, the client software name and version
//   its ApiVersions reported, source address and port) and matched against every CLIENT_METRICS
//   subscription (broker/telemetry/client-metrics-configs.ts): the union of the matching
//   subscriptions' metrics ("*" alone if any says "*"), the smallest interval (default 300000).
// - Subscription id: CRC-32C of the metric set and the interval, XORed with the instance id's
//   Java hashCode. A subscription change re-evaluates instances on their next request.
// - Get: refused with THROTTLING_QUOTA_EXCEEDED before an interval has passed since the last
//   Get or push. Push: INVALID_REQUEST after a terminating push; THROTTLING_QUOTA_EXCEEDED
//   before the interval (except the first push after a Get, which the client jitters, and
//   terminating pushes); then UNKNOWN_SUBSCRIPTION_ID, UNSUPPORTED_COMPRESSION_TYPE,
//   TELEMETRY_TOO_LARGE (`telemetry.max.bytes`). An instance is forgotten when its connection
//   closes or after max(60 s, 3 intervals) without a request; at most 16384 are tracked.
// - kafkalite's own part (Kafka hands the payload to a receiver plugin): the payload is
//   decompressed and decoded (broker/telemetry/otlp.ts) and kept as the client's latest push;
//   undecodable payloads get INVALID_RECORD, as Kafka answers when its receiver fails. Pushes
//   are kept for max(60 s, 3 intervals) after they arrive and for at most MAX_CLIENTS clients.
// - Default subscription (kafkalite): while no CLIENT_METRICS resource exists, every client is
//   subscribed to all metrics ("*") every DEFAULT_SUBSCRIPTION_INTERVAL_MS, so /metrics shows
//   clients without any setup. Once a resource exists, Kafka's rules apply exactly (a client
//   matching none is asked for no metrics).

import { randomUUID } from 'node:crypto';
import CRC32C from 'crc-32/crc32c.js';
import type { Logger } from 'pino';
import { errorCodeByName } from '../../protocol/errors.js';
import { Codec, codecAvailable } from '../../protocol/records/compression.js';
import type { Clock, TimerHandle } from '../../storage/clock.js';
import type { ConnectionInfo } from '../handler.js';
import { ALL_METRICS, type ClientMetricsConfigs, DEFAULT_INTERVAL_MS, type MatchSelector } from './client-metrics-configs.js';
import { decodeMetrics, type MetricPoint, Temporality } from './otlp.js';

export const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';
/** Uuid.METADATA_TOPIC_ID: reserved, like the zero id. */
const METADATA_TOPIC_ID = 'AAAAAAAAAAAAAAAAAAAAAQ';
/** kafkalite's default subscription interval (no CLIENT_METRICS resource exists). */
export const DEFAULT_SUBSCRIPTION_INTERVAL_MS = 30_000;
/** Kafka's ClientMetricsManager cache expiry floor. */
const EXPIRY_FLOOR_MS = 60_000;
/** Client instances tracked at most (Kafka's ClientMetricsManager LRU cache size); the least recently seen go first. */
const MAX_INSTANCES = 16_384;
/** Latest pushes kept, by client instance (oldest dropped first). */
export const MAX_CLIENTS = 1000;
/** Kafka's accepted list, in its order (zstd, lz4, gzip, snappy), less codecs this machine cannot decompress. */
const ACCEPTED_COMPRESSION = [Codec.ZSTD, Codec.LZ4, Codec.GZIP, Codec.SNAPPY];

const code = (name: string) => errorCodeByName(name) ?? -1;

/** Who a client instance is (ClientMetricsInstanceMetadata). */
export interface ClientIdentity {
  clientInstanceId: string;
  clientId: string;
  clientSoftwareName: string;
  clientSoftwareVersion: string;
  clientSourceAddress: string;
  clientSourcePort: string;
}

/** A client's latest push, as /metrics, the HTTP API and the console show it. */
export interface ClientPush extends ClientIdentity {
  /** When the push arrived (the broker's clock), ms since the epoch. */
  receivedAt: number;
  pushIntervalMs: number;
  compressionType: number;
  /** Bytes of the payload as sent (compressed). */
  bytes: number;
  pushes: number;
  terminating: boolean;
  /** OTLP resource attributes the client reported. */
  resource: Record<string, string>;
  points: MetricPoint[];
  /** Running totals of delta-temporality monotonic sums, by series key (see seriesKey). */
  totals: Map<string, number>;
}

interface Instance {
  identity: ClientIdentity;
  subscriptionId: number;
  subscriptionVersion: number;
  metrics: string[];
  intervalMs: number;
  lastGet: number;
  lastPush: number;
  terminating: boolean;
  /** The error of the instance's last push (0: none); Kafka's lastKnownError. */
  lastError: number;
  connectionId: number;
  expiry: TimerHandle | null;
}

export interface GetResult {
  errorCode: number;
  clientInstanceId: string;
  subscriptionId: number;
  acceptedCompressionTypes: number[];
  pushIntervalMs: number;
  telemetryMaxBytes: number;
  deltaTemporality: boolean;
  requestedMetrics: string[];
}

export interface PushRequest {
  clientInstanceId: string;
  subscriptionId: number;
  terminating: boolean;
  compressionType: number;
  metrics: Buffer;
}

/** Identifies one series of a client's metric: name and sorted attributes. */
export function seriesKey(p: Pick<MetricPoint, 'name' | 'attributes'>): string {
  const attrs = Object.entries(p.attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${p.name}{${attrs.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`;
}

/** Java's Uuid.hashCode: (int)(h ^ h >>> 32) with h = msb ^ lsb. */
function uuidHashCode(id: string): number {
  const b = Buffer.from(id, 'base64url');
  const h = b.readBigUInt64BE(0) ^ b.readBigUInt64BE(8);
  return Number(BigInt.asIntN(32, h ^ (h >> 32n)));
}

function randomKafkaUuid(): string {
  const b = Buffer.from(randomUUID().replace(/-/g, ''), 'hex');
  return b.toString('base64url');
}

export class ClientTelemetry {
  readonly configs: ClientMetricsConfigs;
  private readonly instances = new Map<string, Instance>();
  /** Connection id → the client instance last seen on it (Kafka's clientConnectionIdMap). */
  private readonly byConnection = new Map<number, string>();
  private readonly watched = new WeakSet<AbortSignal>();
  private readonly latest = new Map<string, ClientPush>();

  /** `configs`: the subscriptions, owned by BrokerCore (core.clientMetrics), read here. */
  constructor(private readonly deps: { clock: Clock; log: Logger; configs: ClientMetricsConfigs; maxBytes: () => number }) {
    this.configs = deps.configs;
  }

  /** Forget every instance (broker stop): cancels the expiry timers. */
  close(): void {
    for (const inst of this.instances.values()) inst.expiry?.cancel();
    this.instances.clear();
    this.byConnection.clear();
  }

  /** Forget every client instance and push (the test kit's reset); subscriptions stay. */
  forgetClients(): void {
    this.close();
    this.latest.clear();
  }

  get acceptedCompressionTypes(): number[] {
    return ACCEPTED_COMPRESSION.filter(codecAvailable);
  }

  // ---------------------------------------------------------------------------------------
  // GetTelemetrySubscriptions

  getSubscriptions(requestedId: string, conn: ConnectionInfo, clientId: string | null): GetResult {
    const now = this.deps.clock.now();
    const id = requestedId === ZERO_UUID ? this.newInstanceId() : requestedId;
    const inst = this.instance(id, conn, clientId);
    // Kafka's check (ClientMetricsManager.validateGetRequest): a Get within the interval since
    // the last Get or push is refused, unless the last push failed for a stale subscription id or
    // a compression type (the client must then fetch its subscription again at once).
    const early = now - Math.max(inst.lastGet, inst.lastPush) < inst.intervalMs;
    if (early && inst.lastError !== code('UNKNOWN_SUBSCRIPTION_ID') && inst.lastError !== code('UNSUPPORTED_COMPRESSION_TYPE')) {
      this.deps.log.debug({ clientInstanceId: id }, `Request from the client [${requestedId}] arrived before the next push interval time`);
      return { ...EMPTY_GET, errorCode: code('THROTTLING_QUOTA_EXCEEDED') };
    }
    if (!early) inst.lastGet = now;
    inst.lastError = 0;
    return {
      errorCode: 0,
      clientInstanceId: id,
      subscriptionId: inst.subscriptionId,
      acceptedCompressionTypes: this.acceptedCompressionTypes,
      pushIntervalMs: inst.intervalMs,
      telemetryMaxBytes: this.deps.maxBytes(),
      deltaTemporality: true,
      requestedMetrics: [...inst.metrics],
    };
  }

  // ---------------------------------------------------------------------------------------
  // PushTelemetry

  /** The error code to answer (0 on success) and, for errors, Kafka's message (logged). */
  push(req: PushRequest, conn: ConnectionInfo, clientId: string | null): { errorCode: number; message: string | null } {
    const id = req.clientInstanceId;
    if (id === ZERO_UUID || id === METADATA_TOPIC_ID) {
      return this.refuse('INVALID_REQUEST', `Invalid request from the client [${id}], invalid client instance id`);
    }
    const now = this.deps.clock.now();
    const inst = this.instance(id, conn, clientId);
    const problem = this.validatePush(req, inst, now);
    inst.terminating = req.terminating;
    inst.lastError = problem?.errorCode ?? 0;
    if (problem) return problem;
    if (req.metrics.length > 0) {
      let decoded: ReturnType<typeof decodeMetrics>;
      try {
        decoded = decodeMetrics(req.metrics, req.compressionType);
      } catch (err) {
        this.deps.log.warn({ clientInstanceId: id, err: (err as Error).message }, 'could not decode a client telemetry push');
        inst.lastError = code('INVALID_RECORD');
        return { errorCode: code('INVALID_RECORD'), message: null };
      }
      this.keep(inst, req, decoded.resource, decoded.points, now);
    } else if (req.terminating) {
      const prev = this.latest.get(id);
      if (prev) prev.terminating = true;
    }
    return { errorCode: 0, message: null };
  }

  private validatePush(req: PushRequest, inst: Instance, now: number): { errorCode: number; message: string } | null {
    const id = req.clientInstanceId;
    if (inst.terminating) {
      // Kafka's message, its missing space included.
      return this.refuse(
        'INVALID_REQUEST',
        `Client [${id}] sent the previous request with state terminating to TRUE, can not acceptany requests after that`,
      );
    }
    // The first push after a Get is accepted early: the client jitters it (0.5 to 1.5 intervals).
    const canAccept = inst.lastGet > inst.lastPush || now - inst.lastPush >= inst.intervalMs;
    if (canAccept) inst.lastPush = now;
    else if (!req.terminating) {
      return this.refuse('THROTTLING_QUOTA_EXCEEDED', `Request from the client [${id}] arrived before the next push interval time`);
    }
    if (req.subscriptionId !== inst.subscriptionId) {
      return this.refuse('UNKNOWN_SUBSCRIPTION_ID', `Unknown client subscription id for the client [${id}]`);
    }
    if (req.compressionType < 0 || req.compressionType > 4) {
      return this.refuse(
        'UNSUPPORTED_COMPRESSION_TYPE',
        `Unknown compression type [${req.compressionType}] is received in telemetry request from [${id}]`,
      );
    }
    const max = this.deps.maxBytes();
    if (req.metrics.length > max) {
      return this.refuse('TELEMETRY_TOO_LARGE', `Telemetry request from [${id}] is larger than the maximum allowed size [${max}]`);
    }
    return null;
  }

  private refuse(name: string, message: string): { errorCode: number; message: string } {
    this.deps.log.debug({ error: name }, message);
    return { errorCode: code(name), message };
  }

  // ---------------------------------------------------------------------------------------
  // Instances

  private newInstanceId(): string {
    let id = randomKafkaUuid();
    while (this.instances.has(id) || id === ZERO_UUID || id === METADATA_TOPIC_ID) id = randomKafkaUuid();
    return id;
  }

  /** The cached instance, re-evaluated when subscriptions changed, or a new one; its expiry restarted. */
  private instance(id: string, conn: ConnectionInfo, clientId: string | null): Instance {
    let inst = this.instances.get(id);
    if (!inst || inst.subscriptionVersion < this.configs.updateVersion) {
      const identity: ClientIdentity = inst?.identity ?? {
        clientInstanceId: id,
        clientId: clientId ?? '',
        clientSoftwareName: conn.clientSoftware?.name ?? 'unknown',
        clientSoftwareVersion: conn.clientSoftware?.version ?? 'unknown',
        clientSourceAddress: conn.remoteAddress,
        clientSourcePort: String(conn.remotePort),
      };
      inst?.expiry?.cancel();
      inst = this.create(identity, conn.id);
      this.byConnection.set(conn.id, id);
    }
    // Most recently seen last, so the cap drops the least recently seen.
    this.instances.delete(id);
    this.instances.set(id, inst);
    while (this.instances.size > MAX_INSTANCES) {
      const [oldest, evicted] = this.instances.entries().next().value!;
      evicted.expiry?.cancel();
      this.instances.delete(oldest);
    }
    this.watch(conn);
    const created = inst;
    created.expiry?.cancel();
    created.expiry = this.deps.clock.setTimeout(
      () => {
        if (this.instances.get(id) === created) this.instances.delete(id);
        if (this.byConnection.get(created.connectionId) === id) this.byConnection.delete(created.connectionId);
      },
      Math.max(EXPIRY_FLOOR_MS, created.intervalMs * 3),
    );
    return created;
  }

  private create(identity: ClientIdentity, connectionId: number): Instance {
    let metrics: string[];
    let intervalMs: number;
    if (this.configs.empty) {
      metrics = [ALL_METRICS];
      intervalMs = DEFAULT_SUBSCRIPTION_INTERVAL_MS;
    } else {
      const set = new Set<string>();
      intervalMs = DEFAULT_INTERVAL_MS;
      for (const s of this.configs.subscriptions()) {
        if (!matches(identity, s.match)) continue;
        for (const m of s.metrics) set.add(m);
        intervalMs = Math.min(intervalMs, s.intervalMs);
      }
      metrics = set.has(ALL_METRICS) ? [ALL_METRICS] : [...set].sort();
    }
    const crc = CRC32C.str(`[${metrics.join(', ')}]${intervalMs}`, 0);
    return {
      identity,
      subscriptionId: (crc ^ uuidHashCode(identity.clientInstanceId)) | 0,
      subscriptionVersion: this.configs.updateVersion,
      metrics,
      intervalMs,
      lastGet: Number.NEGATIVE_INFINITY,
      lastPush: Number.NEGATIVE_INFINITY,
      terminating: false,
      lastError: 0,
      connectionId,
      expiry: null,
    };
  }

  /** Kafka forgets the instance last seen on a connection when that connection closes. */
  private watch(conn: ConnectionInfo): void {
    if (this.watched.has(conn.signal)) return;
    this.watched.add(conn.signal);
    conn.signal.addEventListener(
      'abort',
      () => {
        const id = this.byConnection.get(conn.id);
        this.byConnection.delete(conn.id);
        const inst = id === undefined ? undefined : this.instances.get(id);
        if (inst && inst.connectionId === conn.id) {
          inst.expiry?.cancel();
          this.instances.delete(id!);
        }
      },
      { once: true },
    );
  }

  // ---------------------------------------------------------------------------------------
  // Latest pushes

  private keep(inst: Instance, req: PushRequest, resource: Record<string, string>, points: MetricPoint[], now: number): void {
    const id = inst.identity.clientInstanceId;
    const prev = this.latest.get(id);
    const totals = prev?.totals ?? new Map<string, number>();
    for (const p of points) {
      if (p.kind === 'sum' && p.monotonic) {
        const key = seriesKey(p);
        totals.set(key, p.temporality === Temporality.DELTA ? (totals.get(key) ?? 0) + p.value : p.value);
      }
    }
    this.latest.delete(id);
    this.latest.set(id, {
      ...inst.identity,
      receivedAt: now,
      pushIntervalMs: inst.intervalMs,
      compressionType: req.compressionType,
      bytes: req.metrics.length,
      pushes: (prev?.pushes ?? 0) + 1,
      terminating: req.terminating,
      resource,
      points,
      totals,
    });
    this.prune(now);
  }

  private prune(now: number): void {
    for (const [id, p] of this.latest) {
      if (now - p.receivedAt > Math.max(EXPIRY_FLOOR_MS, 3 * p.pushIntervalMs)) this.latest.delete(id);
    }
    while (this.latest.size > MAX_CLIENTS) this.latest.delete(this.latest.keys().next().value!);
  }

  /** The latest push of every client heard from recently, most recent last. */
  clients(): ClientPush[] {
    this.prune(this.deps.clock.now());
    return [...this.latest.values()];
  }

  client(clientInstanceId: string): ClientPush | undefined {
    this.prune(this.deps.clock.now());
    return this.latest.get(clientInstanceId);
  }

  /** Client instances the broker currently tracks (Kafka's client-metrics instance-count). */
  get instanceCount(): number {
    return this.instances.size;
  }
}

const EMPTY_GET: GetResult = {
  errorCode: 0,
  clientInstanceId: ZERO_UUID,
  subscriptionId: 0,
  acceptedCompressionTypes: [],
  pushIntervalMs: 0,
  telemetryMaxBytes: 0,
  deltaTemporality: false,
  requestedMetrics: [],
};

/** ClientMetricsInstanceMetadata.isMatch: every selector's regex matches the whole value. */
function matches(identity: ClientIdentity, match: ReadonlyMap<MatchSelector, RegExp>): boolean {
  const value: Record<MatchSelector, string> = {
    client_instance_id: identity.clientInstanceId,
    client_id: identity.clientId,
    client_software_name: identity.clientSoftwareName,
    client_software_version: identity.clientSoftwareVersion,
    client_source_address: identity.clientSourceAddress,
    client_source_port: identity.clientSourcePort,
  };
  for (const [selector, re] of match) if (!re.test(value[selector])) return false;
  return true;
}
