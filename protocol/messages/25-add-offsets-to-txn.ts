// AddOffsetsToTxn (key 25): a producer adds its group's offsets partition to the transaction.
// v2 may return PRODUCER_FENCED, v3 is the first flexible version, v4 may return
// TRANSACTION_ABORTABLE (KIP-890).
import { api, f } from '../schema.js';

export const AddOffsetsToTxn = api({
  apiKey: 25,
  name: 'AddOffsetsToTxn',
  validVersions: '0-4',
  flexibleVersions: '3+',
  request: () => ({
    transactionalId: f.string('0+'),
    producerId: f.int64('0+'),
    producerEpoch: f.int16('0+'),
    groupId: f.string('0+'),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    errorCode: f.int16('0+'),
  }),
});
