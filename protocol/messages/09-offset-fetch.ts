// OffsetFetch (key 9). v0 read offsets from ZooKeeper (Kafka 4.0 dropped it, KIP-896; kept here,
// deprecated, as Kafka 3.9.1 defines it); v2 accepts a null topic list meaning "all topics" and
// adds a top-level errorCode; v5 returns leader epochs; v6 is flexible; v7 adds requireStable; v8
// batches several groups (groupId/topics move into groups[]); v9 adds memberId/memberEpoch for
// KIP-848 consumer groups; v10 names topics by topicId instead of name.
import { api, f } from '../schema.js';

export const OffsetFetch = api({
  apiKey: 9,
  name: 'OffsetFetch',
  validVersions: '0-10',
  flexibleVersions: '6+',
  deprecatedVersions: '0',
  request: () => ({
    groupId: f.string('0-7'),
    topics: f.array('0-7', { name: f.string('0-7'), partitionIndexes: f.array('0-7', 'int32') }, { nullable: '2-7' }),
    groups: f.array('8+', {
      groupId: f.string('8+'),
      memberId: f.string('9+', { nullable: '9+', default: null, ignorable: true }),
      memberEpoch: f.int32('9+', { default: -1, ignorable: true }),
      topics: f.array(
        '8+',
        {
          name: f.string('8-9', { ignorable: true }),
          topicId: f.uuid('10+', { ignorable: true }),
          partitionIndexes: f.array('8+', 'int32'),
        },
        { nullable: '8+' },
      ),
    }),
    requireStable: f.bool('7+'),
  }),
  response: () => ({
    throttleTimeMs: f.int32('3+', { ignorable: true }),
    topics: f.array('0-7', {
      name: f.string('0-7'),
      partitions: f.array('0-7', {
        partitionIndex: f.int32('0-7'),
        committedOffset: f.int64('0-7'),
        committedLeaderEpoch: f.int32('5-7', { default: -1, ignorable: true }),
        metadata: f.string('0-7', { nullable: '0-7' }),
        errorCode: f.int16('0-7'),
      }),
    }),
    errorCode: f.int16('2-7', { ignorable: true }),
    groups: f.array('8+', {
      groupId: f.string('8+'),
      topics: f.array('8+', {
        name: f.string('8-9', { ignorable: true }),
        topicId: f.uuid('10+', { ignorable: true }),
        partitions: f.array('8+', {
          partitionIndex: f.int32('8+'),
          committedOffset: f.int64('8+'),
          committedLeaderEpoch: f.int32('8+', { default: -1, ignorable: true }),
          metadata: f.string('8+', { nullable: '8+' }),
          errorCode: f.int16('8+'),
        }),
      }),
      errorCode: f.int16('8+'),
    }),
  }),
});
