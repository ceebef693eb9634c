// The registry: one row per API served, keyed by API key. A row holds the schema, the versions
// served and how to import the handler module (loaded at the API's first request), which brings
// for per-partition APIs the PartitionShape the handler and the test kit's faults use
// (broker/partitions.ts). ApiVersions advertises exactly these
// rows and the dispatcher serves nothing else; `kafkaVersion` caps narrow them
// (broker/testkit/versions.ts). Adding an API: its schema (protocol/messages/), its handler
// file, and a row here.
import { type ApiSpec, parseVersions, type VersionRange } from '../../protocol/schema.js';
import {
  AddOffsetsToTxn,
  AddPartitionsToTxn,
  AddRaftVoter,
  AlterClientQuotas,
  AlterConfigs,
  AlterPartitionReassignments,
  AlterReplicaLogDirs,
  AlterShareGroupOffsets,
  AlterUserScramCredentials,
  ApiVersions,
  ConsumerGroupDescribe,
  ConsumerGroupHeartbeat,
  CreateAcls,
  CreateDelegationToken,
  CreatePartitions,
  CreateTopics,
  DeleteAcls,
  DeleteGroups,
  DeleteRecords,
  DeleteShareGroupOffsets,
  DeleteShareGroupState,
  DeleteTopics,
  DescribeAcls,
  DescribeClientQuotas,
  DescribeCluster,
  DescribeConfigs,
  DescribeDelegationToken,
  DescribeGroups,
  DescribeLogDirs,
  DescribeProducers,
  DescribeQuorum,
  DescribeShareGroupOffsets,
  DescribeTopicPartitions,
  DescribeTransactions,
  DescribeUserScramCredentials,
  ElectLeaders,
  EndTxn,
  ExpireDelegationToken,
  Fetch,
  FindCoordinator,
  GetTelemetrySubscriptions,
  Heartbeat,
  IncrementalAlterConfigs,
  InitProducerId,
  InitializeShareGroupState,
  JoinGroup,
  LeaveGroup,
  ListConfigResources,
  ListGroups,
  ListOffsets,
  ListPartitionReassignments,
  ListTransactions,
  Metadata,
  OffsetCommit,
  OffsetDelete,
  OffsetFetch,
  OffsetForLeaderEpoch,
  Produce,
  PushTelemetry,
  ReadShareGroupState,
  ReadShareGroupStateSummary,
  RemoveRaftVoter,
  RenewDelegationToken,
  SaslAuthenticate,
  SaslHandshake,
  ShareAcknowledge,
  ShareFetch,
  ShareGroupDescribe,
  ShareGroupHeartbeat,
  StreamsGroupDescribe,
  StreamsGroupHeartbeat,
  StreamsGroupTopologyDescriptionUpdate,
  SyncGroup,
  TxnOffsetCommit,
  UnregisterBroker,
  UnregisterController,
  UpdateFeatures,
  WriteShareGroupState,
} from '../../protocol/messages/index.js';
import type { Handler } from '../handler.js';
import type { PartitionShape } from '../partitions.js';

/** A handler module: the handler, and for per-partition APIs its PartitionShape. */
interface HandlerModule<A extends ApiSpec = ApiSpec> {
  readonly default: Handler<A>;
  readonly partitions?: PartitionShape<A>;
}

export interface ApiEntry {
  readonly api: ApiSpec;
  /** Versions served: what ApiVersions advertises (before test kit caps). */
  readonly versions: VersionRange;
  /** The handler module once loaded (the first request of the API loads it: load()). */
  readonly loaded: LoadedApi | undefined;
  /** Import the handler module (once; later calls get the same promise). */
  load(): Promise<LoadedApi>;
}

export interface LoadedApi {
  readonly handler: Handler;
  /** Where requests and responses keep topics and partitions (per-partition APIs only). */
  readonly partitions?: PartitionShape;
}

// Not served: WriteTxnMarkers (27). Kafka 4.4 lists it (v1-2) on the client listener, but only
// transaction coordinators send it, to partition leaders; a client that sends it writes commit
// or abort markers for any producer, which Kafka lets through only without an authorizer (with
// one it needs CLUSTER_ACTION). kafkalite's coordinator (broker/txn/) writes its markers in
// process, so nothing needs the API, and serving it would let a client end other producers'
// transactions behind the coordinator's back.

// Handlers load lazily (issue 15): the CLI's start imports no handler, group or share module
// until a request needs it; the dispatcher awaits load() once per API.
function serve<A extends ApiSpec>(api: A, versions: string, importModule: () => Promise<HandlerModule<A>>): ApiEntry {
  const range = parseVersions(versions);
  if (range.min < api.validVersions.min || range.max > api.validVersions.max) {
    throw new RangeError(`${api.name}: versions ${versions} outside the schema's range`);
  }
  if (api.latestVersionUnstable && range.max === api.validVersions.max) {
    throw new RangeError(`${api.name}: v${range.max} is unstable in Kafka and must not be advertised`);
  }
  let loading: Promise<LoadedApi> | undefined;
  const entry: { -readonly [K in keyof ApiEntry]: ApiEntry[K] } = {
    api,
    versions: range,
    loaded: undefined,
    load: () =>
      (loading ??= importModule().then((m) => {
        if (m.default.api !== api) throw new Error(`broker/handlers/index.ts: the ${api.name} row loads the ${m.default.api.name} handler`);
        entry.loaded = { handler: m.default as unknown as Handler, partitions: m.partitions as PartitionShape | undefined };
        return entry.loaded;
      })),
  };
  return entry;
}

const ROWS: readonly ApiEntry[] = [
  serve(Produce, '0-13', () => import('./00-produce.js')),
  serve(Fetch, '0-18', () => import('./01-fetch.js')),
  serve(ListOffsets, '0-11', () => import('./02-list-offsets.js')),
  serve(Metadata, '0-13', () => import('./03-metadata.js')),
  serve(OffsetCommit, '0-10', () => import('./08-offset-commit.js')),
  serve(OffsetFetch, '0-10', () => import('./09-offset-fetch.js')),
  serve(FindCoordinator, '0-6', () => import('./10-find-coordinator.js')),
  serve(JoinGroup, '0-9', () => import('./11-join-group.js')),
  serve(Heartbeat, '0-4', () => import('./12-heartbeat.js')),
  serve(LeaveGroup, '0-5', () => import('./13-leave-group.js')),
  serve(SyncGroup, '0-5', () => import('./14-sync-group.js')),
  serve(DescribeGroups, '0-6', () => import('./15-describe-groups.js')),
  serve(ListGroups, '0-5', () => import('./16-list-groups.js')),
  serve(ApiVersions, '0-5', () => import('./18-api-versions.js')),
  serve(CreateTopics, '0-7', () => import('./19-create-topics.js')),
  serve(DeleteTopics, '0-6', () => import('./20-delete-topics.js')),
  serve(DeleteRecords, '0-2', () => import('./21-delete-records.js')),
  serve(InitProducerId, '0-5', () => import('./22-init-producer-id.js')),
  serve(OffsetForLeaderEpoch, '0-4', () => import('./23-offset-for-leader-epoch.js')),
  serve(AddPartitionsToTxn, '0-5', () => import('./24-add-partitions-to-txn.js')),
  serve(AddOffsetsToTxn, '0-4', () => import('./25-add-offsets-to-txn.js')),
  serve(EndTxn, '0-5', () => import('./26-end-txn.js')),
  serve(TxnOffsetCommit, '0-6', () => import('./28-txn-offset-commit.js')),
  serve(DescribeConfigs, '0-4', () => import('./32-describe-configs.js')),
  serve(AlterConfigs, '0-2', () => import('./33-alter-configs.js')),
  serve(AlterReplicaLogDirs, '1-2', () => import('./34-alter-replica-log-dirs.js')),
  serve(DescribeLogDirs, '0-5', () => import('./35-describe-log-dirs.js')),
  serve(CreatePartitions, '0-3', () => import('./37-create-partitions.js')),
  serve(DescribeAcls, '1-3', () => import('./29-describe-acls.js')),
  serve(CreateAcls, '1-3', () => import('./30-create-acls.js')),
  serve(DeleteAcls, '1-3', () => import('./31-delete-acls.js')),
  serve(DeleteGroups, '0-3', () => import('./42-delete-groups.js')),
  serve(ElectLeaders, '0-2', () => import('./43-elect-leaders.js')),
  serve(IncrementalAlterConfigs, '0-1', () => import('./44-incremental-alter-configs.js')),
  serve(AlterPartitionReassignments, '0-1', () => import('./45-alter-partition-reassignments.js')),
  serve(ListPartitionReassignments, '0', () => import('./46-list-partition-reassignments.js')),
  serve(OffsetDelete, '0', () => import('./47-offset-delete.js')),
  serve(DescribeQuorum, '0-2', () => import('./55-describe-quorum.js')),
  serve(UpdateFeatures, '0-2', () => import('./57-update-features.js')),
  serve(DescribeClientQuotas, '0-1', () => import('./48-describe-client-quotas.js')),
  serve(AlterClientQuotas, '0-1', () => import('./49-alter-client-quotas.js')),
  serve(DescribeCluster, '0-2', () => import('./60-describe-cluster.js')),
  serve(DescribeProducers, '0', () => import('./61-describe-producers.js')),
  serve(UnregisterBroker, '0', () => import('./64-unregister-broker.js')),
  serve(DescribeTransactions, '0', () => import('./65-describe-transactions.js')),
  serve(ListTransactions, '0-2', () => import('./66-list-transactions.js')),
  serve(ConsumerGroupHeartbeat, '0-1', () => import('./68-consumer-group-heartbeat.js')),
  serve(ConsumerGroupDescribe, '0-1', () => import('./69-consumer-group-describe.js')),
  serve(GetTelemetrySubscriptions, '0', () => import('./71-get-telemetry-subscriptions.js')),
  serve(PushTelemetry, '0', () => import('./72-push-telemetry.js')),
  serve(ListConfigResources, '0-1', () => import('./74-list-config-resources.js')),
  serve(DescribeTopicPartitions, '0', () => import('./75-describe-topic-partitions.js')),
  serve(AddRaftVoter, '0-1', () => import('./80-add-raft-voter.js')),
  serve(RemoveRaftVoter, '0', () => import('./81-remove-raft-voter.js')),
  serve(UnregisterController, '0', () => import('./94-unregister-controller.js')),
  serve(StreamsGroupHeartbeat, '0-1', () => import('./88-streams-group-heartbeat.js')),
  serve(StreamsGroupDescribe, '0-1', () => import('./89-streams-group-describe.js')),
  serve(StreamsGroupTopologyDescriptionUpdate, '0', () => import('./93-streams-group-topology-description-update.js')),
  serve(ShareFetch, '1-2', () => import('./78-share-fetch.js')),
  serve(ShareAcknowledge, '1-2', () => import('./79-share-acknowledge.js')),
  serve(InitializeShareGroupState, '0', () => import('./83-initialize-share-group-state.js')),
  serve(ReadShareGroupState, '0', () => import('./84-read-share-group-state.js')),
  serve(WriteShareGroupState, '0-1', () => import('./85-write-share-group-state.js')),
  serve(DeleteShareGroupState, '0', () => import('./86-delete-share-group-state.js')),
  serve(ReadShareGroupStateSummary, '0-1', () => import('./87-read-share-group-state-summary.js')),
  serve(DescribeShareGroupOffsets, '0-1', () => import('./90-describe-share-group-offsets.js')),
  serve(AlterShareGroupOffsets, '0', () => import('./91-alter-share-group-offsets.js')),
  serve(DeleteShareGroupOffsets, '0', () => import('./92-delete-share-group-offsets.js')),
  serve(ShareGroupHeartbeat, '1', () => import('./76-share-group-heartbeat.js')),
  serve(ShareGroupDescribe, '1', () => import('./77-share-group-describe.js')),
  serve(SaslHandshake, '0-1', () => import('./17-sasl-handshake.js')),
  serve(SaslAuthenticate, '0-2', () => import('./36-sasl-authenticate.js')),
  serve(DescribeUserScramCredentials, '0', () => import('./50-describe-user-scram-credentials.js')),
  serve(AlterUserScramCredentials, '0', () => import('./51-alter-user-scram-credentials.js')),
  serve(CreateDelegationToken, '1-3', () => import('./38-create-delegation-token.js')),
  serve(RenewDelegationToken, '1-2', () => import('./39-renew-delegation-token.js')),
  serve(ExpireDelegationToken, '1-2', () => import('./40-expire-delegation-token.js')),
  serve(DescribeDelegationToken, '1-3', () => import('./41-describe-delegation-token.js')),
];

/** Every API served, by key. */
export const REGISTRY: ReadonlyMap<number, ApiEntry> = new Map(ROWS.map((r) => [r.api.apiKey, r]));
if (REGISTRY.size !== ROWS.length) throw new Error('broker/handlers/index.ts: an API key is listed twice');
