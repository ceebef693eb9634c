// EndTxn (key 26): commit or abort. v2 may return PRODUCER_FENCED, v3 is the first flexible
// version, v4 may return TRANSACTION_ABORTABLE. v5 (stable since Kafka 4.0) bumps the epoch on
// every transaction and returns the new producer id/epoch (KIP-890 part 2).
import { api, f } from '../schema.js';

export const EndTxn = api({
  apiKey: 26,
  name: 'EndTxn',
  validVersions: '0-5',
  flexibleVersions: '3+',
  request: () => ({
    transactionalId: f.string('0+'),
    producerId: f.int64('0+'),
    producerEpoch: f.int16('0+'),
    committed: f.bool('0+'),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    errorCode: f.int16('0+'),
    producerId: f.int64('5+', { default: -1, ignorable: true }),
    producerEpoch: f.int16('5+', { default: -1, ignorable: true }),
  }),
});
