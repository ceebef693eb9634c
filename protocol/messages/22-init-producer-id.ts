// InitProducerId (key 22). Gives an idempotent or transactional producer its id and epoch.
// v2 is flexible; v3 lets a producer pass its current id/epoch to recover from fencing;
// v4 may return PRODUCER_FENCED, v5 TRANSACTION_ABORTABLE; v6 adds two-phase commit (KIP-939)
// and is still unstable in Kafka 4.4 (defined here, never advertised).
import { api, f } from '../schema.js';

export const InitProducerId = api({
  apiKey: 22,
  name: 'InitProducerId',
  validVersions: '0-6',
  flexibleVersions: '2+',
  latestVersionUnstable: true,
  request: () => ({
    transactionalId: f.string('0+', { nullable: '0+' }),
    transactionTimeoutMs: f.int32('0+'),
    producerId: f.int64('3+', { default: -1 }),
    producerEpoch: f.int16('3+', { default: -1 }),
    enable2Pc: f.bool('6+', { default: false }),
    keepPreparedTxn: f.bool('6+', { default: false }),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+', { ignorable: true }),
    errorCode: f.int16('0+'),
    producerId: f.int64('0+', { default: -1 }),
    producerEpoch: f.int16('0+'),
    ongoingTxnProducerId: f.int64('6+', { default: -1 }),
    ongoingTxnProducerEpoch: f.int16('6+', { default: -1 }),
  }),
});
