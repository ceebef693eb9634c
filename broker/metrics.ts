// Prometheus metrics of one broker (prom-client), served by the HTTP server at GET /metrics.
//
// Each BrokerMetrics owns its own Registry: many brokers can run in one process (tests), and
// nothing is registered globally. Work on the request path is a dispatcher interceptor that
// counts requests, errors and latency per API, and bytes/records out for Fetch. Everything
// else is read when Prometheus scrapes: per-partition log end offset and size, bytes and
// records in (counters Partition.append keeps), consumer group lag (GroupsView), open
// connections, client quota throttles. Process metrics (CPU, memory, event loop, GC) only when asked
// (the CLI). The clients' own metrics, pushed over KIP-714, follow as kafkalite_client_* families.

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { errorName } from '../protocol/errors.js';
import type { ApiSpec } from '../protocol/schema.js';
import type { SharePartitionSummary } from './share/manager.js';
import type { BrokerCore } from './core.js';
import { keepsNothing, type Interceptor } from './dispatcher.js';
import type { HandlerResult } from './handler.js';
import type { GroupsView } from './http/groups-view.js';
import { clientMetricsText } from './telemetry/prometheus.js';
import type { ThrottleFigure } from './quotas/manager.js';

export interface MetricsSources {
  /** Open client connections per node. */
  connections(): Array<{ nodeId: number; open: number }>;
  groups: GroupsView;
}

const FETCH_KEY = 1;
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export class BrokerMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'api'>;
  private readonly errors: Counter<'api' | 'error'>;
  private readonly latency: Histogram<'api'>;
  private readonly bytesOut: Counter<'topic'>;
  private readonly recordsOut: Counter<'topic'>;
  private removeInterceptor: (() => void) | null = null;

  constructor(
    private readonly core: BrokerCore,
    sources: MetricsSources,
    opts: { processMetrics?: boolean } = {},
  ) {
    const registers = [this.registry];
    const topics = core.topics;
    this.requests = new Counter({
      name: 'kafkalite_requests_total',
      help: 'Kafka requests handled, by API',
      labelNames: ['api'],
      registers,
    });
    this.errors = new Counter({
      name: 'kafkalite_request_errors_total',
      help: 'Error codes in responses (one per failed partition, group or resource, as Kafka counts them), by API and error',
      labelNames: ['api', 'error'],
      registers,
    });
    this.latency = new Histogram({
      name: 'kafkalite_request_duration_seconds',
      help: 'Time from decoded request to response, by API',
      labelNames: ['api'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.bytesOut = new Counter({
      name: 'kafkalite_topic_bytes_out_total',
      help: 'Record batch bytes sent to fetchers, by topic',
      labelNames: ['topic'],
      registers,
    });
    this.recordsOut = new Counter({
      name: 'kafkalite_topic_records_out_total',
      help: 'Records sent to fetchers, by topic',
      labelNames: ['topic'],
      registers,
    });

    // Appends are counted by each Partition; these report the sums at scrape time.
    new Counter({
      name: 'kafkalite_topic_bytes_in_total',
      help: 'Record batch bytes appended, by topic (since the topic was opened)',
      labelNames: ['topic'],
      registers,
      collect() {
        this.reset();
        for (const t of topics.all())
          this.inc(
            { topic: t.name },
            t.partitions.reduce((s, p) => s + p.bytesIn, 0),
          );
      },
    });
    new Counter({
      name: 'kafkalite_topic_records_in_total',
      help: 'Records appended, by topic (since the topic was opened)',
      labelNames: ['topic'],
      registers,
      collect() {
        this.reset();
        for (const t of topics.all())
          this.inc(
            { topic: t.name },
            t.partitions.reduce((s, p) => s + p.recordsIn, 0),
          );
      },
    });
    const perPartition = (name: string, help: string, value: (p: import('./partition.js').Partition) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['topic', 'partition'],
        registers,
        collect() {
          this.reset();
          for (const t of topics.all()) for (const p of t.partitions) this.set({ topic: t.name, partition: String(p.index) }, value(p));
        },
      });
    perPartition('kafkalite_partition_log_end_offset', 'Offset the next appended record gets', (p) => p.log.logEndOffset);
    perPartition('kafkalite_partition_log_start_offset', 'First offset still readable', (p) => p.log.logStartOffset);
    perPartition('kafkalite_partition_size_bytes', 'Bytes stored for the partition', (p) => p.log.size);
    new Gauge({
      name: 'kafkalite_consumer_group_lag',
      help: 'Log end offset minus the committed offset, by group and partition',
      labelNames: ['group', 'topic', 'partition'],
      registers,
      collect() {
        this.reset();
        for (const l of sources.groups.allLag()) this.set({ group: l.group, topic: l.topic, partition: String(l.partition) }, l.lag);
      },
    });
    new Gauge({
      name: 'kafkalite_consumer_group_committed_offset',
      help: 'Committed offset, by group and partition',
      labelNames: ['group', 'topic', 'partition'],
      registers,
      collect() {
        this.reset();
        for (const l of sources.groups.allLag())
          this.set({ group: l.group, topic: l.topic, partition: String(l.partition) }, l.committedOffset);
      },
    });
    new Gauge({
      name: 'kafkalite_share_group_members',
      help: 'Members of each share group (KIP-932)',
      labelNames: ['group'],
      registers,
      collect() {
        this.reset();
        for (const g of sources.groups.list()) if (g.type === 'share') this.set({ group: g.groupId }, g.members);
      },
    });
    // Share partitions (broker/share/manager.ts): start offset and records in flight per group, and the
    // acknowledgement totals since start.
    const shareGauge = (name: string, help: string, value: (p: SharePartitionSummary) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['group', 'topic', 'partition'],
        registers,
        collect() {
          this.reset();
          for (const g of sources.groups.list()) {
            if (g.type !== 'share') continue;
            for (const p of core.share.describe(g.groupId))
              this.set({ group: g.groupId, topic: p.topic, partition: String(p.partition) }, value(p));
          }
        },
      });
    shareGauge(
      'kafkalite_share_partition_start_offset',
      'Share-partition start offset (SPSO), by share group and partition',
      (p) => p.startOffset,
    );
    shareGauge(
      'kafkalite_share_partition_in_flight',
      'Records acquired and not yet acknowledged, by share group and partition',
      (p) => p.inFlight,
    );
    new Gauge({
      name: 'kafkalite_share_records',
      help: 'Share-group records since start, by outcome (acknowledged, released, archived), and in flight now',
      labelNames: ['state'],
      registers,
      collect() {
        this.reset();
        const t = core.share.totals();
        for (const state of ['acknowledged', 'released', 'archived', 'inFlight'] as const) this.set({ state }, t[state]);
      },
    });
    new Gauge({
      name: 'kafkalite_connections_open',
      help: 'Open Kafka client connections, by node',
      labelNames: ['node'],
      registers,
      collect() {
        this.reset();
        for (const c of sources.connections()) this.set({ node: String(c.nodeId) }, c.open);
      },
    });
    new Gauge({
      name: 'kafkalite_topics',
      help: 'Topics, internal ones included',
      registers,
      collect() {
        this.set(topics.size);
      },
    });
    // SASL authentications (broker/security/sasl/manager.ts), as Kafka's successful-/failed-authentication-total.
    new Counter({
      name: 'kafkalite_sasl_authentications_total',
      help: 'SASL authentications by listener, mechanism and result (success, reauthentication, failure)',
      labelNames: ['listener', 'mechanism', 'result'],
      registers,
      collect() {
        this.reset();
        for (const f of core.sasl.authFigures()) this.inc({ listener: f.listener, mechanism: f.mechanism, result: f.result }, f.count);
      },
    });
    new Gauge({
      name: 'kafkalite_telemetry_clients',
      help: 'Clients whose latest metrics push (KIP-714) is shown as kafkalite_client_* metrics',
      registers,
      collect() {
        this.set(core.telemetryClients().length);
      },
    });
    // Client quota throttles (broker/quotas/manager.ts), per quota type and the metric tags Kafka
    // groups them by (its <type>ThrottleTime sensors): how often, how long in all, the longest.
    const throttle = (name: string, help: string, value: (f: ThrottleFigure) => number, kind: 'counter' | 'gauge') => {
      const def = {
        name,
        help,
        labelNames: ['quota', 'user', 'client_id'] as const,
        registers,
        collect(this: Counter<'quota' | 'user' | 'client_id'> | Gauge<'quota' | 'user' | 'client_id'>) {
          this.reset();
          for (const f of core.throttling.figures()) {
            const labels = { quota: f.type, user: f.user, client_id: f.clientId };
            if (this instanceof Counter) this.inc(labels, value(f));
            else this.set(labels, value(f));
          }
        },
      };
      if (kind === 'counter') new Counter(def);
      else new Gauge(def);
    };
    throttle(
      'kafkalite_quota_throttles_total',
      'Responses throttled by a client quota, by quota type, user and client-id',
      (f) => f.throttles,
      'counter',
    );
    throttle(
      'kafkalite_quota_throttle_time_ms_total',
      'Milliseconds connections were muted by a client quota, by quota type, user and client-id',
      (f) => f.throttleMsTotal,
      'counter',
    );
    throttle(
      'kafkalite_quota_throttle_time_ms_max',
      'Longest client quota throttle, by quota type, user and client-id',
      (f) => f.throttleMsMax,
      'gauge',
    );
    core.limits.register(this.registry, { Gauge, Counter });
    if (opts.processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** Start counting requests (an outermost dispatcher interceptor). Idempotent. */
  install(): void {
    if (this.removeInterceptor) return;
    const interceptors = this.core.dispatcher.interceptors;
    const icpt: Interceptor = async (req, next) => {
      const api = req.api.name;
      const started = process.hrtime.bigint();
      let result: HandlerResult<ApiSpec>;
      try {
        result = await next();
      } catch (err) {
        this.requests.inc({ api });
        this.errors.inc({ api, error: 'UNKNOWN_SERVER_ERROR' });
        throw err;
      }
      this.latency.observe({ api }, Number(process.hrtime.bigint() - started) / 1e9);
      this.requests.inc({ api });
      if (result !== null) {
        this.countErrors(api, result, 0);
        if (req.api.apiKey === FETCH_KEY) this.countFetched(result);
      }
      return result;
    };
    interceptors.unshift(keepsNothing(icpt));
    this.removeInterceptor = () => {
      const i = interceptors.indexOf(icpt);
      if (i >= 0) interceptors.splice(i, 1);
    };
  }

  /** Stop counting (broker stop). */
  uninstall(): void {
    this.removeInterceptor?.();
    this.removeInterceptor = null;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The broker's metrics, then the clients' pushed metrics (broker/telemetry/prometheus.ts). */
  async text(): Promise<string> {
    return (await this.registry.metrics()) + clientMetricsText(this.core.telemetryClients());
  }

  /** Count every non-zero `errorCode` in a response body (records skipped). */
  private countErrors(api: string, value: unknown, depth: number): void {
    if (depth > 6 || value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return;
    if (Array.isArray(value)) {
      for (const v of value) if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v)) this.countErrors(api, v, depth + 1);
      return;
    }
    for (const [k, v] of Object.entries(value)) {
      if (k === 'errorCode') {
        if (typeof v === 'number' && v !== 0) this.errors.inc({ api, error: errorName(v) });
      } else if (k !== 'records' && v !== null && typeof v === 'object') this.countErrors(api, v, depth + 1);
    }
  }

  /** Bytes and records of each fetched partition, by topic (name, or id from Fetch v13). */
  private countFetched(result: NonNullable<HandlerResult<ApiSpec>>): void {
    const responses = (
      result as { responses?: Array<{ topic?: string; topicId?: string; partitions?: Array<{ records?: Buffer | Buffer[] | null }> }> }
    ).responses;
    if (!responses) return;
    for (const t of responses) {
      let bytes = 0;
      let records = 0;
      for (const p of t.partitions ?? []) {
        const chunks = p.records === null || p.records === undefined ? [] : Array.isArray(p.records) ? p.records : [p.records];
        for (const c of chunks) {
          bytes += c.length;
          records += recordsIn(c);
        }
      }
      if (bytes === 0) continue;
      const name = t.topic || (t.topicId ? this.core.topics.getById(t.topicId)?.name : undefined);
      if (!name) continue;
      this.bytesOut.inc({ topic: name }, bytes);
      this.recordsOut.inc({ topic: name }, records);
    }
  }
}

/** Records in whole entries of a chunk: magic-2 batch counts, one per legacy entry. */
function recordsIn(chunk: Buffer): number {
  let n = 0;
  let pos = 0;
  while (pos + 17 <= chunk.length) {
    const size = chunk.readInt32BE(pos + 8) + 12;
    if (size < 12 || pos + size > chunk.length) break;
    n += chunk.readInt8(pos + 16) === 2 && size >= 61 ? chunk.readInt32BE(pos + 57) : 1;
    pos += size;
  }
  return n;
}
