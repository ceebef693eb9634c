// Metadata (key 3). In v0 an empty topic list means "all topics";
// from v1 that is a null list. v4 adds allowAutoTopicCreation, v7 leader epochs, v8
// authorized operations, v9 is flexible, v10 topic ids; v11 drops the cluster authorized
// operations (now in DescribeCluster); v12 allows looking topics up by id with a null name;
// v13 adds a top-level errorCode (KIP-1102). Kafka 4.4 no longer marks v0-3 deprecated.
import { api, f } from '../schema.js';

export const Metadata = api({
  apiKey: 3,
  name: 'Metadata',
  validVersions: '0-13',
  flexibleVersions: '9+',
  request: () => ({
    topics: f.array(
      '0+',
      {
        topicId: f.uuid('10+', { ignorable: true }),
        name: f.string('0+', { nullable: '10+' }),
      },
      { nullable: '1+' },
    ),
    allowAutoTopicCreation: f.bool('4+', { default: true }),
    includeClusterAuthorizedOperations: f.bool('8-10'),
    includeTopicAuthorizedOperations: f.bool('8+'),
  }),
  response: () => ({
    throttleTimeMs: f.int32('3+', { ignorable: true }),
    brokers: f.array('0+', {
      nodeId: f.int32('0+'),
      host: f.string('0+'),
      port: f.int32('0+'),
      rack: f.string('1+', { nullable: '1+', default: null, ignorable: true }),
    }),
    clusterId: f.string('2+', { nullable: '2+', default: null, ignorable: true }),
    controllerId: f.int32('1+', { default: -1, ignorable: true }),
    topics: f.array('0+', {
      errorCode: f.int16('0+'),
      name: f.string('0+', { nullable: '12+' }),
      topicId: f.uuid('10+', { ignorable: true }),
      isInternal: f.bool('1+', { ignorable: true }),
      partitions: f.array('0+', {
        errorCode: f.int16('0+'),
        partitionIndex: f.int32('0+'),
        leaderId: f.int32('0+'),
        leaderEpoch: f.int32('7+', { default: -1, ignorable: true }),
        replicaNodes: f.array('0+', 'int32'),
        isrNodes: f.array('0+', 'int32'),
        offlineReplicas: f.array('5+', 'int32', { ignorable: true }),
      }),
      topicAuthorizedOperations: f.int32('8+', { default: -2147483648 }),
    }),
    clusterAuthorizedOperations: f.int32('8-10', { default: -2147483648 }),
    errorCode: f.int16('13+', { ignorable: true }),
  }),
});
