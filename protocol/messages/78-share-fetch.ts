// ShareFetch (key 78, KIP-932): a share-group consumer fetches records it then owns for a lock
// period, piggy-backing acknowledgements of earlier records, inside a share session
// (shareSessionEpoch). v1 is the first stable version (v0, Kafka 4.0's early access, was removed
// in 4.1); v2 adds the acquire mode (KIP-1206) and renew acknowledgements (KIP-1222). Kafka's
// JSON still lists v0's per-partition PartitionMaxBytes; no version we define has it.
import { api, f } from '../schema.js';

export const ShareFetch = api({
  apiKey: 78,
  name: 'ShareFetch',
  validVersions: '1-2',
  flexibleVersions: '0+',
  request: () => ({
    groupId: f.string('0+', { nullable: '0+', default: null }),
    memberId: f.string('0+', { nullable: '0+' }),
    shareSessionEpoch: f.int32('0+'),
    maxWaitMs: f.int32('0+'),
    minBytes: f.int32('0+'),
    maxBytes: f.int32('0+', { default: 2147483647 }),
    maxRecords: f.int32('1+'),
    batchSize: f.int32('1+'),
    shareAcquireMode: f.int8('2+', { default: 0, ignorable: true }),
    isRenewAck: f.bool('2+', { default: false }),
    topics: f.array('0+', {
      topicId: f.uuid('0+'),
      partitions: f.array('0+', {
        partitionIndex: f.int32('0+'),
        acknowledgementBatches: f.array('0+', {
          firstOffset: f.int64('0+'),
          lastOffset: f.int64('0+'),
          acknowledgeTypes: f.array('0+', 'int8'),
        }),
      }),
    }),
    forgottenTopicsData: f.array('0+', {
      topicId: f.uuid('0+'),
      partitions: f.array('0+', 'int32'),
    }),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    errorCode: f.int16('0+'),
    errorMessage: f.string('0+', { nullable: '0+', default: null }),
    acquisitionLockTimeoutMs: f.int32('1+'),
    responses: f.array('0+', {
      topicId: f.uuid('0+'),
      partitions: f.array('0+', {
        partitionIndex: f.int32('0+'),
        errorCode: f.int16('0+'),
        errorMessage: f.string('0+', { nullable: '0+', default: null }),
        acknowledgeErrorCode: f.int16('0+'),
        acknowledgeErrorMessage: f.string('0+', { nullable: '0+', default: null }),
        currentLeader: f.struct('0+', {
          leaderId: f.int32('0+'),
          leaderEpoch: f.int32('0+'),
        }),
        records: f.records('0+', { nullable: '0' }),
        acquiredRecords: f.array('0+', {
          firstOffset: f.int64('0+'),
          lastOffset: f.int64('0+'),
          deliveryCount: f.int16('0+'),
        }),
      }),
    }),
    nodeEndpoints: f.array('0+', {
      nodeId: f.int32('0+'),
      host: f.string('0+'),
      port: f.int32('0+'),
      rack: f.string('0+', { nullable: '0+', default: null }),
    }),
  }),
});
