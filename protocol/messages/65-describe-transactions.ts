// DescribeTransactions (key 65, KIP-664): transaction coordinator state per transactional id.
// Only v0, flexible.
import { api, f } from '../schema.js';

export const DescribeTransactions = api({
  apiKey: 65,
  name: 'DescribeTransactions',
  validVersions: '0',
  flexibleVersions: '0+',
  request: () => ({
    transactionalIds: f.array('0+', 'string'),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    transactionStates: f.array('0+', {
      errorCode: f.int16('0+'),
      transactionalId: f.string('0+'),
      transactionState: f.string('0+'),
      transactionTimeoutMs: f.int32('0+'),
      transactionStartTimeMs: f.int64('0+'),
      producerId: f.int64('0+'),
      producerEpoch: f.int16('0+'),
      topics: f.array('0+', {
        topic: f.string('0+'),
        partitions: f.array('0+', 'int32'),
      }),
    }),
  }),
});
