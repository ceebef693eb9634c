// OffsetCommit (key 8). v0 has no member identity; v1 adds generation,
// member id and a per-partition commit timestamp; v2-4 carry retentionTimeMs instead (v5
// drops it: retention is broker config); v6 adds leader epochs, v7 groupInstanceId, v8 is
// flexible; v9 is accepted from KIP-848 consumer-group members (generation = member epoch);
// v10 names topics by topicId instead of name. Kafka 4.0 dropped v0-1 (KIP-896); we keep them
// as Kafka 3.9.1 defines them.
import { api, f } from '../schema.js';

export const OffsetCommit = api({
  apiKey: 8,
  name: 'OffsetCommit',
  validVersions: '0-10',
  flexibleVersions: '8+',
  deprecatedVersions: '0-1',
  request: () => ({
    groupId: f.string('0+'),
    generationIdOrMemberEpoch: f.int32('1+', { default: -1, ignorable: true }),
    memberId: f.string('1+', { ignorable: true }),
    groupInstanceId: f.string('7+', { nullable: '7+', default: null }),
    retentionTimeMs: f.int64('2-4', { default: -1, ignorable: true }),
    topics: f.array('0+', {
      name: f.string('0-9', { ignorable: true }),
      topicId: f.uuid('10+', { ignorable: true }),
      partitions: f.array('0+', {
        partitionIndex: f.int32('0+'),
        committedOffset: f.int64('0+'),
        committedLeaderEpoch: f.int32('6+', { default: -1, ignorable: true }),
        commitTimestamp: f.int64('1', { default: -1 }),
        committedMetadata: f.string('0+', { nullable: '0+' }),
      }),
    }),
  }),
  response: () => ({
    throttleTimeMs: f.int32('3+', { ignorable: true }),
    topics: f.array('0+', {
      name: f.string('0-9', { ignorable: true }),
      topicId: f.uuid('10+', { ignorable: true }),
      partitions: f.array('0+', { partitionIndex: f.int32('0+'), errorCode: f.int16('0+') }),
    }),
  }),
});
