// WriteTxnMarkers (key 27): the transaction coordinator asks partition leaders to append
// commit/abort control batches. Inter-broker only; v1 is the first flexible version; v2 adds
// each marker's transactionVersion (KIP-1228). Kafka 4.0 dropped v0 (KIP-896); we keep it as
// Kafka 3.9.1 defines it.
import { api, f } from '../schema.js';

export const WriteTxnMarkers = api({
  apiKey: 27,
  name: 'WriteTxnMarkers',
  validVersions: '0-2',
  flexibleVersions: '1+',
  request: () => ({
    markers: f.array('0+', {
      producerId: f.int64('0+'),
      producerEpoch: f.int16('0+'),
      transactionResult: f.bool('0+'),
      topics: f.array('0+', {
        name: f.string('0+'),
        partitionIndexes: f.array('0+', 'int32'),
      }),
      coordinatorEpoch: f.int32('0+'),
      transactionVersion: f.int8('2+', { ignorable: true }),
    }),
  }),
  response: () => ({
    markers: f.array('0+', {
      producerId: f.int64('0+'),
      topics: f.array('0+', {
        name: f.string('0+'),
        partitions: f.array('0+', {
          partitionIndex: f.int32('0+'),
          errorCode: f.int16('0+'),
        }),
      }),
    }),
  }),
});
