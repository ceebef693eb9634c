// The KIP-932 share group records in `__consumer_offsets` (key versions 10-15, Kafka's
// CoordinatorRecordType SHARE_GROUP_*), from Kafka's group-coordinator/ShareGroup*{Key,Value}.json.
// Keys are not flexible and exist in one version each (the key version says what the record is);
// values are v0, flexible. A null value is a tombstone. Written and read by
// broker/groups/share/records.ts.
import { f, message } from '../schema.js';

export const ShareRecordKeyVersion = Object.freeze({
  MEMBER_METADATA: 10,
  GROUP_METADATA: 11,
  TARGET_ASSIGNMENT_METADATA: 12,
  TARGET_ASSIGNMENT_MEMBER: 13,
  CURRENT_MEMBER_ASSIGNMENT: 14,
  STATE_PARTITION_METADATA: 15,
} as const);

const groupKey = (name: string, v: string) =>
  message({ name, validVersions: v, flexibleVersions: 'none', fields: { groupId: f.string(v) } });
const memberKey = (name: string, v: string) =>
  message({ name, validVersions: v, flexibleVersions: 'none', fields: { groupId: f.string(v), memberId: f.string(v) } });
const topicPartitions = () => f.array('0+', { topicId: f.uuid('0+'), partitions: f.array('0+', 'int32') });
const stateTopics = () => f.array('0+', { topicId: f.uuid('0+'), topicName: f.string('0+'), partitions: f.array('0+', 'int32') });

export const ShareGroupMemberMetadataKey = memberKey('ShareGroupMemberMetadataKey', '10');
export const ShareGroupMemberMetadataValue = message({
  name: 'ShareGroupMemberMetadataValue',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: {
    rackId: f.string('0+', { nullable: '0+' }),
    clientId: f.string('0+'),
    clientHost: f.string('0+'),
    subscribedTopicNames: f.array('0+', 'string'),
  },
});

export const ShareGroupMetadataKey = groupKey('ShareGroupMetadataKey', '11');
export const ShareGroupMetadataValue = message({
  name: 'ShareGroupMetadataValue',
  validVersions: '0',
  flexibleVersions: '0+',
  // MetadataHash (KIP-1101): a hash of the subscribed topics' metadata.
  fields: { epoch: f.int32('0+'), metadataHash: f.int64('0+') },
});

export const ShareGroupTargetAssignmentMetadataKey = groupKey('ShareGroupTargetAssignmentMetadataKey', '12');
export const ShareGroupTargetAssignmentMetadataValue = message({
  name: 'ShareGroupTargetAssignmentMetadataValue',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: { assignmentEpoch: f.int32('0+'), assignmentTimestamp: f.int64('0+', { tag: 0, tagged: '0+', default: 0 }) },
});

export const ShareGroupTargetAssignmentMemberKey = memberKey('ShareGroupTargetAssignmentMemberKey', '13');
export const ShareGroupTargetAssignmentMemberValue = message({
  name: 'ShareGroupTargetAssignmentMemberValue',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: { topicPartitions: topicPartitions() },
});

export const ShareGroupCurrentMemberAssignmentKey = memberKey('ShareGroupCurrentMemberAssignmentKey', '14');
export const ShareGroupCurrentMemberAssignmentValue = message({
  name: 'ShareGroupCurrentMemberAssignmentValue',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: {
    memberEpoch: f.int32('0+'),
    previousMemberEpoch: f.int32('0+'),
    state: f.int8('0+'),
    assignedPartitions: topicPartitions(),
  },
});

export const ShareGroupStatePartitionMetadataKey = groupKey('ShareGroupStatePartitionMetadataKey', '15');
export const ShareGroupStatePartitionMetadataValue = message({
  name: 'ShareGroupStatePartitionMetadataValue',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: {
    initializingTopics: stateTopics(),
    initializedTopics: stateTopics(),
    deletingTopics: f.array('0+', { topicId: f.uuid('0+'), topicName: f.string('0+') }),
  },
});
