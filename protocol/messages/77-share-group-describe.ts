// ShareGroupDescribe (key 77, KIP-932): state, epochs and members (with their assignments) of
// share groups. v1 is the first stable version (v0, Kafka 4.0's early access, was removed in 4.1).
import { api, f } from '../schema.js';

export const ShareGroupDescribe = api({
  apiKey: 77,
  name: 'ShareGroupDescribe',
  validVersions: '1',
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
        rackId: f.string('0+', { nullable: '0+', default: null }),
        memberEpoch: f.int32('0+'),
        clientId: f.string('0+'),
        clientHost: f.string('0+'),
        subscribedTopicNames: f.array('0+', 'string'),
        assignment: f.struct('0+', {
          topicPartitions: f.array('0+', {
            topicId: f.uuid('0+'),
            topicName: f.string('0+'),
            partitions: f.array('0+', 'int32'),
          }),
        }),
      }),
      authorizedOperations: f.int32('0+', { default: -2147483648 }),
    }),
  }),
});
