// The registry: one row per API served, keyed by API key. A row holds the handler (and with it
// the schema), the versions served, and for per-partition APIs the PartitionShape the handler
// and the test kit's faults use (broker/partitions.ts). ApiVersions advertises exactly these
// rows and the dispatcher serves nothing else; `kafkaVersion` caps narrow them
// (broker/testkit/versions.ts). Adding an API: its schema (protocol/messages/), its handler
// file, and a row here.
import { type ApiSpec, parseVersions, type VersionRange } from '../../protocol/schema.js';
import type { Handler } from '../handler.js';
import type { PartitionShape } from '../partitions.js';
import produce, { partitions as producePartitions } from './00-produce.js';
import fetch, { partitions as fetchPartitions } from './01-fetch.js';
import listOffsets, { partitions as listOffsetsPartitions } from './02-list-offsets.js';
import metadata from './03-metadata.js';
import offsetCommit, { partitions as offsetCommitPartitions } from './08-offset-commit.js';
import offsetFetch, { partitions as offsetFetchPartitions } from './09-offset-fetch.js';
import findCoordinator from './10-find-coordinator.js';
import joinGroup from './11-join-group.js';
import heartbeat from './12-heartbeat.js';
import leaveGroup from './13-leave-group.js';
import syncGroup from './14-sync-group.js';
import describeGroups from './15-describe-groups.js';
import listGroups from './16-list-groups.js';
import apiVersions from './18-api-versions.js';
import createTopics from './19-create-topics.js';
import deleteTopics from './20-delete-topics.js';
import deleteRecords, { partitions as deleteRecordsPartitions } from './21-delete-records.js';
import offsetForLeaderEpoch, { partitions as offsetForLeaderEpochPartitions } from './23-offset-for-leader-epoch.js';
import initProducerId from './22-init-producer-id.js';
import addPartitionsToTxn from './24-add-partitions-to-txn.js';
import addOffsetsToTxn from './25-add-offsets-to-txn.js';
import endTxn from './26-end-txn.js';
import txnOffsetCommit from './28-txn-offset-commit.js';
import describeProducers from './61-describe-producers.js';
import describeTransactions from './65-describe-transactions.js';
import listTransactions from './66-list-transactions.js';
import describeConfigs from './32-describe-configs.js';
import alterConfigs from './33-alter-configs.js';
import alterReplicaLogDirs from './34-alter-replica-log-dirs.js';
import describeLogDirs from './35-describe-log-dirs.js';
import createPartitions from './37-create-partitions.js';
import describeAcls from './29-describe-acls.js';
import createAcls from './30-create-acls.js';
import deleteAcls from './31-delete-acls.js';
import deleteGroups from './42-delete-groups.js';
import electLeaders from './43-elect-leaders.js';
import incrementalAlterConfigs from './44-incremental-alter-configs.js';
import alterPartitionReassignments from './45-alter-partition-reassignments.js';
import listPartitionReassignments from './46-list-partition-reassignments.js';
import offsetDelete from './47-offset-delete.js';
import describeQuorum from './55-describe-quorum.js';
import updateFeatures from './57-update-features.js';
import describeClientQuotas from './48-describe-client-quotas.js';
import alterClientQuotas from './49-alter-client-quotas.js';
import describeCluster from './60-describe-cluster.js';
import unregisterBroker from './64-unregister-broker.js';
import consumerGroupHeartbeat from './68-consumer-group-heartbeat.js';
import consumerGroupDescribe from './69-consumer-group-describe.js';
import getTelemetrySubscriptions from './71-get-telemetry-subscriptions.js';
import pushTelemetry from './72-push-telemetry.js';
import listConfigResources from './74-list-config-resources.js';
import describeTopicPartitions from './75-describe-topic-partitions.js';
import addRaftVoter from './80-add-raft-voter.js';
import removeRaftVoter from './81-remove-raft-voter.js';
import unregisterController from './94-unregister-controller.js';
import shareGroupHeartbeat from './76-share-group-heartbeat.js';
import shareGroupDescribe from './77-share-group-describe.js';
import streamsGroupHeartbeat from './88-streams-group-heartbeat.js';
import streamsGroupDescribe from './89-streams-group-describe.js';
import streamsGroupTopologyDescriptionUpdate from './93-streams-group-topology-description-update.js';
import shareFetch from './78-share-fetch.js';
import shareAcknowledge from './79-share-acknowledge.js';
import initializeShareGroupState from './83-initialize-share-group-state.js';
import readShareGroupState from './84-read-share-group-state.js';
import writeShareGroupState from './85-write-share-group-state.js';
import deleteShareGroupState from './86-delete-share-group-state.js';
import readShareGroupStateSummary from './87-read-share-group-state-summary.js';
import describeShareGroupOffsets from './90-describe-share-group-offsets.js';
import alterShareGroupOffsets from './91-alter-share-group-offsets.js';
import deleteShareGroupOffsets from './92-delete-share-group-offsets.js';
import saslHandshake from './17-sasl-handshake.js';
import saslAuthenticate from './36-sasl-authenticate.js';
import describeUserScramCredentials from './50-describe-user-scram-credentials.js';
import alterUserScramCredentials from './51-alter-user-scram-credentials.js';
import createDelegationToken from './38-create-delegation-token.js';
import renewDelegationToken from './39-renew-delegation-token.js';
import expireDelegationToken from './40-expire-delegation-token.js';
import describeDelegationToken from './41-describe-delegation-token.js';

export interface ApiEntry {
  readonly api: ApiSpec;
  /** Versions served: what ApiVersions advertises (before test kit caps). */
  readonly versions: VersionRange;
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

function serve<A extends ApiSpec>(handler: Handler<A>, versions: string, partitions?: PartitionShape<A>): ApiEntry {
  const api = handler.api;
  const range = parseVersions(versions);
  if (range.min < api.validVersions.min || range.max > api.validVersions.max) {
    throw new RangeError(`${api.name}: versions ${versions} outside the schema's range`);
  }
  if (api.latestVersionUnstable && range.max === api.validVersions.max) {
    throw new RangeError(`${api.name}: v${range.max} is unstable in Kafka and must not be advertised`);
  }
  return { api, versions: range, handler: handler as unknown as Handler, partitions: partitions as PartitionShape | undefined };
}

const ROWS: readonly ApiEntry[] = [
  serve(produce, '0-13', producePartitions),
  serve(fetch, '0-18', fetchPartitions),
  serve(listOffsets, '0-11', listOffsetsPartitions),
  serve(metadata, '0-13'),
  serve(offsetCommit, '0-10', offsetCommitPartitions),
  serve(offsetFetch, '0-10', offsetFetchPartitions),
  serve(findCoordinator, '0-6'),
  serve(joinGroup, '0-9'),
  serve(heartbeat, '0-4'),
  serve(leaveGroup, '0-5'),
  serve(syncGroup, '0-5'),
  serve(describeGroups, '0-6'),
  serve(listGroups, '0-5'),
  serve(apiVersions, '0-5'),
  serve(createTopics, '0-7'),
  serve(deleteTopics, '0-6'),
  serve(deleteRecords, '0-2', deleteRecordsPartitions),
  serve(initProducerId, '0-5'),
  serve(offsetForLeaderEpoch, '0-4', offsetForLeaderEpochPartitions),
  serve(addPartitionsToTxn, '0-5'),
  serve(addOffsetsToTxn, '0-4'),
  serve(endTxn, '0-5'),
  serve(txnOffsetCommit, '0-6'),
  serve(describeConfigs, '0-4'),
  serve(alterConfigs, '0-2'),
  serve(alterReplicaLogDirs, '1-2'),
  serve(describeLogDirs, '0-5'),
  serve(createPartitions, '0-3'),
  serve(describeAcls, '1-3'),
  serve(createAcls, '1-3'),
  serve(deleteAcls, '1-3'),
  serve(deleteGroups, '0-3'),
  serve(electLeaders, '0-2'),
  serve(incrementalAlterConfigs, '0-1'),
  serve(alterPartitionReassignments, '0-1'),
  serve(listPartitionReassignments, '0'),
  serve(offsetDelete, '0'),
  serve(describeQuorum, '0-2'),
  serve(updateFeatures, '0-2'),
  serve(describeClientQuotas, '0-1'),
  serve(alterClientQuotas, '0-1'),
  serve(describeCluster, '0-2'),
  serve(describeProducers, '0'),
  serve(unregisterBroker, '0'),
  serve(describeTransactions, '0'),
  serve(listTransactions, '0-2'),
  serve(consumerGroupHeartbeat, '0-1'),
  serve(consumerGroupDescribe, '0-1'),
  serve(getTelemetrySubscriptions, '0'),
  serve(pushTelemetry, '0'),
  serve(listConfigResources, '0-1'),
  serve(describeTopicPartitions, '0'),
  serve(addRaftVoter, '0-1'),
  serve(removeRaftVoter, '0'),
  serve(unregisterController, '0'),
  serve(streamsGroupHeartbeat, '0-1'),
  serve(streamsGroupDescribe, '0-1'),
  serve(streamsGroupTopologyDescriptionUpdate, '0'),
  serve(shareFetch, '1-2'),
  serve(shareAcknowledge, '1-2'),
  serve(initializeShareGroupState, '0'),
  serve(readShareGroupState, '0'),
  serve(writeShareGroupState, '0-1'),
  serve(deleteShareGroupState, '0'),
  serve(readShareGroupStateSummary, '0-1'),
  serve(describeShareGroupOffsets, '0-1'),
  serve(alterShareGroupOffsets, '0'),
  serve(deleteShareGroupOffsets, '0'),
  serve(shareGroupHeartbeat, '1'),
  serve(shareGroupDescribe, '1'),
  serve(saslHandshake, '0-1'),
  serve(saslAuthenticate, '0-2'),
  serve(describeUserScramCredentials, '0'),
  serve(alterUserScramCredentials, '0'),
  serve(createDelegationToken, '1-3'),
  serve(renewDelegationToken, '1-2'),
  serve(expireDelegationToken, '1-2'),
  serve(describeDelegationToken, '1-3'),
];

/** Every API served, by key. */
export const REGISTRY: ReadonlyMap<number, ApiEntry> = new Map(ROWS.map((r) => [r.api.apiKey, r]));
if (REGISTRY.size !== ROWS.length) throw new Error('broker/handlers/index.ts: an API key is listed twice');
