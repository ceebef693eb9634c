// ConsumerGroupHeartbeat (key 68): the KIP-848 consumer group protocol, flexible from v0.
// Null fields in a request mean "unchanged since the last heartbeat"; a null assignment in
// the response means "no change". v1 adds subscribedTopicRegex and has the client generate its
// own member id (KIP-1082); stable since Kafka 4.0.
import { api, f } from '../schema.js';

export const ConsumerGroupHeartbeat = api({
  apiKey: 68,
  name: 'ConsumerGroupHeartbeat',
  validVersions: '0-1',
  flexibleVersions: '0+',
  request: () => ({
    groupId: f.string('0+'),
    memberId: f.string('0+'),
    memberEpoch: f.int32('0+'),
    instanceId: f.string('0+', { nullable: '0+', default: null }),
    rackId: f.string('0+', { nullable: '0+', default: null }),
    rebalanceTimeoutMs: f.int32('0+', { default: -1 }),
    subscribedTopicNames: f.array('0+', 'string', { nullable: '0+', default: null }),
    subscribedTopicRegex: f.string('1+', { nullable: '1+', default: null }),
    serverAssignor: f.string('0+', { nullable: '0+', default: null }),
    topicPartitions: f.array(
      '0+',
      {
        topicId: f.uuid('0+'),
        partitions: f.array('0+', 'int32'),
      },
      { nullable: '0+', default: null },
    ),
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
        topicPartitions: f.array('0+', { topicId: f.uuid('0+'), partitions: f.array('0+', 'int32') }),
      },
      { nullable: '0+', default: null },
    ),
  }),
});
