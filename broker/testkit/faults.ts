// Fault injection with proof: rules that make matching requests fail (per partition where the
// API has partitions, else with the top-level error code), wait, drop the connection, never
// answer, or answer with a given response. Each rule counts its hits and says when it has fired
// `times` times; strict mode makes stop() (and verify()) fail when a rule never fired.
//
// FaultInjector is the single owner of the rules. Rules are plain data apart from `clientId`
// (a RegExp or a string) and a custom `response` function, so an HTTP mapping is mechanical.

import { errorCodeByName, errorName } from '../../protocol/errors.js';
import { API_BY_KEY as API_SPECS } from '../../protocol/messages/index.js';
import type { ApiSpec } from '../../protocol/schema.js';
import type { Clock } from '../../storage/clock.js';
import type { HandlerResult, RequestContext } from '../handler.js';
import type { Topic } from '../topics.js';
import {
  addFailedPartitions,
  hasPartitions,
  overwritePartitionErrors,
  requestPartitions,
  splitRequest,
  type NamedPartition,
} from './partition-shapes.js';
import { apiKeyOf } from './versions.js';
import { DiskFaultControl, type DiskFault, type DiskFaultSpec, type DiskHost } from './disk-faults.js';
import { FaultRule, type FaultStatus } from './fault-rule.js';

export interface FaultMatch {
  topic?: string;
  partition?: number;
  /** Exact client id, or a RegExp tested against it. */
  clientId?: string | RegExp;
  /** Node whose listener got the request. */
  node?: number;
  /** Request's groupId (group APIs). */
  group?: string;
  version?: number;
}

export interface FaultSpec {
  /** API name ('Produce') or key. */
  api: string | number;
  match?: FaultMatch;
  /** Kafka error name ('NOT_LEADER_OR_FOLLOWER') or code. */
  error?: string | number;
  /** Hold the request this long (broker clock) before answering (with `error` if given). */
  delayMs?: number;
  /** Close the connection instead of answering. */
  disconnect?: boolean;
  /** Never answer (until the client closes the connection). */
  noResponse?: boolean;
  /** Answer with this body (encoder defaults fill what is left out), or what the function returns. */
  response?: Record<string, unknown> | ((request: unknown, ctx: RequestContext) => Record<string, unknown> | null);
  /** Requests to affect before the rule retires (default 1; Infinity: until removed). */
  times?: number;
}

export type { FaultStatus };

export class Fault extends FaultRule {
  constructor(
    readonly id: number,
    readonly api: ApiSpec,
    readonly spec: FaultSpec,
    readonly errorCode: number | null,
    private readonly owner: FaultInjector,
  ) {
    super();
  }

  protected get label(): string {
    return this.api.name;
  }

  remove(): void {
    this.owner.remove(this);
  }
}

export class FaultError extends Error {
  constructor(readonly unfired: FaultStatus[]) {
    super(`strict faults: ${unfired.length} rule(s) never fired: ${unfired.map((f) => `#${f.id} ${f.api}`).join(', ')}`);
    this.name = 'FaultError';
  }
}

type Next = (request?: unknown) => Promise<HandlerResult<ApiSpec>>;

export class FaultInjector {
  private readonly rules: Fault[] = [];
  /** Every rule ever injected, for strict mode (retired ones included). */
  private readonly history: Fault[] = [];
  private seq = 1;
  private diskControl: DiskFaultControl | null = null;
  private readonly diskHistory: DiskFault[] = [];
  /** Fail stop() and verify() when a rule never fired. */
  strict = false;

  constructor(
    private readonly clock: Clock,
    private readonly topicById: (id: string) => Topic | undefined,
    private readonly diskHost?: DiskHost,
  ) {}

  private get diskFaults(): DiskFaultControl {
    this.diskControl ??= new DiskFaultControl(this.diskHost ?? { fs: undefined, stop: async () => {} }, () => this.seq++);
    return this.diskControl;
  }

  /**
   * A disk fault under a broker on the memory file system (broker/testkit/disk-faults.ts): the
   * next `times` matching operations fail with `error` (or write short). Kafka's answer follows:
   * the log directory goes offline and its partitions answer KAFKA_STORAGE_ERROR.
   */
  disk(spec: DiskFaultSpec): DiskFault {
    const fault = this.diskFaults.inject(spec);
    this.diskHistory.push(fault);
    return fault;
  }

  /** A power cut: the broker stops without flushing and what was not fsynced is gone (disk-faults.ts). */
  powerCut(): Promise<void> {
    return this.diskFaults.powerCut();
  }

  get active(): number {
    return this.rules.length;
  }

  inject(spec: FaultSpec): Fault {
    const key = apiKeyOf(spec.api);
    const api = key === undefined ? undefined : API_SPECS.get(key);
    if (!api) throw new RangeError(`faults.inject: unknown API ${JSON.stringify(spec.api)}`);
    let errorCode: number | null = null;
    if (spec.error !== undefined) {
      errorCode = typeof spec.error === 'number' ? spec.error : (errorCodeByName(spec.error) ?? null);
      if (errorCode === null || errorName(errorCode).startsWith('UNKNOWN_ERROR_'))
        throw new RangeError(`faults.inject: unknown error ${JSON.stringify(spec.error)}`);
    }
    const times = spec.times ?? 1;
    if (!(times > 0)) throw new RangeError('faults.inject: times must be positive');
    if (errorCode === null && !spec.delayMs && !spec.disconnect && !spec.noResponse && !spec.response) {
      throw new RangeError('faults.inject: give error, delayMs, disconnect, noResponse or response');
    }
    const fault = new Fault(this.seq++, api, spec, errorCode, this);
    this.rules.push(fault);
    this.history.push(fault);
    return fault;
  }

  remove(fault: Fault): void {
    const i = this.rules.indexOf(fault);
    if (i >= 0) this.rules.splice(i, 1);
  }

  /** Retire every rule and forget them (reset). */
  clear(): void {
    this.rules.length = 0;
    this.history.length = 0;
    this.diskControl?.clear();
    this.diskHistory.length = 0;
  }

  list(): FaultStatus[] {
    return [...this.history, ...this.diskHistory].sort((a, b) => a.id - b.id).map((f) => f.status());
  }

  /** Throws FaultError (strict or not) when an injected rule never fired. */
  verify(): void {
    const unfired = [...this.history, ...this.diskHistory].filter((f) => f.hits === 0).map((f) => f.status());
    if (unfired.length > 0) throw new FaultError(unfired);
  }

  /** The interceptor step: apply the first matching rule, else pass on. */
  async apply(api: ApiSpec, request: unknown, ctx: RequestContext, next: Next): Promise<HandlerResult<ApiSpec>> {
    if (this.rules.length === 0) return next(request);
    const rule = this.rules.find((r) => r.api === api && this.matches(r, api, request, ctx));
    if (!rule) return next(request);
    rule.hit();
    if (rule.done) this.remove(rule);
    const spec = rule.spec;
    if (spec.delayMs) await new Promise<void>((resolve) => this.clock.setTimeout(resolve, spec.delayMs!));
    if (spec.disconnect) {
      ctx.closeConnection(`fault injected: ${api.name} disconnect`);
      return null;
    }
    if (spec.noResponse) {
      await new Promise<void>((resolve) => {
        if (ctx.connection.signal.aborted) resolve();
        ctx.connection.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      return null;
    }
    if (spec.response) return typeof spec.response === 'function' ? spec.response(request, ctx) : { ...spec.response };
    if (rule.errorCode === null) return next(request);
    return this.failWith(api, request, ctx, rule, rule.errorCode, next);
  }

  private async failWith(
    api: ApiSpec,
    request: unknown,
    ctx: RequestContext,
    rule: Fault,
    code: number,
    next: Next,
  ): Promise<HandlerResult<ApiSpec>> {
    if (hasPartitions(api)) {
      const pick = (tp: NamedPartition) => partitionMatches(rule.spec.match, tp);
      const split = splitRequest(api, request, pick, this.topicById);
      if (split) {
        const response = split.remaining > 0 ? await next(split.request) : {};
        // Produce acks=0 gets no response, as from Kafka.
        if (response === null) return null;
        return addFailedPartitions(api, response as Record<string, unknown>, split.failed, code) as HandlerResult<ApiSpec>;
      }
      const response = await next(request);
      if (response) overwritePartitionErrors(api, response as Record<string, unknown>, pick, code, this.topicById);
      return response;
    }
    // No partitions: a top-level error code where this version has one (answered without running
    // the handler, so nothing happens), else every entry of the top-level arrays gets it.
    const top = api.response.fields['errorCode'];
    if (top && ctx.apiVersion >= top.versions.min && ctx.apiVersion <= top.versions.max) {
      return { errorCode: code } as HandlerResult<ApiSpec>;
    }
    const response = await next(request);
    if (response) {
      for (const value of Object.values(response as Record<string, unknown>)) {
        if (Array.isArray(value))
          for (const e of value) if (e && typeof e === 'object' && 'errorCode' in e) (e as { errorCode: number }).errorCode = code;
      }
    }
    return response;
  }

  private matches(rule: Fault, api: ApiSpec, request: unknown, ctx: RequestContext): boolean {
    const m = rule.spec.match;
    if (!m) return true;
    if (m.node !== undefined && ctx.node.nodeId !== m.node) return false;
    if (m.version !== undefined && ctx.apiVersion !== m.version) return false;
    if (m.clientId !== undefined) {
      const id = ctx.header.clientId ?? '';
      if (typeof m.clientId === 'string' ? id !== m.clientId : !m.clientId.test(id)) return false;
    }
    if (m.group !== undefined && (request as { groupId?: string }).groupId !== m.group) return false;
    if ((m.topic !== undefined || m.partition !== undefined) && hasPartitions(api)) {
      const named = requestPartitions(api, request, this.topicById);
      // "All topics" requests (OffsetFetch topics null) are checked against the response instead.
      if (named.length > 0 && !named.some((tp) => partitionMatches(m, tp))) return false;
    }
    return true;
  }
}

function partitionMatches(m: FaultMatch | undefined, tp: NamedPartition): boolean {
  return (m?.topic === undefined || m.topic === tp.topic) && (m?.partition === undefined || m.partition === tp.partition);
}
