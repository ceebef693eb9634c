// InitializeShareGroupState (key 83, KIP-932): the group coordinator asks the share coordinator
// to set up the persisted state of share partitions. Inter-broker, only v0, flexible.
import { api, f } from '../schema.js';

export const InitializeShareGroupState = api({
  apiKey: 83,
  name: 'InitializeShareGroupState',
  validVersions: '0',
  flexibleVersions: '0+',
  request: () => ({
    groupId: f.string('0+'),
    topics: f.array('0+', {
      topicId: f.uuid('0+'),
      partitions: f.array('0+', {
        partition: f.int32('0+'),
        stateEpoch: f.int32('0+'),
        startOffset: f.int64('0+'),
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
