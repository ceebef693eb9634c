// OffsetForLeaderEpoch (key 23). Consumers use it to detect log truncation after a leader
// change. v1 returns the leader epoch (v0-1 deprecated); v2 adds currentLeaderEpoch
// fencing; v3 adds replicaId (-2 = consumer); v4 is flexible.
// Kafka 4.0 dropped v0-1 (KIP-896); we keep them as Kafka 3.9.1 defines them.
import { api, f } from '../schema.js';

export const OffsetForLeaderEpoch = api({
  apiKey: 23,
  name: 'OffsetForLeaderEpoch',
  validVersions: '0-4',
  flexibleVersions: '4+',
  deprecatedVersions: '0-1',
  request: () => ({
    replicaId: f.int32('3+', { default: -2, ignorable: true }),
    topics: f.array('0+', {
      topic: f.string('0+'),
      partitions: f.array('0+', {
        partition: f.int32('0+'),
        currentLeaderEpoch: f.int32('2+', { default: -1, ignorable: true }),
        leaderEpoch: f.int32('0+'),
      }),
    }),
  }),
  response: () => ({
    throttleTimeMs: f.int32('2+', { ignorable: true }),
    topics: f.array('0+', {
      topic: f.string('0+'),
      partitions: f.array('0+', {
        errorCode: f.int16('0+'),
        partition: f.int32('0+'),
        leaderEpoch: f.int32('1+', { default: -1, ignorable: true }),
        endOffset: f.int64('0+', { default: -1 }),
      }),
    }),
  }),
});
