// Cluster administration of a single-node KRaft cluster: DescribeQuorum, UpdateFeatures,
// AlterPartitionReassignments (with ListPartitionReassignments after it), AlterReplicaLogDirs,
// AddRaftVoter, RemoveRaftVoter, UnregisterController and UnregisterBroker.
//
// Some of these change the real Kafka for the rest of the file: updates that succeed are put
// back in the same scenario (UpdateFeatures v0 has no validate_only, so v0 only sends updates
// that fail or change nothing), and UnregisterBroker of the live broker, after which Kafka lists
// no brokers, is the last scenario.

import {
  AddRaftVoter,
  AlterPartitionReassignments,
  AlterReplicaLogDirs,
  ConsumerGroupDescribe,
  ConsumerGroupHeartbeat,
  DescribeLogDirs,
  DescribeQuorum,
  ListPartitionReassignments,
  RemoveRaftVoter,
  UnregisterBroker,
  UnregisterController,
  UpdateFeatures,
} from '../../../protocol/messages/index.js';
import type { Ctx, Res, Scenario, Step } from '../oracle.js';
import { createTopic } from '../steps.js';

const NODE = 1;
const ZERO_DIR = 'AAAAAAAAAAAAAAAAAAAAAA';
const SOME_DIR = 'AAAAAAAAAAAAAAAAAAAAAg';

const QUORUM = { topics: [{ topicName: '__cluster_metadata', partitions: [{ partitionIndex: 0 }] }] };

/** The cluster ids differ (each broker formats its own): the messages naming them are compared without them. */
function clusterIdsInText(kafka: Res, lite: Res): void {
  for (const r of [kafka, lite]) {
    if (typeof r?.errorMessage === 'string')
      r.errorMessage = r.errorMessage.replace(/the cluster id "[^"]*"/, 'the cluster id "<cluster>"');
  }
}

const update = (feature: string, level: number, upgradeType = 1, validateOnly = true, allowDowngrade = upgradeType !== 1) => ({
  feature,
  maxVersionLevel: level,
  allowDowngrade,
  upgradeType,
  validateOnly,
});

function updateFeatures(updates: ReadonlyArray<ReturnType<typeof update>>, validateOnly = true): Step {
  return {
    api: UpdateFeatures,
    body: {
      timeoutMs: 30_000,
      featureUpdates: updates.map(({ validateOnly: _, ...u }) => u),
      validateOnly,
    },
  };
}

function reassign(topic: (c: Ctx) => string, partitionIndex: number, replicas: number[] | null, allowReplicationFactorChange = true): Step {
  return {
    api: AlterPartitionReassignments,
    body: (c) => ({
      timeoutMs: 30_000,
      allowReplicationFactorChange,
      topics: [{ name: topic(c), partitions: [{ partitionIndex, replicas }] }],
    }),
  };
}

const cgHeartbeat: Step = {
  api: ConsumerGroupHeartbeat,
  body: (c) => ({
    groupId: c.name('cg'),
    memberId: 'AAAAAAAAAAAAAAAAAAAAAQ',
    memberEpoch: 0,
    instanceId: null,
    rackId: null,
    rebalanceTimeoutMs: 30_000,
    subscribedTopicNames: [c.name('t')],
    subscribedTopicRegex: null,
    serverAssignor: null,
    topicPartitions: [],
  }),
};

export const ADMIN_SCENARIOS: Scenario[] = [
  {
    id: 'admin/describe-quorum',
    api: DescribeQuorum,
    about: 'the single combined node: leader and only voter of __cluster_metadata-0, no observers; v2 its CONTROLLER listener',
    normalise: [
      {
        path: '**highWatermark',
        action: 'zero',
        reason: "the metadata log's end: Kafka's counts registrations and periodic no-op records",
      },
      { path: '**logEndOffset', action: 'zero', reason: "the metadata log's end, as the high watermark" },
      { path: '**lastFetchTimestamp', action: 'time', reason: 'the broker clock' },
      { path: '**lastCaughtUpTimestamp', action: 'time', reason: 'the broker clock' },
    ],
    steps: [{ api: DescribeQuorum, body: QUORUM }],
  },
  {
    id: 'admin/describe-quorum-unknown-partition',
    api: DescribeQuorum,
    about: 'anything but exactly __cluster_metadata-0: UNKNOWN_TOPIC_OR_PARTITION on each partition named; nothing named, nothing answered',
    steps: [
      { api: DescribeQuorum, body: { topics: [{ topicName: 'not-metadata', partitions: [{ partitionIndex: 0 }] }] } },
      { api: DescribeQuorum, body: { topics: [{ topicName: '__cluster_metadata', partitions: [{ partitionIndex: 1 }] }] } },
      {
        api: DescribeQuorum,
        body: { topics: [{ topicName: '__cluster_metadata', partitions: [{ partitionIndex: 0 }, { partitionIndex: 0 }] }] },
      },
      { api: DescribeQuorum, body: { topics: [] } },
    ],
  },
  {
    id: 'admin/update-features-validate-only',
    api: UpdateFeatures,
    versions: [1, 2],
    about: "validate_only: what a single node accepts and refuses, with Kafka's messages; v2 answers without per-feature results",
    steps: [
      updateFeatures([update('transaction.version', 2)]),
      updateFeatures([update('transaction.version', 1, 2)]),
      updateFeatures([update('transaction.version', 0, 3)]),
      updateFeatures([update('transaction.version', 1, 1)]),
      updateFeatures([update('transaction.version', 9)]),
      updateFeatures([update('transaction.version', -1, 2)]),
      updateFeatures([update('transaction.version', 1, 7)]),
      updateFeatures([update('group.version', 0, 2)]),
      updateFeatures([update('group.version', 2)]),
      updateFeatures([update('foo.version', 1)]),
      updateFeatures([update('metadata.version', 33)]),
      updateFeatures([update('metadata.version', 34)]),
      updateFeatures([update('metadata.version', 30, 2)]),
      updateFeatures([update('metadata.version', 32, 3)]),
      updateFeatures([update('metadata.version', 0, 2)]),
      updateFeatures([]),
      updateFeatures([update('transaction.version', 1, 2), update('transaction.version', 1, 2)]),
      updateFeatures([update('group.version', 1), update('no.such.feature', 1)]),
    ],
  },
  {
    id: 'admin/update-features-v0',
    api: UpdateFeatures,
    versions: [0],
    about:
      'v0: no upgrade type (allow_downgrade is ignored: never a downgrade) and no validate_only (only updates that fail or change nothing)',
    steps: [
      updateFeatures([update('transaction.version', 2)]),
      updateFeatures([update('transaction.version', 1, 1, true, true)]),
      updateFeatures([update('metadata.version', 30, 1, true, true)]),
      updateFeatures([update('foo.version', 1)]),
      updateFeatures([]),
    ],
  },
  {
    id: 'admin/update-features-group-version',
    api: UpdateFeatures,
    versions: 'newest',
    about: 'group.version 0 turns KIP-848 off (UNSUPPORTED_VERSION), 1 back on',
    steps: [
      updateFeatures([update('group.version', 0, 2)], false),
      cgHeartbeat,
      { api: ConsumerGroupDescribe, body: (c) => ({ groupIds: [c.name('cg')], includeAuthorizedOperations: false }) },
      updateFeatures([update('group.version', 1)], false),
      { ...cgHeartbeat, compare: false, until: (r) => r.errorCode !== 35 },
    ],
  },
  {
    id: 'admin/update-features-transaction-version',
    api: UpdateFeatures,
    versions: [1],
    about: 'transaction.version down to 1 and back up to 2 (what kafka-features downgrade/upgrade send)',
    steps: [
      updateFeatures([update('transaction.version', 1, 2)], false),
      updateFeatures([update('transaction.version', 1)], false),
      updateFeatures([update('transaction.version', 2)], false),
    ],
  },
  {
    id: 'admin/alter-partition-reassignments',
    api: AlterPartitionReassignments,
    about: "to the node itself: done at once; cancels, unknown brokers, empty and duplicate lists, unknown partitions: Kafka's errors",
    steps: (c) => {
      const t = (x: Ctx) => x.name('t');
      return [
        ...createTopic('t', 2),
        reassign(t, 0, [NODE]),
        reassign(t, 1, null),
        reassign(t, 0, [2]),
        reassign(t, 0, [NODE, 2]),
        reassign(t, 0, []),
        reassign(t, 0, [NODE, NODE]),
        reassign(t, 0, [-1]),
        reassign(t, 5, [NODE]),
        reassign((x) => x.name('missing'), 0, [NODE]),
        ...(c.v >= 1 ? [reassign(t, 1, [NODE], false), reassign(t, 1, [NODE, 2], false)] : []),
        { api: AlterPartitionReassignments, body: { timeoutMs: 30_000, allowReplicationFactorChange: true, topics: [] } },
        {
          api: ListPartitionReassignments,
          body: (x: Ctx) => ({ timeoutMs: 30_000, topics: [{ name: x.name('t'), partitionIndexes: [0, 1] }] }),
        },
        { api: ListPartitionReassignments, body: { timeoutMs: 30_000, topics: null } },
      ];
    },
  },
  {
    id: 'admin/alter-replica-log-dirs',
    api: AlterReplicaLogDirs,
    about: "to the node's log directory (from DescribeLogDirs): done; another path: LOG_DIR_NOT_FOUND, even for unknown partitions",
    normalise: [
      { path: 'results[*].partitions', action: 'sort', key: 'partitionIndex', reason: 'Kafka answers from a hash map of partitions' },
    ],
    steps: [
      ...createTopic('t', 2),
      {
        api: DescribeLogDirs,
        compare: false,
        body: { topics: null },
        save: (r, c) => {
          c.vars.logDir = r.results[0].logDir;
        },
      },
      { api: AlterReplicaLogDirs, body: (c) => ({ dirs: [{ path: c.vars.logDir, topics: [{ name: c.name('t'), partitions: [0, 1] }] }] }) },
      {
        api: AlterReplicaLogDirs,
        body: (c) => ({ dirs: [{ path: '/no/such/log/dir', topics: [{ name: c.name('t'), partitions: [1] }] }] }),
      },
      {
        api: AlterReplicaLogDirs,
        body: (c) => ({ dirs: [{ path: '/no/such/log/dir', topics: [{ name: c.name('t'), partitions: [7] }] }] }),
      },
      {
        api: AlterReplicaLogDirs,
        body: (c) => ({ dirs: [{ path: '/no/such/log/dir', topics: [{ name: c.name('missing'), partitions: [0] }] }] }),
      },
      { api: AlterReplicaLogDirs, body: (c) => ({ dirs: [{ path: c.vars.logDir, topics: [{ name: c.name('t'), partitions: [7] }] }] }) },
      {
        api: AlterReplicaLogDirs,
        body: (c) => ({ dirs: [{ path: c.vars.logDir, topics: [{ name: c.name('missing'), partitions: [0] }] }] }),
      },
      { api: AlterReplicaLogDirs, body: { dirs: [] } },
    ],
  },
  {
    id: 'admin/add-raft-voter',
    api: AddRaftVoter,
    about: 'a static quorum (kraft.version 0): another cluster id, no directory id, no CONTROLLER endpoint, else UNSUPPORTED_VERSION',
    adjust: clusterIdsInText,
    steps: [
      ...[
        { clusterId: 'another-cluster', voterDirectoryId: SOME_DIR, listeners: [] },
        { clusterId: null, voterDirectoryId: ZERO_DIR, listeners: [] },
        { clusterId: null, voterDirectoryId: SOME_DIR, listeners: [] },
        { clusterId: null, voterDirectoryId: SOME_DIR, listeners: [{ name: 'plaintext', host: '127.0.0.1', port: 9 }] },
        { clusterId: null, voterDirectoryId: SOME_DIR, listeners: [{ name: 'CONTROLLER', host: '127.0.0.1', port: 9 }] },
      ].map((b): Step => ({ api: AddRaftVoter, body: { timeoutMs: 30_000, voterId: 2, ackWhenCommitted: true, ...b } })),
      {
        api: AddRaftVoter,
        body: {
          clusterId: null,
          timeoutMs: 30_000,
          voterId: NODE,
          voterDirectoryId: SOME_DIR,
          listeners: [{ name: 'controller', host: 'localhost', port: 9 }],
        },
      },
    ],
  },
  {
    id: 'admin/remove-raft-voter',
    api: RemoveRaftVoter,
    about: 'the only voter of a static quorum cannot be removed; nor can anyone else',
    adjust: clusterIdsInText,
    steps: [
      { api: RemoveRaftVoter, body: { clusterId: 'another-cluster', voterId: NODE, voterDirectoryId: SOME_DIR } },
      { api: RemoveRaftVoter, body: { clusterId: null, voterId: NODE, voterDirectoryId: ZERO_DIR } },
      { api: RemoveRaftVoter, body: { clusterId: null, voterId: NODE, voterDirectoryId: SOME_DIR } },
      { api: RemoveRaftVoter, body: { clusterId: null, voterId: 7, voterDirectoryId: SOME_DIR } },
    ],
  },
  {
    id: 'admin/unregister-controller',
    api: UnregisterController,
    steps: [
      { api: UnregisterController, body: { controllerId: NODE } },
      { api: UnregisterController, body: { controllerId: 7 } },
      { api: UnregisterController, body: { controllerId: -1 } },
    ],
  },
  {
    id: 'admin/unregister-broker-unknown',
    api: UnregisterBroker,
    steps: [
      { api: UnregisterBroker, body: { brokerId: 7 } },
      { api: UnregisterBroker, body: { brokerId: -1 } },
    ],
  },
  {
    // Last: Kafka then lists no brokers until it restarts (kafkalite's node serves on).
    id: 'admin/unregister-broker-live',
    api: UnregisterBroker,
    steps: [{ api: UnregisterBroker, body: { brokerId: NODE } }],
  },
];
