// StreamsGroupTopologyDescriptionUpdate (key 93, KIP-1331): a streams group member sends the
// description of its topology when a StreamsGroupHeartbeat v1 response asked for it. Only v0,
// flexible.
import { api, f } from '../schema.js';

export const StreamsGroupTopologyDescriptionUpdate = api({
  apiKey: 93,
  name: 'StreamsGroupTopologyDescriptionUpdate',
  validVersions: '0',
  flexibleVersions: '0+',
  request: () => ({
    groupId: f.string('0+'),
    memberId: f.string('0+'),
    topologyEpoch: f.int32('0+'),
    topologyDescription: f.struct('0+', {
      subtopologies: f.array('0+', {
        subtopologyId: f.string('0+'),
        nodes: f.array('0+', {
          name: f.string('0+'),
          nodeType: f.int8('0+'),
          sourceTopics: f.array('0+', 'string'),
          sinkTopic: f.string('0+', { nullable: '0+', default: null }),
          stores: f.array('0+', 'string'),
          successors: f.array('0+', 'string'),
        }),
      }),
      globalStores: f.array('0+', {
        source: f.struct('0+', {
          name: f.string('0+'),
          nodeType: f.int8('0+'),
          sourceTopics: f.array('0+', 'string'),
          sinkTopic: f.string('0+', { nullable: '0+', default: null }),
          stores: f.array('0+', 'string'),
          successors: f.array('0+', 'string'),
        }),
        processor: f.struct('0+', {
          name: f.string('0+'),
          nodeType: f.int8('0+'),
          sourceTopics: f.array('0+', 'string'),
          sinkTopic: f.string('0+', { nullable: '0+', default: null }),
          stores: f.array('0+', 'string'),
          successors: f.array('0+', 'string'),
        }),
      }),
    }),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    errorCode: f.int16('0+'),
    errorMessage: f.string('0+', { nullable: '0+', default: null }),
  }),
});
