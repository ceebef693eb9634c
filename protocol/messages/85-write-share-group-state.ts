// WriteShareGroupState (key 85, KIP-932): a partition leader persists a share partition's state
// through the share coordinator. Inter-broker; v1 adds deliveryCompleteCount (KIP-1226).
import { api, f } from '../schema.js';

export const WriteShareGroupState = api({
  apiKey: 85,
  name: 'WriteShareGroupState',
  validVersions: '0-1',
  flexibleVersions: '0+',
  request: () => ({
    groupId: f.string('0+'),
    topics: f.array('0+', {
      topicId: f.uuid('0+'),
      partitions: f.array('0+', {
        partition: f.int32('0+'),
        stateEpoch: f.int32('0+'),
        leaderEpoch: f.int32('0+'),
        startOffset: f.int64('0+'),
        deliveryCompleteCount: f.int32('1+', { default: -1, ignorable: true }),
        stateBatches: f.array('0+', {
          firstOffset: f.int64('0+'),
          lastOffset: f.int64('0+'),
          deliveryState: f.int8('0+'),
          deliveryCount: f.int16('0+'),
        }),
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
