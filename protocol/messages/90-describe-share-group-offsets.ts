// DescribeShareGroupOffsets (key 90, KIP-932): start offsets of share groups' partitions (all of
// a group's topics when topics is null). v1 returns each partition's lag (KIP-1226).
import { api, f } from '../schema.js';

export const DescribeShareGroupOffsets = api({
  apiKey: 90,
  name: 'DescribeShareGroupOffsets',
  validVersions: '0-1',
  flexibleVersions: '0+',
  request: () => ({
    groups: f.array('0+', {
      groupId: f.string('0+'),
      topics: f.array(
        '0+',
        {
          topicName: f.string('0+'),
          partitions: f.array('0+', 'int32'),
        },
        { nullable: '0+' },
      ),
    }),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    groups: f.array('0+', {
      groupId: f.string('0+'),
      topics: f.array('0+', {
        topicName: f.string('0+'),
        topicId: f.uuid('0+'),
        partitions: f.array('0+', {
          partitionIndex: f.int32('0+'),
          startOffset: f.int64('0+'),
          leaderEpoch: f.int32('0+'),
          lag: f.int64('1+', { default: -1, ignorable: true }),
          errorCode: f.int16('0+'),
          errorMessage: f.string('0+', { nullable: '0+', default: null }),
        }),
      }),
      errorCode: f.int16('0+'),
      errorMessage: f.string('0+', { nullable: '0+', default: null }),
    }),
  }),
});
