// StreamsGroupDescribe (key 89, KIP-1071): topology, members and task assignments of streams
// groups. v1 can ask for the topology description (KIP-1331) and returns it with its status and
// the assignor name (KIP-1357).
import { api, f } from '../schema.js';

export const StreamsGroupDescribe = api({
  apiKey: 89,
  name: 'StreamsGroupDescribe',
  validVersions: '0-1',
  flexibleVersions: '0+',
  request: () => ({
    groupIds: f.array('0+', 'string'),
    includeAuthorizedOperations: f.bool('0+'),
    includeTopologyDescription: f.bool('1+', { default: false }),
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
      topology: f.struct(
        '0+',
        {
          epoch: f.int32('0+'),
          subtopologies: f.array(
            '0+',
            {
              subtopologyId: f.string('0+'),
              sourceTopics: f.array('0+', 'string'),
              repartitionSinkTopics: f.array('0+', 'string'),
              stateChangelogTopics: f.array('0+', {
                name: f.string('0+'),
                partitions: f.int32('0+'),
                replicationFactor: f.int16('0+'),
                topicConfigs: f.array('0+', {
                  key: f.string('0+'),
                  value: f.string('0+'),
                }),
              }),
              repartitionSourceTopics: f.array('0+', {
                name: f.string('0+'),
                partitions: f.int32('0+'),
                replicationFactor: f.int16('0+'),
                topicConfigs: f.array('0+', {
                  key: f.string('0+'),
                  value: f.string('0+'),
                }),
              }),
            },
            { nullable: '0+', default: null },
          ),
        },
        { nullable: '0+', default: null },
      ),
      members: f.array('0+', {
        memberId: f.string('0+'),
        memberEpoch: f.int32('0+'),
        instanceId: f.string('0+', { nullable: '0+', default: null }),
        rackId: f.string('0+', { nullable: '0+', default: null }),
        clientId: f.string('0+'),
        clientHost: f.string('0+'),
        topologyEpoch: f.int32('0+'),
        processId: f.string('0+'),
        userEndpoint: f.struct(
          '0+',
          {
            host: f.string('0+'),
            port: f.uint16('0+'),
          },
          { nullable: '0+', default: null },
        ),
        clientTags: f.array('0+', {
          key: f.string('0+'),
          value: f.string('0+'),
        }),
        taskOffsets: f.array('0+', {
          subtopologyId: f.string('0+'),
          partition: f.int32('0+'),
          offset: f.int64('0+'),
        }),
        taskEndOffsets: f.array('0+', {
          subtopologyId: f.string('0+'),
          partition: f.int32('0+'),
          offset: f.int64('0+'),
        }),
        assignment: f.struct('0+', {
          activeTasks: f.array('0+', {
            subtopologyId: f.string('0+'),
            partitions: f.array('0+', 'int32'),
          }),
          standbyTasks: f.array('0+', {
            subtopologyId: f.string('0+'),
            partitions: f.array('0+', 'int32'),
          }),
          warmupTasks: f.array('0+', {
            subtopologyId: f.string('0+'),
            partitions: f.array('0+', 'int32'),
          }),
        }),
        targetAssignment: f.struct('0+', {
          activeTasks: f.array('0+', {
            subtopologyId: f.string('0+'),
            partitions: f.array('0+', 'int32'),
          }),
          standbyTasks: f.array('0+', {
            subtopologyId: f.string('0+'),
            partitions: f.array('0+', 'int32'),
          }),
          warmupTasks: f.array('0+', {
            subtopologyId: f.string('0+'),
            partitions: f.array('0+', 'int32'),
          }),
        }),
        isClassic: f.bool('0+'),
      }),
      authorizedOperations: f.int32('0+', { default: -2147483648 }),
      topologyDescription: f.struct(
        '1+',
        {
          subtopologies: f.array('1+', {
            subtopologyId: f.string('1+'),
            nodes: f.array('1+', {
              name: f.string('1+'),
              nodeType: f.int8('1+'),
              sourceTopics: f.array('1+', 'string'),
              sinkTopic: f.string('1+', { nullable: '1+', default: null }),
              stores: f.array('1+', 'string'),
              successors: f.array('1+', 'string'),
            }),
          }),
          globalStores: f.array('1+', {
            source: f.struct('1+', {
              name: f.string('1+'),
              nodeType: f.int8('1+'),
              sourceTopics: f.array('1+', 'string'),
              sinkTopic: f.string('1+', { nullable: '1+', default: null }),
              stores: f.array('1+', 'string'),
              successors: f.array('1+', 'string'),
            }),
            processor: f.struct('1+', {
              name: f.string('1+'),
              nodeType: f.int8('1+'),
              sourceTopics: f.array('1+', 'string'),
              sinkTopic: f.string('1+', { nullable: '1+', default: null }),
              stores: f.array('1+', 'string'),
              successors: f.array('1+', 'string'),
            }),
          }),
        },
        { nullable: '1+', default: null },
      ),
      topologyDescriptionStatus: f.int8('1+', { default: 0 }),
      assignorName: f.string('1+', { nullable: '1+', default: null, ignorable: true }),
    }),
  }),
});
