// ConsumerGroupDescribe (key 69): describes KIP-848 consumer groups, including each member's
// current and target assignment. Flexible from v0; v1 adds each member's memberType (KIP-1099:
// -1 unknown, 0 classic, 1 consumer); the request is unchanged.
import { api, f } from '../schema.js';

export const ConsumerGroupDescribe = api({
  apiKey: 69,
  name: 'ConsumerGroupDescribe',
  validVersions: '0-1',
  flexibleVersions: '0+',
  request: () => ({
    groupIds: f.array('0+', 'string'),
    includeAuthorizedOperations: f.bool('0+'),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    groups: f.array('0+', {
      errorCode: f.int16('0+'),
      errorMessage: f.string('0+', { nullable: '0+', default: null }),
      groupId: f.string('0+'),
      groupState: f.string('0+'),
      groupEpoch: f.int32('0+'),
      assignmentEpoch: f.int32('0+'),
      assignorName: f.string('0+'),
      members: f.array('0+', {
        memberId: f.string('0+'),
        instanceId: f.string('0+', { nullable: '0+', default: null }),
        rackId: f.string('0+', { nullable: '0+', default: null }),
        memberEpoch: f.int32('0+'),
        clientId: f.string('0+'),
        clientHost: f.string('0+'),
        subscribedTopicNames: f.array('0+', 'string'),
        subscribedTopicRegex: f.string('0+', { nullable: '0+', default: null }),
        assignment: f.struct('0+', {
          topicPartitions: f.array('0+', {
            topicId: f.uuid('0+'),
            topicName: f.string('0+'),
            partitions: f.array('0+', 'int32'),
          }),
        }),
        targetAssignment: f.struct('0+', {
          topicPartitions: f.array('0+', {
            topicId: f.uuid('0+'),
            topicName: f.string('0+'),
            partitions: f.array('0+', 'int32'),
          }),
        }),
        memberType: f.int8('1+', { default: -1, ignorable: true }),
      }),
      authorizedOperations: f.int32('0+', { default: -2147483648 }),
    }),
  }),
});
