// The KIP-848 consumer group records in `__consumer_offsets` (key versions 3-8, read by Kafka's
// GroupCoordinatorRecordSerde), from Kafka's group-coordinator/ConsumerGroup*{Key,Value}.json. Keys are not flexible and
// exist in one version each (the key version says what the record is); values are v0,
// flexible. A null value is a tombstone.
import { f, message } from '../schema.js';

export const ConsumerRecordKeyVersion = Object.freeze({
  GROUP_METADATA: 3,
  PARTITION_METADATA: 4,
  MEMBER_METADATA: 5,
  TARGET_ASSIGNMENT_METADATA: 6,
  TARGET_ASSIGNMENT_MEMBER: 7,
  CURRENT_MEMBER_ASSIGNMENT: 8,
} as const);

const groupKey = (name: string, v: string) =>
  message({ name, validVersions: v, flexibleVersions: 'none', fields: { groupId: f.string(v) } });
const memberKey = (name: string, v: string) =>
  message({ name, validVersions: v, flexibleVersions: 'none', fields: { groupId: f.string(v), memberId: f.string(v) } });

const topicPartitions = () => f.array('0+', { topicId: f.uuid('0+'), partitions: f.array('0+', 'int32') });
/** The current assignment's partitions also carry, tagged, the epoch each was assigned at (Kafka 4.4). */
const assignedPartitions = () =>
  f.array('0+', {
    topicId: f.uuid('0+'),
    partitions: f.array('0+', 'int32'),
    assignmentEpochs: f.array('0+', 'int32', { nullable: '0+', tag: 0, tagged: '0+', default: [] }),
  });

export const ConsumerGroupMetadataKey = groupKey('ConsumerGroupMetadataKey', '3');
export const ConsumerGroupMetadataValue = message({
  name: 'ConsumerGroupMetadataValue',
  validVersions: '0',
  flexibleVersions: '0+',
  // MetadataHash (KIP-1101): a hash of the subscribed topics' metadata, tagged since Kafka 4.1.
  fields: { epoch: f.int32('0+'), metadataHash: f.int64('0+', { tag: 0, tagged: '0+', default: 0 }) },
});

export const ConsumerGroupPartitionMetadataKey = groupKey('ConsumerGroupPartitionMetadataKey', '4');
export const ConsumerGroupPartitionMetadataValue = message({
  name: 'ConsumerGroupPartitionMetadataValue',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: {
    topics: f.array('0+', {
      topicId: f.uuid('0+'),
      topicName: f.string('0+'),
      numPartitions: f.int32('0+'),
      partitionMetadata: f.array('0+', { partition: f.int32('0+'), racks: f.array('0+', 'string') }),
    }),
  },
});

export const ConsumerGroupMemberMetadataKey = memberKey('ConsumerGroupMemberMetadataKey', '5');
export const ConsumerGroupMemberMetadataValue = message({
  name: 'ConsumerGroupMemberMetadataValue',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: {
    instanceId: f.string('0+', { nullable: '0+' }),
    rackId: f.string('0+', { nullable: '0+' }),
    clientId: f.string('0+'),
    clientHost: f.string('0+'),
    subscribedTopicNames: f.array('0+', 'string'),
    subscribedTopicRegex: f.string('0+', { nullable: '0+' }),
    rebalanceTimeoutMs: f.int32('0+', { default: -1 }),
    serverAssignor: f.string('0+', { nullable: '0+' }),
    classicMemberMetadata: f.struct(
      '0+',
      {
        sessionTimeoutMs: f.int32('0+'),
        supportedProtocols: f.array('0+', { name: f.string('0+'), metadata: f.bytes('0+') }),
      },
      { nullable: '0+', default: null, tagged: '0+', tag: 0 },
    ),
  },
});

export const ConsumerGroupTargetAssignmentMetadataKey = groupKey('ConsumerGroupTargetAssignmentMetadataKey', '6');
export const ConsumerGroupTargetAssignmentMetadataValue = message({
  name: 'ConsumerGroupTargetAssignmentMetadataValue',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: { assignmentEpoch: f.int32('0+'), assignmentTimestamp: f.int64('0+', { tag: 0, tagged: '0+', default: 0 }) },
});

export const ConsumerGroupTargetAssignmentMemberKey = memberKey('ConsumerGroupTargetAssignmentMemberKey', '7');
export const ConsumerGroupTargetAssignmentMemberValue = message({
  name: 'ConsumerGroupTargetAssignmentMemberValue',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: { topicPartitions: topicPartitions() },
});

export const ConsumerGroupCurrentMemberAssignmentKey = memberKey('ConsumerGroupCurrentMemberAssignmentKey', '8');
export const ConsumerGroupCurrentMemberAssignmentValue = message({
  name: 'ConsumerGroupCurrentMemberAssignmentValue',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: {
    memberEpoch: f.int32('0+'),
    previousMemberEpoch: f.int32('0+'),
    state: f.int8('0+'),
    assignedPartitions: assignedPartitions(),
    partitionsPendingRevocation: assignedPartitions(),
  },
});
