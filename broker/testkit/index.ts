// The test kit of one broker: fault injection, request recording, simulated topology, state
// isolation and wait helpers, reached through the Broker handle (broker.faults, broker.nodes...).
// Nothing is built until first used: a broker whose tests never touch the kit pays one null
// field, and the dispatcher gets the kit's single interceptor only on first use.
//
// Interceptor order (outermost first): metrics, then the kit: recording → RTT → intercept()
// handlers → faults → the handler. So recordings show what clients saw, RTT delays injected
// answers too, and intercept() handlers see requests before faults do.

import type { ApiSpec } from '../../protocol/schema.js';
import type { BrokerCore } from '../core.js';
import type { Interceptor } from '../dispatcher.js';
import type { HandlerResult, RequestContext } from '../handler.js';
import type { DiskHost } from './disk-faults.js';
import { FaultInjector } from './faults.js';
import { RequestRecorder } from './recorder.js';
import { StateControl, type BrokerSnapshot, type SeedTopic } from './state.js';
import { CoordinatorControl, NodeControl, PartitionControl, type ListenerControl } from './topology.js';
import { apiKeyOf } from './versions.js';
import { Waiters } from './wait-for.js';

export type { FaultSpec, FaultMatch, FaultStatus, Fault, FaultError, FaultInjector } from './faults.js';
export type { DiskFault, DiskFaultSpec, DiskOp, DiskErrorCode } from './disk-faults.js';
export type { RecordFilter, RecordedRequest, Recording, RequestRecorder } from './recorder.js';
export type { BrokerSnapshot, SeedTopic } from './state.js';
export type { NodeStatus, PartitionStatus, CoordinatorType, NodeControl, PartitionControl, CoordinatorControl } from './topology.js';
export type { ProduceRecordInput, ProducedRecord, WaitRecordsOptions, GroupState, Waiters } from './wait-for.js';
export { resolveVersionCaps, type ApiVersionsOption } from './versions.js';

/** kfake-style handler: answer by itself, or call next() (optionally with a changed request) and return what it gives. */
export type InterceptFn = (
  request: unknown,
  ctx: RequestContext,
  next: (request?: unknown) => Promise<HandlerResult<ApiSpec>>,
) => HandlerResult<ApiSpec> | Promise<HandlerResult<ApiSpec>>;

export interface InterceptHandle {
  remove(): void;
}

/** The wait helpers as the handle shows them. */
export type WaitFor = Pick<Waiters, 'records' | 'groupStable' | 'committed' | 'isr' | 'shareProgress' | 'idle'>;

interface Intercept {
  apiKey: number | null;
  fn: InterceptFn;
}

export class TestKit {
  private installed: Interceptor | null = null;
  private faultInjector: FaultInjector | null = null;
  private recorder: RequestRecorder | null = null;
  private nodeControl: NodeControl | null = null;
  private partitionControl: PartitionControl | null = null;
  private coordinatorControl: CoordinatorControl | null = null;
  private stateControl: StateControl | null = null;
  private waiters: Waiters | null = null;
  private readonly intercepts: Intercept[] = [];

  constructor(
    private readonly core: BrokerCore,
    private readonly listeners: ListenerControl,
    private readonly seeded: Readonly<Record<string, number | SeedTopic>>,
    private readonly strictFaults: boolean,
    private readonly diskHost?: DiskHost,
  ) {}

  get faults(): FaultInjector {
    if (!this.faultInjector) {
      this.faultInjector = new FaultInjector(this.core.clock, (id) => this.core.topics.getById(id), this.diskHost);
      this.faultInjector.strict = this.strictFaults;
      this.install();
    }
    return this.faultInjector;
  }

  get requests(): RequestRecorder {
    if (!this.recorder) {
      this.recorder = new RequestRecorder(this.core.clock);
      this.install();
    }
    return this.recorder;
  }

  get nodes(): NodeControl {
    if (!this.nodeControl) {
      this.nodeControl = new NodeControl(this.core, this.listeners);
      this.install();
    }
    return this.nodeControl;
  }

  get partitions(): PartitionControl {
    this.partitionControl ??= new PartitionControl(this.core);
    return this.partitionControl;
  }

  get coordinators(): CoordinatorControl {
    this.coordinatorControl ??= new CoordinatorControl(this.core);
    return this.coordinatorControl;
  }

  get waitFor(): WaitFor {
    return this.wait();
  }

  produce: Waiters['produce'] = (topic, records) => this.wait().produce(topic, records);

  /** Handle requests of one API (name or key; '*' for all) before the broker does. */
  intercept(api: string | number, fn: InterceptFn): InterceptHandle {
    const apiKey = api === '*' ? null : apiKeyOf(api);
    if (apiKey === undefined) throw new RangeError(`intercept: unknown API ${JSON.stringify(api)}`);
    const entry: Intercept = { apiKey, fn };
    this.intercepts.push(entry);
    this.install();
    return {
      remove: () => {
        const i = this.intercepts.indexOf(entry);
        if (i >= 0) this.intercepts.splice(i, 1);
      },
    };
  }

  /**
   * Empty topics, groups and offsets; keep listeners and seeded topics (recreated empty). Also
   * retires faults, intercept() handlers, recordings, coordinator pins, RTTs and follower lag/pauses. Nodes that are
   * down stay down (bring them up first if the next test needs them).
   */
  async reset(): Promise<void> {
    this.faultInjector?.clear();
    this.recorder?.clear();
    this.intercepts.length = 0;
    this.nodeControl?.clearRtt();
    this.core.replication.clearFaults();
    this.core.placement.clearPins();
    this.core.features.reset();
    this.state().reset();
  }

  /** The whole data state (memory store only): topics, records, leaders, groups, offsets. */
  snapshot(): BrokerSnapshot {
    return this.state().snapshot();
  }

  /** Put back a snapshot: topics, records and leaders as they were; groups and offsets replayed. */
  async restore(snapshot: BrokerSnapshot): Promise<void> {
    this.state().restore(snapshot);
  }

  /** Broker stopping: end the waits; in strict mode, throw when an injected fault never fired. */
  close(): void {
    this.waiters?.close();
    if (this.faultInjector?.strict) this.faultInjector.verify();
  }

  private state(): StateControl {
    this.stateControl ??= new StateControl(this.core, this.seeded);
    return this.stateControl;
  }

  private wait(): Waiters {
    if (!this.waiters) {
      this.waiters = new Waiters(this.core);
      this.install();
    }
    return this.waiters;
  }

  private install(): void {
    if (this.installed) return;
    this.installed = async (req, next) => {
      const waiters = this.waiters;
      const counted = waiters !== null && req.api.apiKey !== 1;
      if (counted) waiters.inFlight++;
      try {
        const inner = (request?: unknown) => this.inner(req.api, request ?? req.request, req.ctx, next);
        return await (this.recorder ? this.recorder.around(req.api, req.request, req.ctx, inner) : inner());
      } finally {
        if (counted) waiters.inFlight--;
        this.waiters?.poke();
      }
    };
    this.core.dispatcher.interceptors.push(this.installed);
  }

  private async inner(
    api: ApiSpec,
    request: unknown,
    ctx: RequestContext,
    next: (request?: unknown) => Promise<HandlerResult<ApiSpec>>,
  ): Promise<HandlerResult<ApiSpec>> {
    const rtt = this.nodeControl?.rttOf(ctx.node.nodeId) ?? 0;
    const faults = this.faultInjector;
    const last = faults ? (r?: unknown) => faults.apply(api, r ?? request, ctx, next) : next;
    const chain = this.intercepts
      .filter((i) => i.apiKey === null || i.apiKey === api.apiKey)
      .reduceRight<(r?: unknown) => Promise<HandlerResult<ApiSpec>>>(
        (rest, i) => async (r?: unknown) => i.fn(r ?? request, ctx, rest),
        last,
      );
    const response = await chain(request);
    if (rtt > 0) await new Promise<void>((resolve) => this.core.clock.setTimeout(resolve, rtt));
    return response;
  }
}
