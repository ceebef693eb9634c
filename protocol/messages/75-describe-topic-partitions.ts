// DescribeTopicPartitions (key 75, KIP-966): paginated topic/partition metadata including
// eligible leader replicas. Only v0, flexible; Cursor/NextCursor page through large clusters.
import { api, f } from '../schema.js';

export const DescribeTopicPartitions = api({
  apiKey: 75,
  name: 'DescribeTopicPartitions',
  validVersions: '0',
  flexibleVersions: '0+',
  request: () => ({
    topics: f.array('0+', {
      name: f.string('0+'),
    }),
    responsePartitionLimit: f.int32('0+', { default: 2000 }),
    cursor: f.struct(
      '0+',
      {
        topicName: f.string('0+'),
        partitionIndex: f.int32('0+'),
      },
      { nullable: '0+', default: null },
    ),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+', { ignorable: true }),
    topics: f.array('0+', {
      errorCode: f.int16('0+'),
      name: f.string('0+', { nullable: '0+' }),
      topicId: f.uuid('0+', { ignorable: true }),
      isInternal: f.bool('0+', { ignorable: true }),
      partitions: f.array('0+', {
        errorCode: f.int16('0+'),
        partitionIndex: f.int32('0+'),
        leaderId: f.int32('0+'),
        leaderEpoch: f.int32('0+', { default: -1, ignorable: true }),
        replicaNodes: f.array('0+', 'int32'),
        isrNodes: f.array('0+', 'int32'),
        eligibleLeaderReplicas: f.array('0+', 'int32', { nullable: '0+', default: null }),
        lastKnownElr: f.array('0+', 'int32', { nullable: '0+', default: null }),
        offlineReplicas: f.array('0+', 'int32', { ignorable: true }),
      }),
      topicAuthorizedOperations: f.int32('0+', { default: -2147483648 }),
    }),
    nextCursor: f.struct(
      '0+',
      {
        topicName: f.string('0+'),
        partitionIndex: f.int32('0+'),
      },
      { nullable: '0+', default: null },
    ),
  }),
});
