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
import { GroupCoordinator } from './groups/coordinator.js';
import { GroupConfigs } from './groups/group-configs.js';
import type { ShareGroups } from './groups/share/owner.js';
import { GROUP_METADATA_TOPIC } from './groups/persistence.js';
import type { ApiEntry } from './handlers/index.js';
import { ClientTelemetry } from './telemetry/manager.js';
import { SaslManager } from './security/sasl/manager.js';
import { QuotaManager } from './quotas/manager.js';
import { BrokerLimits } from './limits/index.js';
import { Authorizer } from './security/authorizer/authorizer.js';
import { authorizationGate } from './security/authorizer/gate.js';
import { Replication } from './replication/replication.js';
import { ShareManager } from './share/manager.js';
import { ClientQuotaStore } from './quotas/store.js';
import { TopicManager, type TopicResult } from './topics.js';
import { TransactionCoordinator } from './txn/coordinator.js';

export class BrokerCore {
  readonly cluster: ClusterState;
  /** Replicas, ISR, follower faults and leader elections on the simulated nodes (broker/replication/). */
  readonly replication: Replication;
  /** Which node coordinates a group or transactional id (pins included): ask here. */
  readonly placement: CoordinatorPlacement;
  readonly topics: TopicManager;
  /** Dynamic broker configs and the Describe/AlterConfigs logic. */
  readonly configs: ConfigAdmin;
  /** The group coordinator: groups, committed offsets, `__consumer_offsets` (broker/groups/). */
  readonly groups: GroupCoordinator;
  /** Share groups as delivery and the operator surface see them: members, assignments, leave events (broker/groups/share/owner.ts). */
  readonly shareGroups: ShareGroups;
  /** GROUP config resources (type 32), read by the group coordinators and ListConfigResources. */
  readonly groupConfigs: GroupConfigs;
  /** The transaction coordinator: producer ids, transactions, `__transaction_state` (broker/txn/). */
  readonly txn: TransactionCoordinator;
  /** Client telemetry (KIP-714): subscriptions, client instances, their latest pushes (broker/telemetry/). */
  readonly telemetry: ClientTelemetry;
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
  /** Share groups' delivery (KIP-932): share partitions, share sessions (broker/share/). */
  readonly share: ShareManager;
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
    this.telemetry = new ClientTelemetry({ clock, log, store, maxBytes: () => config.int('telemetry.max.bytes') });
    this.configs = new ConfigAdmin(config, store, this.topics, log, nodeIds[0]!, groupConfigs, this.telemetry.configs);
    const placement = this.placement;
    this.groups = new GroupCoordinator({ topics: this.topics, cluster: this.cluster, placement, config, clock, log, groupConfigs });
    this.shareGroups = this.groups.shareGroups;
    this.txn = new TransactionCoordinator({
      topics: this.topics,
      groups: this.groups,
      cluster: this.cluster,
      placement,
      config,
      clock,
      log,
      store,
    });
    this.share = new ShareManager({ topics: this.topics, clock, config, groupConfigs, log });
    this.share.attach(this.shareGroups);
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

  /** Delete a topic at a client's request: its logs, then the groups' committed offsets for it. */
  deleteTopic(name: string): TopicResult {
    const result = this.topics.delete(name);
    if (result.errorCode === 0) this.groups.onTopicDeleted(name);
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
