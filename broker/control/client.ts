// connectControl(url, { authorization, ca }): the control API (server.ts) as a typed TypeScript
// client, with the test kit's method names, over global fetch (node:https when given a CA). For a broker in another process: a test-server,
// or the one a runner preset started for every worker.
//
//   const control = connectControl(process.env.KAFKALITE_CONTROL!);
//   const fault = await control.faults.inject({ api: 'Produce', error: 'NOT_LEADER_OR_FOLLOWER', times: 2 });
//   ... produce ...
//   (await control.faults.get(fault.id)).fired   // 2
//   await control.reset();

import type { ClientPushJson } from '../telemetry/view.js';
import type { FaultRuleJson, FaultStatus, RecordJson } from './kit.js';

export type { FaultRuleJson, FaultStatus, RecordJson } from './kit.js';
// The same shapes the in-process kit returns (type-only: nothing of the kit is loaded).
import type { RecordedRequest as KitRecordedRequest, NodeStatus, PartitionStatus } from '../testkit/index.js';
export type { NodeStatus, PartitionStatus };

export interface ControlInfo {
  bootstrap: string;
  brokers: string[];
  nodes: Array<{ nodeId: number; host: string; port: number; up: boolean }>;
  clusterId: string;
  control: string;
  clock: 'virtual' | 'system';
  now: number;
  /** Which test kit members the broker has. */
  kit: Record<string, boolean>;
}

export interface RecordedRequestFilter {
  /** Read this recording (default: the latest started). */
  recording?: string;
  /** API name or key; several comma-separated. */
  api?: string;
  /** A regular expression source. */
  clientId?: string;
  topic?: string;
  node?: number;
  version?: number;
  /** Only the last N. */
  limit?: number;
}

/**
 * A recorded request as the control API lists it: the test kit's RecordedRequest
 * (broker/testkit/recorder.ts) in JSON, with the Buffers inside its bodies as base64.
 */
export type RecordedRequest = Omit<KitRecordedRequest, 'request' | 'response'> & {
  request: Record<string, unknown>;
  response: Record<string, unknown> | null;
};

/** An HTTP error from the control API: `code` is its `error` field (a Kafka error name, NOT_FOUND, ...). */
export class ControlApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ControlApiError';
  }
}

export interface Control {
  readonly url: string;
  info(): Promise<ControlInfo>;
  reset(): Promise<void>;
  snapshot(): Promise<string>;
  restore(snapshotId: string): Promise<void>;
  faults: {
    inject(rule: FaultRuleJson): Promise<FaultStatus>;
    get(id: string): Promise<FaultStatus>;
    /** Resolves once the fault has fired (rejects with REQUEST_TIMEOUT after timeoutMs, default 10000). */
    waitFired(id: string, timeoutMs?: number): Promise<FaultStatus>;
    list(): Promise<FaultStatus[]>;
    remove(id: string): Promise<void>;
    clear(): Promise<void>;
    /**
     * Cut the power (test-server --memory-disk): everything not fsynced is lost, and the broker
     * restarts on the same ports from what survived; resolves with its bootstrap once it serves.
     */
    powerCut(): Promise<{ bootstrap: string }>;
  };
  nodes: {
    list(): Promise<NodeStatus[]>;
    /** With failover the node's partition leaders move to live nodes (else offline until up). */
    down(nodeId: number, opts?: { failover?: boolean }): Promise<{ moved?: number }>;
    up(nodeId: number, opts?: { failback?: boolean }): Promise<{ moved?: number }>;
    setRtt(nodeId: number, ms: number): Promise<void>;
    /** Followers on the node replicate ms after each append (0: at once). */
    lag(nodeId: number, ms: number): Promise<void>;
    /** Followers on the node stop fetching until resume. */
    pause(nodeId: number): Promise<void>;
    resume(nodeId: number): Promise<void>;
  };
  partitions: {
    moveLeader(topic: string, partition: number, nodeId: number): Promise<PartitionStatus>;
    describe(topic: string): Promise<PartitionStatus[]>;
  };
  coordinators: {
    /** Pin (node) or unpin (null); resolves with the node FindCoordinator names now. */
    set(type: 'group' | 'transaction', key: string, nodeId: number | null): Promise<number | null>;
  };
  produce(topic: string, records: RecordJson[]): Promise<Array<{ partition: number; offset: number }>>;
  /** broker.waitFor[name](...args) on the broker; the last argument may be `{ timeoutMs }` (default 10000). */
  waitFor: Record<string, (...args: unknown[]) => Promise<unknown>>;
  requests: {
    /** Start recording (only requests matching the filter, if given); resolves with the recording's id. */
    record(filter?: { api?: string | string[]; clientId?: string; topic?: string; node?: number }): Promise<string>;
    /** Recorded requests: api, apiKey, version, node, clientId, correlationId, time, request, response (bytes as base64). */
    list(filter?: RecordedRequestFilter): Promise<RecordedRequest[]>;
    /** Stop a recording (default: the latest) and forget it. */
    stop(recording?: string): Promise<void>;
  };
  clock: {
    /** Virtual clock only: ms or a duration ('45s'); resolves with the new now(). */
    advance(by: number | string): Promise<number>;
  };
  /** Clients that pushed metrics (KIP-714) recently, each with its latest push. */
  clients(): Promise<ClientPushJson[]>;
  /** The OpenAPI description. */
  openapi(): Promise<Record<string, unknown>>;
}

export interface ControlConnectOptions {
  /** The Authorization header the control API wants with http.auth.type: 'Bearer <token>' or 'Basic <base64 user:password>'. */
  authorization?: string;
  /** CA certificate(s) in PEM to trust for an https control API (http.ssl.enabled) signed by a private CA. */
  ca?: string | Buffer;
}

/** One request over node:https, trusting `ca` (global fetch takes no CA). */
async function httpsWithCa(
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
  ca: string | Buffer,
): Promise<{ ok: boolean; status: number; statusText: string; text(): Promise<string> }> {
  const { request } = await import('node:https');
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method, headers: init.headers, ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ ok: status >= 200 && status < 300, status, statusText: res.statusMessage ?? '', text: async () => body });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

export function connectControl(url: string, options: ControlConnectOptions = {}): Control {
  const base = url.replace(/\/+$/, '');
  if (!/^https?:\/\//.test(base)) throw new TypeError(`connectControl: not an http(s) URL: ${url}`);

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.authorization ? { authorization: options.authorization } : {}),
    };
    const init = { method, headers, body: body === undefined ? undefined : JSON.stringify(body) };
    const target = `${base}/control/v1${path}`;
    const res = options.ca && base.startsWith('https:') ? await httpsWithCa(target, init, options.ca) : await fetch(target, init);
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = { error: 'BAD_RESPONSE', message: text };
    }
    if (!res.ok) {
      const e = (json ?? {}) as { error?: string; message?: string };
      throw new ControlApiError(res.status, e.error ?? `HTTP_${res.status}`, `${method} ${path}: ${e.message ?? res.statusText}`);
    }
    return json as T;
  }
  const enc = encodeURIComponent;
  const ok = () => undefined;

  const waitFor = new Proxy({} as Record<string, (...args: unknown[]) => Promise<unknown>>, {
    get(_t, name) {
      if (typeof name !== 'string' || name === 'then') return undefined;
      return async (...args: unknown[]) => {
        const last = args[args.length - 1] as { timeoutMs?: number } | undefined;
        const timeoutMs = last && typeof last === 'object' && typeof last.timeoutMs === 'number' ? last.timeoutMs : undefined;
        const r = await call<{ result: unknown }>('POST', `/wait/${enc(name)}`, { args, timeoutMs });
        return r.result;
      };
    },
  });

  return {
    url: base,
    info: () => call<ControlInfo>('GET', '/info'),
    reset: () => call('POST', '/reset').then(ok),
    snapshot: () => call<{ id: string }>('POST', '/snapshot').then((r) => r.id),
    restore: (id) => call('POST', '/restore', { id }).then(ok),
    faults: {
      inject: (rule) => call<FaultStatus>('POST', '/faults', rule),
      get: (id) => call<FaultStatus>('GET', `/faults/${enc(id)}`),
      waitFired: (id, timeoutMs) => call<FaultStatus>('POST', `/faults/${enc(id)}/wait`, { timeoutMs }),
      list: () => call<FaultStatus[]>('GET', '/faults'),
      remove: (id) => call('DELETE', `/faults/${enc(id)}`).then(ok),
      clear: () => call('DELETE', '/faults').then(ok),
      powerCut: () => call<{ bootstrap: string }>('POST', '/faults/power-cut').then((r) => ({ bootstrap: r.bootstrap })),
    },
    nodes: {
      list: () => call('GET', '/nodes'),
      down: (n, opts = {}) => call('POST', `/nodes/${n}/down`, opts),
      up: (n, opts = {}) => call('POST', `/nodes/${n}/up`, opts),
      setRtt: (n, ms) => call('PUT', `/nodes/${n}/rtt`, { ms }).then(ok),
      lag: (n, ms) => call('POST', `/nodes/${n}/lag`, { ms }).then(ok),
      pause: (n) => call('POST', `/nodes/${n}/pause`).then(ok),
      resume: (n) => call('POST', `/nodes/${n}/resume`).then(ok),
    },
    partitions: {
      moveLeader: (topic, partition, node) => call('POST', `/partitions/${enc(topic)}/${partition}/leader`, { node }),
      describe: (topic) => call('GET', `/partitions/${enc(topic)}`),
    },
    coordinators: {
      set: (type, key, node) => call<{ node: number | null }>('PUT', '/coordinators', { type, key, node }).then((r) => r.node),
    },
    produce: (topic, records) => call('POST', '/records', { topic, records }),
    waitFor,
    requests: {
      record: (filter = {}) => call<{ id: string }>('POST', '/requests/record', filter).then((r) => r.id),
      list: (filter = {}) => {
        const q = new URLSearchParams();
        for (const [k, v] of Object.entries(filter)) if (v !== undefined) q.set(k, String(v));
        const qs = q.toString();
        return call('GET', `/requests${qs ? `?${qs}` : ''}`);
      },
      stop: (recording) => call('DELETE', `/requests${recording ? `?recording=${enc(recording)}` : ''}`).then(ok),
    },
    clock: {
      advance: (by) => call<{ now: number }>('POST', '/clock/advance', { by }).then((r) => r.now),
    },
    clients: () => call('GET', '/clients'),
    openapi: () => call('GET', '/openapi.json'),
  };
}
