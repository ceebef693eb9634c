// DeleteShareGroupOffsets (key 92, KIP-932): deletes an empty share group's offsets for whole
// topics. Only v0, flexible.
import { api, f } from '../schema.js';

export const DeleteShareGroupOffsets = api({
  apiKey: 92,
  name: 'DeleteShareGroupOffsets',
  validVersions: '0',
  flexibleVersions: '0+',
  request: () => ({
    groupId: f.string('0+'),
    topics: f.array('0+', {
      topicName: f.string('0+'),
    }),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    errorCode: f.int16('0+'),
    errorMessage: f.string('0+', { nullable: '0+', default: null }),
    responses: f.array('0+', {
      topicName: f.string('0+'),
      topicId: f.uuid('0+'),
      errorCode: f.int16('0+'),
      errorMessage: f.string('0+', { nullable: '0+', default: null }),
    }),
  }),
});
