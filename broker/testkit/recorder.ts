// Request recording: broker.requests.record() keeps every request and response the broker
// decodes and answers (api, version, node, client id, connection, broker-clock time), until
// stopped. Entries are plain data (Buffers inside bodies stay Buffers), filterable.
//
// RequestRecorder owns the active recordings; each Recording owns its entries.

import type { ApiSpec } from '../../protocol/schema.js';
import type { Clock } from '../../storage/clock.js';
import type { HandlerResult, RequestContext } from '../handler.js';
import { apiKeyOf } from './versions.js';

export interface RecordedRequest {
  seq: number;
  api: string;
  apiKey: number;
  version: number;
  node: number;
  clientId: string | null;
  correlationId: number;
  connection: number;
  /** Broker clock (ms since the epoch) when the request arrived and when it was answered. */
  time: number;
  answeredAt: number | null;
  request: unknown;
  /** The response body, or null for none (acks=0, disconnect, no response). */
  response: unknown;
  /** Set when the handler (or a fault) threw. */
  error?: string;
  /**
   * The topics the request names: by name, and by id resolved to the name (Produce v13, Fetch
   * v13+, OffsetCommit v10 and others name topics by id only).
   */
  topics: string[];
}

export interface RecordFilter {
  api?: string | number | ReadonlyArray<string | number>;
  node?: number;
  /** Exact, or a RegExp. */
  clientId?: string | RegExp;
  version?: number;
  /** Only requests naming this topic (a name/topic field, or a topicId resolved to its name). */
  topic?: string;
}

export class Recording {
  readonly entries: RecordedRequest[] = [];
  private stopped = false;

  constructor(
    private readonly owner: RequestRecorder,
    private readonly filterSpec: RecordFilter | undefined,
  ) {}

  get active(): boolean {
    return !this.stopped;
  }

  accepts(e: RecordedRequest): boolean {
    return !this.stopped && matches(e, this.filterSpec);
  }

  /** Entries matching a filter. */
  filter(f: RecordFilter = {}): RecordedRequest[] {
    return this.entries.filter((e) => matches(e, f));
  }

  /** Stop recording (entries stay). */
  stop(): RecordedRequest[] {
    this.stopped = true;
    this.owner.detach(this);
    return this.entries;
  }

  clear(): void {
    this.entries.length = 0;
  }
}

export class RequestRecorder {
  private readonly recordings: Recording[] = [];
  private seq = 0;

  constructor(private readonly clock: Clock) {}

  get recording(): boolean {
    return this.recordings.length > 0;
  }

  record(filter?: RecordFilter): Recording {
    const r = new Recording(this, filter);
    this.recordings.push(r);
    return r;
  }

  detach(r: Recording): void {
    const i = this.recordings.indexOf(r);
    if (i >= 0) this.recordings.splice(i, 1);
  }

  clear(): void {
    for (const r of this.recordings.splice(0)) r.stop();
  }

  /** The interceptor step. */
  async around(
    api: ApiSpec,
    request: unknown,
    ctx: RequestContext,
    next: (request?: unknown) => Promise<HandlerResult<ApiSpec>>,
  ): Promise<HandlerResult<ApiSpec>> {
    if (this.recordings.length === 0) return next(request);
    const entry: RecordedRequest = {
      seq: ++this.seq,
      api: api.name,
      apiKey: api.apiKey,
      version: ctx.apiVersion,
      node: ctx.node.nodeId,
      clientId: ctx.header.clientId ?? null,
      correlationId: ctx.header.correlationId,
      connection: ctx.connection.id,
      time: this.clock.now(),
      answeredAt: null,
      request,
      response: null,
      topics: topicsNamed(request, (id) => ctx.broker.topics.getById(id)?.name),
    };
    const targets = this.recordings.filter((r) => r.accepts(entry));
    for (const r of targets) r.entries.push(entry);
    try {
      const response = await next(request);
      entry.response = response;
      return response;
    } catch (err) {
      entry.error = err instanceof Error ? err.message : String(err);
      throw err;
    } finally {
      entry.answeredAt = this.clock.now();
    }
  }
}

function matches(e: RecordedRequest, f: RecordFilter | undefined): boolean {
  if (!f) return true;
  if (f.api !== undefined) {
    const apis = Array.isArray(f.api) ? f.api : [f.api as string | number];
    if (!apis.some((a) => apiKeyOf(a) === e.apiKey)) return false;
  }
  if (f.node !== undefined && e.node !== f.node) return false;
  if (f.version !== undefined && e.version !== f.version) return false;
  if (f.clientId !== undefined) {
    const id = e.clientId ?? '';
    if (typeof f.clientId === 'string' ? id !== f.clientId : !f.clientId.test(id)) return false;
  }
  if (f.topic !== undefined && !e.topics.includes(f.topic)) return false;
  return true;
}

/** The topics a decoded request names (topic/name/topicId fields in nested arrays), deduplicated. */
function topicsNamed(request: unknown, nameOf: (id: string) => string | undefined): string[] {
  const names = new Set<string>();
  const walk = (value: unknown, depth: number): void => {
    if (depth > 4 || value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return;
    if (Array.isArray(value)) {
      for (const v of value) walk(v, depth + 1);
      return;
    }
    const o = value as Record<string, unknown>;
    for (const key of ['name', 'topic']) if (typeof o[key] === 'string' && o[key] !== '') names.add(o[key] as string);
    if (typeof o['topicId'] === 'string') {
      const name = nameOf(o['topicId'] as string);
      if (name !== undefined) names.add(name);
    }
    for (const v of Object.values(o)) if (Array.isArray(v)) walk(v, depth + 1);
  };
  walk(request, 0);
  return [...names];
}
