// DescribeProducers (key 61, KIP-664): active producer state (epoch, last sequence, open
// transaction start) per partition. Only v0, flexible.
import { api, f } from '../schema.js';

export const DescribeProducers = api({
  apiKey: 61,
  name: 'DescribeProducers',
  validVersions: '0',
  flexibleVersions: '0+',
  request: () => ({
    topics: f.array('0+', {
      name: f.string('0+'),
      partitionIndexes: f.array('0+', 'int32'),
    }),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    topics: f.array('0+', {
      name: f.string('0+'),
      partitions: f.array('0+', {
        partitionIndex: f.int32('0+'),
        errorCode: f.int16('0+'),
        errorMessage: f.string('0+', { nullable: '0+', default: null }),
        activeProducers: f.array('0+', {
          producerId: f.int64('0+'),
          producerEpoch: f.int32('0+'),
          lastSequence: f.int32('0+', { default: -1 }),
          lastTimestamp: f.int64('0+', { default: -1 }),
          coordinatorEpoch: f.int32('0+'),
          currentTxnStartOffset: f.int64('0+', { default: -1 }),
        }),
      }),
    }),
  }),
});
