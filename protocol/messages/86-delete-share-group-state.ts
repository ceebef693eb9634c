// DeleteShareGroupState (key 86, KIP-932): removes share partitions' persisted state from the
// share coordinator (group or offsets deleted). Inter-broker, only v0, flexible.
import { api, f } from '../schema.js';

export const DeleteShareGroupState = api({
  apiKey: 86,
  name: 'DeleteShareGroupState',
  validVersions: '0',
  flexibleVersions: '0+',
  request: () => ({
    groupId: f.string('0+'),
    topics: f.array('0+', {
      topicId: f.uuid('0+'),
      partitions: f.array('0+', {
        partition: f.int32('0+'),
      }),
    }),
  }),
  response: () => ({
    results: f.array('0+', {
      topicId: f.uuid('0+'),
      partitions: f.array('0+', {
        partition: f.int32('0+'),
        errorCode: f.int16('0+'),
        errorMessage: f.string('0+', { nullable: '0+', default: null }),
      }),
    }),
  }),
});
