// ReadShareGroupStateSummary (key 87, KIP-932): the start offset (and, from v1,
// deliveryCompleteCount, KIP-1226) of share partitions, for describing share-group offsets.
// Inter-broker, flexible.
import { api, f } from '../schema.js';

export const ReadShareGroupStateSummary = api({
  apiKey: 87,
  name: 'ReadShareGroupStateSummary',
  validVersions: '0-1',
  flexibleVersions: '0+',
  request: () => ({
    groupId: f.string('0+'),
    topics: f.array('0+', {
      topicId: f.uuid('0+'),
      partitions: f.array('0+', {
        partition: f.int32('0+'),
        leaderEpoch: f.int32('0+'),
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
        stateEpoch: f.int32('0+'),
        leaderEpoch: f.int32('0+'),
        startOffset: f.int64('0+'),
        deliveryCompleteCount: f.int32('1+', { default: -1, ignorable: true }),
      }),
    }),
  }),
});
