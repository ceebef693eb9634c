// ShareAcknowledge (key 79, KIP-932): acknowledges (accept, release, reject) records acquired by
// ShareFetch without fetching more. v1 is the first stable version (v0, Kafka 4.0's early access,
// was removed in 4.1); v2 adds renew acknowledgements (KIP-1222).
import { api, f } from '../schema.js';

export const ShareAcknowledge = api({
  apiKey: 79,
  name: 'ShareAcknowledge',
  validVersions: '1-2',
  flexibleVersions: '0+',
  request: () => ({
    groupId: f.string('0+', { nullable: '0+', default: null }),
    memberId: f.string('0+', { nullable: '0+' }),
    shareSessionEpoch: f.int32('0+'),
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
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    errorCode: f.int16('0+'),
    errorMessage: f.string('0+', { nullable: '0+', default: null }),
    acquisitionLockTimeoutMs: f.int32('2+', { ignorable: true }),
    responses: f.array('0+', {
      topicId: f.uuid('0+'),
      partitions: f.array('0+', {
        partitionIndex: f.int32('0+'),
        errorCode: f.int16('0+'),
        errorMessage: f.string('0+', { nullable: '0+', default: null }),
        currentLeader: f.struct('0+', {
          leaderId: f.int32('0+'),
          leaderEpoch: f.int32('0+'),
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
