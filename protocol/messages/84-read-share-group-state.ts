// ReadShareGroupState (key 84, KIP-932): a partition leader reads a share partition's persisted
// state (start offset, in-flight batches) from the share coordinator. Inter-broker, only v0.
import { api, f } from '../schema.js';

export const ReadShareGroupState = api({
  apiKey: 84,
  name: 'ReadShareGroupState',
  validVersions: '0',
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
        startOffset: f.int64('0+'),
        stateBatches: f.array('0+', {
          firstOffset: f.int64('0+'),
          lastOffset: f.int64('0+'),
          deliveryState: f.int8('0+'),
          deliveryCount: f.int16('0+'),
        }),
      }),
    }),
  }),
});
