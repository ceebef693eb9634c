// Every API kafkalite has a schema for, by key. Handlers pick from these; ApiVersions
// advertises only what a handler serves (see broker/handlers/index.ts).
import type { ApiSpec } from '../schema.js';
import { Produce } from './00-produce.js';
import { Fetch } from './01-fetch.js';
import { ListOffsets } from './02-list-offsets.js';
import { Metadata } from './03-metadata.js';
import { OffsetCommit } from './08-offset-commit.js';
import { OffsetFetch } from './09-offset-fetch.js';
import { FindCoordinator } from './10-find-coordinator.js';
import { JoinGroup } from './11-join-group.js';
import { Heartbeat } from './12-heartbeat.js';
import { LeaveGroup } from './13-leave-group.js';
import { SyncGroup } from './14-sync-group.js';
import { DescribeGroups } from './15-describe-groups.js';
import { ListGroups } from './16-list-groups.js';
import { SaslHandshake } from './17-sasl-handshake.js';
import { ApiVersions } from './18-api-versions.js';
import { CreateTopics } from './19-create-topics.js';
import { DeleteTopics } from './20-delete-topics.js';
import { DeleteRecords } from './21-delete-records.js';
import { InitProducerId } from './22-init-producer-id.js';
import { OffsetForLeaderEpoch } from './23-offset-for-leader-epoch.js';
import { AddPartitionsToTxn } from './24-add-partitions-to-txn.js';
import { AddOffsetsToTxn } from './25-add-offsets-to-txn.js';
import { EndTxn } from './26-end-txn.js';
import { WriteTxnMarkers } from './27-write-txn-markers.js';
import { TxnOffsetCommit } from './28-txn-offset-commit.js';
import { DescribeAcls } from './29-describe-acls.js';
import { CreateAcls } from './30-create-acls.js';
import { DeleteAcls } from './31-delete-acls.js';
import { DescribeConfigs } from './32-describe-configs.js';
import { AlterConfigs } from './33-alter-configs.js';
import { AlterReplicaLogDirs } from './34-alter-replica-log-dirs.js';
import { DescribeLogDirs } from './35-describe-log-dirs.js';
import { SaslAuthenticate } from './36-sasl-authenticate.js';
import { CreatePartitions } from './37-create-partitions.js';
import { CreateDelegationToken } from './38-create-delegation-token.js';
import { RenewDelegationToken } from './39-renew-delegation-token.js';
import { ExpireDelegationToken } from './40-expire-delegation-token.js';
import { DescribeDelegationToken } from './41-describe-delegation-token.js';
import { DeleteGroups } from './42-delete-groups.js';
import { ElectLeaders } from './43-elect-leaders.js';
import { IncrementalAlterConfigs } from './44-incremental-alter-configs.js';
import { AlterPartitionReassignments } from './45-alter-partition-reassignments.js';
import { ListPartitionReassignments } from './46-list-partition-reassignments.js';
import { OffsetDelete } from './47-offset-delete.js';
import { DescribeClientQuotas } from './48-describe-client-quotas.js';
import { AlterClientQuotas } from './49-alter-client-quotas.js';
import { DescribeUserScramCredentials } from './50-describe-user-scram-credentials.js';
import { AlterUserScramCredentials } from './51-alter-user-scram-credentials.js';
import { DescribeQuorum } from './55-describe-quorum.js';
import { UpdateFeatures } from './57-update-features.js';
import { DescribeCluster } from './60-describe-cluster.js';
import { DescribeProducers } from './61-describe-producers.js';
import { UnregisterBroker } from './64-unregister-broker.js';
import { DescribeTransactions } from './65-describe-transactions.js';
import { ListTransactions } from './66-list-transactions.js';
import { ConsumerGroupHeartbeat } from './68-consumer-group-heartbeat.js';
import { ConsumerGroupDescribe } from './69-consumer-group-describe.js';
import { GetTelemetrySubscriptions } from './71-get-telemetry-subscriptions.js';
import { PushTelemetry } from './72-push-telemetry.js';
import { ListConfigResources } from './74-list-config-resources.js';
import { DescribeTopicPartitions } from './75-describe-topic-partitions.js';
import { ShareGroupHeartbeat } from './76-share-group-heartbeat.js';
import { ShareGroupDescribe } from './77-share-group-describe.js';
import { ShareFetch } from './78-share-fetch.js';
import { ShareAcknowledge } from './79-share-acknowledge.js';
import { AddRaftVoter } from './80-add-raft-voter.js';
import { RemoveRaftVoter } from './81-remove-raft-voter.js';
import { InitializeShareGroupState } from './83-initialize-share-group-state.js';
import { ReadShareGroupState } from './84-read-share-group-state.js';
import { WriteShareGroupState } from './85-write-share-group-state.js';
import { DeleteShareGroupState } from './86-delete-share-group-state.js';
import { ReadShareGroupStateSummary } from './87-read-share-group-state-summary.js';
import { StreamsGroupHeartbeat } from './88-streams-group-heartbeat.js';
import { StreamsGroupDescribe } from './89-streams-group-describe.js';
import { DescribeShareGroupOffsets } from './90-describe-share-group-offsets.js';
import { AlterShareGroupOffsets } from './91-alter-share-group-offsets.js';
import { DeleteShareGroupOffsets } from './92-delete-share-group-offsets.js';
import { StreamsGroupTopologyDescriptionUpdate } from './93-streams-group-topology-description-update.js';
import { UnregisterController } from './94-unregister-controller.js';

export { ApiVersions };
// Consumer, producer and group APIs.
export {
  Produce,
  Fetch,
  ListOffsets,
  Metadata,
  FindCoordinator,
  CreateTopics,
  DeleteTopics,
  InitProducerId,
  OffsetForLeaderEpoch,
  DescribeCluster,
  OffsetCommit,
  OffsetFetch,
  JoinGroup,
  Heartbeat,
  LeaveGroup,
  SyncGroup,
  DescribeGroups,
  ListGroups,
  DeleteGroups,
  OffsetDelete,
  ConsumerGroupHeartbeat,
  ConsumerGroupDescribe,
};
export {
  SaslHandshake,
  DeleteRecords,
  AddPartitionsToTxn,
  AddOffsetsToTxn,
  EndTxn,
  WriteTxnMarkers,
  TxnOffsetCommit,
  DescribeAcls,
  CreateAcls,
  DeleteAcls,
  DescribeConfigs,
  AlterConfigs,
  AlterReplicaLogDirs,
  DescribeLogDirs,
  SaslAuthenticate,
  CreatePartitions,
  CreateDelegationToken,
  RenewDelegationToken,
  ExpireDelegationToken,
  DescribeDelegationToken,
  ElectLeaders,
  IncrementalAlterConfigs,
  AlterPartitionReassignments,
  ListPartitionReassignments,
  DescribeClientQuotas,
  AlterClientQuotas,
  DescribeUserScramCredentials,
  AlterUserScramCredentials,
  DescribeQuorum,
  UpdateFeatures,
  DescribeProducers,
  DescribeTransactions,
  ListTransactions,
  GetTelemetrySubscriptions,
  PushTelemetry,
  ListConfigResources,
  DescribeTopicPartitions,
};

// Share groups (KIP-932), streams groups (KIP-1071), KRaft admin and inter-broker APIs that
// Kafka 4.4 defines for the broker listener: schemas only, no handler serves them yet.
export {
  UnregisterBroker,
  ShareGroupHeartbeat,
  ShareGroupDescribe,
  ShareFetch,
  ShareAcknowledge,
  AddRaftVoter,
  RemoveRaftVoter,
  InitializeShareGroupState,
  ReadShareGroupState,
  WriteShareGroupState,
  DeleteShareGroupState,
  ReadShareGroupStateSummary,
  StreamsGroupHeartbeat,
  StreamsGroupDescribe,
  DescribeShareGroupOffsets,
  AlterShareGroupOffsets,
  DeleteShareGroupOffsets,
  StreamsGroupTopologyDescriptionUpdate,
  UnregisterController,
};

export const ALL_APIS: readonly ApiSpec[] = [
  ApiVersions,
  SaslHandshake,
  DeleteRecords,
  AddPartitionsToTxn,
  AddOffsetsToTxn,
  EndTxn,
  WriteTxnMarkers,
  TxnOffsetCommit,
  DescribeAcls,
  CreateAcls,
  DeleteAcls,
  DescribeConfigs,
  AlterConfigs,
  AlterReplicaLogDirs,
  DescribeLogDirs,
  SaslAuthenticate,
  CreatePartitions,
  CreateDelegationToken,
  RenewDelegationToken,
  ExpireDelegationToken,
  DescribeDelegationToken,
  ElectLeaders,
  IncrementalAlterConfigs,
  AlterPartitionReassignments,
  ListPartitionReassignments,
  DescribeClientQuotas,
  AlterClientQuotas,
  DescribeUserScramCredentials,
  AlterUserScramCredentials,
  DescribeQuorum,
  UpdateFeatures,
  DescribeProducers,
  DescribeTransactions,
  ListTransactions,
  GetTelemetrySubscriptions,
  PushTelemetry,
  ListConfigResources,
  DescribeTopicPartitions,
  Produce,
  Fetch,
  ListOffsets,
  Metadata,
  FindCoordinator,
  CreateTopics,
  DeleteTopics,
  InitProducerId,
  OffsetForLeaderEpoch,
  DescribeCluster,
  OffsetCommit,
  OffsetFetch,
  JoinGroup,
  Heartbeat,
  LeaveGroup,
  SyncGroup,
  DescribeGroups,
  ListGroups,
  DeleteGroups,
  OffsetDelete,
  ConsumerGroupHeartbeat,
  ConsumerGroupDescribe,
  UnregisterBroker,
  ShareGroupHeartbeat,
  ShareGroupDescribe,
  ShareFetch,
  ShareAcknowledge,
  AddRaftVoter,
  RemoveRaftVoter,
  InitializeShareGroupState,
  ReadShareGroupState,
  WriteShareGroupState,
  DeleteShareGroupState,
  ReadShareGroupStateSummary,
  StreamsGroupHeartbeat,
  StreamsGroupDescribe,
  DescribeShareGroupOffsets,
  AlterShareGroupOffsets,
  DeleteShareGroupOffsets,
  StreamsGroupTopologyDescriptionUpdate,
  UnregisterController,
].sort((a, b) => a.apiKey - b.apiKey);

export const API_BY_KEY: ReadonlyMap<number, ApiSpec> = new Map(ALL_APIS.map((a) => [a.apiKey, a]));
