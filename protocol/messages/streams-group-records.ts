// The KIP-1071 streams group records in `__consumer_offsets` (key versions 17 and 19-23, read by
// Kafka's GroupCoordinatorRecordSerde), from Kafka 4.4's group-coordinator
// StreamsGroup*{Key,Value}.json (in the kafka-group-coordinator jar). Keys are not flexible and
// exist in one version each (the key version says what the record is); values are v0,
// flexible. A null value is a tombstone. Key version 18 (the old partition metadata record) is
// no longer written by Kafka 4.4.
import { f, message } from '../schema.js';

export const StreamsRecordKeyVersion = Object.freeze({
  GROUP_METADATA: 17,
  MEMBER_METADATA: 19,
  TARGET_ASSIGNMENT_METADATA: 20,
  TARGET_ASSIGNMENT_MEMBER: 21,
  CURRENT_MEMBER_ASSIGNMENT: 22,
  TOPOLOGY: 23,
} as const);

const groupKey = (name: string, v: string) =>
  message({ name, validVersions: v, flexibleVersions: 'none', fields: { groupId: f.string(v) } });
const memberKey = (name: string, v: string) =>
  message({ name, validVersions: v, flexibleVersions: 'none', fields: { groupId: f.string(v), memberId: f.string(v) } });

const keyValues = () => f.array('0+', { key: f.string('0+'), value: f.string('0+') });
const taskIds = () => f.array('0+', { subtopologyId: f.string('0+'), partitions: f.array('0+', 'int32') });
const taskIdsWithEpochs = () =>
  f.array('0+', {
    subtopologyId: f.string('0+'),
    partitions: f.array('0+', 'int32'),
    assignmentEpochs: f.array('0+', 'int32', { nullable: '0+', default: null, tagged: '0+', tag: 0 }),
  });
const topicInfo = () =>
  f.array('0+', {
    name: f.string('0+'),
    partitions: f.int32('0+'),
    replicationFactor: f.int16('0+'),
    topicConfigs: keyValues(),
  });

export const StreamsGroupMetadataKey = groupKey('StreamsGroupMetadataKey', '17');
export const StreamsGroupMetadataValue = message({
  name: 'StreamsGroupMetadataValue',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: {
    epoch: f.int32('0+'),
    metadataHash: f.int64('0+'),
    validatedTopologyEpoch: f.int32('0+', { default: -1, tagged: '0+', tag: 0 }),
    lastAssignmentConfigs: f.array(
      '0+',
      { key: f.string('0+'), value: f.string('0+') },
      { nullable: '0+', default: null, tagged: '0+', tag: 1 },
    ),
    storedDescriptionTopologyEpoch: f.int32('0+', { default: -1, tagged: '0+', tag: 2 }),
    failedDescriptionTopologyEpoch: f.int32('0+', { default: -1, tagged: '0+', tag: 3 }),
  },
});

export const StreamsGroupMemberMetadataKey = memberKey('StreamsGroupMemberMetadataKey', '19');
export const StreamsGroupMemberMetadataValue = message({
  name: 'StreamsGroupMemberMetadataValue',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: {
    instanceId: f.string('0+', { nullable: '0+' }),
    rackId: f.string('0+', { nullable: '0+' }),
    clientId: f.string('0+'),
    clientHost: f.string('0+'),
    rebalanceTimeoutMs: f.int32('0+', { default: -1 }),
    topologyEpoch: f.int32('0+'),
    processId: f.string('0+'),
    userEndpoint: f.struct('0+', { host: f.string('0+'), port: f.uint16('0+') }, { nullable: '0+', default: null }),
    clientTags: keyValues(),
  },
});

export const StreamsGroupTargetAssignmentMetadataKey = groupKey('StreamsGroupTargetAssignmentMetadataKey', '20');
export const StreamsGroupTargetAssignmentMetadataValue = message({
  name: 'StreamsGroupTargetAssignmentMetadataValue',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: {
    assignmentEpoch: f.int32('0+'),
    assignmentTimestamp: f.int64('0+', { default: 0, tagged: '0+', tag: 0, ignorable: true }),
  },
});

export const StreamsGroupTargetAssignmentMemberKey = memberKey('StreamsGroupTargetAssignmentMemberKey', '21');
export const StreamsGroupTargetAssignmentMemberValue = message({
  name: 'StreamsGroupTargetAssignmentMemberValue',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: { activeTasks: taskIds(), standbyTasks: taskIds(), warmupTasks: taskIds() },
});

export const StreamsGroupCurrentMemberAssignmentKey = memberKey('StreamsGroupCurrentMemberAssignmentKey', '22');
export const StreamsGroupCurrentMemberAssignmentValue = message({
  name: 'StreamsGroupCurrentMemberAssignmentValue',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: {
    memberEpoch: f.int32('0+'),
    previousMemberEpoch: f.int32('0+'),
    state: f.int8('0+'),
    activeTasks: taskIdsWithEpochs(),
    standbyTasks: taskIdsWithEpochs(),
    warmupTasks: taskIdsWithEpochs(),
    activeTasksPendingRevocation: taskIdsWithEpochs(),
    standbyTasksPendingRevocation: taskIdsWithEpochs(),
    warmupTasksPendingRevocation: taskIdsWithEpochs(),
  },
});

export const StreamsGroupTopologyKey = groupKey('StreamsGroupTopologyKey', '23');
export const StreamsGroupTopologyValue = message({
  name: 'StreamsGroupTopologyValue',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: {
    epoch: f.int32('0+'),
    subtopologies: f.array('0+', {
      subtopologyId: f.string('0+'),
      sourceTopics: f.array('0+', 'string'),
      sourceTopicRegex: f.array('0+', 'string'),
      stateChangelogTopics: topicInfo(),
      repartitionSinkTopics: f.array('0+', 'string'),
      repartitionSourceTopics: topicInfo(),
      copartitionGroups: f.array('0+', {
        sourceTopics: f.array('0+', 'int16'),
        sourceTopicRegex: f.array('0+', 'int16'),
        repartitionSourceTopics: f.array('0+', 'int16'),
      }),
    }),
  },
});
