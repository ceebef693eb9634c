// TxnOffsetCommit (key 28): offsets committed inside a transaction. v2 adds the committed leader
// epoch; v3 is the first flexible version and adds generation/member/instance ids so the group
// coordinator can fence zombies; v4 may return TRANSACTION_ABORTABLE (KIP-890); v5 is the same
// layout for transactions v2 (it implies AddOffsetsToTxn); v6 names topics by topicId instead of
// name and may return GROUP_ID_NOT_FOUND, STALE_MEMBER_EPOCH, UNKNOWN_TOPIC_ID (KIP-1319). The
// generation field carries the member epoch for KIP-848 groups, hence its 4.4 name.
import { api, f } from '../schema.js';

export const TxnOffsetCommit = api({
  apiKey: 28,
  name: 'TxnOffsetCommit',
  validVersions: '0-6',
  flexibleVersions: '3+',
  request: () => ({
    transactionalId: f.string('0+'),
    groupId: f.string('0+'),
    producerId: f.int64('0+'),
    producerEpoch: f.int16('0+'),
    generationIdOrMemberEpoch: f.int32('3+', { default: -1 }),
    memberId: f.string('3+'),
    groupInstanceId: f.string('3+', { nullable: '3+', default: null }),
    topics: f.array('0+', {
      name: f.string('0-5', { ignorable: true }),
      topicId: f.uuid('6+', { ignorable: true }),
      partitions: f.array('0+', {
        partitionIndex: f.int32('0+'),
        committedOffset: f.int64('0+'),
        committedLeaderEpoch: f.int32('2+', { default: -1, ignorable: true }),
        committedMetadata: f.string('0+', { nullable: '0+' }),
      }),
    }),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    topics: f.array('0+', {
      name: f.string('0-5', { ignorable: true }),
      topicId: f.uuid('6+', { ignorable: true }),
      partitions: f.array('0+', {
        partitionIndex: f.int32('0+'),
        errorCode: f.int16('0+'),
      }),
    }),
  }),
});
