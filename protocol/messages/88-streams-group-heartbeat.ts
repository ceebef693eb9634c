// StreamsGroupHeartbeat (key 88, KIP-1071): the Kafka Streams group protocol; a member sends its
// topology and process/endpoint info and gets active, standby and warm-up task assignments.
// Null request fields mean "unchanged". v1 has the same request; its response adds
// topologyDescriptionRequired (KIP-1331) and may carry the MISSING_CLIENT_TAGS status (KAFKA-20744).
import { api, f } from '../schema.js';

export const StreamsGroupHeartbeat = api({
  apiKey: 88,
  name: 'StreamsGroupHeartbeat',
  validVersions: '0-1',
  flexibleVersions: '0+',
  request: () => ({
    groupId: f.string('0+'),
    memberId: f.string('0+'),
    memberEpoch: f.int32('0+'),
    endpointInformationEpoch: f.int32('0+'),
    instanceId: f.string('0+', { nullable: '0+', default: null }),
    rackId: f.string('0+', { nullable: '0+', default: null }),
    rebalanceTimeoutMs: f.int32('0+', { default: -1 }),
    topology: f.struct(
      '0+',
      {
        epoch: f.int32('0+'),
        subtopologies: f.array('0+', {
          subtopologyId: f.string('0+'),
          sourceTopics: f.array('0+', 'string'),
          sourceTopicRegex: f.array('0+', 'string'),
          stateChangelogTopics: f.array('0+', {
            name: f.string('0+'),
            partitions: f.int32('0+'),
            replicationFactor: f.int16('0+'),
            topicConfigs: f.array('0+', {
              key: f.string('0+'),
              value: f.string('0+'),
            }),
          }),
          repartitionSinkTopics: f.array('0+', 'string'),
          repartitionSourceTopics: f.array('0+', {
            name: f.string('0+'),
            partitions: f.int32('0+'),
            replicationFactor: f.int16('0+'),
            topicConfigs: f.array('0+', {
              key: f.string('0+'),
              value: f.string('0+'),
            }),
          }),
          copartitionGroups: f.array('0+', {
            sourceTopics: f.array('0+', 'int16'),
            sourceTopicRegex: f.array('0+', 'int16'),
            repartitionSourceTopics: f.array('0+', 'int16'),
          }),
        }),
      },
      { nullable: '0+', default: null },
    ),
    activeTasks: f.array(
      '0+',
      {
        subtopologyId: f.string('0+'),
        partitions: f.array('0+', 'int32'),
      },
      { nullable: '0+', default: null },
    ),
    standbyTasks: f.array(
      '0+',
      {
        subtopologyId: f.string('0+'),
        partitions: f.array('0+', 'int32'),
      },
      { nullable: '0+', default: null },
    ),
    warmupTasks: f.array(
      '0+',
      {
        subtopologyId: f.string('0+'),
        partitions: f.array('0+', 'int32'),
      },
      { nullable: '0+', default: null },
    ),
    processId: f.string('0+', { nullable: '0+', default: null }),
    userEndpoint: f.struct(
      '0+',
      {
        host: f.string('0+'),
        port: f.uint16('0+'),
      },
      { nullable: '0+', default: null },
    ),
    clientTags: f.array(
      '0+',
      {
        key: f.string('0+'),
        value: f.string('0+'),
      },
      { nullable: '0+', default: null },
    ),
    taskOffsets: f.array(
      '0+',
      {
        subtopologyId: f.string('0+'),
        partition: f.int32('0+'),
        offset: f.int64('0+'),
      },
      { nullable: '0+', default: null },
    ),
    taskEndOffsets: f.array(
      '0+',
      {
        subtopologyId: f.string('0+'),
        partition: f.int32('0+'),
        offset: f.int64('0+'),
      },
      { nullable: '0+', default: null },
    ),
    shutdownApplication: f.bool('0+', { default: false }),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    errorCode: f.int16('0+'),
    errorMessage: f.string('0+', { nullable: '0+', default: null }),
    memberId: f.string('0+'),
    memberEpoch: f.int32('0+'),
    heartbeatIntervalMs: f.int32('0+'),
    acceptableRecoveryLagLegacy: f.int32('0'),
    taskOffsetIntervalMs: f.int32('0+'),
    acceptableRecoveryLag: f.int64('1+', { default: -1, ignorable: true }),
    status: f.array(
      '0+',
      {
        statusCode: f.int8('0+'),
        statusDetail: f.string('0+'),
      },
      { nullable: '0+' },
    ),
    activeTasks: f.array(
      '0+',
      {
        subtopologyId: f.string('0+'),
        partitions: f.array('0+', 'int32'),
      },
      { nullable: '0+', default: null },
    ),
    standbyTasks: f.array(
      '0+',
      {
        subtopologyId: f.string('0+'),
        partitions: f.array('0+', 'int32'),
      },
      { nullable: '0+', default: null },
    ),
    warmupTasks: f.array(
      '0+',
      {
        subtopologyId: f.string('0+'),
        partitions: f.array('0+', 'int32'),
      },
      { nullable: '0+', default: null },
    ),
    topologyDescriptionRequired: f.bool('1+', { default: false }),
    endpointInformationEpoch: f.int32('0+'),
    partitionsByUserEndpoint: f.array(
      '0+',
      {
        userEndpoint: f.struct('0+', {
          host: f.string('0+'),
          port: f.uint16('0+'),
        }),
        activePartitions: f.array('0+', {
          topic: f.string('0+'),
          partitions: f.array('0+', 'int32'),
        }),
        standbyPartitions: f.array('0+', {
          topic: f.string('0+'),
          partitions: f.array('0+', 'int32'),
        }),
      },
      { nullable: '0+', default: null },
    ),
  }),
});
