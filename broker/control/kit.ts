// The thin mapping between the control API (HTTP JSON, broker/control/routes.ts) and the test
// kit on the Broker handle (broker/testkit/, wired by startBroker()): broker.faults,
// broker.requests, broker.nodes, broker.partitions, broker.coordinators, broker.reset,
// broker.snapshot/restore, broker.produce, broker.waitFor, broker.clock. Everything here is
// looked up at call time and typed structurally, so the control API follows the kit as it
// grows; a member the kit does not have answers 501 NOT_AVAILABLE naming it.
//
// JSON cannot carry a RegExp, a function or a Buffer: a fault rule's match.clientId (and
// match.topic) string is a RegExp source, and record keys/values are UTF-8 strings (or null).

import { clientDetail, type ClientPushJson } from '../telemetry/view.js';
import type { Broker } from '../index.js';
import { VirtualClock } from '../../storage/clock.js';
import { ProduceFailure, produceRecord } from '../http/records.js';
import { errorName } from '../../protocol/errors.js';

/** An error with an HTTP status and a stable code, for the control routes. */
export class ControlError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A fault rule as JSON (POST /control/v1/faults); broker.faults.inject's FaultSpec without functions. */
export interface FaultRuleJson {
  /** API name ('Produce', 'Fetch', ...) or key. */
  api: string | number;
  /** clientId is a RegExp source; topic, partition, node, group and version match exactly. */
  match?: { topic?: string; partition?: number; clientId?: string; node?: number; group?: string; version?: number };
  /** Kafka error name ('NOT_LEADER_OR_FOLLOWER') or code. */
  error?: string | number;
  /** Requests to affect before the rule retires: default 1; null: until removed. */
  times?: number | null;
  delayMs?: number;
  disconnect?: boolean;
  noResponse?: boolean;
  /** Answer with this response body instead (encoder defaults fill the rest). */
  response?: Record<string, unknown>;
}

/** A disk fault as JSON (POST /control/v1/faults/disk); broker.faults.disk's DiskFaultSpec. */
export interface DiskFaultJson {
  /** 'write' (default; appends too), 'fsync', 'open', 'truncate', 'rename', 'read'... or a list of them. */
  op?: string | string[];
  /** 'EIO', 'ENOSPC' or 'EFBIG'. */
  error?: string;
  shortWrite?: number;
  /** Only paths containing this string ('orders-0/'). */
  path?: string;
  /** Default 1; null: until removed. */
  times?: number | null;
}

/** What GET /control/v1/faults/{id} answers. */
export interface FaultStatus {
  id: string;
  api: string;
  /** Requests the rule affected so far. */
  hits: number;
  /** The rule's times (null: until removed). */
  times: number | null;
  /** The rule has fired: hit `times` times (or, with times null, at least once). */
  fired: boolean;
  /** Still armed: not used up and not removed. */
  active: boolean;
}

export interface RecordJson {
  key?: string | null;
  value?: string | null;
  headers?: Record<string, string>;
  partition?: number;
  timestamp?: number;
}

type AnyFn = (...args: unknown[]) => unknown;
type Bag = Record<string, unknown>;

/** A test kit member, or 501 when the broker has none. */
function member(broker: Broker, path: string): AnyFn {
  let target: unknown = broker;
  let owner: unknown = broker;
  for (const part of path.split('.')) {
    owner = target;
    target = target && typeof target === 'object' ? (target as Bag)[part] : undefined;
  }
  if (typeof target !== 'function')
    throw new ControlError(501, 'NOT_AVAILABLE', `this broker has no broker.${path}() (test kit not available)`);
  return (target as AnyFn).bind(owner);
}

export function has(broker: Broker, path: string): boolean {
  try {
    member(broker, path);
    return true;
  } catch {
    return false;
  }
}

function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'function') return Number((v as AnyFn)());
  return Number(v ?? 0);
}

/** What the control API keeps per server: injected faults and recordings by id, snapshots. */
export class ControlState {
  private seq = 0;
  private readonly faults = new Map<string, { handle: Bag; removed: boolean }>();
  private readonly recordings = new Map<string, Bag>();
  private lastRecording: string | null = null;
  private readonly snapshots = new Map<string, unknown>();

  constructor(readonly broker: Broker) {}

  injectFault(rule: FaultRuleJson): FaultStatus {
    const m = rule.match ?? {};
    const match: Bag = { ...m };
    if (typeof m.clientId === 'string') match.clientId = new RegExp(m.clientId);
    const spec: Bag = { ...rule, match, times: rule.times === null ? Infinity : rule.times };
    for (const k of Object.keys(spec)) if (spec[k] === undefined) delete spec[k];
    let handle: Bag;
    try {
      handle = (member(this.broker, 'faults.inject')(spec) ?? {}) as Bag;
    } catch (err) {
      if (err instanceof ControlError) throw err;
      throw new ControlError(400, 'INVALID_FAULT', (err as Error).message);
    }
    const id = typeof handle.id === 'string' || typeof handle.id === 'number' ? String(handle.id) : `f${++this.seq}`;
    this.faults.set(id, { handle, removed: false });
    return this.faultStatus(id);
  }

  /** A disk fault (broker.faults.disk): listed, awaited and removed like the request faults. */
  injectDiskFault(rule: DiskFaultJson): FaultStatus {
    const spec: Bag = { ...rule, times: rule.times === null ? Infinity : rule.times };
    for (const k of Object.keys(spec)) if (spec[k] === undefined) delete spec[k];
    let handle: Bag;
    try {
      handle = (member(this.broker, 'faults.disk')(spec) ?? {}) as Bag;
    } catch (err) {
      if (err instanceof ControlError) throw err;
      throw new ControlError(400, 'INVALID_FAULT', (err as Error).message);
    }
    const id = String(handle.id ?? `f${++this.seq}`);
    this.faults.set(id, { handle, removed: false });
    return this.faultStatus(id);
  }

  private fault(id: string): { handle: Bag; removed: boolean } {
    const f = this.faults.get(id);
    if (!f) throw new ControlError(404, 'NOT_FOUND', `no fault ${id}`);
    return f;
  }

  faultStatus(id: string): FaultStatus {
    const f = this.fault(id);
    const h = f.handle;
    const hits = num(h.hits);
    const times = typeof h.times === 'number' ? h.times : 1;
    const fired = times === Infinity ? hits > 0 : hits >= times;
    const api = typeof h.api === 'object' && h.api ? String((h.api as Bag).name) : String(h.api ?? '');
    return { id, api, hits, times: times === Infinity ? null : times, fired, active: !f.removed && (times === Infinity || hits < times) };
  }

  /** Resolves once the fault has fired (408 after timeoutMs). */
  async waitFired(id: string, timeoutMs: number): Promise<FaultStatus> {
    const f = this.fault(id);
    const fired = f.handle.fired;
    const done = typeof fired === 'function' ? Promise.resolve((fired as AnyFn).call(f.handle)) : Promise.resolve();
    await withTimeout(done, timeoutMs, `fault ${id} did not fire in ${timeoutMs} ms`);
    return this.faultStatus(id);
  }

  listFaults(): FaultStatus[] {
    return [...this.faults.keys()].map((id) => this.faultStatus(id));
  }

  removeFault(id: string): void {
    const f = this.fault(id);
    const remove = f.handle.remove;
    if (typeof remove === 'function') (remove as AnyFn).call(f.handle);
    f.removed = true;
  }

  clearFaults(): void {
    for (const id of this.faults.keys()) this.removeFault(id);
    this.faults.clear();
  }

  async reset(): Promise<void> {
    await member(this.broker, 'reset')();
    this.faults.clear();
    this.recordings.clear();
    this.lastRecording = null;
  }

  async snapshot(): Promise<string> {
    const snap = await member(this.broker, 'snapshot')();
    const id = `s${++this.seq}`;
    this.snapshots.set(id, snap);
    return id;
  }

  async restore(id: string): Promise<void> {
    if (!this.snapshots.has(id)) throw new ControlError(404, 'NOT_FOUND', `no snapshot ${id}`);
    await member(this.broker, 'restore')(this.snapshots.get(id));
    this.faults.clear();
  }

  /** Take a node down; with failover its partitions' leaders move to live nodes (else offline until up). */
  async nodeDown(nodeId: number, opts: { failover?: boolean } = {}): Promise<unknown> {
    return toJson(await member(this.broker, 'nodes.down')(nodeId, opts)) ?? {};
  }

  async nodeUp(nodeId: number, opts: { failback?: boolean } = {}): Promise<unknown> {
    return toJson(await member(this.broker, 'nodes.up')(nodeId, opts)) ?? {};
  }

  /** Followers on a node: lag (ms), pause or resume (broker/replication/). */
  async follower(action: 'lag' | 'pause' | 'resume', nodeId: number, ms = 0): Promise<void> {
    if (action === 'lag') await member(this.broker, 'nodes.lag')(nodeId, ms);
    else await member(this.broker, `nodes.${action}`)(nodeId);
  }

  async setRtt(nodeId: number, ms: number): Promise<void> {
    await member(this.broker, 'nodes.setRtt')(nodeId, ms);
  }

  /** Clients that pushed metrics recently (KIP-714), each with its latest push. */
  clients(): ClientPushJson[] {
    return this.broker.core.telemetryClients().map(clientDetail);
  }

  listNodes(): unknown {
    if (has(this.broker, 'nodes.list')) return toJson(member(this.broker, 'nodes.list')());
    return this.broker.core.cluster.nodes.map((n) => ({ nodeId: n.nodeId, host: n.host, port: n.port, up: n.up }));
  }

  async moveLeader(topic: string, partition: number, nodeId: number): Promise<unknown> {
    return toJson(await member(this.broker, 'partitions.moveLeader')(topic, partition, nodeId)) ?? {};
  }

  describePartitions(topic: string): unknown {
    return toJson(member(this.broker, 'partitions.describe')(topic));
  }

  /** Pin the coordinator of a group or transactional id to a node; null unpins. Returns the node FindCoordinator names now. */
  async setCoordinator(type: 'group' | 'transaction', key: string, nodeId: number | null): Promise<number | null> {
    if (nodeId === null) member(this.broker, 'coordinators.clear')(type, key);
    else await member(this.broker, 'coordinators.set')(type, key, nodeId);
    return has(this.broker, 'coordinators.get') ? num(member(this.broker, 'coordinators.get')(type, key)) : nodeId;
  }

  /** Produce records; through broker.produce when the kit has it, else the REST API's path. */
  async produce(topic: string, records: RecordJson[]): Promise<Array<{ partition: number; offset: number }>> {
    const buf = (s: string | null | undefined) => (s === null || s === undefined ? null : Buffer.from(s, 'utf8'));
    if (has(this.broker, 'produce')) {
      let res: unknown;
      try {
        res = await member(this.broker, 'produce')(
          topic,
          records.map((r) => ({ ...r, value: r.value ?? null })),
        );
      } catch (err) {
        if (err instanceof ProduceFailure) throw new ControlError(400, errorName(err.errorCode), err.message);
        throw err;
      }
      if (Array.isArray(res)) return res.map((r: Bag) => ({ partition: num(r.partition), offset: num(r.offset ?? r.baseOffset) }));
    }
    const core = this.broker.core;
    let t = core.topics.get(topic);
    if (!t) {
      core.autoCreate(topic);
      t = core.topics.get(topic);
    }
    if (!t) throw new ControlError(404, 'UNKNOWN_TOPIC_OR_PARTITION', `no topic ${topic}`);
    const rr = { next: 0 };
    return records.map((r) => {
      const headers = Object.entries(r.headers ?? {}).map(([key, value]) => ({ key, value: buf(value) }));
      const out = produceRecord(
        core,
        t,
        { key: buf(r.key), value: buf(r.value), headers, partition: r.partition, timestamp: r.timestamp },
        rr,
      );
      return { partition: out.partition, offset: out.offset };
    });
  }

  /** broker.waitFor[what](...args), bounded by timeoutMs (408 REQUEST_TIMEOUT). */
  async waitFor(what: string, args: unknown[], timeoutMs: number): Promise<unknown> {
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(what)) throw new ControlError(400, 'BAD_REQUEST', `bad waitFor name ${what}`);
    const fn = member(this.broker, `waitFor.${what}`);
    const last = args[args.length - 1];
    const full =
      last && typeof last === 'object' && !Array.isArray(last)
        ? [...args.slice(0, -1), { timeoutMs, ...(last as Bag) }]
        : [...args, { timeoutMs }];
    return toJson(
      await withTimeout(
        Promise.resolve().then(() => fn(...full)),
        timeoutMs,
        `waitFor.${what} did not finish in ${timeoutMs} ms`,
      ),
    );
  }

  /** Start a recording (broker.requests.record(filter)); its id. */
  recordRequests(filter: { api?: string | string[]; clientId?: string; topic?: string; node?: number } = {}): string {
    const f: Bag = { ...filter };
    if (typeof filter.clientId === 'string') f.clientId = new RegExp(filter.clientId);
    for (const k of Object.keys(f)) if (f[k] === undefined) delete f[k];
    const rec = member(this.broker, 'requests.record')(Object.keys(f).length ? f : undefined) as Bag;
    const id = `r${++this.seq}`;
    this.recordings.set(id, rec);
    this.lastRecording = id;
    return id;
  }

  private recording(id: string | undefined): Bag {
    const key = id ?? this.lastRecording;
    const rec = key === null ? undefined : this.recordings.get(key);
    if (!rec) throw new ControlError(404, 'NOT_FOUND', id ? `no recording ${id}` : 'no recording: POST /control/v1/requests/record first');
    return rec;
  }

  /** Recorded requests (oldest first), filtered by api, clientId (RegExp source), topic, node, version. */
  listRequests(q: {
    recording?: string;
    api?: string;
    clientId?: string;
    topic?: string;
    node?: number;
    version?: number;
    limit?: number;
  }): unknown[] {
    const rec = this.recording(q.recording);
    const f: Bag = {};
    if (q.api !== undefined) f.api = q.api.includes(',') ? q.api.split(',') : q.api;
    if (q.clientId !== undefined) f.clientId = new RegExp(q.clientId);
    if (q.topic !== undefined) f.topic = q.topic;
    if (q.node !== undefined) f.node = q.node;
    if (q.version !== undefined) f.version = q.version;
    const all = (typeof rec.filter === 'function' ? (rec.filter as AnyFn).call(rec, f) : rec.entries) as unknown[];
    return toJson(q.limit !== undefined ? all.slice(-q.limit) : all) as unknown[];
  }

  /** Stop a recording (default: the latest) and forget it. */
  stopRecording(id?: string): void {
    const key = id ?? this.lastRecording;
    const rec = this.recording(id);
    if (typeof rec.stop === 'function') (rec.stop as AnyFn).call(rec);
    this.recordings.delete(key!);
    if (key === this.lastRecording) this.lastRecording = null;
  }

  async advanceClock(by: number | string): Promise<number> {
    const clock = this.broker.clock;
    if (!(clock instanceof VirtualClock))
      throw new ControlError(
        409,
        'NOT_VIRTUAL_CLOCK',
        'the broker runs on the system clock: start it with clock virtual (--clock virtual)',
      );
    await clock.advance(by);
    return clock.now();
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ControlError(408, 'REQUEST_TIMEOUT', message)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Make a kit result JSON-safe: bytes as base64, bigints as numbers, RegExps as sources, no functions or cycles. */
export function toJson(value: unknown, seen = new WeakSet<object>()): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (typeof value !== 'object') return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (value instanceof RegExp) return value.source;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Map) return toJson(Object.fromEntries(value), seen);
  if (value instanceof Set) return toJson([...value], seen);
  if (seen.has(value)) return undefined;
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => toJson(v, seen) ?? null);
  const out: Bag = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'ctx' || k === 'broker' || k === 'core') continue;
    const j = toJson(v, seen);
    if (j !== undefined) out[k] = j;
  }
  seen.delete(value);
  return out;
}
