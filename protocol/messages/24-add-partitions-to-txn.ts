// AddPartitionsToTxn (key 24). v0-3 are what producers send: one transaction, top-level
// id/epoch/topics (v2 may return PRODUCER_FENCED, v3 is the first flexible version). v4+ is the
// broker-to-coordinator form that batches transactions and adds VerifyOnly plus a top-level error;
// v5 may return TRANSACTION_ABORTABLE (KIP-890).
import { api, f } from '../schema.js';

export const AddPartitionsToTxn = api({
  apiKey: 24,
  name: 'AddPartitionsToTxn',
  validVersions: '0-5',
  flexibleVersions: '3+',
  request: () => ({
    transactions: f.array('4+', {
      transactionalId: f.string('4+'),
      producerId: f.int64('4+'),
      producerEpoch: f.int16('4+'),
      verifyOnly: f.bool('4+'),
      topics: f.array('4+', {
        name: f.string('0+'),
        partitions: f.array('0+', 'int32'),
      }),
    }),
    v3AndBelowTransactionalId: f.string('0-3'),
    v3AndBelowProducerId: f.int64('0-3'),
    v3AndBelowProducerEpoch: f.int16('0-3'),
    v3AndBelowTopics: f.array('0-3', {
      name: f.string('0+'),
      partitions: f.array('0+', 'int32'),
    }),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    errorCode: f.int16('4+', { ignorable: true }),
    resultsByTransaction: f.array('4+', {
      transactionalId: f.string('4+'),
      topicResults: f.array('4+', {
        name: f.string('0+'),
        resultsByPartition: f.array('0+', {
          partitionIndex: f.int32('0+'),
          partitionErrorCode: f.int16('0+'),
        }),
      }),
    }),
    resultsByTopicV3AndBelow: f.array('0-3', {
      name: f.string('0+'),
      resultsByPartition: f.array('0+', {
        partitionIndex: f.int32('0+'),
        partitionErrorCode: f.int16('0+'),
      }),
    }),
  }),
});
