// ShareGroupHeartbeat (key 76, KIP-932): a share-group member joins, heartbeats and leaves
// (memberEpoch -1), subscribes to topics and receives its assignment. v0 was Kafka 4.0's early
// access and was removed in 4.1; v1 is the first stable version. Null request fields mean
// "unchanged since the last heartbeat"; a null assignment in the response means "no change".
import { api, f } from '../schema.js';

export const ShareGroupHeartbeat = api({
  apiKey: 76,
  name: 'ShareGroupHeartbeat',
  validVersions: '1',
  flexibleVersions: '0+',
  request: () => ({
    groupId: f.string('0+'),
    memberId: f.string('0+'),
    memberEpoch: f.int32('0+'),
    rackId: f.string('0+', { nullable: '0+', default: null }),
    subscribedTopicNames: f.array('0+', 'string', { nullable: '0+', default: null }),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    errorCode: f.int16('0+'),
    errorMessage: f.string('0+', { nullable: '0+', default: null }),
    memberId: f.string('0+', { nullable: '0+', default: null }),
    memberEpoch: f.int32('0+'),
    heartbeatIntervalMs: f.int32('0+'),
    assignment: f.struct(
      '0+',
      {
        topicPartitions: f.array('0+', {
          topicId: f.uuid('0+'),
          partitions: f.array('0+', 'int32'),
        }),
      },
      { nullable: '0+', default: null },
    ),
  }),
});
