// ListOffsets (key 2). v0 returns an array of old-style offsets (Kafka 4.0 dropped it, KIP-896;
// we keep it as Kafka 3.9.1 defines it); v1+ one offset and its timestamp; v2 adds
// isolationLevel, v4 leader epochs, v6 is flexible. v7-v9 only widen the special timestamps a
// broker must accept (-3 max timestamp, -4 local log start, -5 last tiered offset); v10 adds
// timeoutMs for async remote lookups; v11 accepts -6, the earliest pending upload offset (KIP-1023).
import { api, f } from '../schema.js';

export const ListOffsets = api({
  apiKey: 2,
  name: 'ListOffsets',
  validVersions: '0-11',
  flexibleVersions: '6+',
  deprecatedVersions: '0',
  request: () => ({
    replicaId: f.int32('0+'),
    isolationLevel: f.int8('2+'),
    topics: f.array('0+', {
      name: f.string('0+'),
      partitions: f.array('0+', {
        partitionIndex: f.int32('0+'),
        currentLeaderEpoch: f.int32('4+', { default: -1, ignorable: true }),
        timestamp: f.int64('0+'),
        maxNumOffsets: f.int32('0', { default: 1 }),
      }),
    }),
    timeoutMs: f.int32('10+', { ignorable: true }),
  }),
  response: () => ({
    throttleTimeMs: f.int32('2+', { ignorable: true }),
    topics: f.array('0+', {
      name: f.string('0+'),
      partitions: f.array('0+', {
        partitionIndex: f.int32('0+'),
        errorCode: f.int16('0+'),
        oldStyleOffsets: f.array('0', 'int64'),
        timestamp: f.int64('1+', { default: -1 }),
        offset: f.int64('1+', { default: -1 }),
        leaderEpoch: f.int32('4+', { default: -1 }),
      }),
    }),
  }),
});
