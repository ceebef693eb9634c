// BrokerCore holds the state of one kafkalite instance: configuration, clock, log store,
// the simulated cluster (nodes), the topic table and the dispatcher. Handlers reach all of
// it through ctx.broker. It owns nothing network-related; listeners live in index.ts.

import type { Logger } from 'pino';
import type { BrokerConfig } from '../config/index.js';
import type { Clock } from '../storage/clock.js';
import type { LogStore } from '../storage/types.js';
import { ClusterState } from './cluster.js';
import { ConfigAdmin } from './configs.js';
import { CoordinatorPlacement } from './coordinator-placement.js';
import { Dispatcher, keepsNothing } from './dispatcher.js';
import { FeatureLevels } from './features.js';
import type { Coordinators } from './coordinators.js';
import type { GroupCoordinator } from './groups/coordinator.js';
import { GroupConfigs } from './groups/group-configs.js';
import type { ShareGroups } from './groups/share/owner.js';
import type { ApiEntry } from './handlers/index.js';
import { ClientMetricsConfigs } from './telemetry/client-metrics-configs.js';
import type { ClientPush, ClientTelemetry } from './telemetry/manager.js';
import { SaslManager } from './security/sasl/manager.js';
import { QuotaManager } from './quotas/manager.js';
import { BrokerLimits } from './limits/index.js';
import { Authorizer } from './security/authorizer/authorizer.js';
import { authorizationGate } from './security/authorizer/gate.js';
import { Replication } from './replication/replication.js';
import type { ShareManager } from './share/manager.js';
import { ClientQuotaStore } from './quotas/store.js';
import { GROUP_METADATA_TOPIC, INTERNAL_TOPICS, TopicManager, type TopicResult } from './topics.js';
import type { TransactionCoordinator } from './txn/coordinator.js';

/** broker/telemetry/manager.ts once imported (BrokerCore.clientTelemetry()). */
let telemetryModule: typeof import('./telemetry/manager.js') | undefined;
/** broker/coordinators.ts once imported (BrokerCore.coordinators()). */
let coordinatorsModule: typeof import('./coordinators.js') | undefined;

export class BrokerCore {
  readonly cluster: ClusterState;
  /** Replicas, ISR, follower faults and leader elections on the simulated nodes (broker/replication/). */
  readonly replication: Replication;
  /** Which node coordinates a group or transactional id (pins included): ask here. */
  readonly placement: CoordinatorPlacement;
  readonly topics: TopicManager;
  /** Dynamic broker configs and the Describe/AlterConfigs logic. */
  readonly configs: ConfigAdmin;
  /** The group side (groups, transactions, share delivery: broker/coordinators.ts), once made. */
  private made: Coordinators | null = null;
  private making: Promise<Coordinators> | null = null;
  /** Set by shutdownCoordinators(): a group side not made by then is never made. */
  private coordinatorsShut = false;
  /** GROUP config resources (type 32), read by the group coordinators and ListConfigResources. */
  readonly groupConfigs: GroupConfigs;
  /** CLIENT_METRICS resources (KIP-714 subscriptions), read at start, changed through ConfigAdmin. */
  readonly clientMetrics: ClientMetricsConfigs;
  /** Client telemetry (broker/telemetry/manager.ts), made at the first telemetry request. */
  private telemetryMade: ClientTelemetry | null = null;
  readonly dispatcher: Dispatcher;
  /** Finalized feature levels (ApiVersions, UpdateFeatures): broker/features.ts. */
  readonly features: FeatureLevels;
  /** Client quota values (DescribeClientQuotas/AlterClientQuotas; broker/quotas/store.ts). */
  readonly quotas: ClientQuotaStore;
  /** Quota enforcement: rates, throttle times, muting figures (broker/quotas/manager.ts). */
  readonly throttling: QuotaManager;
  /** Connection and request bounds (broker/limits/). */
  readonly limits: BrokerLimits;
  /** ACLs and authorization decisions (broker/security/authorizer/): Kafka's StandardAuthorizer. */
  readonly authorizer: Authorizer;
  /** SASL authentication and SCRAM credentials (broker/security/sasl/manager.ts). */
  readonly sasl: SaslManager;
  /** Start time, for uptime and for ids handed out since start. */
  readonly startedAt: number;

  constructor(
    readonly config: BrokerConfig,
    readonly store: LogStore,
    readonly clock: Clock,
    readonly log: Logger,
    registry: ReadonlyMap<number, ApiEntry>,
    nodeIds: number[],
  ) {
    this.cluster = new ClusterState(store.clusterId, nodeIds);
    this.placement = new CoordinatorPlacement(this.cluster);
    this.replication = new Replication(this.cluster, config, clock);
    this.topics = new TopicManager(store, config, this.cluster, this.replication);
    this.replication.bind(this.topics);
    const groupConfigs = new GroupConfigs(config, store, log);
    this.groupConfigs = groupConfigs;
    this.clientMetrics = new ClientMetricsConfigs(store, log);
    this.configs = new ConfigAdmin(config, store, this.topics, log, nodeIds[0]!, groupConfigs, this.clientMetrics);
    this.quotas = new ClientQuotaStore(store, log);
    this.throttling = new QuotaManager(this.quotas, config, clock);
    this.limits = new BrokerLimits(config, clock, log);
    this.authorizer = new Authorizer(config, store, log);
    this.dispatcher = new Dispatcher(this, registry);
    this.dispatcher.interceptors.push(keepsNothing(authorizationGate));
    this.sasl = new SaslManager(config, store, clock, log, (v) =>
      this.dispatcher.served().some((a) => a.apiKey === 18 && v >= a.minVersion && v <= a.maxVersion),
    );
    this.features = new FeatureLevels(store, log, () => this.cluster.controllerId);
    this.startedAt = clock.now();
  }

  /**
   * Makes the group side once (broker/coordinators.ts, imported only then) and replays its stored
   * state; later calls return the same. startBroker() awaits it at start, or the dispatcher before
   * the first request that may need it.
   */
  coordinators(): Promise<Coordinators> {
    if (this.making) return this.making;
    const make = (m: typeof import('./coordinators.js')): Coordinators => {
      coordinatorsModule = m;
      if (this.coordinatorsShut) throw new Error('the broker is stopping');
      this.made = m.createCoordinators(this);
      return this.made;
    };
    // Once imported, later brokers of this process make theirs without a trip through the loader.
    const m = coordinatorsModule;
    this.making = m ? new Promise((resolve) => resolve(make(m))) : import('./coordinators.js').then(make);
    return this.making;
  }

  /**
   * Client telemetry (KIP-714: client instances, their subscriptions and latest pushes), made once
   * at the first GetTelemetrySubscriptions or PushTelemetry (issue 15, lean start).
   */
  async clientTelemetry(): Promise<ClientTelemetry> {
    telemetryModule ??= await import('./telemetry/manager.js');
    this.telemetryMade ??= new telemetryModule.ClientTelemetry({
      clock: this.clock,
      log: this.log,
      configs: this.clientMetrics,
      maxBytes: () => this.config.int('telemetry.max.bytes'),
    });
    return this.telemetryMade;
  }

  /** The client telemetry if a client has reached it (null: no client instance, no push yet). */
  get telemetry(): ClientTelemetry | null {
    return this.telemetryMade;
  }

  /** The client instances telemetry knows, with their latest pushes (none before the first telemetry request). */
  telemetryClients(): ClientPush[] {
    return this.telemetryMade?.clients() ?? [];
  }

  /** Whether the group side is made (the getters below throw until then). */
  get coordinatorsMade(): boolean {
    return this.made !== null;
  }

  /** Whether the store holds an internal topic the group side replays (then it is made at start). */
  hasCoordinatorState(): boolean {
    for (const name of INTERNAL_TOPICS) if (this.topics.get(name)) return true;
    return false;
  }

  private coordinatorsOrThrow(): Coordinators {
    if (!this.made) throw new Error('the group coordinators are not made yet: await core.coordinators() first');
    return this.made;
  }

  /** The group coordinator: groups, committed offsets, `__consumer_offsets` (broker/groups/). */
  get groups(): GroupCoordinator {
    return this.coordinatorsOrThrow().groups;
  }
  /** Share groups as delivery and the operator surface see them: members, assignments, leave events (broker/groups/share/owner.ts). */
  get shareGroups(): ShareGroups {
    return this.coordinatorsOrThrow().shareGroups;
  }
  /** The transaction coordinator: producer ids, transactions, `__transaction_state` (broker/txn/). */
  get txn(): TransactionCoordinator {
    return this.coordinatorsOrThrow().txn;
  }
  /** Share groups' delivery (KIP-932): share partitions, share sessions (broker/share/). */
  get share(): ShareManager {
    return this.coordinatorsOrThrow().share;
  }

  /** Stops the group side's timers and parked requests, if it was made. */
  shutdownCoordinators(): void {
    this.coordinatorsShut = true;
    this.made?.groups.shutdown();
    this.made?.txn.shutdown();
  }

  /**
   * Close the store at a clean stop, the producer snapshots written as its logs close (none when
   * the group side was never made: every request that builds producer state makes it first).
   */
  closeStore(): Promise<void> {
    const txn = this.made?.txn;
    return this.store.close(txn ? () => txn.writeProducerSnapshots() : undefined);
  }

  /** Delete a topic at a client's request: its logs, then the groups' committed offsets for it. */
  deleteTopic(name: string): TopicResult {
    const result = this.topics.delete(name);
    if (result.errorCode === 0) this.made?.groups.onTopicDeleted(name); // none made: no group has offsets
    return result;
  }

  /** Auto-create a topic referenced by Metadata or Produce, if auto.create.topics.enable allows. */
  autoCreate(name: string): TopicResult | null {
    if (!this.config.bool('auto.create.topics.enable')) return null;
    // Kafka creates its internal group topic with the coordinator's settings.
    if (name === GROUP_METADATA_TOPIC) return { errorCode: 0, errorMessage: null, topic: this.groups.topic.ensure() };
    const result = this.topics.create(name, {});
    if (result.errorCode === 0) this.log.info({ topic: name, partitions: result.topic!.partitions.length }, 'auto-created topic');
    return result;
  }
}
