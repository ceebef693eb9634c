// The dispatcher turns one request frame into one response (or none): read the header,
// check the API and version, decode the body, run the interceptor chain and the handler,
// encode the response with the right header. It knows nothing about sockets, so it also
// serves `broker.handle(bytes)` and tests that drive the broker without TCP.
//
// Kafka's rules followed here (SocketServer and KafkaApis): an unknown API key or an unsupported version of
// anything but ApiVersions closes the connection without a response; ApiVersions at a
// version too new gets a v0 body with UNSUPPORTED_VERSION and our ApiVersions range.

import { codecFor } from '../protocol/codec.js';
import { ErrorCode, KafkaliteError } from '../protocol/errors.js';
import { peekApi, readRequestHeader, requestHeaderVersion, responseHeaderVersion, writeResponseHeader } from '../protocol/header.js';
import { ApiVersions, Metadata, Produce } from '../protocol/messages/index.js';
import { Writer } from '../protocol/primitives.js';
import { inRange, type ApiSpec } from '../protocol/schema.js';
import type { ConnectionInfo, HandlerResult, RequestContext } from './handler.js';
import type { ApiEntry } from './handlers/index.js';
import type { Clock } from '../storage/clock.js';
import type { BrokerCore } from './core.js';
import type { NodeInfo } from './cluster.js';
import { settleQuotas } from './quotas/enforce.js';
import type { MutationQuota } from './quotas/manager.js';
import { INTERNAL_TOPICS } from './topics.js';

/** APIs that never reach the group side (broker/coordinators.ts): no need to make it for them. */
const APART_FROM_COORDINATORS: ReadonlySet<number> = new Set([ApiVersions.apiKey, 17 /* SaslHandshake */, 36 /* SaslAuthenticate */]);

/** Whether a request may reach the group side: all but the APIs above and Metadata naming no internal topic. */
function mayReachCoordinators(apiKey: number, request: unknown): boolean {
  if (APART_FROM_COORDINATORS.has(apiKey)) return false;
  if (apiKey !== Metadata.apiKey) return true;
  // Auto-creating `__consumer_offsets` is the group coordinator's (BrokerCore.autoCreate).
  const topics = (request as { topics: Array<{ name: string | null }> | null }).topics;
  return topics?.some((t) => t.name !== null && INTERNAL_TOPICS.has(t.name)) ?? false;
}

/** What an interceptor sees of a request. */
export interface InterceptedRequest {
  readonly api: ApiSpec;
  readonly request: unknown;
  readonly ctx: RequestContext;
}

/**
 * Interceptors wrap the handler (fault injection, request recording). Each may answer by
 * itself, call next() and change what comes back, or delay. next(request) hands a replacement
 * request (same API and version) to the rest of the chain.
 */
export type Interceptor = (
  req: InterceptedRequest,
  next: (request?: unknown) => Promise<HandlerResult<ApiSpec>>,
) => Promise<HandlerResult<ApiSpec>>;

/** Interceptors that keep no reference to a request or its response once they return (keepsNothing()). */
const keepNothing = new WeakSet<Interceptor>();

/**
 * Mark an interceptor that keeps no reference to a request or its response after it returns (the
 * authorization gate, the metrics counters), so the memory under them may be reused: any other
 * interceptor (the test kit's recorder) turns that reuse off (broker/buffer-pool.ts).
 */
export function keepsNothing(i: Interceptor): Interceptor {
  keepNothing.add(i);
  return i;
}

/** A version range per API key; null: the API is not served (test kit's kafkaVersion caps). */
export type VersionCaps = ReadonlyMap<number, { min: number; max: number } | null>;

export interface DispatchResult {
  /** Response frame (size prefix included) as chunks, or null for no response. */
  response: Buffer[] | null;
  /** Set when the connection must be closed after writing `response`. */
  close?: string;
  /** Quota throttle: read nothing more from the connection for this long (Kafka mutes the channel). */
  throttleMs?: number;
  /**
   * Nothing refers to the request frame's bytes any more: a Produce whose records the log has
   * copied (pwrite, or the memory file system's copy), with no interceptor that could keep the
   * request. Other APIs keep slices of their frame (JoinGroup metadata, SyncGroup assignments).
   */
  frameFree?: boolean;
}

export class Dispatcher {
  private readonly entries: ReadonlyMap<number, ApiEntry>;
  readonly interceptors: Interceptor[] = [];
  /** Caps on served versions (owner: this class; set once by startBroker's kafkaVersion/apiVersions). */
  private caps: VersionCaps | null = null;

  constructor(
    private readonly broker: BrokerCore,
    registry: ReadonlyMap<number, ApiEntry>,
  ) {
    this.entries = registry;
  }

  /** The broker clock (connections time their quota mutes with it). */
  get clock(): Clock {
    return this.broker.clock;
  }

  /** Served APIs and version ranges, for ApiVersions. */
  served(): Array<{ apiKey: number; minVersion: number; maxVersion: number }> {
    const out = [];
    for (const e of this.entries.values()) {
      const r = this.range(e);
      if (r) out.push({ apiKey: e.api.apiKey, minVersion: r.min, maxVersion: r.max });
    }
    return out.sort((a, b) => a.apiKey - b.apiKey);
  }

  /** The registry row of an API (served or capped away), or undefined when none. */
  entry(apiKey: number): ApiEntry | undefined {
    return this.entries.get(apiKey);
  }

  /** Serve only these ranges (intersected with the registry's): test how clients meet older Kafka. */
  capVersions(caps: VersionCaps | null): void {
    this.caps = caps;
  }

  /** The range served for an API after caps, or null when capped away. */
  private range(e: ApiEntry): { min: number; max: number } | null {
    if (!this.caps?.has(e.api.apiKey)) return e.versions;
    const cap = this.caps.get(e.api.apiKey);
    if (!cap) return null;
    const min = Math.max(cap.min, e.versions.min);
    const max = Math.min(cap.max, e.versions.max);
    return min <= max ? { min, max } : null;
  }

  async dispatch(frame: Buffer, node: NodeInfo, connection: ConnectionInfo): Promise<DispatchResult> {
    const sasl = this.broker.sasl.gate(frame, connection); // SASL before authentication: broker/security/sasl/manager.ts
    if (sasl) return sasl;
    if (frame.length < 8) return { response: null, close: `request of ${frame.length} bytes is shorter than a header` };
    const { apiKey, apiVersion } = peekApi(frame);
    const entry = this.entries.get(apiKey);
    const served = entry && this.range(entry);
    if (!entry || !served) return { response: null, close: `unknown or unsupported API key ${apiKey}` };
    if (!inRange(served, apiVersion)) {
      if (apiKey === ApiVersions.apiKey) return { response: this.apiVersionsFallback(frame.readInt32BE(4)) };
      return {
        response: null,
        close: `${entry.api.name} v${apiVersion} is not supported (serving v${served.min}-${served.max})`,
      };
    }
    const { handler } = entry.loaded ?? (await entry.load()); // imported at the API's first request

    let request: unknown;
    let closeReason: string | undefined;
    let mutation: MutationQuota | null = null;
    let header: RequestContext['header'];
    try {
      const read = readRequestHeader(frame, requestHeaderVersion(apiKey, apiVersion, handler.api));
      header = read.header;
      request = codecFor(handler.api.request, apiVersion).read(read.reader);
    } catch (err) {
      const why = err instanceof KafkaliteError ? err.message : String(err);
      return { response: null, close: `cannot decode ${handler.api.name} v${apiVersion}: ${why}` };
    }

    // The group side is made before the first request that may reach it (a lean start: start.ts).
    if (!this.broker.coordinatorsMade && mayReachCoordinators(apiKey, request)) {
      try {
        await this.broker.coordinators();
      } catch (err) {
        return { response: null, close: `the group coordinators are unavailable: ${String(err)}` };
      }
    }

    // Whether the memory under this request and its response may be reused (broker/buffer-pool.ts):
    // asked once, with the interceptor chain below built from the same list.
    const reusable = !this.interceptorMayKeep();
    const ctx: RequestContext = {
      apiKey,
      apiVersion,
      header,
      broker: this.broker,
      node,
      connection,
      // Always present (undefined when none), so every request's ctx has one shape.
      readBuffers: reusable ? connection.readBuffers : undefined,
      closeConnection: (reason: string) => {
        closeReason = reason;
      },
      mutationQuota: (strictSince: number) => {
        mutation ??= this.broker.throttling.mutationQuota(ctx, apiVersion >= strictSince);
        return mutation;
      },
    };

    const run = (req: unknown = request) => Promise.resolve(handler.handle(req as never, ctx));
    // Request quota time: the handler's synchronous part (a parked request is not working), and encoding.
    const started = performance.now();
    let pending: Promise<HandlerResult<ApiSpec>>;
    if (this.interceptors.length === 0) {
      pending = run();
    } else {
      const chain = this.interceptors.reduceRight<(req?: unknown) => Promise<HandlerResult<ApiSpec>>>(
        (next, icpt) =>
          (req: unknown = request) =>
            icpt({ api: handler.api, request: req, ctx }, next),
        run,
      );
      pending = chain();
    }
    let handlerMs = performance.now() - started;
    const result = await pending;

    const encodeStarted = performance.now();
    let response = result === null ? null : this.encodeResponse(handler.api, apiVersion, ctx.header.correlationId, result);
    handlerMs += performance.now() - encodeStarted;
    if (closeReason !== undefined) return { response, close: closeReason };
    const responseBytes = response ? response.reduce((n, c) => n + c.length, 0) - 4 : 0;
    const settled = settleQuotas(
      this.broker,
      ctx,
      request,
      { requestBytes: frame.length, responseBytes, handlerMs, mutation },
      result as Record<string, unknown> | null,
    );
    if (settled.throttleMs > 0 && settled.result) {
      response = this.encodeResponse(handler.api, apiVersion, ctx.header.correlationId, settled.result);
    }
    return { response, throttleMs: settled.throttleMs, frameFree: apiKey === Produce.apiKey && reusable };
  }

  /** An interceptor not marked keepsNothing() is installed: it may hold on to requests or responses. */
  private interceptorMayKeep(): boolean {
    for (let i = 0; i < this.interceptors.length; i++) if (!keepNothing.has(this.interceptors[i]!)) return true;
    return false;
  }

  encodeResponse(api: ApiSpec, version: number, correlationId: number, body: unknown): Buffer[] {
    const w = new Writer(1024);
    w.int32(0); // size, patched below
    writeResponseHeader(w, correlationId, responseHeaderVersion(api.apiKey, version, api));
    codecFor(api.response, version).write(w, body as never);
    w.patchInt32AtStart(w.length - 4);
    return w.chunksOut();
  }

  /** ApiVersions asked at a version we don't serve: v0 body, error 35, our ApiVersions range. */
  private apiVersionsFallback(correlationId: number): Buffer[] {
    const own = this.range(this.entries.get(ApiVersions.apiKey)!)!;
    return this.encodeResponse(ApiVersions, 0, correlationId, {
      errorCode: ErrorCode.UNSUPPORTED_VERSION,
      apiKeys: [{ apiKey: ApiVersions.apiKey, minVersion: own.min, maxVersion: own.max }],
    });
  }
}
